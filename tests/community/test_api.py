import pytest

from notes.services import discovery_refresh
from tests.factories import NoteFactory, UserFactory
from users.services import user_follow

pytestmark = pytest.mark.django_db

SHANGHAI = {"lat": 31.2304, "lng": 121.4737}


def every_id(client, url):
    """Follow the `next` links to the end; the ids in the order they were served."""
    seen = []
    while url:
        page = client.get(url).json()
        seen += [card["id"] for card in page["results"]]
        url = page["next"]
    return seen


def note_near_shanghai(*, north_km: float, ces: int = 0):
    return NoteFactory(
        latitude=SHANGHAI["lat"] + north_km / 111.32, longitude=SHANGHAI["lng"], ces=ces
    )


# --- Discover


def test_discover_pages_never_repeat_a_note(anonymous, settings):
    settings.FEED_PAGE_SIZE = 2
    notes = [NoteFactory(ces=ces) for ces in (5, 9, 5, 1, 9)]

    seen = every_id(anonymous, "/api/v1/feeds/discover/")

    assert sorted(seen) == sorted(note.pk for note in notes)
    assert len(seen) == 5


def test_discover_serves_the_best_notes_first(anonymous):
    low, high = NoteFactory(ces=1), NoteFactory(ces=50)

    response = anonymous.get("/api/v1/feeds/discover/")

    assert [card["id"] for card in response.json()["results"]] == [high.pk, low.pk]


def test_discover_leaves_out_the_readers_own_notes(api, user):
    NoteFactory(author=user)
    theirs = NoteFactory()

    response = api.get("/api/v1/feeds/discover/")

    assert [card["id"] for card in response.json()["results"]] == [theirs.pk]


@pytest.mark.parametrize("count", [2, 7])
def test_discover_costs_the_same_queries_whatever_its_length(
    api, count, django_assert_num_queries, settings
):
    for _ in range(count):
        NoteFactory(images=2)
    discovery_refresh()
    settings.DISCOVER_SEEN_STORE = "database"

    # session + reader, their interests, their seen set, the candidate lists, the notes with
    # authors and videos, their covers, the seen set and daily counts written, the likes
    with django_assert_num_queries(10):
        response = api.get("/api/v1/feeds/discover/")

    assert len(response.json()["results"]) == count


# --- Follow


def test_follow_feed_needs_a_signed_in_reader(anonymous):
    response = anonymous.get("/api/v1/feeds/follow/")

    assert response.status_code == 403


def test_follow_feed_shows_followed_authors_newest_first(api, user, other_user):
    user_follow(actor=user, followee=other_user)
    older, newer = NoteFactory(author=other_user), NoteFactory(author=other_user)
    NoteFactory()

    response = api.get("/api/v1/feeds/follow/")

    assert [card["id"] for card in response.json()["results"]] == [newer.pk, older.pk]


def test_follow_feed_pages_never_repeat_a_note(api, user, settings):
    settings.FEED_PAGE_SIZE = 2
    authors = [UserFactory(), UserFactory()]
    for author in authors:
        user_follow(actor=user, followee=author)
    notes = [NoteFactory(author=authors[index % 2]) for index in range(5)]

    seen = every_id(api, "/api/v1/feeds/follow/")

    assert seen == [note.pk for note in reversed(notes)]


@pytest.mark.parametrize("count", [2, 7])
def test_follow_feed_costs_the_same_queries_whatever_its_length(
    api, user, other_user, count, django_assert_num_queries, settings
):
    settings.DISCOVER_SEEN_STORE = "database"
    user_follow(actor=user, followee=other_user)
    for _ in range(count):
        NoteFactory(author=other_user)

    # session + reader, the followed accounts, the notes, their covers, which were seen already,
    # the seen set, the daily impression counts, the reader's likes
    with django_assert_num_queries(9):
        response = api.get("/api/v1/feeds/follow/")

    assert len(response.json()["results"]) == count


# --- Nearby


def test_nearby_shows_the_distance_and_leaves_out_far_notes(anonymous):
    near = note_near_shanghai(north_km=1.5)
    note_near_shanghai(north_km=30)

    response = anonymous.get("/api/v1/feeds/nearby/", {**SHANGHAI, "radius": 10})

    results = response.json()["results"]
    assert [(card["id"], card["distance_km"]) for card in results] == [(near.pk, 1.5)]


def test_nearby_serves_the_nearest_ring_first(anonymous):
    farther_but_better = note_near_shanghai(north_km=5, ces=100)
    nearest = note_near_shanghai(north_km=0.5)

    response = anonymous.get("/api/v1/feeds/nearby/", SHANGHAI)

    assert [card["id"] for card in response.json()["results"]] == [
        nearest.pk,
        farther_but_better.pk,
    ]


def test_nearby_pages_never_repeat_a_note_and_keep_the_place(anonymous, settings):
    settings.FEED_PAGE_SIZE = 2
    notes = [note_near_shanghai(north_km=km, ces=km % 2) for km in (0.5, 1, 3, 3.5, 7)]

    first = anonymous.get("/api/v1/feeds/nearby/", {**SHANGHAI, "radius": 8}).json()
    seen = every_id(anonymous, first["next"])

    assert "lat=31.2304" in first["next"]
    assert sorted([card["id"] for card in first["results"]] + seen) == [n.pk for n in notes]


def test_nearby_without_a_place_is_400(anonymous):
    response = anonymous.get("/api/v1/feeds/nearby/")

    assert response.status_code == 400
    assert sorted(response.json()) == ["lat", "lng"]


def test_nearby_radius_above_the_limit_is_400(anonymous, settings):
    response = anonymous.get(
        "/api/v1/feeds/nearby/", {**SHANGHAI, "radius": settings.NEARBY_MAX_RADIUS_KM + 1}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["radius"]


@pytest.mark.parametrize("count", [2, 7])
def test_nearby_costs_the_same_queries_whatever_its_length(
    api, count, django_assert_num_queries, settings
):
    settings.DISCOVER_SEEN_STORE = "database"
    for index in range(count):
        note_near_shanghai(north_km=index)

    # session + reader, the innermost ring's ranking (it cannot fill the page) and the whole
    # circle's, its cards, their covers, which were seen already, the seen set, the daily
    # impression counts, the reader's likes
    with django_assert_num_queries(10):
        response = api.get("/api/v1/feeds/nearby/", SHANGHAI)

    assert len(response.json()["results"]) == count


def test_nearby_page_the_innermost_ring_fills_costs_one_ranking_query(
    api, django_assert_num_queries, settings
):
    settings.DISCOVER_SEEN_STORE = "database"
    settings.FEED_PAGE_SIZE = 3
    inner = [note_near_shanghai(north_km=0.1 * index, ces=index) for index in range(4)]
    outer = note_near_shanghai(north_km=3, ces=100)  # the best note, but in the next ring

    with django_assert_num_queries(9):
        first = api.get("/api/v1/feeds/nearby/", SHANGHAI).json()
    second = api.get(first["next"]).json()

    assert [card["id"] for card in first["results"]] == [inner[3].pk, inner[2].pk, inner[1].pk]
    # the ring's last note, then the next ring's
    assert [card["id"] for card in second["results"]] == [inner[0].pk, outer.pk]
