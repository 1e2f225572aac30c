"""The hot searches count people, not searches: nobody can put a query there alone."""

import pytest
from django.test import Client
from django.urls import reverse

from core import search
from notes.models import HotQuery, SearchRecord
from notes.services import hot_queries_refresh, search_history_clear, search_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("community:search")


def hot() -> dict[str, int]:
    hot_queries_refresh()
    return {entry.text: entry.searches for entry in HotQuery.objects.all()}


def test_three_people_searching_a_query_make_it_hot(settings):
    # given
    settings.SEARCH_HOT_MIN_SEARCHES = 3
    for person in range(3):
        search_record(actor=None, searcher=f"ip{person}", found=search.terms("露营"))
    # then
    assert hot() == {"露营": 3}


def test_one_reader_searching_again_and_again_does_not_make_a_query_hot(settings):
    # given
    settings.SEARCH_HOT_MIN_SEARCHES = 3
    reader = UserFactory()
    for _ in range(20):
        search_record(actor=reader, searcher=f"u{reader.pk}", found=search.terms("刷榜"))
    # then
    assert hot() == {}


def test_a_signed_out_reader_who_drops_their_cookie_is_still_one_searcher(settings):
    # given: the same address, a fresh client (no cookies) for every search
    settings.SEARCH_HOT_MIN_SEARCHES = 3
    for _ in range(5):
        Client().get(SEARCH, {"q": "刷榜"}, REMOTE_ADDR="203.0.113.7")
    # then
    assert SearchRecord.objects.count() == 5
    assert hot() == {}


def test_signed_out_readers_at_different_addresses_are_different_searchers(settings):
    # given
    settings.SEARCH_HOT_MIN_SEARCHES = 3
    for last in range(3):
        Client().get(SEARCH, {"q": "露营"}, REMOTE_ADDR=f"203.0.113.{last}")
    # then
    assert hot() == {"露营": 3}
    assert not any("203.0.113" in record.searcher for record in SearchRecord.objects.all())


def test_signed_in_searches_count_the_account_wherever_it_searches_from(client, settings):
    # given
    settings.SEARCH_HOT_MIN_SEARCHES = 2
    reader = UserFactory()
    client.force_login(reader)
    for last in range(3):
        client.get(SEARCH, {"q": "刷榜"}, REMOTE_ADDR=f"198.51.100.{last}")
    # then
    assert set(SearchRecord.objects.values_list("searcher", flat=True)) == {f"u{reader.pk}"}
    assert hot() == {}


def test_clearing_history_keeps_who_searched_for_the_hot_searches(settings):
    # given
    settings.SEARCH_HOT_MIN_SEARCHES = 2
    readers = UserFactory.create_batch(2)
    for reader in readers:
        search_record(actor=reader, searcher=f"u{reader.pk}", found=search.terms("露营"))
    # when
    search_history_clear(actor=readers[0])
    # then
    assert hot() == {"露营": 2}
