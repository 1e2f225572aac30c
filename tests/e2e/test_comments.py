"""Comments on a busy note, in a real Chromium: a new one shows on top and in view, more load."""

import re

import pytest
from playwright.sync_api import expect

from notes import services
from tests.e2e.conftest import ARTIFACTS, LAPTOP, PHONE
from tests.factories import PASSWORD, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def busy_note(*, threads: int, replies: int):
    """A note whose newest thread has `replies` replies; every thread by someone else."""
    author = UserFactory(username="meimei", display_name="美美")
    note = NoteFactory(author=author, title="Weekend brunch", body="Best eggs in town")
    for index in range(threads):
        commenter = UserFactory(display_name=f"Reader {index}")
        thread = services.comment_create(
            author=commenter, note_id=note.pk, body=f"Thread {index}: looks lovely"
        )
    for number in range(replies):
        services.comment_create(
            author=author, note_id=note.pk, body=f"Reply {number}", parent_id=thread.pk
        )
    return note, thread


def log_in(page, site: str, *, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{site}/")


def view_screenshot(page, name: str) -> None:
    """What the reader sees right now (the fixture's screenshots are of the whole page).

    caret="initial": hiding the caret leaves `style=""` on every field, which htmx then copies
    onto the fields it swaps in, and the Content-Security-Policy rightly refuses.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(700)  # a smooth scroll ends, the highlight is still on
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), caret="initial")


def thread_ids(page) -> list[str]:
    return page.locator("#comment-threads > li.comment").evaluate_all(
        "items => items.map(item => item.id)"
    )


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_new_comment_shows_on_top_in_view_and_more_comments_load(
    site, new_page, settings, viewport
):
    # Given a note with more threads than a page, its newest thread with more replies than shown
    settings.FEED_PAGE_SIZE = 5
    note, busy_thread = busy_note(threads=8, replies=5)
    UserFactory(username="xiaoming", display_name="小明")
    name = "phone" if viewport == PHONE else "laptop"
    page = new_page(viewport=viewport)
    log_in(page, site, username="xiaoming")
    page.goto(f"{site}{note.get_absolute_url()}")
    expect(page.locator("#comment-threads > li.comment")).to_have_count(5)
    expect(page.locator("#comments-more a")).to_have_text("More comments")

    # When the reader posts a comment
    page.fill("#comment-body", "Which café is this?")
    page.locator("#comment-form button[type=submit]").click()

    # Then it is the first thread, in view, lit up, and the counts follow
    first = page.locator("#comment-threads > li.comment").first
    expect(first.locator(":scope > .comment__main > .comment__body")).to_have_text(
        "Which café is this?"
    )
    expect(first).to_be_in_viewport()
    expect(page.locator("#comments-heading")).to_have_text("14 comments")
    expect(page.locator("#comment-body")).to_have_value("")
    view_screenshot(page, f"comments-posted-{name}")

    # When the reader replies to the busy thread
    thread = page.locator(f"#comment-{busy_thread.pk}")
    thread.locator(":scope > .comment__main > .comment__footer .comment__reply").click()
    expect(page.locator("[data-replying-name]")).to_have_text(busy_thread.author.name)
    page.fill("#comment-body", "Me too!")
    page.locator("#comment-form button[type=submit]").click()

    # Then the reply ends the thread's shown replies, in view
    replies = page.locator(f"#replies-{busy_thread.pk} > li")
    expect(replies).to_have_count(4)
    expect(replies.last.locator(".comment__body")).to_have_text("Me too!")
    expect(replies.last).to_be_in_viewport()
    view_screenshot(page, f"comments-replied-{name}")

    # When the reader shows the thread's other replies, they come in order, none twice
    more_replies = page.locator(f"#more-replies-{busy_thread.pk} a")
    expect(more_replies).to_have_text("Show 2 more replies")
    more_replies.click()
    expect(replies).to_have_count(6)
    expect(replies.locator(".comment__body")).to_have_text(
        ["Reply 0", "Reply 1", "Reply 2", "Reply 3", "Reply 4", "Me too!"]
    )
    expect(page.locator(f"#more-replies-{busy_thread.pk} a")).to_have_count(0)

    # When the reader loads more comments, the older threads follow, none twice
    page.locator("#comments-more a").click()
    expect(page.locator("#comment-threads > li.comment")).to_have_count(9)
    ids = thread_ids(page)
    assert len(set(ids)) == len(ids)
    expect(
        page.locator("#comment-threads > li.comment > .comment__main > .comment__body")
    ).to_have_text(
        ["Which café is this?"] + [f"Thread {n}: looks lovely" for n in range(7, -1, -1)]
    )
    expect(page.locator("#comments-more a")).to_have_count(0)
    page.locator("#comment-threads > li.comment").last.scroll_into_view_if_needed()
    view_screenshot(page, f"comments-loaded-{name}")

    assert page.csp_errors == []


def test_the_note_author_deletes_a_comment_in_place(site, new_page):
    note, thread = busy_note(threads=2, replies=1)
    page = new_page(viewport=PHONE)
    log_in(page, site, username="meimei")
    page.goto(f"{site}{note.get_absolute_url()}")
    expect(page.locator("#comments-heading")).to_have_text("3 comments")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(
        f"#comment-{thread.pk} > .comment__main > .comment__footer .comment__delete-button"
    ).click()

    expect(page.locator(f"#comment-{thread.pk}")).to_have_count(0)
    expect(page.locator("#comment-threads > li.comment")).to_have_count(1)
    expect(page.locator("#comments-heading")).to_have_text("1 comment")
    assert page.csp_errors == []


def test_without_javascript_a_reply_lands_in_view_and_more_comments_is_a_page(
    site, browser, settings
):
    # Given a note with more threads than a page, and a reader whose browser runs no scripts
    settings.FEED_PAGE_SIZE = 5
    note, busy_thread = busy_note(threads=8, replies=5)
    oldest = note.comments.get(body="Thread 0: looks lovely")
    UserFactory(username="xiaoming", display_name="小明")
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, site, username="xiaoming")

    # When the reader replies to a thread from beyond the first page
    page.goto(f"{site}{note.get_absolute_url()}?reply_to={oldest.pk}#comment-form")
    page.fill("#comment-body", "Still there?")
    page.locator("#comment-form button[type=submit]").click()

    # Then the page shows that thread first with the reply, which the address points at
    reply = oldest.replies.get()
    expect(page).to_have_url(re.compile(rf"\?comment={reply.pk}#comment-{reply.pk}$"))
    expect(page.locator("#comment-threads > li.comment").first).to_have_id(f"comment-{oldest.pk}")
    expect(page.locator(f"#comment-{reply.pk}")).to_be_in_viewport()
    view_screenshot(page, "comments-nojs-reply-phone")

    # And "More comments" is a page of the next threads, without the one shown first
    page.locator("#comments-more a").click()
    bodies = page.locator("#comment-threads > li.comment > .comment__main > .comment__body")
    expect(bodies).to_have_text([f"Thread {n}: looks lovely" for n in (2, 1)])

    # And "Show more replies" is a page of the thread
    page.goto(f"{site}{note.get_absolute_url()}")
    page.locator(f"#more-replies-{busy_thread.pk} a").click()
    expect(page.locator("h1")).to_have_text(f"Replies to {busy_thread.author.name}")
    expect(page.locator(f"#replies-{busy_thread.pk} .comment__body")).to_have_text(
        ["Reply 3", "Reply 4"]
    )
    view_screenshot(page, "comments-nojs-thread-phone")
    context.close()
