"""Reads of notes shared by pages and the API, each at a fixed number of queries."""

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import get_object_or_404
from taggit.models import Tag

from core.pagination import Page, cursor_after, keyset_page
from notes.models import (
    Board,
    Bookmark,
    Comment,
    CommentLike,
    DiscoverCandidate,
    Like,
    Note,
    NoteImage,
    NoteImpressionDay,
    NoteTraffic,
    NoteVideo,
    Repost,
    TaggedNote,
)
from notes.scoring import engagement_per_hundred
from users.models import Follow, User
from users.selectors import PERSON_FIELDS

NEWEST_FIRST = ("-published_at", "-id")


def note_cards(queryset: QuerySet[Note]) -> QuerySet[Note]:
    """What a card needs (author, cover, video size) in two queries for any number of cards:
    of the author, only what a person shows (users.selectors.PERSON_FIELDS).

    The cover is prefetched into `note.cover_images` (a list of at most one image).
    """
    return (
        queryset.select_related("author", "video")
        .only(
            *(field.name for field in Note._meta.concrete_fields),
            *(f"author__{name}" for name in PERSON_FIELDS),
            *(f"video__{field.name}" for field in NoteVideo._meta.concrete_fields),
        )
        .prefetch_related(
            Prefetch(
                "images", queryset=NoteImage.objects.filter(position=0), to_attr="cover_images"
            )
        )
    )


def note_cards_in_order(note_ids: list[int]) -> list[Note]:
    """The cards of these notes in this order (a list ranked elsewhere: Discover, search,
    Nearby); a note no longer visible is left out. Two queries."""
    notes = note_cards(notes_published().filter(pk__in=note_ids)).in_bulk()
    return [notes[pk] for pk in note_ids if pk in notes]


@dataclass(slots=True)
class CardRow:
    """Everything a note's card shows (partials/note_card.html), as plain values: the card's
    key hashes them (notes.templatetags.note_cards). A page of a ranked list reads its cards
    as rows (`note_card_rows`), so when every card is kept rendered it builds no model
    instance; a list that has its notes anyway makes rows of them (`of`).

    `liked`: by the reader the rows were read for (False when made with `of`).
    """

    pk: int
    title: str
    status: str
    media_status: str
    likes_count: int
    products_count: int
    cover_pk: int | None
    cover_name: str | None
    cover_variants: list | None
    video_pk: int | None
    poster_name: str | None
    author_pk: int
    author_username: str
    author_display_name: str
    author_avatar: str
    author_level: int
    is_verified_review: bool = False
    distance_km: float | None = None
    liked: bool = False

    @classmethod
    def of(cls, note: Note) -> "CardRow":
        """The row of a note read with `note_cards` (and any annotation a list adds)."""
        cover = note.cover_images[0] if getattr(note, "cover_images", None) else None
        video = note.attached_video
        author = note.author
        return cls(
            pk=note.pk,
            title=note.title,
            status=note.status,
            media_status=note.media_status,
            likes_count=note.likes_count,
            products_count=note.products_count,
            cover_pk=cover.pk if cover is not None else None,
            cover_name=cover.image.name if cover is not None else None,
            cover_variants=cover.variants if cover is not None else None,
            video_pk=video.pk if video is not None else None,
            poster_name=(video.poster.name or None) if video is not None else None,
            author_pk=author.pk,
            author_username=author.username,
            author_display_name=author.display_name,
            author_avatar=author.avatar.name or "",
            author_level=author.red_potato_level,
            is_verified_review=getattr(note, "is_verified_review", False),
            distance_km=getattr(note, "distance_km", None),
        )


def card_rows_liked(rows: Iterable[CardRow]) -> set[int]:
    """The notes among these card rows that the reader they were read for liked (the page's
    liked_ids, with no query of its own)."""
    return {row.pk for row in rows if row.liked}


