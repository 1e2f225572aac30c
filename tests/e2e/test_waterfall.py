"""The waterfall of note cards in a real Chromium, on a phone and a laptop.

Every list of cards (tag, board, profile, and the home feeds) is one component: equal columns
filling the content width, the next page fetched once as the reader nears the end, a plain
next-page link below the cards for readers without JavaScript, and a heart that likes in place.
Discover is walked here as the tag page: it ranks and caps notes per author, so its own order is
tested in tests/community/test_discover.py.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from notes.services import note_bookmark
from tests.e2e.conftest import ARTIFACTS, LAPTOP, PHONE
from tests.factories import BoardFactory, NoteFactory, NoteImageFactory, UserFactory, image_upload

pytestmark = pytest.mark.django_db(transaction=True)

NOTES = 60
TAG = "citywalk"
# Covers of several shapes, so the columns grow unevenly as in a real feed.
COVERS = [(60, 80), (80, 60), (60, 60), (60, 90), (90, 60), (60, 75)]
# Pages taller than the screen plus the look-ahead, so each page waits for the reader.
PAGE_SIZE = {"phone": 12, "laptop": 25}
CARD_IDS = """() => [...document.querySelectorAll("main .card")].map(card => {
    const box = card.getBoundingClientRect();
    const id = Number(card.querySelector(".card__media").getAttribute("href").match(/\\d+/)[0]);
    return {id, left: box.left, right: box.right, top: box.top, width: box.width};
})"""
# What the waterfall holds besides its cards: nothing (no link, no stray text, no empty column).
BESIDES_CARDS = """() => {
    const waterfall = document.querySelector("main .waterfall").cloneNode(true);
    waterfall.querySelectorAll(".card").forEach(card => card.remove());
    return waterfall.textContent.trim();
}"""
CONTENT_BOX = """() => {
    const main = document.querySelector("main");
    const style = getComputedStyle(main);
    const left = main.getBoundingClientRect().left + parseFloat(style.paddingLeft);
    const width = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {left, right: left + width, width};
}"""


@pytest.fixture
def lists():
    """60 notes by one author, all tagged #citywalk and saved to one board, newest first."""
    author = UserFactory(username="meimei", display_name="美美爱散步 Meimei")
    collector = UserFactory(username="collector", display_name="Collector")
    board = BoardFactory(owner=collector, name="Walks")
    notes = []
    for index in range(NOTES):
        note = NoteFactory(author=author, title=f"City walk {index + 1}", images=0)
        width, height = COVERS[index % len(COVERS)]
        NoteImageFactory(
            note=note, image=image_upload(size=(width, height)), width=width, height=height
        )
        note.tags.add(TAG)
        note_bookmark(actor=collector, note_id=note.pk, board_id=board.pk)
        notes.append(note)
    newest_first = [note.pk for note in reversed(notes)]
    paths = {
        "tag": f"/tags/{TAG}/",
        "board": f"/boards/{board.pk}/",
        "profile": "/u/meimei/",
    }
    return {"paths": paths, "order": newest_first}


def log_in(page, site: str, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site}])


def columns_of(cards: list[dict]) -> dict[int, list[dict]]:
    """Cards grouped by their column (left edge), each column top to bottom."""
    columns: dict[int, list[dict]] = {}
    for card in cards:
        columns.setdefault(round(card["left"]), []).append(card)
    return {left: sorted(column, key=lambda card: card["top"]) for left, column in columns.items()}


def assert_equal_columns(page, name: str) -> dict[int, list[dict]]:
    """Cards of one width, in columns from the content's left edge to its right edge."""
    cards = page.evaluate(CARD_IDS)
    content = page.evaluate(CONTENT_BOX)
    columns = columns_of(cards)
    widths = {round(card["width"]) for card in cards}
    assert page.evaluate(BESIDES_CARDS) == "", name
    assert len(widths) == 1, f"{name}: cards of widths {sorted(widths)}"
    assert min(card["left"] for card in cards) == pytest.approx(content["left"], abs=1), name
    # An empty column (or a button laid out as one) would leave the right edge bare.
    assert max(card["right"] for card in cards) == pytest.approx(content["right"], abs=1), name
    return columns


def test_phone_shows_two_full_width_columns_on_every_list(site, new_page, screenshot, lists):
    page = new_page(viewport=PHONE, locale="zh-CN")
    for name, path in lists["paths"].items():
        page.goto(f"{site}{path}?size={PAGE_SIZE['phone']}")
        expect(page.locator("main .card").first).to_be_visible()

        columns = assert_equal_columns(page, name)

        assert len(columns) == 2, name
        cards = page.evaluate(CARD_IDS)
        content = page.evaluate(CONTENT_BOX)
        covered = max(card["right"] for card in cards) - min(card["left"] for card in cards)
        assert covered >= 0.9 * content["width"], name
        # The author's name has room for more than a character or two.
        author = page.locator("main .card__author > span:last-child").first
        assert author.bounding_box()["width"] > 60, name
        if name == "tag":
            screenshot(page, f"waterfall-{name}-phone")
    assert page.csp_errors == []


def test_laptop_fills_every_column_with_cards_of_equal_width(site, new_page, screenshot, lists):
    page = new_page(viewport=LAPTOP)
    for name, path in lists["paths"].items():
        page.goto(f"{site}{path}?size={PAGE_SIZE['laptop']}")
        expect(page.locator("main .card").first).to_be_visible()

        columns = assert_equal_columns(page, name)

        assert 3 <= len(columns) <= 5, name
        assert all(len(column) >= 2 for column in columns.values()), name
        if name == "tag":
            screenshot(page, f"waterfall-{name}-laptop")
    assert page.csp_errors == []


