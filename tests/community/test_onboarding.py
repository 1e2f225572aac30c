"""Onboarding after sign-up: Discover invites a new reader to pick at least three interests,
then shows creators worth following in them; every step can be skipped."""

import re

import pytest
from django.urls import reverse

from community.selectors import creators_suggested, onboarding_topics
from notes.models import ReaderInterest
from notes.services import discovery_refresh, onboarding_skip
from tests.factories import NoteFactory, UserFactory
from users.services import user_follow

pytestmark = pytest.mark.django_db

TOPICS = ("tea", "hiking", "ceramics")


def tagged(tag: str, **fields):
    note = NoteFactory(images=0, **fields)
    note.tags.add(tag)
    return note


@pytest.fixture
def topics():
    for tag in TOPICS:
        tagged(tag)
    discovery_refresh()


def test_discover_invites_a_new_reader_to_pick_interests(user_client):
    # when
    response = user_client.get(reverse("community:home"))
    # then
    assert response.context["needs_onboarding"] is True
    assert reverse("community:onboarding").encode() in response.content


def test_discover_stops_inviting_once_skipped(user_client, user):
    # given
    onboarding_skip(actor=user)
    # when
    response = user_client.get(reverse("community:home"))
    # then
    assert response.context["needs_onboarding"] is False
    assert b"onboarding-invite" not in response.content


def test_signed_out_readers_are_not_invited(client):
    # when
    response = client.get(reverse("community:home"))
    # then
    assert response.context["needs_onboarding"] is False


def test_the_topics_are_the_tags_with_notes_on_offer(topics):
    # given
    tagged("tea")
    discovery_refresh()
    # when
    shown = [tag.slug for tag in onboarding_topics()]
    # then
    assert shown == ["tea", "ceramics", "hiking"]


def test_picking_three_topics_leads_to_creators_in_them(user_client, user, topics):
    # when
    response = user_client.post(reverse("community:onboarding"), {"interests": list(TOPICS)})
    # then
    assert response.status_code == 302
    assert response.url == (
        reverse("community:onboarding_creators") + "?topic=tea&topic=hiking&topic=ceramics"
    )
    assert sorted(ReaderInterest.objects.get(reader=user).weights) == sorted(TOPICS)


def test_picking_fewer_than_three_says_so_and_keeps_the_picks(user_client, topics):
    # when
    response = user_client.post(reverse("community:onboarding"), {"interests": ["tea"]})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pick at least 3 interests." in html
    assert re.search(r'<input [^>]*value="tea"[^>]*checked>', html)


def test_skipping_goes_straight_to_discover(user_client, user):
    # when
    response = user_client.post(reverse("community:onboarding_skip"))
    # then
    assert (response.status_code, response.url) == (302, reverse("community:home"))
    assert ReaderInterest.objects.get(reader=user).onboarded_at is not None


def test_creators_page_offers_follow_buttons(user_client, topics):
    # given
    creator = tagged("tea", ces=30).author
    # when
    response = user_client.get(reverse("community:onboarding_creators"), {"topic": "tea"})
    # then
    follow = reverse("users:follow", args=[creator.username])
    assert f'action="{follow}"'.encode() in response.content


def test_a_small_creator_readers_love_comes_before_a_big_one_they_pass_by(user):
    # given: the big account's notes were shown 5,000 times for 100 CES, the small one's 40
    # times for 20
    big = UserFactory(followers_count=50_000)
    small = UserFactory(followers_count=0)
    tagged("tea", author=big, ces=100, impressions=5000)
    tagged("tea", author=small, ces=20, impressions=40)
    # when
    creators = creators_suggested(actor=user, tag_slugs=["tea"])
    # then
    assert creators == [small, big]


def test_creators_already_followed_or_oneself_are_not_suggested(user):
    # given
    followed = tagged("tea").author
    user_follow(actor=user, followee=followed)
    tagged("tea", author=user)
    fresh = tagged("tea").author
    # when
    creators = creators_suggested(actor=user, tag_slugs=["tea"])
    # then
    assert creators == [fresh]


def test_the_api_takes_the_picks_and_suggests_creators(api, topics):
    # given
    creator = tagged("hiking", ces=10).author
    # when
    picked = api.post("/api/v1/onboarding/interests/", {"interests": list(TOPICS)}, format="json")
    creators = api.get("/api/v1/onboarding/creators/")
    # then
    assert picked.status_code == 200
    assert sorted(picked.json()["interests"]) == sorted(TOPICS)
    assert creator.username in [person["username"] for person in creators.json()]


def test_the_api_refuses_too_few_picks_under_interests(api, topics):
    # when
    response = api.post("/api/v1/onboarding/interests/", {"interests": ["tea"]}, format="json")
    # then
    assert response.status_code == 400
    assert response.json() == {"interests": ["Pick at least 3 interests."]}
