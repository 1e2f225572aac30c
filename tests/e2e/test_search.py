"""Search in a real Chromium: type in the top bar's box on a phone, pick from the suggestions,
read the results; the same on a laptop."""

import pytest
from playwright.sync_api import expect

from core import search
from notes.services import note_search_update, search_record
from tests.e2e.conftest import LAPTOP, PHONE
from tests.factories import NoteFactory, NoteImageFactory, UserFactory, image_upload
from users.services import creator_search_update

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hotpot():
    """Notes about hot pot (one tagged #成都火锅), a hot pot creator, and hot searches."""
    author = UserFactory(username="chuan", display_name="火锅研究所")
    creator_search_update(user=author)
    for index, (title, size) in enumerate(
        [("成都火锅推荐", (60, 80)), ("重庆老火锅", (80, 60)), ("在家做火锅", (60, 60))]
    ):
        note = NoteFactory(author=author, title=title, body="牛油锅底", images=0, ces=10 - index)
        NoteImageFactory(note=note, image=image_upload(size=size), width=size[0], height=size[1])
        note.tags.set(["成都火锅"] if index == 0 else ["火锅"])
        note_search_update(note_id=note.pk)
    for person in range(3):
        search_record(actor=None, searcher=f"ip{person}", found=search.terms("露营装备"))


@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("laptop", LAPTOP)])
def test_typing_in_the_top_bar_suggests_and_finds(
    hotpot, site, new_page, screenshot, device, viewport
):
    page = new_page(viewport=viewport)
    page.goto(site + "/hot/")
    screenshot(page, f"search-{device}-page")
    box = page.get_by_role("searchbox", name="Search")
    box.click()
    suggestions = page.locator("#search-suggest")
    expect(suggestions.get_by_role("link", name="露营装备")).to_be_visible()  # hot searches
    screenshot(page, f"search-{device}-hot")

    box.press_sequentially("火锅", delay=60)
    expect(suggestions.get_by_role("link", name="成都火锅")).to_be_visible()
    expect(suggestions.get_by_role("link", name="火锅研究所")).to_be_visible()
    screenshot(page, f"search-{device}-suggestions")

    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    cards = page.locator("main .card")
    expect(cards).to_have_count(3)
    # notes of the exact topic (#火锅) first, the better one leading
    expect(page.locator("main .card__title").first).to_have_text("重庆老火锅")
    assert page.csp_errors == []
    screenshot(page, f"search-{device}-results")

    page.get_by_role("link", name="Creators").click()
    expect(page.locator("main .person-row")).to_have_count(1)


def test_nothing_found_offers_related_topics(hotpot, site, new_page, screenshot):
    page = new_page(viewport=PHONE)
    page.goto(site + "/search/?q=火锅+冰淇淋")
    expect(page.get_by_text("Nothing found for")).to_be_visible()
    expect(page.get_by_role("link", name="#火锅")).to_be_visible()
    screenshot(page, "search-phone-nothing-found")
