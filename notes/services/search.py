"""Search's writers in notes: the note and topic index rows (core.search), the staff dictionary,
each reader's searches (history, interests) and the hot searches.

A published note has an index row and no other note has one: every service that publishes,
edits, hides or restores a note calls `note_search_update` in its own transaction. The search
pages still ask for visible notes, so a row that lags (an author banned since) shows nothing.
"""

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, FloatField, Max, OuterRef, Q, Subquery
from django.utils import timezone
from taggit.models import Tag

from core import search
from notes.models import (
    HotQuery,
    Note,
    NoteImpressionDay,
    NoteSearch,
    SearchRecord,
    SearchWord,
    TaggedNote,
    TopicSearch,
)
from notes.scoring import note_quality, note_quality_ln
from notes.selectors import visible_notes_filter
from notes.services.interests import reader_interests_add
from users.models import User
from users.selectors import user_account_weight

# Freshness as a logarithm, so a note's rank does not move while a reader pages: a note published
# one half-life later counts twice as much (see notes.search). From a fixed origin, not from now.
_ORIGIN = datetime(2020, 1, 1, tzinfo=UTC)
INDEX_BATCH = 500


def note_boost(note: Note) -> float:
    """The part of a note's search rank known when it is indexed: ln(author weight) plus its
    freshness, ln 2 per SEARCH_FRESHNESS_HALF_LIFE_DAYS since a fixed origin. No query when the
    author is loaded."""
    published = note.published_at or note.created_at or timezone.now()
    days = (published - _ORIGIN).total_seconds() / 86_400
    fresh = days * math.log(2) / settings.SEARCH_FRESHNESS_HALF_LIFE_DAYS
    return math.log(user_account_weight(author=note.author)) + fresh


def _note_row(note: Note, tags: Sequence[str]) -> NoteSearch:
    return NoteSearch(
        note_id=note.pk,
        primary_text=search.document(note.title, *tags),
        secondary_text=search.document(note.body, note.place_name),
        boost=note_boost(note),
        quality=math.log(note_quality(ces=note.ces, impressions=note.impressions)),
        likes_count=note.likes_count,
    )


def notes_search_index(notes: Sequence[Note]) -> None:
    """Index `notes` (author loaded): the visible ones get a row, the others lose theirs."""
    tags: dict[int, list[str]] = defaultdict(list)
    for note_id, name in TaggedNote.objects.filter(
        content_object__in=[note.pk for note in notes]
    ).values_list("content_object_id", "tag__name"):
        tags[note_id].append(name)
    shown = [n for n in notes if n.status == Note.Status.PUBLISHED and n.author.is_active]
    search.index_save(
        NoteSearch,
        [_note_row(note, tags[note.pk]) for note in shown],
        fields=["primary_text", "secondary_text", "boost", "quality", "likes_count"],
    )
    hidden = {note.pk for note in notes} - {note.pk for note in shown}
    search.index_delete(NoteSearch, hidden)


@transaction.atomic
def note_search_update(*, note_id: int, tag_ids: Iterable[int] = ()) -> None:
    """Bring one note's index row, and its topics' rows, up to date with the note (gone: out
    of the index). `tag_ids`: topics it had before, whose counts change too."""
    note = Note.objects.select_related("author").filter(pk=note_id).first()
    tag_ids = {
        *tag_ids,
        *TaggedNote.objects.filter(content_object_id=note_id).values_list("tag_id", flat=True),
    }
    if note is None:
        search.index_delete(NoteSearch, [note_id])
    else:
        notes_search_index([note])
    topics_search_update(tag_ids=tag_ids)


# A row's quality within this of the note's is left as it is: the value set when a note is
# indexed (Python) and the one the refresh computes (SQL) may differ in the last bits.
QUALITY_TOLERANCE = 1e-9


def notes_search_ranks_refresh(*, shown_since: date | None = None) -> int:
    """Bring the index rows' `quality` and `likes_count` up to their notes' (CES,
    impressions, likes), set-based; idempotent. Search ranks on the rows alone (notes.search),
    so this is how what readers did reaches it.

    `shown_since`: only notes shown on or after that day (the few-minutes discovery refresh,
    after the impressions); None: every row (the nightly pass). Returns how many changed.
    """
    note = Note.objects.filter(pk=OuterRef("note_id"))
    live = Subquery(note.annotate(q=note_quality_ln()).values("q")[:1], output_field=FloatField())
    live_likes = Subquery(note.values("likes_count")[:1])
    rows = NoteSearch.objects.all()
    if shown_since is not None:
        rows = rows.filter(
            note_id__in=NoteImpressionDay.objects.filter(day__gte=shown_since).values("note_id")
        )
    stale = rows.annotate(live=live, live_likes=live_likes).filter(
        Q(quality__gt=F("live") + QUALITY_TOLERANCE)
        | Q(quality__lt=F("live") - QUALITY_TOLERANCE)
        | ~Q(likes_count=F("live_likes"))
    )
    return NoteSearch.objects.filter(pk__in=stale.values("pk")).update(
        quality=live, likes_count=live_likes
    )


def _topic_counts(tag_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        TaggedNote.objects.filter(tag_id__in=list(tag_ids))
        .filter(visible_notes_filter(via="content_object__"))
        .values("tag_id")
        .annotate(count=Count("id"))
        .values_list("tag_id", "count")
    )


@transaction.atomic
def topics_search_update(*, tag_ids: Iterable[int]) -> None:
    """Index topics by name with their published notes' count; a topic without any leaves."""
    tag_ids = list(tag_ids)
    if not tag_ids:
        return
    counts = _topic_counts(tag_ids)
    rows = [
        TopicSearch(tag_id=tag_id, primary_text=search.document(name), notes_count=counts[tag_id])
        for tag_id, name in Tag.objects.filter(pk__in=list(counts)).values_list("pk", "name")
    ]
    search.index_save(TopicSearch, rows, fields=["primary_text", "notes_count"])
    search.index_delete(TopicSearch, set(tag_ids) - set(counts))