# Where each field of a CardRow is read from, up to is_verified_review (a ranked list has none).
_CARD_ROW_COLUMNS = {
    "pk": "pk",
    "title": "title",
    "status": "status",
    "media_status": "media_status",
    "likes_count": "likes_count",
    "products_count": "products_count",
    "cover_pk": "cover__pk",
    "cover_name": "cover__image",
    "cover_variants": "cover__variants",
    "video_pk": "video__pk",
    "poster_name": "video__poster",
    "author_pk": "author_id",
    "author_username": "author__username",
    "author_display_name": "author__display_name",
    "author_avatar": "author__avatar",
    "author_level": "author__red_potato_level",
}


def note_card_rows(note_ids: list[int], *, reader: User | None) -> list[CardRow]:
    """The card rows of these notes in this order (a list ranked elsewhere), each with whether
    `reader` liked it; a note no longer visible is left out. One query: the note, its author,
    cover and video joined, and the reader's like as an EXISTS."""
    liked = Value(False)
    if reader is not None and reader.is_authenticated:
        liked = Exists(Like.objects.filter(user=reader, note=OuterRef("pk")))
    rows = (
        notes_published()
        .filter(pk__in=note_ids)
        .annotate(cover=FilteredRelation("images", condition=Q(images__position=0)), liked=liked)
        .order_by("pk", "cover__id")  # two photos at position 0: the first, as note_cards
        .values(*_CARD_ROW_COLUMNS.values(), "liked")
    )
    by_pk: dict[int, CardRow] = {}
    for row in rows:
        if row["pk"] in by_pk:
            continue
        values = {name: row[column] for name, column in _CARD_ROW_COLUMNS.items()}
        # As CardRow.of reads a note: no poster is None, no avatar is "".
        values["poster_name"] = values["poster_name"] or None
        values["author_avatar"] = values["author_avatar"] or ""
        by_pk[row["pk"]] = CardRow(**values, liked=row["liked"])
    return [by_pk[pk] for pk in note_ids if pk in by_pk]


# --- Who may see what: the one rule every page, list and API answer uses.


def visible_notes_filter(*, via: str = "", author_checked: bool = True) -> Q:
    """A note everyone may see: published, by an account that is still active.

    `via` is the way from the model queried to the note, e.g. "note__" for likes.
    `author_checked=False` leaves the account out (see `notes_published`).
    """
    visible = Q(**{f"{via}status": Note.Status.PUBLISHED})
    if author_checked:
        visible &= Q(**{f"{via}author__is_active": True})
    return visible


def readable_notes_filter(*, author_checked: bool = True) -> Q:
    """A note anyone may open and find in the feeds: visible, and its photos or video ready (a
    note still processing, or failed, is its author's alone: its uploads are not yet cleaned)."""
    return visible_notes_filter(author_checked=author_checked) & Q(
        media_status=Note.MediaStatus.READY
    )


def notes_visible_to(actor: User | None) -> QuerySet[Note]:
    """Notes `reader` may open: visible ones; their own in any state; every note for staff.

    Each note is annotated with `is_visible` (visible to everyone), which decides whether it
    takes likes, bookmarks, reposts and comments (`readable_notes_filter`).
    """
    readable = readable_notes_filter()
    notes = Note.objects.annotate(
        is_visible=ExpressionWrapper(readable, output_field=BooleanField())
    )
    if actor is None or not actor.is_authenticated:
        return notes.filter(readable)
    if actor.is_staff:
        return notes
    return notes.filter(readable | Q(author=actor))


def boards_visible_to(actor: User | None) -> QuerySet[Board]:
    """Boards `viewer` may open: public boards of active accounts, and the viewer's own."""
    boards = Board.objects.filter(owner__is_active=True)
    if actor is None or not actor.is_authenticated:
        return boards.filter(is_private=False)
    return boards.filter(Q(is_private=False) | Q(owner=actor))


def notes_published(*, author_checked: bool = True) -> QuerySet[Note]:
    """The notes everyone may see (`readable_notes_filter`): every feed and list starts here.

    `author_checked=False` skips the join to each note's author, for a ranking that reads only
    an index of notes: the page it ranks must then be checked (`note_cards_in_order` leaves
    out a note whose author has been banned).
    """
    return Note.objects.filter(readable_notes_filter(author_checked=author_checked))


