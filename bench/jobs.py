"""Jobs the bench times once per run: each takes the run's Context and returns a Result."""

import time
from typing import Any

from django.db import connection

from bench import report
from bench.report import Result


def seed_large(context: Any) -> Result:
    """The last `seed_large` run on this database (the seeding itself is not repeated)."""
    seeding = report.last_seeding()
    if seeding is None:
        return Result("seed_large", "job", note="no timing kept: seeded before timings were kept")
    milliseconds = seeding["seconds"] * 1000
    rows = sum(seeding["rows"].values())
    return Result(
        "seed_large",
        "job",
        p50_ms=milliseconds,
        p95_ms=milliseconds,
        max_ms=milliseconds,
        note=f"scale {seeding['scale']}: {rows:,} rows in {seeding['seconds']:.0f} s",
    )


def _counted_per_note(table: str, actor: str) -> str:
    """A note's rows in `table`, and those of other people than its author (what CES counts):
    the join to the note is part of the numbers, not overhead of the job."""
    return (
        f"SELECT x.note_id, COUNT(*), COUNT(*) FILTER (WHERE x.{actor} <> n.author_id) "  # noqa: S608
        f"FROM {table} x JOIN notes_note n ON n.id = x.note_id GROUP BY x.note_id"
    )


# The numbers the nightly recount computes, each read once with a plain GROUP BY over the whole
# table: the floor of that job (no batches, no comparison with the stored counters, no locks).
FLOOR_QUERIES = (
    _counted_per_note("notes_like", "user_id"),
    _counted_per_note("notes_bookmark", "user_id"),
    _counted_per_note("notes_comment", "author_id"),
    _counted_per_note("notes_repost", "user_id"),
    _counted_per_note("notes_followfromnote", "follower_id"),
    "SELECT follower_id, COUNT(*) FROM users_follow GROUP BY follower_id",
    "SELECT followee_id, COUNT(*) FROM users_follow GROUP BY followee_id",
    # What an author's notes received from others: the notes' counters less the author's own.
    "SELECT n.author_id, SUM(n.likes_count) - COUNT(l.user_id), "
    "SUM(n.bookmarks_count) - COUNT(b.user_id) FROM notes_note n "
    "LEFT JOIN notes_like l ON l.note_id = n.id AND l.user_id = n.author_id "
    "LEFT JOIN notes_bookmark b ON b.note_id = n.id AND b.user_id = n.author_id "
    "GROUP BY n.author_id",
)
# The same counts without leaving out the author's own (the floor until this was measured):
# reported beside, so the runs before and after compare.
PLAIN_COUNT_QUERIES = (
    "SELECT note_id, COUNT(*) FROM notes_like GROUP BY note_id",
    "SELECT note_id, COUNT(*) FROM notes_bookmark GROUP BY note_id",
    "SELECT note_id, COUNT(*) FROM notes_comment GROUP BY note_id",
    "SELECT note_id, COUNT(*) FROM notes_repost GROUP BY note_id",
    "SELECT note_id, COUNT(*) FROM notes_followfromnote GROUP BY note_id",
    "SELECT follower_id, COUNT(*) FROM users_follow GROUP BY follower_id",
    "SELECT followee_id, COUNT(*) FROM users_follow GROUP BY followee_id",
    "SELECT author_id, SUM(likes_count), SUM(bookmarks_count) FROM notes_note GROUP BY author_id",
)


def _floor_seconds(queries: tuple[str, ...] = FLOOR_QUERIES) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql)
            cursor.fetchall()
    return time.perf_counter() - started


