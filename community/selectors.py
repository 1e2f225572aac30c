"""The three home feeds. Each costs a fixed number of queries per page, whatever its size."""

import math

from django.db.models import ExpressionWrapper, F, FloatField, QuerySet
from django.db.models.functions import Floor, Sqrt

from core.pagination import Page, keyset_page
from notes.models import Note
from notes.selectors import NEWEST_FIRST, note_cards, notes_published
from users.models import Follow, User

KM_PER_DEGREE = 111.32
NEARBY_RING_KM = 2  # "nearest and best first": within each 2 km ring, the best notes lead


def feed_discover(*, actor: User | None, cursor: str | None, size: int) -> Page:
    """Recommended notes. For now: community engagement score, then recency.

    The recommendation engine (interest tags, traffic pools) replaces this one selector.
    """
    queryset = notes_published()
    if actor is not None and actor.is_authenticated:
        queryset = queryset.exclude(author=actor)
    return keyset_page(
        note_cards(queryset),
        keys=("-ces", "-id"),
        cursor=cursor,
        size=size,
        list_name="feed.discover",
    )


def feed_follow(*, actor: User, cursor: str | None, size: int) -> Page:
    """Notes of the accounts the reader follows, newest first (fan-out on read).

    The followed accounts are read first and given to the notes query as a list of ids: joined
    to the follows instead, PostgreSQL guesses every account writes a few notes, and sorts all
    the notes of prolific ones; with the ids it knows better and walks the newest-first index.
    """
    followed = list(Follow.objects.filter(follower=actor).values_list("followee_id", flat=True))
    queryset = notes_published().filter(author_id__in=followed)
    return keyset_page(
        note_cards(queryset), keys=NEWEST_FIRST, cursor=cursor, size=size, list_name="feed.follow"
    )


def _distance_km(latitude: float, longitude: float) -> ExpressionWrapper:
    """Equirectangular distance: exact enough within 100 km, and plain arithmetic in SQL."""
    x = (F("longitude") - longitude) * math.cos(math.radians(latitude))
    y = F("latitude") - latitude
    return ExpressionWrapper(Sqrt(x * x + y * y) * KM_PER_DEGREE, output_field=FloatField())


def notes_near(*, latitude: float, longitude: float, radius_km: float) -> QuerySet[Note]:
    """Published notes with a place within `radius_km`, annotated with `distance_km`."""
    degrees_lat = radius_km / KM_PER_DEGREE
    degrees_lng = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return (
        notes_published()
        .filter(
            latitude__range=(latitude - degrees_lat, latitude + degrees_lat),
            longitude__range=(longitude - degrees_lng, longitude + degrees_lng),
        )
        .annotate(distance_km=_distance_km(latitude, longitude))
        .filter(distance_km__lte=radius_km)
        .annotate(ring=Floor(F("distance_km") / NEARBY_RING_KM))
    )


def feed_nearby(
    *, latitude: float, longitude: float, radius_km: float, cursor: str | None, size: int
) -> Page:
    """Notes near a place: nearest ring first, the best notes first within a ring."""
    near = notes_near(latitude=latitude, longitude=longitude, radius_km=radius_km)
    # Ranking needs every note in the circle: it reads only what the covering place index holds
    # (no table rows), and the cards of the page are fetched after, by id.
    ranked = keyset_page(
        near.only("id", "author_id", "ces", "latitude", "longitude"),
        keys=("ring", "-ces", "-id"),
        cursor=cursor,
        size=size,
        list_name="feed.nearby",
    )
    cards = note_cards(Note.objects.filter(pk__in=[note.pk for note in ranked.items])).in_bulk()
    items = []
    for note in ranked.items:
        card = cards.get(note.pk)
        if card is None:  # deleted between the two reads
            continue
        card.distance_km, card.ring = note.distance_km, note.ring
        items.append(card)
    return Page(items=items, next_cursor=ranked.next_cursor)
