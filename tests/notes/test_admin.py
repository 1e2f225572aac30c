import pytest
from django.contrib import admin, messages
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import search
from notes import services
from notes.models import Comment, Note
from tests.factories import BoardFactory, NoteFactory, UserFactory, video_upload

pytestmark = pytest.mark.django_db

NOTES_MODELS = [model for model in admin.site._registry if model._meta.app_label == "notes"]
NOTE_CHANGELIST = reverse("admin:notes_note_changelist")


def run_action(client, action: str, notes: list[Note]) -> list:
    response = client.post(
        NOTE_CHANGELIST,
        {"action": action, admin.helpers.ACTION_CHECKBOX_NAME: [note.pk for note in notes]},
    )
    assert response.status_code == 302
    return [(shown.level, shown.message) for shown in get_messages(response.wsgi_request)]


def test_remove_note_action_takes_the_note_off_the_site(admin_client):
    note = NoteFactory()

    shown = run_action(admin_client, "remove_notes", [note])

    note.refresh_from_db()
    assert note.status == Note.Status.REMOVED
    assert shown == [(messages.SUCCESS, "1 note updated.")]


def test_restore_note_action_puts_a_removed_note_back(admin_client):
    note = NoteFactory(status=Note.Status.REMOVED)

    run_action(admin_client, "restore_notes", [note])

    note.refresh_from_db()
    assert note.status == Note.Status.PUBLISHED


def test_restore_note_action_leaves_a_draft_unpublished_with_a_warning(admin_client):
    draft = NoteFactory(title="Half written", status=Note.Status.DRAFT, published_at=None)

    shown = run_action(admin_client, "restore_notes", [draft])

    draft.refresh_from_db()
    assert draft.status == Note.Status.DRAFT
    assert shown == [
        (messages.WARNING, "“Half written” is not removed or under review; left as it is.")
    ]


def test_recount_counters_action_fixes_drifted_counters_and_ces(admin_client, user):
    note = NoteFactory()
    services.note_like(actor=user, note_id=note.pk)
    Note.objects.filter(pk=note.pk).update(likes_count=9, comments_count=3, ces=21)

    shown = run_action(admin_client, "recount_counters", [note])

    note.refresh_from_db()
    assert (note.likes_count, note.comments_count, note.ces) == (1, 0, 1)
    assert shown == [
        (messages.SUCCESS, "Counters recounted: 1 note had drifted and was corrected.")
    ]


def test_note_changelist_costs_the_same_queries_for_5_and_25_notes(admin_client):
    def changelist_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(NOTE_CHANGELIST)
        assert response.status_code == 200
        return len(captured.captured_queries)

    NoteFactory.create_batch(5, images=0)
    admin_client.get(NOTE_CHANGELIST)
    with_five = changelist_queries()
    NoteFactory.create_batch(20, images=0)
    with_twenty_five = changelist_queries()

    assert with_twenty_five == with_five


