"""The cart, the address book and checkout. Signed-in buyers only."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.http import login_required_for_action, safe_next
from mall import selectors, services
from mall.forms import AddressForm, CartAddForm, CartLineForm, CheckoutForm, discounts_key
from mall.money import format_money
from mall.views.common import error_text, mall_context
from mall.views.orders import start_payment


@require_safe
@login_required
def cart(request: HttpRequest) -> HttpResponse:
    review = selectors.cart_review(owner=request.user)
    context = {**mall_context(request), "review": review, "cart_count": review.count}
    return TemplateResponse(request, "mall/cart.html", context)


@login_required_for_action
@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    """Add to the cart and go back to the product; "buy now" goes on to checkout."""
    form = CartAddForm(request.POST)
    back = safe_next(request, reverse("mall:home"))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    try:
        services.cart_add(
            actor=request.user,
            sku_id=form.cleaned_data["sku"],
            quantity=form.cleaned_data["quantity"],
            source_note_id=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(back)
    if form.cleaned_data["buy_now"]:
        return redirect("mall:checkout")
    messages.success(request, _("Added to your cart."))
    return redirect(back)


@login_required_for_action
@require_POST
def cart_line_update(request: HttpRequest, line_id: int) -> HttpResponse:
    services.cart_line_get_for_owner(actor=request.user, line_id=line_id)
    form = CartLineForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["quantity"])
        services.cart_line_update(
            actor=request.user, line_id=line_id, quantity=form.cleaned_data["quantity"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("mall:cart")


@login_required_for_action
@require_POST
def cart_line_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    services.cart_line_remove(actor=request.user, line_id=line_id)
    messages.success(request, _("Removed from your cart."))
    return redirect("mall:cart")


@login_required
def checkout(request: HttpRequest) -> HttpResponse:
    """The lines at today's prices, the address, a coupon, points, shipping and the total.

    "Apply" prices the coupon and points the buyer chose (the page works without JS); placing
    the order sends the buyer straight on to pay. The total shown is the one the order checks.
    """
    form = CheckoutForm(request.POST or None)
    discounts = form.discounts() if form.is_bound else {}
    applying = request.POST.get("action") == "apply"
    # Discounts changed with "Place order": priced first, for the buyer to see and confirm.
    unpriced = request.method == "POST" and not applying and form.discounts_changed()
    applying = applying or unpriced
    if request.method == "POST" and not applying and form.is_valid():
        try:
            order = services.order_place(
                actor=request.user,
                address_id=form.cleaned_data["address"],
                expected_total=form.cleaned_data["expected_total"],
                **discounts,
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            return start_payment(request, order.number)
    elif request.method == "POST" and not applying:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    quote = selectors.checkout_quote(owner=request.user, **discounts)
    review = quote.review
    if unpriced and not quote.problems:
        messages.info(
            request,
            _("Your discounts are applied: the total is now %(total)s. Place the order when ready.")
            % {"total": format_money(quote.total)},
        )
    if not review.lines:
        messages.info(request, _("Your cart is empty."))
        return redirect("mall:cart")
    addresses = selectors.addresses_of(owner=request.user)
    chosen = form.data.get("address") if form.is_bound else None
    context = {
        **mall_context(request),
        "cart_count": review.count,
        "review": review,
        "quote": quote,
        "discounts": discounts,
        "quoted": discounts_key(
            coupon_code=discounts.get("coupon_code", ""),
            coupon_id=discounts.get("coupon_id"),
            points=quote.points,
        ),
        "coupons": selectors.coupons_usable(owner=request.user),
        "points_per_yuan": settings.MALL_POINTS_PER_YUAN,
        "addresses": addresses,
        "chosen_address": chosen or (addresses[0].pk if addresses else None),
        "address_form": AddressForm(),
    }
    return TemplateResponse(request, "mall/checkout.html", context)


# --- Addresses.


@login_required
def addresses(request: HttpRequest) -> HttpResponse:
    """The address book, and a new address (from checkout: back to checkout)."""
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.address_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Address saved."))
            return redirect(safe_next(request, reverse("mall:addresses")))
    context = {
        **mall_context(request),
        "addresses": selectors.addresses_of(owner=request.user),
        "form": form,
        "next": safe_next(request, ""),
    }
    return TemplateResponse(request, "mall/addresses.html", context)


@login_required
def address_edit(request: HttpRequest, address_id: int) -> HttpResponse:
    address = services.address_get_for_owner(actor=request.user, address_id=address_id)
    form = AddressForm(request.POST or None, instance=address)
    if request.method == "POST" and form.is_valid():
        try:
            services.address_update(actor=request.user, address_id=address.pk, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Address saved."))
            return redirect("mall:addresses")
    context = {**mall_context(request), "form": form, "address": address}
    return TemplateResponse(request, "mall/address_form.html", context)


@login_required_for_action
@require_POST
def address_delete(request: HttpRequest, address_id: int) -> HttpResponse:
    services.address_delete(actor=request.user, address_id=address_id)
    messages.success(request, _("Address deleted."))
    return redirect("mall:addresses")


@login_required_for_action
@require_POST
def address_default(request: HttpRequest, address_id: int) -> HttpResponse:
    services.address_set_default(actor=request.user, address_id=address_id)
    messages.success(request, _("Default address changed."))
    return redirect("mall:addresses")
