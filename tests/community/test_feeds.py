"""Home feeds: Discover, Following, pagination, htmx fragments and their constant query cost."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test.html import Element, parse_html
from django.urls import reverse
from django.utils import timezone

from notes.models import Note
from notes.services import discovery_refresh, note_like
from tests.factories import NoteFactory, UserFactory
from users.services import user_follow

pytestmark = pytest.mark.django_db


def shown_ids(response) -> list[int]:
    return [note.pk for note in response.context["page"].items]


def find(element: Element, **attributes: str) -> Element | None:
    """The first element (depth first) carrying all `attributes`, e.g. id="waterfall"."""
    if dict(element.attributes).items() >= attributes.items():
        return element
    for child in element.children:
        if isinstance(child, Element) and (found := find(child, **attributes)):
            return found
    return None


def test_discover_works_for_anonymous_readers(client):
    # given
    note = NoteFactory()
    # when
    response = client.get(reverse("community:home"))
    # then
    assert response.status_code == 200
    assert shown_ids(response) == [note.pk]
    assert response.context["nav"] == "home"
    assert note.get_absolute_url().encode() in response.content


def test_discover_orders_by_engagement_then_newest_id(client):
    # given
    low = NoteFactory(ces=1)
    high = NoteFactory(ces=50)
    tied_older = NoteFactory(ces=10)
    tied_newer = NoteFactory(ces=10)
    # when
    response = client.get(reverse("community:home"))
    # then
    assert shown_ids(response) == [high.pk, tied_newer.pk, tied_older.pk, low.pk]


def test_discover_hides_drafts_removed_and_under_review_notes(client):
    # given
    published = NoteFactory()
    NoteFactory(status=Note.Status.DRAFT, published_at=None)
    NoteFactory(status=Note.Status.REMOVED)
    NoteFactory(status=Note.Status.UNDER_REVIEW)
    # when
    response = client.get(reverse("community:home"))
    # then
    assert shown_ids(response) == [published.pk]


def test_discover_leaves_out_the_readers_own_notes(user_client, user):
    # given
    NoteFactory(author=user)
    someone_elses = NoteFactory()
    # when
    response = user_client.get(reverse("community:home"))
    # then
    assert shown_ids(response) == [someone_elses.pk]


def test_second_page_continues_without_repeats(client):
    # given
    notes = [NoteFactory(ces=score, images=0) for score in range(5)]
    expected = [note.pk for note in reversed(notes)]
    # when
    first = client.get(reverse("community:home"), {"size": 3})
    second = client.get(
        reverse("community:home"), {"size": 3, "cursor": first.context["page"].next_cursor}
    )
    # then
    assert shown_ids(first) == expected[:3]
    assert shown_ids(second) == expected[3:]
    assert second.context["page"].has_next is False


def test_next_page_link_keeps_the_page_size(client):
    # given
    NoteFactory.create_batch(3, images=0)
    # when
    response = client.get(reverse("community:home"), {"size": 2})
    # then
    query = urlencode({"size": 2, "cursor": response.context["page"].next_cursor})
    assert response.context["next_query"] == query
    link = find(parse_html(response.content.decode()), **{"class": "waterfall-more__link"})
    assert link.attributes == [("class", "waterfall-more__link"), ("href", f"?{query}")]


def test_next_page_link_and_sentinel_sit_below_the_cards_not_among_them(client):
    # given
    NoteFactory.create_batch(3, images=0)
    # when
    response = client.get(reverse("community:home"), {"size": 2})
    # then
    page = parse_html(response.content.decode())
    waterfall = find(page, id="waterfall")
    assert [child.name for child in waterfall.children] == ["article", "article"]
    footer = find(page, id="waterfall-more")
    assert find(footer, **{"class": "waterfall-more__link"}) is not None
    assert find(footer, **{"hx-trigger": "intersect once"}) is not None


def test_sentinel_fetches_the_next_page_once_into_the_waterfall(client):
    # given
    NoteFactory.create_batch(3, images=0)
    # when
    response = client.get(reverse("community:home"), {"size": 2})
    # then
    query = urlencode({"size": 2, "cursor": response.context["page"].next_cursor})
    sentinel = find(parse_html(response.content.decode()), **{"hx-trigger": "intersect once"})
    assert dict(sentinel.attributes) == {
        "class": "waterfall-more__sentinel",
        "hx-get": f"?{query}",
        "hx-trigger": "intersect once",
        "hx-target": "#waterfall",
        "hx-swap": "beforeend",
        "hx-indicator": "#waterfall-more",
        "aria-hidden": "true",
    }


def test_last_page_ends_with_an_end_message_instead_of_a_link(client):
    # given
    NoteFactory.create_batch(2, images=0)
    # when
    response = client.get(reverse("community:home"), {"size": 2})
    # then
    footer = find(parse_html(response.content.decode()), id="waterfall-more")
    assert find(footer, **{"class": "waterfall-more__end"}) is not None
    assert b"cursor=" not in response.content


@pytest.mark.parametrize("size", ["0", "51", "many"])
def test_page_size_outside_one_to_fifty_falls_back_to_the_default(client, settings, size):
    # given
    settings.FEED_PAGE_SIZE = 2
    NoteFactory.create_batch(3, images=0)
    # when
    response = client.get(reverse("community:home"), {"size": size})
    # then
    assert len(shown_ids(response)) == 2


def test_forged_cursor_shows_the_first_page(client):
    # given
    note = NoteFactory()
    # when
    response = client.get(reverse("community:home"), {"cursor": "not-a-real-cursor"}, follow=True)
    # then
    assert response.redirect_chain == [("/", 302)]
    assert shown_ids(response) == [note.pk]


def test_htmx_request_returns_only_the_cards_fragment(client):
    # given
    NoteFactory.create_batch(3, images=0)
    first = client.get(reverse("community:home"), {"size": 2})
    # when
    response = client.get(
        reverse("community:home"),
        {"size": 2, "cursor": first.context["page"].next_cursor},
        headers={"HX-Request": "true"},
    )
    # then
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert response.content.count(b"<article") == 1
    assert b'id="waterfall"' not in response.content
    assert b"waterfall-more__link" not in response.content


def test_htmx_next_page_replaces_the_footer_out_of_band_with_the_next_sentinel(client):
    # given
    NoteFactory.create_batch(5, images=0)
    first = client.get(reverse("community:home"), {"size": 2})
    # when
    response = client.get(
        reverse("community:home"),
        {"size": 2, "cursor": first.context["page"].next_cursor},
        headers={"HX-Request": "true"},
    )
    # then
    fragment = parse_html(response.content.decode())
    footer = find(fragment, id="waterfall-more")
    assert ("hx-swap-oob", "true") in footer.attributes
    sentinel = find(footer, **{"hx-trigger": "intersect once"})
    query = urlencode({"size": 2, "cursor": response.context["page"].next_cursor})
    assert ("hx-get", f"?{query}") in sentinel.attributes
    assert response.content.count(b"<article") == 2


def test_htmx_last_page_replaces_the_footer_with_the_end_message(client):
    # given
    NoteFactory.create_batch(3, images=0)
    first = client.get(reverse("community:home"), {"size": 2})
    # when
    response = client.get(
        reverse("community:home"),
        {"size": 2, "cursor": first.context["page"].next_cursor},
        headers={"HX-Request": "true"},
    )
    # then
    footer = find(parse_html(response.content.decode()), id="waterfall-more")
    assert ("hx-swap-oob", "true") in footer.attributes
    assert find(footer, **{"class": "waterfall-more__end"}) is not None
    assert find(footer, **{"hx-trigger": "intersect once"}) is None


def test_liked_notes_are_marked_on_their_cards(user_client, user):
    # given
    liked = NoteFactory()
    NoteFactory()
    note_like(actor=user, note_id=liked.pk)
    # when
    response = user_client.get(reverse("community:home"))
    # then
    assert response.context["liked_ids"] == {liked.pk}
    assert response.content.count(b"card__likes is-liked") == 1
    assert response.content.count(b'class="card__like is-active"') == 1


def test_empty_discover_invites_the_reader_to_publish(client):
    # when
    response = client.get(reverse("community:home"))
    # then
    assert b'class="empty"' in response.content
    assert reverse("notes:create").encode() in response.content


@pytest.mark.parametrize(("size", "count"), [(3, 4), (30, 31)])
def test_discover_costs_the_same_queries_whatever_the_page_size(
    user_client, django_assert_max_num_queries, settings, size, count
):
    # given
    settings.DISCOVER_SEEN_STORE = "database"
    NoteFactory.create_batch(count)
    discovery_refresh()
    # when / then: session, reader, interests, seen set, candidate lists, notes, covers, the seen
    # set and the daily counts written, likes
    with django_assert_max_num_queries(10):
        response = user_client.get(reverse("community:home"), {"size": size})
    assert len(shown_ids(response)) == size


# --- The heart on a card


def test_card_heart_likes_in_place_for_a_reader(user_client):
    # given
    note = NoteFactory()
    # when
    response = user_client.get(reverse("community:home"))
    # then
    form = find(parse_html(response.content.decode()), **{"hx-post": f"/notes/{note.pk}/like/"})
    assert ("hx-target", "closest .card__likes") in form.attributes
    assert find(form, name="variant", value="card") is not None
    assert find(form, name="next", value="/") is not None


def test_card_heart_of_a_visitor_is_the_like_form_that_log_in_completes(client):
    # given
    note = NoteFactory()
    # when
    response = client.get(reverse("community:home"), {"size": 5})
    # then
    form = find(parse_html(response.content.decode()), **{"hx-post": f"/notes/{note.pk}/like/"})
    assert find(form, name="next", value="/?size=5") is not None
    assert ("title", "Log in to like") in find(form, **{"class": "card__like"}).attributes


def test_visitor_tapping_a_card_heart_is_asked_to_log_in_then_back_on_the_feed(client):
    # given
    note = NoteFactory()
    # when
    response = client.post(
        reverse("notes:like", args=[note.pk]), {"next": "/?size=5", "variant": "card"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/%3Fsize%3D5"


def test_liking_from_a_card_answers_with_the_card_heart(user_client):
    # given
    note = NoteFactory()
    # when
    response = user_client.post(
        reverse("notes:like", args=[note.pk]),
        {"variant": "card", "next": "/"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/tags/tea/"},
    )
    # then
    heart = parse_html(response.content.decode())
    assert ("class", "card__likes is-liked") in heart.attributes
    assert find(heart, **{"class": "card__like-count"}).children == ["1"]
    assert find(heart, name="next", value="/tags/tea/") is not None
    assert b"note-action" not in response.content


def test_liking_from_a_card_without_javascript_returns_to_the_feed(user_client):
    # given
    note = NoteFactory()
    # when
    response = user_client.post(
        reverse("notes:like", args=[note.pk]), {"variant": "card", "next": "/?size=5"}
    )
    # then
    assert response.status_code == 302
    assert response.url == "/?size=5"
    note.refresh_from_db()
    assert note.likes_count == 1


# --- Following


def test_anonymous_following_tab_shows_a_login_prompt(client):
    # when
    response = client.get(reverse("community:follow"))
    # then
    assert response.status_code == 200
    assert response.context["needs_login"] is True
    assert b"home-invite" in response.content
    assert f"{reverse('users:login')}?next=/follow/".encode() in response.content


def test_following_shows_only_followed_authors_newest_first(user_client, user):
    # given
    followed = UserFactory()
    user_follow(actor=user, followee=followed)
    now = timezone.now()
    older = NoteFactory(author=followed, published_at=now - timedelta(hours=2))
    newer = NoteFactory(author=followed, published_at=now - timedelta(hours=1))
    NoteFactory(author=UserFactory(), published_at=now)
    NoteFactory(author=followed, status=Note.Status.DRAFT, published_at=None)
    # when
    response = user_client.get(reverse("community:follow"))
    # then
    assert shown_ids(response) == [newer.pk, older.pk]
    assert response.context["tab"] == "follow"


def test_empty_following_feed_suggests_discover(user_client):
    # when
    response = user_client.get(reverse("community:follow"))
    # then
    assert shown_ids(response) == []
    assert b'class="empty"' in response.content
    assert f'href="{reverse("community:home")}"'.encode() in response.content


def test_following_second_page_continues_without_repeats(user_client, user):
    # given
    followed = UserFactory()
    user_follow(actor=user, followee=followed)
    now = timezone.now()
    notes = [
        NoteFactory(author=followed, images=0, published_at=now - timedelta(minutes=minutes))
        for minutes in range(5)
    ]
    # when
    first = user_client.get(reverse("community:follow"), {"size": 2})
    second = user_client.get(
        reverse("community:follow"), {"size": 2, "cursor": first.context["page"].next_cursor}
    )
    # then
    assert shown_ids(first) == [notes[0].pk, notes[1].pk]
    assert shown_ids(second) == [notes[2].pk, notes[3].pk]


@pytest.mark.parametrize(("size", "count"), [(3, 4), (30, 31)])
def test_following_costs_the_same_queries_whatever_the_page_size(
    user_client, user, django_assert_max_num_queries, settings, size, count
):
    # given
    settings.DISCOVER_SEEN_STORE = "database"
    followed = UserFactory()
    user_follow(actor=user, followee=followed)
    NoteFactory.create_batch(count, author=followed)
    # when / then: session, reader, the followed accounts, notes, covers, which were seen already,
    # the seen set and the daily counts written, likes
    with django_assert_max_num_queries(9):
        response = user_client.get(reverse("community:follow"), {"size": size})
    assert len(shown_ids(response)) == size
