from datetime import timedelta

import pytest
from django.utils import timezone

from notes import services
from notes.models import Note

PUBLISHED = timezone.now()


def test_a_note_changed_a_minute_after_publishing_reads_as_edited():
    note = Note(published_at=PUBLISHED, updated_at=PUBLISHED + timedelta(seconds=61))

    assert note.is_edited is True


def test_a_note_changed_within_a_minute_of_publishing_does_not_read_as_edited():
    note = Note(published_at=PUBLISHED, updated_at=PUBLISHED + timedelta(seconds=59))

    assert note.is_edited is False


def test_a_draft_never_reads_as_edited():
    note = Note(published_at=None, updated_at=PUBLISHED + timedelta(days=1))

    assert note.is_edited is False


@pytest.mark.django_db
def test_chosen_tags_are_the_tags_not_written_as_hashtags_in_the_body(user):
    note = services.note_create(
        author=user,
        content=services.NoteContent(title="Tea", body="Oolong #tea", tags=["travel", "tea"]),
        publish=False,
    )

    assert note.chosen_tags == ["travel"]
