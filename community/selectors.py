"""The three home feeds. Each costs a fixed number of queries per page, whatever its size."""

import hashlib
import math
import random
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from itertools import zip_longest

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Floor, Sqrt
from django.utils import timezone
from taggit.models import Tag

from core.pagination import InvalidCursor, Page, cursor_values, keyset_page
from notes.models import DiscoverCandidate, HotListEntry, Note, ReaderInterest
from notes.readers import user_reader_key
from notes.scoring import note_quality
from notes.seen import seen_store
from notes.selectors import (
    CANDIDATES_BUILT_KEY,
    CANDIDATES_STALE_SECONDS,
    NEWEST_FIRST,
    discover_candidate_lists,
    note_cards,
    note_cards_in_order,
    notes_published,
    visible_notes_filter,
)
from notes.services.hot import HOT_LIST_CACHE_KEY, HOT_LIST_CACHE_SECONDS, HOT_LIST_FRESH_KEY
from notes.tasks import discovery_refresh_task, hot_list_refresh_task
from users.models import Follow, User
from users.selectors import user_following_ids

KM_PER_DEGREE = 111.32
NEARBY_RING_KM = 2  # "nearest and best first": within each 2 km ring, the best notes lead


# --- Discover: a ranked list per visit, cut into pages.
#
# The first page ranks the precomputed candidate lists (notes.services.discovery) for the reader
# and keeps the ranking in the cache; the next pages are cut from it, so they cost no ranking and
# never repeat a card. A cursor is signed for the reader it was made for and names their list.

DISCOVER_LIST_SECONDS = 30 * 60  # how long a visit's ranking stays for its next pages
DISCOVER_TOP_TAGS = 12  # the reader's strongest interests whose lists are read
DISCOVER_ANONYMOUS_KEY = "discover:anonymous:current"
DISCOVER_REFRESH_REQUESTED_KEY = "discover:refresh-requested"
HOT_LIST_REFRESH_REQUESTED_KEY = "hot-list:refresh-requested"
_CURSOR_SALT = "hongshu.cursor.discover."

Entry = tuple[int, int]  # (note id, author id)


@dataclass
class DiscoverPage(Page):
    """A Discover page. `unseen`: no card was shown to the reader within the seen window (a
    fresh ranking leaves those out), so recording it needs no look-up. `needs_onboarding`: a
    signed-in reader who has not picked interests nor skipped picking."""

    unseen: bool = False
    needs_onboarding: bool = False


def _binding(reader: User | None) -> str:
    return user_reader_key(reader.pk) if reader is not None else "anonymous"


def _list_key(binding: str, token: str) -> str:
    return f"discover:list:{binding}:{token}"


def _list_store(binding: str, entries: list[Entry]) -> str:
    token = secrets.token_hex(8)
    cache.set(_list_key(binding, token), entries, DISCOVER_LIST_SECONDS)
    return token


def _cursor(binding: str, token: str, offset: int) -> str:
    return signing.dumps([token, offset], salt=_CURSOR_SALT + binding)


def _cursor_decoded(binding: str, cursor: str) -> tuple[str, int]:
    """The list token and offset of a cursor made for this reader; InvalidCursor otherwise."""
    try:
        values = signing.loads(cursor, salt=_CURSOR_SALT + binding)
    except signing.BadSignature:
        raise InvalidCursor from None
    match values:
        case [str(token), int(offset)] if token.isalnum() and offset >= 0:
            return token, offset
    raise InvalidCursor


def discover_candidates_ensure() -> str | None:
    """Rebuild the candidate lists here and now when they are stale: the beat keeps them fresh,
    this rescues an install that runs none (the embedded default) and a first visit. At most
    once a minute, and never beside a running refresh (the task's job lock). Returns the
    current build's name (None while there is none)."""
    built = cache.get(CANDIDATES_BUILT_KEY)
    if built is None and cache.add(DISCOVER_REFRESH_REQUESTED_KEY, "1", 60):
        discovery_refresh_task()
        built = cache.get(CANDIDATES_BUILT_KEY)
    return built


