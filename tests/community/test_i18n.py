"""Pages speak the reader's language: Simplified Chinese or English, chosen from the browser."""

import gettext
import re

import pytest

pytestmark = pytest.mark.django_db


def test_browser_preferring_chinese_gets_the_chinese_page(client):
    response = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"})

    content = response.content.decode()
    assert '<html lang="zh-hans">' in content
    assert "发现" in content
    assert "附近" in content


def test_browser_preferring_english_gets_the_english_page(client):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})

    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Discover" in content
    assert "Nearby" in content


def test_follow_button_and_following_tab_read_differently_in_chinese(client, user, other_user):
    client.force_login(user)
    client.post(f"/accounts/{other_user.username}/follow/")

    response = client.get(f"/u/{other_user.username}/", headers={"accept-language": "zh-CN"})

    content = response.content.decode()
    assert "已关注" in content  # the button: you follow this account
    assert "关注</span>" in content  # the counter label: accounts this one follows


def catalogue_entries(po_text: str) -> list[str]:
    """The live entries of a .po file: obsolete ones (#~) are never compiled."""
    return [
        entry
        for entry in po_text.split("\n\n")[1:]
        if "\nmsgid " in f"\n{entry}" and not entry.lstrip().startswith("#~")
    ]


def test_every_chinese_entry_is_translated_and_none_is_fuzzy(settings):
    po_text = (settings.BASE_DIR / "locale/zh_Hans/LC_MESSAGES/django.po").read_text()

    untranslated = [
        entry
        for entry in catalogue_entries(po_text)
        if re.search(r'msgstr(\[0\])? ""$', entry.strip()) or "#, fuzzy" in entry
    ]

    assert untranslated == []


def test_compiled_chinese_catalogue_matches_its_source(settings):
    folder = settings.BASE_DIR / "locale/zh_Hans/LC_MESSAGES"
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    po_text = (folder / "django.po").read_text()

    compiled_count = len([key for key in catalogue._catalog if key != ""])  # noqa: SLF001
    assert compiled_count == len(catalogue_entries(po_text))