def notes_by_author(*, author: User, actor: User | None, cursor: str | None, size: int) -> Page:
    """An author's published notes, newest first; the author also sees their own drafts."""
    if actor is not None and actor.pk == author.pk:
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


def notes_tagged(*, tag: Tag, cursor: str | None, size: int) -> Page:
    """A tag's published notes, newest first.

    Filtered by the tag's id, not its slug: with the id in the query PostgreSQL knows from its
    statistics how many notes a hot tag has, and walks the newest-first index instead of
    joining every one of them.
    """
    queryset = notes_published().filter(tags=tag)
    return keyset_page(
        note_cards(queryset), keys=NEWEST_FIRST, cursor=cursor, size=size, list_name="notes.tagged"
    )


def _through_cards(queryset: QuerySet) -> QuerySet:
    """Likes or bookmarks of visible notes, with their note's card data."""
    return (
        queryset.filter(visible_notes_filter(via="note__"))
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
    *, user: User, actor: User | None, cursor: str | None, size: int, board: Board | None = None
) -> Page:
    """A user's saved notes; bookmarks in private boards are shown to their owner only."""
    bookmarks = Bookmark.objects.filter(user=user)
    if board is not None:
        bookmarks = bookmarks.filter(board=board)
    if actor is None or actor.pk != user.pk:
        bookmarks = bookmarks.filter(Q(board__isnull=True) | Q(board__is_private=False))
    page = keyset_page(
        _through_cards(bookmarks),
        keys=("-created_at", "-id"),
        cursor=cursor,
        size=size,
        list_name="notes.bookmarked_by",
    )
    return Page(items=[bookmark.note for bookmark in page.items], next_cursor=page.next_cursor)


def boards_of(*, owner: User, actor: User | None) -> QuerySet[Board]:
    """The boards of `owner` that `viewer` may open (`boards_visible_to`)."""
    return boards_visible_to(actor).filter(owner=owner)


def boards_with_counts(*, owner: User, actor: User | None) -> QuerySet[Board]:
    """`boards_of`, each board annotated with `notes_count` (its visible notes), in one query."""
    return boards_of(owner=owner, actor=actor).annotate(
        notes_count=Count("bookmarks", filter=visible_notes_filter(via="bookmarks__note__"))
    )


@dataclass
class ReaderState:
    """What the reader has done to a set of notes (and, on a note's page, to its comments and
    its author): one query for every kind asked, whatever the count of ids (UNION ALL of the
    kinds' tables)."""

    liked: set[int] = field(default_factory=set)
    bookmarked: set[int] = field(default_factory=set)
    reposted: set[int] = field(default_factory=set)
    comments_liked: set[int] = field(default_factory=set)  # comment ids
    following: set[int] = field(default_factory=set)  # account ids


def reader_state(
    *,
    actor: User | None,
    note_ids: list[int],
    kinds: tuple[str, ...] = ("liked",),
    comment_ids: Iterable[int] = (),
    author_ids: Iterable[int] = (),
) -> ReaderState:
    state = ReaderState()
    if actor is None or not actor.is_authenticated:
        return state
    label = partial(Value, output_field=CharField())
    sources = {"liked": Like, "bookmarked": Bookmark, "reposted": Repost}
    reads = []
    if note_ids:
        reads += [
            sources[kind]
            .objects.filter(user=actor, note_id__in=note_ids)
            .values_list("note_id", label(kind))
            for kind in kinds
        ]
    if comment_ids := list(comment_ids):
        reads.append(
            CommentLike.objects.filter(user=actor, comment_id__in=comment_ids).values_list(
                "comment_id", label("comments_liked")
            )
        )
    if author_ids := [pk for pk in author_ids if pk != actor.pk]:
        reads.append(
            Follow.objects.filter(follower=actor, followee_id__in=author_ids).values_list(
                "followee_id", label("following")
            )
        )
    if not reads:
        return state
    rows = reads[0].union(*reads[1:], all=True) if len(reads) > 1 else reads[0]
    for pk, kind in rows:
        getattr(state, kind).add(pk)
    return state


