"""How notes do with readers, for the people behind them: a creator's own notes (the creator
centre), and a brand account's paid partnerships, the notes that disclose it as their sponsor
(the data brands need to choose creators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.forms import PageForm
from notes import selectors, services
from notes.scoring import RATE_SHOWN_MIN
from users.models import User


def _brand(request: HttpRequest) -> User:
    """The signed-in brand account; 404 for any other (there is nothing of theirs here)."""
    if not request.user.is_brand:
        raise Http404
    return request.user


@require_safe
@login_required
def creator_centre(request: HttpRequest) -> HttpResponse:
    """The signed-in account's published notes, added up, the last days' readers, and each
    note with its numbers."""
    paging = PageForm(request.GET)
    page = selectors.creator_notes(author=request.user, **paging.page_args())
    shown_by_day = selectors.creator_shown_by_day(author=request.user, today=timezone.localdate())
    context = {
        "page": page,
        "next_query": paging.next_query(page),
        "totals": selectors.creator_totals(author=request.user),
        "shown_by_day": shown_by_day,
        "most_in_a_day": max((shown for _day, shown in shown_by_day), default=0),
        "is_later_page": bool(paging.page_args()["cursor"]),
        "rate_shown_min": RATE_SHOWN_MIN,
    }
    return TemplateResponse(request, "notes/creator_centre.html", context)


@require_safe
@login_required
def partnerships(request: HttpRequest) -> HttpResponse:
    brand = _brand(request)
    paging = PageForm(request.GET)
    page = selectors.brand_partnerships(brand=brand, **paging.page_args())
    context = {
        "page": page,
        "next_query": paging.next_query(page),
        "totals": selectors.brand_partnership_totals(brand=brand),
        "creators": selectors.brand_partner_creators(brand=brand),
        "is_later_page": bool(paging.page_args()["cursor"]),
        "rate_shown_min": RATE_SHOWN_MIN,
    }
    return TemplateResponse(request, "notes/partnerships.html", context)


@require_POST
@login_required
def partnership_decline(request: HttpRequest, note_id: int) -> HttpResponse:
    note = services.note_sponsor_decline(actor=_brand(request), note_id=note_id)
    messages.success(
        request, _("“%(title)s” no longer names you as its sponsor.") % {"title": note.title}
    )
    return redirect("notes:partnerships")
