"""The verbs of notes: publishing, interactions, comments, boards and moderation.

The only place that writes notes. Every verb is one transaction; counters move with F() in
that same transaction, and CES with them (notes.scoring).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from notes.media import inspect_note_image, inspect_note_video
from notes.models import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    IMAGES_MAX,
    TITLE_MAX_LENGTH,
    Board,
    Bookmark,
    Comment,
    CommentLike,
    FollowFromNote,
    Like,
    Note,
    NoteImage,
    NoteVideo,
    Repost,
)
from notes.scoring import CES_WEIGHTS, ces_from_counters, counter_change
from users import services as user_services
from users.models import User
from users.uploads import stored_name

HASHTAG_PATTERN = re.compile(r"#(\w{1,30})")
TAG_MAX_LENGTH = 30
TAGS_MAX = 10


def hashtags_in(text: str) -> list[str]:
    """#hashtags written in a body, in order, without repeats."""
    return list(dict.fromkeys(HASHTAG_PATTERN.findall(text)))


@dataclass
class NoteContent:
    """What an author writes; the same shape for the publish form and the API."""

    title: str
    body: str = ""
    tags: Sequence[str] = ()
    place_name: str = ""
    latitude: float | None = None
    longitude: float | None = None
    images: Sequence[UploadedFile] = field(default_factory=list)
    video: UploadedFile | None = None


# --- Permission-checked fetches, shared by pages and the API.


def note_get_for_reader(*, reader: User | None, note_id: int) -> Note:
    """A published note for anyone; anything else only for its author or staff (404 otherwise)."""
    note = (
        Note.objects.select_related("author", "video")
        .prefetch_related("images", "tags")
        .filter(pk=note_id)
        .first()
    )
    if note is None:
        raise Http404
    if note.is_published:
        return note
    if (
        reader is not None
        and reader.is_authenticated
        and (reader.pk == note.author_id or reader.is_staff)
    ):
        return note
    raise Http404


def note_get_for_editor(*, user: User, note_id: int) -> Note:
    """The note if `user` wrote it; PermissionDenied (403) for anyone else."""
    note = Note.objects.select_related("author").filter(pk=note_id).first()
    if note is None:
        raise Http404
    if not user.is_authenticated or note.author_id != user.pk:
        raise PermissionDenied(_("Only the author can change this note."))
    return note


def board_get_for_viewer(*, viewer: User | None, board_id: int) -> Board:
    """A public board for anyone; a private one only for its owner (404 otherwise)."""
    board = Board.objects.select_related("owner").filter(pk=board_id).first()
    if board is None:
        raise Http404
    if board.is_private and (viewer is None or viewer.pk != board.owner_id):
        raise Http404
    return board


def board_get_for_owner(*, owner: User, board_id: int) -> Board:
    """The board if `owner` made it; PermissionDenied (403) for anyone else."""
    board = Board.objects.select_related("owner").filter(pk=board_id).first()
    if board is None:
        raise Http404
    if not owner.is_authenticated or board.owner_id != owner.pk:
        raise PermissionDenied(_("Only the owner can change this board."))
    return board


def _readable_note(*, reader: User, note_id: int) -> Note:
    """Interactions are only for published notes."""
    note = note_get_for_reader(reader=reader, note_id=note_id)
    if not note.is_published:
        raise ValidationError(_("This note is not published."), code="not_published")
    return note


# --- Writing notes.