def test_note_change_page_shows_each_photo_as_an_escaped_thumbnail(admin_client):
    note = NoteFactory(images=2)
    first = note.images.order_by("position").first()

    response = admin_client.get(reverse("admin:notes_note_change", args=[note.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<img src="/media/notes/') == 2
    assert f'<img src="{first.image.url}" width="96" height="128"' in html


def note_change_form(note: Note, **fields: str) -> dict:
    """The note's change form as the admin page posts it, with `fields` typed over it."""
    pictures = list(note.images.order_by("position"))
    data = {
        "title": note.title,
        "body": note.body,
        "tags": ", ".join(note.chosen_tags),
        "place_name": note.place_name,
        "latitude": "" if note.latitude is None else str(note.latitude),
        "longitude": "" if note.longitude is None else str(note.longitude),
        "images-TOTAL_FORMS": str(len(pictures)),
        "images-INITIAL_FORMS": str(len(pictures)),
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "video-TOTAL_FORMS": "0",
        "video-INITIAL_FORMS": "0",
        "video-MIN_NUM_FORMS": "0",
        "video-MAX_NUM_FORMS": "1",
        "pool_entries-TOTAL_FORMS": "0",
        "pool_entries-INITIAL_FORMS": "0",
        "pool_entries-MIN_NUM_FORMS": "0",
        "pool_entries-MAX_NUM_FORMS": "1000",
    }
    for index, picture in enumerate(pictures):
        data[f"images-{index}-id"] = str(picture.pk)
        data[f"images-{index}-note"] = str(note.pk)
    return {**data, **fields}


def test_note_change_form_saves_text_but_keeps_counters(admin_client):
    note = NoteFactory(title="Old title", likes_count=4, ces=4)

    response = admin_client.post(
        reverse("admin:notes_note_change", args=[note.pk]),
        note_change_form(
            note, title="New title", body="Fresh words #brunch", tags="brunch", likes_count="999"
        ),
    )

    note.refresh_from_db()
    assert response.status_code == 302
    assert (note.title, note.likes_count) == ("New title", 4)
    assert list(note.tags.names()) == ["brunch"]


def test_note_change_form_saves_tags_by_the_authors_rules(admin_client):
    note = NoteFactory(body="Sunny")

    admin_client.post(
        reverse("admin:notes_note_change", args=[note.pk]),
        note_change_form(note, tags="#weird, ok"),
    )

    assert sorted(note.tags.names()) == ["ok", "weird"]


def test_note_change_form_shows_the_chosen_tags_without_the_bodys_hashtags(admin_client, user):
    note = services.note_create(
        author=user,
        content=services.NoteContent(title="Tea", body="Oolong #tea", tags=["travel"]),
        publish=False,
    )

    response = admin_client.get(reverse("admin:notes_note_change", args=[note.pk]))

    assert response.context["adminform"].form["tags"].value() == "travel"


def test_note_change_form_refuses_a_place_with_half_its_coordinates(admin_client):
    note = NoteFactory(place_name="", latitude=None, longitude=None)

    response = admin_client.post(
        reverse("admin:notes_note_change", args=[note.pk]),
        note_change_form(note, place_name="Bund", latitude="31.24"),
    )

    note.refresh_from_db()
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["place_name"] == [
        "A place needs both latitude and longitude."
    ]
    assert (note.place_name, note.latitude) == ("", None)


def test_note_change_form_leaves_the_photo_order_to_the_author(admin_client):
    note = NoteFactory(images=2)
    cover, second = note.images.order_by("position")

    admin_client.post(
        reverse("admin:notes_note_change", args=[note.pk]),
        note_change_form(note, **{"images-0-position": "1", "images-1-position": "0"}),
    )

    assert list(note.images.order_by("position").values_list("pk", flat=True)) == [
        cover.pk,
        second.pk,
    ]


def test_notes_cannot_be_added_in_the_admin(admin_client):
    response = admin_client.get(reverse("admin:notes_note_add"))

    assert response.status_code == 403


def test_board_admin_refuses_a_name_the_owner_already_uses(admin_client):
    owner = UserFactory()
    BoardFactory(owner=owner, name="Trip ideas")
    board = BoardFactory(owner=owner, name="Recipes")

    response = admin_client.post(
        reverse("admin:notes_board_change", args=[board.pk]),
        {"name": "Trip ideas", "description": "", "is_private": ""},
    )

    board.refresh_from_db()
    assert response.status_code == 200
    assert board.name == "Recipes"
    assert response.context["adminform"].form.errors["name"] == [
        "You already have a board with that name."
    ]


def test_board_admin_saves_through_the_service_with_the_name_trimmed(admin_client):
    board = BoardFactory(name="Recipes", is_private=False)

    response = admin_client.post(
        reverse("admin:notes_board_change", args=[board.pk]),
        {"name": "  Dumplings  ", "description": " Folded on Sundays ", "is_private": "on"},
    )

    board.refresh_from_db()
    assert response.status_code == 302
    assert (board.name, board.description, board.is_private) == (
        "Dumplings",
        "Folded on Sundays",
        True,
    )


def interactions_of_every_kind(reader, author) -> None:
    """One row of each model the notes admin registers, made the way the site makes them."""
    note = NoteFactory(author=author)
    board = services.board_create(owner=reader, name="Saved")
    services.note_like(actor=reader, note_id=note.pk)
    services.note_bookmark(actor=reader, note_id=note.pk, board_id=board.pk)
    services.note_repost(actor=reader, note_id=note.pk)
    services.note_author_follow(actor=reader, note_id=note.pk)
    comment = services.comment_create(author=reader, note_id=note.pk, body="Where is this?")
    services.report_file(actor=author, comment_id=comment.pk, reason="spam")
    services.comment_create(
        author=author, note_id=note.pk, body="Wukang Road", parent_id=comment.pk
    )
    services.comment_like(actor=author, comment_id=comment.pk)
    services.note_create(
        author=author,
        content=services.NoteContent(title="Clip", video=video_upload()),
        publish=True,
    )
    services.note_not_interested(actor=reader, note_id=note.pk)
    note.tags.add("tea")
    services.hot_topic_rule_set(actor=UserFactory(is_staff=True), tag=note.tags.get(), action="pin")
    services.hot_list_refresh()
    services.search_word_add(actor=UserFactory(is_staff=True), word="完美日记")
    for person in range(3):
        services.search_record(actor=None, searcher=f"ip{person}", found=search.terms("露营"))
    services.hot_queries_refresh()
    services.ces_recalculate(trigger="command")


@pytest.mark.parametrize("model", NOTES_MODELS, ids=lambda model: model._meta.model_name)
def test_changelist_and_change_page_render_for_a_superuser(admin_client, user, other_user, model):
    interactions_of_every_kind(reader=user, author=other_user)
    meta = model._meta
    first = model.objects.order_by("pk").first()

    listing = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    page = admin_client.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
    )

    assert (listing.status_code, page.status_code) == (200, 200)
    assert listing.context["cl"].result_count >= 1


def test_every_notes_model_is_registered():
    registered = {model._meta.model_name for model in NOTES_MODELS}

    assert registered == {
        "note",
        "noteimage",
        "notevideo",
        "like",
        "bookmark",
        "repost",
        "followfromnote",
        "comment",
        "commentlike",
        "board",
        "notetraffic",
        "readerinterest",
        "hottopicrule",
        "hotlistentry",
        "searchword",
        "searchrecord",
        "hotquery",
        "cesrun",
        "report",
    }


def test_delete_comments_action_removes_a_thread_and_fixes_the_note_count(admin_client, user):
    note = NoteFactory()
    thread = services.comment_create(author=user, note_id=note.pk, body="Where is this?")
    services.comment_create(author=user, note_id=note.pk, body="Found it", parent_id=thread.pk)
    kept = services.comment_create(author=user, note_id=note.pk, body="Lovely")

    response = admin_client.post(
        reverse("admin:notes_comment_changelist"),
        {"action": "delete_comments", "_selected_action": [thread.pk]},
        follow=True,
    )

    note.refresh_from_db()
    assert [str(message) for message in response.context["messages"]] == ["2 comments deleted."]
    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert note.comments_count == 1


def test_ces_run_changelist_shows_when_how_long_and_what_changed(admin_client):
    # given: a note whose CES drifted by 7
    note = NoteFactory(images=0)
    Note.objects.filter(pk=note.pk).update(likes_count=7, ces=7)
    services.ces_recalculate(trigger="nightly")
    # when
    response = admin_client.get(reverse("admin:notes_cesrun_changelist"))
    # then
    run = response.context["cl"].result_list[0]
    html = response.content.decode()
    assert (run.notes_changed, run.largest_drift, run.largest_drift_note_id) == (1, 7, note.pk)
    assert "Nightly task" in html
    assert " s</td>" in html  # the duration
    assert not response.context["has_add_permission"]
