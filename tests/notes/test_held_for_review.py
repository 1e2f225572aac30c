"""Notes that send readers off the site are held for a moderator; comments are refused."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from notes import services
from notes.models import Comment, Note, NoteTraffic
from notes.services import NoteChanges, NoteContent
from tests.factories import NoteFactory, UserFactory, image_upload
from users.models import Notification

pytestmark = pytest.mark.django_db

WECHAT = "Add me on vx: tangtang_2024 for the rest"
NOTE_CHANGELIST = reverse("admin:notes_note_changelist")


def posted(author, body: str = WECHAT, **content) -> Note:
    return services.note_create(
        author=author,
        content=NoteContent(title="Spare bits", body=body, images=[image_upload()], **content),
        publish=True,
    )


def refreshed(note: Note) -> Note:
    note.refresh_from_db()
    author = note.author
    author.refresh_from_db()
    return note


def assert_went_up(note: Note) -> None:
    """Published, with what follows: no reasons left, the author's count, a traffic pool."""
    note = refreshed(note)
    assert note.status == Note.Status.PUBLISHED
    assert note.published_at is not None
    assert note.review_reasons == []
    assert note.author.notes_published == 1
    assert NoteTraffic.objects.filter(note=note).exists()


# --- Publishing.


def test_a_note_with_a_wechat_id_is_held_for_review_with_what_was_found(user):
    note = refreshed(posted(user))

    assert note.status == Note.Status.UNDER_REVIEW
    assert note.published_at is None
    assert [(f.kind, f.text) for f in note.review_findings] == [("wechat", "vx: tangtang_2024")]


def test_a_held_note_counts_for_nothing_until_it_goes_up(user):
    note = refreshed(posted(user, body="@someone call 138 0013 8000"))

    assert note.author.notes_published == 0
    assert not NoteTraffic.objects.filter(note=note).exists()
    assert not Note.objects.filter(pk=note.pk, status=Note.Status.PUBLISHED).exists()


def test_a_phone_number_in_the_place_or_the_tags_holds_the_note_too(user):
    by_place = posted(user, body="", place_name="Shop, call 13800138000")
    by_tag = posted(user, body="", tags=["vx:tangtang_2024"])

    assert [refreshed(n).status for n in (by_place, by_tag)] == [Note.Status.UNDER_REVIEW] * 2


def test_a_clean_note_is_published_as_before(user):
    note = refreshed(posted(user, body="Dinner for one, ¥88, open 10:00-22:00"))

    assert note.status == Note.Status.PUBLISHED
    assert note.review_reasons == []


def test_a_draft_is_not_screened(user):
    note = services.note_create(
        author=user, content=NoteContent(title="Later", body=WECHAT), publish=False
    )

    assert (note.status, note.review_reasons) == (Note.Status.DRAFT, [])


def test_taking_the_contact_out_puts_the_held_note_up_at_once(user):
    note = posted(user)

    services.note_update(actor=user, note_id=note.pk, changes=NoteChanges(body="The rest soon"))

    assert_went_up(note)


def test_editing_a_held_note_that_still_has_it_keeps_it_held_with_the_new_findings(user):
    note = posted(user)

    services.note_update(
        actor=user, note_id=note.pk, changes=NoteChanges(body="QQ 123456789 instead")
    )

    note = refreshed(note)
    assert note.status == Note.Status.UNDER_REVIEW
    assert [f.kind for f in note.review_findings] == ["qq"]


def test_a_published_note_edited_to_add_a_phone_number_goes_back_under_review(user):
    note = posted(user, body="Lovely place")
    assert refreshed(note).author.notes_published == 1

    services.note_update(
        actor=user, note_id=note.pk, changes=NoteChanges(body="Book on 13800138000")
    )

    note = refreshed(note)
    assert note.status == Note.Status.UNDER_REVIEW
    assert note.author.notes_published == 0
    assert note.published_at is not None  # it keeps its time for when it goes up again


def test_saving_a_held_note_as_a_draft_forgets_why_it_was_held(user):
    note = posted(user)

    services.note_update(actor=user, note_id=note.pk, changes=NoteChanges(), publish=False)

    note = refreshed(note)
    assert (note.status, note.review_reasons) == (Note.Status.DRAFT, [])


def test_a_held_note_is_found_by_its_author_only(client, user, other_user):
    note = posted(user)
    client.force_login(other_user)

    assert client.get(note.get_absolute_url()).status_code == 404