def _clean_content(content: NoteContent, *, needs_media: bool) -> dict[str, list]:
    """Validate everything before any row or file is written; errors keyed by form field."""
    errors: dict[str, list] = {}
    title = content.title.strip()
    if not title:
        errors.setdefault("title", []).append(_("A note needs a title."))
    elif len(title) > TITLE_MAX_LENGTH:
        errors.setdefault("title", []).append(
            _("Keep the title within %(max)s characters.") % {"max": TITLE_MAX_LENGTH}
        )
    if len(content.body) > BODY_MAX_LENGTH:
        errors.setdefault("body", []).append(
            _("Keep the text within %(max)s characters.") % {"max": BODY_MAX_LENGTH}
        )
    if (content.latitude is None) != (content.longitude is None):
        errors.setdefault("place_name", []).append(_("A place needs both latitude and longitude."))
    elif content.latitude is not None and not (
        -90 <= content.latitude <= 90 and -180 <= content.longitude <= 180
    ):
        errors.setdefault("place_name", []).append(_("Those coordinates are not on Earth."))
    if content.images and content.video:
        errors.setdefault("video", []).append(_("A note has photos or a video, not both."))
    if len(content.images) > IMAGES_MAX:
        errors.setdefault("images", []).append(
            _("A note can have at most %(max)s photos.") % {"max": IMAGES_MAX}
        )
    if needs_media and not content.images and not content.video:
        errors.setdefault("images", []).append(_("Add at least one photo or a video."))
    for tag in content.tags:
        if len(tag) > TAG_MAX_LENGTH:
            errors.setdefault("tags", []).append(
                _("Tags are at most %(max)s characters.") % {"max": TAG_MAX_LENGTH}
            )
            break
    return errors


def _inspect_media(content: NoteContent, errors: dict[str, list]) -> tuple[list, object]:
    images = []
    for upload in content.images:
        try:
            images.append((upload, inspect_note_image(upload)))
        except ValidationError as error:
            errors.setdefault("images", []).extend(error.messages)
    video = None
    if content.video is not None:
        try:
            video = (content.video, inspect_note_video(content.video))
        except ValidationError as error:
            errors.setdefault("video", []).extend(error.messages)
    return images, video


def _note_tags(content: NoteContent) -> list[str]:
    tags = [tag.strip().lstrip("#") for tag in content.tags] + hashtags_in(content.body)
    return list(dict.fromkeys(tag for tag in tags if tag))[:TAGS_MAX]


def _save_images(note: Note, images: list, *, start: int) -> None:
    for offset, (upload, info) in enumerate(images):
        picture = NoteImage(
            note=note, position=start + offset, width=info.width, height=info.height
        )
        picture.image.save(stored_name(info.extension), upload, save=False)
        picture.save()


def _save_video(note: Note, video: tuple) -> None:
    upload, info = video
    clip = NoteVideo(
        note=note, width=info.width, height=info.height, duration_seconds=info.duration_seconds
    )
    clip.file.save(stored_name(info.extension), upload, save=False)
    clip.save()


@transaction.atomic
def note_create(
    *, author: User, content: NoteContent, publish: bool, published_at: datetime | None = None
) -> Note:
    """Write a note with its media; a published note needs 1–18 photos or one video.

    Every upload is inspected before anything is written, so a bad file loses nothing.
    `published_at` backdates a published note (imports and demo data); it defaults to now.
    """
    errors = _clean_content(content, needs_media=publish)
    images, video = _inspect_media(content, errors)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    note = Note.objects.create(
        author=author,
        title=content.title.strip(),
        body=content.body,
        place_name=content.place_name.strip(),
        latitude=content.latitude,
        longitude=content.longitude,
        status=Note.Status.PUBLISHED if publish else Note.Status.DRAFT,
        published_at=(published_at or now) if publish else None,
    )
    if publish and published_at is not None:
        # A backdated note was written then, too: otherwise it would read as "edited".
        Note.objects.filter(pk=note.pk).update(created_at=published_at, updated_at=published_at)
        note.created_at = note.updated_at = published_at
    note.tags.set(_note_tags(content))
    _save_images(note, images, start=0)
    if video is not None:
        _save_video(note, video)
    return note


