"""/api/v1/ numbers of notes for the people behind them: a creator's own (the creator centre)
and a brand's paid partnerships. The same selectors as the pages."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CURSOR, page_response, request_cursor
from notes import selectors
from users.api import UserSummarySerializer


class NumbersSerializer(serializers.Serializer):
    notes = serializers.IntegerField()
    impressions = serializers.IntegerField(help_text=_("Readers the notes were shown to."))
    likes = serializers.IntegerField()
    bookmarks = serializers.IntegerField()
    comments = serializers.IntegerField()
    follows = serializers.IntegerField(help_text=_("Followers gained from the notes."))
    ces = serializers.IntegerField()
    per_hundred = serializers.FloatField(
        allow_null=True,
        help_text=_("CES per 100 readers shown; null until 20 readers have seen the notes."),
    )


class NoteNumbersSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    author = UserSummarySerializer()
    published_at = serializers.DateTimeField()
    impressions = serializers.IntegerField()
    likes_count = serializers.IntegerField()
    bookmarks_count = serializers.IntegerField()
    comments_count = serializers.IntegerField()
    follows_gained = serializers.IntegerField()
    ces = serializers.IntegerField()
    engagement_per_hundred = serializers.FloatField(allow_null=True)


class DaySerializer(serializers.Serializer):
    day = serializers.DateField()
    shown = serializers.IntegerField()


@extend_schema(tags=["people"])
class CreatorNumbersApi(APIView):
    """The signed-in account's published notes added up, and readers shown them a day over
    the last week (the notes themselves: /api/v1/me/notes/)."""

    permission_classes = (IsAuthenticated,)

    class OutputSerializer(serializers.Serializer):
        totals = NumbersSerializer()
        shown_by_day = DaySerializer(many=True)

    @extend_schema(operation_id="me_creator_numbers", responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        days = selectors.creator_shown_by_day(author=request.user, today=timezone.localdate())
        data = {
            "totals": selectors.creator_totals(author=request.user),
            "shown_by_day": [{"day": day, "shown": shown} for day, shown in days],
        }
        return Response(self.OutputSerializer(data).data)


class PartnerCreatorSerializer(serializers.Serializer):
    person = UserSummarySerializer()
    numbers = NumbersSerializer()


PARTNERSHIPS_PAGE = inline_serializer(
    name="PartnershipsPage",
    fields={
        "results": NoteNumbersSerializer(many=True),
        "next": serializers.URLField(allow_null=True),
        "totals": NumbersSerializer(),
        "creators": PartnerCreatorSerializer(
            many=True, required=False, help_text=_("On the first page only.")
        ),
    },
)


class IsBrandAccount(BasePermission):
    message = _("Only brand accounts have partnerships.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user.is_authenticated and request.user.is_brand)


@extend_schema(tags=["people"])
class PartnershipsApi(APIView):
    """A brand account's paid partnerships: totals, the creators who engage its audience most
    (first page only), and the sponsored notes newest first with their numbers. 403 for any
    other account."""

    permission_classes = (IsBrandAccount,)

    @extend_schema(operation_id="me_partnerships", parameters=[CURSOR], responses=PARTNERSHIPS_PAGE)
    def get(self, request: Request) -> Response:
        cursor = request_cursor(request)
        page = selectors.brand_partnerships(
            brand=request.user, cursor=cursor, size=settings.FEED_PAGE_SIZE
        )
        response = page_response(request, page, NoteNumbersSerializer, {})
        response.data["totals"] = NumbersSerializer(
            selectors.brand_partnership_totals(brand=request.user)
        ).data
        if not cursor:
            creators = selectors.brand_partner_creators(brand=request.user)
            response.data["creators"] = PartnerCreatorSerializer(
                [{"person": person, "numbers": numbers} for person, numbers in creators],
                many=True,
            ).data
        return response