def ces_job(context: Any) -> Result:
    """The nightly recount (notes with their CES, then accounts) against the GROUP BY floor of
    the same numbers, the plain counts named beside it. The nightly task runs the discovery
    pass after it, timed on its own and named in the note; the few-minutes pass is pool_job.
    """
    from notes.services.discovery import discovery_nightly
    from notes.services.moderation import author_counters_recount, note_counters_recount
    from users.services import user_follow_counters_recount

    started = time.perf_counter()
    corrected = note_counters_recount()
    user_follow_counters_recount()
    author_counters_recount()
    seconds = time.perf_counter() - started
    floor = _floor_seconds()
    plain = _floor_seconds(PLAIN_COUNT_QUERIES)
    started = time.perf_counter()
    discovery_nightly()
    discovery_seconds = time.perf_counter() - started
    return Result(
        "ces_job",
        "job",
        p50_ms=seconds * 1000,
        p95_ms=seconds * 1000,
        max_ms=seconds * 1000,
        ratio_to_floor=seconds / floor if floor else None,
        note=(
            f"one run, {corrected} notes corrected; GROUP BY floor {floor * 1000:.0f} ms "
            f"({seconds / plain:.2f}× the plain counts, {plain * 1000:.0f} ms, which keep the "
            "author's own); "
            f"the nightly discovery pass after it {discovery_seconds * 1000:.0f} ms"
        ),
    )


# --- Search (core.search, notes.search): a fixed list of queries over the whole dataset, and
# how fast notes are indexed. Words of the demo content (community.demo.content), Chinese and
# English, common and rare, one word and several.
SEARCH_QUERIES = (
    "口红",
    "黄皮显白口红",
    "穿搭",
    "小个子穿搭",
    "通勤",
    "火锅",
    "咖啡 探店",
    "一人食",
    "旅行攻略",
    "露营",
    "周末去哪儿",
    "租房改造",
    "收纳",
    "减脂",
    "瑜伽",
    "coffee",
    "skincare",
    "petite outfits",
    "citywalk",
    "上海",
)
SEARCH_INDEX_SAMPLE = 5_000  # notes indexed for the throughput, from the oldest


def _search_index_ensure(context: Any) -> None:
    """The bench dataset is written in bulk, not through the services: index it once."""
    from notes.models import NoteSearch
    from notes.selectors import notes_published
    from notes.services import notes_search_rebuild

    published = notes_published().count()
    if NoteSearch.objects.count() < published * 0.99:
        context.log(f"Indexing {published:,} notes for search (once per dataset)…")
        notes_search_rebuild()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # plans from real statistics, not autovacuum's
                cursor.execute(f"ANALYZE {NoteSearch._meta.db_table}")


def _search_timed(context: Any, *, rounds: int, sort: str = "best") -> tuple[list[float], set[int]]:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
    seconds, statuses = [], set()
    for query in SEARCH_QUERIES:
        asked = {"q": query, "tab": "notes", "sort": sort}
        client.get("/search/", asked)
        for _ in range(rounds):
            started = time.perf_counter()
            response = client.get("/search/", asked)
            seconds.append(time.perf_counter() - started)
            statuses.add(response.status_code)
    return seconds, statuses


def _search_result(name: str, seconds: list[float], statuses: set[int], note: str) -> Result:
    status = "" if statuses == {200} else f"; status {sorted(statuses)}"
    return Result(
        name,
        "job",
        p50_ms=report.percentile(seconds, 0.5) * 1000,
        p95_ms=report.percentile(seconds, 0.95) * 1000,
        max_ms=max(seconds) * 1000,
        note=note + status,
    )