@transaction.atomic
def note_update(
    *,
    editor: User,
    note_id: int,
    content: NoteContent,
    publish: bool,
    image_order: Sequence[int] | None = None,
    remove_image_ids: Sequence[int] = (),
    remove_video: bool = False,
) -> Note:
    """Change a note the editor wrote: text, tags, place, photos (add, remove, reorder), video.

    `image_order` lists the kept image ids cover first; new uploads go after them.
    `publish=False` keeps a draft a draft (and takes a published note back to drafts).
    """
    note = note_get_for_editor(user=editor, note_id=note_id)
    note = Note.objects.select_for_update().get(pk=note.pk)
    if note.status == Note.Status.REMOVED:
        raise PermissionDenied(_("This note was removed by our moderators and cannot be edited."))
    existing = {picture.pk: picture for picture in note.images.all()}
    kept_ids = [pk for pk in existing if pk not in set(remove_image_ids)]
    if image_order is not None:
        ordered = [pk for pk in image_order if pk in kept_ids]
        kept_ids = list(dict.fromkeys(ordered + kept_ids))
    has_video = hasattr(note, "video") and not remove_video
    errors = _clean_content(content, needs_media=False)
    images, video = _inspect_media(content, errors)
    photo_total = len(kept_ids) + len(images)
    if photo_total > IMAGES_MAX:
        errors.setdefault("images", []).append(
            _("A note can have at most %(max)s photos.") % {"max": IMAGES_MAX}
        )
    if (photo_total and (video or has_video)) or (video and has_video):
        errors.setdefault("video", []).append(_("A note has photos or a video, not both."))
    if publish and not photo_total and not (video or has_video):
        errors.setdefault("images", []).append(_("Add at least one photo or a video."))
    if errors:
        raise ValidationError(errors)

    note.title = content.title.strip()
    note.body = content.body
    note.place_name = content.place_name.strip()
    note.latitude, note.longitude = content.latitude, content.longitude
    fields = ["title", "body", "place_name", "latitude", "longitude", "updated_at"]
    if publish and note.status == Note.Status.DRAFT:
        note.status, note.published_at = Note.Status.PUBLISHED, timezone.now()
        fields += ["status", "published_at"]
    elif not publish and note.status == Note.Status.PUBLISHED:
        note.status = Note.Status.DRAFT
        fields.append("status")
    note.save(update_fields=fields)
    note.tags.set(_note_tags(content))

    removed = [existing[pk] for pk in existing if pk not in kept_ids]
    for picture in removed:
        storage, name = picture.image.storage, picture.image.name
        picture.delete()
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    for position, pk in enumerate(kept_ids):
        picture = existing[pk]
        if picture.position != position:
            picture.position = position
            picture.save(update_fields=["position"])
    _save_images(note, images, start=len(kept_ids))
    if remove_video and hasattr(note, "video"):
        old = note.video
        storage, name = old.file.storage, old.file.name
        old.delete()
        transaction.on_commit(lambda: storage.delete(name))
    if video is not None:
        _save_video(note, video)
    return note


@transaction.atomic
def note_delete(*, editor: User, note_id: int) -> None:
    """Delete a note the editor wrote, its media files once the deletion has committed."""
    note = note_get_for_editor(user=editor, note_id=note_id)
    files = [(p.image.storage, p.image.name) for p in note.images.all()]
    video = NoteVideo.objects.filter(note=note).first()
    if video is not None:
        files.append((video.file.storage, video.file.name))
    user_services.user_received_add(
        user_id=note.author_id, likes=-note.likes_count, bookmarks=-note.bookmarks_count
    )
    note.delete()
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


# --- Interactions. Each is idempotent per user: the unique constraint decides.


def _create_once(model: type, **fields: object) -> bool:
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def note_like(*, user: User, note_id: int) -> bool:
    note = _readable_note(reader=user, note_id=note_id)
    if not _create_once(Like, note=note, user=user):
        return False
    Note.objects.filter(pk=note.pk).update(**counter_change("likes_count", 1))
    user_services.user_received_add(user_id=note.author_id, likes=1)
    return True


@transaction.atomic
def note_unlike(*, user: User, note_id: int) -> bool:
    note = note_get_for_reader(reader=user, note_id=note_id)
    deleted, _detail = Like.objects.filter(note=note, user=user).delete()
    if not deleted:
        return False
    Note.objects.filter(pk=note.pk).update(**counter_change("likes_count", -1))
    user_services.user_received_add(user_id=note.author_id, likes=-1)
    return True


