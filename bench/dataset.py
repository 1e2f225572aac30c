"""A large community generated in bulk, for `make bench` (`manage.py seed_large`).

Rows are generated in Python with their ids and written with PostgreSQL's COPY (executemany
elsewhere), never through the services: 200,000 notes through `note_create` would take hours.
Every counter is written consistent with the rows it counts, so the nightly recount finds
nothing to fix. The skew is the one a real community has: a few accounts with thousands of
followers, prolific authors, hot tags and a long tail, a few notes everyone likes, places
clustered in city centres. Photos come from a small pool of generated files shared by all notes.

The community is alive for the discovery engine too: most notes are recent (a growing
community), every published note has its traffic pool (new notes in pool 0, a few promoted high,
many settled), impressions agree with the daily counts and with the pools' budgets, and the
typical reader has interests, so Discover serves a realistic list.

Deterministic for a seed and scale, apart from the times (relative to now).
"""

import bisect
import itertools
import json
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from community.demo import content, images
from community.demo import mall as demo_mall
from mall.models import Brand, Category, NoteProduct, Product, ProductImage, Sku
from notes.models import (
    Bookmark,
    Comment,
    DiscoveryCheckpoint,
    Like,
    Note,
    NoteImage,
    NoteImpressionDay,
    NotePoolEntry,
    NoteTraffic,
    ReaderInterest,
)
from notes.scoring import ces
from notes.services.interests import STREAMS, weights_trimmed
from notes.services.pools import pool_budget, promotion_rate, starting_pool
from users.models import Follow, User
from users.selectors import account_weight

USERNAME_PREFIX = "bench"
READER_USERNAME = "bench_reader"
READER_PASSWORD = "bench-reader-password"  # noqa: S105 - a generated account on a bench database
READER_FOLLOWS = 30
READER_NOTES = 5
HISTORY_DAYS = 365
# Ages are drawn as HISTORY_DAYS × u**RECENT_SKEW: a growing community, where ~5 % of the notes
# are from the last day, ~14 % from the last week and ~40 % from the last two months.
RECENT_SKEW = 2.0
# A note's share of attention grows over its first hours (a note of an hour has had little).
GROWN_FLOOR = 0.05
GROWN_HOURS = 24
# Engagement rate (CES per impression) of a note in its first pool: log-normal around
# RATE_MEDIAN, higher for the notes people engage with most, lower in each wider pool; it
# decides how far the note climbs the traffic pools.
RATE_MEDIAN = 0.09
RATE_SIGMA = 0.5
POOL_RATE_DECAY = 0.85
# How fast the pools show a note: EXPOSURE_IMPRESSIONS by EXPOSURE_HOURS, then faster.
EXPOSURE_IMPRESSIONS = 250
EXPOSURE_HOURS = 24
EXPOSURE_GROWTH = 1.3
SETTLED_EXTRA = 0.3  # at most this share of its last budget more, shown outside Discover
# A note's impressions fall on these days after publication, in these shares: most at once.
IMPRESSION_DAYS = ((0, 0.5), (1, 0.25), (2, 0.12), (7, 0.08), (30, 0.05))
PHOTO_POOL = 24
PHOTO_SHARE = 0.9  # the others are text-only cards
PLACE_SHARE = 0.2
PLACE_MEAN_KM = 6  # distance from the city centre: exponential, so centres are dense
CITY_WEIGHTS = {
    "shanghai": 35,
    "beijing": 25,
    "guangzhou": 12,
    "shenzhen": 12,
    "hangzhou": 8,
    "chengdu": 8,
}
KM_PER_DEGREE = 111.32
REPLY_SHARE = 0.3
# The mall: products (made after the demo's, numbered) under bench brands and categories,
# linked from a share of the notes, the best sellers from many notes.
MALL_SLUG_PREFIX = "bench-"
LINKED_NOTE_SHARE = 0.1
LINKS_PER_NOTE = (1, 1, 1, 2, 3)
SKU_CODE_PREFIX = "BENCH-"
SOLD_OUT_SHARE = 0.05
FEATURED_PRODUCTS = 12
WRITER_SHARE = 0.4  # accounts that write at least one note
TAG_MODIFIERS = (
    "日记", "分享", "合集", "攻略", "推荐", "灵感", "打卡", "好物", "教程", "vlog",
    "新手", "进阶", "平价", "小众", "周末", "日常", "测评", "清单", "避雷", "宝藏",
    "学生党", "上班族", "秋冬", "春夏", "ins风", "复古", "极简", "治愈", "高级感", "一周",
    "入门", "必备", "心得", "记录", "挑战",
)  # fmt: skip


@dataclass(frozen=True)
class DatasetSize:
    """How many rows of each kind; scale 1 is the issue's large community."""

    users: int
    notes: int
    likes: int
    bookmarks: int
    comments: int
    follows: int
    tags: int
    heavy_comments: int  # one note with this many comments
    products: int
    brands: int

    @classmethod
    def at(cls, scale: float) -> "DatasetSize":
        def scaled(full: int, least: int) -> int:
            return max(least, round(full * scale))

        return cls(
            users=scaled(20_000, 20),
            notes=scaled(200_000, 40),
            likes=scaled(3_000_000, 100),
            bookmarks=scaled(600_000, 20),
            comments=scaled(400_000, 40),
            follows=scaled(200_000, 40),
            tags=max(20, round(2_000 * math.sqrt(scale))),
            heavy_comments=scaled(3_800, 20),
            products=scaled(1_000, 20),
            brands=scaled(40, 4),
        )


