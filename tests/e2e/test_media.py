"""Photo variants in a real Chromium: the waterfall on a phone loads the smallest variant, every
card's image is sized before it loads, and the note page's carousel takes a larger one."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notes import services
from notes.services import NoteContent
from tests.e2e.conftest import LAPTOP, PHONE
from tests.factories import UserFactory, image_upload, video_bytes

pytestmark = pytest.mark.django_db(transaction=True)

TAG = "teahouse"
COVERS = [(1200, 1600), (1600, 1200), (1200, 1200), (1080, 1920)]
CARD_IMAGES = """() => [...document.querySelectorAll("main .card__media img")].map(img => ({
    width: img.getAttribute("width"),
    height: img.getAttribute("height"),
    current: img.currentSrc,
    complete: img.complete && img.naturalWidth > 0,
}))"""


@pytest.fixture
def notes():
    """Four published notes with large photos, their variants made as the task would."""
    author = UserFactory(username="chaguan", display_name="茶馆 Tea")
    made = []
    for index, size in enumerate(COVERS):
        note = services.note_create(
            author=author,
            content=NoteContent(
                title=f"Tea {index + 1}", body=f"#{TAG}", images=[image_upload(size=size)]
            ),
            publish=True,
        )
        services.note_media_process(note_id=note.pk)
        made.append(note)
    return made


def test_a_phone_loads_the_smallest_variant_of_each_card_sized_before_load(
    site, new_page, screenshot, notes
):
    page = new_page(viewport=PHONE)
    page.goto(f"{site}/tags/{TAG}/")
    page.wait_for_function(
        "() => [...document.querySelectorAll('main .card__media img')].every(i => i.complete)"
    )

    images = page.evaluate(CARD_IMAGES)
    screenshot(page, "media-waterfall-phone")
    assert len(images) == len(COVERS)
    assert sorted((int(i["width"]), int(i["height"])) for i in images) == sorted(COVERS)
    assert all(i["current"].endswith("_360.webp") and i["complete"] for i in images)


def test_the_note_page_takes_a_variant_wide_enough_for_the_carousel(
    site, new_page, screenshot, notes
):
    page = new_page(viewport=LAPTOP)
    page.goto(f"{site}{notes[0].get_absolute_url()}")
    image = page.locator(".carousel__image").first
    page.wait_for_function("() => document.querySelector('.carousel__image').complete")

    current = image.evaluate("img => img.currentSrc")
    screenshot(page, "media-note-laptop")
    assert current.endswith("_720.webp")
    assert (image.get_attribute("width"), image.get_attribute("height")) == ("1200", "1600")


def test_a_video_card_shows_its_poster_frame(site, new_page, screenshot):
    author = UserFactory(username="dianying", display_name="Film")
    note = services.note_create(
        author=author,
        content=NoteContent(
            title="Rain",
            body=f"#{TAG}",
            video=SimpleUploadedFile("rain.mp4", video_bytes(size=(320, 240), seconds=2)),
        ),
        publish=True,
    )
    services.note_media_process(note_id=note.pk)
    page = new_page(viewport=PHONE)
    page.goto(f"{site}/tags/{TAG}/")
    page.wait_for_function("() => document.querySelector('main .card__media img')?.complete")

    image = page.locator("main .card__media img")
    screenshot(page, "media-video-card-phone")
    assert (image.get_attribute("width"), image.get_attribute("height")) == ("320", "240")
    assert image.evaluate("img => img.currentSrc").endswith("_320.webp")
    assert page.locator("main .card__media[data-hover-video]").count() == 1
