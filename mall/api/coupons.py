"""The buyer's coupon wallet and claiming a coupon into it (signed in only)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CURSOR, page_response, page_schema, request_cursor, service_errors
from mall import selectors, services
from mall.api.shapes import money_field


class CouponSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField(help_text=_("Empty: used from the wallet only."))
    # A plain string: a second enum named "kind" (users have one) would rename theirs.
    kind = serializers.CharField(help_text=_('"fixed" (amount off) or "percent" (percent off).'))
    amount = money_field(allow_null=True)
    percent = serializers.IntegerField(allow_null=True)
    max_discount = money_field(allow_null=True)
    min_spend = money_field()
    label = serializers.CharField(help_text=_("What it is worth, as a buyer reads it."))
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Coupon"


class CouponClaimSerializer(serializers.Serializer):
    coupon = CouponSerializer()
    claimed_at = serializers.DateTimeField()

    class Meta:
        ref_name = "CouponClaim"


@extend_schema(tags=["mall"])
class CouponWalletApi(APIView):
    """The buyer's claimed coupons, newest first."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="mall_coupons_list",
        parameters=[CURSOR],
        responses=page_schema(CouponClaimSerializer, name="CouponClaimPage"),
    )
    def get(self, request: Request) -> Response:
        page = selectors.coupon_wallet(
            owner=request.user, cursor=request_cursor(request), size=settings.MALL_PAGE_SIZE
        )
        return page_response(request, page, CouponClaimSerializer, {})


@extend_schema(tags=["mall"])
class CouponClaimApi(APIView):
    """Put a coupon on offer into the buyer's wallet: 201 when added, 200 when it was there."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(request=None, responses={200: CouponClaimSerializer, 201: CouponClaimSerializer})
    def post(self, request: Request, coupon_id: int) -> Response:
        with service_errors():
            claim, created = services.coupon_claim(actor=request.user, coupon_id=coupon_id)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(CouponClaimSerializer(claim).data, status=code)
