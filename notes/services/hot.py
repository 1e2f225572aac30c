"""The hot list (热榜): topics and notes whose engagement spikes over what they usually get.

Engagement is CES-weighted (a comment counts four likes). For each topic and note, the last
HOT_LIST_WINDOW_HOURS count with a half-life (the latest hour most), against the expectation
from its own hourly rate over the HOT_LIST_BASELINE_DAYS before: a steady favourite that gets
its usual hundred likes is not hot, a small topic that suddenly gets thirty is. Refreshed by a
task every few minutes; staff pin a topic to the top or ban it (HotTopicRule).
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncHour
from django.utils import timezone
from taggit.models import Tag

from notes.models import (
    Bookmark,
    Comment,
    FollowFromNote,
    HotListEntry,
    HotTopicRule,
    Like,
    Repost,
)
from notes.scoring import CES_WEIGHTS
from notes.selectors import note_tag_slugs, visible_notes_filter
from users.models import User

HOT_LIST_CACHE_KEY = "hot-list"
HOT_LIST_CACHE_SECONDS = 15 * 60
# Set by each refresh for settings.HOT_LIST_STALE_MINUTES: once it is gone no beat is refreshing
# the list, and readers refresh it themselves (community.selectors.hot_list_ensure).
HOT_LIST_FRESH_KEY = "hot-list:fresh"

# Each source of engagement and its CES weight.
SOURCES = (
    (Like, CES_WEIGHTS["likes_count"]),
    (Bookmark, CES_WEIGHTS["bookmarks_count"]),
    (Comment, CES_WEIGHTS["comments_count"]),
    (Repost, CES_WEIGHTS["reposts_count"]),
    (FollowFromNote, CES_WEIGHTS["follows_gained"]),
)


@dataclass
class Spike:
    recent: float  # the window's engagement, each hour weighed by the half-life
    expected: float  # what the baseline rate would give over the same weighed window

    @property
    def score(self) -> float:
        """How far above expectation, in units of its noise: (recent − expected) / √(expected+1)."""
        return (self.recent - self.expected) / math.sqrt(self.expected + 1)


def _hourly_engagement(now: datetime) -> dict[int, dict[datetime, float]]:
    """Note → hour → CES gained that hour, over the baseline days: one query per source."""
    since = now - timedelta(days=settings.HOT_LIST_BASELINE_DAYS)
    hourly: dict[int, dict[datetime, float]] = defaultdict(lambda: defaultdict(float))
    for model, weight in SOURCES:
        rows = (
            model.objects.filter(created_at__gte=since, created_at__lte=now)
            .filter(visible_notes_filter(via="note__"))
            .annotate(hour=TruncHour("created_at"))
            .values_list("note_id", "hour")
            .annotate(events=Count("pk"))
            .order_by()
        )
        for note_id, hour, events in rows:
            hourly[note_id][hour] += events * weight
    return hourly


def _spike(hours: dict[datetime, float], now: datetime) -> Spike:
    """Hour k (0 = the current hour, counted as a whole one) weighs 0.5^(k / half-life) in the
    window; the hours before it set the expected hourly rate."""
    window = settings.HOT_LIST_WINDOW_HOURS
    half_life = settings.HOT_LIST_HALF_LIFE_HOURS
    baseline_hours = settings.HOT_LIST_BASELINE_DAYS * 24 - window
    current = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    recent = baseline = 0.0
    for hour, gained in hours.items():
        age = round((current - hour).total_seconds() / 3600)
        if age < window:
            recent += gained * 0.5 ** (max(age, 0) / half_life)
        else:
            baseline += gained
    weighed_window = sum(0.5 ** (age / half_life) for age in range(window))
    return Spike(recent=recent, expected=baseline / baseline_hours * weighed_window)


def _ranked(spikes: dict, *, size: int) -> list[tuple[object, Spike]]:
    """The hottest first: above expectation, with at least HOT_LIST_MIN_ENGAGEMENT lately."""
    hot = [
        (key, spike)
        for key, spike in spikes.items()
        if spike.recent >= settings.HOT_LIST_MIN_ENGAGEMENT and spike.score > 0
    ]
    hot.sort(key=lambda item: (-item[1].score, str(item[0])))
    return hot[:size]


@transaction.atomic
def hot_list_refresh(*, now: datetime | None = None) -> int:
    """Recompute the hot list and keep the ranks it replaces for the movement arrows.
    Idempotent; returns how many places it holds."""
    now = now or timezone.now()
    size = settings.HOT_LIST_SIZE
    hourly = _hourly_engagement(now)
    note_spikes = {note_id: _spike(hours, now) for note_id, hours in hourly.items()}

    tags = note_tag_slugs(hourly)
    topic_hours: dict[str, dict[datetime, float]] = defaultdict(lambda: defaultdict(float))
    for note_id, hours in hourly.items():
        for slug in tags.get(note_id, []):
            for hour, gained in hours.items():
                topic_hours[slug][hour] += gained
    rules = dict(HotTopicRule.objects.values_list("tag__slug", "action"))
    topic_spikes = {
        slug: _spike(hours, now)
        for slug, hours in topic_hours.items()
        if rules.get(slug) != HotTopicRule.Action.BAN
    }
    pinned = list(
        HotTopicRule.objects.filter(action=HotTopicRule.Action.PIN)
        .order_by("created_at")
        .values_list("tag__slug", flat=True)
    )
    topics = [(slug, topic_spikes.get(slug, Spike(0.0, 0.0)), True) for slug in pinned]
    topics += [
        (slug, spike, False)
        for slug, spike in _ranked(topic_spikes, size=size)
        if slug not in pinned
    ]
    topics = topics[:size]
    banned_notes = {
        note_id
        for note_id, slugs in tags.items()
        if any(rules.get(slug) == HotTopicRule.Action.BAN for slug in slugs)
    }
    notes = [
        (note_id, spike)
        for note_id, spike in _ranked(note_spikes, size=size + len(banned_notes))
        if note_id not in banned_notes
    ][:size]

    before = {
        (kind, tag_id or note_id): rank
        for kind, tag_id, note_id, rank in HotListEntry.objects.values_list(
            "kind", "tag_id", "note_id", "rank"
        )
    }
    tag_ids = dict(
        Tag.objects.filter(slug__in=[slug for slug, *_rest in topics]).values_list("slug", "pk")
    )
    entries = []
    for rank, (slug, spike, is_pinned) in enumerate(topics, start=1):
        if slug in tag_ids:
            entries.append(
                HotListEntry(
                    kind=HotListEntry.Kind.TOPIC,
                    rank=rank,
                    previous_rank=before.get((HotListEntry.Kind.TOPIC, tag_ids[slug])),
                    tag_id=tag_ids[slug],
                    score=round(spike.score, 3),
                    is_pinned=is_pinned,
                    computed_at=now,
                )
            )
    for rank, (note_id, spike) in enumerate(notes, start=1):
        entries.append(
            HotListEntry(
                kind=HotListEntry.Kind.NOTE,
                rank=rank,
                previous_rank=before.get((HotListEntry.Kind.NOTE, note_id)),
                note_id=note_id,
                score=round(spike.score, 3),
                computed_at=now,
            )
        )
    HotListEntry.objects.all().delete()
    HotListEntry.objects.bulk_create(entries)
    cache.delete(HOT_LIST_CACHE_KEY)  # the next reader reads the new list (and caches it)
    cache.set(HOT_LIST_FRESH_KEY, now.isoformat(), settings.HOT_LIST_STALE_MINUTES * 60)
    return len(entries)


@transaction.atomic
def hot_topic_rule_set(*, actor: User, tag: Tag, action: str) -> HotTopicRule:
    """Staff pin a topic to the top of the hot list or ban it; seen at the next refresh."""
    if not actor.is_staff:
        raise PermissionDenied
    rule, _created = HotTopicRule.objects.update_or_create(
        tag=tag, defaults={"action": action, "staff": actor}
    )
    return rule


@transaction.atomic
def hot_topic_rule_remove(*, actor: User, tag: Tag) -> None:
    if not actor.is_staff:
        raise PermissionDenied
    HotTopicRule.objects.filter(tag=tag).delete()
