"""Readers report (举报) notes and comments; moderators take them down or leave them up."""

import pytest
from django.contrib import admin, messages
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from notes import services
from notes.models import Comment, Note, Report
from tests.factories import CommentFactory, NoteFactory, UserFactory
from users.models import Notification

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
REPORTS = reverse("admin:notes_report_changelist")


def report(reader, *, note=None, comment=None, reason="spam", detail=""):
    return services.report_file(
        actor=reader,
        note_id=note.pk if note else None,
        comment_id=comment.pk if comment else None,
        reason=reason,
        detail=detail,
    )


def told(verb: str) -> set[str]:
    rows = Notification.objects.filter(verb=verb)
    return set(rows.values_list("recipient__username", flat=True))


@pytest.fixture
def staff(db):
    return UserFactory(username="moderator", is_staff=True)


# --- Filing.


def test_a_report_keeps_what_was_reported_and_waits_for_a_moderator(user):
    note = NoteFactory(title="Too good to be true")

    filed, created = report(user, note=note, reason="fake", detail=" Photos are not theirs ")

    assert created is True
    assert (filed.kind, filed.reason, filed.outcome) == ("note", "fake", "open")
    assert (filed.excerpt, filed.detail) == ("Too good to be true", "Photos are not theirs")
    assert Note.objects.get(pk=note.pk).status == Note.Status.PUBLISHED  # reports never act


def test_reporting_again_while_open_is_the_same_report(user):
    note = NoteFactory()
    first, _created = report(user, note=note)

    again, created = report(user, note=note, reason="abuse")

    assert (again.pk, again.reason, created) == (first.pk, "spam", False)


def test_a_comment_report_names_the_comment_and_its_note(user):
    comment = CommentFactory(body="Buy followers cheap")

    filed, _created = report(user, comment=comment)

    assert (filed.kind, filed.comment, filed.note, filed.excerpt) == (
        "comment",
        comment,
        comment.note,
        "Buy followers cheap",
    )


def test_one_cannot_report_what_one_wrote(user):
    own_note = NoteFactory(author=user)
    own_comment = CommentFactory(author=user)

    for target in ({"note": own_note}, {"comment": own_comment}):
        with pytest.raises(ValidationError, match="You cannot report what you wrote."):
            report(user, **target)


def test_a_report_needs_a_reason_and_a_short_detail(user):
    with pytest.raises(ValidationError) as refused:
        report(user, note=NoteFactory(), reason="boring", detail="x" * 201)

    assert refused.value.message_dict == {
        "reason": ["Choose what is wrong with it."],
        "detail": ["Keep it within 200 characters."],
    }


def test_what_a_reader_cannot_see_cannot_be_reported(user):
    banned_comment = CommentFactory(author=UserFactory(is_active=False))
    draft = NoteFactory(status=Note.Status.DRAFT, published_at=None)

    for target in ({"comment": banned_comment}, {"note": draft}):
        with pytest.raises(Http404):
            report(user, **target)


# --- Deciding.


def test_taking_down_a_note_closes_every_open_report_of_it_and_tells_each_reporter(staff):
    note = NoteFactory(title="Fake shop")
    first, _ = report(UserFactory(username="a"), note=note)
    report(UserFactory(username="b"), note=note, reason="fake")
    about_a_comment, _ = report(UserFactory(username="c"), comment=CommentFactory(note=note))

    services.report_uphold(actor=staff, report_id=first.pk)

    assert Note.objects.get(pk=note.pk).status == Note.Status.REMOVED
    outcomes = dict(Report.objects.values_list("reporter__username", "outcome"))
    assert outcomes == {"a": "upheld", "b": "upheld", "c": "open"}
    assert told("report_upheld") == {"a", "b"}
    assert told("note_removed") == {note.author.username}
    assert Report.objects.get(pk=first.pk).handled_by == staff
    assert Report.objects.get(pk=about_a_comment.pk).outcome == "open"


def test_taking_down_a_comment_deletes_it_and_keeps_the_record(staff, user):
    note = NoteFactory()
    comment = services.comment_create(author=UserFactory(), note_id=note.pk, body="Spam spam")
    filed, _ = report(user, comment=comment)

    services.report_uphold(actor=staff, report_id=filed.pk)

    filed.refresh_from_db()
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert Note.objects.get(pk=note.pk).comments_count == 0
    assert (filed.outcome, filed.comment, filed.excerpt) == ("upheld", None, "Spam spam")


def test_leaving_it_up_tells_the_reporters_and_links_the_note(staff, user):
    note = NoteFactory()
    filed, _ = report(user, note=note)

    services.report_dismiss(actor=staff, report_id=filed.pk)

    assert Note.objects.get(pk=note.pk).status == Note.Status.PUBLISHED
    message = Notification.objects.get(verb="report_dismissed")
    assert (message.recipient, message.target_url) == (user, note.get_absolute_url())


def test_only_staff_decide_reports(user, other_user):
    filed, _ = report(user, note=NoteFactory())

    with pytest.raises(PermissionDenied):
        services.report_uphold(actor=other_user, report_id=filed.pk)


