"""Playwright driving Debian's Chromium against pytest-django's live server.

`playwright install` cannot download browsers here, so the tests launch /usr/bin/chromium.
Where it is missing they skip with the reason (and fail under REQUIRE_SERVICES=1): see
tests/conftest.py.
"""

import os
import shutil
from pathlib import Path

import pytest

# The live server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"needs Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def jobs_at_once():
    """Background jobs run in the server's thread as they are queued, as a worker would at once:
    on PostgreSQL + Redis no worker runs beside the tests, and a published photo must be
    processed (its variants made) before another reader may open the note."""
    from community.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def site(live_server, settings, jobs_at_once):
    """The live server's address, with uploaded media served so pictures show."""
    settings.SERVE_MEDIA = True
    settings.RATELIMIT_ENABLE = False  # several sign-ups from one IP within a test
    return live_server.url


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts (one per person), closed after the test.

    Console messages about the Content-Security-Policy are collected on `page.csp_errors`.
    """
    contexts = []

    def open_page(*, viewport: dict = LAPTOP, locale: str = "en-US"):
        context = browser.new_context(viewport=viewport, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.csp_errors = []
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and page.csp_errors.append(message.text)
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
