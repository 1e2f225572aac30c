"""The ten red-potato (薯) levels: the one table of tasks, perks and account weight.

An account reaches a level when it has done every task of that level and of every level below
(a task is a progress counter reaching a target). Counters are kept on the account
(users.models.User) and moved by users.services.growth; the level itself is stored and never goes
down, even when a counter does (a note deleted, a follower lost).

A steady member (signs in daily, reads ~10 notes, likes or saves ~5, comments now and then,
publishes a note or two a week) reaches 甜筒薯 (5) in about four weeks; 金冠薯 (10) takes most of a
year and an audience. From 小马薯 (6) the mall counts too: an order completed, then (7) a review
of something bought, published as a note.

Everything here is pure: no queries, so pages, the API and the services share it freely.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Counter:
    """A progress counter: the sum of one or more account fields."""

    name: str
    fields: tuple[str, ...]
    label: Promise  # what the task asks for, e.g. "Notes read"


COUNTERS: dict[str, Counter] = {
    counter.name: counter
    for counter in (
        Counter("notes_read", ("notes_read",), _("Notes read (once per note a day)")),
        Counter(
            "likes_bookmarks_given",
            ("likes_given", "bookmarks_given"),
            _("Likes and bookmarks given"),
        ),
        Counter("comments_written", ("comments_written",), _("Comments written")),
        Counter("notes_published", ("notes_published",), _("Notes published")),
        Counter(
            "likes_bookmarks_received",
            ("likes_received", "bookmarks_received"),
            _("Likes and bookmarks received"),
        ),
        Counter("followers", ("followers_count",), _("Followers")),
        Counter("days_signed_in", ("days_signed_in",), _("Days signed in")),
        Counter("orders_completed", ("orders_completed",), _("Mall orders completed")),
        Counter("reviews_published", ("reviews_published",), _("Product reviews published")),
    )
}
# The account fields behind the counters (what a page must load to show progress).
COUNTER_FIELDS: tuple[str, ...] = tuple(
    dict.fromkeys(field for counter in COUNTERS.values() for field in counter.fields)
)


@dataclass(frozen=True)
class Task:
    counter: str  # a key of COUNTERS
    target: int

    @property
    def label(self) -> Promise:
        return COUNTERS[self.counter].label


@dataclass(frozen=True)
class Level:
    number: int
    name: Promise
    tasks: tuple[Task, ...]  # what it takes to reach this level (none for the first)
    photos_per_note: int
    video_minutes: int
    weight: float  # account weight in Discover (users.selectors.user_account_weight)
    points: int  # paid once on reaching the level (users.PointsEntry.Reason.LEVEL_UP)

    @property
    def video_seconds(self) -> int:
        return self.video_minutes * 60


def _tasks(**targets: int) -> tuple[Task, ...]:
    return tuple(Task(counter, target) for counter, target in targets.items())


LEVELS: tuple[Level, ...] = (
    Level(
        1,
        pgettext_lazy("red potato level", "Diaper Potato"),
        _tasks(),
        photos_per_note=9,
        video_minutes=5,
        weight=1.0,
        points=0,
    ),
    Level(
        2,
        pgettext_lazy("red potato level", "Baby-bottle Potato"),
        _tasks(notes_read=10, likes_bookmarks_given=5, days_signed_in=2),
        photos_per_note=9,
        video_minutes=5,
        weight=1.05,
        points=20,
    ),
    Level(
        3,
        pgettext_lazy("red potato level", "Sleepy Potato"),
        _tasks(notes_read=50, likes_bookmarks_given=20, comments_written=3, days_signed_in=5),
        photos_per_note=12,
        video_minutes=5,
        weight=1.1,
        points=30,
    ),
    Level(
        4,
        pgettext_lazy("red potato level", "Bubble Potato"),
        _tasks(notes_read=120, likes_bookmarks_given=50, notes_published=1, days_signed_in=10),
        photos_per_note=12,
        video_minutes=10,
        weight=1.2,
        points=50,
    ),
    Level(
        5,
        pgettext_lazy("red potato level", "Ice-cream Potato"),
        _tasks(
            notes_published=3, likes_bookmarks_received=30, comments_written=15, days_signed_in=20
        ),
        photos_per_note=15,
        video_minutes=10,
        weight=1.3,
        points=80,
    ),
    Level(
        6,
        pgettext_lazy("red potato level", "Pony Potato"),
        _tasks(notes_published=8, likes_bookmarks_received=150, followers=20, orders_completed=1),
        photos_per_note=15,
        video_minutes=15,
        weight=1.45,
        points=100,
    ),
    Level(
        7,
        pgettext_lazy("red potato level", "Scholar Potato"),
        _tasks(notes_published=15, likes_bookmarks_received=500, followers=60, reviews_published=1),
        photos_per_note=18,
        video_minutes=15,
        weight=1.6,
        points=150,
    ),
    Level(
        8,
        pgettext_lazy("red potato level", "Bronze-crown Potato"),
        _tasks(
            notes_published=30, likes_bookmarks_received=1500, followers=200, days_signed_in=120
        ),
        photos_per_note=18,
        video_minutes=15,
        weight=1.8,
        points=200,
    ),
    Level(
        9,
        pgettext_lazy("red potato level", "Silver-crown Potato"),
        _tasks(
            notes_published=50, likes_bookmarks_received=5000, followers=600, days_signed_in=180
        ),
        photos_per_note=18,
        video_minutes=15,
        weight=2.0,
        points=300,
    ),
    Level(
        10,
        pgettext_lazy("red potato level", "Gold-crown Potato"),
        _tasks(
            notes_published=80, likes_bookmarks_received=15000, followers=2000, days_signed_in=270
        ),
        photos_per_note=18,
        video_minutes=15,
        weight=2.2,
        points=500,
    ),
)
FIRST = LEVELS[0].number
TOP = LEVELS[-1].number


def level(number: int) -> Level:
    """The level with this number (1–10)."""
    return LEVELS[number - 1]


def level_named_by(text: object) -> Level | None:
    """The level a stored number names ("5", as a level-up message keeps it); None for
    anything that is not a level's number."""
    try:
        number = int(text)
    except (TypeError, ValueError):
        return None
    return level(number) if 1 <= number <= len(LEVELS) else None