@transaction.atomic
def note_bookmark(*, user: User, note_id: int, board_id: int | None = None) -> bool:
    """Save a note, optionally into one of the user's boards; saving again moves it."""
    note = _readable_note(reader=user, note_id=note_id)
    board = None
    if board_id is not None:
        board = Board.objects.filter(pk=board_id, owner=user).first()
        if board is None:
            raise ValidationError(_("Choose one of your own boards."), code="board")
    if not _create_once(Bookmark, note=note, user=user, board=board):
        Bookmark.objects.filter(note=note, user=user).update(board=board)
        return False
    Note.objects.filter(pk=note.pk).update(**counter_change("bookmarks_count", 1))
    user_services.user_received_add(user_id=note.author_id, bookmarks=1)
    return True


@transaction.atomic
def note_unbookmark(*, user: User, note_id: int) -> bool:
    note = note_get_for_reader(reader=user, note_id=note_id)
    deleted, _detail = Bookmark.objects.filter(note=note, user=user).delete()
    if not deleted:
        return False
    Note.objects.filter(pk=note.pk).update(**counter_change("bookmarks_count", -1))
    user_services.user_received_add(user_id=note.author_id, bookmarks=-1)
    return True


@transaction.atomic
def note_repost(*, user: User, note_id: int) -> bool:
    note = _readable_note(reader=user, note_id=note_id)
    if not _create_once(Repost, note=note, user=user):
        return False
    Note.objects.filter(pk=note.pk).update(**counter_change("reposts_count", 1))
    return True


@transaction.atomic
def note_unrepost(*, user: User, note_id: int) -> bool:
    note = note_get_for_reader(reader=user, note_id=note_id)
    deleted, _detail = Repost.objects.filter(note=note, user=user).delete()
    if not deleted:
        return False
    Note.objects.filter(pk=note.pk).update(**counter_change("reposts_count", -1))
    return True


@transaction.atomic
def note_author_follow(*, reader: User, note_id: int) -> bool:
    """Follow a note's author from the note: the first such follow counts for the note's CES."""
    note = _readable_note(reader=reader, note_id=note_id)
    followed = user_services.user_follow(follower=reader, followee=note.author)
    if followed and _create_once(FollowFromNote, note=note, follower=reader):
        Note.objects.filter(pk=note.pk).update(**counter_change("follows_gained", 1))
    return followed


# --- Comments.


@transaction.atomic
def comment_create(
    *, author: User, note_id: int, body: str, parent_id: int | None = None
) -> Comment:
    """Comment on a note, or reply to a comment; a reply to a reply joins the same thread."""
    note = _readable_note(reader=author, note_id=note_id)
    body = body.strip()
    if not body:
        raise ValidationError({"body": [_("Write something first.")]})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": [_("Keep comments within %(max)s characters.") % {"max": COMMENT_MAX_LENGTH}]}
        )
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, note=note).first()
        if parent is None:
            raise ValidationError({"parent": [_("That comment is gone.")]})
        if parent.parent_id is not None:
            parent = parent.parent
    comment = Comment.objects.create(note=note, author=author, parent=parent, body=body)
    Note.objects.filter(pk=note.pk).update(**counter_change("comments_count", 1))
    return comment


@transaction.atomic
def comment_delete(*, user: User, comment_id: int) -> int:
    """Delete a comment (its author or the note's author may); its replies go with it."""
    comment = Comment.objects.select_related("note").filter(pk=comment_id).first()
    if comment is None:
        raise Http404
    if user.pk not in (comment.author_id, comment.note.author_id):
        raise PermissionDenied(_("You can only delete your own comments."))
    removed = 1 + comment.replies.count()
    comment.delete()
    Note.objects.filter(pk=comment.note_id).update(**counter_change("comments_count", -removed))
    return removed


