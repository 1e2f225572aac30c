"""`{% note_cards notes %}`: a list of note cards, each rendered once and then served from memory.

A page of twenty cards rendered from partials/note_card.html costs more than the rest of the
page together (includes, a like form, URL reversing, translations, per card). Yet a card is the
same for every reader but for a few strings: whether they liked it, whether they may say "not
interested", the page to come back to and their CSRF token. So a card is rendered once per
state (liked or not, signed in or not, with or without "not interested", language, distance)
with placeholders for the page and the token, kept in each process's "cards" cache keyed by
everything it shows, and filled in with two string replacements. An edit, a new like or a new
level makes a new key, so nothing needs invalidating and no process needs telling (the
mechanics shared with comments and the page chrome: core.fragments).
"""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.fragments import CSRF_SLOT, FRAGMENT_SECONDS, csrf_filled, fragment_key, store
from notes.models import Note

register = template.Library()

CARD_TEMPLATE = "partials/note_card.html"
BACK_SLOT = "\x1fcard-back\x1f"  # a slot (core.fragments), like CSRF_SLOT
# Bump when note_card.html (or what it includes) shows something new that card_key() lacks.
CARD_VERSION = 2


def card_key(
    note: Note, *, liked: bool, signed_in: bool, not_interested: bool, language: str
) -> str:
    """Everything a card shows, hashed: keep in step with partials/note_card.html."""
    cover = note.cover_images[0] if getattr(note, "cover_images", None) else None
    video = note.attached_video
    author = note.author
    distance = getattr(note, "distance_km", None)
    shown = (
        CARD_VERSION,
        note.pk,
        note.title,
        note.status,
        note.likes_count,
        note.products_count,
        getattr(note, "is_verified_review", False),
        note.media_status,
        cover.pk if cover is not None else None,
        cover.image.name if cover is not None else None,
        cover.variants if cover is not None else None,  # rebuilt after a change of sizes
        note.attached_video_id,
        video.poster.name if video is not None and video.poster else None,
        author.pk,
        author.username,
        author.name,
        author.avatar.name if author.avatar else "",
        author.red_potato_level,
        None if distance is None else ("<0.1" if distance < 0.1 else floatformat(distance, 1)),
        liked,
        signed_in,
        not_interested,
        language,
    )
    return fragment_key("note-card", shown)


def _back(context: template.Context) -> str:
    """The page a card's forms come back to (what the card templates computed themselves)."""
    request = context.get("request")
    htmx = getattr(request, "htmx", None)
    back = (htmx.current_url_abs_path if htmx else None) or (
        request.get_full_path() if request is not None else ""
    )
    return escape(back)


@register.simple_tag(takes_context=True)
def note_cards(context: template.Context, notes: list[Note]) -> SafeString:
    """The cards of `notes`, in order. Reads liked_ids and offers_not_interested from the page.

    One look-up in the cache for the whole list; a card missing there is rendered (with the
    placeholders) and stored.
    """
    notes = list(notes)
    if not notes:
        return mark_safe("")  # noqa: S308 (nothing to mark)
    liked_ids = context.get("liked_ids") or ()
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    not_interested = bool(context.get("offers_not_interested"))
    language = get_language() or ""
    keys = [
        card_key(
            note,
            liked=note.pk in liked_ids,
            signed_in=signed_in,
            not_interested=not_interested,
            language=language,
        )
        for note in notes
    ]
    found = store().get_many(keys)
    missing = {}
    parts = []
    card_template = None
    for note, key in zip(notes, keys, strict=True):
        html = found.get(key)
        if html is None:
            if card_template is None:
                card_template = context.template.engine.get_template(CARD_TEMPLATE)
            with context.push(note=note, csrf_token=CSRF_SLOT, card_back=BACK_SLOT):
                html = str(card_template.render(context))
            missing[key] = html
        parts.append(html)
    if missing:
        store().set_many(missing, FRAGMENT_SECONDS)
    html = csrf_filled(context, "".join(parts))
    if BACK_SLOT in html:
        html = html.replace(BACK_SLOT, _back(context))
    return mark_safe(html)  # noqa: S308 (rendered by the card template, slots escaped)
