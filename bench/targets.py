"""What the measured pages are about: the reader, the heaviest author, tag and note, the deep
cursors. Found once per run, from whatever dataset the database holds.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from bench.dataset import READER_USERNAME
from community import selectors as feeds
from community.demo.seeder import DEMO_USERNAME
from core.pagination import Page
from mall.selectors import products_on_sale
from notes.selectors import notes_published
from users.models import User

DEEP_POSITION = 50_000  # the "cursor position 50,000"
DEEP_SHARE = 0.9  # a feed shorter than that is measured at 90 % of its length
DEEP_STEP = 10_000  # rows fetched per page while walking to the deep cursor


@dataclass
class Targets:
    reader: User
    city: tuple  # (slug, name, latitude, longitude) from NEARBY_CITIES
    ceiling_url: str = "/bench/ceiling/"
    profile_url: str | None = None
    tag_url: str | None = None
    tail_tag_url: str | None = None
    note_url: str | None = None
    heavy_note_url: str | None = None
    product_url: str | None = None  # the product linked from the most notes (its waterfall)
    deep: dict[str, tuple[str, int]] = field(default_factory=dict)  # feed: (query, position)

    @property
    def nearby_url(self) -> str:
        return f"/nearby/?{urlencode({'city': self.city[0]})}"

    @property
    def api_nearby_url(self) -> str:
        return f"/api/v1/feeds/nearby/?{urlencode({'lat': self.city[2], 'lng': self.city[3]})}"

    def deep_url(self, feed: str) -> str | None:
        if feed not in self.deep:
            return None
        base = {"discover": "/", "follow": "/follow/", "nearby": self.nearby_url}[feed]
        query, _position = self.deep[feed]
        return f"{base}{'&' if '?' in base else '?'}{query}"

    def deep_position(self, feed: str) -> int | None:
        return self.deep[feed][1] if feed in self.deep else None


def find_reader() -> User:
    """The bench's typical reader, else the demo reader, else any active account."""
    for username in (READER_USERNAME, DEMO_USERNAME):
        reader = User.objects.filter(username=username).first()
        if reader is not None:
            return reader
    reader = User.objects.filter(is_active=True).order_by("pk").first()
    if reader is None:
        raise LookupError("No account to read as: seed a dataset first.")
    return reader


def _deep_cursor(feed: Callable[..., Page], length: int) -> tuple[str, int] | None:
    """The cursor at DEEP_POSITION (or 90 % of a shorter feed), walked with the selector
    itself, so it is the cursor a reader scrolling that far would hold."""
    position = min(DEEP_POSITION, int(length * DEEP_SHARE))
    if position < 2:
        return None
    cursor, walked = None, 0
    while walked < position:
        step = min(DEEP_STEP, position - walked)
        page = feed(cursor=cursor, size=step)
        walked += len(page.items)
        cursor = page.next_cursor
        if cursor is None:
            # The feed holds fewer notes than its table (Discover serves a bounded list with
            # a cap per author): measure at 90 % of what it does hold.
            return _deep_cursor(feed, walked) if walked < length else None
    return urlencode({"cursor": cursor}), position


def find_targets(reader: User | None = None) -> Targets:
    reader = reader or find_reader()
    city = settings.NEARBY_CITIES[0]
    targets = Targets(reader=reader, city=city)
    published = notes_published()
    author = (
        published.values("author__username")
        .annotate(total=Count("pk"))
        .order_by("-total", "author__username")
        .first()
    )
    if author:
        targets.profile_url = f"/u/{author['author__username']}/"
    tags = (
        published.values("tags__slug")
        .filter(tags__isnull=False)
        .annotate(total=Count("pk"))
        .order_by("-total", "tags__slug")
    )
    ranked = list(tags)
    if ranked:
        targets.tag_url = f"/tags/{quote(ranked[0]['tags__slug'])}/"
        targets.tail_tag_url = f"/tags/{quote(ranked[len(ranked) * 3 // 4]['tags__slug'])}/"
    heavy = published.order_by("-comments_count", "-pk").first()
    if heavy is not None:
        targets.heavy_note_url = heavy.get_absolute_url()
    # A typical note: photos, a few comments, its author's other notes below it.
    typical = published.filter(comments_count__range=(2, 10), images__position=0).order_by("pk")
    middle = typical.count() // 2
    typical_note = typical[middle : middle + 1].first()
    if typical_note is not None:
        targets.note_url = typical_note.get_absolute_url()
    product = (
        products_on_sale()
        .annotate(notes=Count("note_links"))
        .order_by("-notes", "pk")
        .values("pk")
        .first()
    )
    if product is not None:
        targets.product_url = reverse("mall:product", kwargs={"product_id": product["pk"]})
    _, _name, latitude, longitude = city
    radius = settings.NEARBY_DEFAULT_RADIUS_KM
    lengths = {
        "discover": published.exclude(author=reader).count(),
        "follow": published.filter(author__follower_links__follower=reader).count(),
        "nearby": feeds.notes_near(
            latitude=latitude, longitude=longitude, radius_km=radius
        ).count(),
    }
    walkers = {
        "discover": lambda **page: feeds.feed_discover(actor=reader, **page),
        "follow": lambda **page: feeds.feed_follow(actor=reader, **page),
        "nearby": lambda **page: feeds.feed_nearby(
            latitude=latitude, longitude=longitude, radius_km=radius, **page
        ),
    }
    for feed, walk in walkers.items():
        deep = _deep_cursor(walk, lengths[feed])
        if deep is not None:
            targets.deep[feed] = deep
    return targets


def describe(targets: Targets) -> list[str]:
    """Lines for the results' preamble: what each page is about."""
    lines = [
        f"- reader: `{targets.reader.username}` (follows {targets.reader.following_count})",
        f"- profile: `{targets.profile_url}` (the author with the most notes)",
        f"- tag: `{targets.tag_url}` (hottest), tail: `{targets.tail_tag_url}`",
        f"- note: `{targets.note_url}`, heavy note: `{targets.heavy_note_url}`",
        f"- nearby: `{targets.nearby_url}`",
        f"- product: `{targets.product_url}` (linked from the most notes)",
    ]
    for feed, (_query, position) in targets.deep.items():
        lines.append(f"- {feed} deep page: the cursor at position {position:,}")
    return lines
