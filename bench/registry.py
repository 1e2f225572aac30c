"""What the bench measures: one line per entry.

A `page` is a URL requested in-process through the full middleware stack as the typical
reader (anonymous=True: signed out); http=True also loads it over HTTP against gunicorn,
explain=True shows the EXPLAIN ANALYZE of its queries. A `job` is a function run once that
returns its own Result. A `pending` entry is a name the issue reserves for a part of the site
not built yet: it appears in the results as "not built yet" until a line replaces it.

The URL of a page is a function of `Targets` (bench.targets): the reader, the busiest author,
the hottest tag, the deep cursors… so an entry stays one line.
"""

from collections.abc import Callable
from dataclasses import dataclass

from bench import jobs


@dataclass(frozen=True)
class PageEntry:
    name: str
    url: Callable  # (Targets) -> str | None; None: nothing to measure on this dataset
    http: bool = False
    explain: bool = False
    anonymous: bool = False


@dataclass(frozen=True)
class JobEntry:
    name: str
    run: Callable  # (Context) -> Result


@dataclass(frozen=True)
class PendingEntry:
    name: str
    kind: str
    why: str


def page(name: str, url: Callable, **options: bool) -> PageEntry:
    return PageEntry(name, url, **options)


def job(name: str, run: Callable) -> JobEntry:
    return JobEntry(name, run)


def pending(name: str, kind: str, why: str) -> PendingEntry:
    return PendingEntry(name, kind, why)


CEILING = page("ceiling", lambda t: t.ceiling_url, http=True)

PAGES: list[PageEntry] = [
    CEILING,
    # The ceiling for the signed-in reader: the session and the account loaded, nothing else.
    page("ceiling_signed_in", lambda t: f"{t.ceiling_url}&user=1", http=True),
    page("discover_page", lambda t: "/", http=True, explain=True),
    page("discover_page_anonymous", lambda t: "/", anonymous=True, http=True),
    page("discover_page_deep", lambda t: t.deep_url("discover"), explain=True),
    page("follow_page", lambda t: "/follow/", http=True, explain=True),
    page("follow_page_50", lambda t: "/follow/?size=50", explain=True),
    page("follow_page_deep", lambda t: t.deep_url("follow"), explain=True),
    page("nearby_page", lambda t: t.nearby_url, http=True, explain=True),
    page("nearby_page_deep", lambda t: t.deep_url("nearby"), explain=True),
    page("note_page", lambda t: t.note_url, http=True, explain=True),
    page("note_page_heavy", lambda t: t.heavy_note_url, explain=True),
    # Fetched under the note page once the reader scrolls to it, not with the page.
    page("note_more_from_author", lambda t: t.note_url and f"{t.note_url}more/", explain=True),
    page("profile_page", lambda t: t.profile_url, http=True, explain=True),
    page("tag_page", lambda t: t.tag_url, http=True, explain=True),
    page("tag_page_tail", lambda t: t.tail_tag_url, explain=True),
    page("hot_list", lambda t: "/hot/", http=True, explain=True),
    page("api_notes", lambda t: "/api/v1/notes/", http=True, explain=True),
    page("api_feed_discover", lambda t: "/api/v1/feeds/discover/", explain=True),
    page("api_feed_follow", lambda t: "/api/v1/feeds/follow/", explain=True),
    page("api_feed_nearby", lambda t: t.api_nearby_url, explain=True),
    page("mall_home", lambda t: "/mall/", http=True, explain=True),
    page("product_page", lambda t: t.product_url, http=True, explain=True),
]

JOBS: list[JobEntry] = [
    job("seed_large", jobs.seed_large),
    job("ces_job", jobs.ces_job),
    job("search_index", jobs.search_index_job),
    job("search", jobs.search_job),
    job("search_cold", jobs.search_cold_job),
    job("search_liked", jobs.search_liked_job),
    job("image_variants", jobs.image_variants),
    job("phone_page_bytes", jobs.phone_page_bytes),
    job("pool_job", jobs.pool_job),
]

PENDING: list[PendingEntry] = []