def note_tag_slugs(note_ids: Iterable[int] | QuerySet) -> dict[int, list[str]]:
    """Each note's tag slugs, in the order they were given, in one query. `note_ids` may be a
    queryset of ids (a subquery, for many notes)."""
    if not isinstance(note_ids, QuerySet):
        note_ids = list(note_ids)
    rows = TaggedNote.objects.filter(content_object_id__in=note_ids)
    tags: dict[int, list[str]] = {}
    for note_id, slug in rows.order_by("pk").values_list("content_object_id", "tag__slug"):
        tags.setdefault(note_id, []).append(slug)
    return tags


def tag_get_by_slug(*, slug: str) -> Tag:
    return get_object_or_404(Tag, slug=slug)


TAG_COUNT_SECONDS = 10 * 60


def tag_count_key(tag_id: int) -> str:
    return f"notes.tagged_count.{tag_id}"


def notes_tagged_count(*, tag: Tag) -> int:
    """How many published notes have `tag`, at most ten minutes old: a hot tag's count reads
    tens of thousands of rows, and a count a few minutes old reads the same to a person.

    Every tag's count is put in the cache every five minutes by one GROUP BY
    (services.tag_counts_refresh), so a page never counts but for a tag new since the last run.
    """
    return cache.get_or_set(
        tag_count_key(tag.pk),
        lambda: notes_published().filter(tags=tag).count(),
        TAG_COUNT_SECONDS,
    )


def tag_counts() -> dict[int, int]:
    """Published notes per tag id, of every tag with at least one: one GROUP BY over the
    taggings of visible notes."""
    rows = (
        TaggedNote.objects.filter(visible_notes_filter(via="content_object__"))
        .values("tag_id")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("tag_id", "count")
    )
    return dict(rows)


def comment_get(*, comment_id: int) -> Comment:
    """A comment with its note (for the way back to the note page), or 404."""
    return get_object_or_404(Comment.objects.select_related("note"), pk=comment_id)


def comment_liked_ids(*, actor: User | None, comment_ids: list[int]) -> set[int]:
    """Which of these comments the reader liked (reader_state's, when nothing else is asked)."""
    return reader_state(actor=actor, note_ids=[], comment_ids=comment_ids).comments_liked


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
        # By id, as in notes_tagged; an unknown tag has no notes.
        tag = Tag.objects.filter(slug=tag_slug).first()
        queryset = queryset.filter(tags=tag) if tag is not None else queryset.none()
    return keyset_page(
        note_cards(queryset),
        keys=NEWEST_FIRST,
        cursor=cursor,
        size=size,
        list_name="notes.published",
    )


COMMENT_REPLIES_SHOWN = 3
THREADS_NEWEST_FIRST = ("-created_at", "-id")
REPLIES_OLDEST_FIRST = ("created_at", "id")
REPLIES_LIST = "comments.replies"


def comments_visible() -> QuerySet[Comment]:
    """Comments with their authors (what a person shows: users.selectors.PERSON_FIELDS); a
    deactivated (banned) account's comments are hidden.

    Every list of comments starts here, so the rule holds for pages and API alike.
    """
    return (
        Comment.objects.filter(author__is_active=True)
        .select_related("author")
        .only(
            *(field.name for field in Comment._meta.concrete_fields),
            *(f"author__{name}" for name in PERSON_FIELDS),
        )
    )


def _threads(note: Note) -> QuerySet[Comment]:
    """A note's visible threads, each with `replies_count`: how many visible replies it has."""
    replies = (
        Comment.objects.filter(parent=OuterRef("pk"), author__is_active=True)
        .order_by()
        .values("parent")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        comments_visible()
        .filter(note=note, parent__isnull=True)
        .annotate(replies_count=Coalesce(Subquery(replies), 0))
    )