def search_job(context: Any) -> Result:
    """The search page (notes, best first) for SEARCH_QUERIES, signed out, each query
    `requests` / len(queries) times after one warm-up: p50/p95 over every request. The
    warm-up ranks the query, so this is a query typed again within SEARCH_PAGE_SECONDS (a hot
    search); search_cold is every search ranking afresh."""
    from notes.models import NoteSearch

    _search_index_ensure(context)
    rounds = max(1, context.options.requests // len(SEARCH_QUERIES))
    seconds, statuses = _search_timed(context, rounds=rounds)
    note = (
        f"{len(SEARCH_QUERIES)} queries × {rounds} over {NoteSearch.objects.count():,} "
        "indexed notes, typed again within a minute (the ranking kept)"
    )
    return _search_result("search", seconds, statuses, note)


def search_cold_job(context: Any) -> Result:
    """The same searches, each ranking afresh (SEARCH_PAGE_SECONDS 0): what the first reader
    of a query waits, proportional to how many notes it matches."""
    from django.test import override_settings

    from notes.models import NoteSearch

    _search_index_ensure(context)
    with override_settings(SEARCH_PAGE_SECONDS=0):
        seconds, statuses = _search_timed(context, rounds=1)
    note = (
        f"{len(SEARCH_QUERIES)} queries × 1 over {NoteSearch.objects.count():,} indexed "
        "notes, each ranked afresh"
    )
    return _search_result("search_cold", seconds, statuses, note)


def search_liked_job(context: Any) -> Result:
    """The same searches sorted by most liked, each ranking afresh: the order no index of the
    notes has, so it is ranked from the search rows' copy of the likes."""
    from django.test import override_settings

    from notes.models import NoteSearch

    _search_index_ensure(context)
    with override_settings(SEARCH_PAGE_SECONDS=0):
        seconds, statuses = _search_timed(context, rounds=1, sort="liked")
    note = (
        f"{len(SEARCH_QUERIES)} queries × 1 over {NoteSearch.objects.count():,} indexed "
        "notes, most liked first, each ranked afresh"
    )
    return _search_result("search_liked", seconds, statuses, note)


def search_index_job(context: Any) -> Result:
    """Indexing throughput: SEARCH_INDEX_SAMPLE published notes cut into words and written
    (rows and tsvector or FTS5), as the services do on publish, in the rebuild's batches."""
    from notes.models import Note
    from notes.selectors import notes_published
    from notes.services.search import INDEX_BATCH, notes_search_index

    notes = list(notes_published().select_related("author").order_by("pk")[:SEARCH_INDEX_SAMPLE])
    if not notes:
        return Result("search_index", "job", note="no notes")
    started = time.perf_counter()
    for start in range(0, len(notes), INDEX_BATCH):
        notes_search_index(notes[start : start + INDEX_BATCH])
    seconds = time.perf_counter() - started
    return Result(
        "search_index",
        "job",
        p50_ms=seconds * 1000,
        p95_ms=seconds * 1000,
        max_ms=seconds * 1000,
        value=len(notes) / seconds,
        note=f"{len(notes) / seconds:,.0f} notes per second ({len(notes):,} notes, "
        f"{Note.objects.count():,} in the dataset)",
    )


# --- The media pipeline (core.images): a phone photo in, the waterfall's files out.

PHONE_PHOTO_SIZE = (4000, 3000)  # 12 megapixels, a phone camera's default
IMAGE_VARIANT_RUNS = 3
# The phone the waterfall is measured on: 390 CSS pixels wide at 2 device pixels per CSS pixel,
# two columns (the card's `sizes` says 50vw there).
PHONE_CSS_WIDTH, PHONE_DPR, PHONE_COLUMNS = 390, 2, 2
WATERFALL_PAGE_CARDS = 20


def _phone_photo() -> bytes:
    """A 12 MP JPEG that compresses like a photo: detail at every scale (a fractal), a
    gradient, and sensor-like noise."""
    import io

    from PIL import Image

    gradient = Image.linear_gradient("L").resize(PHONE_PHOTO_SIZE)
    noise = Image.effect_noise(PHONE_PHOTO_SIZE, 10)
    detail = Image.effect_mandelbrot(PHONE_PHOTO_SIZE, (-2.2, -1.2, 1.0, 1.2), 64)
    picture = Image.merge("RGB", (gradient, Image.blend(detail, noise, 0.3), detail))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _variants_in(folder: str, photo: bytes):
    import io

    from django.conf import settings
    from django.core.files.storage import FileSystemStorage

    from core.images import variants_make

    storage = FileSystemStorage(location=folder)
    return storage, variants_make(
        io.BytesIO(photo), widths=settings.NOTE_IMAGE_WIDTHS, folder="bench", storage=storage
    )


def image_variants(context: Any) -> Result:
    """A 12 MP phone JPEG made into every note width in WebP and JPEG, timed per photo.

    One process, one thread: photos per second is also per core.
    """
    import tempfile

    photo = _phone_photo()
    timings = []
    with tempfile.TemporaryDirectory() as folder:
        for _run in range(IMAGE_VARIANT_RUNS):
            started = time.perf_counter()
            _variants_in(folder, photo)
            timings.append(time.perf_counter() - started)
    milliseconds = [seconds * 1000 for seconds in timings]
    per_second = 1 / report.percentile(timings, 0.5)
    return Result(
        "image_variants",
        "job",
        p50_ms=report.percentile(milliseconds, 0.5),
        p95_ms=report.percentile(milliseconds, 0.95),
        max_ms=max(milliseconds),
        value=round(per_second, 2),
        note=f"{per_second:.2f} photos/s per core (12 MP JPEG → all variants)",
    )


def phone_page_bytes(context: Any) -> Result:
    """What a phone downloads for one waterfall page of 20 photo cards, before and after.

    Before: each card's original photo (a 12 MP JPEG, as uploaded). After: the WebP the
    card's srcset/sizes make the phone pick (the smallest at least 50vw × DPR wide).
    """
    import tempfile

    photo = _phone_photo()
    needed = PHONE_CSS_WIDTH // PHONE_COLUMNS * PHONE_DPR
    with tempfile.TemporaryDirectory() as folder:
        storage, made = _variants_in(folder, photo)
        fitting = [entry for entry in made.files if entry["width"] >= needed] or made.files[-1:]
        chosen = fitting[0]
        per_card = storage.size(chosen["webp"])
    before, after = len(photo) * WATERFALL_PAGE_CARDS, per_card * WATERFALL_PAGE_CARDS
    return Result(
        "phone_page_bytes",
        "inprocess",
        value=after,
        note=(
            f"{WATERFALL_PAGE_CARDS} cards on a {PHONE_CSS_WIDTH} px phone at {PHONE_DPR}x: "
            f"{before / 1e6:.1f} MB of originals before, {after / 1e6:.2f} MB after "
            f"({chosen['width']} px WebP), {before / after:.0f}x less"
        ),
    )


def _pool_floor_queries() -> tuple[str, str]:
    """What the pools' job must read at the least: the offered notes with their numbers, and
    their tags (for the candidate lists), by plain joins."""
    return (
        "SELECT t.note_id, t.pool, t.impressions_at_entry, t.ces_at_entry, n.impressions, n.ces, "
        "n.author_id, n.published_at FROM notes_notetraffic t "
        "JOIN notes_note n ON n.id = t.note_id WHERE t.state = 'offered'",
        "SELECT g.content_object_id, g.tag_id FROM notes_taggednote g "
        "JOIN notes_notetraffic t ON t.note_id = g.content_object_id WHERE t.state = 'offered'",
    )


def pool_job(context: Any) -> Result:
    """The few-minutes discovery pass (notes.tasks.discovery_refresh_task): today's impressions,
    the pools' promotions, Discover's candidate lists; against a floor of the reads it needs."""
    from notes.services.discovery import discovery_refresh

    started = time.perf_counter()
    run = discovery_refresh()
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in _pool_floor_queries():
            cursor.execute(sql)
            cursor.fetchall()
    floor = time.perf_counter() - started
    return Result(
        "pool_job",
        "job",
        p50_ms=seconds * 1000,
        p95_ms=seconds * 1000,
        max_ms=seconds * 1000,
        ratio_to_floor=seconds / floor if floor else None,
        note=(
            f"one run: {run.impressions_changed} notes' impressions, {run.pools.promoted} "
            f"promoted, {run.pools.settled} settled, {run.candidates} candidates; "
            f"floor {floor * 1000:.0f} ms"
        ),
    )
