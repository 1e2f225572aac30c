"""The community engagement score (CES), in one place.

CES = likes×1 + bookmarks×1 + comments×4 + reposts×4 + follows×8
"""

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
