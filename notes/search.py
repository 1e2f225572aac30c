"""Search's reads in notes: notes ranked by relevance and quality, topics, a reader's recent
searches and the hot searches. The page and the API share them (community.search).

A note's rank, best first, is the logarithm of

    text relevance × note quality (notes.scoring.note_quality) × author weight × freshness

with an exact topic match ahead of everything else. Ranking reads the index rows alone, never
the notes (a common word matches tens of thousands): relevance from the row's words, the rest
from its `quality` and `boost` (notes.models.NoteSearch). Quality is the row's copy, a few
minutes behind the note's impressions at most; freshness is counted from a fixed origin, not
from now, so ranks do not move while a reader pages and the list is cut with keyset_page like
any other. "Most liked" is ranked from the rows' copy of the likes, as far behind.
"""

import hashlib
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Exists, F, OuterRef, QuerySet, Value, When
from django.db.models.functions import Greatest, Ln
from taggit.models import Tag

from core import search
from core.pagination import Page, cursor_values, keyset_page
from notes.models import HotQuery, NoteSearch, SearchRecord, TaggedNote, TopicSearch
from notes.selectors import NEWEST_FIRST, note_cards_in_order, notes_published
from users.models import User

SORTS = ("best", "newest", "liked")
SORT_KEYS = {
    "best": ("-search_score", "-note_id"),  # of the index rows
    "newest": NEWEST_FIRST,
    "liked": ("-likes_count", "-note_id"),  # of the index rows
}
EXACT_TOPIC_BONUS = 1000.0  # added to the logarithm: an exact topic match leads any other
HISTORY_SHOWN = 8
HISTORY_READ = 50  # recent rows read to find HISTORY_SHOWN different queries


def topic_names(found: search.Terms) -> list[str]:
    """The topic names a query matches exactly: as typed (without #), or its words run
    together ("成都 火锅" is #成都火锅)."""
    return list(dict.fromkeys([found.text.lstrip("#").strip(), found.key.replace(" ", "")]))


def _exact_topic(topics: list[int]) -> Exists:
    """The note of the row is tagged with one of these topics."""
    return Exists(TaggedNote.objects.filter(content_object=OuterRef("pk"), tag_id__in=topics))


def _index_ranked(found: search.Terms, *, topics: list[int]) -> QuerySet[NoteSearch]:
    """The index rows with every word of the query, annotated with `search_score`: relevance,
    quality and boost as logarithms, plus EXACT_TOPIC_BONUS for a note of `topics` (the topics
    the query names exactly)."""
    rows = search.matching(NoteSearch.objects.all(), index=NoteSearch, found=found)
    score = Ln(Greatest(F("search_relevance"), Value(1e-9))) + F("quality") + F("boost")
    if topics:
        bonus = Case(When(_exact_topic(topics), then=Value(EXACT_TOPIC_BONUS)), default=Value(0.0))
        score = score + bonus
    return rows.annotate(search_score=score).only("note_id")


def _visible_page(rows: QuerySet[NoteSearch], **paging: object) -> Page:
    """A page of the rows' note ids, every note visible.

    The index holds only published notes of active accounts, but a row can lag behind (an
    author banned since): then the page is ranked again from the visible notes' rows alone.
    """
    page = keyset_page(rows, **paging)
    ids = [row.note_id for row in page.items]
    if ids and notes_published().filter(pk__in=ids).count() < len(ids):
        page = keyset_page(rows.filter(note__in=notes_published()), **paging)
        ids = [row.note_id for row in page.items]
    return Page(items=ids, next_cursor=page.next_cursor)


def _ranked_best(found: search.Terms, *, cursor: str | None, size: int) -> Page:
    """A page of the notes found, best first, as note ids.

    The exact topic matches lead every other note (EXACT_TOPIC_BONUS). While a page starts
    among them, they alone are ranked: a word that is also a big topic matches tens of
    thousands of notes, a seventh of them tagged with it. When the topic's notes run out within
    the page, or the query names no topic, the page is ranked from all the notes found.
    """
    keys, list_name = SORT_KEYS["best"], f"search.notes.best.{found.key}"
    topics = list(Tag.objects.filter(name__in=topic_names(found)).values_list("pk", flat=True))
    ranked = _index_ranked(found, topics=topics)
    page_of = partial(_visible_page, keys=keys, cursor=cursor, size=size, list_name=list_name)
    if topics:  # most queries name no topic
        score = None
        if cursor:
            score = cursor_values(ranked, keys=keys, cursor=cursor, list_name=list_name)[0]
        if score is None or score >= EXACT_TOPIC_BONUS / 2:
            page = page_of(ranked.filter(_exact_topic(topics)))
            if page.has_next:
                return page
    return page_of(ranked)


