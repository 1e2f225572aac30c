"""/api/v1/mall/: categories, brands, products, products on notes, promotions, coupons, cart,
checkout, addresses and orders."""

from django.urls import path

from mall.api.cart import (
    AddressDetailApi,
    AddressListApi,
    CartApi,
    CartLineApi,
    CartLinesApi,
    CheckoutApi,
)
from mall.api.catalogue import (
    BrandListApi,
    CategoryListApi,
    ProductDetailApi,
    ProductListApi,
    ProductNotesApi,
)
from mall.api.coupons import CouponClaimApi, CouponWalletApi
from mall.api.links import NoteProductsApi
from mall.api.orders import (
    OrderCancelApi,
    OrderDetailApi,
    OrderListApi,
    OrderPaymentApi,
    OrderRefundRequestApi,
)
from mall.api.promotions import CouponsOnOfferApi, PromotionsApi

app_name = "mall_api"
urlpatterns = [
    path("mall/categories/", CategoryListApi.as_view(), name="categories"),
    path("mall/brands/", BrandListApi.as_view(), name="brands"),
    path("mall/products/", ProductListApi.as_view(), name="products"),
    path("mall/products/<int:product_id>/", ProductDetailApi.as_view(), name="product"),
    path("mall/products/<int:product_id>/notes/", ProductNotesApi.as_view(), name="product_notes"),
    path("mall/notes/<int:note_id>/products/", NoteProductsApi.as_view(), name="note_products"),
    path("mall/promotions/", PromotionsApi.as_view(), name="promotions"),
    path("mall/cart/", CartApi.as_view(), name="cart"),
    path("mall/cart/lines/", CartLinesApi.as_view(), name="cart_lines"),
    path("mall/cart/lines/<int:line_id>/", CartLineApi.as_view(), name="cart_line"),
    path("mall/checkout/", CheckoutApi.as_view(), name="checkout"),
    path("mall/addresses/", AddressListApi.as_view(), name="addresses"),
    path("mall/addresses/<int:address_id>/", AddressDetailApi.as_view(), name="address"),
    path("mall/coupons/", CouponWalletApi.as_view(), name="coupons"),
    path("mall/coupons/on-offer/", CouponsOnOfferApi.as_view(), name="coupons_on_offer"),
    path("mall/coupons/<int:coupon_id>/claim/", CouponClaimApi.as_view(), name="coupon_claim"),
    path("mall/orders/", OrderListApi.as_view(), name="orders"),
    path("mall/orders/<str:number>/", OrderDetailApi.as_view(), name="order"),
    path("mall/orders/<str:number>/cancel/", OrderCancelApi.as_view(), name="order_cancel"),
    path(
        "mall/orders/<str:number>/refund-request/",
        OrderRefundRequestApi.as_view(),
        name="order_refund_request",
    ),
    path("mall/orders/<str:number>/payment/", OrderPaymentApi.as_view(), name="order_payment"),
]
