import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from notes.media import inspect_note_image, inspect_note_video
from tests.factories import image_upload, video_upload


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF", "HEIF"])
def test_each_supported_picture_format_is_recognised_by_content(image_format):
    upload = image_upload("renamed.txt", image_format=image_format, size=(40, 30))

    info = inspect_note_image(upload)

    assert (info.width, info.height) == (40, 30)


def test_text_file_named_like_a_jpeg_is_refused():
    upload = SimpleUploadedFile("holiday.jpg", b"not a picture at all", content_type="image/jpeg")

    with pytest.raises(ValidationError) as error:
        inspect_note_image(upload)

    assert "holiday.jpg" in error.value.messages[0]


def test_picture_over_the_size_limit_is_refused(settings):
    settings.NOTE_IMAGE_MAX_BYTES = 100
    upload = image_upload(size=(200, 200))

    with pytest.raises(ValidationError) as error:
        inspect_note_image(upload)

    assert error.value.code == "too_large"


def test_bmp_picture_is_refused_naming_the_formats_we_take():
    upload = image_upload("scan.bmp", image_format="BMP")

    with pytest.raises(ValidationError) as error:
        inspect_note_image(upload)

    assert error.value.code == "not_an_image"
    assert "Use JPEG, PNG, WebP, GIF or HEIC." in error.value.messages[0]


@pytest.mark.parametrize("container", ["mp4", "webm"])
def test_video_containers_are_recognised_with_size_and_duration(container):
    info = inspect_note_video(video_upload(f"clip.{container}", container=container))

    assert (info.width, info.height) == (64, 48)
    assert info.duration_seconds == pytest.approx(1.0, abs=0.2)
    assert info.extension == container


def test_picture_uploaded_as_a_video_is_refused():
    with pytest.raises(ValidationError) as error:
        inspect_note_video(image_upload("clip.mp4"))

    assert error.value.code == "not_a_video"