# --- The author's pages.


def test_publishing_a_held_note_warns_and_the_page_says_what_holds_it(user_client, user):
    data = {"title": "Spare bits", "body": WECHAT, "action": "publish"}
    data["images"] = [image_upload("one.jpg")]

    response = user_client.post(reverse("notes:create"), data, follow=True)

    note = Note.objects.get(author=user)
    page = response.content.decode()
    assert response.redirect_chain == [(note.get_absolute_url(), 302)]
    assert "Saved, but not on the site yet: something in it sends readers elsewhere." in page
    assert "a WeChat ID" in page
    assert "vx: tangtang_2024" in page
    assert reverse("notes:edit", args=[note.pk]) in page


def test_the_edit_page_saving_a_held_note_without_the_contact_publishes_it(user_client, user):
    note = posted(user)

    response = user_client.post(
        reverse("notes:edit", args=[note.pk]),
        {"title": "Spare bits", "body": "More soon", "action": "publish"},
        follow=True,
    )

    assert refreshed(note).status == Note.Status.PUBLISHED
    assert response.redirect_chain == [(f"{note.get_absolute_url()}?published=1", 302)]


# --- Moderators.


def test_passing_a_held_note_publishes_it_and_tells_the_author(admin_client, user):
    note = posted(user, body="See @" + UserFactory(username="lihua").username + " " + WECHAT)

    admin_client.post(
        NOTE_CHANGELIST,
        {"action": "restore_notes", admin.helpers.ACTION_CHECKBOX_NAME: [note.pk]},
    )

    assert_went_up(note)
    verbs = set(Notification.objects.values_list("recipient__username", "verb"))
    assert verbs == {(user.username, "note_approved"), ("lihua", "mentioned")}


def test_the_review_queue_shows_what_held_each_note(admin_client, user):
    posted(user)

    response = admin_client.get(NOTE_CHANGELIST, {"status__exact": "under_review"})

    assert "Under review: a WeChat ID" in response.content.decode()


def test_removing_a_held_note_keeps_why_it_was_held(admin_client, user):
    note = posted(user)

    admin_client.post(
        NOTE_CHANGELIST, {"action": "remove_notes", admin.helpers.ACTION_CHECKBOX_NAME: [note.pk]}
    )

    note = refreshed(note)
    assert note.status == Note.Status.REMOVED
    assert [f.kind for f in note.review_findings] == ["wechat"]


# --- The API.


def test_the_api_says_a_new_note_is_under_review_and_why(api):
    response = api.post(
        "/api/v1/notes/",
        {"title": "Spare bits", "body": WECHAT, "images": [image_upload()], "publish": "true"},
    )

    body = response.json()
    assert response.status_code == 201
    assert body["status"] == "under_review"
    assert body["held_for"] == [
        {"kind": "wechat", "label": "a WeChat ID", "text": "vx: tangtang_2024"}
    ]


def test_a_patch_without_publish_that_takes_the_contact_out_publishes_a_held_note(api, user):
    note = posted(user)

    response = api.patch(f"/api/v1/notes/{note.pk}/", {"body": "More soon"}, format="json")

    assert response.json()["status"] == "published"
    assert response.json()["held_for"] == []


# --- Comments.


def test_a_comment_with_a_phone_number_is_refused_saying_what_was_found(user):
    note = NoteFactory()

    with pytest.raises(ValidationError) as refused:
        services.comment_create(author=user, note_id=note.pk, body="DM me 138 0013 8000")

    assert refused.value.message_dict == {
        "body": [
            "Comments cannot send readers elsewhere, and this one has a phone number "
            "(13800138000). Take it out and post again."
        ]
    }
    assert not Comment.objects.exists()


def test_the_comment_form_keeps_a_refused_comment_for_fixing(user_client):
    note = NoteFactory()

    response = user_client.post(
        reverse("notes:comment_create", args=[note.pk]),
        {"body": "see www.example.org"},
        follow=True,
    )

    page = response.content.decode()
    assert "a link to another site (www.example.org)" in page
    assert "see www.example.org</textarea>" in page
    assert not Comment.objects.exists()


def test_the_api_refuses_a_comment_with_a_wechat_id(api):
    note = NoteFactory()

    response = api.post(f"/api/v1/notes/{note.pk}/comments/", {"body": WECHAT}, format="json")

    assert response.status_code == 400
    assert "a WeChat ID (vx: tangtang_2024)" in response.json()["body"][0]
