"""Search across the apps: what the results page, the suggestions and the API read.

Each app ranks its own kind (notes.search, users.search, mall.search); this module picks the
tab, and puts together the dropdown under the search box: topics and creators as the reader
types, their recent searches and the hot searches before they type.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from taggit.models import Tag

from core import search
from core.pagination import Page
from mall.search import products_search
from notes.models import HotQuery
from notes.search import (
    SORTS,
    hot_queries,
    notes_search,
    search_history,
    topics_related,
    topics_search,
)
from notes.selectors import note_cards_in_order
from notes.tasks import hot_queries_refresh_task
from users.models import User
from users.search import creators_search, creators_suggested_for

TABS = ("notes", "creators", "products")
SUGGESTED_TOPICS = 5
SUGGESTED_CREATORS = 3
HOT_SHOWN = 8
RELATED_TOPICS = 8
HOT_REFRESH_REQUESTED_KEY = "search:hot:refresh-requested"
HOT_REFRESH_SECONDS = 5 * 60


@dataclass
class Results:
    """One tab of results for a query: `page` of notes, creators or products."""

    found: search.Terms
    tab: str
    sort: str
    page: Page
    related_topics: list[Tag] = field(default_factory=list)


def search_results(
    *,
    found: search.Terms,
    tab: str,
    sort: str,
    cursor: str | None,
    size: int,
    note_cards: Callable[[list[int]], list] = note_cards_in_order,
) -> Results:
    """A page of the tab's results; a query that finds nothing gets topics sharing a word.
    `note_cards` reads the notes found from their ids (notes.search.notes_search)."""
    tab = tab if tab in TABS else "notes"
    sort = sort if sort in SORTS else "best"
    if tab == "creators":
        page = creators_search(found=found, cursor=cursor, size=size)
    elif tab == "products":
        page = products_search(found=found, cursor=cursor, size=size)
    else:
        page = notes_search(found=found, sort=sort, cursor=cursor, size=size, cards=note_cards)
    results = Results(found=found, tab=tab, sort=sort, page=page)
    if not page.items and cursor is None and found:
        results.related_topics = topics_related(found=found, limit=RELATED_TOPICS)
    return results


@dataclass
class Suggestions:
    text: str
    topics: list[Tag] = field(default_factory=list)
    creators: list[User] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    hot: list[HotQuery] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.topics or self.creators or self.history or self.hot)


def hot_searches_ensure() -> None:
    """Recompute the hot searches here and now when no refresh ran lately: the beat does it
    every few minutes, this keeps an install without one (the embedded default) current."""
    if cache.add(HOT_REFRESH_REQUESTED_KEY, "1", HOT_REFRESH_SECONDS):
        hot_queries_refresh_task()


def search_suggestions(*, actor: User | None, text: str) -> Suggestions:
    """The dropdown: before typing, the reader's recent searches and the hot searches; while
    typing, topics and creators whose names start so, and recent searches that do."""
    found = search.terms(text)
    history = search_history(actor=actor)
    if not found:
        hot_searches_ensure()
        return Suggestions(text="", history=history, hot=hot_queries(limit=HOT_SHOWN))
    typed = found.text.casefold()
    return Suggestions(
        text=found.text,
        topics=topics_search(found=found, limit=SUGGESTED_TOPICS, prefix=True),
        creators=creators_suggested_for(found=found, limit=SUGGESTED_CREATORS),
        history=[entry for entry in history if entry.casefold().startswith(typed)][:3],
    )
