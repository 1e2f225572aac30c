"""Creators in search (core.search): each account's index row, kept by the account services."""

from collections.abc import Callable, Sequence

from django.db import transaction

from core import search
from users.models import CreatorSearch, User

INDEX_BATCH = 1_000


def _row(user: User) -> CreatorSearch:
    return CreatorSearch(
        user_id=user.pk,
        primary_text=search.document(user.display_name, user.username),
        secondary_text=search.document(user.bio, user.city),
    )


def _index(users: Sequence[User]) -> None:
    shown = [user for user in users if user.is_active]
    search.index_save(
        CreatorSearch, [_row(user) for user in shown], fields=["primary_text", "secondary_text"]
    )
    search.index_delete(CreatorSearch, {u.pk for u in users} - {u.pk for u in shown})


@transaction.atomic
def creator_search_update(*, user: User) -> None:
    """Bring an account's index row up to date: its name, handle, bio and city."""
    _index([user])


def creators_search_rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Index every account again, in batches (a transaction each); returns how many."""
    queryset = User.objects.filter(is_active=True).order_by("pk")
    total, done, last = queryset.count(), 0, 0
    while batch := list(queryset.filter(pk__gt=last)[:INDEX_BATCH]):
        with transaction.atomic():
            _index(batch)
        done, last = done + len(batch), batch[-1].pk
        if progress is not None:
            progress(done, total)
    search.index_prune(CreatorSearch, keep=queryset)
    return done
