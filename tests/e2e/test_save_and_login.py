"""Saving into a new board from one sheet, and actions started logged out finished after log-in,
in a real Chromium on a phone (zh-CN, as our testers) and a laptop (en)."""

import re

import pytest
from playwright.sync_api import expect

from notes import services
from tests.e2e.conftest import ARTIFACTS, LAPTOP, PHONE
from tests.factories import PASSWORD, BoardFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

DEVICES = [
    pytest.param({"viewport": PHONE, "locale": "zh-CN"}, id="phone"),
    pytest.param({"viewport": LAPTOP, "locale": "en-US"}, id="laptop"),
]


def view_screenshot(page, name: str) -> None:
    """What the reader sees now. caret="initial": hiding the caret leaves `style=""` on fields,
    which htmx copies onto the fields it swaps in, and the Content-Security-Policy refuses."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(400)  # animations end
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), caret="initial")


def fill_log_in_form(page, *, username: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()


def log_in(page, site: str, *, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    fill_log_in_form(page, username=username)
    expect(page).to_have_url(f"{site}/")


def device_name(device: dict) -> str:
    return "phone" if device["viewport"] == PHONE else "laptop"


@pytest.mark.parametrize("device", DEVICES)
def test_saving_into_a_new_board_from_one_sheet(site, new_page, device):
    # Given a reader with a board, on someone's note
    reader = UserFactory(username="xiaoming", display_name="小明")
    BoardFactory(owner=reader, name="Trips")
    note = NoteFactory(author=UserFactory(display_name="美美"), title="Hand-drip at home")
    name = device_name(device)
    page = new_page(**device)
    log_in(page, site, username="xiaoming")
    page.goto(f"{site}{note.get_absolute_url()}")

    # When they tap the star, it saves at once and the toast offers the board sheet
    page.locator(".note-action--bookmark button").click()
    star = page.locator(".note-action--bookmark .note-action__button")
    expect(star).to_have_attribute("aria-pressed", "true")
    expect(star).to_be_focused()
    expect(page.locator(".note-action--bookmark .note-action__count")).to_have_text("1")
    toast = page.locator(".save-toast")
    expect(toast).to_be_visible()
    view_screenshot(page, f"save-toast-{name}")

    # The sheet lists their boards and takes a new one's name; a name in use is refused in place
    toast.locator(".save-toast__action").click()
    sheet = page.locator("dialog.sheet")
    expect(sheet).to_be_visible()
    expect(sheet.locator(".save-board__name")).to_have_text(["Trips"])
    name_field = sheet.locator("input[name=name]")
    name_field.fill("Trips")
    sheet.locator(".save-boards__create").click()
    expect(sheet.locator(".errorlist")).to_be_visible()
    expect(name_field).to_have_value("Trips")
    view_screenshot(page, f"save-sheet-refused-{name}")
    name_field.fill("咖啡地图")
    view_screenshot(page, f"save-sheet-{name}")
    sheet.locator(".save-boards__create").click()

    # Then the sheet closes, the toast names the board, and the star has the focus back
    expect(sheet).to_have_count(0)
    expect(page.locator(".save-toast__text")).to_have_text(re.compile("咖啡地图"))
    expect(star).to_be_focused()
    view_screenshot(page, f"save-toast-board-{name}")

    # And the board page lists the note
    page.locator(".save-toast__action").click()
    expect(page.locator("h1")).to_contain_text("咖啡地图")
    expect(page.locator(".card__title", has_text="Hand-drip at home")).to_be_visible()
    view_screenshot(page, f"save-board-page-{name}")
    assert page.csp_errors == []


@pytest.mark.parametrize("device", DEVICES)
def test_a_like_tapped_logged_out_is_done_after_logging_in(site, new_page, device):
    # Given a note someone already likes, and a visitor who is not logged in
    note = NoteFactory(author=UserFactory(display_name="美美"), title="Weekend brunch")
    services.note_like(actor=UserFactory(), note_id=note.pk)
    UserFactory(username="xiaoming", display_name="小明")
    name = device_name(device)
    page = new_page(**device)
    page.goto(f"{site}{note.get_absolute_url()}")
    expect(page.locator(".note-action--like .note-action__count")).to_have_text("1")

    # When they tap the heart, they are asked to log in
    page.locator(".note-action--like button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    view_screenshot(page, f"login-to-like-{name}")
    fill_log_in_form(page, username="xiaoming")

    # Then they are back on the note, and it is liked
    expect(page).to_have_url(f"{site}{note.get_absolute_url()}")
    like = page.locator(".note-action--like .note-action__button")
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".note-action--like .note-action__count")).to_have_text("2")
    view_screenshot(page, f"liked-after-login-{name}")
    assert page.csp_errors == []


@pytest.mark.parametrize("device", DEVICES)
def test_a_comment_typed_logged_out_is_posted_after_logging_in(site, new_page, device):
    # Given a visitor who is not logged in, on a note
    note = NoteFactory(author=UserFactory(display_name="美美"), title="Weekend brunch")
    UserFactory(username="xiaoming", display_name="小明")
    name = device_name(device)
    page = new_page(**device)
    page.goto(f"{site}{note.get_absolute_url()}")

    # When they type a comment and send it, they are asked to log in
    page.fill("#comment-body", "Which café is this?")
    view_screenshot(page, f"comment-logged-out-{name}")
    page.locator("#comment-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    fill_log_in_form(page, username="xiaoming")

    # Then the comment is posted, and they see it on the note
    expect(page).to_have_url(re.compile(rf"{note.get_absolute_url()}\S*#comment-\d+$"))
    comment = page.locator(".comment__body", has_text="Which café is this?")
    expect(comment).to_be_visible()
    expect(page.locator(".comment__author", has_text="小明").first).to_be_visible()
    view_screenshot(page, f"comment-after-login-{name}")
    assert page.csp_errors == []


def test_saving_into_a_new_board_without_javascript(site, browser):
    # Given a reader whose browser runs no JavaScript, on someone's note
    UserFactory(username="xiaoming", display_name="小明")
    note = NoteFactory(author=UserFactory(display_name="美美"), title="Hand-drip at home")
    context = browser.new_context(viewport=PHONE, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    log_in(page, site, username="xiaoming")
    page.goto(f"{site}{note.get_absolute_url()}")

    # When they tap the star, the note page comes back with the toast
    page.locator(".note-action--bookmark button").click()
    expect(page).to_have_url(f"{site}{note.get_absolute_url()}?saved=1")
    expect(page.locator(".save-toast__text")).to_have_text("Saved")

    # Its action is the board sheet as a page, where a new board is made and saved into
    page.locator(".save-toast__action").click()
    expect(page).to_have_url(f"{site}/notes/{note.pk}/save/")
    page.fill("input[name=name]", "咖啡地图")
    view_screenshot(page, "save-page-no-js-phone")
    page.locator(".save-boards__create").click()

    # Then they are back on the note, told where it went
    expect(page).to_have_url(f"{site}{note.get_absolute_url()}?saved=1")
    expect(page.locator(".save-toast__text")).to_have_text("Saved to 咖啡地图")
    context.close()
