"""Reads of notes shared by pages and the API, each at a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from taggit.models import Tag

from core.pagination import Page, keyset_page
from notes.models import Board, Bookmark, Comment, CommentLike, Like, Note, NoteImage, Repost
from users.models import User

NEWEST_FIRST = ("-published_at", "-id")


def note_cards(queryset: QuerySet[Note]) -> QuerySet[Note]:
    """What a card needs (author, cover, video size) in two queries for any number of cards.

    The cover is prefetched into `note.cover_images` (a list of at most one image).
    """
    return queryset.select_related("author", "video").prefetch_related(
        Prefetch("images", queryset=NoteImage.objects.filter(position=0), to_attr="cover_images")
    )


def notes_published() -> QuerySet[Note]:
    return Note.objects.filter(status=Note.Status.PUBLISHED, author__is_active=True)


def notes_by_author(*, author: User, viewer: User | None, cursor: str | None, size: int) -> Page:
    """An author's published notes, newest first; the author also sees their own drafts."""
    if viewer is not None and viewer.pk == author.pk:
        queryset = Note.objects.filter(author=author).exclude(status=Note.Status.REMOVED)
        return keyset_page(
            note_cards(queryset),
            keys=("-created_at", "-id"),
            cursor=cursor,
            size=size,
            list_name="notes.by_author.own",
        )
    queryset = notes_published().filter(author=author)
    return keyset_page(
        note_cards(queryset),
        keys=NEWEST_FIRST,
        cursor=cursor,
        size=size,
        list_name="notes.by_author",
    )


def notes_tagged(*, tag_slug: str, cursor: str | None, size: int) -> Page:
    queryset = notes_published().filter(tags__slug=tag_slug)
    return keyset_page(
        note_cards(queryset), keys=NEWEST_FIRST, cursor=cursor, size=size, list_name="notes.tagged"
    )


def _through_cards(queryset: QuerySet) -> QuerySet:
    """Likes or bookmarks with their note's card data, newest first."""
    return (
        queryset.filter(note__status=Note.Status.PUBLISHED)
        .select_related("note__author", "note__video")
        .prefetch_related(
            Prefetch(
                "note__images",
                queryset=NoteImage.objects.filter(position=0),
                to_attr="cover_images",
            )
        )
    )


def notes_liked_by(*, user: User, cursor: str | None, size: int) -> Page:
    page = keyset_page(
        _through_cards(Like.objects.filter(user=user)),
        keys=("-created_at", "-id"),
        cursor=cursor,
        size=size,
        list_name="notes.liked_by",
    )
    return Page(items=[like.note for like in page.items], next_cursor=page.next_cursor)


def notes_bookmarked_by(
    *, user: User, viewer: User | None, cursor: str | None, size: int, board: Board | None = None
) -> Page:
    """A user's saved notes; bookmarks in private boards are shown to their owner only."""
    bookmarks = Bookmark.objects.filter(user=user)
    if board is not None:
        bookmarks = bookmarks.filter(board=board)
    if viewer is None or viewer.pk != user.pk:
        bookmarks = bookmarks.filter(Q(board__isnull=True) | Q(board__is_private=False))
    page = keyset_page(
        _through_cards(bookmarks),
        keys=("-created_at", "-id"),
        cursor=cursor,
        size=size,
        list_name="notes.bookmarked_by",
    )
    return Page(items=[bookmark.note for bookmark in page.items], next_cursor=page.next_cursor)


def boards_of(*, owner: User, viewer: User | None) -> QuerySet[Board]:
    boards = Board.objects.filter(owner=owner)
    if viewer is None or viewer.pk != owner.pk:
        boards = boards.filter(is_private=False)
    return boards


def boards_with_counts(*, owner: User, viewer: User | None) -> QuerySet[Board]:
    """`boards_of`, each board annotated with `notes_count` (its published notes), in one query."""
    return boards_of(owner=owner, viewer=viewer).annotate(
        notes_count=Count("bookmarks", filter=Q(bookmarks__note__status=Note.Status.PUBLISHED))
    )


