"""A person's first day on Hongshu, in a real Chromium: sign up, publish, be followed and liked."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.factories import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "tea-and-dumplings-42"


def sign_up(page, site: str, *, username: str, display_name: str) -> None:
    page.goto(f"{site}/accounts/signup/")
    page.fill("input[name=username]", username)
    page.fill("input[name=display_name]", display_name)
    page.fill("input[name=email]", f"{username}@example.com")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(f"{site}/welcome/")  # onboarding: interests, then creators


def publish_note(page, site: str, tmp_path, *, title: str, body: str) -> str:
    photo = tmp_path / "cover.png"
    photo.write_bytes(image_bytes(image_format="PNG", size=(600, 800)))
    page.goto(f"{site}/notes/new/")
    page.fill("input[name=title]", title)
    page.fill("textarea[name=body]", body)
    page.set_input_files("input[name=images]", str(photo))
    page.click("button[name=action][value=publish]")
    expect(page).to_have_url(re.compile(r"/notes/\d+/\?published=1$"))
    return page.url


def test_sign_up_publish_then_a_follower_likes_and_sees_it_in_follow_feed(
    site, new_page, screenshot, tmp_path
):
    # Meimei signs up and publishes a note with a photo.
    author = new_page()
    sign_up(author, site, username="meimei", display_name="美美")
    note_url = publish_note(
        author, site, tmp_path, title="Weekend brunch", body="Best eggs in town #brunch #上海"
    )
    expect(author.locator("h1")).to_contain_text("Weekend brunch")
    expect(author.locator("a[href='/tags/brunch/']").first).to_be_visible()

    # The note is on her profile.
    author.goto(f"{site}/u/meimei/")
    expect(author.locator(".card__title", has_text="Weekend brunch")).to_be_visible()

    # Xiaoming signs up, follows her from her profile and likes the note.
    reader = new_page()
    sign_up(reader, site, username="xiaoming", display_name="小明")
    reader.goto(f"{site}/u/meimei/")
    reader.locator(".follow-button button", has_text="Follow").first.click()
    expect(reader.locator(".follow-button button").first).to_have_text("Following")
    reader.goto(note_url)
    like = reader.locator(".note-action--like button")
    like.click()
    expect(reader.locator(".note-action--like .note-action__count")).to_have_text("1")
    expect(reader.locator(".note-action--like button")).to_have_attribute("aria-pressed", "true")

    # Her note is in his Follow feed, and the like survives a reload.
    reader.goto(f"{site}/follow/")
    card = reader.locator(".card", has_text="Weekend brunch")
    expect(card).to_be_visible()
    expect(card.locator(".card__likes")).to_contain_text("1")
    screenshot(reader, "home-follow-laptop")
    reader.goto(note_url)
    expect(reader.locator(".note-action--like .note-action__count")).to_have_text("1")
    screenshot(reader, "note-laptop")

    assert author.csp_errors == []
    assert reader.csp_errors == []


def test_home_and_note_pages_on_a_phone(site, new_page, screenshot, tmp_path):
    author = new_page(viewport=PHONE, locale="zh-CN")
    sign_up(author, site, username="tiantian", display_name="甜甜")
    note_url = publish_note(
        author, site, tmp_path, title="秋日穿搭", body="今天的穿搭分享 #穿搭 #秋天"
    )
    screenshot(author, "note-phone")

    visitor = new_page(viewport=PHONE, locale="zh-CN")
    visitor.goto(f"{site}/")
    expect(visitor.locator(".card", has_text="秋日穿搭")).to_be_visible()
    screenshot(visitor, "home-discover-phone")
    visitor.goto(note_url)
    expect(visitor.locator("h1")).to_contain_text("秋日穿搭")

    assert author.csp_errors == []
    assert visitor.csp_errors == []