def test_a_narrower_window_deals_the_same_cards_into_fewer_columns(site, new_page, lists):
    page = new_page(viewport=LAPTOP)
    page.goto(f"{site}{lists['paths']['tag']}?size={PAGE_SIZE['laptop']}")
    expect(page.locator("main .card")).to_have_count(PAGE_SIZE["laptop"])

    page.set_viewport_size(PHONE)

    expect(page.locator("main .waterfall__column")).to_have_count(2)
    columns = assert_equal_columns(page, "tag")
    assert len(columns) == 2
    shown = sorted(card["id"] for column in columns.values() for card in column)
    assert shown == sorted(lists["order"][: PAGE_SIZE["laptop"]])


@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_scrolling_to_the_end_fetches_each_next_page_once_in_order(
    site, new_page, screenshot, lists, device
):
    if device == "phone":
        page = new_page(viewport=PHONE, locale="zh-CN")
    else:
        page = new_page(viewport=LAPTOP)
    size = PAGE_SIZE[device]
    pages = -(-NOTES // size)
    fetched: list[str] = []
    page.on("request", lambda request: "cursor=" in request.url and fetched.append(request.url))
    for name, path in lists["paths"].items():
        fetched.clear()
        page.goto(f"{site}{path}?size={size}")
        expect(page.locator("main .card")).to_have_count(size)
        page.wait_for_timeout(400)
        assert fetched == [], f"{name}: fetched before the reader scrolled"

        for number in range(2, pages + 1):
            with page.expect_response(lambda response: "cursor=" in response.url):
                page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
            expect(page.locator("main .card")).to_have_count(min(number * size, NOTES))
            page.wait_for_timeout(400)
            assert len(fetched) == number - 1, f"{name}: page {number}"

        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(400)
        assert len(fetched) == pages - 1, f"{name}: fetched after the last page"
        assert len(set(fetched)) == len(fetched), name
        cards = page.evaluate(CARD_IDS)
        shown = [card["id"] for card in cards]
        assert sorted(shown) == sorted(lists["order"]), f"{name}: cards missing or repeated"
        position = {note_id: index for index, note_id in enumerate(lists["order"])}
        for column in columns_of(cards).values():
            ranks = [position[card["id"]] for card in column]
            assert ranks == sorted(ranks), f"{name}: a column out of reading order"
        expect(page.locator("main .waterfall-more__end")).to_be_visible()
        if name == "tag":
            screenshot(page, f"waterfall-tag-{device}-scrolled")
    assert page.csp_errors == []


def test_a_loader_shows_while_the_next_page_is_on_its_way(site, new_page, lists):
    page = new_page(viewport=PHONE, locale="zh-CN")
    held = []
    page.route(re.compile(r"cursor="), lambda route: held.append(route))
    page.goto(f"{site}{lists['paths']['tag']}?size={PAGE_SIZE['phone']}")
    expect(page.locator("main .card")).to_have_count(PAGE_SIZE["phone"])

    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")

    loader = page.locator("main .waterfall-more__loading")
    expect(loader).to_be_visible()
    expect(page.locator("main a[href*='cursor=']")).to_be_hidden()
    page.screenshot(path=str(ARTIFACTS / "waterfall-loading-phone.png"))
    held[0].continue_()
    expect(page.locator("main .card")).to_have_count(2 * PAGE_SIZE["phone"])
    expect(loader).to_be_hidden()


def test_without_javascript_the_next_page_link_is_below_the_cards(site, browser, lists):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    try:
        page = context.new_page()
        size = PAGE_SIZE["phone"]
        for name, path in lists["paths"].items():
            page.goto(f"{site}{path}?size={size}")
            cards = page.evaluate(CARD_IDS)
            assert len(columns_of(cards)) == 2, name
            link = page.locator("main a[href*='cursor=']")
            expect(link).to_have_count(1)
            assert link.evaluate("link => link.closest('.waterfall') === null"), name
            assert link.bounding_box()["y"] >= max(card["top"] for card in cards), name

            link.click()

            expect(page).to_have_url(re.compile(r"cursor="))
            shown = [card["id"] for card in page.evaluate(CARD_IDS)]
            assert shown == lists["order"][size : 2 * size], name
    finally:
        context.close()


def test_the_heart_on_a_card_likes_in_place(site, new_page, lists):
    reader = UserFactory(username="xiaoming")
    page = new_page(viewport=PHONE, locale="zh-CN")
    log_in(page, site, reader)
    navigations: list[str] = []
    page.goto(f"{site}{lists['paths']['tag']}?size={PAGE_SIZE['phone']}")
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    card = page.locator("main .card").first
    heart = card.locator(".card__like")
    expect(heart).to_have_attribute("aria-pressed", "false")

    heart.click()

    expect(card.locator(".card__like")).to_have_attribute("aria-pressed", "true")
    expect(card.locator(".card__like-count")).to_have_text("1")
    assert navigations == []
    page.reload()
    expect(page.locator("main .card").first.locator(".card__like-count")).to_have_text("1")
    assert page.csp_errors == []


def test_the_heart_on_a_card_asks_a_visitor_to_log_in_first(site, new_page, lists):
    page = new_page(viewport=PHONE, locale="zh-CN")
    page.goto(f"{site}/tags/{TAG}/")

    page.locator("main .card").first.locator(".card__like").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/tags/citywalk/$"))