@dataclass
class ReaderState:
    """What the reader has done to a set of notes: one query per kind, whatever the count."""

    liked: set[int] = field(default_factory=set)
    bookmarked: set[int] = field(default_factory=set)
    reposted: set[int] = field(default_factory=set)


def reader_state(
    *, reader: User | None, note_ids: list[int], kinds: tuple[str, ...] = ("liked",)
) -> ReaderState:
    state = ReaderState()
    if reader is None or not reader.is_authenticated or not note_ids:
        return state
    sources = {"liked": Like, "bookmarked": Bookmark, "reposted": Repost}
    for kind in kinds:
        ids = (
            sources[kind]
            .objects.filter(user=reader, note_id__in=note_ids)
            .values_list("note_id", flat=True)
        )
        setattr(state, kind, set(ids))
    return state


def note_comments(*, note: Note, viewer: User | None) -> tuple[list[Comment], set[int]]:
    """A note's comment threads (oldest first, replies inside) and the ids the viewer liked."""
    comments = list(
        Comment.objects.filter(note=note, parent__isnull=True)
        .select_related("author")
        .prefetch_related(
            Prefetch("replies", queryset=Comment.objects.select_related("author").order_by("id"))
        )
    )
    liked: set[int] = set()
    if viewer is not None and viewer.is_authenticated and comments:
        liked = set(
            CommentLike.objects.filter(user=viewer, comment__note=note).values_list(
                "comment_id", flat=True
            )
        )
    return comments, liked


def tag_get_by_slug(*, slug: str) -> Tag:
    return get_object_or_404(Tag, slug=slug)


def notes_tagged_count(*, tag: Tag) -> int:
    return notes_published().filter(tags=tag).count()


def comment_get(*, comment_id: int) -> Comment:
    """A comment with its note (for the way back to the note page), or 404."""
    return get_object_or_404(Comment.objects.select_related("note"), pk=comment_id)


def comment_liked_ids(*, viewer: User | None, comment_ids: list[int]) -> set[int]:
    if viewer is None or not viewer.is_authenticated or not comment_ids:
        return set()
    return set(
        CommentLike.objects.filter(user=viewer, comment_id__in=comment_ids).values_list(
            "comment_id", flat=True
        )
    )


def notes_newest(
    *,
    cursor: str | None,
    size: int,
    author_username: str | None = None,
    tag_slug: str | None = None,
) -> Page:
    """Published notes newest first, optionally of one author and/or with one tag (the API list)."""
    queryset = notes_published()
    if author_username:
        queryset = queryset.filter(author__username=author_username)
    if tag_slug:
        queryset = queryset.filter(tags__slug=tag_slug)
    return keyset_page(
        note_cards(queryset),
        keys=NEWEST_FIRST,
        cursor=cursor,
        size=size,
        list_name="notes.published",
    )


def comment_threads(*, note: Note, cursor: str | None, size: int) -> Page:
    """One page of a note's threads, oldest first, each with all its replies: two queries."""
    threads = (
        Comment.objects.filter(note=note, parent__isnull=True)
        .select_related("author")
        .prefetch_related(
            Prefetch("replies", queryset=Comment.objects.select_related("author").order_by("id"))
        )
    )
    return keyset_page(
        threads, keys=("created_at", "id"), cursor=cursor, size=size, list_name="comments.threads"
    )


# --- Saving into boards: the board sheet and the API share these.


def boards_of_owner_page(*, owner: User, cursor: str | None, size: int) -> Page:
    """One page of the owner's own boards, newest first, each with `notes_count`."""
    return keyset_page(
        boards_with_counts(owner=owner, viewer=owner).select_related("owner"),
        keys=("-created_at", "-id"),
        cursor=cursor,
        size=size,
        list_name="boards.mine",
    )


def bookmark_board_id(*, user: User, note_id: int) -> int | None:
    """The board `user` saved the note into; None when it is in none, or not saved."""
    return (
        Bookmark.objects.filter(user=user, note_id=note_id)
        .values_list("board_id", flat=True)
        .first()
    )
