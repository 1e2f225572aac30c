"""Places: the rule between a place's name and its coordinates, the picker, the place search."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from community.selectors import notes_near
from core import places as gazetteer
from notes import services
from notes.models import Note
from notes.services import NoteChanges, NoteContent
from tests.factories import NoteFactory, image_upload

pytestmark = pytest.mark.django_db

# Shanghai and Beijing in the gazetteer (GeoNames ids and coordinates).
SHANGHAI, BEIJING = 1796236, 1816670
SHANGHAI_POINT = (31.22222, 121.45806)
BEIJING_POINT = (39.9075, 116.39723)
# Wukang Road, Shanghai: 3 km from the gazetteer's centre of Shanghai.
WUKANG_ROAD = (31.2069, 121.4376)
CHINESE = {"Accept-Language": "zh-hans"}


def publish(author, **place) -> Note:
    with translation.override("en"):
        note = services.note_create(
            author=author,
            content=NoteContent(title="Walk", images=[image_upload()], **place),
            publish=True,
        )
    services.note_media_process(note_id=note.pk)  # what the task does once the upload commits
    return note


def point(note: Note) -> tuple[float | None, float | None]:
    note.refresh_from_db()
    return note.latitude, note.longitude


# --- The gazetteer.


@pytest.mark.parametrize("typed", ["上海", "shanghai", "Shang", "上海市"])
def test_gazetteer_finds_a_city_by_its_chinese_english_or_pinyin_name(typed):
    # when
    found = gazetteer.cities_search(typed, limit=1)
    # then
    assert [(city.id, city.name, city.name_zh) for city in found] == [
        (SHANGHAI, "Shanghai", "上海")
    ]


def test_gazetteer_names_world_cities_in_chinese_too():
    # when
    paris = gazetteer.cities_search("Paris", limit=1)[0]
    # then
    assert (paris.name_zh, paris.country) == ("巴黎", "France")


# --- The rule: a place's name and its coordinates.


def test_a_place_name_alone_puts_the_note_in_nearby_of_its_city(user):
    # when: the place the first-five-minutes review typed
    note = publish(user, place_name="上海·武康路")
    # then
    assert (note.place_name, point(note)) == ("上海·武康路", SHANGHAI_POINT)
    assert list(notes_near(latitude=31.2304, longitude=121.4737, radius_km=10)) == [note]


def test_a_chosen_city_gives_its_coordinates_and_its_name(user):
    # when
    note = publish(user, place=SHANGHAI)
    # then
    assert (note.place_name, point(note)) == ("Shanghai", SHANGHAI_POINT)


def test_a_chosen_city_is_named_in_the_authors_language(user):
    # when
    with translation.override("zh-hans"):
        note = services.note_create(
            author=user, content=NoteContent(title="Walk", place=SHANGHAI), publish=False
        )
    # then
    assert note.place_name == "上海"


def test_a_chosen_city_keeps_the_words_the_author_added(user):
    # when
    note = publish(user, place=SHANGHAI, place_name="上海·武康路")
    # then
    assert (note.place_name, point(note)) == ("上海·武康路", SHANGHAI_POINT)


def test_an_unknown_city_id_is_refused(user):
    # when
    with pytest.raises(ValidationError) as refused:
        publish(user, place=999_999_999)
    # then
    assert refused.value.message_dict == {"place_name": ["Choose a place from the list."]}


def test_the_authors_own_location_stays_and_is_named_after_its_city(user):
    # when
    note = publish(user, latitude=WUKANG_ROAD[0], longitude=WUKANG_ROAD[1])
    # then
    assert (note.place_name, point(note)) == ("Shanghai", WUKANG_ROAD)


def test_a_name_of_no_known_city_has_no_coordinates(user):
    # when
    note = publish(user, place_name="Grandma's garden")
    # then
    assert (note.place_name, point(note)) == ("Grandma's garden", (None, None))


def test_a_renamed_place_does_not_keep_the_old_names_coordinates(user):
    # given
    note = publish(user, place_name="上海")
    # when: the form sends the note's coordinates back with the new name
    with translation.override("en"):
        services.note_update(
            actor=user,
            note_id=note.pk,
            changes=NoteChanges(
                place_name="北京", latitude=SHANGHAI_POINT[0], longitude=SHANGHAI_POINT[1]
            ),
        )
    # then
    assert point(note) == BEIJING_POINT


def test_a_place_renamed_within_its_city_keeps_the_authors_point(user):
    # given
    note = publish(user, latitude=WUKANG_ROAD[0], longitude=WUKANG_ROAD[1])
    # when
    services.note_update(actor=user, note_id=note.pk, changes=NoteChanges(place_name="上海·武康路"))
    # then
    assert (point(note), note.place_name) == (WUKANG_ROAD, "上海·武康路")


def test_a_change_that_leaves_the_place_out_keeps_it(user):
    # given
    note = publish(user, latitude=WUKANG_ROAD[0], longitude=WUKANG_ROAD[1], place_name="咖啡")
    # when
    services.note_update(actor=user, note_id=note.pk, changes=NoteChanges(title="Coffee"))
    # then
    assert (point(note), note.place_name) == (WUKANG_ROAD, "咖啡")


# --- The publish form's picker and the place search page.


def test_publish_form_has_a_place_picker_and_no_coordinates_to_type(user_client):
    # when
    response = user_client.get(reverse("notes:create"), headers=CHINESE)
    html = response.content.decode()
    # then
    assert 'data-place-picker data-place-url="/places/"' in html
    assert '<input type="hidden" name="place" id="id_place" value="" data-place-id>' in html
    assert '<input type="hidden" name="latitude" id="id_latitude" value=""' in html
    assert 'type="number"' not in html
    assert '<option value="上海">Shanghai</option>' in html


def test_publishing_with_a_city_chosen_in_the_picker_places_the_note(user_client, user):
    # given
    data = {"title": "Walk", "place_name": "上海", "place": str(SHANGHAI), "action": "publish"}
    data["images"] = [image_upload()]
    # when
    user_client.post(reverse("notes:create"), data)
    # then
    note = Note.objects.get(author=user)
    assert (note.place_name, point(note)) == ("上海", SHANGHAI_POINT)


def test_place_search_suggests_cities_to_the_picker(client):
    # when
    response = client.get(
        reverse("notes:places"), {"q": "shang"}, headers={"HX-Request": "true", **CHINESE}
    )
    # then
    html = response.content.decode()
    assert "<html" not in html
    assert (
        f'<button class="place-picker__option" type="button" data-place-choice="{SHANGHAI}" '
        'data-place-label="上海">'
    ) in html


def test_place_search_names_the_city_a_point_is_in(client):
    # when
    response = client.get(
        reverse("notes:places"),
        {"lat": WUKANG_ROAD[0], "lng": WUKANG_ROAD[1]},
        headers={"HX-Request": "true"},
    )
    # then
    assert [choice.id for choice in response.context["choices"]] == [SHANGHAI]
    assert b"data-place-point" in response.content


def test_place_search_page_without_javascript_links_cities_to_nearby(client):
    # when
    response = client.get(reverse("notes:places"), {"q": "北京"})
    # then
    assert f'href="/nearby/?city={BEIJING}"'.encode() in response.content


# --- The note page.


def test_note_page_links_its_place_to_nearby(client):
    # given
    note = NoteFactory(place_name="上海·武康路", latitude=31.2069, longitude=121.4376)
    # when
    response = client.get(note.get_absolute_url())
    # then
    assert (
        b'<a class="note-page__place" href="/nearby/?lat=31.207&amp;lng=121.438"'
        in response.content
    )


def test_note_page_shows_a_place_without_coordinates_as_text(client):
    # given
    note = NoteFactory(place_name="Grandma's garden")
    # when
    response = client.get(note.get_absolute_url())
    # then
    assert b'<span class="note-page__place">' in response.content
    assert b'class="note-page__place" href=' not in response.content


# --- The API.


def test_api_place_search_finds_cities(make_api_client):
    # when
    response = make_api_client().get("/api/v1/places/", {"q": "Beij"})
    # then
    assert response.status_code == 200
    assert response.json()["results"][0] == {
        "id": BEIJING,
        "label": "Beijing",
        "detail": "北京",
        "latitude": BEIJING_POINT[0],
        "longitude": BEIJING_POINT[1],
    }


def test_api_note_create_takes_a_place_id(make_api_client, user):
    # when
    response = make_api_client(user).post(
        "/api/v1/notes/",
        {"title": "Walk", "place": SHANGHAI, "images": [image_upload()], "publish": "true"},
        format="multipart",
    )
    # then
    body = response.json()
    assert response.status_code == 201
    assert (body["place_name"], body["latitude"], body["longitude"]) == (
        "Shanghai",
        *SHANGHAI_POINT,
    )


def test_api_note_update_takes_a_place_id(make_api_client, user):
    # given
    note = NoteFactory(author=user, place_name="上海", latitude=31.22, longitude=121.46)
    # when
    response = make_api_client(user).patch(
        f"/api/v1/notes/{note.pk}/", {"place": BEIJING, "place_name": ""}, format="json"
    )
    # then
    body = response.json()
    assert (body["place_name"], body["latitude"], body["longitude"]) == ("Beijing", *BEIJING_POINT)


def test_api_note_update_with_only_a_place_id_names_the_note_after_the_city(make_api_client, user):
    # given
    note = NoteFactory(author=user, place_name="上海", latitude=31.22, longitude=121.46)
    # when
    response = make_api_client(user).patch(
        f"/api/v1/notes/{note.pk}/", {"place": BEIJING}, format="json"
    )
    # then
    body = response.json()
    assert (body["place_name"], body["latitude"], body["longitude"]) == ("Beijing", *BEIJING_POINT)
