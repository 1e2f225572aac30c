"""Finding notes: both engines (SQLite FTS5 by default, PostgreSQL with DATABASE_URL), what is
never shown, and the order of the results."""

import math
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import search
from notes import services
from notes.models import Note, NoteSearch
from notes.scoring import note_quality
from notes.search import notes_search, topics_related, topics_search
from notes.services.discovery import discovery_refresh
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


def found_ids(query: str, *, sort: str = "best", size: int = 20) -> list[int]:
    page = notes_search(found=search.terms(query), sort=sort, cursor=None, size=size)
    return [note.pk for note in page.items]


def test_chinese_query_finds_a_note_by_a_word_inside_its_title(indexed_note):
    note = indexed_note(title="成都火锅推荐：本地人常去的五家")
    indexed_note(title="北京烤鸭")
    assert found_ids("火锅") == [note.pk]


def test_query_words_typed_together_find_them_apart(indexed_note):
    note = indexed_note(title="成都 的 火锅")
    assert found_ids("成都火锅") == [note.pk]


def test_every_word_of_the_query_must_be_found(indexed_note):
    both = indexed_note(title="口红推荐", body="秋冬口红")
    indexed_note(title="口红试色")
    assert found_ids("口红 推荐") == [both.pk]


def test_english_plural_finds_the_singular(indexed_note):
    note = indexed_note(title="My lipstick", body="")
    assert found_ids("Lipsticks") == [note.pk]


def test_height_with_unit_finds_the_outfit(indexed_note):
    note = indexed_note(title="Outfit ideas", body="I am 155cm and petite")
    indexed_note(title="Tall outfit", body="I am 180cm")
    assert found_ids("outfit for 155cm") == [note.pk]


def test_body_tags_and_place_are_searched(indexed_note):
    by_body = indexed_note(title="周末", body="去了一家咖啡馆")
    by_tag = indexed_note(title="周末", tags=("拿铁",))
    by_place = indexed_note(title="周末", place_name="上海·武康路")
    assert found_ids("咖啡馆") == [by_body.pk]
    assert found_ids("拿铁") == [by_tag.pk]
    assert found_ids("武康路") == [by_place.pk]


@pytest.mark.parametrize(
    "status", [Note.Status.DRAFT, Note.Status.UNDER_REVIEW, Note.Status.REMOVED]
)
def test_a_note_that_is_not_published_is_never_found(indexed_note, status):
    indexed_note(title="火锅", status=status)
    assert found_ids("火锅") == []


def test_a_removed_note_leaves_the_index(indexed_note):
    note = indexed_note(title="火锅")
    services.note_remove(actor=UserFactory(is_staff=True), note_id=note.pk)
    assert found_ids("火锅") == []
    assert not NoteSearch.objects.filter(pk=note.pk).exists()


def test_a_restored_note_is_found_again(indexed_note):
    staff = UserFactory(is_staff=True)
    note = indexed_note(title="火锅")
    services.note_remove(actor=staff, note_id=note.pk)
    services.note_restore(actor=staff, note_id=note.pk)
    assert found_ids("火锅") == [note.pk]


def test_a_banned_authors_notes_are_not_found(indexed_note):
    note = indexed_note(title="火锅")
    note.author.is_active = False
    note.author.save(update_fields=["is_active"])
    assert found_ids("火锅") == []


def test_an_edit_changes_what_finds_the_note(indexed_note):
    note = indexed_note(title="火锅")
    services.note_update(
        actor=note.author,
        note_id=note.pk,
        changes=services.NoteChanges(title="烤鸭"),
        publish=False,
    )
    assert found_ids("火锅") == []


def test_a_deleted_note_leaves_the_index(indexed_note):
    note = indexed_note(title="火锅")
    services.note_delete(actor=note.author, note_id=note.pk)
    assert found_ids("火锅") == []


def test_a_query_is_ranked_once_for_every_reader_within_a_minute(
    indexed_note, django_assert_num_queries
):
    note = indexed_note(title="火锅")
    assert found_ids("火锅") == [note.pk]
    indexed_note(title="火锅 新店")  # ranked in from the next minute on
    with django_assert_num_queries(2):  # the cards and their covers; no ranking
        assert found_ids("火锅") == [note.pk]


