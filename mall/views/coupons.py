"""The buyer's coupons: their wallet ("my coupons") and the coupons they can claim into it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.forms import PageForm
from core.http import login_required_for_action
from mall import selectors, services
from mall.views.common import error_text, mall_context


@require_safe
@login_required
def coupons(request: HttpRequest) -> HttpResponse:
    """My coupons, newest claimed first, each saying whether it can still be used; then the
    coupons on offer, each with a claim button (or "claimed"). Five queries."""
    paging = PageForm(request.GET)
    page = selectors.coupon_wallet(owner=request.user, **paging.page_args())
    claimed = [claim.coupon for claim in page.items]
    on_offer = selectors.coupons_claimable()
    uses = selectors.coupon_uses_of(owner=request.user, coupon_ids=[c.pk for c in claimed])
    claimed_ids = selectors.coupons_claimed_ids(
        owner=request.user, coupon_ids=[c.pk for c in on_offer]
    )
    now = timezone.now()
    wallet = [
        {
            "coupon": coupon,
            "is_used_up": uses.get(coupon.pk, 0) >= coupon.per_user_uses,
            "is_expired": coupon.ends_at <= now,
            "is_not_yet": coupon.starts_at > now,
        }
        for coupon in claimed
    ]
    context = {
        **mall_context(request),
        "page": page,
        "next_query": paging.next_query(page),
        "wallet": wallet,
        "on_offer": [(coupon, coupon.pk in claimed_ids) for coupon in on_offer],
    }
    return TemplateResponse(request, "mall/coupons.html", context)


@login_required_for_action
@require_POST
def coupon_claim(request: HttpRequest, coupon_id: int) -> HttpResponse:
    try:
        _claim, created = services.coupon_claim(actor=request.user, coupon_id=coupon_id)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("Added to your coupons.") if created else _("Already in your coupons.")
        )
    return redirect("mall:coupons")