@dataclass
class SeedResult:
    seeded: bool
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)


class DatasetError(Exception):
    """The database holds something else than a bench dataset: refuse to touch it."""


def bench_usernames() -> models.QuerySet:
    return User.objects.filter(username__startswith=USERNAME_PREFIX)


def present_size() -> tuple[int, int]:
    """(bench accounts, notes they wrote) already in the database."""
    users = bench_usernames()
    return users.count(), Note.objects.filter(author__in=users).count()


def _has_every_part(size: "DatasetSize") -> bool:
    """Whether the parts added to the dataset since it was first written are there too (a
    dataset seeded by an older bench measures pages as empty): every note's traffic pool, and the
    mall's products."""
    products = Product.objects.filter(brand__slug__startswith=MALL_SLUG_PREFIX)
    return NoteTraffic.objects.count() >= size.notes and products.count() == size.products


def dataset_rows() -> dict[str, int]:
    """Rows per table of what the bench runs on (the whole database, not only bench rows)."""
    through = Note.tags.through
    tables = [
        User, Follow, Note, NoteImage, Like, Bookmark, Comment, Tag, through,
        NoteTraffic, NotePoolEntry, NoteImpressionDay,
    ]  # fmt: skip
    tables += [Brand, Category, Product, Sku, NoteProduct]
    return {model._meta.db_table: model.objects.count() for model in tables}


def _power_weights(count: int, *, offset: float, exponent: float) -> list[float]:
    """Cumulative weights of ranks 0…count-1 falling as (rank + offset) ** -exponent."""
    return list(itertools.accumulate((rank + offset) ** -exponent for rank in range(count)))


