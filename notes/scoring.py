"""The community engagement score (CES), in one place.

CES = likes×1 + bookmarks×1 + comments×4 + reposts×4 + follows×8
"""

import math

from django.db.models import F
from django.db.models.expressions import CombinedExpression

CES_WEIGHTS: dict[str, int] = {
    "likes_count": 1,
    "bookmarks_count": 1,
    "comments_count": 4,
    "reposts_count": 4,
    "follows_gained": 8,
}


def ces(
    *, likes: int = 0, bookmarks: int = 0, comments: int = 0, reposts: int = 0, follows: int = 0
) -> int:
    return (
        likes * CES_WEIGHTS["likes_count"]
        + bookmarks * CES_WEIGHTS["bookmarks_count"]
        + comments * CES_WEIGHTS["comments_count"]
        + reposts * CES_WEIGHTS["reposts_count"]
        + follows * CES_WEIGHTS["follows_gained"]
    )


def counter_change(counter: str, delta: int) -> dict[str, CombinedExpression]:
    """The UPDATE that moves one counter and CES together, e.g. for a like: +1 and +1."""
    return {
        counter: F(counter) + delta,
        "ces": F("ces") + delta * CES_WEIGHTS.get(counter, 0),
    }


def ces_from_counters() -> CombinedExpression:
    """CES as a SQL expression over the counter columns, for set-based recomputation."""
    expression = None
    for counter, weight in CES_WEIGHTS.items():
        term = F(counter) * weight
        expression = term if expression is None else expression + term
    return expression


# --- Discovery scores: pure functions of a note's numbers, shared by the candidates task,
# the pools and the simulation.

# A note with no impressions yet is judged as if it had earned PRIOR_CES over PRIOR_IMPRESSIONS,
# so a brand-new note is neither top nor bottom, and a handful of lucky likes do not crown it.
PRIOR_CES = 2.0
PRIOR_IMPRESSIONS = 20.0
FRESHNESS_FLOOR = 0.1  # a good older note keeps a tenth of its pull: the long tail


def author_weight(*, followers: int) -> float:
    """An account's weight in Discover and in the pool a new note starts from: 1 for an account
    without followers, 2 at 1,000, 3 at a million.

    Followers only, for now: switches to users.selectors.user_account_weight (followers and red
    potato level) when the growth work lands; every caller goes through this one function.
    """
    return 1.0 + math.log10(1 + max(followers, 0)) / 3


def engagement_rate(*, ces_gained: int, impressions: int) -> float:
    """CES gained per impression; 0 before the first impression."""
    return ces_gained / impressions if impressions > 0 else 0.0


def note_quality(*, ces: int, impressions: int) -> float:
    """Engagement rate over the note's life (smoothed towards the prior), then CES."""
    rate = (ces + PRIOR_CES) / (impressions + PRIOR_IMPRESSIONS)
    return rate * (1 + math.log10(1 + ces) / 4)


def freshness(*, age_hours: float, half_life_hours: float) -> float:
    """1 when just published, halving every `half_life_hours` towards FRESHNESS_FLOOR."""
    decay = 0.5 ** (max(age_hours, 0.0) / half_life_hours)
    return FRESHNESS_FLOOR + (1 - FRESHNESS_FLOOR) * decay
