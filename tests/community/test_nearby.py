"""Nearby: a place from coordinates, a picked city or the profile city; rings, radius, distance."""

import pytest
from django.urls import reverse

from community.forms import NearbyForm, city_for_profile
from notes.models import Note
from notes.services import note_like
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


# People's Square, Shanghai, and points east of it: 0.01° of longitude is about 0.95 km here.
LAT, LNG = 31.2304, 121.4737
# Shanghai and Beijing in the gazetteer (GeoNames ids).
SHANGHAI, BEIJING = 1796236, 1816670


def east(km: float) -> float:
    return LNG + km / 95.2


def shown_ids(response) -> list[int]:
    return [note.pk for note in response.context["page"].items]


def test_nearby_orders_by_ring_then_engagement(client):
    # given: ring 0 is 0–2 km, ring 1 is 2–4 km
    far_but_popular = NoteFactory(latitude=LAT, longitude=east(3), ces=900)
    near_and_quiet = NoteFactory(latitude=LAT, longitude=east(0.5), ces=1)
    near_and_liked = NoteFactory(latitude=LAT, longitude=east(1.5), ces=50)
    # when
    response = client.get(reverse("community:nearby"), {"lat": LAT, "lng": LNG, "radius": 5})
    # then
    assert shown_ids(response) == [near_and_liked.pk, near_and_quiet.pk, far_but_popular.pk]


def test_nearby_leaves_out_notes_beyond_the_radius_and_notes_without_a_place(client):
    # given
    inside = NoteFactory(latitude=LAT, longitude=east(2.5))
    NoteFactory(latitude=LAT, longitude=east(3.5))
    NoteFactory(latitude=None, longitude=None)
    # when
    response = client.get(reverse("community:nearby"), {"lat": LAT, "lng": LNG, "radius": 3})
    # then
    assert shown_ids(response) == [inside.pk]


def test_nearby_hides_drafts_and_removed_notes(client):
    # given
    published = NoteFactory(latitude=LAT, longitude=LNG)
    NoteFactory(latitude=LAT, longitude=LNG, status=Note.Status.DRAFT, published_at=None)
    NoteFactory(latitude=LAT, longitude=LNG, status=Note.Status.REMOVED)
    # when
    response = client.get(reverse("community:nearby"), {"lat": LAT, "lng": LNG})
    # then
    assert shown_ids(response) == [published.pk]


def test_nearby_cards_show_their_distance(client):
    # given
    NoteFactory(latitude=LAT, longitude=east(1.2))
    # when
    response = client.get(reverse("community:nearby"), {"lat": LAT, "lng": LNG})
    # then
    assert b'<span class="card__distance">1.2 km</span>' in response.content


def test_picked_city_is_the_centre_of_the_search(client):
    # given
    in_shanghai = NoteFactory(latitude=LAT, longitude=east(1))
    NoteFactory(latitude=39.9042, longitude=116.4074)
    # when
    response = client.get(reverse("community:nearby"), {"city": "shanghai", "radius": 5})
    # then
    assert shown_ids(response) == [in_shanghai.pk]
    assert response.context["place"].source == "city"
    assert response.context["place"].query == {"city": str(SHANGHAI)}


@pytest.mark.parametrize("city", ["上海", "上海市", "Shanghai", str(SHANGHAI), "上海·武康路"])
def test_city_is_found_by_any_of_its_names_or_its_id(city):
    # when
    form = NearbyForm({"city": city})
    # then
    assert form.place().query == {"city": str(SHANGHAI)}


def test_city_wins_over_coordinates_left_in_the_form():
    # when
    form = NearbyForm({"city": "北京", "lat": str(LAT), "lng": str(LNG)})
    # then
    assert form.place().query == {"city": str(BEIJING)}


