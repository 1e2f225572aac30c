"""axe-core in a real Chromium: the pages a new reader meets first have no serious or critical
accessibility violations, on a phone and on a laptop."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from notes import services
from tests.e2e.conftest import LAPTOP, PHONE
from tests.e2e.test_getting_around import log_in
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = ("serious", "critical")


def violations(page) -> list[str]:
    """axe-core's serious and critical findings: rule, what to do, and where."""
    results = Axe().run(page)
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} at "
        + ", ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        for rule in results.response["violations"]
        if rule["impact"] in BLOCKING
    ]


@pytest.mark.parametrize(
    ("viewport", "locale"), [(PHONE, "zh-CN"), (LAPTOP, "en-US")], ids=["phone", "laptop"]
)
def test_first_pages_have_no_serious_accessibility_violations(
    site, new_page, screenshot, viewport, locale
):
    # given: a reader, an author with notes (tags, a place, comments and a reply)
    reader = UserFactory(username="xiaohong", display_name="小红")
    author = UserFactory(username="meimei", display_name="美美", bio="喜欢喝茶")
    note = NoteFactory(
        author=author,
        title="周末去哪儿",
        body="湖边喝茶 #喝茶",
        place_name="杭州",
        latitude=30.29365,
        longitude=120.16142,
        images=2,
    )
    note.tags.add("喝茶")
    NoteFactory.create_batch(5, author=author)
    comment = services.comment_create(author=reader, note_id=note.pk, body="好美！")
    services.comment_create(author=author, note_id=note.pk, body="谢谢～", parent_id=comment.pk)
    page = new_page(viewport=viewport, locale=locale)
    name = "phone" if viewport == PHONE else "laptop"
    found = {}

    # when: a visitor reads, then the reader signs in and writes
    for page_name, path in [
        ("home", "/"),
        ("note", note.get_absolute_url()),
        ("profile", "/u/meimei/"),
        ("tag", "/tags/喝茶/"),
    ]:
        page.goto(f"{site}{path}")
        found[f"{page_name} (visitor)"] = violations(page)
    log_in(page, site, "xiaohong")
    for page_name, path in [
        ("home", "/"),
        ("note", note.get_absolute_url()),
        ("publish", "/notes/new/"),
        ("settings", "/accounts/settings/"),
        ("nearby", "/nearby/?city=杭州"),
    ]:
        page.goto(f"{site}{path}")
        expect(page.locator("main")).to_be_visible()
        found[page_name] = violations(page)
        screenshot(page, f"accessibility-{page_name}-{name}")

    # then
    problems = [f"{where}: {problem}" for where, listed in found.items() for problem in listed]
    assert problems == [], "axe-core found:\n" + "\n".join(problems)