def _show_first_replies(threads: list[Comment], *, also: Comment | None = None) -> None:
    """Give each thread its first replies, oldest first, in one query for all the threads that
    have any (`replies_count`), none when no thread has.

    Sets `shown_replies`, `replies_more` (visible replies not shown) and `replies_cursor`
    (the rest, for `comment_replies`; None when all are shown). `also` is a reply shown after
    its thread's first ones wherever it falls (the one a page was opened for).
    """
    by_id = {thread.pk: thread for thread in threads}
    for thread in threads:
        thread.shown_replies = []
        thread.replies_cursor = None
    with_replies = [thread.pk for thread in threads if thread.replies_count]
    if with_replies:  # most threads have none: then no query
        position = Window(
            RowNumber(),
            partition_by=F("parent_id"),
            order_by=[F(key).asc() for key in REPLIES_OLDEST_FIRST],
        )
        first_replies = (
            comments_visible()
            .filter(parent_id__in=with_replies)
            .annotate(position=position)
            .filter(position__lte=COMMENT_REPLIES_SHOWN)
            .order_by("parent_id", "position")
        )
        for reply in first_replies:
            by_id[reply.parent_id].shown_replies.append(reply)
    for thread in threads:
        shown = thread.shown_replies
        if shown and len(shown) < thread.replies_count:
            thread.replies_cursor = cursor_after(
                shown[-1], keys=REPLIES_OLDEST_FIRST, list_name=REPLIES_LIST
            )
    if also is not None and also.parent_id in by_id:
        thread = by_id[also.parent_id]
        if all(reply.pk != also.pk for reply in thread.shown_replies):
            thread.shown_replies.append(also)
    for thread in threads:
        thread.replies_more = max(thread.replies_count - len(thread.shown_replies), 0)


def comment_threads(
    *, note: Note, cursor: str | None, size: int, shown_comment_id: int | None = None
) -> Page:
    """One page of a note's threads newest first, each with its first replies oldest first.

    Two queries whatever the page's size, one when its threads have no replies (see
    `_show_first_replies` for what a thread carries).
    `shown_comment_id` is a comment the page is opened for (one just posted, one replied to):
    its thread leads the first page, with that comment shown, and no page repeats the thread.
    """
    threads = _threads(note)
    shown = None
    if shown_comment_id is not None:
        shown = comments_visible().filter(note=note, pk=shown_comment_id).first()
    leading = []
    if shown is not None:
        thread_id = shown.parent_id or shown.pk
        threads = threads.exclude(pk=thread_id)
        if cursor is None:
            leading = list(_threads(note).filter(pk=thread_id))
    page = keyset_page(
        threads, keys=THREADS_NEWEST_FIRST, cursor=cursor, size=size, list_name="comments.threads"
    )
    page.items = leading + page.items
    _show_first_replies(page.items, also=shown if shown is not None and shown.parent_id else None)
    return page


def comment_thread_get(*, comment_id: int) -> Comment:
    """A visible thread (a comment that is not a reply), or 404."""
    return get_object_or_404(comments_visible(), pk=comment_id, parent__isnull=True)


def comment_visible_on(*, note: Note, comment_id: int | None) -> Comment | None:
    """A visible comment of `note` (e.g. the one the reader replies to), or None."""
    if comment_id is None:
        return None
    return comments_visible().filter(note=note, pk=comment_id).first()


def comment_replies(*, thread: Comment, cursor: str | None, size: int) -> Page:
    """A page of a thread's visible replies, oldest first; a thread's `replies_cursor` fits."""
    return keyset_page(
        comments_visible().filter(parent=thread),
        keys=REPLIES_OLDEST_FIRST,
        cursor=cursor,
        size=size,
        list_name=REPLIES_LIST,
    )


# --- Saving into boards: the board sheet and the API share these.


def boards_of_owner_page(*, owner: User, cursor: str | None, size: int) -> Page:
    """One page of the owner's own boards, newest first, each with `notes_count`."""
    return keyset_page(
        boards_with_counts(owner=owner, actor=owner).select_related("owner"),
        keys=("-created_at", "-id"),
        cursor=cursor,
        size=size,
        list_name="boards.mine",
    )


def bookmark_board_id(*, actor: User, note_id: int) -> int | None:
    """The board `user` saved the note into; None when it is in none, or not saved."""
    return (
        Bookmark.objects.filter(user=actor, note_id=note_id)
        .values_list("board_id", flat=True)
        .first()
    )


# --- Discovery: what an author sees of their note's reach.


