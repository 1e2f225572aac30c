"""Notes that are in the search index, as the notes services would leave them."""

from collections.abc import Callable

import pytest

from notes.models import Note
from notes.services import note_search_update
from tests.factories import NoteFactory


@pytest.fixture
def indexed_note(db) -> Callable[..., Note]:
    """A note (NoteFactory's arguments, `tags` too) with its search row and its topics'."""

    def make(*, tags: tuple[str, ...] = (), **fields: object) -> Note:
        fields.setdefault("images", 0)
        note = NoteFactory(**fields)
        if tags:
            note.tags.set(list(tags))
        note_search_update(note_id=note.pk)
        return note

    return make
