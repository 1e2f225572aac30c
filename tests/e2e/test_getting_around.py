"""Getting in and getting around on a phone, in a real Chromium: the header, the account menu, and
tap targets big enough for a finger."""

import re

import pytest
from playwright.sync_api import expect

from notes import services
from tests.e2e.conftest import PHONE
from tests.factories import PASSWORD, NoteFactory, UserFactory, image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

# Every interactive element that is shown, with the box a finger can hit: its own, or its label's
# (a visually hidden file input is hit through its label, a checkbox through the text beside it).
# Links inside running text are exempt (WCAG 2.5.8's inline exception).
TAP_OFFENDERS = """([minimum, primaryMinimum, primarySelector]) => {
  const TARGETS = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[tabindex]:not([tabindex="-1"])';
  const shown = (rect) => rect.width >= 2 && rect.height >= 2 && rect.right > 0
    && rect.left < document.documentElement.clientWidth;
  const inRunningText = (element) => element.tagName === "A"
    && getComputedStyle(element).display === "inline"
    && [...element.parentElement.childNodes].some(
      (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
  const describe = (element) => {
    const classes = [...element.classList].slice(0, 2).map((name) => "." + name).join("");
    const text = (element.getAttribute("aria-label") || element.textContent || element.name || "")
      .trim().replace(/\\s+/g, " ").slice(0, 30);
    return `${element.tagName.toLowerCase()}${classes} "${text}"`;
  };
  const offenders = [];
  for (const element of document.querySelectorAll(TARGETS)) {
    if (getComputedStyle(element).visibility === "hidden" || inRunningText(element)) continue;
    const hits = [element, ...(element.labels || [])]
      .map((target) => ({ target, rect: target.getBoundingClientRect() }))
      .filter((hit) => shown(hit.rect));
    if (!hits.length) continue;
    const needed = element.matches(primarySelector) ? primaryMinimum : minimum;
    const fits = (hit) => hit.rect.width >= needed - 0.5 && hit.rect.height >= needed - 0.5;
    if (hits.some(fits)) continue;
    const { target, rect } = hits[0];
    offenders.push(`${describe(target)} ${Math.round(rect.width)}×${Math.round(rect.height)}`
      + ` (needs ${needed}×${needed})`);
  }
  return offenders;
}"""
# The bottom nav, like / save / comment / repost on a note, the publish button, the account menu.
PRIMARY_ACTIONS = (
    ".tabbar__item, .note-action__button, .note-editor__publish, .account-menu__toggle"
)


def log_in(page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".account-menu__toggle")).to_be_visible()


def tap_offenders(page) -> list[str]:
    return page.evaluate(TAP_OFFENDERS, [24, 44, PRIMARY_ACTIONS])


def test_a_visitor_on_a_phone_finds_log_in_and_sign_up_in_the_header(site, new_page, screenshot):
    page = new_page(viewport=PHONE, locale="zh-CN")

    page.goto(f"{site}/")

    header = page.locator("header.topbar")
    expect(header.locator("a[href^='/accounts/login/']")).to_be_visible()
    expect(header.locator("a[href='/accounts/signup/']")).to_be_visible()
    expect(header.locator(".brand")).to_have_text("红薯")  # the logo once, not "红薯 红薯"
    screenshot(page, "getting-around-visitor-phone")
    assert page.csp_errors == []


