"""Writing notes: text, tags, place, photos and video, checked before anything is stored."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import places
from core.locks import lock_row
from core.screening import contact_findings
from core.unchanged import UNCHANGED, Unchanged, changed
from core.uploads import stored_name
from notes.media import inspect_note_image, inspect_note_video, note_video_max_bytes
from notes.models import (
    BODY_MAX_LENGTH,
    IMAGES_MAX,
    TAG_MAX_LENGTH,
    TAGS_MAX,
    TITLE_MAX_LENGTH,
    Bookmark,
    Like,
    Note,
    NoteImage,
    NoteVideo,
    hashtags_in,
)
from notes.scoring import counted_filter
from notes.services.access import note_get_for_editing, note_get_for_editor
from notes.services.media import note_media_queue
from notes.services.pools import traffic_pool_enter
from notes.services.reports import reports_target_gone
from notes.services.search import note_search_update
from users import services as user_services
from users.models import User


class _FromData:
    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        """From a form's cleaned_data or a serializer's validated_data: the keys match."""
        return cls(**{name.name: data[name.name] for name in fields(cls) if name.name in data})


@dataclass
class NoteContent(_FromData):
    """What an author writes; the same shape for the publish form and the API.

    A place is a city of the gazetteer (`place`, its GeoNames id), the author's own coordinates,
    or a name alone; `note_place` works out the rest.
    """

    title: str
    body: str = ""
    tags: Sequence[str] = ()
    place_name: str = ""
    place: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    images: Sequence[UploadedFile] = field(default_factory=list)
    video: UploadedFile | None = None
    sponsor: str = ""  # the username of the verified brand that paid for the note, if one did


@dataclass
class NoteChanges(_FromData):
    """A change to a note: a text field left UNCHANGED keeps what the note has.

    `tags` are the chosen tags (the body's #hashtags are tags anyway); new `images` go after
    the kept photos; a `video` replaces the note's.
    """

    title: str | Unchanged = UNCHANGED
    body: str | Unchanged = UNCHANGED
    tags: Sequence[str] | Unchanged = UNCHANGED
    place_name: str | Unchanged = UNCHANGED
    place: int | None = None
    latitude: float | None | Unchanged = UNCHANGED
    longitude: float | None | Unchanged = UNCHANGED
    images: Sequence[UploadedFile] = field(default_factory=list)
    video: UploadedFile | None = None
    sponsor: str | Unchanged = UNCHANGED

    def applied_to(self, note: Note) -> NoteContent:
        """The note's content with these changes made (its chosen tags are read only if kept)."""
        return NoteContent(
            title=changed(self.title, note.title),
            body=changed(self.body, note.body),
            tags=note.chosen_tags if self.tags is UNCHANGED else self.tags,
            # A city chosen without a name is named after the city, not after the old place.
            place_name=changed(self.place_name, "" if self.place else note.place_name),
            place=self.place,
            latitude=changed(self.latitude, note.latitude),
            longitude=changed(self.longitude, note.longitude),
            images=self.images,
            video=self.video,
            sponsor=changed(self.sponsor, note.sponsor.username if note.sponsor_id else ""),
        )


def note_place(content: NoteContent, *, before: Note | None = None) -> NoteContent:
    """The content with its place made whole: a name and, where it can be known, coordinates.

    - A city chosen from the gazetteer gives its coordinates, and its name in the active
      language unless the author wrote one ("上海·武康路" chosen as 上海 keeps its words).
    - The author's coordinates ("use my location") stay; unnamed, they take the name of the
      city they are in.
    - A name alone gives the coordinates of the city it names ("上海·武康路" is in 上海), or
      none, so every note whose place names a city is in the Nearby feed of that city.
    - A renamed place does not keep the old name's coordinates (the form sends them back
      unchanged), unless the new name is in the same city.
    Coordinates of a city are its centre: city-level is all that is known.
    """
    name = content.place_name.strip()
    language = translation.get_language() or settings.LANGUAGE_CODE
    if content.place is not None:
        city = places.city_get(content.place)
        if city is None:
            return content  # _text_errors says so
        return replace(
            content,
            place_name=name or city.label(language),
            latitude=city.latitude,
            longitude=city.longitude,
        )
    point = (content.latitude, content.longitude)
    if (content.latitude is None) != (content.longitude is None):
        return replace(content, place_name=name)  # half a point: _text_errors says so
    has_point = content.latitude is not None
    renamed = (
        before is not None
        and name != before.place_name
        and point == (before.latitude, before.longitude)
    )
    if has_point and not renamed:
        if not name:
            city = places.city_nearest(*point, within_km=settings.PLACE_CITY_RADIUS_KM)
            name = city.label(language) if city else ""
        return replace(content, place_name=name)
    city = places.city_named(name) if name else None
    if (
        has_point
        and city is not None
        and places.distance_km(city, *point) <= settings.PLACE_CITY_RADIUS_KM
    ):
        return replace(content, place_name=name)
    return replace(
        content,
        place_name=name,
        latitude=city.latitude if city else None,
        longitude=city.longitude if city else None,
    )


def _text_errors(content: NoteContent) -> dict[str, list]:
    """Errors of the title, text, place and tags, keyed by form field."""
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
    if content.place is not None and places.city_get(content.place) is None:
        errors.setdefault("place_name", []).append(_("Choose a place from the list."))
    elif (content.latitude is None) != (content.longitude is None):
        errors.setdefault("place_name", []).append(_("A place needs both latitude and longitude."))
    elif content.latitude is not None and not (
        -90 <= content.latitude <= 90 and -180 <= content.longitude <= 180
    ):
        errors.setdefault("place_name", []).append(_("Those coordinates are not on Earth."))
    if any(len(tag) > TAG_MAX_LENGTH for tag in _note_tags(content)):
        errors.setdefault("tags", []).append(
            _("Tags are at most %(max)s characters.") % {"max": TAG_MAX_LENGTH}
        )
    return errors


def _sponsor_found(content: NoteContent, errors: dict[str, list], *, author: User) -> User | None:
    """The brand a note discloses as its sponsor: a verified brand account other than the
    author, named by its username (with or without @)."""
    name = content.sponsor.strip().lstrip("@")
    if not name:
        return None
    brand = User.objects.filter(
        username__iexact=name, kind=User.Kind.BRAND, is_verified=True, is_active=True
    ).first()
    if brand is None:
        errors.setdefault("sponsor", []).append(
            _("No verified brand goes by “%(name)s”.") % {"name": name}
        )
    elif brand.pk == author.pk:
        errors.setdefault("sponsor", []).append(_("A brand's own notes need no disclosure."))
        brand = None
    return brand


def _media_errors(
    errors: dict[str, list], *, author: User, photos: int, has_video: bool, needs_media: bool
) -> None:
    """A note shows photos, as many as its author's level allows (users.levels, 9–18), or one
    video; only a draft may have neither."""
    limit = min(author.level.photos_per_note, IMAGES_MAX)
    if photos > limit:
        errors.setdefault("images", []).append(
            _("A note can have at most %(max)s photos at your level (Lv.%(level)s).")
            % {"max": limit, "level": author.red_potato_level}
        )
    if photos and has_video:
        errors.setdefault("video", []).append(_("A note has photos or a video, not both."))
    if needs_media and not photos and not has_video:
        errors.setdefault("images", []).append(_("Add at least one photo or a video."))


def note_text_check(content: NoteContent) -> None:
    """Raise the ValidationError the text, place and tags would meet, keyed by form field.

    Writes nothing, so a form can show the refusal before it saves (the admin).
    """
    errors = _text_errors(content)
    if errors:
        raise ValidationError(errors)


def _inspect_media(
    content: NoteContent, errors: dict[str, list], *, author: User
) -> tuple[list, object]:
    """Each upload judged by content; a video also by the length the author's level allows."""
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
    max_bytes = note_video_max_bytes(author.level)
    if video is not None and (video[0].size or 0) > max_bytes:
        errors.setdefault("video", []).append(
            _("At your level (Lv.%(level)s) videos may be up to %(megabytes)s MB.")
            % {"level": author.red_potato_level, "megabytes": max_bytes // 1024 // 1024}
        )
    if video is not None and video[1].duration_seconds > author.level.video_seconds:
        errors.setdefault("video", []).append(
            _("At your level (Lv.%(level)s) videos may be up to %(minutes)s minutes.")
            % {"level": author.red_potato_level, "minutes": author.level.video_minutes}
        )
    return images, video


def _note_tags(content: NoteContent) -> list[str]:
    """The note's tags, each once whatever its case (#OOTD and #ootd are one topic, as taggit
    finds it: settings.TAGGIT_CASE_INSENSITIVE), the first spelling kept."""
    tags = [tag.strip().lstrip("#") for tag in content.tags] + hashtags_in(content.body)
    unique: dict[str, str] = {}
    for tag in tags:
        if tag:
            unique.setdefault(tag.casefold(), tag)
    return list(unique.values())[:TAGS_MAX]


def _put_text(note: Note, content: NoteContent) -> list[str]:
    """Put the checked text and place on the note; returns the fields it set."""
    note.title = content.title.strip()
    note.body = content.body
    note.place_name = content.place_name.strip()
    note.latitude, note.longitude = content.latitude, content.longitude
    return ["title", "body", "place_name", "latitude", "longitude"]


def _screened_status(note: Note, tags: Sequence[str]) -> None:
    """A note going up is held UNDER_REVIEW when its words send readers off the site (a phone
    number, a WeChat id, a link to another shop: core.screening), for a moderator to look at;
    the author may take them out and it goes up at once. The one rule for every way a note is
    published: the form, the API, creating and editing."""
    text = "\n".join([note.title, note.body, note.place_name, " ".join(tags)])
    findings = contact_findings(text, own_hosts=settings.SCREENING_OWN_HOSTS)
    note.review_reasons = [{"kind": finding.kind, "text": finding.text} for finding in findings]
    note.status = Note.Status.UNDER_REVIEW if findings else Note.Status.PUBLISHED


def note_goes_public(note: Note, *, first: bool) -> None:
    """What follows a note going up, whoever put it up (its author, or a moderator passing a
    held note): it counts for the author's growth and enters its first traffic pool; the
    first time, the people it mentions are told."""
    user_services.growth_record(actor=note.author, action="note_published")
    if first:
        user_services.notification_mentions(actor=note.author, text=note.body, target=note)
    traffic_pool_enter(note=note)


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
    content = note_place(content)
    errors = _text_errors(content)
    _media_errors(
        errors,
        author=author,
        photos=len(content.images),
        has_video=content.video is not None,
        needs_media=publish,
    )
    images, video = _inspect_media(content, errors, author=author)
    sponsor = _sponsor_found(content, errors, author=author)
    if errors:
        raise ValidationError(errors)
    note = Note(author=author, status=Note.Status.DRAFT, sponsor=sponsor)
    _put_text(note, content)
    tags = _note_tags(content)
    if publish:
        _screened_status(note, tags)
    if note.is_published:
        note.published_at = published_at or timezone.now()
    note.save()
    if note.is_published and published_at is not None:
        # A backdated note was written then, too: otherwise it would read as "edited".
        Note.objects.filter(pk=note.pk).update(created_at=published_at, updated_at=published_at)
        note.created_at = note.updated_at = published_at
    note.tags.set(tags)
    _save_images(note, images, start=0)
    if video is not None:
        _save_video(note, video)
    if images or video is not None:
        note_media_queue(note=note)
    if note.is_published:
        note_goes_public(note, first=True)
        note_search_update(note_id=note.pk)
    return note


@transaction.atomic
def note_update(
    *,
    actor: User,
    note_id: int,
    changes: NoteChanges,
    publish: bool | None = None,
    image_order: Sequence[int] | None = None,
    remove_image_ids: Sequence[int] = (),
    remove_video: bool = False,
) -> Note:
    """Change a note the editor wrote: text, tags, place, photos (add, remove, reorder), video.

    `image_order` lists the kept image ids cover first; new uploads go after them.
    A new video replaces the note's video; `remove_video` takes it away without one.
    `publish=False` keeps a draft a draft (and takes a published or held note back to drafts);
    `publish=None` leaves the status as it is: a held note is screened again, and goes up
    once nothing holds it (as with `publish=True`).
    """
    note = note_get_for_editing(actor=actor, note_id=note_id)
    note = lock_row(Note.objects, pk=note.pk)
    if publish is None:
        publish = note.status in (Note.Status.PUBLISHED, Note.Status.UNDER_REVIEW)
    content = note_place(changes.applied_to(note), before=note)
    existing = {picture.pk: picture for picture in note.images.all()}
    kept_ids = [pk for pk in existing if pk not in set(remove_image_ids)]
    if image_order is not None:
        ordered = [pk for pk in image_order if pk in kept_ids]
        kept_ids = list(dict.fromkeys(ordered + kept_ids))
    remove_video = remove_video or content.video is not None
    errors = _text_errors(content)
    _media_errors(
        errors,
        author=actor,
        photos=len(kept_ids) + len(content.images),
        has_video=content.video is not None or (hasattr(note, "video") and not remove_video),
        needs_media=publish,
    )
    images, video = _inspect_media(content, errors, author=actor)
    note.sponsor = _sponsor_found(content, errors, author=actor)
    if errors:
        raise ValidationError(errors)

    fields = [*_put_text(note, content), "updated_at", "status", "review_reasons", "sponsor"]
    was = note.status
    tags = _note_tags(content)
    if publish:
        _screened_status(note, tags)
    else:
        note.status, note.review_reasons = Note.Status.DRAFT, []
    goes_public = note.is_published and was != Note.Status.PUBLISHED
    # From drafts a note is published anew (now); a held note keeps the time it had, if any.
    first = goes_public and (was == Note.Status.DRAFT or note.published_at is None)
    if first:
        note.published_at = timezone.now()
        fields.append("published_at")
    elif was == Note.Status.PUBLISHED and not note.is_published:
        user_services.growth_record(actor=actor, action="note_published", amount=-1)
    note.save(update_fields=fields)
    tags_before = list(note.tagged_items.values_list("tag_id", flat=True))
    note.tags.set(tags)

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
    if images or video is not None:
        note_media_queue(note=note)
    if goes_public:
        note_goes_public(note, first=first)
    note_search_update(note_id=note.pk, tag_ids=tags_before)
    return note


@transaction.atomic
def note_sponsor_decline(*, actor: User, note_id: int) -> Note:
    """A brand says it did not sponsor a note that names it: the label comes off, and the
    author is told. Only the brand named may (404 for anyone else: not theirs to see)."""
    try:
        note = lock_row(Note.objects.filter(sponsor=actor), pk=note_id)
    except Note.DoesNotExist:
        raise Http404 from None
    note.sponsor = None
    note.save(update_fields=["sponsor"])
    user_services.notification_add(
        recipient_id=note.author_id,
        verb="sponsor_declined",
        target=note,
        actor=actor,
        text=note.title,
    )
    return note


@transaction.atomic
def note_update_by_staff(*, actor: User, note_id: int, changes: NoteChanges) -> Note:
    """Staff tidy a note's text, tags or place (the admin), by the author's rules.

    Photos, video and status stay the author's and the moderators' business.
    """
    if not actor.is_staff:
        raise PermissionDenied
    if changes.images or changes.video is not None:
        raise ValueError("Staff change a note's text, tags and place only.")
    note = lock_row(Note.objects, pk=note_id)
    content = note_place(changes.applied_to(note), before=note)
    note_text_check(content)
    note.save(update_fields=[*_put_text(note, content), "updated_at"])
    tags_before = list(note.tagged_items.values_list("tag_id", flat=True))
    note.tags.set(_note_tags(content))
    note_search_update(note_id=note.pk, tag_ids=tags_before)
    return note


@transaction.atomic
def note_delete(*, actor: User, note_id: int) -> None:
    """Delete a note the editor wrote, its media files once the deletion has committed."""
    note = note_get_for_editor(actor=actor, note_id=note_id)
    files = [(p.image.storage, p.image.name) for p in note.images.all()]
    video = NoteVideo.objects.filter(note=note).first()
    if video is not None:
        files.append((video.file.storage, video.file.name))
    # What the author received from this note: others' likes and bookmarks, never their own.
    others = counted_filter("user_id")
    user_services.user_received_add(
        user_id=note.author_id,
        likes=-Like.objects.filter(others, note=note).count(),
        bookmarks=-Bookmark.objects.filter(others, note=note).count(),
    )
    if note.is_published:
        user_services.growth_record(actor=actor, action="note_published", amount=-1)
    tag_ids = list(note.tags.values_list("pk", flat=True))
    reports_target_gone(note_id=note.pk)
    note.delete()
    note_search_update(note_id=note_id, tag_ids=tag_ids)
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
