"""Search's reads in notes: notes ranked by relevance and quality, topics, a reader's recent
searches and the hot searches. The page and the API share them (community.search).

A note's rank, best first, is the logarithm of

    text relevance × note quality (notes.scoring.note_quality) × author weight × freshness

with an exact topic match ahead of everything else. Relevance and quality are read live;
author weight and freshness are the index row's `boost` (notes.services.search.note_boost):
freshness is counted from a fixed origin, not from now, so ranks do not move while a reader
pages and the list is cut with keyset_page like any other.
"""

from django.db.models import Case, Exists, F, FloatField, OuterRef, QuerySet, Value, When
from django.db.models.functions import Cast, Greatest, Ln, Log
from taggit.models import Tag

from core import search
from core.pagination import Page, keyset_page
from notes.models import HotQuery, Note, NoteSearch, SearchRecord, TaggedNote, TopicSearch
from notes.scoring import PRIOR_CES, PRIOR_IMPRESSIONS
from notes.selectors import NEWEST_FIRST, note_cards, notes_published
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
    bonus = Value(1.0) + Log(Value(10.0), _float("ces") + Value(1.0)) / Value(4.0)
    return Ln(rate) + Ln(bonus)


def topic_names(found: search.Terms) -> list[str]:
    """The topic names a query matches exactly: as typed (without #), or its words run
    together ("成都 火锅" is #成都火锅)."""
    return list(dict.fromkeys([found.text.lstrip("#").strip(), found.key.replace(" ", "")]))


def notes_matching(found: search.Terms) -> QuerySet[Note]:
    """Visible notes with every word of the query, annotated with `search_score`."""
    queryset = search.matching(notes_published(), index=NoteSearch, found=found, relation="search")
    exact = Exists(
        TaggedNote.objects.filter(content_object=OuterRef("pk"), tag__name__in=topic_names(found))
    )
    return queryset.annotate(
        search_score=Ln(Greatest(F("search_relevance"), Value(1e-9)))
        + quality_ln()
        + F("search__boost")
        + Case(When(exact, then=Value(EXACT_TOPIC_BONUS)), default=Value(0.0))
    )


def notes_search(*, found: search.Terms, sort: str, cursor: str | None, size: int) -> Page:
    """A page of the notes found, best first (or newest, or most liked); card data loaded."""
    sort = sort if sort in SORT_KEYS else "best"
    return keyset_page(
        note_cards(notes_matching(found)),
        keys=SORT_KEYS[sort],
        cursor=cursor,
        size=size,
        list_name=f"search.notes.{sort}.{found.key}",
    )


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
