"""The buyer's cart and address book (signed in only; someone else's line or address is 404)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import page_schema, service_errors
from mall import selectors, services
from mall.api.shapes import DiscountsSerializer, money_field
from mall.models import PHONE_PATTERN, Address
from mall.selectors import CartReview


class CartLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="line.id")
    product = serializers.IntegerField(source="line.sku.product_id")
    title = serializers.CharField(source="line.sku.product.title")
    sku = serializers.IntegerField(source="line.sku_id")
    sku_label = serializers.CharField(source="line.sku.label")
    quantity = serializers.IntegerField(source="line.quantity")
    unit_price = money_field(help_text=_("Today's price."))
    price_when_added = money_field(source="line.price_when_added")
    price_changed = serializers.BooleanField()
    total = money_field()
    problem = serializers.CharField(source="problem.message", allow_null=True, default=None)
    is_unavailable = serializers.BooleanField(
        help_text=_("Cannot be bought now: left out of an order, kept in the cart.")
    )

    class Meta:
        ref_name = "CartLine"


class CartSerializer(serializers.Serializer):
    lines = CartLineSerializer(many=True)
    count = serializers.IntegerField()
    subtotal = money_field()
    shipping_fee = money_field()
    total = money_field(help_text=_("What an order placed now would cost, CNY."))
    can_check_out = serializers.BooleanField()

    class Meta:
        ref_name = "Cart"


class QuotedCouponSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="coupon.pk")
    name = serializers.CharField(source="coupon.name")
    label = serializers.CharField(source="coupon.label")
    discount = money_field(help_text=_("What it takes off these lines (0 when refused)."))
    problem = serializers.CharField(allow_null=True, help_text=_("Why it cannot be used."))

    class Meta:
        ref_name = "QuotedCoupon"


class CheckoutSerializer(serializers.Serializer):
    """An order priced before it is placed: what the checkout page shows after "Apply"."""

    cart = CartSerializer(source="review")
    coupon = QuotedCouponSerializer(allow_null=True)
    subtotal = money_field()
    shipping_fee = money_field()
    coupon_discount = money_field()
    points = serializers.IntegerField(help_text=_("The points this order would take."))
    points_discount = money_field()
    points_balance = serializers.IntegerField()
    points_max = serializers.IntegerField(help_text=_("The most points this order can take."))
    total = money_field(help_text=_("Send it as expected_total when placing the order."))
    problems = serializers.ListField(
        child=serializers.CharField(), help_text=_("What stops the order, each to change.")
    )
    can_check_out = serializers.BooleanField(source="can_place")

    class Meta:
        ref_name = "Checkout"


@extend_schema(tags=["mall"])
class CheckoutApi(APIView):
    """The cart priced with the coupon and points asked for (query parameters, as an order
    takes them): the total to send as expected_total, or the problems to fix first."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(parameters=[DiscountsSerializer], responses=CheckoutSerializer)
    def get(self, request: Request) -> Response:
        asked = DiscountsSerializer(data=request.query_params)
        asked.is_valid(raise_exception=True)
        quote = selectors.checkout_quote(
            owner=request.user, **DiscountsSerializer.discounts(asked.validated_data)
        )
        return Response(CheckoutSerializer(quote).data)


def _line(request: Request, line_id: int) -> dict:
    line = [
        reviewed
        for reviewed in selectors.cart_review(owner=request.user).lines
        if reviewed.line.pk == line_id
    ][0]
    return CartLineSerializer(line).data


@extend_schema(tags=["mall"])
class CartApi(APIView):
    """The cart priced now, with what stops each line being bought."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(responses=CartSerializer)
    def get(self, request: Request) -> Response:
        review: CartReview = selectors.cart_review(owner=request.user)
        return Response(CartSerializer(review).data)


@extend_schema(tags=["mall"])
class CartLinesApi(APIView):
    """Add an SKU to the cart (on top of what is there). A price sent is ignored."""

    permission_classes = (IsAuthenticated,)

    class InputSerializer(serializers.Serializer):
        sku = serializers.IntegerField(min_value=1)
        quantity = serializers.IntegerField(default=1)
        note = serializers.IntegerField(
            required=False, allow_null=True, help_text=_("The note the buyer came from.")
        )

        class Meta:
            ref_name = "CartLineCreate"

    @extend_schema(request=InputSerializer, responses={201: CartLineSerializer})
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors(fields_by_code={"quantity": "quantity", "sku": "sku"}):
            line = services.cart_add(
                actor=request.user,
                sku_id=data["sku"],
                quantity=data["quantity"],
                source_note_id=data.get("note"),
            )
        return Response(_line(request, line.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=["mall"])
class CartLineApi(APIView):
    permission_classes = (IsAuthenticated,)

    class InputSerializer(serializers.Serializer):
        quantity = serializers.IntegerField()

        class Meta:
            ref_name = "CartLineUpdate"

    @extend_schema(request=InputSerializer, responses=CartLineSerializer)
    def patch(self, request: Request, line_id: int) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors(field="quantity"):
            services.cart_line_update(
                actor=request.user, line_id=line_id, quantity=serializer.validated_data["quantity"]
            )
        return Response(_line(request, line_id))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, line_id: int) -> Response:
        services.cart_line_remove(actor=request.user, line_id=line_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Addresses.


class AddressSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=40)
    phone = serializers.RegexField(PHONE_PATTERN, max_length=20)
    province = serializers.CharField(max_length=20)
    city = serializers.CharField(max_length=20)
    district = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    street = serializers.CharField(max_length=120)
    is_default = serializers.BooleanField(required=False, default=False)

    class Meta:
        ref_name = "Address"


ADDRESS_PAGE = page_schema(AddressSerializer, name="AddressPage")


@extend_schema(tags=["mall"])
class AddressListApi(APIView):
    """The buyer's addresses, default first (a short list: at most MALL_ADDRESSES_MAX)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="mall_addresses_list", responses=ADDRESS_PAGE)
    def get(self, request: Request) -> Response:
        addresses = selectors.addresses_of(owner=request.user)
        return Response({"results": AddressSerializer(addresses, many=True).data, "next": None})

    @extend_schema(request=AddressSerializer, responses={201: AddressSerializer})
    def post(self, request: Request) -> Response:
        serializer = AddressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            address = services.address_create(actor=request.user, **serializer.validated_data)
        address.refresh_from_db()
        return Response(AddressSerializer(address).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["mall"])
class AddressDetailApi(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses=AddressSerializer)
    def get(self, request: Request, address_id: int) -> Response:
        address: Address = services.address_get_for_owner(actor=request.user, address_id=address_id)
        return Response(AddressSerializer(address).data)

    @extend_schema(request=AddressSerializer(partial=True), responses=AddressSerializer)
    def patch(self, request: Request, address_id: int) -> Response:
        services.address_get_for_owner(actor=request.user, address_id=address_id)
        serializer = AddressSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        is_default = fields.pop("is_default", False)
        with service_errors():
            address = services.address_update(
                actor=request.user, address_id=address_id, is_default=is_default, **fields
            )
        address.refresh_from_db()
        return Response(AddressSerializer(address).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, address_id: int) -> Response:
        services.address_delete(actor=request.user, address_id=address_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
