"""Reporting a comment in a real Chromium on a phone: the sheet, a refusal without a reason,
then the thanks in place; staff take it down and the reader is told."""

import pytest
from playwright.sync_api import expect

from notes import services
from notes.models import Comment, Report
from tests.e2e.conftest import PHONE
from tests.factories import PASSWORD, NoteFactory, UserFactory
from users.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_reports_a_comment_from_a_phone_and_hears_back(site, new_page, screenshot):
    UserFactory(username="reader", display_name="读者")
    note = NoteFactory(title="Weekend brunch")
    spam = services.comment_create(
        author=UserFactory(username="spammer"), note_id=note.pk, body="Cheap followers here!"
    )
    page = new_page(viewport=PHONE)
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", "reader")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{site}/")

    page.goto(f"{site}{note.get_absolute_url()}")
    page.locator(f"#comment-{spam.pk} .comment__report").click()
    sheet = page.locator("dialog.sheet[open]")
    expect(sheet).to_contain_text("Cheap followers here!")
    reason = sheet.locator("label.report-form__reason").first
    assert reason.bounding_box()["height"] >= 44  # the whole line takes the tap
    send = sheet.get_by_role("button", name="Send report")
    sheet.locator("textarea[name=detail]").fill("Selling followers")
    send.click()
    expect(sheet).to_contain_text("Choose what is wrong with it.")
    expect(sheet.locator("textarea[name=detail]")).to_have_value("Selling followers")
    sheet.get_by_label("Spam or advertising").check()
    box = sheet.get_by_role("button", name="Send report").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, "report-sheet-phone")
    sheet.get_by_role("button", name="Send report").click()
    expect(sheet).to_contain_text("Thank you. Our moderators will look at it")
    sheet.get_by_role("button", name="Done").click()
    expect(page.locator("dialog.sheet")).to_have_count(0)

    filed = Report.objects.get()
    assert (filed.reason, filed.detail, filed.comment_id) == ("spam", "Selling followers", spam.pk)
    services.report_uphold(actor=UserFactory(is_staff=True), report_id=filed.pk)
    assert not Comment.objects.filter(pk=spam.pk).exists()
    assert Notification.objects.filter(recipient__username="reader", verb="report_upheld").exists()
    page.goto(f"{site}/me/messages/?tab=system")
    expect(page.get_by_text("Thank you: we took down what you reported")).to_be_visible()
    assert page.csp_errors == []
