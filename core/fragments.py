"""Kept fragments: a piece of a page rendered once per state, then served from memory.

Note cards, comments and the chrome of every page are the same for every reader but for a few
strings (their CSRF token, the page's path). Each is rendered with placeholders ("slots") for
those, kept in the process's "cards" cache under a key that hashes everything it shows, and
filled in per request with string replacements. A change to anything shown makes a new key, so
nothing needs invalidating and no process needs telling; entries not read for a day go.

A slot is a control character (\\x1f) around a name: escaping leaves it as it is, and escaped
user text never holds one, so a replacement can only hit a slot.
"""

import hashlib
from collections.abc import Callable

from django import template
from django.core.cache import caches

FRAGMENT_SECONDS = 24 * 60 * 60
CSRF_SLOT = "\x1fcsrf\x1f"


def store():
    """The process's cache of kept fragments (settings.CACHES["cards"], in memory)."""
    return caches["cards"]


def fragment_key(kind: str, shown: tuple) -> str:
    """The key of a fragment of `kind` showing `shown` (everything that changes its HTML)."""
    return f"{kind}:" + hashlib.md5(repr(shown).encode(), usedforsecurity=False).hexdigest()


def fragment_render(
    context: template.Context,
    template_name: str,
    *,
    key: str,
    finish: Callable[[str], str] | None = None,
    **slots: str,
) -> str:
    """The fragment kept under `key`, else `template_name` rendered with `slots` pushed on the
    context (e.g. csrf_token=CSRF_SLOT), passed through `finish` if given, and kept. The
    caller fills the slots in."""
    kept = store().get(key)
    if kept is None:
        with context.push(**slots):
            kept = str(context.template.engine.get_template(template_name).render(context))
        if finish is not None:
            kept = finish(kept)
        store().set(key, kept, FRAGMENT_SECONDS)
    return kept


def csrf_filled(context: template.Context, html: str) -> str:
    """`html` with CSRF_SLOT replaced by this request's token."""
    if CSRF_SLOT not in html:
        return html
    return html.replace(CSRF_SLOT, str(context.get("csrf_token", "")))
