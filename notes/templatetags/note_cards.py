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

from dataclasses import fields

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.fragments import CSRF_SLOT, FRAGMENT_SECONDS, csrf_filled, fragment_key, store
from notes.models import Note
from notes.selectors import CardRow, note_cards_in_order

register = template.Library()

CARD_TEMPLATE = "partials/note_card.html"
BACK_SLOT = "\x1fcard-back\x1f"  # a slot (core.fragments), like CSRF_SLOT
# Bump when note_card.html (or what it includes) shows something new that card_key() lacks.
CARD_VERSION = 3
# A row's values as its card shows them; the distance is shown rounded (below), and whether
# the reader liked the note comes from the page (liked_ids), as for notes.
_ROW_SHOWN = tuple(f.name for f in fields(CardRow) if f.name not in {"distance_km", "liked"})


def card_key(
    row: CardRow, *, liked: bool, signed_in: bool, not_interested: bool, language: str
) -> str:
    """Everything a card shows, hashed: the row (keep it in step with partials/note_card.html)
    and the reader's side of it."""
    distance = row.distance_km
    shown = (
        CARD_VERSION,
        tuple(getattr(row, name) for name in _ROW_SHOWN),
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
def note_cards(context: template.Context, notes: list[Note] | list[CardRow]) -> SafeString:
    """The cards of `notes`, in order. Reads liked_ids and offers_not_interested from the page.

    `notes` are notes read with note_cards(), or card rows (note_card_rows): then the notes
    of the cards not kept yet are read here, in two queries for all of them, and none when
    every card is kept.

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
    rows = [note if isinstance(note, CardRow) else CardRow.of(note) for note in notes]
    keys = [
        card_key(
            row,
            liked=row.pk in liked_ids,
            signed_in=signed_in,
            not_interested=not_interested,
            language=language,
        )
        for row in rows
    ]
    found = store().get_many(keys)
    to_render = _notes_to_render(notes, keys, found)
    missing = {}
    parts = []
    card_template = None
    for row, key in zip(rows, keys, strict=True):
        html = found.get(key)
        if html is None:
            note = to_render.get(row.pk)
            if note is None:
                continue  # gone between the rows and the notes
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


def _notes_to_render(
    notes: list[Note] | list[CardRow], keys: list[str], found: dict[str, str]
) -> dict[int, Note]:
    """The notes of the cards not kept, by id: as given, or read for rows (with the distance a
    row carries from its list, as a note of that list would)."""
    wanted = [note for note, key in zip(notes, keys, strict=True) if key not in found]
    rows = {note.pk: note for note in wanted if isinstance(note, CardRow)}
    by_pk = {note.pk: note for note in wanted if not isinstance(note, CardRow)}
    for note in note_cards_in_order(list(rows)) if rows else ():
        note.distance_km = rows[note.pk].distance_km
        by_pk[note.pk] = note
    return by_pk
