"""Paid partnerships: an author discloses the brand that sponsored a note; the brand sees how
its sponsored notes engage readers, and may say a note is not theirs. And the creator centre,
which shows an author the same numbers for their own notes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from notes import services
from notes.models import Note, NoteImpressionDay
from notes.scoring import RATE_SHOWN_MIN, engagement_per_hundred
from notes.services import NoteChanges, NoteContent
from tests.factories import NoteFactory, UserFactory, image_upload
from users.models import Notification, User

pytestmark = pytest.mark.django_db

PARTNERSHIPS = reverse("notes:partnerships")


@pytest.fixture
def brand(db):
    return UserFactory(
        username="teabrand", display_name="Tea Brand", kind=User.Kind.BRAND, is_verified=True
    )


def sponsored(author, sponsor: str) -> Note:
    note = services.note_create(
        author=author,
        content=NoteContent(title="New tea", images=[image_upload()], sponsor=sponsor),
        publish=True,
    )
    services.note_media_process(note_id=note.pk)  # as the worker does: readers may open it
    return note


def test_a_note_discloses_its_sponsor_by_the_brands_username(user, brand):
    note = sponsored(user, "@TeaBrand")

    assert note.sponsor == brand


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ({"username": "nobody"}, "No verified brand goes by “nobody”."),
        ({"username": "plainbrand", "kind": User.Kind.BRAND}, "No verified brand goes by"),
        ({"username": "creator", "kind": User.Kind.CREATOR}, "No verified brand goes by"),
    ],
)
def test_only_a_verified_brand_can_be_named(user, who, message):
    if who["username"] != "nobody":
        UserFactory(**who)

    with pytest.raises(ValidationError) as refused:
        sponsored(user, who["username"])

    assert message in refused.value.message_dict["sponsor"][0]


def test_a_brand_does_not_sponsor_its_own_notes(brand):
    with pytest.raises(ValidationError) as refused:
        sponsored(brand, "teabrand")

    assert refused.value.message_dict == {"sponsor": ["A brand's own notes need no disclosure."]}


def test_editing_keeps_the_sponsor_unless_it_is_changed(user, brand):
    note = sponsored(user, "teabrand")

    services.note_update(actor=user, note_id=note.pk, changes=NoteChanges(title="Tea, again"))
    assert Note.objects.get(pk=note.pk).sponsor == brand

    services.note_update(actor=user, note_id=note.pk, changes=NoteChanges(sponsor=""))
    assert Note.objects.get(pk=note.pk).sponsor is None


def test_the_note_page_says_who_paid_for_it(client, user, brand):
    note = sponsored(user, "teabrand")

    page = client.get(note.get_absolute_url()).content.decode()

    assert f'Paid partnership with <a href="{brand.get_absolute_url()}">Tea Brand</a>' in page


def test_the_form_keeps_a_wrong_brand_name_with_the_reason(user_client):
    data = {"title": "New tea", "sponsor": "@teabrnd", "action": "publish"}
    data["images"] = [image_upload()]

    response = user_client.post(reverse("notes:create"), data)

    page = response.content.decode()
    assert "No verified brand goes by “teabrnd”." in page
    assert 'value="@teabrnd"' in page
    assert not Note.objects.exists()


def test_the_api_takes_and_shows_the_sponsor(api, brand):
    response = api.post(
        "/api/v1/notes/",
        {"title": "New tea", "images": [image_upload()], "publish": "true", "sponsor": "teabrand"},
    )

    assert response.status_code == 201
    assert response.json()["sponsor"]["username"] == "teabrand"


# --- The brand's side.


def test_the_brand_sees_its_partnerships_with_their_numbers(client, brand):
    creator = UserFactory(username="creator", display_name="Creator")
    NoteFactory(author=creator, sponsor=brand, title="Matcha", impressions=200, ces=30)
    NoteFactory(author=creator, sponsor=brand, title="Oolong", impressions=0, ces=0)
    NoteFactory(title="Someone else's", impressions=500, ces=90)
    client.force_login(brand)

    page = client.get(PARTNERSHIPS).content.decode()

    assert page.count('<li class="partner-note"') == 2
    assert "Matcha" in page
    assert "Someone else&#x27;s" not in page
    assert "15.0 per 100" in page  # 30 CES over 200 readers shown
    assert "— per 100" in page  # not shown to anyone yet
    assert 'class="partner-row"' in page  # the creator, with the totals of both notes


def test_other_accounts_have_no_partnerships_page(user_client):
    assert user_client.get(PARTNERSHIPS).status_code == 404


def test_a_brand_takes_its_name_off_a_note_and_the_author_is_told(client, user, brand):
    note = sponsored(user, "teabrand")
    client.force_login(brand)

    response = client.post(reverse("notes:partnership_decline", args=[note.pk]))

    assert response.url == PARTNERSHIPS
    assert Note.objects.get(pk=note.pk).sponsor is None
    told = Notification.objects.get(recipient=user)
    assert (told.verb, told.latest_actor) == ("sponsor_declined", brand)


def test_a_brand_cannot_decline_a_note_that_does_not_name_it(client, user, brand):
    other_brand = UserFactory(kind=User.Kind.BRAND, is_verified=True, username="other")
    note = sponsored(user, "other")
    client.force_login(brand)

    response = client.post(reverse("notes:partnership_decline", args=[note.pk]))

    assert response.status_code == 404
    assert Note.objects.get(pk=note.pk).sponsor == other_brand


# --- The creator centre: the same numbers, for one's own notes.

CREATOR = reverse("notes:creator_centre")


def test_the_creator_centre_adds_up_the_authors_published_notes(user_client, user):
    NoteFactory(author=user, title="Matcha", impressions=200, ces=30, follows_gained=2)
    NoteFactory(author=user, title="Oolong", impressions=100, ces=0, likes_count=0)
    NoteFactory(author=user, title="Draft", status=Note.Status.DRAFT, published_at=None, ces=9)
    NoteFactory(title="Someone else's", impressions=900, ces=90)

    response = user_client.get(CREATOR)

    totals = response.context["totals"]
    assert (totals.notes, totals.impressions, totals.follows, totals.ces) == (2, 300, 2, 30)
    assert totals.per_hundred == 10.0
    page = response.content.decode()
    assert page.count('<li class="partner-note"') == 2
    assert "Not ours" not in page


def test_the_creator_centre_counts_readers_a_day_for_the_last_week(user_client, user):
    note = NoteFactory(author=user)
    today = timezone.localdate()
    NoteImpressionDay.objects.create(note=note, day=today, count=12)
    NoteImpressionDay.objects.create(note=note, day=today - timedelta(days=2), count=5)
    NoteImpressionDay.objects.create(note=note, day=today - timedelta(days=9), count=99)

    days = user_client.get(CREATOR).context["shown_by_day"]

    assert [shown for _day, shown in days] == [0, 0, 0, 0, 5, 0, 12]
    assert days[-1][0] == today


def test_engagement_shows_only_once_enough_readers_have_seen_a_note():
    assert engagement_per_hundred(ces=23, impressions=RATE_SHOWN_MIN - 1) is None
    assert engagement_per_hundred(ces=23, impressions=RATE_SHOWN_MIN) == 115.0


def test_the_api_gives_a_creator_their_numbers(api, user):
    NoteFactory(author=user, impressions=200, ces=30)

    data = api.get("/api/v1/me/creator/").json()

    assert (data["totals"]["notes"], data["totals"]["per_hundred"]) == (1, 15.0)
    assert len(data["shown_by_day"]) == 7


def test_the_api_gives_a_brand_its_partnerships(make_api_client, brand):
    NoteFactory(sponsor=brand, title="Matcha", impressions=200, ces=30)

    data = make_api_client(brand).get("/api/v1/me/partnerships/").json()

    assert [note["title"] for note in data["results"]] == ["Matcha"]
    assert data["totals"]["ces"] == 30
    assert data["creators"][0]["numbers"]["per_hundred"] == 15.0
