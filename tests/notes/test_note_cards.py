"""Note cards ({% note_cards %}): each card is rendered once and then served from memory, with
the reader's own like state, CSRF token and page filled in, and a new card for any change."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.urls import reverse

from notes.models import Note, NoteImage, NoteVideo
from notes.selectors import CardRow, note_card_rows, note_cards_in_order
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


# --- Card rows: a ranked list's cards read as plain values (notes.selectors.note_card_rows).


def without_token(html: str) -> str:
    """The HTML less its CSRF tokens (masked afresh for each rendering)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def noted_variety() -> list[Note]:
    """A photo note by an author with a name and an avatar, a video note with a poster, a
    video note without one, and a note with neither."""
    named = UserFactory(display_name="Lin", avatar="avatars/lin.jpg", red_potato_level=4)
    photo = NoteFactory(author=named, likes_count=3, products_count=1)
    NoteImage.objects.filter(note=photo).update(
        variants=[{"width": 60, "jpeg": "v/60.jpg", "webp": "v/60.webp"}]
    )
    with_poster, without_poster = NoteFactory(images=0), NoteFactory(images=0)
    for note, poster in ((with_poster, "posters/a.jpg"), (without_poster, "")):
        NoteVideo.objects.create(
            note=note,
            file="videos/a.mp4",
            width=720,
            height=1280,
            duration_seconds=3,
            poster=poster,
        )
    return [photo, with_poster, without_poster, NoteFactory(images=0)]


def test_a_card_row_read_for_a_page_is_the_row_made_from_its_note():
    # given
    notes = noted_variety()
    note_ids = [note.pk for note in reversed(notes)]
    # when
    rows = note_card_rows(note_ids, reader=None)
    # then
    assert rows == [CardRow.of(note) for note in note_cards_in_order(note_ids)]
    assert [row.pk for row in rows] == note_ids
    assert rows[-1].author_display_name == "Lin"
    assert rows[-1].cover_variants


def test_card_rows_say_which_notes_the_reader_liked():
    # given
    liked, other = NoteFactory(), NoteFactory()
    fan = UserFactory()
    note_like(actor=fan, note_id=liked.pk)
    note_ids = [liked.pk, other.pk]
    # when
    rows = note_card_rows(note_ids, reader=fan)
    anonymous = note_card_rows(note_ids, reader=None)
    # then
    assert [row.liked for row in rows] == [True, False]
    assert [row.liked for row in anonymous] == [False, False]


def test_card_rows_leave_out_a_note_no_longer_visible():
    # given
    kept, withdrawn = NoteFactory(), NoteFactory()
    banned = NoteFactory(author=UserFactory(is_active=False))
    Note.objects.filter(pk=withdrawn.pk).update(status=Note.Status.DRAFT)
    # when
    rows = note_card_rows([banned.pk, withdrawn.pk, kept.pk], reader=None)
    # then
    assert [row.pk for row in rows] == [kept.pk]


def test_cards_of_rows_read_their_notes_only_when_not_kept(rf, django_assert_num_queries):
    # given
    notes = noted_variety()
    rows = note_card_rows([note.pk for note in notes], reader=None)
    page = Template("{% load note_cards %}{% note_cards rows %}")
    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(2):  # the notes of the cards not kept, and their covers
        first = page.render(RequestContext(request, {"rows": rows}))
    # when
    with django_assert_num_queries(0):
        again = page.render(RequestContext(request, {"rows": rows}))
    # then
    assert without_token(again) == without_token(first)
    assert first.count('<article class="card') == len(notes)


def test_a_discover_card_shows_the_readers_like(client, settings):
    # given
    settings.DISCOVER_EXPLORATION_SHARE = 0
    note = NoteFactory()
    fan = UserFactory()
    note_like(actor=fan, note_id=note.pk)
    client.force_login(fan)
    # when
    response = client.get(reverse("community:home"))
    # then
    assert f'action="{reverse("notes:unlike", args=[note.pk])}"' in response.content.decode()
