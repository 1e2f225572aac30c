"""`{% hot_panels hot %}`: the hot list's topics and notes, rendered once per list and language.

The two panels are the same for every reader (fifty places, each with its arrow, a link and
three or four translations): rendered, they were most of the page's time. They are kept
rendered (core.fragments) under a key made of everything they show, so a new refresh of the
list, an edited title or another language makes a new key and nothing needs invalidating.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from community.selectors import HotList
from core.fragments import fragment_key, fragment_render

register = template.Library()

PANELS_TEMPLATE = "community/partials/hot_panels.html"
# Bump when hot_panels.html (or what it includes) shows something new that hot_panels_key lacks.
PANELS_VERSION = 1


def hot_panels_key(hot: HotList) -> str:
    """Everything the panels show, hashed: keep in step with community/partials/hot_panels.html."""
    shown = [PANELS_VERSION, get_language() or ""]
    for entry in hot.topics:
        shown.append(
            (entry.rank, entry.is_pinned, entry.movement, entry.previous_rank, entry.tag.slug)
            + (entry.tag.name,)
        )
    shown.append("notes")
    for entry in hot.notes:
        shown.append(
            (entry.rank, entry.is_pinned, entry.movement, entry.previous_rank, entry.note_id)
            + (entry.note.title, entry.note.author.name)
        )
    return fragment_key("hot-panels", tuple(shown))


@register.simple_tag(takes_context=True)
def hot_panels(context: template.Context, hot: HotList) -> SafeString:
    html = fragment_render(context, PANELS_TEMPLATE, key=hot_panels_key(hot))
    return mark_safe(html)  # noqa: S308 (rendered by hot_panels.html, which escapes)
