"""The media pipeline: uploads checked by content, variants made after commit, notes held back
from the feeds until their media is ready (notes.services.media, core.images, core.video)."""

import io
import struct
import zlib

import av
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image, ImageCms

from notes import services
from notes.media import inspect_note_image, inspect_note_video
from notes.models import Note, NoteImage
from notes.selectors import notes_published
from notes.services import NoteContent
from notes.tasks import note_media_process_task
from tests.factories import image_bytes, image_upload, video_bytes

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def phone_photo(size: tuple[int, int] = (800, 400)) -> SimpleUploadedFile:
    """A landscape-stored JPEG that EXIF says to turn a quarter (orientation 6), with GPS."""
    picture = Image.open(io.BytesIO(image_bytes(size=size)))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (31.0, 13.0, 49.0), 3: "E", 4: (121.0, 28.0, 25.0)}
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("IMG_0001.jpg", buffer.getvalue(), content_type="image/jpeg")


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels (a pixel flood)."""
    real = io.BytesIO()
    Image.new("RGB", (1, 1)).save(real, "PNG")
    data = bytearray(real.getvalue())
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


def publish(author, **media) -> Note:
    return services.note_create(
        author=author, content=NoteContent(title="Walk", **media), publish=True
    )


def run_queued_media_task(queued: list, note: Note) -> None:
    """Run the media task the commit queued, here, whether Celery runs eagerly or with Redis."""
    assert len(queued) >= 1  # the task is queued on commit, never inside the transaction
    note_media_process_task.apply(args=[note.pk])


def publish_and_process(author, capture_on_commit, **media) -> Note:
    """Publish a note, then run its media task as the worker would once the upload commits."""
    with capture_on_commit() as queued:
        note = publish(author, **media)
    run_queued_media_task(queued, note)
    return note


def variant_files(picture) -> list[Image.Image]:
    return variant_files_of(picture.variants)


def variant_files_of(variants: list[dict]) -> list[Image.Image]:
    files = []
    for entry in variants:
        for key in ("webp", "jpeg"):
            with default_storage.open(entry[key]) as stored:
                image = Image.open(io.BytesIO(stored.read()))
                image.load()
                files.append(image)
    return files


# --- On upload: only real pictures, within the limits.


def test_a_picture_claiming_100000_by_100000_pixels_is_refused_with_the_limit():
    upload = SimpleUploadedFile("flood.png", png_claiming(100_000, 100_000))

    with pytest.raises(ValidationError) as error:
        inspect_note_image(upload)

    assert error.value.code == "too_many_pixels"
    assert error.value.messages == [
        "“flood.png” has too many pixels: pictures may have up to 50 million."
    ]


def test_a_picture_over_the_settings_pixel_limit_is_refused_below_pillows_own(settings):
    settings.IMAGE_MAX_PIXELS = 10_000
    upload = image_upload(size=(200, 100))

    with pytest.raises(ValidationError) as error:
        inspect_note_image(upload)

    assert error.value.code == "too_many_pixels"


def test_an_html_file_named_jpg_is_refused():
    upload = SimpleUploadedFile("cat.jpg", b"<!doctype html><script>alert(1)</script>")

    with pytest.raises(ValidationError) as error:
        inspect_note_image(upload)

    assert error.value.code == "not_an_image"


def test_an_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'

    with pytest.raises(ValidationError) as error:
        inspect_note_image(SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml"))

    assert error.value.code == "not_an_image"


def test_a_truncated_jpeg_is_refused():
    whole = image_bytes(size=(400, 300))
    upload = SimpleUploadedFile("cut.jpg", whole[: len(whole) // 2])

    with pytest.raises(ValidationError) as error:
        inspect_note_image(upload)

    assert error.value.code == "not_an_image"


def test_a_turned_phone_photo_reports_its_upright_size():
    info = inspect_note_image(phone_photo(size=(800, 400)))

    assert (info.width, info.height) == (400, 800)


def test_a_heic_photo_is_accepted_and_served_as_webp_and_jpeg(
    user, django_capture_on_commit_callbacks
):
    upload = image_upload("IMG_0002.HEIC", image_format="HEIF", size=(500, 400))

    note = publish_and_process(user, django_capture_on_commit_callbacks, images=[upload])

    picture = note.images.get()
    assert [entry["width"] for entry in picture.variants] == [360, 500]
    assert {image.format for image in variant_files(picture)} == {"WEBP", "JPEG"}


def test_a_garbage_mp4_is_refused():
    upload = SimpleUploadedFile("clip.mp4", b"\x00\x00\x00\x18ftypisom" + b"\x00garbage" * 200)

    with pytest.raises(ValidationError) as error:
        inspect_note_video(upload)

    assert error.value.code == "not_a_video"


# --- After upload: the task makes the variants.


def test_the_task_makes_every_width_in_webp_and_jpeg_after_commit(
    user, django_capture_on_commit_callbacks
):
    note = publish_and_process(
        user, django_capture_on_commit_callbacks, images=[image_upload(size=(1200, 900))]
    )

    note.refresh_from_db()
    picture = note.images.get()
    assert note.media_status == Note.MediaStatus.READY
    assert [(e["width"], e["height"]) for e in picture.variants] == [
        (360, 270),
        (720, 540),
        (1080, 810),
    ]
    assert [image.size for image in variant_files(picture)] == [
        (360, 270),
        (360, 270),
        (720, 540),
        (720, 540),
        (1080, 810),
        (1080, 810),
    ]
    assert picture.placeholder_colour.startswith("#")
    assert picture.image.name == picture.variants[-1]["jpeg"]  # the upload itself is gone


def test_a_turned_photo_comes_out_upright_with_no_gps_in_any_variant(
    user, django_capture_on_commit_callbacks
):
    note = publish_and_process(
        user, django_capture_on_commit_callbacks, images=[phone_photo(size=(800, 400))]
    )

    picture = note.images.get()
    images = variant_files(picture)
    assert (picture.width, picture.height) == (400, 800)
    assert [image.size for image in images] == [(360, 720), (360, 720), (400, 800), (400, 800)]
    assert [dict(image.getexif()) for image in images] == [{}] * 4
    assert not any("exif" in image.info or "xmp" in image.info for image in images)


def test_a_photo_with_a_colour_profile_comes_out_in_srgb_without_it(
    user, django_capture_on_commit_callbacks
):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(buffer, "JPEG", icc_profile=profile)
    upload = SimpleUploadedFile("p3.jpg", buffer.getvalue())

    note = publish_and_process(user, django_capture_on_commit_callbacks, images=[upload])

    images = variant_files(note.images.get())
    assert not any(image.info.get("icc_profile") for image in images)


def test_the_task_is_idempotent(user, django_capture_on_commit_callbacks):
    note = publish_and_process(
        user, django_capture_on_commit_callbacks, images=[image_upload(size=(400, 300))]
    )
    variants = note.images.get().variants

    services.note_media_process(note_id=note.pk)

    assert note.images.get().variants == variants


# --- Processing: hidden from feeds, shown to its author.


def test_a_processing_note_is_out_of_the_feeds(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():  # the task has not run yet
        note = publish(user, images=[image_upload()])

    assert Note.objects.get(pk=note.pk).media_status == Note.MediaStatus.PROCESSING
    assert list(notes_published()) == []


def test_a_processing_note_says_so_to_its_author(user, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        note = publish(user, images=[image_upload()])
    client.force_login(user)

    profile = client.get(user.get_absolute_url()).content.decode()
    page = client.get(note.get_absolute_url()).content.decode()

    assert 'class="card__status">Processing<' in profile
    assert "Processing your photos or video" in page


def test_a_processing_note_is_not_found_by_other_readers(
    user, other_user, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():  # its uploads still carry their metadata
        note = publish(user, images=[image_upload()])
    client.force_login(other_user)

    response = client.get(note.get_absolute_url())

    assert response.status_code == 404


def test_a_note_reaches_the_feeds_once_its_media_is_ready(user, django_capture_on_commit_callbacks):
    note = publish_and_process(user, django_capture_on_commit_callbacks, images=[image_upload()])

    assert list(notes_published()) == [note]


# --- Failure and retry.


def break_upload(note: Note) -> NoteImage:
    """The stored upload replaced by bytes no decoder takes (a disk error, a cut transfer)."""
    picture = note.images.get()
    default_storage.delete(picture.image.name)
    default_storage.save(picture.image.name, ContentFile(b"not a picture any more"))
    return picture


def test_a_failure_marks_the_note_with_a_message_for_its_author(
    user, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        note = publish(user, images=[image_upload()])
    break_upload(note)

    services.note_media_process(note_id=note.pk)

    note.refresh_from_db()
    assert note.media_status == Note.MediaStatus.FAILED
    client.force_login(user)
    page = client.get(note.get_absolute_url()).content.decode()
    assert "A photo could not be processed. Replace it and try again." in page
    assert list(notes_published()) == []


def test_staff_retry_failed_media_from_the_admin(
    user, admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        note = publish(user, images=[image_upload(size=(400, 300))])
    picture = break_upload(note)
    services.note_media_process(note_id=note.pk)
    default_storage.delete(picture.image.name)
    default_storage.save(picture.image.name, ContentFile(image_bytes(size=(400, 300))))

    with django_capture_on_commit_callbacks() as queued:
        admin_client.post(
            reverse("admin:notes_note_changelist"),
            {"action": "retry_media", "_selected_action": [note.pk]},
        )
    run_queued_media_task(queued, note)

    note.refresh_from_db()
    assert (note.media_status, note.media_error) == (Note.MediaStatus.READY, "")
    assert list(notes_published()) == [note]


def test_the_rebuild_command_remakes_every_notes_variants(
    user, settings, django_capture_on_commit_callbacks
):
    note = publish_and_process(
        user, django_capture_on_commit_callbacks, images=[image_upload(size=(1200, 900))]
    )
    settings.NOTE_IMAGE_WIDTHS = (480,)
    out = io.StringIO()

    call_command("rebuild_media", stdout=out)

    assert [entry["width"] for entry in note.images.get().variants] == [480]
    assert "1/1" in out.getvalue()


# --- Cards.


def test_a_card_offers_each_width_by_srcset(user, client, django_capture_on_commit_callbacks):
    note = publish_and_process(
        user, django_capture_on_commit_callbacks, images=[image_upload(size=(1200, 900))]
    )
    picture = note.images.get()

    html = client.get(user.get_absolute_url()).content.decode()

    webp = ", ".join(f"/media/{e['webp']} {e['width']}w" for e in picture.variants)
    assert f'srcset="{webp}"' in html
    assert 'width="1200" height="900"' in html
    assert 'sizes="(min-width: 1320px) 260px' in html


# --- Video.


def test_a_10_second_h264_clip_gets_a_poster_and_its_duration(
    user, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("clip.mp4", video_bytes(size=(320, 240), seconds=10))

    note = publish_and_process(user, django_capture_on_commit_callbacks, video=upload)

    clip = note.video
    clip.refresh_from_db()
    assert clip.duration_seconds == pytest.approx(10, abs=0.2)
    assert clip.poster.name.endswith(".jpg")
    assert [entry["width"] for entry in clip.poster_variants] == [320]
    assert (clip.video_codec, clip.file.name.endswith(".mp4")) == ("h264", True)


def vp9_webm(seconds: int = 2) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="webm") as output:
        stream = output.add_stream("libvpx-vp9", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for index in range(seconds * 10):
            frame = av.VideoFrame.from_image(Image.new("RGB", (64, 48), (index * 10, 80, 160)))
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
    return buffer.getvalue()


def test_a_vp9_webm_clip_is_transcoded_to_h264_mp4(user, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("clip.webm", vp9_webm())
    assert inspect_note_video(upload).duration_seconds == pytest.approx(2, abs=0.2)
    note = publish_and_process(user, django_capture_on_commit_callbacks, video=upload)

    clip = note.video
    clip.refresh_from_db()
    with default_storage.open(clip.file.name) as stored, av.open(stored) as container:
        codec = container.streams.video[0].codec_context.name
        fmt = container.format.name
    assert (clip.video_codec, codec) == ("h264", "h264")
    assert "mp4" in fmt
    assert clip.file.name.endswith(".mp4")


def test_a_video_over_the_size_the_authors_level_allows_is_refused(user, settings):
    settings.NOTE_VIDEO_BYTES_PER_MINUTE = 1024 * 1024  # Lv.1: 5 minutes -> 5 MB
    upload = SimpleUploadedFile("clip.mp4", video_bytes() + b"\0" * 5 * 1024 * 1024)

    with pytest.raises(ValidationError) as error:
        publish(user, video=upload)

    assert error.value.message_dict["video"] == ["At your level (Lv.1) videos may be up to 5 MB."]


def test_a_photo_added_to_a_published_note_holds_it_back_until_processed(
    user, django_capture_on_commit_callbacks
):
    note = publish_and_process(user, django_capture_on_commit_callbacks, images=[image_upload()])

    with django_capture_on_commit_callbacks():
        services.note_update(
            actor=user,
            note_id=note.pk,
            changes=services.NoteChanges(images=[image_upload(size=(400, 300))]),
        )

    assert list(notes_published()) == []


def test_an_avatar_is_stored_square_upright_and_without_gps(user):
    from users.services import user_profile_update

    user_profile_update(user=user, avatar=phone_photo(size=(800, 400)))

    user.refresh_from_db()
    assert [(e["width"], e["height"]) for e in user.avatar_variants] == [
        (64, 64),
        (160, 160),
        (320, 320),
    ]
    assert all(dict(image.getexif()) == {} for image in variant_files_of(user.avatar_variants))