def _merged(main: list[Entry], explore: list[Entry], *, length: int) -> list[Entry]:
    """`main`, with every n-th place given to `explore` (n from DISCOVER_EXPLORATION_SHARE);
    when one runs out the other fills in. No note twice."""
    share = settings.DISCOVER_EXPLORATION_SHARE
    every = round(1 / share) if share > 0 else 0
    sources = [iter(main), iter(explore)]
    merged: list[Entry] = []
    used: set[int] = set()
    while len(merged) < length:
        wanted = 1 if every and (len(merged) + 1) % every == 0 else 0
        entry = None
        for source in (sources[wanted], sources[1 - wanted]):
            entry = next((e for e in source if e[0] not in used), None)
            if entry is not None:
                break
        if entry is None:
            break
        used.add(entry[0])
        merged.append(entry)
    return merged


def _ranked_lists(
    *, reader_id: int, weights: dict[str, float], built: str | None, now: datetime
) -> tuple[list[Entry], list[Entry], list[Entry]]:
    """The reader's candidates, ranked: (main, explore, more), see discover_ranking."""
    positive = sorted((w, tag) for tag, w in weights.items() if w > 0)[-DISCOVER_TOP_TAGS:]
    strongest = positive[-1][0] if positive else 1.0
    normalised = {tag: w / strongest for tag, w in weights.items()}
    keys = [tag for _w, tag in positive] + [
        DiscoverCandidate.EXPLORE,
        DiscoverCandidate.GENERAL,
        DiscoverCandidate.MORE,
    ]
    lists = discover_candidate_lists(keys, built=built)
    # Scores are kept negated, so a plain sort ranks best first (ties: the lower note id).
    matched: dict[int, tuple[float, Entry]] = {}
    explore: dict[int, tuple[float, Entry]] = {}
    general: dict[int, tuple[float, Entry]] = {}
    more_matched: dict[int, tuple[float, Entry]] = {}
    more: dict[int, tuple[float, Entry]] = {}
    # Each reader explores in an order of their own (the better notes still more likely first),
    # so the same few new notes are not given to every reader at once.
    jitter = random.Random(f"{reader_id}:{now.date()}")  # noqa: S311 (not security)
    weight_of = normalised.get
    # A few thousand rows per first page: the loop stays plain (no calls per tag) on purpose.
    for list_key in keys:
        for note_id, author_id, score, tags in lists[list_key]:
            if note_id in matched or author_id == reader_id:
                continue  # a note already matched scores the same from any of its lists
            match = 0.0
            for tag in tags:
                match += weight_of(tag, 0.0)
            entry = (note_id, author_id)
            if list_key == DiscoverCandidate.MORE:
                if match > 0:
                    more_matched[note_id] = (-min(match, 2.0) * score, entry)
                elif match == 0:
                    more[note_id] = (-score, entry)
            elif match > 0:
                matched[note_id] = (-min(match, 2.0) * score, entry)
            elif match == 0 and list_key == DiscoverCandidate.EXPLORE:
                explore[note_id] = (-score * jitter.uniform(0.5, 1.0), entry)
            elif match == 0 and list_key == DiscoverCandidate.GENERAL:
                general[note_id] = (-score, entry)

    def ranked(scored: dict[int, tuple[float, Entry]]) -> list[Entry]:
        return [entry for _score, entry in sorted(scored.values())]

    main = ranked(matched) + ranked({k: v for k, v in general.items() if k not in matched})
    explored = ranked({k: v for k, v in explore.items() if k not in matched})
    # The long tail as the main list: the reader's interests first, then the best of the rest.
    return main, explored, ranked(more_matched) + ranked(more)


def discover_ranking(
    *,
    reader: User,
    weights: dict[str, float],
    left_out: set[int],
    now: datetime,
    built: str | None = None,
) -> list[Entry]:
    """A signed-in reader's Discover, ranked: candidates from the lists of their interests,
    scored interest match × (quality × freshness × author weight), then the best notes for a
    reader whose interests ran out; every n-th place explores fresh notes in low pools outside
    their interests, how new notes meet readers beyond their own. Once every offered note is
    left out (seen), the long tail follows: the best settled notes, theirs first, so Discover
    never runs dry while there are good notes the reader has not seen. Notes in `left_out`,
    the reader's own notes and notes of tags they turned away from are left out. The lists
    come from the shared cache (one query when this build's lists are not there yet).

    No note's score depends on what is left out, so the ranking before that is kept in the
    shared cache for the build `built`, the reader's interests and the day: a reader coming
    back to Discover (pull to refresh) is ranked once per build, and what they were shown
    since is still left out, after.
    """
    key = None
    if built:
        interests = hashlib.md5(repr(sorted(weights.items())).encode(), usedforsecurity=False)
        # v2: (main, explore, more); a kept v1 pair is never read back as one.
        key = f"discover:ranking:v2:{reader.pk}:{built}:{interests.hexdigest()}:{now.date()}"
    lists = cache.get(key) if key else None
    if lists is None:
        lists = _ranked_lists(reader_id=reader.pk, weights=weights, built=built, now=now)
        if key:
            cache.set(key, lists, CANDIDATES_STALE_SECONDS)
    main, explore, more = (
        [entry for entry in entries if entry[0] not in left_out] for entries in lists
    )
    length = settings.DISCOVER_LIST_LENGTH
    merged = _merged(main, explore, length=length)
    if len(merged) < length:
        merged += more[: length - len(merged)]  # settled notes: never one offered as well
    return merged


