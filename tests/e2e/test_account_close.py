"""Closing an account in a real Chromium, on a phone: from Settings, a wrong password first,
then for good; the note is gone from the site and the reader is logged out."""

import pytest
from playwright.sync_api import expect

from notes.models import Note
from tests.e2e.conftest import PHONE
from tests.factories import PASSWORD, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_closes_their_account_from_settings_on_a_phone(site, new_page, screenshot):
    person = UserFactory(username="leaving", display_name="要走的人")
    note = NoteFactory(author=person, title="My last note")
    page = new_page(viewport=PHONE)
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", "leaving")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{site}/")

    page.goto(f"{site}/accounts/settings/")
    page.get_by_role("link", name="Close my account").click()
    expect(page.get_by_role("heading", name="Close your account")).to_be_visible()
    tick = page.locator("label.checkbox")
    assert tick.bounding_box()["height"] >= 44  # the whole line takes the tap
    button = page.get_by_role("button", name="Close my account").bounding_box()
    assert button["height"] >= 44
    assert button["x"] >= 0
    assert button["x"] + button["width"] <= PHONE["width"]

    page.fill("input[name=password]", "not-my-password")
    tick.click()
    page.get_by_role("button", name="Close my account").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    expect(page.locator("input[name=understood]")).to_be_checked()
    screenshot(page, "account-close-wrong-password-phone")

    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Close my account").click()
    expect(page).to_have_url(f"{site}/")
    expect(page.get_by_text("Your account is closed.")).to_be_visible()
    expect(page.locator("header.topbar a[href^='/accounts/login/']")).to_be_visible()
    assert not Note.objects.filter(pk=note.pk).exists()
    assert page.goto(f"{site}/notes/{note.pk}/").status == 404
    assert page.csp_errors == []
