"""A note's media after upload: variants of every photo, a poster and a playable MP4 for video.

Uploads are checked by content on the way in (notes.media, core.uploads) and stored as they
came; `note_media_process` (run by notes.tasks.note_media_process_task after the upload's
transaction commits) makes what readers are served, and only then lets the note into the feeds.
The heavy work happens outside any transaction; each result is written in a short one.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_noop

from core.images import (
    ImageProcessingError,
    Variants,
    variants_delete,
    variants_from_image,
    variants_make,
)
from core.locks import lock_row
from core.uploads import stored_name
from core.video import Codecs, VideoProcessingError, poster_frame, transcode_to_mp4, video_codecs
from notes.models import Note, NoteImage, NoteVideo
from users.models import User

logger = logging.getLogger(__name__)
MEDIA_FOLDER = "notes"
# Stored untranslated; the note page shows it in the reader's language (translate tag).
PHOTO_FAILED = gettext_noop("A photo could not be processed. Replace it and try again.")
VIDEO_FAILED = gettext_noop(
    "The video could not be processed. Upload it as MP4 (H.264) and try again."
)


def note_media_queue(*, note: Note) -> None:
    """Mark the note's media as processing and queue the work once the caller commits.

    Called inside the transaction that stored new uploads (notes.services.publishing).
    """
    from notes.tasks import note_media_process_task  # the tasks module imports services

    note.media_status, note.media_error = Note.MediaStatus.PROCESSING, ""
    Note.objects.filter(pk=note.pk).update(media_status=note.media_status, media_error="")
    note_id = note.pk
    transaction.on_commit(lambda: note_media_process_task.delay(note_id))


def _image_variants(picture: NoteImage) -> Variants:
    with picture.image.open("rb") as source:
        return variants_make(source, widths=settings.NOTE_IMAGE_WIDTHS, folder=MEDIA_FOLDER)


@transaction.atomic
def _image_store(*, image_id: int, made: Variants) -> None:
    """Point the photo at its variants; the upload and any older variants go once committed."""
    picture = NoteImage.objects.filter(pk=image_id).first()
    if picture is None:  # deleted while we worked: what we made is nobody's
        transaction.on_commit(lambda: variants_delete(made.files))
        return
    old_name, old_files = picture.image.name, picture.variants
    storage = picture.image.storage
    picture.image.name = made.master
    picture.width, picture.height = made.width, made.height
    picture.variants, picture.placeholder_colour = made.files, made.colour
    picture.save(update_fields=["image", "width", "height", "variants", "placeholder_colour"])
    kept = {made.master}

    def delete_old() -> None:
        if old_name and old_name not in kept:
            storage.delete(old_name)
        variants_delete([entry for entry in old_files if entry.get("jpeg") != old_name])

    transaction.on_commit(delete_old)


def _video_process(clip: NoteVideo) -> None:
    """Poster through the image pipeline; an MP4 made when the upload would not play."""
    storage = clip.file.storage
    with clip.file.open("rb") as source:
        codecs = video_codecs(source)
        frame = poster_frame(source, at_seconds=settings.VIDEO_POSTER_SECONDS)
    made = variants_from_image(frame, widths=settings.NOTE_IMAGE_WIDTHS, folder=MEDIA_FOLDER)
    new_file = None
    if not codecs.is_web_playable:
        with clip.file.open("rb") as source:
            transcoded = transcode_to_mp4(source)
        name = stored_name("mp4")
        with transcoded:
            new_file = storage.save(f"{MEDIA_FOLDER}/{name[:2]}/{name}", transcoded)
    _video_store(video_id=clip.pk, made=made, new_file=new_file, codecs=codecs)


@transaction.atomic
def _video_store(*, video_id: int, made: Variants, new_file: str | None, codecs: Codecs) -> None:
    """The poster and (if made) the MP4; the original is deleted only once this commits."""
    clip = NoteVideo.objects.filter(pk=video_id).first()
    if clip is None:
        files = [*made.files] + ([{"jpeg": new_file}] if new_file else [])
        transaction.on_commit(lambda: variants_delete(files))
        return
    storage = clip.file.storage
    old_poster_files = clip.poster_variants
    old_file = clip.file.name if new_file else None
    clip.poster.name, clip.poster_variants, clip.poster_colour = (
        made.master,
        made.files,
        made.colour,
    )
    clip.video_codec, clip.audio_codec = codecs.video or "", codecs.audio or ""
    fields = ["poster", "poster_variants", "poster_colour", "video_codec", "audio_codec"]
    if new_file:
        clip.file.name = new_file
        clip.video_codec, clip.audio_codec = "h264", "aac" if codecs.audio else ""
        fields.append("file")
    clip.save(update_fields=fields)

    def delete_old() -> None:
        variants_delete(old_poster_files, storage=storage)
        if old_file:
            storage.delete(old_file)

    transaction.on_commit(delete_old)


@transaction.atomic
def _note_media_finish(*, note_id: int, error: str = "") -> None:
    note = lock_row(Note.objects, pk=note_id)
    note.media_status = Note.MediaStatus.FAILED if error else Note.MediaStatus.READY
    note.media_error = error[: Note._meta.get_field("media_error").max_length]
    note.save(update_fields=["media_status", "media_error"])


def note_media_process(*, note_id: int, rebuild: bool = False) -> bool:
    """Make what the note's readers are served; returns True when its media is ready.

    Idempotent: a photo with variants is skipped (unless `rebuild`, after a change of
    NOTE_IMAGE_WIDTHS), and a note whose media is ready is left alone. A photo or video that
    cannot be processed marks the note FAILED with a message for its author and staff.
    """
    note = Note.objects.filter(pk=note_id).first()
    if note is None:
        return False
    if note.media_status == Note.MediaStatus.READY and not rebuild:
        return True
    try:
        for picture in note.images.all():
            if picture.variants and not rebuild:
                continue
            _image_store(image_id=picture.pk, made=_image_variants(picture))
        clip = NoteVideo.objects.filter(note_id=note_id).first()
        if clip is not None and (rebuild or not clip.poster_variants):
            _video_process(clip)
    except ImageProcessingError:
        logger.exception("Photos of note %s could not be processed.", note_id)
        _note_media_finish(note_id=note_id, error=PHOTO_FAILED)
        return False
    except VideoProcessingError:
        logger.exception("Video of note %s could not be processed.", note_id)
        _note_media_finish(
            note_id=note_id,
            error=VIDEO_FAILED,
        )
        return False
    _note_media_finish(note_id=note_id)
    return True


def note_media_retry(*, actor: User, note_id: int) -> None:
    """Staff: process a note's media again (the admin's action after a failure)."""
    if not actor.is_staff:
        raise PermissionDenied
    with transaction.atomic():
        note = lock_row(Note.objects, pk=note_id)
        note_media_queue(note=note)
