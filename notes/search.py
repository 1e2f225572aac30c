"""Search's reads in notes: notes ranked by relevance and quality, topics, a reader's recent
searches and the hot searches. The page and the API share them (community.search).

A note's rank, best first, is the logarithm of

    text relevance × note quality (notes.scoring.note_quality) × author weight × freshness

with an exact topic match ahead of everything else. Relevance and quality are read live;
author weight and freshness are the index row's `boost` (notes.services.search.note_boost):
freshness is counted from a fixed origin, not from now, so ranks do not move while a reader
pages and the list is cut with keyset_page like any other.
"""

import hashlib
import math
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Exists, F, FloatField, OuterRef, QuerySet, Value, When
from django.db.models.functions import Cast, Greatest, Ln
from taggit.models import Tag

from core import search
from core.pagination import Page, cursor_values, keyset_page
from notes.models import HotQuery, Note, NoteSearch, SearchRecord, TaggedNote, TopicSearch
from notes.scoring import PRIOR_CES, PRIOR_IMPRESSIONS
from notes.selectors import NEWEST_FIRST, note_cards_in_order, notes_published
from users.models import User

SORTS = ("best", "newest", "liked")
SORT_KEYS = {
    "best": ("-search_score", "-id"),
    "newest": NEWEST_FIRST,
    "liked": ("-likes_count", "-id"),
}
EXACT_TOPIC_BONUS = 1000.0  # added to the logarithm: an exact topic match leads any other
HISTORY_SHOWN = 8
HISTORY_READ = 50  # recent rows read to find HISTORY_SHOWN different queries


def _float(name: str) -> Cast:
    return Cast(name, FloatField())


def quality_ln() -> Ln:
    """ln(notes.scoring.note_quality) in SQL: the smoothed engagement rate, then CES."""
    rate = (_float("ces") + Value(PRIOR_CES)) / (_float("impressions") + Value(PRIOR_IMPRESSIONS))
    # log10 as ln / ln 10: Django's Log() casts to numeric on PostgreSQL, whose logarithm at
    # that precision cost more than all the rest of a search over tens of thousands of notes.
    bonus = Value(1.0) + Ln(_float("ces") + Value(1.0)) / Value(4.0 * math.log(10.0))
    return Ln(rate) + Ln(bonus)


def topic_names(found: search.Terms) -> list[str]:
    """The topic names a query matches exactly: as typed (without #), or its words run
    together ("成都 火锅" is #成都火锅)."""
    return list(dict.fromkeys([found.text.lstrip("#").strip(), found.key.replace(" ", "")]))


def _exact_topic(**tag: object) -> Exists:
    """The note is tagged with a topic the query names exactly (`tag__name__in=` its names, or
    `tag_id__in=` their ids)."""
    return Exists(TaggedNote.objects.filter(content_object=OuterRef("pk"), **tag))


def notes_matching(found: search.Terms) -> QuerySet[Note]:
    """Visible notes with every word of the query, annotated with `search_score`."""
    queryset = search.matching(notes_published(), index=NoteSearch, found=found, relation="search")
    return queryset.annotate(
        search_score=Ln(Greatest(F("search_relevance"), Value(1e-9)))
        + quality_ln()
        + F("search__boost")
        + Case(
            When(_exact_topic(tag__name__in=topic_names(found)), then=Value(EXACT_TOPIC_BONUS)),
            default=Value(0.0),
        )
    )


def _ranked(found: search.Terms, *, sort: str, cursor: str | None, size: int) -> Page:
    """A page of the notes found, ids and sort keys only.

    Best first, the exact topic matches lead every other note (EXACT_TOPIC_BONUS). While a
    page starts among them, they alone are ranked: a word that is also a big topic matches
    tens of thousands of notes, a seventh of them tagged with it. When the topic's notes run
    out within the page, or the query names no topic, the page is ranked from all the notes
    found.
    """
    matching = notes_matching(found).only("id", "published_at", "likes_count")
    keys, list_name = SORT_KEYS[sort], f"search.notes.{sort}.{found.key}"
    page_of = partial(keyset_page, keys=keys, cursor=cursor, size=size, list_name=list_name)
    if sort == "best":
        score = None
        if cursor:
            score = cursor_values(matching, keys=keys, cursor=cursor, list_name=list_name)[0]
        if score is None or score >= EXACT_TOPIC_BONUS / 2:
            topics = list(
                Tag.objects.filter(name__in=topic_names(found)).values_list("pk", flat=True)
            )
            if topics:  # most queries name no topic: one small read, not a second ranking
                page = page_of(matching.filter(_exact_topic(tag_id__in=topics)))
                if page.has_next:
                    return page
    return page_of(matching)


def notes_search(*, found: search.Terms, sort: str, cursor: str | None, size: int) -> Page:
    """A page of the notes found, best first (or newest, or most liked); card data loaded.

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
        ranked = ([note.pk for note in page.items], page.next_cursor)
        if keep > 0:
            cache.set(key, ranked, keep)
    note_ids, next_cursor = ranked
    return Page(items=note_cards_in_order(note_ids), next_cursor=next_cursor)


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