def discover_anonymous_ranking(*, now: datetime) -> list[Entry]:
    """Signed-out readers: the best notes of the last few days (engagement rate with
    freshness), one topic after another so no topic fills the page; older good notes after."""
    recent_since = now - timedelta(days=settings.DISCOVER_ANONYMOUS_DAYS)
    rows = DiscoverCandidate.objects.filter(list_key=DiscoverCandidate.GENERAL).values_list(
        "note_id", "author_id", "score", "topic", "note__published_at"
    )
    ordered = sorted(rows, key=lambda row: (row[4] < recent_since, -row[2], -row[0]))
    entries: list[Entry] = []
    for is_old in (False, True):
        by_topic: dict[str, list[Entry]] = {}
        for note_id, author_id, _score, topic, published_at in ordered:
            if (published_at < recent_since) == is_old:
                by_topic.setdefault(topic, []).append((note_id, author_id))
        # Round robin over topics, the topic of the best note first.
        for round_entries in zip_longest(*by_topic.values()):
            entries += [entry for entry in round_entries if entry is not None]
    return entries


def _anonymous_list(now: datetime) -> tuple[str, list[Entry]]:
    """The signed-out ranking everyone shares for DISCOVER_ANONYMOUS_CACHE_SECONDS."""
    token = cache.get(DISCOVER_ANONYMOUS_KEY)
    if token is not None:
        entries = cache.get(_list_key("anonymous", token))
        if entries is not None:
            return token, entries
    entries = discover_anonymous_ranking(now=now)
    token = _list_store("anonymous", entries)
    cache.set(DISCOVER_ANONYMOUS_KEY, token, settings.DISCOVER_ANONYMOUS_CACHE_SECONDS)
    return token, entries


def _page_cut(entries: list[Entry], offset: int, size: int) -> tuple[list[int], int]:
    """The next `size` notes from `offset`, at most DISCOVER_AUTHOR_MAX_PER_PAGE per author
    (an author's further notes are passed over); and where the next page starts."""
    per_author: Counter[int] = Counter()
    note_ids: list[int] = []
    position = offset
    while position < len(entries) and len(note_ids) < size:
        note_id, author_id = entries[position]
        position += 1
        if per_author[author_id] < settings.DISCOVER_AUTHOR_MAX_PER_PAGE:
            per_author[author_id] += 1
            note_ids.append(note_id)
    return note_ids, position


def feed_discover(
    *,
    actor: User | None,
    cursor: str | None,
    size: int,
    reader_key: str | None = None,
    now: datetime | None = None,
    cards: Callable[[list[int]], list] = note_cards_in_order,
) -> DiscoverPage:
    """Recommended notes, a page of a ranking made for this visit (see discover_ranking and
    discover_anonymous_ranking). A fixed number of queries whatever the page size or the data.

    `cards` reads the page's notes from their ids, in order: notes for the API, card rows
    (notes.selectors.note_card_rows) for the page.

    `reader_key` names a signed-out reader (notes.readers), whose seen notes are left out when
    their shared list has expired under them. Raises InvalidCursor for a cursor not made for
    this reader.
    """
    now = now or timezone.now()
    if actor is not None and not actor.is_authenticated:
        actor = None
    built = discover_candidates_ensure()
    binding = _binding(actor)
    page = DiscoverPage(items=[], next_cursor=None)
    token, entries, offset = None, None, 0
    if cursor:
        token, offset = _cursor_decoded(binding, cursor)
        entries = cache.get(_list_key(binding, token))
    if entries is None and actor is not None:
        interests = ReaderInterest.objects.filter(reader=actor).first()
        weights = interests.weights if interests else {}
        left_out = seen_store().recent(binding, now=now)
        left_out |= set(interests.hidden_note_ids) if interests else set()
        entries = discover_ranking(
            reader=actor, weights=weights, left_out=left_out, now=now, built=built
        )
        token, offset, page.unseen = _list_store(binding, entries), 0, True
        page.needs_onboarding = not cursor and (
            interests is None or (interests.onboarded_at is None and not weights)
        )
    elif entries is None and cursor and reader_key is not None:
        # The shared list a signed-out reader was paging through has expired: a fresh one, less
        # what they were shown, so the next page repeats nothing.
        seen = seen_store().recent(reader_key, now=now)
        entries = [entry for entry in _anonymous_list(now)[1] if entry[0] not in seen]
        token, offset, page.unseen = _list_store(binding, entries), 0, True
    elif entries is None and cursor:
        raise InvalidCursor
    elif entries is None:
        token, entries = _anonymous_list(now)
    note_ids, next_offset = _page_cut(entries, offset, size)
    page.items = cards(note_ids)
    if next_offset < len(entries):
        page.next_cursor = _cursor(binding, token, next_offset)
    return page


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


