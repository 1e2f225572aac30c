"""`manage.py bench`: SQL queries and timings of the feed pages and selectors, as a table,
and of the nightly counter recounts beside the bare GROUP BY of the same tables.

Runs against the current database, seeding the demo data first when it is missing. It only
reports numbers; it asserts nothing, so it also runs while a page is still a placeholder. (The
recounts correct any drift they find on their warm-up run, as the nightly task would.)
"""

import math
import statistics
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count, QuerySet, Sum
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from community import selectors as feeds
from community.demo.seeder import DEMO_USERNAME
from notes import selectors as note_selectors
from notes import services as note_services
from notes.models import Bookmark, Like, Note
from notes.services.moderation import NOTE_COUNTER_SOURCES
from users import services as user_services
from users.models import Follow, User

CARD_MARKER = b'<article class="card'


@dataclass
class Measure:
    name: str
    size: int | str
    status: int | str
    items: int | str
    queries: list[int]
    seconds: list[float]

    @property
    def query_label(self) -> str:
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}–{high}"

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int, *, left: bool) -> str:
    fill = " " * max(0, width - display_width(text))
    return text + fill if left else fill + text


def client_host() -> str:
    """A host name the current ALLOWED_HOSTS accepts, for the test client."""
    hosts = settings.ALLOWED_HOSTS
    if "*" in hosts or "testserver" in hosts or not hosts:
        return "testserver"
    return hosts[0].lstrip(".")


