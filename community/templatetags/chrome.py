"""`{% topbar %}` and `{% site_footer %}`: the chrome of every page, rendered once per state.

The top bar, the footer and the phone's tab bar cost a fifth of a page's time (thirty links
reversed, forty translations, three language switches, the reader's avatar and level) and are
the same for every page a reader opens but for the page's path and their CSRF token. So, like
note cards (notes.templatetags.note_cards), each is rendered with placeholders for those two,
kept in each process's "cards" cache keyed by everything it shows (the reader's name, avatar,
level, cart and unread counts, the active tab, the search box's words, the language), and
filled in per request. A change to any of those makes a new key: nothing needs invalidating.
"""

import hashlib
from urllib.parse import quote

from django import template
from django.core.cache import caches
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from notes.templatetags.note_cards import CARD_SECONDS, CSRF_SLOT

register = template.Library()

PATH_SLOT = "\x1fpage-path\x1f"  # no "<", "&" nor quote: comes out of escaping unchanged
PATH_QUOTED_SLOT = quote(PATH_SLOT, safe="/")  # as the urlencode filter writes it
# Bump when topbar.html or site_footer.html (or what they include) shows something new that
# _chrome_key() lacks.
CHROME_VERSION = 1


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
        )
    return "chrome:" + hashlib.md5(repr(shown).encode(), usedforsecurity=False).hexdigest()


def _chrome(context: template.Context, part: str, template_name: str) -> SafeString:
    store = caches["cards"]
    key = _chrome_key(part, context)
    html = store.get(key)
    if html is None:
        with context.push(csrf_token=CSRF_SLOT, page_path=PATH_SLOT):
            html = str(context.template.engine.get_template(template_name).render(context))
        store.set(key, html, CARD_SECONDS)
    request = context.get("request")
    path = request.get_full_path() if request is not None else ""
    html = html.replace(PATH_QUOTED_SLOT, quote(path, safe="/")).replace(PATH_SLOT, escape(path))
    html = html.replace(CSRF_SLOT, str(context.get("csrf_token", "")))
    return mark_safe(html)  # noqa: S308 (rendered by the chrome templates, slots escaped)


@register.simple_tag(takes_context=True)
def topbar(context: template.Context) -> SafeString:
    return _chrome(context, "topbar", "partials/topbar.html")


@register.simple_tag(takes_context=True)
def site_footer(context: template.Context) -> SafeString:
    return _chrome(context, "footer", "partials/site_footer.html")
