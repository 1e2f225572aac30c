"""What a reader sees on a note page: each tag once, and times in one unit or as a date."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from notes import services
from notes.models import Comment, Note
from tests.factories import CommentFactory, NoteFactory, image_upload

pytestmark = pytest.mark.django_db


def publish(author, *, body: str, tags: tuple[str, ...] = ()) -> Note:
    content = services.NoteContent(title="Tea", body=body, tags=tags, images=[image_upload()])
    note = services.note_create(author=author, content=content, publish=True)
    services.note_media_process(note_id=note.pk)  # as the worker does after the commit
    return note


def test_a_hashtag_written_in_the_text_shows_once(client, user):
    note = publish(user, body="Oolong by the lake #tea")

    html = client.get(note.get_absolute_url()).content.decode()

    assert html.count('href="/tags/tea/"') == 1


def test_a_tag_from_the_tag_field_shows_after_the_text(client, user):
    note = publish(user, body="Oolong by the lake #tea", tags=("green",))

    html = client.get(note.get_absolute_url()).content.decode()

    assert html.count('href="/tags/green/"') == 1
    assert '<a class="note-hashtag" href="/tags/green/">#green</a>' in html


def test_an_older_note_shows_its_date(client):
    note = NoteFactory()
    long_ago = datetime(2024, 11, 3, 4, 0, tzinfo=UTC)  # noon in Shanghai
    Note.objects.filter(pk=note.pk).update(published_at=long_ago, updated_at=long_ago)

    html = client.get(note.get_absolute_url()).content.decode()

    assert ">2024-11-03</time>" in html


def test_a_comment_time_reads_in_one_unit(client):
    comment = CommentFactory()
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(days=3, hours=5)
    )

    html = client.get(comment.note.get_absolute_url()).content.decode()

    assert ">3 days ago</time>" in html
