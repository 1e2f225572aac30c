"""The buyer's orders, paying for them, and Stripe's webhook."""

import json
import logging

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from core.forms import PageForm
from core.http import login_required_for_action
from mall import selectors, services
from mall.forms import RefundRequestForm
from mall.payments import payment_provider, stripe_is_configured
from mall.views.common import error_text, mall_context
from notes.forms import NoteForm

logger = logging.getLogger(__name__)
BRAND_SALES_DAYS = 30


@require_safe
@login_required
def orders(request: HttpRequest) -> HttpResponse:
    paging = PageForm(request.GET)
    page = selectors.orders_of(buyer=request.user, **paging.page_args())
    context = {**mall_context(request), "page": page, "next_query": paging.next_query(page)}
    return TemplateResponse(request, "mall/orders.html", context)


@require_safe
@login_required
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = services.order_get_for_buyer(actor=request.user, number=number)
    context = {
        **mall_context(request),
        "order": order,
        "lines": list(order.lines.all()),
        "events": list(order.events.all()),
        "refund_form": RefundRequestForm(),
        "is_demo_payment": payment_provider().is_demo,
    }
    return TemplateResponse(request, "mall/order_detail.html", context)


def start_payment(request: HttpRequest, number: str) -> HttpResponse:
    """Off to the provider's checkout (Stripe's page, or the demo's); back to the order page
    with the reason when that cannot start."""
    order_url = request.build_absolute_uri(reverse("mall:order", kwargs={"number": number}))
    try:
        url = services.order_checkout_start(
            actor=request.user,
            number=number,
            success_url=f"{order_url}?paid=1",
            cancel_url=order_url,
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("mall:order", number=number)
    except stripe.StripeError:
        logger.exception("Stripe checkout failed for order %s", number)
        messages.error(request, _("The payment service did not answer. Try again in a minute."))
        return redirect("mall:order", number=number)
    return redirect(url)


@login_required_for_action
@require_POST
def order_pay(request: HttpRequest, number: str) -> HttpResponse:
    return start_payment(request, number)


@login_required
def order_pay_demo(request: HttpRequest, number: str) -> HttpResponse:
    """The demo provider's payment page: no money moves, and it says so."""
    if not payment_provider().is_demo:
        raise Http404
    order = services.order_get_for_buyer(actor=request.user, number=number)
    if request.method == "POST":
        try:
            services.order_pay_with_demo(actor=request.user, number=number)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Paid. Thank you for your order!"))
        return redirect("mall:order", number=number)
    return TemplateResponse(
        request, "mall/pay_demo.html", {**mall_context(request), "order": order}
    )


def _buyer_action(verb, success: str):
    @login_required_for_action
    @require_POST
    def view(request: HttpRequest, number: str) -> HttpResponse:
        try:
            verb(actor=request.user, number=number)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, success)
        return redirect("mall:order", number=number)

    view.__name__ = verb.__name__
    return view


order_cancel = _buyer_action(services.order_cancel, _("Order cancelled."))
order_confirm_receipt = _buyer_action(services.order_confirm_receipt, _("Thanks! Order completed."))


@login_required_for_action
@require_POST
def order_refund_request(request: HttpRequest, number: str) -> HttpResponse:
    services.order_get_for_buyer(actor=request.user, number=number)
    form = RefundRequestForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        services.order_refund_request(
            actor=request.user, number=number, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Refund requested. We will look at it soon."))
    return redirect("mall:order", number=number)


@login_required
def order_review(request: HttpRequest, number: str, line_id: int) -> HttpResponse:
    """Review a delivered order line as a note ("bought on Hongshu"); back to the order with
    the reason when it cannot be reviewed (not delivered yet, already reviewed)."""
    try:
        line = services.review_line_get(actor=request.user, number=number, line_id=line_id)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("mall:order", number=number)
    form = NoteForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            note = services.review_publish(
                actor=request.user, number=number, line_id=line.pk, content=form.content()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thanks! Your review is published."))
            return redirect(note)
    context = {**mall_context(request), "line": line, "form": form}
    return TemplateResponse(request, "mall/review_form.html", context)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's events: verified by their signature, then processed once per event id."""
    if not stripe_is_configured():
        raise Http404
    payload = request.body
    try:
        stripe.Webhook.construct_event(
            payload, request.headers.get("Stripe-Signature", ""), settings.STRIPE_WEBHOOK_SECRET
        )
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponseBadRequest("invalid signature")
    outcome = services.stripe_event_process(event=json.loads(payload))
    return HttpResponse(outcome, content_type="text/plain")


@require_safe
@login_required
def brand_sales(request: HttpRequest) -> HttpResponse:
    """A brand account's sales of its products by note over the last 30 days (linked from its
    account menu). A brand account whose store the staff have not set up yet is told so; any
    other account gets a 404 (there is nothing of theirs to show)."""
    brand = selectors.brand_of(account=request.user)
    if brand is None and not request.user.is_brand:
        raise Http404
    if brand is None:
        return TemplateResponse(request, "mall/brand_sales.html", mall_context(request))
    context = {
        **mall_context(request),
        "brand": brand,
        "rows": selectors.brand_note_sales(brand=brand, days=BRAND_SALES_DAYS),
        "days": BRAND_SALES_DAYS,
    }
    return TemplateResponse(request, "mall/brand_sales.html", context)