def test_deleting_what_was_reported_closes_its_open_reports_as_gone(user, other_user):
    note = NoteFactory(author=other_user)
    writer = UserFactory()
    thread = services.comment_create(author=writer, note_id=note.pk, body="First")
    reply = services.comment_create(
        author=writer, note_id=note.pk, body="Again", parent_id=thread.pk
    )
    on_note, _ = report(user, note=note)
    on_reply, _ = report(user, comment=reply)

    services.comment_delete(actor=other_user, comment_id=thread.pk)
    assert Report.objects.get(pk=on_reply.pk).outcome == "gone"
    assert Report.objects.get(pk=on_note.pk).outcome == "open"

    services.note_delete(actor=other_user, note_id=note.pk)
    assert Report.objects.get(pk=on_note.pk).outcome == "gone"


# --- Pages.


def test_the_note_page_offers_report_to_readers_but_not_to_the_author(client, user):
    note = NoteFactory(author=user)
    CommentFactory(note=note, author=UserFactory())
    url = reverse("notes:report", args=[note.pk])

    client.force_login(UserFactory())
    reader_page = client.get(note.get_absolute_url()).content.decode()
    client.force_login(user)
    author_page = client.get(note.get_absolute_url()).content.decode()

    assert f'href="{url}"' in reader_page
    assert f'href="{url}"' not in author_page


def test_a_comment_offers_report_to_whoever_may_not_delete_it(client, user):
    comment = CommentFactory(author=user)
    url = reverse("notes:comment_report", args=[comment.pk])

    client.force_login(UserFactory())
    assert url in client.get(comment.note.get_absolute_url()).content.decode()
    client.force_login(user)
    assert url not in client.get(comment.note.get_absolute_url()).content.decode()


def test_the_sheet_files_the_report_and_thanks_in_place(user_client, user):
    note = NoteFactory(title="Suspicious")
    url = reverse("notes:report", args=[note.pk])

    sheet = user_client.get(url, **HTMX).content.decode()
    answer = user_client.post(url, {"reason": "elsewhere"}, **HTMX).content.decode()

    assert "<dialog" in sheet
    assert "Sends readers off the site" in sheet
    assert "Thank you. Our moderators will look at it" in answer
    assert Report.objects.get().reason == "elsewhere"


def test_a_report_without_a_reason_comes_back_with_the_words_kept(user_client):
    url = reverse("notes:report", args=[NoteFactory().pk])

    answer = user_client.post(url, {"detail": "They copy my photos"}, **HTMX).content.decode()

    assert "Choose what is wrong with it." in answer
    assert "They copy my photos</textarea>" in answer
    assert not Report.objects.exists()


def test_without_javascript_the_report_page_goes_back_to_the_note(user_client):
    note = NoteFactory()

    response = user_client.post(reverse("notes:report", args=[note.pk]), {"reason": "spam"})

    assert response.url == note.get_absolute_url()
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == ["Thank you. Our moderators will look at it and tell you what they decide."]


def test_reports_are_limited_per_reader(user_client, settings):
    settings.RATE_LIMIT_REPORTS = "2/h"
    urls = [reverse("notes:report", args=[NoteFactory().pk]) for _ in range(3)]

    statuses = [user_client.post(url, {"reason": "spam"}).status_code for url in urls]

    assert statuses == [302, 302, 429]


# --- The moderators' queue.


def test_the_queue_shows_open_reports_with_how_many_the_thing_has(admin_client):
    note = NoteFactory(title="Knock-off bags")
    for name in ("a", "b"):
        report(UserFactory(username=name), note=note)
    closed, _ = report(UserFactory(username="c"), note=NoteFactory(title="Old case"))
    Report.objects.filter(pk=closed.pk).update(outcome="dismissed")

    page = admin_client.get(REPORTS).content.decode()

    assert page.count('<td class="field-reports_of_it">2</td>') == 2
    assert "Knock-off bags" in page
    assert "Old case" not in page


def test_the_queue_takes_down_and_leaves_up_through_the_services(admin_client):
    bad = NoteFactory()
    fine = NoteFactory()
    down, _ = report(UserFactory(), note=bad)
    up, _ = report(UserFactory(), note=fine)

    for action, chosen in (("take_down", down), ("leave_up", up)):
        response = admin_client.post(
            REPORTS,
            {"action": action, admin.helpers.ACTION_CHECKBOX_NAME: [chosen.pk]},
            follow=True,
        )
        shown = [(m.level, m.message) for m in response.context["messages"]]
        assert shown == [(messages.SUCCESS, "1 report decided.")]

    assert Note.objects.get(pk=bad.pk).status == Note.Status.REMOVED
    assert Note.objects.get(pk=fine.pk).status == Note.Status.PUBLISHED
    assert dict(Report.objects.values_list("pk", "outcome")) == {
        down.pk: "upheld",
        up.pk: "dismissed",
    }


# --- The API.


def test_the_api_files_a_report_once(api):
    note = NoteFactory()

    first = api.post(f"/api/v1/notes/{note.pk}/report/", {"reason": "spam"}, format="json")
    again = api.post(f"/api/v1/notes/{note.pk}/report/", {"reason": "spam"}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["outcome"] == "open"


def test_the_api_names_the_field_a_report_is_refused_for(api):
    comment = CommentFactory()

    response = api.post(f"/api/v1/comments/{comment.pk}/report/", {"reason": "meh"}, format="json")

    assert response.status_code == 400
    assert response.json()["reason"] == ["Choose what is wrong with it."]
