"""Writing notes: text, tags, place, photos and video, checked before anything is stored."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locks import lock_row
from core.uploads import stored_name
from notes.media import inspect_note_image, inspect_note_video
from notes.models import (
    BODY_MAX_LENGTH,
    IMAGES_MAX,
    TITLE_MAX_LENGTH,
    Note,
    NoteImage,
    NoteVideo,
)
from notes.services.access import note_get_for_editing, note_get_for_editor
from users import services as user_services
from users.models import User

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

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "NoteContent":
        """From a form's cleaned_data or a serializer's validated_data: the keys match."""
        return cls(**{name.name: data[name.name] for name in fields(cls) if name.name in data})


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
    A new video replaces the note's video; `remove_video` takes it away without one.
    `publish=False` keeps a draft a draft (and takes a published note back to drafts).
    """
    note = note_get_for_editing(user=editor, note_id=note_id)
    note = lock_row(Note.objects, pk=note.pk)
    existing = {picture.pk: picture for picture in note.images.all()}
    kept_ids = [pk for pk in existing if pk not in set(remove_image_ids)]
    if image_order is not None:
        ordered = [pk for pk in image_order if pk in kept_ids]
        kept_ids = list(dict.fromkeys(ordered + kept_ids))
    remove_video = remove_video or content.video is not None
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