@dataclass
class NoteReach:
    """How far a published note has travelled, for its author: "shown to 1,240 readers"."""

    shown_to: int
    pool: int | None = None  # 1-based, as the author reads it; None before its first pool
    pools: int = 0
    used: int = 0  # readers reached in the current pool
    budget: int = 0
    state: str = ""


def note_reach(*, note: Note) -> NoteReach:
    """One query: the note's pool. Impressions are as of the last discovery refresh."""
    budgets = settings.TRAFFIC_POOL_BUDGETS
    reach = NoteReach(shown_to=note.impressions, pools=len(budgets))
    traffic = NoteTraffic.objects.filter(note=note).first()
    if traffic is not None:
        reach.pool = traffic.pool + 1
        reach.used = max(note.impressions - traffic.impressions_at_entry, 0)
        reach.budget = budgets[min(traffic.pool, len(budgets) - 1)]
        reach.state = traffic.state
    return reach


# --- Discover's candidate lists (built by notes.services.discovery), read per visit.

CANDIDATES_BUILT_KEY = "discover:candidates-built"  # the build's time: names its lists
# Discover rebuilds the lists itself (through the task) when they are older than this: the
# periodic task keeps them fresher, this only rescues an install that runs no beat.
CANDIDATES_STALE_SECONDS = 15 * 60
_CANDIDATE_LIST_KEY = "discover:candidates:{built}:{list_key}"

CandidateRow = tuple[int, int, float, tuple[str, ...]]  # note id, author id, score, tag slugs


# The lists a process read last, kept as objects: unpickling a reader's dozen lists from the
# shared cache costs about 4 ms, a dict look-up nothing. Lists never change within a build (a
# rebuild names new keys), so nothing here can be stale; the least recently read go first.
CANDIDATE_LISTS_IN_MEMORY = 200
_in_memory: OrderedDict[tuple[str, str], list[CandidateRow]] = OrderedDict()
_in_memory_lock = threading.Lock()


def _remembered(built: str, list_keys: list[str]) -> dict[str, list[CandidateRow]]:
    found = {}
    with _in_memory_lock:
        for list_key in list_keys:
            rows = _in_memory.get((built, list_key))
            if rows is not None:
                _in_memory.move_to_end((built, list_key))
                found[list_key] = rows
    return found


def _remember(built: str, lists: dict[str, list[CandidateRow]]) -> None:
    with _in_memory_lock:
        for list_key, rows in lists.items():
            _in_memory[(built, list_key)] = rows
        while len(_in_memory) > CANDIDATE_LISTS_IN_MEMORY:
            _in_memory.popitem(last=False)


def discover_candidate_lists(
    list_keys: list[str], *, built: str | None = None
) -> dict[str, list[CandidateRow]]:
    """The rows of these candidate lists: from this process's memory, else the shared cache
    when this build's lists are there, else in one query (then kept for the build's
    lifetime). Every signed-in first page reads a dozen lists of a few hundred rows, and a
    rebuild names new keys, so nothing is stale. `built`: the build's name if the caller has
    read it already."""
    built = built or cache.get(CANDIDATES_BUILT_KEY)
    if not built:
        return _candidate_lists_read(list_keys)
    lists = _remembered(built, list_keys)
    wanted = {
        _CANDIDATE_LIST_KEY.format(built=built, list_key=k): k for k in list_keys if k not in lists
    }
    shared = {wanted[key]: rows for key, rows in cache.get_many(wanted).items()} if wanted else {}
    missing = [k for k in wanted.values() if k not in shared]
    read = _candidate_lists_read(missing) if missing else {}
    if read:
        by_key = {_CANDIDATE_LIST_KEY.format(built=built, list_key=k): v for k, v in read.items()}
        cache.set_many(by_key, CANDIDATES_STALE_SECONDS)
    _remember(built, shared | read)
    return lists | shared | read


def _candidate_lists_read(list_keys: list[str]) -> dict[str, list[CandidateRow]]:
    read: dict[str, list[CandidateRow]] = {k: [] for k in list_keys}
    rows = DiscoverCandidate.objects.filter(list_key__in=list_keys).values_list(
        "list_key", "note_id", "author_id", "score", "tags"
    )
    for list_key, note_id, author_id, score, tags in rows:
        read[list_key].append((note_id, author_id, score, tuple(tags)))
    return read


