"""Creators found by search: by name, handle, bio and city, weighted by their audience.

Shared by the search page and the API (community.search). Cut into pages like every list.
"""

from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.functions import Cast, Greatest, Ln

from core import search
from core.pagination import Page, keyset_page
from users.models import CreatorSearch, User

FOLLOWERS_WEIGHT = 0.5  # ln-scale: ten times the followers counts ×3.2 (√10)


def creators_matching(found: search.Terms, *, prefix: bool = False) -> QuerySet[User]:
    """Active accounts with every word of the query, annotated with `search_score`."""
    queryset = search.matching(
        User.objects.filter(is_active=True),
        index=CreatorSearch,
        found=found,
        relation="search",
        prefix=prefix,
    )
    followers = Cast(F("followers_count"), FloatField()) + Value(1.0)
    return queryset.annotate(
        search_score=Ln(Greatest(F("search_relevance"), Value(1e-9)))
        + Value(FOLLOWERS_WEIGHT) * Ln(followers)
    )


def creators_search(*, found: search.Terms, cursor: str | None, size: int) -> Page:
    """A page of the creators found, best first."""
    return keyset_page(
        creators_matching(found),
        keys=("-search_score", "-id"),
        cursor=cursor,
        size=size,
        list_name=f"search.creators.{found.key}",
    )


def creators_suggested_for(*, found: search.Terms, limit: int) -> list[User]:
    """Creators for the suggestions as the reader types (the last word may be unfinished)."""
    return list(creators_matching(found, prefix=True).order_by("-search_score", "-id")[:limit])
