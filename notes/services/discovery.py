"""The discovery jobs: refresh impressions, evaluate the pools, rebuild Discover's candidates.

Discover never scores every note per request: this job ranks the offered notes every few
minutes (settings CELERY_BEAT_SCHEDULE) into short lists per tag, plus EXPLORE and GENERAL,
and the best settled notes into MORE; a page only reads the few lists its reader cares about
(community.selectors.feed_discover).
"""

import heapq
import json
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from notes.models import DiscoverCandidate, Note, NoteTraffic
from notes.scoring import freshness, note_quality
from notes.selectors import CANDIDATES_BUILT_KEY, CANDIDATES_STALE_SECONDS, note_tag_slugs
from notes.services.impressions import note_impressions_refresh, recently, seen_sets_purge
from notes.services.pools import PoolsEvaluated, traffic_pools_evaluate
from notes.services.search import notes_search_ranks_refresh
from users.selectors import account_weight


@dataclass
class DiscoveryRun:
    impressions_changed: int = 0
    pools: PoolsEvaluated = field(default_factory=PoolsEvaluated)
    candidates: int = 0
    seen_purged: int = 0
    search_ranks_changed: int = 0


@dataclass
class _Candidate:
    note_id: int
    author_id: int
    pool: int
    score: float
    tags: list[str]

    @property
    def topic(self) -> str:
        return self.tags[0] if self.tags else ""


def _offered(now: datetime) -> list[_Candidate]:
    """Every note the pools offer now, scored: quality × freshness × author weight."""
    oldest = now - timedelta(days=settings.DISCOVER_CANDIDATE_MAX_AGE_DAYS)
    offered = NoteTraffic.objects.filter(
        state=NoteTraffic.State.OFFERED,
        note__status=Note.Status.PUBLISHED,
        note__author__is_active=True,
        note__published_at__gte=oldest,
    )
    return _scored(offered, now)


def _settled(now: datetime, size: int) -> list[_Candidate]:
    """The long tail: settled notes of any age, the most engaging first (CES; the published
    notes' CES index is walked), a few times `size` of them, scored as offered notes are."""
    settled = NoteTraffic.objects.filter(
        state=NoteTraffic.State.SETTLED,
        note__status=Note.Status.PUBLISHED,
        note__media_status=Note.MediaStatus.READY,
        note__author__is_active=True,
    ).order_by("-note__ces", "-note_id")[: size * settings.DISCOVER_MORE_PRESELECT]
    return _scored(settled, now)


def _scored(traffic: QuerySet[NoteTraffic], now: datetime) -> list[_Candidate]:
    rows = list(
        traffic.values_list(
            "note_id",
            "pool",
            "note__author_id",
            "note__author__red_potato_level",
            "note__author__followers_count",
            "note__ces",
            "note__impressions",
            "note__published_at",
        )
    )
    tags = note_tag_slugs(traffic.values("note_id"))
    half_life = settings.DISCOVER_FRESHNESS_HALF_LIFE_HOURS
    scored = []
    for note_id, pool, author_id, level, followers, ces, impressions, published_at in rows:
        age_hours = (now - published_at).total_seconds() / 3600
        score = (
            note_quality(ces=ces, impressions=impressions)
            * freshness(age_hours=age_hours, half_life_hours=half_life)
            * account_weight(level=level, followers=followers)
        )
        scored.append(_Candidate(note_id, author_id, pool, score, tags.get(note_id, [])))
    return scored


def _best(candidates: list[_Candidate], size: int) -> list[_Candidate]:
    return heapq.nlargest(size, candidates, key=lambda c: (c.score, c.note_id))


def discover_candidates_build(*, now: datetime | None = None) -> int:
    """Replace Discover's candidate lists; returns how many rows they hold.

    Per tag: its best offered notes. EXPLORE: the freshest offered notes in the low pools, how
    new notes meet their first readers. GENERAL: the best offered notes, for readers with no
    interests yet. MORE: the best settled notes, the long tail a reader who has seen every
    offered note reads next (a small community runs out of offered notes in a few pages).
    Readers see either the old lists or the new ones, never half of each.
    """
    now = now or timezone.now()
    size = settings.DISCOVER_CANDIDATES_PER_LIST
    offered = _offered(now)
    by_tag: dict[str, list[_Candidate]] = defaultdict(list)
    for candidate in offered:
        for tag in candidate.tags:
            by_tag[tag].append(candidate)
    low = [c for c in offered if c.pool < settings.DISCOVER_EXPLORATION_POOLS]
    lists = {tag: _best(notes, size) for tag, notes in by_tag.items()}
    lists[DiscoverCandidate.EXPLORE] = _best(low, size)
    lists[DiscoverCandidate.GENERAL] = _best(offered, size)
    lists[DiscoverCandidate.MORE] = _best(_settled(now, size), size)
    rows = [
        (key, c.note_id, c.author_id, c.pool, c.score, c.topic, c.tags)
        for key, candidates in lists.items()
        for c in candidates
    ]
    with transaction.atomic():
        DiscoverCandidate.objects.all().delete()
        _candidates_insert(rows)
    # Named after the swap, so no reader caches the old rows under the new build's name; the
    # name is new for every build (two builds in the same second differ), as the lists' keys in
    # the shared cache and in each process's memory follow it.
    built = f"{now.isoformat()}:{secrets.token_hex(4)}"
    cache.set(CANDIDATES_BUILT_KEY, built, CANDIDATES_STALE_SECONDS)
    return len(rows)


_CANDIDATE_COLUMNS = ("list_key", "note_id", "author_id", "pool", "score", "topic", "tags")


def _candidates_insert(rows: list[tuple]) -> None:
    """Tens of thousands of rows (in _CANDIDATE_COLUMNS' order) every few minutes: PostgreSQL
    takes them by COPY (a fraction of bulk_create's time, which prepares each value of each
    model in Python); SQLite by bulk_create."""
    if connection.vendor != "postgresql":
        DiscoverCandidate.objects.bulk_create(
            [DiscoverCandidate(**dict(zip(_CANDIDATE_COLUMNS, row, strict=True))) for row in rows],
            batch_size=1000,
        )
        return
    table = connection.ops.quote_name(DiscoverCandidate._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in _CANDIDATE_COLUMNS)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for *values, tags in rows:
            copy.write_row((*values, json.dumps(tags, ensure_ascii=False)))


def discovery_refresh(*, now: datetime | None = None) -> DiscoveryRun:
    """The few-minutes pass: today's impressions into Note.impressions (and the quality search
    ranks by), then the pools, then the candidate lists, in that order so each step sees the
    one before. Idempotent."""
    now = now or timezone.now()
    run = DiscoveryRun(impressions_changed=note_impressions_refresh(since=recently(now)))
    run.search_ranks_changed = notes_search_ranks_refresh(shown_since=recently(now))
    run.pools = traffic_pools_evaluate(now=now)
    run.candidates = discover_candidates_build(now=now)
    return run


def discovery_nightly(*, now: datetime | None = None) -> DiscoveryRun:
    """The nightly pass, after the counter recount: every note's impressions rebuilt from the
    daily counts and every search row's quality from them and CES, the pools, the lists, and
    seen sets trimmed to their window."""
    now = now or timezone.now()
    run = DiscoveryRun(impressions_changed=note_impressions_refresh(since=None))
    run.search_ranks_changed = notes_search_ranks_refresh()
    run.pools = traffic_pools_evaluate(now=now)
    run.candidates = discover_candidates_build(now=now)
    run.seen_purged = seen_sets_purge(now=now)
    return run
