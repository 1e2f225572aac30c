"""Shapes shared by the mall's API views."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import page_schema
from mall.models import Product, ProductImage
from mall.money import CURRENCY, PRICE_DECIMAL_PLACES, PRICE_MAX_DIGITS


def money_field(**kwargs: object) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=PRICE_MAX_DIGITS, decimal_places=PRICE_DECIMAL_PLACES, **kwargs
    )


class ProductImageSerializer(serializers.Serializer):
    url = serializers.ImageField(source="image")
    width = serializers.IntegerField()
    height = serializers.IntegerField()

    class Meta:
        ref_name = "ProductImage"


class BrandSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    is_official_store = serializers.BooleanField()

    class Meta:
        ref_name = "Brand"


class ProductCardSerializer(serializers.Serializer):
    """A product in a list: products from mall.selectors.product_cards."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    brand = BrandSerializer(allow_null=True)
    price = money_field(help_text=_("The cheapest variant's price, CNY."))
    compare_at_price = money_field(allow_null=True)
    currency = serializers.SerializerMethodField()
    sold_count = serializers.IntegerField()
    is_on_sale = serializers.BooleanField()
    cover = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ProductCard"

    def get_currency(self, product: Product) -> str:
        return CURRENCY

    @extend_schema_field(ProductImageSerializer(allow_null=True))
    def get_cover(self, product: Product) -> dict | None:
        covers: list[ProductImage] = getattr(product, "cover_images", [])
        return ProductImageSerializer(covers[0], context=self.context).data if covers else None

    def get_url(self, product: Product) -> str:
        return self.context["request"].build_absolute_uri(product.get_absolute_url())


PRODUCT_CARD_PAGE = page_schema(ProductCardSerializer, name="ProductCardPage")


class DiscountsSerializer(serializers.Serializer):
    """The coupon and points a buyer asks for: the same fields price a checkout
    (GET /mall/checkout/) and place the order (POST /mall/orders/)."""

    coupon_code = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text=_("A coupon's code.")
    )
    coupon = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=_("A coupon from the buyer's wallet (when no code is given)."),
    )
    points = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text=_("Points to pay with, within the balance and the order's cap."),
    )

    @staticmethod
    def discounts(data: dict) -> dict:
        """The validated fields as mall.selectors.checkout_quote and order_place take them."""
        return {
            "coupon_code": data.get("coupon_code", ""),
            "coupon_id": data.get("coupon"),
            "points": data.get("points") or 0,
        }
