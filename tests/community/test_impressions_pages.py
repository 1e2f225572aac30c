"""Every feed page records the cards it served as impressions of its reader; signed-out readers
are known by a signed cookie."""

import pytest
from django.urls import reverse

from notes.models import NoteImpressionDay
from notes.readers import READER_COOKIE
from notes.services import discovery_refresh
from tests.factories import NoteFactory, UserFactory
from users.services import user_follow

pytestmark = pytest.mark.django_db

SHANGHAI = {"lat": "31.23", "lng": "121.47"}


def counts() -> dict[int, int]:
    return dict(NoteImpressionDay.objects.values_list("note_id", "count"))


def test_a_signed_out_reader_is_given_a_signed_reader_cookie(client):
    # given
    NoteFactory()
    # when
    response = client.get(reverse("community:home"))
    # then
    cookie = response.cookies[READER_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert ":" in cookie.value  # value:signature


def test_a_signed_out_reader_reloading_discover_counts_once(client):
    # given
    note = NoteFactory()
    # when
    client.get(reverse("community:home"))
    second = client.get(reverse("community:home"))
    # then
    assert READER_COOKIE not in second.cookies  # the cookie is kept, not replaced
    assert counts() == {note.pk: 1}


def test_a_forged_reader_cookie_counts_as_a_new_reader(client):
    # given
    note = NoteFactory()
    client.get(reverse("community:home"))
    client.cookies[READER_COOKIE] = "someone-elses-id:forged"
    # when
    response = client.get(reverse("community:home"))
    # then
    assert READER_COOKIE in response.cookies
    assert counts() == {note.pk: 2}


def test_signed_in_readers_carry_no_reader_cookie(user_client):
    # given
    note = NoteFactory()
    # when
    response = user_client.get(reverse("community:home"))
    # then
    assert READER_COOKIE not in response.cookies
    assert counts() == {note.pk: 1}


def test_the_following_feed_records_what_it_served(user_client, user):
    # given
    followed = UserFactory()
    user_follow(actor=user, followee=followed)
    note = NoteFactory(author=followed)
    # when
    user_client.get(reverse("community:follow"))
    # then
    assert counts() == {note.pk: 1}


def test_nearby_records_what_it_served(client):
    # given
    note = NoteFactory(latitude=31.23, longitude=121.47)
    # when
    client.get(reverse("community:nearby"), SHANGHAI)
    # then
    assert counts() == {note.pk: 1}


def test_a_tag_page_records_what_it_served(client):
    # given
    note = NoteFactory()
    note.tags.add("tea")
    # when
    client.get(reverse("notes:tag", args=["tea"]))
    # then
    assert counts() == {note.pk: 1}


def test_a_profile_page_records_nothing(client):
    # given
    note = NoteFactory()
    # when
    client.get(note.author.get_absolute_url())
    # then
    assert counts() == {}


def test_the_feed_api_records_what_it_served(api):
    # given
    note = NoteFactory()
    discovery_refresh()
    # when
    api.get("/api/v1/feeds/discover/")
    # then
    assert counts() == {note.pk: 1}


def test_only_the_page_served_is_recorded_not_the_next(client):
    # given
    notes = NoteFactory.create_batch(3)
    # when
    response = client.get(reverse("community:home"), {"size": 2})
    # then
    shown = [note.pk for note in response.context["page"].items]
    assert counts() == dict.fromkeys(shown, 1)
    assert len(notes) == 3
