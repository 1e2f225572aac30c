"""Discover: the reader's interests first, a share of exploration, nothing seen within a week,
at most two notes per author per page, never one's own; "not interested"; the signed-out list
shared for a few minutes; pages cut from one ranking, bound to their reader."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from community import selectors as community_selectors
from community.selectors import DISCOVER_ANONYMOUS_KEY, feed_discover
from notes.models import NoteTraffic, ReaderInterest
from notes.seen import seen_store
from notes.services import discovery_refresh
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


def tagged(tag: str, **fields):
    note = NoteFactory(images=0, **fields)
    note.tags.add(tag)
    return note


def likes(reader, **weights: float) -> None:
    ReaderInterest.objects.create(reader=reader, weights=weights, updated_at=timezone.now())


def ids(page) -> list[int]:
    return [note.pk for note in page.items]


def shown_ids(response) -> list[int]:
    return ids(response.context["page"])


# --- Whom a signed-in reader is shown


def test_notes_of_the_readers_interests_come_first(user):
    # given
    likes(user, tea=3.0)
    coffee = tagged("coffee", ces=80)
    tea = tagged("tea", ces=2)
    discovery_refresh()
    # when
    page = feed_discover(actor=user, cursor=None, size=2)
    # then
    assert ids(page) == [tea.pk, coffee.pk]


def test_every_fifth_card_explores_fresh_notes_outside_the_readers_interests(user, settings):
    # given
    settings.DISCOVER_EXPLORATION_SHARE = 0.2
    likes(user, tea=3.0)
    teas = [tagged("tea", ces=50 - index) for index in range(8)]
    newcomers = {tagged("hiking").pk, tagged("ceramics").pk}
    discovery_refresh()
    # when
    page = feed_discover(actor=user, cursor=None, size=10)
    # then
    shown = ids(page)
    assert {shown[4], shown[9]} == newcomers
    assert [pk for pk in shown if pk not in newcomers] == [note.pk for note in teas]


def test_a_zero_follower_accounts_new_note_reaches_readers_through_exploration(user):
    # given: the reader cares for tea, the newcomer writes about hiking and has no followers
    likes(user, tea=3.0)
    for index in range(6):
        tagged("tea", ces=40 - index)
    newcomer = tagged("hiking", author=UserFactory(followers_count=0))
    discovery_refresh()
    # when
    page = feed_discover(actor=user, cursor=None, size=6)
    # then
    assert newcomer.pk in ids(page)


def test_notes_of_tags_the_reader_turned_away_from_are_left_out(user):
    # given
    likes(user, tea=3.0, durian=-3.0)
    tea = tagged("tea")
    tagged("durian")
    discovery_refresh()
    # when
    page = feed_discover(actor=user, cursor=None, size=10)
    # then
    assert ids(page) == [tea.pk]


def test_a_reader_without_interests_gets_the_best_notes(user):
    # given
    low, high = NoteFactory(images=0, ces=1), NoteFactory(images=0, ces=60)
    discovery_refresh()
    # when
    page = feed_discover(actor=user, cursor=None, size=10)
    # then
    assert ids(page) == [high.pk, low.pk]


def test_the_readers_own_notes_are_never_shown(user):
    # given
    likes(user, tea=3.0)
    tagged("tea", author=user)
    theirs = tagged("tea")
    discovery_refresh()
    # when
    page = feed_discover(actor=user, cursor=None, size=10)
    # then
    assert ids(page) == [theirs.pk]


def test_a_note_shown_within_the_last_week_is_not_shown_again(user_client):
    # given
    notes = [NoteFactory(images=0) for _ in range(3)]
    discovery_refresh()
    first = user_client.get(reverse("community:home"))
    # when
    second = user_client.get(reverse("community:home"))
    # then
    assert sorted(shown_ids(first)) == sorted(note.pk for note in notes)
    assert shown_ids(second) == []


@pytest.fixture
def rankings(monkeypatch) -> list[int]:
    """The readers ranked from the candidate lists, one entry per ranking made."""
    made: list[int] = []
    rank = community_selectors._ranked_lists

    def counted(**arguments):
        made.append(arguments["reader_id"])
        return rank(**arguments)

    monkeypatch.setattr(community_selectors, "_ranked_lists", counted)
    return made


def test_a_reader_back_on_discover_within_a_build_is_not_ranked_again(user, rankings):
    # given
    likes(user, tea=3.0)
    teas = [tagged("tea", ces=10 - index) for index in range(3)]
    discovery_refresh()
    # when
    first = feed_discover(actor=user, cursor=None, size=10)
    again = feed_discover(actor=user, cursor=None, size=10)
    # then
    assert ids(first) == ids(again) == [note.pk for note in teas]
    assert rankings == [user.pk]


def test_new_interests_or_a_new_build_rank_the_reader_afresh(user, rankings):
    # given
    likes(user, tea=3.0)
    tea, coffee = tagged("tea", ces=10), tagged("coffee", ces=5)
    discovery_refresh()
    feed_discover(actor=user, cursor=None, size=10)
    # when: their interests change, then the candidates are built again
    ReaderInterest.objects.filter(reader=user).update(weights={"coffee": 3.0})
    turned = feed_discover(actor=user, cursor=None, size=10)
    discovery_refresh()
    feed_discover(actor=user, cursor=None, size=10)
    # then
    assert ids(turned) == [coffee.pk, tea.pk]
    assert rankings == [user.pk] * 3


def test_a_reader_who_has_seen_everything_is_told_so(user_client):
    # given
    NoteFactory(images=0)
    user_client.get(reverse("community:home"))
    # when
    response = user_client.get(reverse("community:home"))
    # then
    assert "You are all caught up" in response.content.decode()


def test_a_note_shown_more_than_a_week_ago_may_come_back(user, settings):
    # given
    settings.DISCOVER_SEEN_DAYS = 7
    note = NoteFactory(images=0)
    discovery_refresh()
    seen_store().add(f"u{user.pk}", [note.pk], now=timezone.now() - timedelta(days=8))
    # when
    page = feed_discover(actor=user, cursor=None, size=10)
    # then
    assert ids(page) == [note.pk]


def test_a_page_shows_at_most_two_notes_of_one_author(user):
    # given
    prolific = UserFactory()
    for score in range(5):
        NoteFactory(images=0, author=prolific, ces=90 + score)
    others = [NoteFactory(images=0, ces=10) for _ in range(3)]
    discovery_refresh()
    # when
    page = feed_discover(actor=user, cursor=None, size=5)
    # then
    authors = [note.author_id for note in page.items]
    assert authors.count(prolific.pk) == 2
    assert {note.pk for note in others} <= set(ids(page))


def settle(*notes) -> None:
    NoteTraffic.objects.filter(note__in=notes).update(state=NoteTraffic.State.SETTLED)


def test_a_settled_note_comes_only_after_every_offered_note(user):
    # given: the settled note is by far the more engaging
    settled = NoteFactory(images=0, ces=500)
    offered = NoteFactory(images=0, ces=1)
    discovery_refresh()
    settle(settled)
    discovery_refresh()
    # when
    page = feed_discover(actor=user, cursor=None, size=10)
    # then
    assert ids(page) == [offered.pk, settled.pk]


def test_a_reader_who_has_seen_every_offered_note_reads_the_long_tail_theirs_first(
    user_client, user
):
    # given: every offered note seen; settled notes of the reader's tea, of coffee, of durian
    likes(user, tea=3.0, durian=-3.0)
    seen = [tagged("tea") for _ in range(2)]
    coffee = tagged("coffee", ces=90)
    tea = tagged("tea", ces=30)
    durian = tagged("durian", ces=99)
    discovery_refresh()
    settle(coffee, tea, durian)
    discovery_refresh()
    seen_store().add(f"u{user.pk}", [note.pk for note in seen], now=timezone.now())
    # when
    response = user_client.get(reverse("community:home"))
    # then: not "all caught up", and never the tag they turned away from
    assert shown_ids(response) == [tea.pk, coffee.pk]


def test_the_long_tail_follows_the_offered_notes_on_the_same_page(user):
    # given
    likes(user, tea=3.0)
    offered = [tagged("tea", ces=5 - index) for index in range(2)]
    settled = tagged("tea", ces=400)
    discovery_refresh()
    settle(settled)
    discovery_refresh()
    # when
    page = feed_discover(actor=user, cursor=None, size=10)
    # then
    assert ids(page) == [note.pk for note in offered] + [settled.pk]


def test_a_note_staff_hold_never_reaches_the_long_tail(user):
    # given
    held = NoteFactory(images=0, ces=500)
    discovery_refresh()
    NoteTraffic.objects.filter(note=held).update(state=NoteTraffic.State.HELD)
    discovery_refresh()
    # when
    page = feed_discover(actor=user, cursor=None, size=10)
    # then
    assert ids(page) == []


# --- Pages of one ranking


def test_pages_never_repeat_a_note(user_client):
    # given
    notes = [NoteFactory(images=0, ces=score) for score in range(7)]
    discovery_refresh()
    # when
    served, query = [], {"size": 2}
    while True:
        response = user_client.get(reverse("community:home"), query)
        served += shown_ids(response)
        if not response.context["page"].has_next:
            break
        query = {"size": 2, "cursor": response.context["page"].next_cursor}
    # then
    assert sorted(served) == sorted(note.pk for note in notes)


def test_a_cursor_made_for_another_reader_shows_the_first_page(user_client, other_user):
    # given
    NoteFactory.create_batch(3, images=0)
    discovery_refresh()
    theirs = feed_discover(actor=other_user, cursor=None, size=1).next_cursor
    # when
    response = user_client.get(reverse("community:home"), {"cursor": theirs, "size": 1})
    # then
    assert response.status_code == 302
    assert response.url == "/?size=1"


def test_the_api_refuses_a_cursor_made_for_another_reader(api, other_user):
    # given
    NoteFactory.create_batch(3, images=0)
    discovery_refresh()
    theirs = feed_discover(actor=other_user, cursor=None, size=1).next_cursor
    # when
    response = api.get("/api/v1/feeds/discover/", {"cursor": theirs})
    # then
    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_when_a_visits_ranking_has_expired_the_next_page_repeats_nothing(user_client):
    # given
    notes = NoteFactory.create_batch(4, images=0)
    discovery_refresh()
    first = user_client.get(reverse("community:home"), {"size": 2})
    cursor = first.context["page"].next_cursor
    cache.clear()  # the cached ranking has expired (and the candidate lists are rebuilt)
    # when
    second = user_client.get(reverse("community:home"), {"size": 2, "cursor": cursor})
    # then
    assert set(shown_ids(first)).isdisjoint(shown_ids(second))
    assert sorted(shown_ids(first) + shown_ids(second)) == sorted(note.pk for note in notes)


def test_the_next_page_costs_no_ranking(user_client, settings, django_assert_num_queries):
    # given
    settings.DISCOVER_SEEN_STORE = "database"
    NoteFactory.create_batch(6, images=0)
    discovery_refresh()
    first = user_client.get(reverse("community:home"), {"size": 3})
    # when / then: session, reader, notes, covers, which were seen already, the seen set and
    # the daily counts written, likes
    with django_assert_num_queries(8):
        second = user_client.get(
            reverse("community:home"), {"size": 3, "cursor": first.context["page"].next_cursor}
        )
    assert len(shown_ids(second)) == 3


# --- Signed-out readers


def test_signed_out_readers_share_one_ranking_for_a_few_minutes(client):
    # given
    first_note = NoteFactory(images=0)
    client.get(reverse("community:home"))
    second_note = NoteFactory(images=0)
    discovery_refresh()
    # when
    meanwhile = client.get(reverse("community:home"))  # the shared page of the shared list
    cache.delete(DISCOVER_ANONYMOUS_KEY)  # the few minutes are over
    later = client.get(reverse("community:home"))
    # then
    assert first_note.get_absolute_url().encode() in meanwhile.content
    assert second_note.get_absolute_url().encode() not in meanwhile.content
    assert len(shown_ids(later)) == 2


def test_signed_out_readers_get_the_best_recent_notes_first(client):
    # given
    week_old = NoteFactory(images=0, ces=90, published_at=timezone.now() - timedelta(days=9))
    fresh = NoteFactory(images=0, ces=3)
    # when
    response = client.get(reverse("community:home"))
    # then
    assert shown_ids(response) == [fresh.pk, week_old.pk]


def test_signed_out_readers_see_topics_in_turn(client):
    # given
    teas = [tagged("tea", ces=60 - index) for index in range(3)]
    coffee = tagged("coffee", ces=5)
    # when
    response = client.get(reverse("community:home"))
    # then
    assert shown_ids(response) == [teas[0].pk, coffee.pk, teas[1].pk, teas[2].pk]


def test_signed_out_cards_offer_no_not_interested(client):
    # given
    NoteFactory(images=0)
    # when
    response = client.get(reverse("community:home"))
    # then
    assert b"card__dismiss" not in response.content


# --- Not interested


def test_a_signed_in_readers_cards_offer_not_interested(user_client):
    # given
    note = NoteFactory(images=0)
    # when
    response = user_client.get(reverse("community:home"))
    # then
    url = reverse("community:not_interested", args=[note.pk])
    assert f'hx-post="{url}"'.encode() in response.content
    assert f'action="{url}"'.encode() in response.content


def test_not_interested_with_htmx_takes_the_card_away_and_lowers_its_tags(user_client, user):
    # given
    note = tagged("durian")
    # when
    response = user_client.post(
        reverse("community:not_interested", args=[note.pk]),
        {"next": "/"},
        headers={"HX-Request": "true"},
    )
    # then
    interests = ReaderInterest.objects.get(reader=user)
    assert (response.status_code, response.content) == (200, b"")
    assert interests.weights == {"durian": -3.0}
    assert interests.hidden_note_ids == [note.pk]


def test_not_interested_without_javascript_returns_to_discover_with_a_word(user_client):
    # given
    note = tagged("durian")
    # when
    response = user_client.post(
        reverse("community:not_interested", args=[note.pk]), {"next": "/?size=5"}, follow=True
    )
    # then
    assert response.redirect_chain == [("/?size=5", 302)]
    assert "Got it: you will see fewer notes like that one." in response.content.decode()


def test_a_note_marked_not_interested_never_comes_back(user_client, user, settings):
    # given
    note = NoteFactory(images=0)
    user_client.post(reverse("community:not_interested", args=[note.pk]))
    discovery_refresh()
    seen_store().add(f"u{user.pk}", [note.pk], now=timezone.now() - timedelta(days=30))
    # when
    page = feed_discover(actor=user, cursor=None, size=10)
    # then
    assert ids(page) == []


def test_marking_a_note_twice_answers_200_the_second_time(api):
    # given
    note = NoteFactory(images=0)
    url = f"/api/v1/feeds/discover/notes/{note.pk}/not-interested/"
    # when
    first, second = api.post(url), api.post(url)
    # then
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == {"not_interested": True}


def test_next_page_link_is_bound_to_its_reader(user_client, other_user):
    # given
    NoteFactory.create_batch(3, images=0)
    first = user_client.get(reverse("community:home"), {"size": 1})
    cursor = parse_qs(urlparse("?" + first.context["next_query"]).query)["cursor"][0]
    user_client.force_login(other_user)
    # when
    response = user_client.get(reverse("community:home"), {"size": 1, "cursor": cursor})
    # then
    assert response.status_code == 302