def test_unknown_city_is_refused_with_its_name(client):
    # when
    response = client.get(reverse("community:nearby"), {"city": "Nowhereville"})
    # then
    assert response.context["place"] is None
    assert response.context["form"].errors == {
        "city": ["We do not know a city called “Nowhereville”. Try its Chinese or English name."]
    }
    assert b'value="Nowhereville"' in response.content


def test_coordinates_are_named_after_the_city_they_are_in(client):
    # when
    response = client.get(reverse("community:nearby"), {"lat": LAT, "lng": LNG})
    # then
    assert response.context["place"].label == "Shanghai"
    assert response.context["place"].source == "coordinates"


def test_profile_city_is_used_when_no_place_is_given(client, user):
    # given
    user.city = "Shanghai"
    user.save(update_fields=["city"])
    client.force_login(user)
    in_shanghai = NoteFactory(latitude=LAT, longitude=LNG)
    # when
    response = client.get(reverse("community:nearby"))
    # then
    assert shown_ids(response) == [in_shanghai.pk]
    assert response.context["place"].source == "profile"
    assert response.context["place"].query == {"city": str(SHANGHAI)}


@pytest.mark.parametrize("profile_city", ["shanghai", " SHANGHAI ", "Shanghai", "上海市"])
def test_profile_city_matches_a_gazetteer_city_in_any_language(profile_city):
    # when
    choice = city_for_profile(profile_city)
    # then
    assert choice.id == SHANGHAI


def test_unknown_profile_city_shows_the_picker_with_an_explanation(client, user):
    # given
    user.city = "Nowhereville"
    user.save(update_fields=["city"])
    client.force_login(user)
    NoteFactory(latitude=LAT, longitude=LNG)
    # when
    response = client.get(reverse("community:nearby"))
    # then
    assert response.status_code == 200
    assert response.context["place"] is None
    assert "page" not in response.context
    assert b"nearby-empty" in response.content
    assert b'<input type="text" name="city" id="id_city" value=""' in response.content


def test_bad_coordinates_give_a_clear_message_and_keep_the_form(client):
    # when
    response = client.get(reverse("community:nearby"), {"lat": "north", "lng": "200"})
    # then
    form = response.context["form"]
    assert response.status_code == 200
    assert response.context["place"] is None
    assert form.errors == {
        "lat": ["Enter the latitude as a number, e.g. 31.23."],
        "lng": ["Longitude runs from -180 to 180."],
    }
    assert b'value="north"' in response.content


def test_latitude_without_longitude_is_refused(client):
    # when
    response = client.get(reverse("community:nearby"), {"lat": LAT})
    # then
    assert response.context["form"].non_field_errors() == [
        "Give both latitude and longitude, or pick a city instead."
    ]


def test_radius_defaults_to_the_setting(settings):
    # given
    settings.NEARBY_DEFAULT_RADIUS_KM = 5
    # when
    form = NearbyForm({"lat": str(LAT), "lng": str(LNG)})
    # then
    assert form.is_valid()
    assert form.radius_km == 5


def test_radius_above_the_maximum_is_refused(settings):
    # given
    settings.NEARBY_MAX_RADIUS_KM = 20
    # when
    form = NearbyForm({"lat": str(LAT), "lng": str(LNG), "radius": "50"})
    # then
    assert not form.is_valid()
    assert list(form.errors) == ["radius"]


def test_next_page_keeps_place_and_radius(client):
    # given
    NoteFactory.create_batch(3, latitude=LAT, longitude=LNG, images=0)
    # when
    response = client.get(
        reverse("community:nearby"), {"lat": LAT, "lng": LNG, "radius": 3, "size": 2}
    )
    # then
    next_query = response.context["next_query"]
    assert next_query.startswith("lat=31.23&lng=121.474&radius=3&size=2&cursor=")


