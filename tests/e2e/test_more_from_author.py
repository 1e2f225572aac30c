"""More from the author under a note, in a real Chromium: fetched once the reader scrolls down
to it, then laid out as the waterfall's columns with hearts a finger can hit."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, PHONE
from tests.e2e.test_getting_around import tap_offenders
from tests.factories import CommentFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CARD_BOXES = """cards => cards.map(card => {
  const box = card.getBoundingClientRect();
  return { left: box.left, width: box.width };
})"""


@pytest.mark.parametrize(
    ("viewport", "columns"), [(PHONE, 2), (LAPTOP, 6)], ids=["phone", "laptop"]
)
def test_more_from_the_author_arrives_once_the_reader_scrolls_down_to_it(
    site, new_page, screenshot, viewport, columns
):
    # Given a note with a long discussion, its author with six other notes
    author = UserFactory(username="meimei", display_name="美美")
    note = NoteFactory(author=author, title="Weekend brunch", body="Best eggs in town")
    NoteFactory.create_batch(6, author=author)
    CommentFactory.create_batch(15, note=note, body="Where is this? It looks lovely")
    page = new_page(viewport=viewport)
    fetched = []
    page.on("request", lambda request: "/more/" in request.url and fetched.append(request.url))

    # When they open the note, then scroll to its end
    page.goto(f"{site}{note.get_absolute_url()}")
    expect(page.locator(".note-page__title, h1").first).to_be_visible()
    if viewport is PHONE:  # below the fold: not asked for with the page
        page.wait_for_timeout(300)
        assert fetched == []
        expect(page.locator(".note-more")).to_have_count(0)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")

    # Then the six cards arrive once, in equal columns
    cards = page.locator(".note-more .card")
    expect(cards).to_have_count(6)
    expect(page.locator(".note-more__title")).to_have_text("More from 美美")
    boxes = cards.evaluate_all(CARD_BOXES)
    assert len({round(box["left"]) for box in boxes}) == columns
    assert len({round(box["width"]) for box in boxes}) == 1
    assert tap_offenders(page) == []
    page.wait_for_timeout(300)
    assert len(fetched) == 1
    screenshot(page, f"more-from-author-{'phone' if viewport is PHONE else 'laptop'}")
    assert page.csp_errors == []
