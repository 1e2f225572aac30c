"""The mall in templates: prices, and the products on a note page.

The note page loads this library and calls `note_products`, so notes never import the mall.
"""

from datetime import datetime
from decimal import Decimal

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from mall import selectors
from mall.money import format_money
from notes.models import Note
from notes.views import JUST_PUBLISHED

register = template.Library()


@register.filter
def yuan(amount: Decimal | None) -> str:
    """{{ product.price|yuan }} → ¥1,299.00"""
    return format_money(amount)


def days_and_clock() -> str:
    """How a countdown past a day reads in the active language ("2d 01:02:03", "2天 01:02:03");
    js/countdown.js fills in the same pattern."""
    return gettext("%(days)sd %(clock)s")


def time_left(until: datetime, now: datetime | None = None) -> str:
    """01:02:03, or 2d 01:02:03 past a day: what a countdown shows, never negative."""
    seconds = max(0, int((until - (now or timezone.now())).total_seconds()))
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    clock = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return days_and_clock() % {"days": days, "clock": clock} if days else clock


@register.simple_tag
def countdown(until: datetime) -> SafeString:
    """The time left until `until`, as the server saw it; js/countdown.js ticks it on."""
    return format_html(
        '<time class="countdown" datetime="{}" data-countdown data-days="{}">{}</time>',
        until.isoformat(),
        days_and_clock(),
        time_left(until),
    )


@register.inclusion_tag("mall/partials/note_products.html", takes_context=True)
def note_products(context: template.Context, note: Note) -> dict:
    """The products a note links, as cards; its author also gets the way to change them and
    what the note sold. Costs nothing when the note links nothing and the reader is not its
    author: the note's own `products_count` says so. Right after publishing, the author is
    offered the link sheet first thing."""
    request = context.get("request")
    reader = getattr(request, "user", None)
    is_author = bool(reader and reader.is_authenticated and reader.pk == note.author_id)
    links = selectors.note_product_links(note=note) if note.products_count else []
    just_published = bool(
        is_author and note.is_published and not links and request.GET.get(JUST_PUBLISHED) == "1"
    )
    return {
        "note": note,
        "links": links,
        "is_author": is_author,
        "just_published": just_published,
        "units_sold": selectors.note_units_sold(note=note) if is_author and links else 0,
        "products_max": settings.MALL_NOTE_PRODUCTS_MAX,
    }
