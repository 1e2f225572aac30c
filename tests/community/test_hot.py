"""The hot list's page, the strip atop Discover, the API and the staff screens."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from community.selectors import hot_list_ensure
from core.locks import job_lock
from notes.models import HotListEntry, HotTopicRule
from notes.services import hot_list_refresh, note_like
from notes.services.hot import HOT_LIST_CACHE_KEY, HOT_LIST_FRESH_KEY
from notes.tasks import HOT_LIST_LOCK, hot_list_refresh_task
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trending(settings):
    """matcha (and its note) on the hot list."""
    settings.HOT_LIST_MIN_ENGAGEMENT = 5
    note = NoteFactory(images=0, title="Matcha latte")
    note.tags.add("matcha")
    for _ in range(10):
        note_like(actor=UserFactory(), note_id=note.pk)
    hot_list_refresh()
    return note


def test_the_hot_page_ranks_topics_and_notes_with_their_movement(client, trending):
    # when
    response = client.get(reverse("community:hot"))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("notes:tag", args=["matcha"]) in html
    assert "Matcha latte" in html
    assert html.count('class="hot-move hot-move--new"') == 2


def test_the_hot_page_costs_one_query_then_none(client, trending, django_assert_num_queries):
    # given
    client.get(reverse("community:hot"))
    # when / then: the cached list
    with django_assert_num_queries(0):
        client.get(reverse("community:hot"))


PANELS = "community/partials/hot_panels.html"


def test_the_hot_panels_are_rendered_once_for_every_reader(client, trending):
    # given
    first = client.get(reverse("community:hot"))
    client.force_login(UserFactory())
    # when
    again = client.get(reverse("community:hot"))
    # then: the same panels, not rendered again
    assert PANELS in [t.name for t in first.templates]
    assert PANELS not in [t.name for t in again.templates]
    assert 'class="hot"' in again.content.decode()
    assert "Matcha latte" in again.content.decode()


def test_a_new_refresh_of_the_hot_list_shows_at_once(client, trending):
    # given
    client.get(reverse("community:hot"))
    rising = NoteFactory(images=0, title="Oolong cold brew")
    for _ in range(30):
        note_like(actor=UserFactory(), note_id=rising.pk)
    # when
    hot_list_refresh()
    html = client.get(reverse("community:hot")).content.decode()
    # then
    assert "Oolong cold brew" in html


def test_each_language_gets_its_own_hot_panels(client, trending):
    # when
    english = client.get(reverse("community:hot"), headers={"Accept-Language": "en"})
    chinese = client.get(reverse("community:hot"), headers={"Accept-Language": "zh-hans"})
    # then
    assert "Topics" in english.content.decode()
    assert "话题" in chinese.content.decode()


def test_discover_fetches_the_strip_and_links_the_page_without_javascript(client):
    # when
    response = client.get(reverse("community:home"))
    # then
    html = response.content.decode()
    assert f'hx-get="{reverse("community:hot_strip")}"' in html
    assert f'href="{reverse("community:hot")}"' in html


def test_the_strip_shows_the_first_topics(client, trending):
    # when
    response = client.get(reverse("community:hot_strip"), headers={"HX-Request": "true"})
    # then
    assert b"#matcha" in response.content
    assert b"<html" not in response.content


def test_a_note_taken_off_the_site_leaves_the_hot_list_at_once(client, trending):
    # given
    trending.status = "removed"
    trending.save(update_fields=["status"])
    cache.delete(HOT_LIST_CACHE_KEY)  # the cache lives a refresh at most
    # when
    response = client.get(reverse("community:hot"))
    # then
    assert "Matcha latte" not in response.content.decode()


def test_the_api_lists_topics_and_notes(anonymous, trending):
    # when
    response = anonymous.get("/api/v1/hot/")
    # then
    body = response.json()
    assert body["topics"] == [
        {
            "rank": 1,
            "previous_rank": None,
            "movement": "new",
            "is_pinned": False,
            "topic": {"slug": "matcha", "name": "matcha"},
        }
    ]
    assert [(note["rank"], note["note_id"]) for note in body["notes"]] == [(1, trending.pk)]


def test_staff_ban_a_topic_in_the_admin_through_the_service(admin_client, admin_user, trending):
    # given
    tag = trending.tags.get()
    # when
    response = admin_client.post(
        reverse("admin:notes_hottopicrule_add"), {"tag": tag.pk, "action": "ban"}
    )
    hot_list_refresh()
    # then
    rule = HotTopicRule.objects.get()
    assert response.status_code == 302
    assert (rule.tag, rule.action, rule.staff) == (tag, "ban", admin_user)
    page = admin_client.get(reverse("community:hot")).content.decode()
    assert "#matcha" not in page


def test_the_task_skips_while_another_run_holds_the_lock():
    with job_lock(HOT_LIST_LOCK, timeout=60):
        assert hot_list_refresh_task.apply().get() is None


def liked_note(title: str, tag: str, likes: int = 10):
    note = NoteFactory(images=0, title=title)
    note.tags.add(tag)
    for _ in range(likes):
        note_like(actor=UserFactory(), note_id=note.pk)
    return note


def test_with_no_beat_running_the_first_reader_computes_the_hot_list(client, settings):
    settings.HOT_LIST_MIN_ENGAGEMENT = 5
    liked_note("Matcha latte", "matcha")
    cache.clear()  # no refresh has ever run

    html = client.get(reverse("community:hot")).content.decode()

    assert "Matcha latte" in html
    assert reverse("notes:tag", args=["matcha"]) in html


def test_a_hot_list_refreshed_lately_is_read_as_it_is(client, trending):
    liked_note("Hojicha", "hojicha")
    cache.delete(HOT_LIST_CACHE_KEY)

    html = client.get(reverse("community:hot")).content.decode()

    assert "Matcha latte" in html
    assert "Hojicha" not in html  # waits for the next refresh


def test_a_hot_list_no_refresh_has_touched_for_half_an_hour_is_refreshed(trending):
    liked_note("Hojicha", "hojicha")
    cache.delete(HOT_LIST_FRESH_KEY)  # what HOT_LIST_STALE_MINUTES without a refresh leaves

    hot_list_ensure()

    titles = HotListEntry.objects.filter(kind="note").values_list("note__title", flat=True)
    assert "Hojicha" in set(titles)
