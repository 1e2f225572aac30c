from django.urls import path

from mall.views import cart, catalogue, coupons, links, orders

app_name = "mall"
urlpatterns = [
    path("mall/", catalogue.mall_home, name="home"),
    path("mall/products/", catalogue.product_list, name="products"),
    path("mall/products/<int:product_id>/", catalogue.product_detail, name="product"),
    path("mall/notes/<int:note_id>/products/", links.note_products, name="note_products"),
    path(
        "mall/notes/<int:note_id>/products/add/",
        links.note_product_attach,
        name="note_product_attach",
    ),
    path(
        "mall/notes/<int:note_id>/products/remove/",
        links.note_product_detach,
        name="note_product_detach",
    ),
    path("mall/cart/", cart.cart, name="cart"),
    path("mall/cart/add/", cart.cart_add, name="cart_add"),
    path("mall/cart/lines/<int:line_id>/", cart.cart_line_update, name="cart_line_update"),
    path("mall/cart/lines/<int:line_id>/remove/", cart.cart_line_remove, name="cart_line_remove"),
    path("mall/checkout/", cart.checkout, name="checkout"),
    path("mall/addresses/", cart.addresses, name="addresses"),
    path("mall/addresses/<int:address_id>/", cart.address_edit, name="address_edit"),
    path("mall/addresses/<int:address_id>/delete/", cart.address_delete, name="address_delete"),
    path("mall/addresses/<int:address_id>/default/", cart.address_default, name="address_default"),
    path("mall/orders/", orders.orders, name="orders"),
    path("mall/orders/<str:number>/", orders.order_detail, name="order"),
    path("mall/orders/<str:number>/pay/", orders.order_pay, name="order_pay"),
    path("mall/orders/<str:number>/pay/demo/", orders.order_pay_demo, name="order_pay_demo"),
    path("mall/orders/<str:number>/cancel/", orders.order_cancel, name="order_cancel"),
    path(
        "mall/orders/<str:number>/received/",
        orders.order_confirm_receipt,
        name="order_confirm_receipt",
    ),
    path(
        "mall/orders/<str:number>/refund/",
        orders.order_refund_request,
        name="order_refund_request",
    ),
    path("mall/brand/sales/", orders.brand_sales, name="brand_sales"),
    path("mall/coupons/", coupons.coupons, name="coupons"),
    path("mall/coupons/<int:coupon_id>/claim/", coupons.coupon_claim, name="coupon_claim"),
    path(
        "mall/orders/<str:number>/lines/<int:line_id>/review/",
        orders.order_review,
        name="order_review",
    ),
    path("mall/stripe/webhook/", orders.stripe_webhook, name="stripe_webhook"),
]