def notes_search_rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Index every visible note again, in batches of INDEX_BATCH (one transaction each), then
    take out the others, then every topic; `progress(done, total)` after each batch. Search
    keeps answering meanwhile. Returns the notes indexed."""
    queryset = Note.objects.filter(visible_notes_filter()).select_related("author").order_by("pk")
    total, done, last = queryset.count(), 0, 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:INDEX_BATCH])
        if not batch:
            break
        with transaction.atomic():
            notes_search_index(batch)
        done, last = done + len(batch), batch[-1].pk
        if progress is not None:
            progress(done, total)
    search.index_prune(NoteSearch, keep=queryset)
    tag_ids = list(TaggedNote.objects.values_list("tag_id", flat=True).distinct().order_by())
    for start in range(0, len(tag_ids), INDEX_BATCH):
        topics_search_update(tag_ids=tag_ids[start : start + INDEX_BATCH])
    search.index_prune(TopicSearch, keep=Tag.objects.filter(pk__in=tag_ids))
    return done


# --- The staff dictionary


def search_words() -> list[str]:
    """Every dictionary word: what core.search loads before it cuts text."""
    return list(SearchWord.objects.values_list("word", flat=True))


@transaction.atomic
def search_word_add(*, actor: User, word: str) -> SearchWord:
    """Staff add a word that search must keep whole (a brand, a product, slang). Text indexed
    before keeps its old cut until `rebuild_search_index` runs."""
    if not actor.is_staff:
        raise PermissionDenied
    entry = SearchWord.objects.filter(word=word.strip().lower()).first()
    if entry is None:
        entry = SearchWord(word=word.strip().lower(), staff=actor)
        entry.full_clean()
        entry.save()
    transaction.on_commit(search.words_changed)
    return entry


@transaction.atomic
def search_word_remove(*, actor: User, word_id: int) -> None:
    if not actor.is_staff:
        raise PermissionDenied
    SearchWord.objects.filter(pk=word_id).delete()
    transaction.on_commit(search.words_changed)


# --- Readers' searches


@transaction.atomic
def search_record(
    *, actor: User | None, searcher: str, found: search.Terms, now: datetime | None = None
) -> SearchRecord | None:
    """Count a search (hot searches) by `searcher` (notes.readers.searcher_of) and, for a
    signed-in reader, keep it in their history and learn from it: each topic named by the
    query, or by one of its words, gains the "search" weight in their interests. Nothing for a
    query without words."""
    if not found:
        return None
    now = now or timezone.now()
    record = SearchRecord.objects.create(
        reader=actor, searcher=searcher, query=found.key, text=found.text, created_at=now
    )
    if actor is not None:
        names = {found.text.lstrip("#"), found.key.replace(" ", ""), *found.words}
        slugs = list(
            Tag.objects.filter(name__in=names).values_list("slug", flat=True).order_by("slug")[:5]
        )
        if slugs:
            reader_interests_add(actor=actor, tag_slugs=slugs, signal="search", now=now)
    return record


@transaction.atomic
def search_history_clear(*, actor: User) -> int:
    """Forget the reader's searches: they leave the history but still count in hot searches
    (the rows lose their reader). Returns how many were cleared."""
    return SearchRecord.objects.filter(reader=actor).update(reader=None)


# --- Hot searches


@transaction.atomic
def hot_queries_refresh(*, now: datetime | None = None) -> int:
    """Rank the queries searched by the most people over SEARCH_HOT_WINDOW_HOURS against their
    own rate over the SEARCH_HOT_BASELINE_DAYS before (as the hot list does for topics):
    (recent − expected) / √(expected + 1), so a query everyone always searches is not hot and a
    sudden one is. People, not searches: one person typing a query again and again (or a
    script) cannot put it on everyone's hot searches. Idempotent; returns how many places it
    holds."""
    people = Count("searcher", distinct=True)
    now = now or timezone.now()
    window = timedelta(hours=settings.SEARCH_HOT_WINDOW_HOURS)
    baseline_start = now - window - timedelta(days=settings.SEARCH_HOT_BASELINE_DAYS)
    recent = {
        row["query"]: row
        for row in SearchRecord.objects.filter(created_at__gt=now - window, created_at__lte=now)
        .values("query")
        .annotate(count=people, shown=Max("text"))
        .filter(count__gte=settings.SEARCH_HOT_MIN_SEARCHES)
        .order_by("-count")[: settings.SEARCH_HOT_SIZE * 10]
    }
    before = dict(
        SearchRecord.objects.filter(
            query__in=list(recent), created_at__gt=baseline_start, created_at__lte=now - window
        )
        .values("query")
        .annotate(count=people)
        .values_list("query", "count")
    )
    share = window / (now - window - baseline_start)
    scored = []
    for query, row in recent.items():
        expected = before.get(query, 0) * share
        score = (row["count"] - expected) / math.sqrt(expected + 1)
        if score > 0:
            scored.append((score, row["count"], query, row["shown"]))
    scored.sort(key=lambda entry: (-entry[0], -entry[1], entry[2]))
    HotQuery.objects.all().delete()
    HotQuery.objects.bulk_create(
        HotQuery(
            rank=rank,
            query=query,
            text=text,
            searches=count,
            score=round(score, 3),
            computed_at=now,
        )
        for rank, (score, count, query, text) in enumerate(
            scored[: settings.SEARCH_HOT_SIZE], start=1
        )
    )
    return min(len(scored), settings.SEARCH_HOT_SIZE)
