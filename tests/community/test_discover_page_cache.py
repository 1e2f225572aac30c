"""Discover's first page for signed-out readers is rendered once per shared list and language,
then served from the cache with each reader's own CSRF token, cookie and impressions."""

import re

import pytest
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.selectors import DISCOVER_ANONYMOUS_KEY
from community.views import CSRF_PLACEHOLDER
from notes.readers import READER_COOKIE, reader_of
from notes.seen import seen_store
from notes.services import discovery_refresh
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = "/"


def rendered(response) -> bool:
    return any(template.name == "community/home.html" for template in response.templates)


def csrf_token_in(response) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert found, "no form on the page"
    return found[1]


def reader_key_of(response) -> str:
    """The seen-store key of the signed-out reader the response's cookie names."""
    request = HttpRequest()
    request.COOKIES[READER_COOKIE] = response.cookies[READER_COOKIE].value
    return reader_of(request).key


def test_the_signed_out_discover_page_is_rendered_once_for_every_reader(
    django_assert_max_num_queries,
):
    # given
    notes = NoteFactory.create_batch(3, images=0)
    first = Client().get(HOME)
    # when
    with django_assert_max_num_queries(2):  # what the reader was shown: nothing else
        second = Client().get(HOME)
    # then
    assert rendered(first)
    assert not rendered(second)
    for note in notes:
        assert note.get_absolute_url().encode() in second.content


def test_each_signed_out_reader_gets_their_own_working_csrf_token():
    # given
    NoteFactory(images=0)
    Client().get(HOME)
    reader = Client(enforce_csrf_checks=True)
    # when
    response = reader.get(HOME)
    switched = reader.post(
        reverse("set_language"),
        {"csrfmiddlewaretoken": csrf_token_in(response), "language": "en", "next": HOME},
    )
    # then
    assert not rendered(response)
    assert CSRF_PLACEHOLDER.encode() not in response.content
    assert switched.status_code == 302


def test_a_reader_served_the_shared_page_gets_their_cookie_and_impressions():
    # given
    note = NoteFactory(images=0)
    Client().get(HOME)
    reader = Client()
    # when
    response = reader.get(HOME)
    # then
    assert not rendered(response)
    assert seen_store().among(reader_key_of(response), [note.pk], now=timezone.now()) == {note.pk}


def test_a_signed_in_reader_never_gets_the_signed_out_page(client):
    # given
    NoteFactory(images=0)
    Client().get(HOME)
    reader = UserFactory()
    client.force_login(reader)
    # when
    response = client.get(HOME)
    # then
    assert rendered(response)
    assert f"@{reader.username}".encode() in response.content


def test_the_shared_page_is_kept_per_language():
    # given
    NoteFactory(images=0)
    Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(HOME)
    # when
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(HOME)
    # then
    assert rendered(response)
    assert b'lang="en"' in response.content


def test_a_new_shared_list_gets_a_new_page():
    # given
    NoteFactory(images=0)
    Client().get(HOME)
    newer = NoteFactory(images=0)
    discovery_refresh()
    cache.delete(DISCOVER_ANONYMOUS_KEY)  # the shared list's few minutes are over
    # when
    response = Client().get(HOME)
    # then
    assert rendered(response)
    assert newer.get_absolute_url().encode() in response.content


def test_a_query_string_or_htmx_gets_the_page_rendered():
    # given
    NoteFactory(images=0)
    Client().get(HOME)
    # when
    with_query = Client().get(HOME, {"size": 5})
    htmx = Client().get(HOME, headers={"HX-Request": "true"})
    # then
    assert rendered(with_query)
    assert [t.name for t in htmx.templates][0] == "partials/waterfall_page.html"
