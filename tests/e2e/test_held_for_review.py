"""A note that sends readers to a WeChat id, in a real Chromium on a phone: it is held, the
page says what holds it, and taking it out puts the note up at once."""

import re

import pytest
from playwright.sync_api import expect

from notes.models import Note
from tests.e2e.conftest import PHONE
from tests.factories import PASSWORD, UserFactory, image_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_held_note_says_why_and_goes_up_once_fixed_on_a_phone(
    site, new_page, screenshot, tmp_path
):
    UserFactory(username="tangtang", display_name="糖糖")
    photo = tmp_path / "cover.png"
    photo.write_bytes(image_bytes(image_format="PNG", size=(600, 800)))
    page = new_page(viewport=PHONE)
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", "tangtang")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{site}/")

    page.goto(f"{site}/notes/new/")
    page.fill("input[name=title]", "Spare bits to sell")
    page.fill("textarea[name=body]", "Lots more not listed, add me on vx: tangtang_2024 ~")
    page.set_input_files("input[name=images]", str(photo))
    page.click("button[name=action][value=publish]")

    expect(page).to_have_url(re.compile(r"/notes/\d+/$"))
    banner = page.locator(".note-page__banner--under_review")
    expect(banner).to_contain_text("a WeChat ID")
    expect(banner).to_contain_text("vx: tangtang_2024")
    box = banner.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    edit = banner.get_by_role("link", name="Edit the note")
    assert edit.bounding_box()["height"] >= 24  # a link in running text, padded to be tapped
    screenshot(page, "held-for-review-phone")

    edit.click()
    page.fill("textarea[name=body]", "Lots more not listed, ask in the comments ~")
    page.click("button[name=action][value=publish]")

    expect(page).to_have_url(re.compile(r"/notes/\d+/\?published=1$"))
    expect(page.locator(".note-page__banner")).to_have_count(0)
    assert Note.objects.get().status == Note.Status.PUBLISHED
    assert page.csp_errors == []
