"""The community engagement score (CES), defined once.

CES = likes×1 + bookmarks×1 + comments×4 + reposts×4 + follows gained×8, counting only what
other people did. The author may like, bookmark, comment on and repost their own note; those
acts show in the note's public counters (the like count on the card includes the author's own
like, as on Xiaohongshu) but never count in its CES, nor in the author's likes and bookmarks
received. So CES is not a function of the public counter columns: the live path moves it by
`counter_change(…, counted=…)` and the nightly recount computes it from the rows, both through
`ces()` and the rule `is_counted()`.
"""

import functools
import math
import operator
from typing import TypeVar

from django.db.models import F, FloatField, Q, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Ln

# The note counter each interaction moves, and its weight in CES.
CES_WEIGHTS: dict[str, int] = {
    "likes_count": 1,
    "bookmarks_count": 1,
    "comments_count": 4,
    "reposts_count": 4,
    "follows_gained": 8,
}

Amount = TypeVar("Amount", int, Combinable)


def ces(
    *,
    likes_count: Amount = 0,
    bookmarks_count: Amount = 0,
    comments_count: Amount = 0,
    reposts_count: Amount = 0,
    follows_gained: Amount = 0,
) -> Amount:
    """The weighted sum of counted interactions: of numbers, or of SQL expressions (the recount
    passes one column per counter and gets the expression that computes CES in the database).
    """
    counts = {
        "likes_count": likes_count,
        "bookmarks_count": bookmarks_count,
        "comments_count": comments_count,
        "reposts_count": reposts_count,
        "follows_gained": follows_gained,
    }
    return functools.reduce(
        operator.add, (counts[name] * weight for name, weight in CES_WEIGHTS.items())
    )


def is_counted(*, actor_id: int, author_id: int) -> bool:
    """Whether an act on a note counts in CES and in what its author received: not their own.

    counted_filter() is the same rule in SQL.
    """
    return actor_id != author_id


def counted_filter(actor: str, *, note: str = "note") -> Q:
    """is_counted() as a filter on an interaction table whose `actor` column names who acted
    and whose relation `note` leads to the note."""
    return ~Q(**{actor: F(f"{note}__author_id")})


def counter_change(counter: str, delta: int, *, counted: int) -> dict[str, Combinable]:
    """The UPDATE that moves a note's public `counter` by `delta`, and CES by the `counted` part
    of it (what others did), e.g. a reader's like: +1 and +1; the author's own like: +1 and 0.
    """
    change = {counter: F(counter) + delta}
    if counted:
        change["ces"] = F("ces") + ces(**{counter: counted})
    return change


# --- Discovery scores: pure functions of a note's numbers, shared by the candidates task,
# the pools and the simulation. An account's weight is users.selectors.user_account_weight.

# A note with no impressions yet is judged as if it had earned PRIOR_CES over PRIOR_IMPRESSIONS,
# so a brand-new note is neither top nor bottom, and a handful of lucky likes do not crown it.
PRIOR_CES = 2.0
PRIOR_IMPRESSIONS = 20.0
FRESHNESS_FLOOR = 0.1  # a good older note keeps a tenth of its pull: the long tail


def engagement_rate(*, ces_gained: int, impressions: int) -> float:
    """CES gained per impression; 0 before the first impression."""
    return ces_gained / impressions if impressions > 0 else 0.0


RATE_SHOWN_MIN = 20  # readers a note is shown to before its engagement per 100 means anything


def engagement_per_hundred(*, ces: int, impressions: int) -> float | None:
    """CES per 100 readers shown, as creators and brands read it (one decimal); None until
    RATE_SHOWN_MIN readers have seen it (a rate over two readers says nothing)."""
    if impressions < RATE_SHOWN_MIN:
        return None
    return round(engagement_rate(ces_gained=ces, impressions=impressions) * 100, 1)


def note_quality(*, ces: int, impressions: int) -> float:
    """Engagement rate over the note's life (smoothed towards the prior), then CES."""
    rate = (ces + PRIOR_CES) / (impressions + PRIOR_IMPRESSIONS)
    return rate * (1 + math.log10(1 + ces) / 4)


def note_quality_ln() -> Combinable:
    """ln(note_quality()) in SQL, of a note's `ces` and `impressions` columns."""

    def number(name: str) -> Cast:
        return Cast(name, FloatField())

    rate = (number("ces") + Value(PRIOR_CES)) / (number("impressions") + Value(PRIOR_IMPRESSIONS))
    # log10 as ln / ln 10: Django's Log() casts to numeric on PostgreSQL, whose logarithm at
    # that precision costs more than a whole search over tens of thousands of notes.
    bonus = Value(1.0) + Ln(number("ces") + Value(1.0)) / Value(4.0 * math.log(10.0))
    return Ln(rate) + Ln(bonus)


def freshness(*, age_hours: float, half_life_hours: float) -> float:
    """1 when just published, halving every `half_life_hours` towards FRESHNESS_FLOOR."""
    decay = 0.5 ** (max(age_hours, 0.0) / half_life_hours)
    return FRESHNESS_FLOOR + (1 - FRESHNESS_FLOOR) * decay