def notes_near(
    *, latitude: float, longitude: float, radius_km: float, author_checked: bool = True
) -> QuerySet[Note]:
    """Published notes with a place within `radius_km`, annotated with `distance_km` and
    `ring`; `author_checked` as in notes_published."""
    degrees_lat = radius_km / KM_PER_DEGREE
    degrees_lng = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return (
        notes_published(author_checked=author_checked)
        .filter(
            latitude__range=(latitude - degrees_lat, latitude + degrees_lat),
            longitude__range=(longitude - degrees_lng, longitude + degrees_lng),
        )
        .annotate(distance_km=_distance_km(latitude, longitude))
        .filter(distance_km__lte=radius_km)
        .annotate(ring=Floor(F("distance_km") / NEARBY_RING_KM))
    )


NEARBY_KEYS = ("ring", "-ces", "-id")
NEARBY_LIST = "feed.nearby"


def _nearby_ranked(near: QuerySet[Note], *, cursor: str | None, size: int) -> Page:
    # Ranking reads only what the covering place index holds (no table rows).
    return keyset_page(
        near.only("id", "author_id", "ces", "latitude", "longitude"),
        keys=NEARBY_KEYS,
        cursor=cursor,
        size=size,
        list_name=NEARBY_LIST,
    )


def feed_nearby(
    *,
    latitude: float,
    longitude: float,
    radius_km: float,
    cursor: str | None,
    size: int,
    cards: Callable[[list[int]], list] = note_cards_in_order,
) -> Page:
    """Notes near a place: nearest ring first, the best notes first within a ring.

    A page is read from the ring it starts in first: in a city its 2 km hold hundreds of notes,
    a few percent of the whole circle's. Only when that ring cannot fill the page is the whole
    circle ranked, so a page costs one ranking query, or two where notes are sparse.

    Ranking reads only the place index: checking every note's author (a join per note in the
    ring, most of the ranking's time in a city) is left to the page's cards. A page that lost a
    card to a banned author is ranked again among visible notes only, so it is never short.
    """
    near = partial(notes_near, latitude=latitude, longitude=longitude)
    ring = 0
    if cursor:
        ranking = near(radius_km=radius_km)
        ring = int(
            cursor_values(ranking, keys=NEARBY_KEYS, cursor=cursor, list_name=NEARBY_LIST)[0]
        )

    def ranked(*, author_checked: bool) -> Page:
        inner_km = (ring + 1) * NEARBY_RING_KM
        if inner_km < radius_km:
            inner = near(radius_km=inner_km, author_checked=author_checked)
            page = _nearby_ranked(inner.filter(ring__lte=ring), cursor=cursor, size=size)
            if page.has_next:
                return page
            # the ring ran out within the page: rank the whole circle
        whole = near(radius_km=radius_km, author_checked=author_checked)
        return _nearby_ranked(whole, cursor=cursor, size=size)

    page = ranked(author_checked=False)
    items = cards([note.pk for note in page.items])
    if len(items) < len(page.items):
        page = ranked(author_checked=True)
        items = cards([note.pk for note in page.items])
    # The cards carry their distance from the ranking.
    distances = {note.pk: note.distance_km for note in page.items}
    for card in items:
        card.distance_km = distances[card.pk]
    return Page(items=items, next_cursor=page.next_cursor)


