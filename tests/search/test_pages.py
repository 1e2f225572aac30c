"""The search pages: results with tabs and sorting, suggestions, history, bad input."""

import pytest
from django.urls import reverse

from core import search
from notes.models import ReaderInterest, SearchRecord
from notes.services import note_like, search_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("community:search")
SUGGEST = reverse("community:search_suggest")
CLEAR = reverse("community:search_history_clear")


def test_every_page_has_the_search_box(client):
    response = client.get(reverse("community:hot"))
    assert f'action="{SEARCH}"' in response.content.decode()


def test_results_show_the_matching_notes(client, indexed_note):
    note = indexed_note(title="成都火锅")
    indexed_note(title="北京烤鸭")
    response = client.get(SEARCH, {"q": "火锅"})
    assert [item.pk for item in response.context["page"].items] == [note.pk]


def test_results_page_costs_a_fixed_number_of_queries(
    client, indexed_note, django_assert_num_queries, settings
):
    settings.DISCOVER_SEEN_STORE = "database"
    for number in range(6):
        indexed_note(title=f"火锅 {number}", images=1)
    client.get(SEARCH, {"q": "火锅", "tab": "notes"})  # warm the jieba dictionary, sessions
    # the card rows (the cards themselves kept since the first search), and the seen set read
    # and written once
    with django_assert_num_queries(3):
        client.get(SEARCH, {"q": "火锅", "tab": "notes"})


def test_a_result_card_shows_the_readers_like(client, indexed_note):
    liked, other = indexed_note(title="火锅 一"), indexed_note(title="火锅 二")
    fan = UserFactory()
    note_like(actor=fan, note_id=liked.pk)
    client.force_login(fan)

    html = client.get(SEARCH, {"q": "火锅", "tab": "notes"}).content.decode()

    assert f'action="{reverse("notes:unlike", args=[liked.pk])}"' in html
    assert f'action="{reverse("notes:like", args=[other.pk])}"' in html


def test_next_page_from_htmx_is_the_cards_alone(client, indexed_note):
    for number in range(4):
        indexed_note(title=f"火锅 {number}")
    first = client.get(SEARCH, {"q": "火锅", "tab": "notes", "size": 2})
    response = client.get(
        SEARCH + "?" + first.context["next_query"], headers={"HX-Request": "true"}
    )
    assert response.templates[0].name == "partials/waterfall_page.html"
    assert len(response.context["page"].items) == 2


def test_creators_tab(client):
    person = UserFactory(display_name="火锅达人")
    from users.services import creator_search_update

    creator_search_update(user=person)
    response = client.get(SEARCH, {"q": "火锅", "tab": "creators"})
    assert [row[0].pk for row in response.context["rows"]] == [person.pk]


def test_no_results_suggest_related_topics(client, indexed_note):
    indexed_note(title="a", tags=("火锅",))
    response = client.get(SEARCH, {"q": "火锅 冰淇淋"})
    assert [t.name for t in response.context["results"].related_topics] == ["火锅"]
    assert "#火锅" in response.content.decode()


@pytest.mark.parametrize("text", ["", "!!!", "' OR 1=1 --", "火锅:* & !", "%_%", "x" * 3000])
def test_bad_input_gives_a_normal_page(client, text):
    assert client.get(SEARCH, {"q": text}).status_code == 200
    assert client.get(SUGGEST, {"q": text}, headers={"HX-Request": "true"}).status_code == 200


def test_unknown_tab_and_sort_fall_back(client):
    response = client.get(SEARCH, {"q": "x", "tab": "bogus", "sort": "bogus"})
    assert response.status_code == 200


def test_a_new_search_is_recorded_in_the_readers_history(client):
    reader = UserFactory()
    client.force_login(reader)
    client.get(SEARCH, {"q": "口红 推荐"})
    assert list(SearchRecord.objects.filter(reader=reader).values_list("text", flat=True)) == [
        "口红 推荐"
    ]


def test_paging_and_tabs_do_not_record_the_search_again(client, indexed_note):
    client.get(SEARCH, {"q": "火锅", "tab": "creators"})
    client.get(SEARCH, {"q": "火锅", "sort": "newest"})
    assert SearchRecord.objects.count() == 0


