"""What notes tells users about growth: where the progress counters of the level tasks come
from, for the nightly recount (users.services.growth_counters_recount). users knows nothing of
notes, so notes hands it these subqueries, each counting rows of one account (OuterRef("pk"))."""

from django.db.models import Count, Expression, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from notes.models import Bookmark, Comment, Like, Note


def per_account(rows: QuerySet, *, by: str) -> Coalesce:
    """How many of `rows` belong to the account (`by` leads from a row to it), as a subquery."""
    counted = (
        rows.filter(**{by: OuterRef("pk")})
        .order_by()
        .values(by)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted), Value(0))


def progress_sources() -> dict[str, Expression]:
    """Account counter → SQL counting its source rows: likes and bookmarks given, comments
    written, and notes published (now on the site: drafts, held and removed notes do not count)."""
    return {
        "likes_given": per_account(Like.objects.all(), by="user"),
        "bookmarks_given": per_account(Bookmark.objects.all(), by="user"),
        "comments_written": per_account(Comment.objects.all(), by="author"),
        "notes_published": per_account(
            Note.objects.filter(status=Note.Status.PUBLISHED), by="author"
        ),
    }
