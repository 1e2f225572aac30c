"""Places in a real Chromium: a city chosen in the publish form's picker puts the note on the
map, its page links the place to Nearby, and Nearby's city picker finds it; the API docs page."""

import re

import pytest
from playwright.sync_api import expect

from notes.models import Note
from tests.e2e.conftest import PHONE
from tests.e2e.test_getting_around import log_in
from tests.factories import UserFactory, image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

SHANGHAI = 1796236


def test_place_chosen_in_the_picker_links_the_note_to_nearby_shanghai(
    site, new_page, screenshot, tmp_path
):
    # given: an author on a phone, in Chinese
    UserFactory(username="xiaohong", display_name="小红")
    photo = tmp_path / "walk.png"
    photo.write_bytes(image_bytes(image_format="PNG", size=(300, 400)))
    page = new_page(viewport=PHONE, locale="zh-CN")
    log_in(page, site, "xiaohong")

    # when: they publish with 上海 chosen from the picker's suggestions
    page.goto(f"{site}/notes/new/")
    expect(page.locator("input[name=latitude]")).to_have_attribute("type", "hidden")
    page.set_input_files("input[name=images]", [str(photo)])
    page.fill("input[name=title]", "武康路散步")
    page.locator("[data-place-input]").press_sequentially("上海", delay=50)
    choice = page.locator(f'[data-place-choice="{SHANGHAI}"]')
    expect(choice).to_be_visible()
    screenshot(page, "places-picker-suggestions-phone")
    choice.click()
    expect(page.locator("input[name=place]")).to_have_value(str(SHANGHAI))
    expect(page.locator("[data-place-input]")).to_have_value("上海")
    page.locator(".note-editor__publish").click()

    # then: the note shows its place as a link to Nearby
    place = page.locator("a.note-page__place")
    expect(place).to_have_text("上海")
    expect(place).to_have_attribute("href", "/nearby/?lat=31.222&lng=121.458")
    screenshot(page, "places-note-place-link-phone")
    note = Note.objects.get()
    assert (note.place_name, note.latitude, note.longitude) == ("上海", 31.22222, 121.45806)

    # and: Nearby around the place, and Nearby for Shanghai picked by name, list the note
    place.click()
    expect(page.locator(".nearby-summary")).to_contain_text("上海")
    expect(page.locator(f'article a[href="/notes/{note.pk}/"]').first).to_be_visible()
    page.goto(f"{site}/nearby/")
    page.locator("#id_city").press_sequentially("shanghai", delay=30)
    page.locator(f'[data-place-choice="{SHANGHAI}"]').click()
    expect(page).to_have_url(re.compile(r"/nearby/\?city=%E4%B8%8A%E6%B5%B7&"))  # 上海
    expect(page.locator(".nearby-summary")).to_contain_text("上海")
    expect(page.locator(f'article a[href="/notes/{note.pk}/"]').first).to_be_visible()
    screenshot(page, "places-nearby-shanghai-phone")
    assert page.csp_errors == []


def test_api_docs_page_shows_the_operations_under_the_csp(site, new_page, screenshot):
    # when
    page = new_page()
    page.goto(f"{site}/")
    page.locator("a.footer__link").click()
    # then
    expect(page).to_have_url(f"{site}/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    expect(page.get_by_text("/api/v1/places/", exact=True)).to_be_visible()
    screenshot(page, "api-docs-laptop")
    assert page.csp_errors == []