class Command(BaseCommand):
    help = "Report SQL queries and timings (median/p95) of the feed pages and selectors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=20, help="requests per row (20)")
        parser.add_argument("--sizes", default="20,50", help="page sizes to try (20,50)")
        parser.add_argument(
            "--users", type=int, default=60, help="accounts to seed when there is no demo data"
        )
        parser.add_argument(
            "--notes", type=int, default=400, help="notes to seed when there is no demo data"
        )

    def handle(self, *args: object, **options: object) -> None:
        requests = options["requests"]
        try:
            sizes = [int(size) for size in str(options["sizes"]).split(",") if size.strip()]
        except ValueError:
            raise CommandError("--sizes takes numbers separated by commas, e.g. 20,50") from None
        if requests < 1 or not sizes:
            raise CommandError("Use at least one request and one page size.")
        reader = User.objects.filter(username=DEMO_USERNAME).first()
        if reader is None:
            self.stdout.write("No demo data yet: seeding it first.")
            call_command(
                "seed_demo", users=options["users"], notes=options["notes"], stdout=self.stdout
            )
            reader = User.objects.get(username=DEMO_USERNAME)
        targets = self._targets()
        published = Note.objects.filter(status=Note.Status.PUBLISHED).count()
        self.stdout.write(
            f"Data: {User.objects.count()} accounts, {published} published notes. "
            f"{requests} requests per row (after one warm-up), database "
            f"{connection.vendor}, DEBUG={settings.DEBUG}."
        )
        self._table(
            "Pages (Django test client, logged in as demo unless anonymous)",
            self._pages(reader, targets, sizes, requests),
        )
        self._table(
            "Selectors (the queries behind the pages)",
            self._selectors(reader, targets, sizes, requests),
        )
        self._recounts(min(requests, 5))

    def _targets(self) -> dict[str, object]:
        """The busiest author, tag and note: the heaviest pages of their kind."""
        published = Note.objects.filter(status=Note.Status.PUBLISHED)
        author = (
            User.objects.filter(notes__status=Note.Status.PUBLISHED)
            .annotate(total=Count("notes"))
            .order_by("-total", "pk")
            .first()
        )
        tag = (
            Tag.objects.filter(taggit_taggeditem_items__object_id__in=published.values("pk"))
            .annotate(total=Count("taggit_taggeditem_items"))
            .order_by("-total", "pk")
            .first()
        )
        note = published.order_by("-comments_count", "-pk").first()
        city, _name, latitude, longitude = settings.NEARBY_CITIES[0]
        return {
            "author": author,
            "tag": tag,
            "note": note,
            "city": city,
            "latitude": latitude,
            "longitude": longitude,
        }

    def _pages(self, reader: User, targets: dict, sizes: list[int], requests: int) -> list:
        anonymous = Client(HTTP_HOST=client_host(), raise_request_exception=False)
        member = Client(HTTP_HOST=client_host(), raise_request_exception=False)
        member.force_login(reader)
        pages = [
            ("Discover (anonymous)", anonymous, "/"),
            ("Discover", member, "/"),
            ("Follow", member, "/follow/"),
            ("Nearby", member, f"/nearby/?city={targets['city']}"),
        ]
        if targets["author"] is not None:
            pages.append(("Profile (notes tab)", member, f"/u/{targets['author'].username}/"))
        if targets["tag"] is not None:
            pages.append((f"Tag #{targets['tag'].name}", member, f"/tags/{targets['tag'].slug}/"))
        rows = []
        for size in sizes:
            with override_settings(FEED_PAGE_SIZE=size):
                for name, client, url in pages:
                    sized = f"{url}{'&' if '?' in url else '?'}size={size}"
                    rows.append(self._page(name, client, sized, size, requests))
        if targets["note"] is not None:
            rows.append(self._page("Note", member, f"/notes/{targets['note'].pk}/", "—", requests))
        return rows

    def _page(self, name: str, client: Client, url: str, size: object, requests: int) -> Measure:
        client.get(url)  # warm-up: templates, translations, the session
        queries, seconds, response = [], [], None
        for _ in range(requests):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                seconds.append(time.perf_counter() - started)
            queries.append(len(captured.captured_queries))
        body = getattr(response, "content", b"")
        return Measure(name, size, response.status_code, body.count(CARD_MARKER), queries, seconds)

    def _selectors(self, reader: User, targets: dict, sizes: list[int], requests: int) -> list:
        calls: list[tuple[str, Callable[[int], object]]] = [
            (
                "feed_discover",
                lambda size: feeds.feed_discover(reader=reader, cursor=None, size=size),
            ),
            (
                "feed_follow",
                lambda size: feeds.feed_follow(reader=reader, cursor=None, size=size),
            ),
            (
                "feed_nearby",
                lambda size: feeds.feed_nearby(
                    latitude=targets["latitude"],
                    longitude=targets["longitude"],
                    radius_km=settings.NEARBY_DEFAULT_RADIUS_KM,
                    cursor=None,
                    size=size,
                ),
            ),
        ]
        if targets["author"] is not None:
            calls.append(
                (
                    "notes_by_author",
                    lambda size: note_selectors.notes_by_author(
                        author=targets["author"], viewer=reader, cursor=None, size=size
                    ),
                )
            )
        if targets["tag"] is not None:
            calls.append(
                (
                    "notes_tagged",
                    lambda size: note_selectors.notes_tagged(
                        tag_slug=targets["tag"].slug, cursor=None, size=size
                    ),
                )
            )
        rows = []
        for size in sizes:
            for name, call in calls:
                call(size)
                queries, seconds, items = [], [], 0
                for _ in range(requests):
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        page = call(size)
                        items = len(page.items)
                        seconds.append(time.perf_counter() - started)
                    queries.append(len(captured.captured_queries))
                rows.append(Measure(name, size, "", items, queries, seconds))
        return rows

    def _table(self, title: str, rows: list[Measure]) -> None:
        header = ("", "size", "status", "items", "queries", "median ms", "p95 ms")
        cells = [
            (
                row.name,
                str(row.size),
                str(row.status),
                str(row.items),
                row.query_label,
                f"{row.median_ms:.1f}",
                f"{row.p95_ms:.1f}",
            )
            for row in rows
        ]
        self._lines(title, header, cells)

    def _lines(self, title: str, header: tuple[str, ...], cells: list[tuple[str, ...]]) -> None:
        widths = [
            max(display_width(line[i]) for line in [header, *cells]) for i in range(len(header))
        ]

        def format_line(line: tuple[str, ...]) -> str:
            return "  ".join(
                pad(value, width, left=index == 0)
                for index, (value, width) in enumerate(zip(line, widths, strict=True))
            )

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(title))
        self.stdout.write(format_line(header))
        self.stdout.write("-" * (sum(widths) + 2 * (len(widths) - 1)))
        for line in cells:
            self.stdout.write(format_line(line))

    def _recounts(self, runs: int) -> None:
        """Each nightly recount beside the bare GROUP BY of the tables it reads (aggregated in
        the database, nothing fetched), and the ratio."""
        recounts: list[tuple[str, Callable[[], object], list[QuerySet]]] = [
            (
                "note_counters_recount",
                note_services.note_counters_recount,
                [
                    model.objects.values("note_id").annotate(total=Count("pk"))
                    for model, _actor in NOTE_COUNTER_SOURCES.values()
                ],
            ),
            (
                "user_follow_counters_recount",
                user_services.user_follow_counters_recount,
                [
                    Follow.objects.values("followee_id").annotate(total=Count("pk")),
                    Follow.objects.values("follower_id").annotate(total=Count("pk")),
                ],
            ),
            (
                "author_counters_recount",
                note_services.author_counters_recount,
                [
                    Note.objects.values("author_id").annotate(
                        likes=Sum("likes_count"), bookmarks=Sum("bookmarks_count")
                    ),
                    Like.objects.values("user_id").annotate(total=Count("pk")),
                    Bookmark.objects.values("user_id").annotate(total=Count("pk")),
                ],
            ),
        ]

        def group_by(groupings: list[QuerySet]) -> None:
            with connection.cursor() as cursor:
                for rows in groupings:
                    sql, params = rows.order_by().query.sql_with_params()
                    cursor.execute(f"SELECT COUNT(*) FROM ({sql}) grouped", params)  # noqa: S608
                    cursor.fetchone()

        def timed(call: Callable[[], object]) -> float:
            call()  # warm-up: caches, and any drift corrected before the timed runs
            seconds = []
            for _ in range(runs):
                started = time.perf_counter()
                call()
                seconds.append(time.perf_counter() - started)
            return statistics.median(seconds) * 1000

        lines = []
        for name, recount, groupings in recounts:
            recount_ms = timed(recount)
            bare_ms = timed(lambda groupings=groupings: group_by(groupings))
            ratio = f"{recount_ms / bare_ms:.2f}×" if bare_ms else "—"
            lines.append((name, f"{recount_ms:.1f}", f"{bare_ms:.1f}", ratio))
        self._lines(
            f"Nightly recount (batches of {settings.COUNTER_RECOUNT_BATCH_SIZE}, "
            f"median of {runs} runs) beside the bare GROUP BY of the tables it reads",
            ("", "median ms", "GROUP BY ms", "ratio"),
            lines,
        )