def test_a_search_for_a_topic_feeds_the_readers_interests(client, indexed_note):
    indexed_note(title="a", tags=("火锅",))
    reader = UserFactory()
    client.force_login(reader)
    client.get(SEARCH, {"q": "火锅"})
    weights = ReaderInterest.objects.get(reader=reader).weights
    assert list(weights) == ["火锅"]


def test_suggestions_offer_topics_and_creators_as_the_reader_types(client, indexed_note):
    indexed_note(title="a", tags=("lipstick",))
    response = client.get(SUGGEST, {"q": "lips"}, headers={"HX-Request": "true"})
    assert [tag.name for tag in response.context["suggestions"].topics] == ["lipstick"]
    assert response.templates[0].name == "community/partials/search_suggestions.html"


def test_suggestions_before_typing_show_recent_and_hot_searches(client, settings):
    settings.SEARCH_HOT_MIN_SEARCHES = 2
    reader = UserFactory()
    for person in range(3):
        search_record(actor=None, searcher=f"ip{person}", found=search.terms("露营"))
    search_record(actor=reader, searcher=f"u{reader.pk}", found=search.terms("口红"))
    client.force_login(reader)
    suggestions = client.get(SUGGEST, headers={"HX-Request": "true"}).context["suggestions"]
    assert suggestions.history == ["口红"]
    assert [entry.text for entry in suggestions.hot] == ["露营"]


def test_history_shows_each_query_once_newest_first():
    reader = UserFactory()
    for text in ("火锅", "口红", "火锅"):
        search_record(actor=reader, searcher=f"u{reader.pk}", found=search.terms(text))
    from notes.search import search_history

    assert search_history(actor=reader) == ["火锅", "口红"]


def test_clearing_history_empties_it_but_keeps_the_counts(client):
    reader = UserFactory()
    search_record(actor=reader, searcher=f"u{reader.pk}", found=search.terms("火锅"))
    client.force_login(reader)
    response = client.post(CLEAR, headers={"HX-Request": "true"})
    assert response.context["suggestions"].history == []
    assert SearchRecord.objects.filter(reader=reader).count() == 0
    assert SearchRecord.objects.count() == 1


def test_clearing_history_needs_a_login(client):
    response = client.post(CLEAR)
    assert response.status_code == 302
    assert reverse("users:login") in response.url


def test_products_tab_shows_products_on_sale_as_cards(client):
    from mall import services as mall_services
    from mall.models import Product
    from tests.mall.factories import BrandFactory, CategoryFactory

    product = mall_services.product_save(
        actor=UserFactory(is_staff=True),
        product=Product(
            title="丝绒唇釉", brand=BrandFactory(), category=CategoryFactory(), status="active"
        ),
    )
    response = client.get(SEARCH, {"q": "唇釉", "tab": "products"})
    assert [item.pk for item in response.context["page"].items] == [product.pk]
    assert product.get_absolute_url() in response.content.decode()


def test_staff_add_a_dictionary_word_in_the_admin(client, django_capture_on_commit_callbacks):
    from notes.models import SearchWord

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:notes_searchword_add"), {"word": "完美日记"})
    assert response.status_code == 302
    assert search.words("完美日记口红") == ["完美日记", "口红"]
    refused = client.post(reverse("admin:notes_searchword_add"), {"word": "two words"})
    assert refused.status_code == 200
    assert list(SearchWord.objects.values_list("word", flat=True)) == ["完美日记"]


def test_suggestions_cost_a_fixed_number_of_queries(
    client, indexed_note, django_assert_num_queries
):
    for number in range(4):
        indexed_note(title="a", tags=(f"火锅{number}",))
    reader = UserFactory()
    search_record(actor=reader, searcher=f"u{reader.pk}", found=search.terms("火锅"))
    client.force_login(reader)
    client.get(SUGGEST, {"q": "火"}, headers={"HX-Request": "true"})
    # the session and its account, recent searches, topics with their tags, creators
    with django_assert_num_queries(5):
        client.get(SUGGEST, {"q": "火锅"}, headers={"HX-Request": "true"})