def test_a_note_taken_down_leaves_the_kept_results_at_once(indexed_note):
    note = indexed_note(title="火锅")
    kept = indexed_note(title="火锅 推荐")
    assert set(found_ids("火锅")) == {note.pk, kept.pk}
    services.note_remove(actor=UserFactory(is_staff=True), note_id=note.pk)
    assert found_ids("火锅") == [kept.pk]


def test_better_engaged_note_ranks_first(indexed_note):
    plain = indexed_note(title="火锅 推荐", impressions=1000, ces=5)
    loved = indexed_note(title="火锅 推荐", impressions=1000, ces=300)
    assert found_ids("火锅") == [loved.pk, plain.pk]


def test_title_match_ranks_above_body_match(indexed_note):
    in_body = indexed_note(title="周末", body="吃了火锅")
    in_title = indexed_note(title="火锅", body="周末")
    assert found_ids("火锅") == [in_title.pk, in_body.pk]


def test_fresher_note_ranks_first_when_all_else_is_equal(indexed_note):
    old = indexed_note(title="火锅", published_at=timezone.now() - timedelta(days=400))
    new = indexed_note(title="火锅")
    assert found_ids("火锅") == [new.pk, old.pk]


def test_exact_topic_match_comes_first(indexed_note):
    loved = indexed_note(title="成都火锅 成都火锅", impressions=100, ces=500)
    tagged = indexed_note(title="晚饭", body="成都 火锅", tags=("成都火锅",))
    assert found_ids("成都火锅") == [tagged.pk, loved.pk]


