"""Growth in a real Chromium: sign in for the day on a streak, see the points ledger, open a
message from the message centre."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notes import services as note_services
from tests.e2e.conftest import LAPTOP, PHONE
from tests.factories import PASSWORD, NoteFactory, UserFactory
from users.services import sign_in_today

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, site: str, *, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{site}/")


@pytest.fixture
def meimei(db):
    """On a two-day streak up to yesterday, with one note that Xiaoming liked."""
    person = UserFactory(username="meimei", display_name="美美")
    for days_ago in (2, 1):
        sign_in_today(actor=person, at=timezone.now() - timedelta(days=days_ago))
    note = NoteFactory(author=person, title="Weekend brunch")
    fan = UserFactory(username="xiaoming", display_name="小明")
    note_services.note_like(actor=fan, note_id=note.pk)
    return person


def test_sign_in_for_the_day_then_see_the_streak_and_the_ledger_on_a_phone(
    site, new_page, screenshot, meimei
):
    page = new_page(viewport=PHONE)
    log_in(page, site, username="meimei")

    # Home offers today's sign-in; the growth page has the streak so far.
    expect(page.locator("#sign-in-strip")).to_contain_text("Sign in today for +10 points")
    page.goto(f"{site}/me/growth/")
    expect(page.locator(".sign-in__streak")).to_have_text("2 days in a row")
    screenshot(page, "growth-before-sign-in-phone")

    # Signing in redraws the card in place: day 3, +10, a bigger balance.
    page.locator(".sign-in__button").click()
    expect(page.locator(".sign-in__done")).to_contain_text("Signed in: +10 points")
    expect(page.locator(".sign-in__streak")).to_have_text("3 days in a row")
    expect(page.locator("[data-balance]")).to_have_text("20")
    expect(page.locator(".sign-in__day.is-signed.is-today")).to_have_count(1)
    screenshot(page, "growth-signed-in-phone")

    # The ledger has the three sign-ins, newest first, with the balance after each.
    page.locator(".sign-in__points-link").click()
    expect(page).to_have_url(f"{site}/me/points/")
    expect(page.locator(".points__balance")).to_have_text("20")
    rows = page.locator(".ledger__row")
    expect(rows).to_have_count(3)
    expect(rows.first.locator(".ledger__amount")).to_have_text("+10")
    expect(rows.first.locator(".ledger__after")).to_have_text("Balance 20")
    screenshot(page, "points-phone")

    # Back home, the strip has gone.
    page.goto(f"{site}/")
    expect(page.locator("#sign-in-strip")).to_have_count(0)

    assert page.csp_errors == []


def test_open_a_message_from_the_tab_bar_and_it_is_read(site, new_page, screenshot, meimei):
    page = new_page(viewport=PHONE)
    log_in(page, site, username="meimei")

    tab = page.locator(".tabbar__item--messages")
    expect(tab.locator(".unread-count")).to_contain_text("1")
    tab.click()
    row = page.locator(".message").first
    expect(row).to_have_class("message message--unread")
    expect(row).to_contain_text("小明 liked your note")
    expect(row).to_contain_text("Weekend brunch")
    screenshot(page, "messages-phone")

    row.locator(".message__main").click()
    expect(page.locator("h1")).to_contain_text("Weekend brunch")
    expect(page.locator(".tabbar__item--messages .unread-count")).to_have_count(0)

    page.goto(f"{site}/me/messages/")
    expect(page.locator(".message").first).to_have_class("message")
    assert page.csp_errors == []


def test_the_message_centre_and_growth_on_a_laptop(site, new_page, screenshot, meimei):
    page = new_page(viewport=LAPTOP)
    log_in(page, site, username="meimei")

    expect(page.locator(".topnav__messages .unread-count")).to_have_text("1")
    page.locator(".topnav__messages").click()
    expect(page.locator(".messages__tabs .is-active")).to_contain_text("Likes & saves")
    screenshot(page, "messages-laptop")
    page.locator(".messages__read-all button").click()
    expect(page.locator(".topnav__messages .unread-count")).to_have_count(0)

    page.goto(f"{site}/me/growth/")
    expect(page.locator(".growth__title").last).to_have_text("All ten levels")
    screenshot(page, "growth-laptop")
    assert page.csp_errors == []
