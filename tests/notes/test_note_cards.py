"""Note cards ({% note_cards %}): each card is rendered once and then served from memory, with
the reader's own like state, CSRF token and page filled in, and a new card for any change."""

import re

import pytest
from django.urls import reverse

from notes.models import Note
from notes.services import note_like
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

CARD_TEMPLATE = "partials/note_card.html"


def profile_url(author) -> str:
    return reverse("community:profile", kwargs={"username": author.username})


def rendered_cards(response) -> int:
    return sum(1 for template in response.templates if template.name == CARD_TEMPLATE)


def like_form(response, note: Note) -> dict[str, str]:
    """The action, CSRF token and `next` of the like form on `note`'s card."""
    action = re.escape(reverse("notes:like", args=[note.pk]))
    found = re.search(
        rf'action="({action})".*?name="csrfmiddlewaretoken" value="([^"]*)">'
        r'<input type="hidden" name="next" value="([^"]*)"',
        response.content.decode(),
        re.DOTALL,
    )
    assert found, "no like form on the card"
    return {"action": found[1], "csrfmiddlewaretoken": found[2], "next": found[3]}


def test_a_card_is_rendered_once_then_served_from_memory(client):
    # given
    author = UserFactory()
    NoteFactory.create_batch(3, author=author)
    first = client.get(profile_url(author))
    # when
    second = client.get(profile_url(author))
    # then
    assert rendered_cards(first) == 3
    assert rendered_cards(second) == 0
    assert second.content.count(b'class="card"') == 3


def test_a_cached_card_shows_each_reader_their_own_like(client):
    # given
    note = NoteFactory()
    fan, other = UserFactory(), UserFactory()
    note_like(actor=fan, note_id=note.pk)
    client.force_login(other)
    client.get(profile_url(note.author))
    # when
    client.force_login(fan)
    response = client.get(profile_url(note.author))
    # then
    assert b"card__likes is-liked" in response.content
    assert reverse("notes:unlike", args=[note.pk]).encode() in response.content


def test_a_cached_cards_form_carries_this_readers_token_and_page(client):
    # given: the card was rendered for another reader on another page
    note = NoteFactory()
    note.tags.add("sea")
    client.force_login(UserFactory())
    client.get(profile_url(note.author))
    reader = UserFactory()
    client.force_login(reader)
    client.handler.enforce_csrf_checks = True
    tag_url = reverse("notes:tag", kwargs={"slug": "sea"})
    # when
    response = client.get(tag_url)
    form = like_form(response, note)
    liked = client.post(form["action"], form)
    # then
    assert form["next"] == tag_url
    assert liked.status_code == 302
    assert note.likes.filter(user=reader).exists()


def test_a_new_like_count_or_title_shows_at_once(client):
    # given
    note = NoteFactory(title="Before")
    client.get(profile_url(note.author))
    Note.objects.filter(pk=note.pk).update(title="After", likes_count=7)
    # when
    response = client.get(profile_url(note.author))
    # then
    assert b"After" in response.content
    assert b'<span class="card__like-count">7</span>' in response.content
