"""The bench: its bulk seeder and its runner, end to end on a tiny dataset.

Numbers are reported, never asserted: these tests check what is written and in which shape.
"""

import json

import pytest
from django.db import connection
from django.db.models import F, Min

from bench import dataset, explain, http, jobs, registry, report, runner
from community import warmup
from community.selectors import feed_discover
from mall.models import NoteProduct, Product
from notes.models import Note, NoteImpressionDay, NoteTraffic, ReaderInterest
from notes.services import (
    author_counters_recount,
    note_bookmark,
    note_counters_recount,
    note_like,
)
from notes.services.impressions import note_impressions_refresh
from notes.services.pools import PoolsEvaluated, traffic_pools_evaluate
from tests.factories import UserFactory
from users.models import User
from users.services import user_follow_counters_recount

pytestmark = pytest.mark.django_db

TINY = 0.002  # 40 accounts, 400 notes
RESULT_FIELDS = [
    "name",
    "kind",
    "p50_ms",
    "p95_ms",
    "max_ms",
    "queries",
    "rps",
    "ratio_to_ceiling",
    "ratio_to_floor",
    "value",
    "note",
]


@pytest.fixture
def results_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "RESULTS_DIR", tmp_path / "results")
    monkeypatch.setattr(report, "STATE_DIR", tmp_path / "state")
    # Not in the test process: freezing would keep every later test's garbage.
    monkeypatch.setattr(warmup, "before_fork", lambda: None)
    return tmp_path / "results"


def test_seed_large_writes_the_accounts_and_notes_of_its_scale():
    # when
    result = dataset.seed(scale=TINY)
    # then
    size = dataset.DatasetSize.at(TINY)
    assert result.seeded is True
    assert User.objects.count() == size.users == 40
    assert Note.objects.filter(status=Note.Status.PUBLISHED).count() == size.notes == 400
    assert result.rows["users"] == 40
    assert result.rows["notes"] == 400


def test_seed_large_adds_products_with_skus_linked_from_a_tenth_of_the_notes():
    # when
    dataset.seed(scale=TINY)
    # then
    size = dataset.DatasetSize.at(TINY)
    linked = Note.objects.filter(products_count__gt=0)
    assert Product.objects.filter(status=Product.Status.ACTIVE).count() == size.products == 20
    assert not Product.objects.filter(skus__isnull=True).exists()
    assert not Product.objects.filter(brand__isnull=True).exists()
    assert not Product.objects.filter(category__parent__isnull=True).exists()
    assert linked.count() == 40
    assert NoteProduct.objects.count() == sum(linked.values_list("products_count", flat=True))


def test_seeded_products_show_their_cheapest_variants_price():
    # given
    dataset.seed(scale=TINY)
    # when
    cheapest = Product.objects.annotate(lowest=Min("skus__price")).exclude(price=F("lowest"))
    # then
    assert not cheapest.exists()


def test_seed_large_finds_its_dataset_and_writes_nothing_the_second_time():
    # given
    dataset.seed(scale=TINY)
    # when
    again = dataset.seed(scale=TINY)
    # then
    assert again.seeded is False
    assert Note.objects.count() == 400


def test_seeded_counters_agree_with_the_rows_they_count():
    # given
    dataset.seed(scale=TINY)
    # when
    corrected = (
        note_counters_recount(),
        user_follow_counters_recount(),
        author_counters_recount(),
    )
    # then
    assert corrected == (0, 0, 0)


def test_the_recounts_floor_computes_the_numbers_the_recount_keeps():
    # given: an author liked and bookmarked their own note (the seed never does)
    dataset.seed(scale=TINY)
    note = Note.objects.select_related("author").first()
    note_like(actor=note.author, note_id=note.pk)
    note_bookmark(actor=note.author, note_id=note.pk)
    # when
    with connection.cursor() as cursor:
        floor = []
        for sql in jobs.FLOOR_QUERIES:
            cursor.execute(sql)
            floor.append({row[0]: row[1:] for row in cursor.fetchall()})
    likes, bookmarks, comments, reposts, follows_gained, _following, _followers, received = floor
    # then
    weights = ((likes, 1), (bookmarks, 1), (comments, 4), (reposts, 4), (follows_gained, 8))
    for note in Note.objects.all():
        assert note.likes_count == likes.get(note.pk, (0, 0))[0]
        assert note.ces == sum(w * source.get(note.pk, (0, 0))[1] for source, w in weights)
    for user in User.objects.filter(pk__in=received):
        assert (user.likes_received, user.bookmarks_received) == tuple(received[user.pk])


def test_seeded_pools_and_impressions_are_what_the_discovery_jobs_would_leave():
    # given
    dataset.seed(scale=TINY)
    # when
    rebuilt = note_impressions_refresh(since=None)
    evaluated = traffic_pools_evaluate()
    # then: every note has its pool, its impressions are its daily counts, nothing is due
    assert rebuilt == 0
    assert evaluated == PoolsEvaluated(entered=0, promoted=0, settled=0)
    assert NoteTraffic.objects.count() == 400
    assert NoteImpressionDay.objects.exists()


def test_seeded_pools_hold_fresh_offered_notes_and_many_settled_ones():
    # when
    dataset.seed(scale=TINY)
    # then
    states = NoteTraffic.objects.values_list("state", "pool")
    offered = [pool for state, pool in states if state == NoteTraffic.State.OFFERED]
    settled = [pool for state, pool in states if state == NoteTraffic.State.SETTLED]
    assert 0 in offered
    assert len(settled) > len(offered)


