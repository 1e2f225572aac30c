import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PAGES = ("Discover (anonymous)", "Discover", "Follow", "Nearby", "Profile (notes tab)", "Tag")
SELECTORS = ("feed_discover", "feed_follow", "feed_nearby", "notes_by_author", "notes_tagged")
ROW = re.compile(r"^(?P<name>\S.*?)\s{2,}(?P<size>\d+|—)\s")


def bench(**options: object) -> list[tuple[str, str]]:
    """(row name, page size) of every table row printed; a tag row is named "Tag"."""
    out = io.StringIO()
    call_command("bench", stdout=out, requests=1, users=6, notes=12, **options)
    rows = []
    for line in out.getvalue().splitlines():
        if "No demo data yet" in line:
            rows.append(("seeded", ""))
        elif match := ROW.match(line):
            name = "Tag" if match["name"].startswith("Tag #") else match["name"]
            rows.append((name, match["size"]))
    return rows


def test_bench_seeds_tiny_data_and_prints_a_row_per_page_and_size():
    rows = bench()

    assert ("seeded", "") in rows
    pages = [(name, size) for name, size in rows if name in PAGES]
    assert pages == [(name, "20") for name in PAGES] + [(name, "50") for name in PAGES]
    assert ("Note", "—") in rows


def test_bench_prints_a_row_per_selector_and_size():
    rows = bench()

    selectors = [(name, size) for name, size in rows if name in SELECTORS]
    assert selectors == [(name, "20") for name in SELECTORS] + [(name, "50") for name in SELECTORS]


def test_bench_uses_existing_demo_data_without_seeding_again():
    bench()

    rows = bench(sizes="20")

    assert ("seeded", "") not in rows
    assert [size for name, size in rows if name == "feed_discover"] == ["20"]


def test_bench_prints_each_nightly_recount_beside_its_bare_group_by():
    out = io.StringIO()

    call_command("bench", stdout=out, requests=1, users=6, notes=12, sizes="20")

    rows = [line.split() for line in out.getvalue().splitlines() if "_recount " in line]
    assert [row[0] for row in rows] == [
        "note_counters_recount",
        "user_follow_counters_recount",
        "author_counters_recount",
    ]
    assert all(len(row) == 4 and row[3].endswith("×") for row in rows)
