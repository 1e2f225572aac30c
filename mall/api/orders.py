"""The buyer's orders: place one from the cart, read them, pay, cancel, ask for a refund."""

import stripe
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CURSOR, page_response, page_schema, request_cursor, service_errors
from mall import selectors, services
from mall.api.shapes import DiscountsSerializer, money_field
from mall.models import Order
from mall.payments import payment_provider


class OrderLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product_id")
    sku = serializers.IntegerField(source="sku_id")
    title = serializers.CharField()
    sku_label = serializers.CharField()
    sku_code = serializers.CharField()
    unit_price = money_field()
    quantity = serializers.IntegerField()
    line_total = money_field()

    class Meta:
        ref_name = "OrderLine"


class OrderEventSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.ChoiceField(choices=Order.Status.choices)
    detail = serializers.CharField()
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "OrderEvent"


class OrderSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Order.Status.choices)
    lines = OrderLineSerializer(many=True, source="lines.all")
    subtotal = money_field()
    shipping_fee = money_field()
    coupon_discount = money_field()
    points_used = serializers.IntegerField()
    points_discount = money_field()
    total = money_field(help_text=_("Subtotal + shipping - coupon - points."))
    refunded_amount = money_field()
    ship_name = serializers.CharField()
    ship_phone = serializers.CharField()
    ship_address = serializers.CharField()
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(help_text=_("Unpaid by then, the order is cancelled."))
    paid_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "Order"


class OrderDetailSerializer(OrderSerializer):
    events = OrderEventSerializer(many=True, source="events.all")

    class Meta:
        ref_name = "OrderDetail"


ORDER_PAGE = page_schema(OrderSerializer, name="OrderPage")


def _detail(request: Request, number: str, *, code: int = status.HTTP_200_OK) -> Response:
    order = services.order_get_for_buyer(actor=request.user, number=number)
    return Response(OrderDetailSerializer(order).data, status=code)


@extend_schema(tags=["mall"])
class OrderListApi(APIView):
    """The buyer's orders newest first; POST places an order from the whole cart."""

    permission_classes = (IsAuthenticated,)

    class InputSerializer(DiscountsSerializer):
        address = serializers.IntegerField(min_value=1)
        expected_total = money_field(
            required=False,
            allow_null=True,
            help_text=_(
                "The total the buyer was shown (GET /mall/checkout/ prices it); if it changed "
                "since, nothing is ordered and the answer says the new total."
            ),
        )

        class Meta:
            ref_name = "OrderCreate"

    @extend_schema(operation_id="mall_orders_list", parameters=[CURSOR], responses=ORDER_PAGE)
    def get(self, request: Request) -> Response:
        page = selectors.orders_of(
            buyer=request.user, cursor=request_cursor(request), size=settings.MALL_PAGE_SIZE
        )
        return page_response(request, page, OrderSerializer, {})

    @extend_schema(request=InputSerializer, responses={201: OrderDetailSerializer})
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors(fields_by_code={"total_changed": "expected_total"}):
            order = services.order_place(
                actor=request.user,
                address_id=data["address"],
                expected_total=data.get("expected_total"),
                **self.InputSerializer.discounts(data),
            )
        return _detail(request, order.number, code=status.HTTP_201_CREATED)


@extend_schema(tags=["mall"])
class OrderDetailApi(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses=OrderDetailSerializer)
    def get(self, request: Request, number: str) -> Response:
        return _detail(request, number)


@extend_schema(tags=["mall"])
class OrderCancelApi(APIView):
    """Cancel an unpaid order; its items go back on sale at once."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(request=None, responses=OrderDetailSerializer)
    def post(self, request: Request, number: str) -> Response:
        with service_errors():
            services.order_cancel(actor=request.user, number=number)
        return _detail(request, number)


@extend_schema(tags=["mall"])
class OrderRefundRequestApi(APIView):
    """Ask for a refund of a paid order, with a reason; staff decide."""

    permission_classes = (IsAuthenticated,)

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=300)

        class Meta:
            ref_name = "RefundRequest"

    @extend_schema(request=InputSerializer, responses=OrderDetailSerializer)
    def post(self, request: Request, number: str) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors(field="reason"):
            services.order_refund_request(
                actor=request.user, number=number, reason=serializer.validated_data["reason"]
            )
        return _detail(request, number)


class PaymentUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The payment service did not answer. Try again in a minute.")


@extend_schema(tags=["mall"])
class OrderPaymentApi(APIView):
    """Where to send the buyer to pay this order: Stripe's checkout page, or, where no payment
    provider is configured, the site's clearly labelled demo payment page."""

    permission_classes = (IsAuthenticated,)

    class OutputSerializer(serializers.Serializer):
        provider = serializers.CharField()
        is_demo = serializers.BooleanField(help_text=_("True: no money moves."))
        url = serializers.URLField()

        class Meta:
            ref_name = "OrderPayment"

    @extend_schema(request=None, responses=OutputSerializer)
    def post(self, request: Request, number: str) -> Response:
        order_url = request.build_absolute_uri(reverse("mall:order", kwargs={"number": number}))
        try:
            with service_errors():
                url = services.order_checkout_start(
                    actor=request.user,
                    number=number,
                    success_url=f"{order_url}?paid=1",
                    cancel_url=order_url,
                )
        except stripe.StripeError as error:
            raise PaymentUnavailable from error
        provider = payment_provider()
        data = {
            "provider": provider.name,
            "is_demo": provider.is_demo,
            "url": request.build_absolute_uri(url),
        }
        return Response(self.OutputSerializer(data).data)