# --- How sets of notes do with readers: a creator's own (the creator centre) and a brand's
# sponsored ones (paid partnerships). All from the note rows' counters, never a COUNT of likes.

PARTNER_CREATORS_SHOWN = 5
CREATOR_DAYS_SHOWN = 7


@dataclass(frozen=True)
class NoteNumbers:
    """Totals over a set of published notes: `per_hundred` is the engagement (CES) per 100
    readers the notes were shown to."""

    notes: int
    impressions: int
    likes: int
    bookmarks: int
    comments: int
    follows: int
    ces: int

    @property
    def per_hundred(self) -> float | None:
        return engagement_per_hundred(ces=self.ces, impressions=self.impressions)


def _numbers() -> dict:
    return {
        "notes": Count("pk"),
        "impressions": Coalesce(Sum("impressions"), 0),
        "likes": Coalesce(Sum("likes_count"), 0),
        "bookmarks": Coalesce(Sum("bookmarks_count"), 0),
        "comments": Coalesce(Sum("comments_count"), 0),
        "follows": Coalesce(Sum("follows_gained"), 0),
        "ces": Coalesce(Sum("ces"), 0),
    }


def _notes_with_numbers(
    notes: QuerySet[Note], *, cursor: str | None, size: int, list_name: str
) -> Page:
    return keyset_page(
        note_cards(notes), keys=NEWEST_FIRST, cursor=cursor, size=size, list_name=list_name
    )


def creator_totals(*, author: User) -> NoteNumbers:
    """The author's published notes, added up: one query."""
    return NoteNumbers(**notes_published().filter(author=author).aggregate(**_numbers()))


def creator_shown_by_day(
    *, author: User, today: date, days: int = CREATOR_DAYS_SHOWN
) -> list[tuple[date, int]]:
    """How many readers the author's notes were shown to on each of the last `days` days,
    oldest first (0 on a day without any): one query over the daily counts."""
    first = today - timedelta(days=days - 1)
    counted = dict(
        NoteImpressionDay.objects.filter(note__author=author, day__gte=first, day__lte=today)
        .values("day")
        .annotate(shown=Sum("count"))
        .values_list("day", "shown")
    )
    every_day = [first + timedelta(days=n) for n in range(days)]
    return [(day, counted.get(day, 0)) for day in every_day]


def creator_notes(*, author: User, cursor: str | None, size: int) -> Page:
    """The author's published notes, newest first, as cards with their numbers."""
    return _notes_with_numbers(
        notes_published().filter(author=author), cursor=cursor, size=size, list_name="creator.notes"
    )


def brand_partnership_totals(*, brand: User) -> NoteNumbers:
    """The brand's sponsored notes on the site, added up: one query."""
    return NoteNumbers(**notes_published().filter(sponsor=brand).aggregate(**_numbers()))


def brand_partner_creators(
    *, brand: User, limit: int = PARTNER_CREATORS_SHOWN
) -> list[tuple[User, NoteNumbers]]:
    """The creators whose sponsored notes engaged the brand's audience most (CES in all), each
    with their numbers: two queries whatever the number of notes."""
    rows = list(
        notes_published()
        .filter(sponsor=brand)
        .values("author_id")
        .annotate(**_numbers())
        .order_by("-ces", "author_id")[:limit]
    )
    people = User.objects.only(*PERSON_FIELDS).in_bulk([row["author_id"] for row in rows])
    creators = []
    for row in rows:
        person = people.get(row.pop("author_id"))
        if person is not None:
            creators.append((person, NoteNumbers(**row)))
    return creators


def brand_partnerships(*, brand: User, cursor: str | None, size: int) -> Page:
    """The brand's sponsored notes on the site, newest first, as cards with their numbers."""
    return _notes_with_numbers(
        notes_published().filter(sponsor=brand),
        cursor=cursor,
        size=size,
        list_name="brand.partnerships",
    )
