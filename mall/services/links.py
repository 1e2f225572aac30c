"""Products on notes: which products a creator links from their own note, and the taps on them.

The links are the mall's rows; the note's `products_count` (its card's chip) is kept equal to
them through notes.services in the same transaction.
"""

from collections.abc import Sequence
from functools import lru_cache

import redis
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.locks import lock_row
from mall.models import NoteProduct, Product
from notes import services as note_services
from notes.models import Note
from users.models import User

CLICKS_KEY = "mall:note-product-clicks"


@transaction.atomic
def note_products_set(*, actor: User, note_id: int, product_ids: Sequence[int]) -> list[int]:
    """Make the note link exactly `product_ids`, in that order; returns them.

    Only the note's author (404/403 as notes decide), at most MALL_NOTE_PRODUCTS_MAX, and only
    products on sale may be added; a linked product archived since stays until removed. Holds
    the note's row lock, so two changes at once cannot exceed the limit.
    """
    note = note_services.note_get_for_editing(actor=actor, note_id=note_id)
    lock_row(Note.objects.all(), pk=note.pk)
    wanted = list(dict.fromkeys(product_ids))
    limit = settings.MALL_NOTE_PRODUCTS_MAX
    if len(wanted) > limit:
        raise ValidationError(
            ngettext(
                "A note can link at most %(max)d product.",
                "A note can link at most %(max)d products.",
                limit,
            )
            % {"max": limit},
            code="too_many_products",
        )
    current = {link.product_id: link for link in NoteProduct.objects.filter(note=note)}
    added = [product_id for product_id in wanted if product_id not in current]
    on_sale = set(
        Product.objects.filter(pk__in=added, status=Product.Status.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    if len(on_sale) != len(added):
        raise ValidationError(
            _("Only products on sale in the mall can be linked."), code="not_on_sale"
        )
    NoteProduct.objects.filter(note=note).exclude(product_id__in=wanted).delete()
    for position, product_id in enumerate(wanted):
        link = current.get(product_id)
        if link is None:
            NoteProduct.objects.create(note=note, product_id=product_id, position=position)
        elif link.position != position:
            NoteProduct.objects.filter(pk=link.pk).update(position=position)
    note_services.note_products_count_set(note_id=note.pk, count=len(wanted))
    return wanted


def note_product_ids(*, note_id: int) -> list[int]:
    return list(
        NoteProduct.objects.filter(note_id=note_id)
        .order_by("position", "id")
        .values_list("product_id", flat=True)
    )


def note_product_attach(*, actor: User, note_id: int, product_id: int) -> list[int]:
    """Add one product after the others (already linked: nothing changes)."""
    return note_products_set(
        actor=actor, note_id=note_id, product_ids=[*note_product_ids(note_id=note_id), product_id]
    )


def note_product_detach(*, actor: User, note_id: int, product_id: int) -> list[int]:
    kept = [pk for pk in note_product_ids(note_id=note_id) if pk != product_id]
    return note_products_set(actor=actor, note_id=note_id, product_ids=kept)


@lru_cache(maxsize=1)
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def note_product_click_record(*, note_id: int, product_id: int) -> None:
    """Count a tap from a note's product card. With Redis the tap is added to a hash that
    `note_product_clicks_flush` writes in batches; embedded (no Redis) it is written at once.
    A pair that is not linked is dropped when written."""
    if settings.REDIS_URL:
        _redis(settings.REDIS_URL).hincrby(CLICKS_KEY, f"{note_id}:{product_id}", 1)
        return
    NoteProduct.objects.filter(note_id=note_id, product_id=product_id).update(
        clicks=F("clicks") + 1
    )


def note_product_clicks_flush() -> int:
    """Write the taps counted in Redis since the last flush; returns how many links changed.

    The hash is renamed first, so taps counted meanwhile go to a new one and none is written
    twice; a hash left by a flush that died is written by the next.
    """
    if not settings.REDIS_URL:
        return 0
    client = _redis(settings.REDIS_URL)
    flushing = f"{CLICKS_KEY}:flushing"
    if not client.exists(flushing):
        try:
            client.rename(CLICKS_KEY, flushing)
        except redis.ResponseError:  # nothing counted since the last flush
            return 0
    changed = 0
    with transaction.atomic():
        for pair, count in client.hgetall(flushing).items():
            note_id, _colon, product_id = pair.decode().partition(":")
            changed += NoteProduct.objects.filter(note_id=note_id, product_id=product_id).update(
                clicks=F("clicks") + int(count)
            )
    client.delete(flushing)
    return changed