@transaction.atomic
def comment_like(*, user: User, comment_id: int) -> bool:
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        raise Http404
    _readable_note(reader=user, note_id=comment.note_id)
    if not _create_once(CommentLike, comment=comment, user=user):
        return False
    Comment.objects.filter(pk=comment.pk).update(likes_count=F("likes_count") + 1)
    return True


@transaction.atomic
def comment_unlike(*, user: User, comment_id: int) -> bool:
    deleted, _detail = CommentLike.objects.filter(comment_id=comment_id, user=user).delete()
    if not deleted:
        return False
    Comment.objects.filter(pk=comment_id).update(likes_count=F("likes_count") - 1)
    return True


# --- Boards (收藏专辑).


def _clean_board(*, owner: User, name: str, exclude_id: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the board a name.")]})
    if len(name) > 30:
        raise ValidationError({"name": [_("Keep the name within 30 characters.")]})
    clash = Board.objects.filter(owner=owner, name=name).exclude(pk=exclude_id)
    if clash.exists():
        raise ValidationError({"name": [_("You already have a board with that name.")]})
    return name


@transaction.atomic
def board_create(
    *, owner: User, name: str, description: str = "", is_private: bool = False
) -> Board:
    name = _clean_board(owner=owner, name=name)
    return Board.objects.create(
        owner=owner, name=name, description=description.strip(), is_private=is_private
    )


@transaction.atomic
def board_update(
    *, owner: User, board_id: int, name: str, description: str, is_private: bool
) -> Board:
    board = board_get_for_owner(owner=owner, board_id=board_id)
    board.name = _clean_board(owner=owner, name=name, exclude_id=board.pk)
    board.description, board.is_private = description.strip(), is_private
    board.save(update_fields=["name", "description", "is_private"])
    return board


@transaction.atomic
def board_delete(*, owner: User, board_id: int) -> None:
    """Delete a board; the notes in it stay bookmarked, outside any board."""
    board_get_for_owner(owner=owner, board_id=board_id).delete()


# --- Moderation (staff).


@transaction.atomic
def note_remove(*, staff: User, note_id: int) -> Note:
    if not staff.is_staff:
        raise PermissionDenied
    note = Note.objects.select_for_update().get(pk=note_id)
    note.status = Note.Status.REMOVED
    note.save(update_fields=["status", "updated_at"])
    return note


@transaction.atomic
def note_restore(*, staff: User, note_id: int) -> Note:
    """Put a removed or held note back on the site."""
    if not staff.is_staff:
        raise PermissionDenied
    note = Note.objects.select_for_update().get(pk=note_id)
    note.status = Note.Status.PUBLISHED
    note.published_at = note.published_at or timezone.now()
    note.save(update_fields=["status", "published_at", "updated_at"])
    return note


# --- Counter repair.


@transaction.atomic
def note_counters_recount(*, note_ids: Sequence[int] | None = None) -> int:
    """Recompute every note counter and CES from the source rows, set-based.

    Idempotent; returns how many notes had drifted and were corrected.
    """

    def counted(model: type) -> Coalesce:
        rows = (
            model.objects.filter(note=OuterRef("pk"))
            .order_by()
            .values("note")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return Coalesce(Subquery(rows), Value(0))

    notes = Note.objects.all() if note_ids is None else Note.objects.filter(pk__in=note_ids)
    truth = {
        "likes_count": counted(Like),
        "bookmarks_count": counted(Bookmark),
        "comments_count": counted(Comment),
        "reposts_count": counted(Repost),
        "follows_gained": counted(FollowFromNote),
    }
    annotated = notes.annotate(**{f"true_{name}": value for name, value in truth.items()})
    drift = Q()
    for name in CES_WEIGHTS:
        drift |= ~Q(**{name: F(f"true_{name}")})
    drift |= ~Q(ces=ces_from_counters())
    drifted = list(annotated.filter(drift).values_list("pk", flat=True))
    if drifted:
        Note.objects.filter(pk__in=drifted).update(**truth)
        Note.objects.filter(pk__in=drifted).update(ces=ces_from_counters())
    return len(drifted)