# --- Onboarding: the topics a new reader picks from, and creators worth following in them.

ONBOARDING_TOPICS = 24
ONBOARDING_CREATORS = 12
CREATOR_NOTES_DAYS = 90


def onboarding_topics(*, limit: int = ONBOARDING_TOPICS) -> list[Tag]:
    """The real topics: the tags with the most notes on offer, read from Discover's candidate
    lists (bounded by their size, whatever the number of notes). Two queries."""
    discover_candidates_ensure()
    counted = (
        DiscoverCandidate.objects.exclude(list_key__startswith="~")
        .values("list_key")
        .annotate(notes=Count("pk"))
        .order_by("-notes", "list_key")[:limit]
    )
    slugs = [row["list_key"] for row in counted]
    tags = {tag.slug: tag for tag in Tag.objects.filter(slug__in=slugs)}
    return [tags[slug] for slug in slugs if slug in tags]


def creators_suggested(
    *,
    actor: User,
    tag_slugs: list[str],
    size: int = ONBOARDING_CREATORS,
    now: datetime | None = None,
) -> list[User]:
    """Creators of recent notes in these topics, best engagement rate (then CES) first, so a
    small account that readers love comes before a big one they scroll past; the reader and
    the accounts they follow already are left out. Four queries."""
    now = now or timezone.now()
    in_topics = Note.objects.filter(tags__slug__in=tag_slugs).values("pk")
    authors = (
        notes_published()
        .filter(pk__in=in_topics, published_at__gte=now - timedelta(days=CREATOR_NOTES_DAYS))
        .exclude(author=actor)
        .values("author_id")
        .annotate(total_ces=Sum("ces"), total_impressions=Sum("impressions"))
        .order_by("-total_ces", "author_id")[: size * 5]
    )
    ranked = sorted(
        authors,
        key=lambda row: (
            -note_quality(ces=row["total_ces"], impressions=row["total_impressions"]),
            row["author_id"],
        ),
    )
    followed = user_following_ids(actor=actor, among=[row["author_id"] for row in ranked])
    chosen = [row["author_id"] for row in ranked if row["author_id"] not in followed][:size]
    people = {person.pk: person for person in User.objects.filter(pk__in=chosen, is_active=True)}
    return [people[pk] for pk in chosen if pk in people]


def reader_top_interests(*, reader: User, limit: int = 5) -> list[str]:
    """The reader's strongest interests, strongest first: one query."""
    interests = ReaderInterest.objects.filter(reader=reader).first()
    weights = interests.weights if interests else {}
    ranked = sorted((tag for tag, weight in weights.items() if weight > 0), key=weights.get)
    return ranked[::-1][:limit]


# --- The hot list, as the last refresh left it (notes.services.hot), cached for everyone.


@dataclass
class HotList:
    topics: list[HotListEntry]
    notes: list[HotListEntry]


def hot_list_ensure() -> None:
    """Refresh the hot list here and now when no refresh has run for
    settings.HOT_LIST_STALE_MINUTES, as discover_candidates_ensure does for Discover: the beat
    refreshes it every ten minutes, this rescues an install that runs none (the embedded
    default), whose list would otherwise stay empty or frozen. At most once a minute, and
    never beside a running refresh (the task's job lock)."""
    if cache.get(HOT_LIST_FRESH_KEY) is None and cache.add(HOT_LIST_REFRESH_REQUESTED_KEY, "1", 60):
        hot_list_refresh_task()


def hot_list() -> HotList:
    """One query when the cache is cold (and a refresh first if the list is stale, see
    hot_list_ensure), none otherwise. A note taken off the site since the last refresh is left
    out; a banned topic is gone from the next refresh on."""
    entries = cache.get(HOT_LIST_CACHE_KEY)
    if entries is None:
        hot_list_ensure()
        entries = list(
            HotListEntry.objects.select_related("tag", "note__author").filter(
                Q(kind=HotListEntry.Kind.TOPIC) | visible_notes_filter(via="note__")
            )
        )
        cache.set(HOT_LIST_CACHE_KEY, entries, HOT_LIST_CACHE_SECONDS)
    return HotList(
        topics=[entry for entry in entries if entry.kind == HotListEntry.Kind.TOPIC],
        notes=[entry for entry in entries if entry.kind == HotListEntry.Kind.NOTE],
    )
