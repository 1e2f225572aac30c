"""The catalogue: products (the list with its filters, one product with its variants, the
notes about it), and the categories and brands the list filters by."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CURSOR, page_response, page_schema, request_cursor
from mall import selectors
from mall.api.shapes import (
    PRODUCT_CARD_PAGE,
    BrandSerializer,
    ProductCardSerializer,
    ProductImageSerializer,
    money_field,
)
from mall.forms import SORT_CHOICES
from mall.models import Product
from notes.api.shapes import NOTE_CARD_PAGE, NoteCardSerializer, card_context


class ProductFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=80)
    category = serializers.SlugField(required=False, allow_blank=True, help_text=_("A slug."))
    brand = serializers.SlugField(required=False, allow_blank=True, help_text=_("A slug."))
    min_price = money_field(required=False, allow_null=True, min_value=0)
    max_price = money_field(required=False, allow_null=True, min_value=0)
    in_stock = serializers.BooleanField(required=False, default=False)
    sort = serializers.ChoiceField(
        choices=[value for value, _label in SORT_CHOICES], default="popular"
    )

    def filters(self) -> selectors.ProductFilters:
        data = self.validated_data
        category = brand = None
        if data.get("category"):
            category = selectors.category_get_by_slug(slug=data["category"])
            if category is None:
                raise serializers.ValidationError({"category": [_("No such category.")]})
        if data.get("brand"):
            brand = selectors.brand_get_by_slug(slug=data["brand"])
            if brand is None:
                raise serializers.ValidationError({"brand": [_("No such brand.")]})
        return selectors.ProductFilters(
            query=(data.get("q") or "").strip(),
            category=category,
            brand=brand,
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            in_stock=data["in_stock"],
            sort=data["sort"],
        )


@extend_schema(tags=["mall"])
class ProductListApi(APIView):
    """Products on sale, filtered and sorted; a top category includes its subcategories."""

    @extend_schema(
        operation_id="mall_products_list",
        parameters=[CURSOR, ProductFilterSerializer],
        responses=PRODUCT_CARD_PAGE,
    )
    def get(self, request: Request) -> Response:
        filters = ProductFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = selectors.products_list(
            filters=filters.filters(), cursor=request_cursor(request), size=settings.MALL_PAGE_SIZE
        )
        return page_response(request, page, ProductCardSerializer, {})


class SkuSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    attributes = serializers.DictField(child=serializers.CharField())
    label = serializers.CharField()
    price = money_field()
    compare_at_price = money_field(allow_null=True)
    stock = serializers.IntegerField()
    per_order_limit = serializers.IntegerField(allow_null=True)
    is_available = serializers.BooleanField()

    class Meta:
        ref_name = "Sku"


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()

    class Meta:
        ref_name = "Category"


@extend_schema(tags=["mall"])
class ProductDetailApi(APIView):
    """A product on sale or archived (drafts only for staff), with its photos and variants."""

    class OutputSerializer(ProductCardSerializer):
        description = serializers.CharField()
        origin_country = serializers.CharField()
        category = CategorySerializer()
        images = ProductImageSerializer(many=True, source="images.all")
        skus = serializers.SerializerMethodField()

        class Meta:
            ref_name = "ProductDetail"

        @extend_schema_field(SkuSerializer(many=True))
        def get_skus(self, product: Product) -> list[dict]:
            """The variants on sale, sold-out ones included (`is_available` false)."""
            skus = [sku for sku in product.skus.all() if sku.is_active]
            return SkuSerializer(skus, many=True).data

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, product_id: int) -> Response:
        product = selectors.product_get_for_buyer(
            product_id=product_id, actor=request.user if request.user.is_authenticated else None
        )
        product.cover_images = list(product.images.all())[:1]
        return Response(self.OutputSerializer(product, context={"request": request}).data)


@extend_schema(tags=["mall"])
class ProductNotesApi(APIView):
    """Visible notes that link this product, best first (CES)."""

    @extend_schema(
        operation_id="mall_product_notes_list", parameters=[CURSOR], responses=NOTE_CARD_PAGE
    )
    def get(self, request: Request, product_id: int) -> Response:
        product = selectors.product_get_for_buyer(
            product_id=product_id, actor=request.user if request.user.is_authenticated else None
        )
        page = selectors.product_notes(
            product=product, cursor=request_cursor(request), size=settings.FEED_PAGE_SIZE
        )
        return page_response(request, page, NoteCardSerializer, card_context(request, page.items))


class CategoryListItemSerializer(CategorySerializer):
    parent = serializers.CharField(
        source="parent.slug",
        allow_null=True,
        default=None,
        help_text=_("The top category's slug; null for a top category."),
    )
    position = serializers.IntegerField()

    class Meta:
        ref_name = "CategoryListItem"


class BrandListItemSerializer(BrandSerializer):
    description = serializers.CharField()

    class Meta:
        ref_name = "BrandListItem"


@extend_schema(tags=["mall"])
class CategoryListApi(APIView):
    """The category tree, flat: top categories and subcategories in the staff's order, each
    naming its parent. A slug filters the product list (`category=`)."""

    @extend_schema(
        operation_id="mall_categories_list",
        parameters=[CURSOR],
        responses=page_schema(CategoryListItemSerializer, name="CategoryPage"),
    )
    def get(self, request: Request) -> Response:
        page = selectors.categories_page(
            cursor=request_cursor(request), size=settings.MALL_PAGE_SIZE
        )
        return page_response(request, page, CategoryListItemSerializer, {})


@extend_schema(tags=["mall"])
class BrandListApi(APIView):
    """Brands with products on sale, by name. A slug filters the product list (`brand=`)."""

    @extend_schema(
        operation_id="mall_brands_list",
        parameters=[CURSOR],
        responses=page_schema(BrandListItemSerializer, name="BrandPage"),
    )
    def get(self, request: Request) -> Response:
        page = selectors.brands_page(cursor=request_cursor(request), size=settings.MALL_PAGE_SIZE)
        return page_response(request, page, BrandListItemSerializer, {})