def _ranked(found: search.Terms, *, sort: str, cursor: str | None, size: int) -> Page:
    """A page of the notes found, as note ids: best first or most liked (from the index alone),
    or newest (from the visible notes with the words, walking the newest-first index)."""
    if sort == "best":
        return _ranked_best(found, cursor=cursor, size=size)
    list_name = f"search.notes.{sort}.{found.key}"
    if sort == "liked":
        # Sorting the notes by likes read every published note (no index has that order);
        # the matching rows' own copy is sorted instead.
        rows = search.matching(NoteSearch.objects.all(), index=NoteSearch, found=found)
        return _visible_page(
            rows.only("note_id"),
            keys=SORT_KEYS[sort],
            cursor=cursor,
            size=size,
            list_name=list_name,
        )
    matching = search.matching(notes_published(), index=NoteSearch, found=found, relation="search")
    page = keyset_page(
        matching.only("id", "published_at"),
        keys=SORT_KEYS[sort],
        cursor=cursor,
        size=size,
        list_name=list_name,
    )
    return Page(items=[note.pk for note in page.items], next_cursor=page.next_cursor)


def notes_search(
    *,
    found: search.Terms,
    sort: str,
    cursor: str | None,
    size: int,
    cards: Callable[[list[int]], list] = note_cards_in_order,
) -> Page:
    """A page of the notes found, best first (or newest, or most liked); card data loaded by
    `cards` (notes for the API, card rows for the page: notes.selectors.note_card_rows).

    Ranking reads every note that matches (a common word matches tens of thousands), so which
    notes make a page is kept SEARCH_PAGE_SECONDS in the shared cache: a query many readers
    type (the hot searches) is ranked once a minute, not per reader. The cards are read fresh,
    so a note taken off the site meanwhile is left out and counters are current.
    """
    sort = sort if sort in SORT_KEYS else "best"
    signature = "\x1f".join((sort, found.key, cursor or "", str(size)))
    key = "search:notes:" + hashlib.md5(signature.encode(), usedforsecurity=False).hexdigest()
    keep = settings.SEARCH_PAGE_SECONDS  # 0: every search ranks afresh
    ranked = cache.get(key) if keep > 0 else None
    if ranked is None:
        page = _ranked(found, sort=sort, cursor=cursor, size=size)
        ranked = (page.items, page.next_cursor)
        if keep > 0:
            cache.set(key, ranked, keep)
    note_ids, next_cursor = ranked
    return Page(items=cards(note_ids), next_cursor=next_cursor)


def topics_search(*, found: search.Terms, limit: int, prefix: bool = False) -> list[Tag]:
    """Topics whose name has every word (the last one begun, for suggestions), the biggest
    first; each tag carries `notes_count`."""
    rows = search.matching(TopicSearch.objects, index=TopicSearch, found=found, prefix=prefix)
    return _tags(rows.order_by("-notes_count", "-search_relevance", "tag_id")[:limit])


def topics_related(*, found: search.Terms, limit: int) -> list[Tag]:
    """Topics that share a word with the query: what "no results" suggests instead."""
    rows = search.matching(
        TopicSearch.objects, index=TopicSearch, found=found, any_word=True, prefix=True
    )
    return _tags(rows.order_by("-notes_count", "tag_id")[:limit])


def _tags(rows: QuerySet[TopicSearch]) -> list[Tag]:
    tags = []
    for row in rows.select_related("tag"):
        row.tag.notes_count = row.notes_count
        tags.append(row.tag)
    return tags


def search_history(*, actor: User | None, limit: int = HISTORY_SHOWN) -> list[str]:
    """The reader's latest different searches, as they typed them, newest first."""
    if actor is None:
        return []
    rows = SearchRecord.objects.filter(reader=actor).order_by("-created_at", "-id")
    shown: dict[str, str] = {}
    for query, text in rows.values_list("query", "text")[:HISTORY_READ]:
        shown.setdefault(query, text)
        if len(shown) == limit:
            break
    return list(shown.values())


def hot_queries(*, limit: int) -> list[HotQuery]:
    return list(HotQuery.objects.order_by("rank")[:limit])
