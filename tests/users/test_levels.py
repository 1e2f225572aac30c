"""The red-potato level table (users.levels) and the pure function over it. No database."""

import pytest

from users import levels


def zero() -> dict[str, int]:
    return dict.fromkeys(levels.COUNTERS, 0)


def enough_for(number: int) -> dict[str, int]:
    """The least counters that reach level `number`: each task of it and below, exactly."""
    counters = zero()
    for level in levels.LEVELS[1:number]:
        for task in level.tasks:
            counters[task.counter] = max(counters[task.counter], task.target)
    return counters


def table() -> str:
    lines = []
    for level in levels.LEVELS:
        tasks = ", ".join(f"{task.counter} {task.target}" for task in level.tasks) or "-"
        lines.append(
            f"Lv.{level.number:<2} {level.name!s:<20} photos {level.photos_per_note:>2} "
            f"video {level.video_minutes:>2} min  weight {level.weight:.2f}  | {tasks}"
        )
    return "\n".join(lines)


def test_the_table_has_ten_levels_and_prints():
    text = table()
    print(f"\n{text}")  # noqa: T201 - the table, for a reader of the test output (pytest -s)

    assert [level.number for level in levels.LEVELS] == list(range(1, 11))
    assert len(text.splitlines()) == 10


def test_every_level_but_the_first_has_two_to_four_tasks():
    assert levels.LEVELS[0].tasks == ()
    assert {len(level.tasks) for level in levels.LEVELS[1:]} <= {2, 3, 4}


def test_tasks_name_counters_the_table_knows():
    used = {task.counter for level in levels.LEVELS for task in level.tasks}

    assert used <= set(levels.COUNTERS)


@pytest.mark.parametrize("counter", list(levels.COUNTERS))
def test_a_counters_targets_never_fall_from_one_level_to_the_next(counter):
    targets = [
        task.target for level in levels.LEVELS for task in level.tasks if task.counter == counter
    ]

    assert targets == sorted(targets)


def test_perks_and_weight_grow_with_the_level():
    photos = [level.photos_per_note for level in levels.LEVELS]
    minutes = [level.video_minutes for level in levels.LEVELS]
    weights = [level.weight for level in levels.LEVELS]

    assert photos == sorted(photos)
    assert (photos[0], photos[-1]) == (9, 18)
    assert minutes == sorted(minutes)
    assert (minutes[0], minutes[-1]) == (5, 15)
    assert weights == sorted(weights)
    assert len(set(weights)) == 10


def test_a_new_account_is_at_the_first_level():
    assert levels.level_for(zero()) == 1


@pytest.mark.parametrize("number", range(2, 11))
def test_each_level_is_reached_exactly_at_its_targets(number):
    assert levels.level_for(enough_for(number)) == number


@pytest.mark.parametrize("number", range(2, 11))
def test_one_short_on_any_task_stays_a_level_below(number):
    for task in levels.level(number).tasks:
        counters = enough_for(number)
        counters[task.counter] = task.target - 1

        assert levels.level_for(counters) == number - 1, task


def test_a_higher_levels_tasks_alone_do_not_skip_the_lower_ones():
    counters = enough_for(5)
    counters["notes_read"] = 0  # a level 2–4 task, not one of level 5's

    assert levels.level_for(counters) == 1


def test_progress_shows_the_next_levels_tasks_against_the_counters():
    counters = {**zero(), "notes_read": 7, "likes_bookmarks_given": 9, "days_signed_in": 1}

    progress = levels.progress(current=1, counters=counters)

    assert progress.next.number == 2
    assert [(item.task.counter, item.done, item.task.target) for item in progress.tasks] == [
        ("notes_read", 7, 10),
        ("likes_bookmarks_given", 5, 5),
        ("days_signed_in", 1, 2),
    ]
    assert [item.is_done for item in progress.tasks] == [False, True, False]
    assert progress.tasks[0].percent == 70


def test_progress_at_the_top_has_no_next_level():
    progress = levels.progress(current=10, counters=zero())

    assert (progress.current.number, progress.next, progress.tasks) == (10, None, ())


def test_counters_of_an_account_sum_their_fields():
    class Account:
        notes_read, likes_given, bookmarks_given, comments_written = 3, 4, 5, 6
        notes_published, likes_received, bookmarks_received = 7, 8, 9
        followers_count, days_signed_in = 10, 11
        orders_completed, reviews_published = 1, 2

    assert levels.counters_of(Account()) == {
        "notes_read": 3,
        "likes_bookmarks_given": 9,
        "comments_written": 6,
        "notes_published": 7,
        "likes_bookmarks_received": 17,
        "followers": 10,
        "days_signed_in": 11,
        "orders_completed": 1,
        "reviews_published": 2,
    }


def test_a_stored_level_number_names_its_level_and_nothing_else_does():
    assert levels.level_named_by("5").number == 5
    assert [levels.level_named_by(text) for text in ("0", "11", "x", None)] == [None] * 4