def _walked(query: str, *, size: int) -> list[int]:
    found, ids, cursor = search.terms(query), [], None
    while True:
        page = notes_search(found=found, sort="best", cursor=cursor, size=size)
        ids += [note.pk for note in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return ids


def test_paging_past_the_topics_notes_keeps_the_order_of_one_ranking(indexed_note, settings):
    # given: five notes of the topic #火锅 and four others with the word, some of them loved
    settings.SEARCH_PAGE_SECONDS = 0
    tagged = [indexed_note(title=f"火锅 {n}", tags=("火锅",), ces=n) for n in range(5)]
    others = [indexed_note(title=f"火锅 {n}", ces=100 + n, impressions=100) for n in range(4)]
    # when: pages of two, which start among the topic's notes and end beyond them
    walked = _walked("火锅", size=2)
    # then: the topic's notes first, the same order as one page of everything
    assert walked == found_ids("火锅", size=20)
    assert set(walked[:5]) == {note.pk for note in tagged}
    assert set(walked[5:]) == {note.pk for note in others}


@pytest.mark.parametrize(
    ("tagged", "query", "rankings"),
    [
        (3, "火锅", 1),  # the topic's notes fill the page: only they are ranked
        (1, "火锅", 2),  # they run out within it: everything is ranked after
        (3, "晚饭", 1),  # the query names no topic: one ranking, of everything
    ],
)
def test_a_search_ranks_the_topic_alone_while_its_notes_fill_the_page(
    indexed_note, settings, tagged, query, rankings
):
    # given
    settings.SEARCH_PAGE_SECONDS = 0
    for number in range(tagged):
        indexed_note(title=f"火锅 晚饭 {number}", tags=("火锅",))
    for number in range(3):
        indexed_note(title=f"火锅 晚饭 {number}")
    # when
    with CaptureQueriesContext(connection) as queries:
        found_ids(query, size=2)
    # then
    assert sum("notes_notesearch" in q["sql"] for q in queries.captured_queries) == rankings


@pytest.mark.parametrize("sort", ["best", "newest", "liked"])
def test_pages_follow_each_other_without_repeats(indexed_note, sort):
    for number in range(5):
        indexed_note(title=f"火锅 {number}", likes_count=number, ces=number)
    found = search.terms("火锅")
    first = notes_search(found=found, sort=sort, cursor=None, size=3)
    second = notes_search(found=found, sort=sort, cursor=first.next_cursor, size=3)
    ids = [note.pk for note in first.items + second.items]
    assert len(ids) == len(set(ids)) == 5
    assert second.next_cursor is None


def test_newest_sort_puts_the_latest_first(indexed_note):
    old = indexed_note(title="火锅", published_at=timezone.now() - timedelta(days=3), ces=900)
    new = indexed_note(title="火锅")
    assert found_ids("火锅", sort="newest") == [new.pk, old.pk]


def test_most_liked_sort(indexed_note):
    few = indexed_note(title="火锅", likes_count=2)
    many = indexed_note(title="火锅", likes_count=50)
    assert found_ids("火锅", sort="liked") == [many.pk, few.pk]


def test_most_liked_follows_the_likes_once_the_refresh_has_run(indexed_note, settings):
    # given: the less liked note is liked much more after both were indexed
    settings.SEARCH_PAGE_SECONDS = 0
    few = indexed_note(title="火锅", likes_count=2)
    many = indexed_note(title="火锅", likes_count=50)
    Note.objects.filter(pk=few.pk).update(likes_count=80)
    before = found_ids("火锅", sort="liked")
    # when
    services.notes_search_ranks_refresh()
    # then: ranked from the index rows, which the refresh brings up to the notes
    assert before == [many.pk, few.pk]
    assert found_ids("火锅", sort="liked") == [few.pk, many.pk]


@pytest.mark.parametrize(
    "text", ["", "!!!", "' OR 1=1 --", '"火锅', "火锅 & | ! :*", "%_", "NEAR(a b)", "火锅" * 200]
)
def test_bad_input_answers_normally(indexed_note, text):
    indexed_note(title="火锅")
    assert isinstance(found_ids(text), list)


def test_topics_are_found_by_a_word_and_biggest_first(indexed_note):
    indexed_note(title="a", tags=("成都火锅",))
    indexed_note(title="b", tags=("重庆火锅",))
    indexed_note(title="c", tags=("重庆火锅",))
    names = [tag.name for tag in topics_search(found=search.terms("火锅"), limit=5)]
    assert names == ["重庆火锅", "成都火锅"]


def test_topic_suggestion_takes_an_unfinished_word(indexed_note):
    indexed_note(title="a", tags=("lipstick",))
    names = [tag.name for tag in topics_search(found=search.terms("lips"), limit=5, prefix=True)]
    assert names == ["lipstick"]


def test_topics_without_published_notes_are_not_found(indexed_note):
    indexed_note(title="a", tags=("火锅",), status=Note.Status.DRAFT)
    assert topics_search(found=search.terms("火锅"), limit=5) == []


def test_related_topics_share_one_word(indexed_note):
    indexed_note(title="a", tags=("火锅",))
    names = [t.name for t in topics_related(found=search.terms("火锅 冰淇淋"), limit=5)]
    assert names == ["火锅"]


def test_rebuild_indexes_every_published_note(indexed_note):
    note = indexed_note(title="火锅")
    indexed_note(title="火锅", status=Note.Status.DRAFT)
    NoteSearch.objects.all().delete()
    seen = []
    assert services.notes_search_rebuild(progress=lambda done, total: seen.append(done)) == 1
    assert found_ids("火锅") == [note.pk]
    assert seen == [1]


def test_rebuild_takes_out_notes_hidden_behind_the_services_back(indexed_note):
    note = indexed_note(title="火锅")
    Note.objects.filter(pk=note.pk).update(status=Note.Status.REMOVED)
    services.notes_search_rebuild()
    assert not NoteSearch.objects.filter(pk=note.pk).exists()


def test_rebuild_command_indexes_everything_with_a_progress_bar(indexed_note):
    from io import StringIO

    from django.core.management import call_command

    note = indexed_note(title="火锅")
    NoteSearch.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "[" + "#" * 30 + "] 1/1" in out.getvalue()
    assert found_ids("火锅") == [note.pk]


def test_a_topic_an_edit_takes_away_leaves_the_topics(indexed_note):
    note = indexed_note(title="晚饭", tags=("火锅",), images=1)
    services.note_update(
        actor=note.author, note_id=note.pk, changes=services.NoteChanges(tags=["烤鸭"])
    )
    assert topics_search(found=search.terms("火锅"), limit=5) == []
    assert [tag.name for tag in topics_search(found=search.terms("烤鸭"), limit=5)] == ["烤鸭"]


# --- Ranking from the index alone: the row's quality, kept up by the discovery passes


def test_a_note_is_indexed_with_its_quality(indexed_note):
    note = indexed_note(title="火锅", ces=40, impressions=300)

    row = NoteSearch.objects.get(note=note)

    assert row.quality == pytest.approx(math.log(note_quality(ces=40, impressions=300)))


@pytest.mark.parametrize("moved", ["quality", "likes"])
def test_the_ranks_refresh_brings_rows_up_to_their_notes(indexed_note, moved):
    # given: a note whose readers liked it after it was indexed
    note = indexed_note(title="火锅", ces=0, impressions=0, likes_count=0)
    if moved == "quality":
        Note.objects.filter(pk=note.pk).update(ces=90, impressions=200)
    else:
        Note.objects.filter(pk=note.pk).update(likes_count=7)
    # when
    changed = services.notes_search_ranks_refresh()
    # then
    assert changed == 1
    row, now = NoteSearch.objects.get(note=note), Note.objects.get(pk=note.pk)
    expected = math.log(note_quality(ces=now.ces, impressions=now.impressions))
    assert row.quality == pytest.approx(expected)
    assert row.likes_count == now.likes_count
    assert services.notes_search_ranks_refresh() == 0  # idempotent


def test_the_few_minutes_refresh_looks_only_at_notes_shown_lately(indexed_note):
    # given: two notes liked since they were indexed, one of them shown today
    shown = indexed_note(title="火锅", ces=0)
    unseen = indexed_note(title="火锅", ces=0)
    Note.objects.filter(pk__in=[shown.pk, unseen.pk]).update(ces=90)
    services.impressions_record(reader_key="u1", note_ids=[shown.pk])
    # when
    changed = services.notes_search_ranks_refresh(shown_since=timezone.localdate())
    # then
    assert changed == 1
    rows = dict(NoteSearch.objects.values_list("note_id", "quality"))
    assert rows[shown.pk] > rows[unseen.pk]


def test_what_readers_did_reaches_search_with_the_discovery_refresh(indexed_note, settings):
    # given: two equal notes; then one is shown and loved
    settings.SEARCH_PAGE_SECONDS = 0
    plain = indexed_note(title="火锅 推荐")
    loved = indexed_note(title="火锅 推荐")
    assert found_ids("火锅") == [loved.pk, plain.pk]  # the fresher one, as yet
    services.impressions_record(reader_key="u1", note_ids=[plain.pk, loved.pk])
    Note.objects.filter(pk=plain.pk).update(ces=300)
    # when
    discovery_refresh()
    # then
    assert found_ids("火锅") == [plain.pk, loved.pk]


@pytest.mark.parametrize("sort", ["best", "liked"])
def test_a_page_stays_full_when_a_ranked_note_is_no_longer_visible(indexed_note, settings, sort):
    # given: the best (and most liked) of three notes is by an author banned since it was indexed
    settings.SEARCH_PAGE_SECONDS = 0
    banned = indexed_note(title="火锅 火锅", ces=500, impressions=100, likes_count=90)
    others = [indexed_note(title="火锅", ces=n, likes_count=n) for n in range(2)]
    banned.author.is_active = False
    banned.author.save(update_fields=["is_active"])
    # when
    page = notes_search(found=search.terms("火锅"), sort=sort, cursor=None, size=2)
    # then: the page is the two others, and nothing follows
    assert {note.pk for note in page.items} == {note.pk for note in others}
    assert page.next_cursor is None


@pytest.mark.services
def test_an_index_row_is_written_once_with_its_vector(indexed_note):
    # given: PostgreSQL, where an UPDATE after the INSERT left a dead row version per write
    note = NoteFactory(title="成都火锅", images=0)
    # when
    with CaptureQueriesContext(connection) as queries:
        services.note_search_update(note_id=note.pk)
    # then: one statement writes the row and its words, and search finds it by them
    writes = [q["sql"] for q in queries.captured_queries if "notes_notesearch" in q["sql"]]
    assert len(writes) == 1
    assert writes[0].startswith("INSERT")
    assert found_ids("火锅") == [note.pk]
