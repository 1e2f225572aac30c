"""`{% topbar %}` and `{% site_footer %}`: the chrome of every page, rendered once per state.

The top bar, the footer and the phone's tab bar cost a fifth of a page's time (thirty links
reversed, forty translations, three language switches, the reader's avatar and level) and are
the same for every page a reader opens but for the page's path and their CSRF token. So, like
note cards, each is kept rendered (core.fragments) with slots for those two, keyed by
everything it shows (the reader's name, avatar, level, cart and unread counts, the active tab,
the search box's words, the language), and filled in per request.
"""

from urllib.parse import quote

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.fragments import CSRF_SLOT, csrf_filled, fragment_key, fragment_render

register = template.Library()

PATH_SLOT = "\x1fpage-path\x1f"  # a slot (core.fragments)
PATH_QUOTED_SLOT = quote(PATH_SLOT, safe="/")  # as the urlencode filter writes it
# Bump when topbar.html or site_footer.html (or what they include) shows something new that
# _chrome_key() lacks.
CHROME_VERSION = 2


def _chrome_key(part: str, context: template.Context) -> str:
    """Everything the chrome shows, hashed: keep in step with its two templates."""
    user = context.get("user")
    found = context.get("found")
    shown: tuple = (
        CHROME_VERSION,
        part,
        get_language() or "",
        context.get("nav") or "",
        getattr(found, "text", None) or "",
    )
    if user is not None and user.is_authenticated:
        shown += (
            user.pk,
            user.username,
            user.name,
            user.avatar.name if user.avatar else "",
            repr(user.avatar_variants),
            user.red_potato_level,
            user.cart_units,
            user.unread_notifications,
            user.kind,
        )
    return fragment_key("chrome", shown)


def _chrome(context: template.Context, part: str, template_name: str) -> SafeString:
    html = fragment_render(
        context,
        template_name,
        key=_chrome_key(part, context),
        csrf_token=CSRF_SLOT,
        page_path=PATH_SLOT,
    )
    request = context.get("request")
    path = request.get_full_path() if request is not None else ""
    html = html.replace(PATH_QUOTED_SLOT, quote(path, safe="/")).replace(PATH_SLOT, escape(path))
    html = csrf_filled(context, html)
    return mark_safe(html)  # noqa: S308 (rendered by the chrome templates, slots escaped)


@register.simple_tag(takes_context=True)
def topbar(context: template.Context) -> SafeString:
    return _chrome(context, "topbar", "partials/topbar.html")


@register.simple_tag(takes_context=True)
def site_footer(context: template.Context) -> SafeString:
    return _chrome(context, "footer", "partials/site_footer.html")