def test_the_account_menu_opens_from_the_avatar_and_logs_out(site, new_page, screenshot):
    UserFactory(username="xiaohong", display_name="小红")
    page = new_page(viewport=PHONE, locale="zh-CN")
    log_in(page, site, "xiaohong")
    menu = page.locator(".account-menu__panel")

    page.locator(".account-menu__toggle").click()

    expect(menu).to_be_visible()
    expect(menu.locator("a[href='/u/xiaohong/']")).to_be_visible()
    expect(menu.locator("a[href='/accounts/settings/']")).to_be_visible()
    expect(menu.locator("button[name=language]")).to_have_count(2)
    expect(menu.locator("form[action='/accounts/logout/'][method=post] button")).to_be_visible()
    screenshot(page, "getting-around-account-menu-phone")

    menu.locator("button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator(".account-menu__toggle").click()
    page.locator(".account-menu__panel form[action='/accounts/logout/'] button").click()

    expect(page.locator("header.topbar a[href^='/accounts/login/']")).to_be_visible()
    expect(page.locator(".account-menu__toggle .avatar")).to_have_count(0)
    page.goto(f"{site}/accounts/settings/")
    expect(page).to_have_url(f"{site}/accounts/login/?next=/accounts/settings/")
    assert page.csp_errors == []


def test_the_account_menu_closes_on_a_tap_elsewhere_and_on_escape(site, new_page):
    UserFactory(username="xiaohong", display_name="小红")
    page = new_page(viewport=PHONE)
    log_in(page, site, "xiaohong")
    toggle = page.locator(".account-menu__toggle")
    menu = page.locator(".account-menu__panel")

    toggle.click()
    page.mouse.click(20, 400)
    expect(menu).to_be_hidden()

    toggle.focus()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_be_focused()


def test_the_account_menu_works_without_javascript(site, browser):
    UserFactory(username="xiaohong", display_name="小红")
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site}/accounts/login/")
        page.fill("input[name=username]", "xiaohong")
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()

        page.locator(".account-menu__toggle").click()
        page.locator(".account-menu__panel form[action='/accounts/logout/'] button").click()

        expect(page.locator("header.topbar a[href='/accounts/signup/']")).to_be_visible()
    finally:
        context.close()


def test_every_tap_target_on_a_phone_is_big_enough(site, new_page, screenshot, tmp_path):
    reader = UserFactory(username="xiaohong", display_name="小红")
    author = UserFactory(username="meimei", display_name="美美")
    note = NoteFactory(author=author, title="周末去哪儿", body="湖边喝茶 #喝茶", images=3)
    NoteFactory.create_batch(4, author=author)
    NoteFactory(author=reader, title="我的第一篇笔记")
    comment = services.comment_create(author=reader, note_id=note.pk, body="好美！")
    services.comment_create(author=author, note_id=note.pk, body="谢谢～", parent_id=comment.pk)
    photos = []
    for index in range(2):
        photo = tmp_path / f"photo-{index}.png"
        photo.write_bytes(image_bytes(image_format="PNG", size=(300, 400)))
        photos.append(str(photo))
    page = new_page(viewport=PHONE, locale="zh-CN")
    log_in(page, site, "xiaohong")
    offenders = {}

    page.goto(f"{site}/")
    page.locator(".account-menu__toggle").click()
    offenders["home"] = tap_offenders(page)
    screenshot(page, "getting-around-home-phone")
    for name, path in [
        ("note", note.get_absolute_url()),
        ("profile", "/u/xiaohong/"),
        ("settings", "/accounts/settings/"),
    ]:
        page.goto(f"{site}{path}")
        offenders[name] = tap_offenders(page)
        screenshot(page, f"getting-around-{name}-phone")
    page.goto(f"{site}/notes/new/")
    page.set_input_files("input[name=images]", photos)
    expect(page.locator(".photo-picker__item")).to_have_count(2)
    offenders["publish"] = tap_offenders(page)
    screenshot(page, "getting-around-publish-phone")

    too_small = [f"{name}: {offender}" for name, found in offenders.items() for offender in found]
    assert too_small == [], "Tap targets too small on a phone:\n" + "\n".join(too_small)
    assert page.csp_errors == []


def test_use_my_location_fills_the_coordinates_on_nearby_and_on_the_publish_form(site, browser):
    UserFactory(username="xiaohong", display_name="小红")
    context = browser.new_context(
        viewport=PHONE,
        geolocation={"latitude": 31.230416, "longitude": 121.473701},
        permissions=["geolocation"],
    )
    page = context.new_page()
    try:
        page.goto(f"{site}/nearby/")
        page.locator("[data-locate]").click()
        expect(page).to_have_url(
            re.compile(r"/nearby/\?city=&radius=\d+&lat=31\.230&lng=121\.474$")
        )

        log_in(page, site, "xiaohong")
        page.goto(f"{site}/notes/new/")
        page.locator("[data-locate]").click()
        expect(page.locator("input[name=latitude]")).to_have_value("31.23042")
        expect(page.locator("input[name=longitude]")).to_have_value("121.47370")
    finally:
        context.close()