def test_nearby_second_page_continues_without_repeats(client):
    # given
    notes = [NoteFactory(latitude=LAT, longitude=LNG, ces=score, images=0) for score in range(5)]
    place = {"lat": LAT, "lng": LNG, "size": 3}
    # when
    first = client.get(reverse("community:nearby"), place)
    second = client.get(
        reverse("community:nearby"), {**place, "cursor": first.context["page"].next_cursor}
    )
    # then
    assert shown_ids(first) + shown_ids(second) == [note.pk for note in reversed(notes)]


def test_nearby_htmx_request_returns_only_the_cards_fragment(client):
    # given
    NoteFactory(latitude=LAT, longitude=LNG)
    # when
    response = client.get(
        reverse("community:nearby"), {"lat": LAT, "lng": LNG}, headers={"HX-Request": "true"}
    )
    # then
    assert b"<html" not in response.content
    assert response.content.count(b"<article") == 1
    assert b'<span class="card__distance">' in response.content


def test_empty_nearby_offers_a_wider_radius(client):
    # when
    response = client.get(reverse("community:nearby"), {"city": "beijing", "radius": 10})
    # then
    assert response.context["wider_query"] == f"city={BEIJING}&radius=20"


@pytest.mark.parametrize(("size", "count"), [(3, 4), (30, 31)])
def test_nearby_costs_the_same_queries_whatever_the_page_size(
    user_client, django_assert_max_num_queries, settings, size, count
):
    # given
    settings.DISCOVER_SEEN_STORE = "database"
    NoteFactory.create_batch(count, latitude=LAT, longitude=LNG)
    # when / then: session, reader, the page's ranking, its card rows (with the reader's likes),
    # the notes and covers of cards not kept yet, which were seen already, the seen set and the
    # daily counts written
    with django_assert_max_num_queries(9):
        response = user_client.get(
            reverse("community:nearby"), {"lat": LAT, "lng": LNG, "size": size}
        )
    assert len(shown_ids(response)) == size


def test_nearby_page_stays_full_when_a_ranked_note_s_author_is_banned(client):
    # given: the best note near the place is by an account banned since
    notes = [NoteFactory(latitude=LAT, longitude=LNG, ces=score, images=0) for score in range(5)]
    banned = notes[-1].author
    banned.is_active = False
    banned.save(update_fields=["is_active"])
    place = {"lat": LAT, "lng": LNG, "size": 3}
    # when
    first = client.get(reverse("community:nearby"), place)
    second = client.get(
        reverse("community:nearby"), {**place, "cursor": first.context["page"].next_cursor}
    )
    # then: three cards, then the last one; the banned author's note on neither page
    assert shown_ids(first) == [notes[3].pk, notes[2].pk, notes[1].pk]
    assert shown_ids(second) == [notes[0].pk]


def test_nearby_ranks_again_only_when_a_page_lost_a_card(
    user_client, django_assert_num_queries, settings
):
    # given: the best of four notes near the place is by an account banned since
    settings.DISCOVER_SEEN_STORE = "database"
    notes = [NoteFactory(latitude=LAT, longitude=LNG, ces=score, images=0) for score in range(4)]
    notes[-1].author.is_active = False
    notes[-1].author.save(update_fields=["is_active"])
    # when / then: the nine of a page (see above), then the ranking and the card rows once more
    with django_assert_num_queries(9 + 2):
        response = user_client.get(reverse("community:nearby"), {"lat": LAT, "lng": LNG, "size": 2})
    assert shown_ids(response) == [notes[2].pk, notes[1].pk]


def test_a_nearby_card_shows_the_readers_like(client):
    # given
    liked, other = (NoteFactory(latitude=LAT, longitude=LNG) for _ in range(2))
    fan = UserFactory()
    note_like(actor=fan, note_id=liked.pk)
    client.force_login(fan)
    # when
    html = client.get(reverse("community:nearby"), {"lat": LAT, "lng": LNG}).content.decode()
    # then
    assert f'action="{reverse("notes:unlike", args=[liked.pk])}"' in html
    assert f'action="{reverse("notes:like", args=[other.pk])}"' in html