class TableWriter:
    """Bulk rows into one model's table: COPY on PostgreSQL, executemany elsewhere.

    Fields not given get their model default, so a column added later with a default needs
    no change here.
    """

    BATCH = 5_000

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        self.model = model
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        self.fields = [by_attname[name] for name in fields]
        self.missing = [f for f in model._meta.concrete_fields if f.attname not in fields]
        self.constants = tuple(f.get_default() for f in self.missing)
        self.columns = [f.column for f in self.fields + self.missing]

    def write(self, rows: Iterable[Sequence[Any]]) -> int:
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        count = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row((*row, *self.constants))
                        count += 1
                return count
            all_fields = self.fields + self.missing
            marks = ", ".join(["%s"] * len(all_fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - our names
            iterator = iter(rows)
            while batch := list(itertools.islice(iterator, self.BATCH)):
                prepared = [
                    [
                        f.get_db_prep_save(value, connection)
                        for f, value in zip(all_fields, (*row, *self.constants), strict=True)
                    ]
                    for row in batch
                ]
                cursor.executemany(sql, prepared)
                count += len(prepared)
        return count


@dataclass
class TrafficPlan:
    """Where a note stands in the pools, and how it got there: `history` holds its
    (pool, reason, at, impressions, ces) entries, as traffic_pools_evaluate would have written."""

    impressions: int
    pool: int
    state: str
    entered_at: datetime
    impressions_at_entry: int
    ces_at_entry: int
    history: list[tuple[int, str, datetime, int, int]]


def exposure(hours: float) -> float:
    """How many impressions the pools can give a note this old: EXPOSURE_IMPRESSIONS after
    EXPOSURE_HOURS, growing faster than its age (a promoted note meets a wider audience)."""
    return EXPOSURE_IMPRESSIONS * (max(hours, 0.0) / EXPOSURE_HOURS) ** EXPOSURE_GROWTH


def exposure_hours(impressions: float) -> float:
    """The age at which a note had had `impressions` (the inverse of exposure)."""
    return EXPOSURE_HOURS * (impressions / EXPOSURE_IMPRESSIONS) ** (1 / EXPOSURE_GROWTH)


def traffic_plan(
    *, score: int, rate: float, published: datetime, now: datetime, first_pool: int, extra: float
) -> TrafficPlan:
    """Walk a note through the pools as the pool task would have: in pool k its readers give
    CES at `rate` × POOL_RATE_DECAY**k (wider pools, cooler readers) until its `score` is
    reached; a note the pools have had time to show its whole budget to is promoted if it beat
    the threshold, else settled; the note still using its budget is offered.

    A settled note keeps a few impressions more (`extra` of its last budget: Follow, profiles,
    tags and search still show it), and the rest of its CES came from there.
    """
    available = exposure((now - published).total_seconds() / 3600)

    def at(shown: int) -> datetime:
        return min(now, published + timedelta(hours=exposure_hours(shown)))

    pool, shown, gained = first_pool, 0, 0
    history = [(pool, NotePoolEntry.Reason.PUBLISHED, published, 0, 0)]
    while True:
        budget = pool_budget(pool)
        if shown + budget > available:  # still using this pool's budget
            state = NoteTraffic.State.OFFERED
            impressions = shown + min(budget - 1, max(0, round(available - shown)))
            break
        earned = min(score - gained, round(rate * POOL_RATE_DECAY**pool * budget))
        threshold = promotion_rate(pool)
        if threshold is None or earned / budget <= threshold:
            state = NoteTraffic.State.SETTLED
            impressions = shown + budget + round(budget * extra)
            settled = (at(shown + budget), shown + budget, gained + earned)
            history.append((pool, NotePoolEntry.Reason.SETTLED, *settled))
            break
        pool, shown, gained = pool + 1, shown + budget, gained + earned
        history.append((pool, NotePoolEntry.Reason.PROMOTED, at(shown), shown, gained))
    entered = next(row for row in reversed(history) if row[1] != NotePoolEntry.Reason.SETTLED)
    return TrafficPlan(
        impressions=impressions,
        pool=pool,
        state=state,
        entered_at=entered[2],
        impressions_at_entry=entered[3],
        ces_at_entry=entered[4],
        history=history,
    )


class LargeSeeder:
    LOADED = (
        Note,
        NoteImage,
        Like,
        Bookmark,
        Comment,
        Follow,
        NoteTraffic,
        NotePoolEntry,
        NoteImpressionDay,
    )

    def __init__(self, *, size: DatasetSize, seed: int, log: Any = None) -> None:
        self.size = size
        self.rng = random.Random(seed)  # noqa: S311 - generated data only needs to repeat
        self.log = log or (lambda message: None)
        self.now = timezone.now().replace(microsecond=0)
        self.rows: Counter = Counter()
        # Filled by _plan, before any row is written.
        self.user_ids: list[int] = []
        self.note_ids: list[int] = []
        self.note_authors: list[int] = []
        self.note_times: list[datetime] = []
        self.moments: list[datetime] = []
        self.traffic: list[TrafficPlan] = []
        self.note_tags: list[set[int]] = []
        self.reader_acts: dict[int, float] = Counter()  # note index → interest signal

    def run(self) -> dict[str, int]:
        started = time.perf_counter()
        photos = self._photo_pool()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            self._plan()
            with self._checks_after_load():
                self._users()
                tag_ids = self._tags()
                self._notes()
                self._note_images(photos)
                self._taggings(tag_ids)
                self._likes()
                self._bookmarks()
                self._comments()
                self._follows()
                self._pools()
                self._impression_days()
            self._mall(photos)
            self._reader_interests(tag_ids)
            self._reset_sequences()
        self._analyze()
        self.log(f"seeded in {time.perf_counter() - started:.0f} s")
        return dict(self.rows)

    @contextmanager
    def _checks_after_load(self) -> Iterator[None]:
        """PostgreSQL: drop the foreign keys, unique constraints and indexes of the loaded
        tables, and add them back once the rows are in.

        One validating join per constraint and one sort per index, instead of a trigger and an
        index insertion per row: a foreign key checked row by row (and deferred to the commit)
        took longer than writing the 5 million rows.
        """
        if connection.vendor != "postgresql":
            yield
            return
        started = time.perf_counter()
        tables = [model._meta.db_table for model in (*self.LOADED, Note.tags.through)]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype IN ('f', 'u') "
                "AND conrelid::regclass::text = ANY(%s) ORDER BY contype DESC",
                [tables],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [tables],
            )
            indexes = cursor.fetchall()
            for table, name, _definition in reversed(constraints):
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        self.log(f"constraints and indexes dropped in {time.perf_counter() - started:.1f} s")
        yield
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in constraints:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        self.log(f"constraints and indexes rebuilt in {time.perf_counter() - started:.1f} s")

    def _step(self, name: str, count: int, started: float) -> None:
        self.rows[name] += count
        self.log(f"{name}: {count:,} rows in {time.perf_counter() - started:.1f} s")

    def _next_id(self, model: type[models.Model]) -> int:
        return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1

    def _photo_pool(self) -> list[tuple[str, int, int]]:
        """A few generated JPEGs (storage name, width, height) every note draws from."""
        pool = []
        for index in range(PHOTO_POOL):
            topic = content.TOPICS[index % len(content.TOPICS)]
            ratio = list(images.RATIOS)[index % len(images.RATIOS)]
            name = f"bench/pool-{index:02d}.jpg"
            if not default_storage.exists(name):
                caption = content.CAPTIONS["zh"][topic][index % len(content.CAPTIONS["zh"][topic])]
                picture = images.note_picture(
                    topic=topic,
                    ratio=ratio,
                    caption=caption,
                    rng=random.Random(index),  # noqa: S311
                )
                name = default_storage.save(name, ContentFile(picture))
            width, height = images.picture_size(ratio)
            pool.append((name, width, height))
        return pool

    def _users(self) -> None:
        started = time.perf_counter()
        rng = self.rng
        password = make_password(READER_PASSWORD)
        cities = [name for _slug, name, *_rest in content.CITIES]
        fields = [
            "id", "password", "is_superuser", "username", "first_name", "last_name", "email",
            "is_staff", "is_active", "date_joined", "display_name", "bio", "city", "kind",
            "followers_count", "following_count", "likes_received", "bookmarks_received",
        ]  # fmt: skip
        following = Counter(follower for follower, _followee in self.followers)
        followed = Counter(followee for _follower, followee in self.followers)

        def rows() -> Iterator[tuple]:
            for rank, user_id in enumerate(self.user_ids):
                username = (
                    READER_USERNAME if user_id == self.reader_id else f"{USERNAME_PREFIX}{rank:05d}"
                )
                yield (
                    user_id, password, False, username, "", "", f"{username}@bench.hongshu.local",
                    False, True, self.now - timedelta(days=HISTORY_DAYS + rng.randrange(300)),
                    f"红薯{rank}号", "", rng.choice(cities),
                    User.Kind.CREATOR if rank < 200 else User.Kind.PERSONAL,
                    followed[user_id], following[user_id], *self.received.get(user_id, (0, 0)),
                )  # fmt: skip

        self._step("users", TableWriter(User, fields).write(rows()), started)

    def _follow_plan(self) -> list[tuple[int, int]]:
        """(follower, followee) pairs: followees by a power law, so a few have thousands."""
        rng, ids = self.rng, self.user_ids
        weights = _power_weights(len(ids), offset=5, exponent=1.0)
        pairs: set[tuple[int, int]] = set()
        reader_follows = set()
        while len(reader_follows) < min(READER_FOLLOWS, len(ids) - 1):
            followee = rng.choices(ids, cum_weights=weights)[0]
            if followee != self.reader_id:
                reader_follows.add(followee)
        pairs.update((self.reader_id, followee) for followee in reader_follows)
        while len(pairs) < self.size.follows:
            missing = self.size.follows - len(pairs)
            followees = rng.choices(ids, cum_weights=weights, k=missing)
            for followee in followees:
                follower = rng.choice(ids)
                if follower != followee and follower != self.reader_id:
                    pairs.add((follower, followee))
        return sorted(pairs)

    def _tags(self) -> list[int]:
        """~2,000 tags: the demo's hashtags are the hot ones, combinations the long tail."""
        started = time.perf_counter()
        hot = list(
            dict.fromkeys(
                name
                for language in ("zh", "en")
                for names in content.HASHTAGS[language].values()
                for name in names
            )
        )
        names = list(hot)
        for modifier in TAG_MODIFIERS:
            names.extend(f"{name}{modifier}" for name in hot)
        names = list(dict.fromkeys(names))[: self.size.tags]
        existing = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
        first = self._next_id(Tag)
        tag_ids, rows, slugs = [], [], set(Tag.objects.values_list("slug", flat=True))
        for name in names:
            if name in existing:
                continue
            slug = base = slugify(name, allow_unicode=True) or "tag"
            suffix = 1
            while slug in slugs:
                suffix += 1
                slug = f"{base}_{suffix}"
            slugs.add(slug)
            tag_id = first + len(rows)
            rows.append((tag_id, name, slug))
            tag_ids.append(tag_id)
        tag_ids = list(Tag.objects.filter(name__in=existing).values_list("pk", flat=True)) + tag_ids
        self._step("tags", TableWriter(Tag, ["id", "name", "slug"]).write(rows), started)
        # In the order of `names`, so rank 0 is the hottest.
        by_name = dict(Tag.objects.filter(pk__in=tag_ids).values_list("name", "pk"))
        by_name.update({name: tag_id for tag_id, name, _slug in rows})
        return [by_name[name] for name in names if name in by_name]

    def _plan(self) -> None:
        """Ids, who follows whom, who writes what and when, and how much attention it draws."""
        size, rng = self.size, self.rng
        first = self._next_id(User)
        self.user_ids = list(range(first, first + size.users))
        # Rank 0 is the busiest writer and the most followed account; the reader is a typical
        # account (not a star), placed at the median.
        self.reader_id = self.user_ids[size.users // 2]
        self.followers = self._follow_plan()
        writers = self.user_ids[: max(1, round(len(self.user_ids) * WRITER_SHARE))]
        weights = _power_weights(len(writers), offset=20, exponent=1.1)
        authors = rng.choices(writers, cum_weights=weights, k=size.notes - READER_NOTES)
        authors += [self.reader_id] * READER_NOTES
        rng.shuffle(authors)
        history = HISTORY_DAYS * 86_400
        first = self._next_id(Note)
        self.note_ids = list(range(first, first + len(authors)))
        self.note_authors = authors
        # Ids grow with time, as they do when notes are written one after another.
        self.note_times = sorted(
            self.now - timedelta(seconds=self._age_seconds(history, least=600)) for _ in authors
        )
        self.moments = sorted(
            self.now - timedelta(seconds=self._age_seconds(history, least=0)) for _ in range(20_000)
        )
        popularity = [
            rng.paretovariate(1.5) * self._grown(self.now - published)
            for published in self.note_times
        ]
        self.likes_per_note = self._spread(size.likes, popularity, cap=len(self.user_ids) // 4)
        self.bookmarks_per_note = self._spread(
            size.bookmarks, popularity, cap=len(self.user_ids) // 10
        )
        comments = self._spread(
            size.comments - size.heavy_comments, popularity, cap=size.heavy_comments
        )
        self.heavy_note = max(range(len(popularity)), key=popularity.__getitem__)
        comments[self.heavy_note] = size.heavy_comments
        self.comments_per_note = comments
        self._mall_plan()
        self.received: dict[int, tuple[int, int]] = {}
        for author, likes, bookmarks in zip(
            authors, self.likes_per_note, self.bookmarks_per_note, strict=True
        ):
            got_likes, got_bookmarks = self.received.get(author, (0, 0))
            self.received[author] = (got_likes + likes, got_bookmarks + bookmarks)
        self._traffic_plan()

    def _age_seconds(self, history: int, *, least: int) -> int:
        return least + int((history - least) * self.rng.random() ** RECENT_SKEW)

    @staticmethod
    def _grown(age: timedelta) -> float:
        return min(1.0, GROWN_FLOOR + age.total_seconds() / 3600 / GROWN_HOURS)

    def _traffic_plan(self) -> None:
        """Each note's impressions and pools, from its CES and an engagement rate of its own."""
        rng = self.rng
        followers = Counter(followee for _follower, followee in self.followers)
        for index, published in enumerate(self.note_times):
            score = ces(
                likes_count=self.likes_per_note[index],
                bookmarks_count=self.bookmarks_per_note[index],
                comments_count=self.comments_per_note[index],
            )
            rate = rng.lognormvariate(math.log(RATE_MEDIAN), RATE_SIGMA)
            rate *= 1 + math.log10(1 + score) / 3
            weight = account_weight(level=1, followers=followers[self.note_authors[index]])
            self.traffic.append(
                traffic_plan(
                    score=score,
                    rate=rate,
                    published=published,
                    now=self.now,
                    first_pool=starting_pool(weight=weight),
                    extra=rng.uniform(0, SETTLED_EXTRA),
                )
            )

    def _notes(self) -> None:
        started = time.perf_counter()
        rng, authors, times = self.rng, self.note_authors, self.note_times
        places = self._places(len(authors))
        titles = [
            title.replace("{city}", city)
            for topic_titles in content.TITLES["zh"].values()
            for title in topic_titles
            for city in ("上海", "北京", "成都")
        ]
        fields = [
            "id", "author_id", "title", "body", "status", "place_name", "latitude", "longitude",
            "created_at", "updated_at", "published_at", "likes_count", "bookmarks_count",
            "comments_count", "impressions", "ces", "products_count",
        ]  # fmt: skip

        def rows() -> Iterator[tuple]:
            for index, note_id in enumerate(self.note_ids):
                likes = self.likes_per_note[index]
                bookmarks = self.bookmarks_per_note[index]
                comments = self.comments_per_note[index]
                place_name, latitude, longitude = places.get(index, ("", None, None))
                published = times[index]
                yield (
                    note_id, authors[index], rng.choice(titles)[:20],
                    "今天想和大家分享一下最近的发现。" * rng.randrange(1, 6),
                    Note.Status.PUBLISHED, place_name, latitude, longitude,
                    published - timedelta(minutes=5), published, published,
                    likes, bookmarks, comments, self.traffic[index].impressions,
                    ces(likes_count=likes, bookmarks_count=bookmarks, comments_count=comments),
                    len(self.note_products.get(index, ())),
                )  # fmt: skip

        self._step("notes", TableWriter(Note, fields).write(rows()), started)

    def _spread(self, total: int, weights: list[float], *, cap: int) -> list[int]:
        """`total` shared out in proportion to `weights`, no share above `cap`."""
        scale = total / sum(weights)
        shares = [min(cap, int(weight * scale + self.rng.random())) for weight in weights]
        short = total - sum(shares)
        uncapped = [index for index, share in enumerate(shares) if share < cap]
        for index in self.rng.choices(uncapped, k=max(0, short)):
            if shares[index] < cap:
                shares[index] += 1
        return shares

    def _places(self, count: int) -> dict[int, tuple[str, float, float]]:
        rng = self.rng
        cities = {slug: (lat, lng) for slug, _name, lat, lng in settings.NEARBY_CITIES}
        spots = {slug: [zh for zh, _en in spots] for slug, _zh, _en, spots in content.CITIES}
        slugs = [slug for slug in CITY_WEIGHTS if slug in cities]
        weights = [CITY_WEIGHTS[slug] for slug in slugs]
        places = {}
        for index in rng.sample(range(count), round(count * PLACE_SHARE)):
            slug = rng.choices(slugs, weights=weights)[0]
            latitude, longitude = cities[slug]
            distance = min(rng.expovariate(1 / PLACE_MEAN_KM), 80)
            bearing = rng.uniform(0, 2 * math.pi)
            latitude += distance * math.cos(bearing) / KM_PER_DEGREE
            longitude += (
                distance * math.sin(bearing) / (KM_PER_DEGREE * math.cos(math.radians(latitude)))
            )
            name = rng.choice(spots.get(slug) or [slug])
            places[index] = (name, round(latitude, 6), round(longitude, 6))
        return places

    def _note_images(self, photos: list[tuple[str, int, int]]) -> None:
        started = time.perf_counter()
        rng = self.rng
        next_id = itertools.count(self._next_id(NoteImage))

        def rows() -> Iterator[tuple]:
            for note_id in self.note_ids:
                if rng.random() >= PHOTO_SHARE:
                    continue
                for position in range(rng.choice((1, 1, 2, 3))):
                    name, width, height = rng.choice(photos)
                    yield (next(next_id), note_id, name, width, height, position)

        fields = ["id", "note_id", "image", "width", "height", "position"]
        self._step("note images", TableWriter(NoteImage, fields).write(rows()), started)

    def _taggings(self, tag_ids: list[int]) -> None:
        """1–3 tags a note, by a power law over the tags: a few hot ones, a long tail."""
        started = time.perf_counter()
        rng = self.rng
        through = Note.tags.through
        weights = _power_weights(len(tag_ids), offset=2, exponent=1.0)
        next_id = itertools.count(self._next_id(through))
        generic = any(f.name == "content_type" for f in through._meta.fields)
        if generic:
            content_type = ContentType.objects.get_for_model(Note).pk
            fields = ["id", "object_id", "content_type_id", "tag_id"]
        else:
            fields = ["id", "content_object_id", "tag_id"]

        def rows() -> Iterator[tuple]:
            for note_id in self.note_ids:
                chosen = set(rng.choices(tag_ids, cum_weights=weights, k=rng.choice((1, 2, 2, 3))))
                self.note_tags.append(chosen)
                for tag_id in chosen:
                    if generic:
                        yield (next(next_id), note_id, content_type, tag_id)
                    else:
                        yield (next(next_id), note_id, tag_id)

        self._step("taggings", TableWriter(through, fields).write(rows()), started)

    def _moments_after(self, when: datetime) -> Callable[[], datetime]:
        """A picker of moments after `when` (when itself for a note of the last moments)."""
        moments, random_share = self.moments, self.rng.random
        start = bisect.bisect_left(moments, when)
        if start >= len(moments):
            return lambda: when
        span = len(moments) - start
        return lambda: moments[start + int(random_share() * span)]

    def _people_for(self, counts: list[int]) -> Iterator[tuple[int, set[int]]]:
        """For each note, `counts[i]` distinct accounts other than its author (whose own acts do
        not count, notes.scoring), the active ones more often."""
        rng, ids = self.rng, self.user_ids
        activity = _power_weights(len(ids), offset=50, exponent=0.8)
        order = ids[:]
        rng.shuffle(order)
        for index, wanted in enumerate(counts):
            author = self.note_authors[index]
            people: set[int] = set()
            while len(people) < wanted:
                chosen = rng.choices(order, cum_weights=activity, k=wanted - len(people))
                people.update(person for person in chosen if person != author)
            yield index, people

    def _likes(self) -> None:
        started = time.perf_counter()
        next_id = itertools.count(self._next_id(Like))

        def rows() -> Iterator[tuple]:
            for index, people in self._people_for(self.likes_per_note):
                note_id, moment = self.note_ids[index], self._moments_after(self.note_times[index])
                if self.reader_id in people:
                    self.reader_acts[index] += settings.READER_INTEREST_SIGNALS["like"]
                for user_id in people:
                    yield (next(next_id), note_id, user_id, moment())

        fields = ["id", "note_id", "user_id", "created_at"]
        self._step("likes", TableWriter(Like, fields).write(rows()), started)

    def _bookmarks(self) -> None:
        started = time.perf_counter()
        next_id = itertools.count(self._next_id(Bookmark))

        def rows() -> Iterator[tuple]:
            for index, people in self._people_for(self.bookmarks_per_note):
                note_id, moment = self.note_ids[index], self._moments_after(self.note_times[index])
                if self.reader_id in people:
                    self.reader_acts[index] += settings.READER_INTEREST_SIGNALS["bookmark"]
                for user_id in people:
                    yield (next(next_id), note_id, user_id, None, moment())

        fields = ["id", "note_id", "user_id", "board_id", "created_at"]
        self._step("bookmarks", TableWriter(Bookmark, fields).write(rows()), started)

    def _comments(self) -> None:
        """Threads and one-level replies; the heaviest note has thousands of comments."""
        started = time.perf_counter()
        rng, ids = self.rng, self.user_ids
        phrases = content.COMMENTS["zh"]
        next_id = itertools.count(self._next_id(Comment))

        def rows() -> Iterator[tuple]:
            for index, wanted in enumerate(self.comments_per_note):
                note_id, moment = self.note_ids[index], self._moments_after(self.note_times[index])
                threads: list[int] = []
                for _ in range(wanted):
                    comment_id = next(next_id)
                    parent = None
                    if threads and rng.random() < REPLY_SHARE:
                        parent = rng.choice(threads)
                    else:
                        threads.append(comment_id)
                    commenter = rng.choice(ids)
                    while commenter == self.note_authors[index]:
                        commenter = rng.choice(ids)
                    if commenter == self.reader_id:
                        self.reader_acts[index] += settings.READER_INTEREST_SIGNALS["comment"]
                    yield (
                        comment_id, note_id, commenter, parent, rng.choice(phrases), 0, moment(),
                    )  # fmt: skip

        fields = ["id", "note_id", "author_id", "parent_id", "body", "likes_count", "created_at"]
        self._step("comments", TableWriter(Comment, fields).write(rows()), started)

    def _follows(self) -> None:
        started = time.perf_counter()
        next_id = itertools.count(self._next_id(Follow))
        moments = self.moments

        def rows() -> Iterator[tuple]:
            for follower, followee in self.followers:
                yield (next(next_id), follower, followee, self.rng.choice(moments))

        fields = ["id", "follower_id", "followee_id", "created_at"]
        self._step("follows", TableWriter(Follow, fields).write(rows()), started)

    def _mall_plan(self) -> None:
        """Product ids, and which notes link which products: LINKED_NOTE_SHARE of the notes,
        1–3 products each, drawn by a power law so a few products are in many notes."""
        rng = self.rng
        first = self._next_id(Product)
        self.product_ids = list(range(first, first + self.size.products))
        weights = _power_weights(len(self.product_ids), offset=10, exponent=1.0)
        linked = rng.sample(
            range(len(self.note_ids)), round(len(self.note_ids) * LINKED_NOTE_SHARE)
        )
        self.note_products: dict[int, list[int]] = {}
        for index in sorted(linked):
            wanted = min(rng.choice(LINKS_PER_NOTE), len(self.product_ids))
            chosen: list[int] = []
            while len(chosen) < wanted:
                product_id = rng.choices(self.product_ids, cum_weights=weights)[0]
                if product_id not in chosen:
                    chosen.append(product_id)
            self.note_products[index] = chosen

    def _mall(self, photos: list[tuple[str, int, int]]) -> None:
        """Brands, the two-level category tree, products with a photo and 1–3 SKUs, and the
        notes' links to them (each note's products_count was written with the note)."""
        started = time.perf_counter()
        rng, now = self.rng, self.now
        brand_first = self._next_id(Brand)
        brand_ids = list(range(brand_first, brand_first + self.size.brands))
        brands = [
            (brand_id, f"品牌{rank} Bench {rank}",
             f"{MALL_SLUG_PREFIX}brand-{rank}", "", None, now)
            for rank, brand_id in enumerate(brand_ids)
        ]  # fmt: skip
        brand_fields = ["id", "name", "slug", "description", "account_id", "created_at"]
        self._step("brands", TableWriter(Brand, brand_fields).write(brands), started)

        categories, children = [], {}
        next_category = itertools.count(self._next_id(Category))
        for position, (slug, name, subs) in enumerate(demo_mall.CATEGORIES):
            top = next(next_category)
            categories.append((top, name, f"{MALL_SLUG_PREFIX}{slug}", None, position))
            for sub_position, (sub_slug, sub_name) in enumerate(subs):
                sub = next(next_category)
                children[sub_slug] = sub
                categories.append(
                    (sub, sub_name, f"{MALL_SLUG_PREFIX}{sub_slug}", top, sub_position)
                )
        category_fields = ["id", "name", "slug", "parent_id", "position"]
        TableWriter(Category, category_fields).write(categories)
        self.rows["categories"] += len(categories)

        plans = demo_mall.PRODUCTS
        brand_weights = _power_weights(len(brand_ids), offset=2, exponent=1.0)
        products, skus, product_images = [], [], []
        next_sku = itertools.count(self._next_id(Sku))
        next_image = itertools.count(self._next_id(ProductImage))
        as_json = connection.vendor == "postgresql"
        for rank, product_id in enumerate(self.product_ids):
            plan = plans[rank % len(plans)]
            base = Decimal(plan.price) * Decimal(rng.choice((80, 90, 100, 110, 125))) / 100
            prices = []
            for position, value in enumerate(plan.values[: rng.choice((1, 2, 3))]):
                price = (base + position * 10).quantize(Decimal("0.01"))
                compare_at = (price * Decimal("1.2")).quantize(Decimal("0.01"))
                stock = 0 if rng.random() < SOLD_OUT_SHARE else rng.randrange(1, 500)
                attributes = {plan.attribute: value}
                skus.append((
                    next(next_sku), product_id, f"{SKU_CODE_PREFIX}{product_id}-{position}",
                    json.dumps(attributes, ensure_ascii=False) if as_json else attributes,
                    price, compare_at, stock, None, True, position,
                ))  # fmt: skip
                prices.append((price, compare_at))
            price, compare_at = min(prices)
            published = now - timedelta(days=rng.randrange(1, HISTORY_DAYS))
            products.append((
                product_id, f"{plan.title} {rank + 1}"[:80], plan.title,
                rng.choices(brand_ids, cum_weights=brand_weights)[0], children[plan.category],
                "中国", Product.Status.ACTIVE, rank < FEATURED_PRODUCTS, price, compare_at,
                int(rng.paretovariate(1.2) * 10), published, published, published,
            ))  # fmt: skip
            name, width, height = rng.choice(photos)
            product_images.append((next(next_image), product_id, name, width, height, 0))
        product_fields = [
            "id", "title", "description", "brand_id", "category_id", "origin_country", "status",
            "is_featured", "price", "compare_at_price", "sold_count", "created_at", "updated_at",
            "published_at",
        ]  # fmt: skip
        self._step("products", TableWriter(Product, product_fields).write(products), started)
        image_fields = ["id", "product_id", "image", "width", "height", "position"]
        TableWriter(ProductImage, image_fields).write(product_images)
        sku_fields = [
            "id", "product_id", "code", "attributes", "price", "compare_at_price", "stock",
            "per_order_limit", "is_active", "position",
        ]  # fmt: skip
        self._step("skus", TableWriter(Sku, sku_fields).write(skus), started)

        next_link = itertools.count(self._next_id(NoteProduct))

        def links() -> Iterator[tuple]:
            for index, product_ids in self.note_products.items():
                linked_at = self.note_times[index]
                for position, product_id in enumerate(product_ids):
                    yield (
                        next(next_link),
                        self.note_ids[index],
                        product_id,
                        position,
                        0,
                        linked_at,
                    )

        link_fields = ["id", "note_id", "product_id", "position", "clicks", "created_at"]
        self._step("note products", TableWriter(NoteProduct, link_fields).write(links()), started)
        if connection.vendor == "postgresql":
            # The mall's foreign keys stay in place (its tables are small): check them now,
            # not at the commit, so no check is left pending on these tables (a TRUNCATE of
            # them in the same transaction refuses to run while one is).
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _pools(self) -> None:
        """Every note's traffic pool and its history, as the pool task would have left them."""
        started = time.perf_counter()
        next_id = itertools.count(self._next_id(NotePoolEntry))

        def traffic() -> Iterator[tuple]:
            for note_id, plan in zip(self.note_ids, self.traffic, strict=True):
                yield (
                    note_id, plan.pool, plan.state, plan.entered_at,
                    plan.impressions_at_entry, plan.ces_at_entry,
                )  # fmt: skip

        def history() -> Iterator[tuple]:
            for note_id, plan in zip(self.note_ids, self.traffic, strict=True):
                for pool, reason, at, impressions, score in plan.history:
                    yield (next(next_id), note_id, pool, reason, at, impressions, score)

        fields = ["note_id", "pool", "state", "entered_at", "impressions_at_entry", "ces_at_entry"]
        self._step("traffic pools", TableWriter(NoteTraffic, fields).write(traffic()), started)
        started = time.perf_counter()
        fields = ["id", "note_id", "pool", "reason", "entered_at", "impressions", "ces"]
        self._step("pool history", TableWriter(NotePoolEntry, fields).write(history()), started)

    def _impression_days(self) -> None:
        """The daily counts Note.impressions is rebuilt from: most on the first days."""
        started = time.perf_counter()
        next_id = itertools.count(self._next_id(NoteImpressionDay))
        today = timezone.localdate(self.now)

        def rows() -> Iterator[tuple]:
            for note_id, published, plan in zip(
                self.note_ids, self.note_times, self.traffic, strict=True
            ):
                first = timezone.localdate(published)
                days = [(offset, share) for offset, share in IMPRESSION_DAYS]
                days = [(o, s) for o, s in days if first + timedelta(days=o) <= today]
                shares = sum(share for _offset, share in days)
                counts = [int(plan.impressions * share / shares) for _offset, share in days]
                counts[0] += plan.impressions - sum(counts)
                for (offset, _share), count in zip(days, counts, strict=True):
                    if count:
                        yield (next(next_id), note_id, first + timedelta(days=offset), count)

        fields = ["id", "note_id", "day", "count"]
        self._step("impression days", TableWriter(NoteImpressionDay, fields).write(rows()), started)

    def _reader_interests(self, tag_ids: list[int]) -> None:
        """The typical reader's interests: the tags of what they liked, bookmarked and commented
        on, else the hottest topics, as picked at onboarding. The interactions seeded count as
        folded in (the interest streams' checkpoints are past them)."""
        slugs = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "slug"))
        weights: dict[str, float] = {}
        for index, amount in self.reader_acts.items():
            for tag_id in self.note_tags[index]:
                weights[slugs[tag_id]] = weights.get(slugs[tag_id], 0.0) + amount
        picks = settings.ONBOARDING_MIN_INTERESTS
        for tag_id in tag_ids[: max(0, picks - len(weights))]:
            weights[slugs[tag_id]] = settings.READER_INTEREST_SIGNALS["onboarding"]
        ReaderInterest.objects.update_or_create(
            reader_id=self.reader_id,
            defaults={
                "weights": weights_trimmed(weights),
                "updated_at": self.now,
                "onboarded_at": self.now - timedelta(days=HISTORY_DAYS),
            },
        )
        for name, model, _reader, _kind in STREAMS:
            last = model.objects.aggregate(top=models.Max("pk"))["top"] or 0
            DiscoveryCheckpoint.objects.update_or_create(name=name, defaults={"last_id": last})
        if connection.vendor == "postgresql":
            # Check the deferred foreign key of these ORM writes now: a reseed in the same
            # transaction (a test's) could not TRUNCATE a table with checks pending.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.rows["reader interests"] += 1

    def _reset_sequences(self) -> None:
        models_written = [
            User, Tag, Note, NoteImage, Note.tags.through, Like, Bookmark, Comment,
            NotePoolEntry, NoteImpressionDay,
        ]  # fmt: skip
        models_written += [Brand, Category, Product, ProductImage, Sku, NoteProduct]
        statements = connection.ops.sequence_reset_sql(no_style(), [*models_written, Follow])
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def _analyze(self) -> None:
        """Fresh statistics and visibility maps, as a database in service would have."""
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                cursor.execute("VACUUM ANALYZE")
            else:  # VACUUM cannot run inside a transaction (a test's, say)
                cursor.execute("ANALYZE")
        self.log(f"analyze in {time.perf_counter() - started:.1f} s")


def wipe() -> None:
    """Empty a database that holds only a bench dataset (another size is wanted)."""
    if User.objects.exclude(username__startswith=USERNAME_PREFIX).exists():
        raise DatasetError(
            "This database holds accounts that are not the bench's: seed the large dataset "
            "into a database of its own (DATABASE_URL)."
        )
    if connection.vendor == "postgresql":
        wiped = (User, Tag, Brand, Category, Product)
        tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in wiped)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} CASCADE")
        return
    with transaction.atomic():
        Note.objects.all().delete()
        User.objects.all().delete()
        Tag.objects.all().delete()
        Product.objects.all().delete()
        Brand.objects.all().delete()
        Category.objects.filter(parent__isnull=False).delete()
        Category.objects.all().delete()


def seed(*, scale: float, seed: int = 8, log: Any = None) -> SeedResult:
    """Seed the dataset of `scale` unless it is there already (then nothing is written).

    A bench dataset of another size is replaced; a database with other accounts is refused.
    """
    log = log or (lambda message: None)
    size = DatasetSize.at(scale)
    users, notes = present_size()
    if (users, notes) == (size.users, size.notes) and _has_every_part(size):
        log(f"The dataset of scale {scale} is there already ({users:,} accounts, {notes:,} notes).")
        return SeedResult(seeded=False, seconds=0.0)
    if users or notes:
        log(
            f"A dataset of another size, or from before a part was added, is there ({users:,} "
            f"accounts, {notes:,} notes): replacing."
        )
        wipe()
    started = time.perf_counter()
    rows = LargeSeeder(size=size, seed=seed, log=log).run()
    return SeedResult(seeded=True, seconds=time.perf_counter() - started, rows=rows)
