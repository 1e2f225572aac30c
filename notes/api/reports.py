"""/api/v1/ reports (举报) of notes and comments: the same service as the report sheet."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import service_errors, set_response
from core.throttling import AccountSettingThrottle
from notes import services
from notes.models import Report


class ReportRateThrottle(AccountSettingThrottle):
    """Reports per account, at the pages' rate."""

    scope = "reports"
    rate_setting = "RATE_LIMIT_REPORTS"


class ReportInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        help_text=_("One of: %(reasons)s.") % {"reasons": ", ".join(Report.Reason.values)}
    )
    detail = serializers.CharField(required=False, allow_blank=True, default="")


class ReportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Report.Kind.choices)
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    outcome = serializers.ChoiceField(choices=Report.Outcome.choices)
    created_at = serializers.DateTimeField()


class _ReportApi(APIView):
    """File a report: 201 when new, 200 with the open one when it was reported already. Only
    moderators see it; the reporter is told of their decision in the messages (system)."""

    permission_classes = (IsAuthenticated,)
    throttle_classes = (ReportRateThrottle,)

    def _file(self, request: Request, **target: int) -> Response:
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            report, created = services.report_file(
                actor=request.user, **target, **data.validated_data
            )
        return set_response(ReportOutputSerializer(report).data, created=created)


@extend_schema(tags=["notes"])
class NoteReportApi(_ReportApi):
    @extend_schema(
        request=ReportInputSerializer,
        responses={200: ReportOutputSerializer, 201: ReportOutputSerializer},
    )
    def post(self, request: Request, note_id: int) -> Response:
        return self._file(request, note_id=note_id)


@extend_schema(tags=["comments"])
class CommentReportApi(_ReportApi):
    @extend_schema(
        request=ReportInputSerializer,
        responses={200: ReportOutputSerializer, 201: ReportOutputSerializer},
    )
    def post(self, request: Request, comment_id: int) -> Response:
        return self._file(request, comment_id=comment_id)