def counters_of(account: object) -> dict[str, int]:
    """The progress counters of an account (anything with the COUNTER_FIELDS attributes)."""
    return {
        name: sum(getattr(account, field) for field in counter.fields)
        for name, counter in COUNTERS.items()
    }


def tasks_done(tasks: tuple[Task, ...], counters: Mapping[str, int]) -> bool:
    return all(counters[task.counter] >= task.target for task in tasks)


def level_for(counters: Mapping[str, int]) -> int:
    """The highest level whose tasks, and every lower level's, the counters meet."""
    reached = FIRST
    for candidate in LEVELS[1:]:
        if not tasks_done(candidate.tasks, counters):
            break
        reached = candidate.number
    return reached


@dataclass(frozen=True)
class TaskProgress:
    task: Task
    done: int  # the counter, capped at the target

    @property
    def percent(self) -> int:
        return 100 * self.done // self.task.target

    @property
    def is_done(self) -> bool:
        return self.done >= self.task.target


@dataclass(frozen=True)
class Progress:
    current: Level
    next: Level | None  # None at the top level
    tasks: tuple[TaskProgress, ...]  # the next level's tasks; for a level skipped past, too


def progress(*, current: int, counters: Mapping[str, int]) -> Progress:
    """Where an account at level `current` stands on the next level's tasks.

    `current` is the stored level, which may be above `level_for(counters)` (levels never go
    down), so the next level's tasks are shown against today's counters either way.
    """
    following = level(current + 1) if current < TOP else None
    tasks = ()
    if following is not None:
        tasks = tuple(
            TaskProgress(task, min(counters[task.counter], task.target)) for task in following.tasks
        )
    return Progress(current=level(current), next=following, tasks=tasks)
