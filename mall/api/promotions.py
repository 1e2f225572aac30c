"""What the mall runs now: its campaigns and the 限时购 strip, and the coupons on offer to
claim (the mall home and the coupon page)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mall import selectors
from mall.api.coupons import CouponSerializer
from mall.api.shapes import ProductCardSerializer, money_field


class CampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    tagline = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Campaign"


class FlashSaleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = ProductCardSerializer(source="sku.product")
    sku = serializers.IntegerField(source="sku_id")
    sku_label = serializers.CharField(source="sku.label")
    price = money_field(help_text=_("The sale price, CNY."))
    regular_price = money_field(source="sku.price", help_text=_("The SKU's price outside it."))
    quota = serializers.IntegerField(help_text=_("Units at the sale price in all."))
    remaining = serializers.IntegerField(help_text=_("Units left at the sale price."))
    per_user_limit = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    is_upcoming = serializers.BooleanField(help_text=_("Not on yet: it starts at starts_at."))

    class Meta:
        ref_name = "FlashSale"


class PromotionsSerializer(serializers.Serializer):
    campaigns = CampaignSerializer(many=True)
    flash_sales = FlashSaleSerializer(
        many=True, help_text=_("Sales on now, then those starting within a day.")
    )

    class Meta:
        ref_name = "Promotions"


@extend_schema(tags=["mall"])
class PromotionsApi(APIView):
    """The campaigns running and the 限时购 strip, as the mall home shows them (bounded)."""

    @extend_schema(responses=PromotionsSerializer)
    def get(self, request: Request) -> Response:
        shown = {
            "campaigns": selectors.campaigns_running(),
            "flash_sales": selectors.flash_sales_shown(),
        }
        return Response(PromotionsSerializer(shown, context={"request": request}).data)


class CouponOnOfferSerializer(serializers.Serializer):
    coupon = CouponSerializer()
    is_claimed = serializers.BooleanField(help_text=_("Already in the reader's wallet."))

    class Meta:
        ref_name = "CouponOnOffer"


@extend_schema(tags=["mall"])
class CouponsOnOfferApi(APIView):
    """The coupons anyone can claim now, ending soonest first (bounded); signed in, each says
    whether it is in the buyer's wallet already. Claim one with its claim endpoint."""

    @extend_schema(responses=CouponOnOfferSerializer(many=True))
    def get(self, request: Request) -> Response:
        on_offer = selectors.coupons_claimable()
        claimed = set()
        if request.user.is_authenticated:
            claimed = selectors.coupons_claimed_ids(
                owner=request.user, coupon_ids=[coupon.pk for coupon in on_offer]
            )
        rows = [{"coupon": coupon, "is_claimed": coupon.pk in claimed} for coupon in on_offer]
        return Response(CouponOnOfferSerializer(rows, many=True).data)