def test_the_bench_reader_has_interests_and_a_full_discover_page():
    # given
    dataset.seed(scale=TINY)
    reader = User.objects.get(username=dataset.READER_USERNAME)
    # when
    page = feed_discover(actor=reader, cursor=None, size=10)
    # then
    assert len(ReaderInterest.objects.get(reader=reader).weights) >= 3
    assert len(page.items) == 10
    assert page.next_cursor is not None


def test_seed_large_replaces_a_bench_dataset_of_another_size():
    # given
    dataset.seed(scale=TINY)
    # when
    dataset.seed(scale=TINY * 2)
    # then
    assert User.objects.count() == 80
    assert Note.objects.count() == 800
    assert Product.objects.count() == 20


def test_seed_large_refuses_a_database_with_accounts_of_its_own():
    # given
    dataset.seed(scale=TINY)
    UserFactory(username="xiaohong")
    # when / then
    with pytest.raises(dataset.DatasetError):
        dataset.seed(scale=TINY * 2)
    assert Note.objects.count() == 400


@pytest.mark.parametrize(
    ("plan", "scanned"),
    [
        (["Limit", "  ->  Seq Scan on notes_note"], {"notes_note"}),
        (["Index Scan using notes_note_pkey on notes_note"], set()),
        (["Seq Scan on django_session"], set()),
        (["SCAN notes_like"], {"notes_like"}),
        (["SEARCH notes_like USING INDEX notes_like_once (note_id=?)"], set()),
        (["SCAN notes_note USING INDEX notes_status_ces_idx"], set()),
    ],
)
def test_a_plan_is_flagged_when_it_reads_a_watched_table_whole(plan, scanned):
    assert explain.full_scans(plan) == scanned


def test_the_bench_writes_every_registry_entry_in_the_fixed_shape(results_dir):
    # given
    options = runner.Options(scale=TINY, requests=1, warmup=0, http=False, name="tiny")
    # when
    path = runner.run(options, log=lambda message: None)
    # then
    document = json.loads(path.read_text())
    assert list(document) == ["commit", "dataset", "results"]
    assert document["dataset"]["notes_note"] == 400
    for result in document["results"]:
        assert list(result) == RESULT_FIELDS
        assert result["kind"] in {"inprocess", "http", "job"}
    names = {result["name"] for result in document["results"]}
    expected = {entry.name for entry in [*registry.PAGES, *registry.JOBS, *registry.PENDING]}
    assert expected <= names
    assert (results_dir / "tiny.md").exists()


def test_every_page_of_the_bench_answers_and_the_ceiling_touches_no_database(results_dir):
    # given
    options = runner.Options(scale=TINY, requests=1, warmup=0, http=False, name="tiny")
    # when
    document = json.loads(runner.run(options, log=lambda message: None).read_text())
    # then
    measured = {
        result["name"]: result
        for result in document["results"]
        if result["kind"] == "inprocess" and result["p50_ms"] is not None
    }
    assert set(measured) >= {entry.name for entry in registry.PAGES}
    failed = [name for name, result in measured.items() if "status" in (result["note"] or "")]
    assert failed == []
    assert measured["ceiling"]["queries"] == 0
    assert measured["ceiling_signed_in"]["queries"] == 2  # the session and the account


def test_the_goals_say_how_much_of_the_ceiling_a_signed_in_page_can_reach():
    results = [
        report.Result("ceiling_signed_in", "http", ratio_to_ceiling=0.5),
        report.Result("discover_page", "http", ratio_to_ceiling=0.2),
    ]

    lines = report.goals_markdown(results)

    assert lines[-1] == (
        "A signed-in page that does nothing of its own (ceiling_signed_in: the session and the "
        "account loaded) reaches 0.50× the ceiling over HTTP; Discover reaches 0.40× of that."
    )


def test_the_results_say_which_goals_are_missed_and_by_how_much():
    results = [
        report.Result("discover_page", "inprocess", p95_ms=20.0, queries=7),
        report.Result("discover_page", "http", ratio_to_ceiling=0.24),
        report.Result("note_page_heavy", "inprocess", p95_ms=28.75),
        report.Result("follow_page", "inprocess", p95_ms=10.0),
        report.Result("follow_page_deep", "inprocess", p95_ms=20.0),
    ]

    lines = report.goals_markdown(results)

    assert "| Discover p95 (ms) | 20 | ≤ 25 | met |" in lines
    assert "| Discover throughput (× ceiling) | 0.24 | ≥ 0.4 | missed by 40% |" in lines
    assert "| Note with thousands of comments p95 (ms) | 28.75 | ≤ 25 | missed by 15% |" in lines
    assert "| follow_page_deep p95 (× page 1) | 2 | ≤ 1.5 | missed by 33% |" in lines
    assert not any(line.startswith("| Nearby") for line in lines)  # not measured: not judged


def test_a_run_on_a_smaller_dataset_judges_no_goal():
    results = [report.Result("discover_page", "inprocess", p95_ms=20.0, queries=7)]

    lines = report.goals_markdown(results, scale=0.02)

    assert not any(line.startswith("| Discover") for line in lines)
    assert any("scale 0.02" in line for line in lines)


def test_a_load_one_worker_carried_alone_is_not_shared_evenly():
    before = {101: 500, 102: 700}
    after = {101: 900, 102: 702}
    shares = http.worker_shares(before, after)
    assert shares == [400 / 402, 2 / 402]
    assert not http.shared_evenly(shares, workers=2)


def test_a_load_split_three_to_two_is_shared_evenly_and_a_replacement_counts_from_zero():
    before = {101: 500, 102: 700}
    after = {101: 800, 103: 200}  # 102 was replaced by 103 during the run
    shares = http.worker_shares(before, after)
    assert shares == [0.6, 0.4]
    assert http.shared_evenly(shares, workers=2)
