"""A topic is one whatever the case it is written in: #OOTD and #ootd tag the same notes, and
the duplicates made before that was so are merged (notes migration 0017)."""

import importlib

import pytest
from django.apps import apps
from django.template import Context, Template
from taggit.models import Tag

from notes import services
from notes.models import HotTopicRule, Note, ReaderInterest, TaggedNote
from notes.services import NoteContent
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

merge = importlib.import_module("notes.migrations.0017_merge_tags_differing_in_case")


def test_a_hashtag_in_another_case_tags_the_existing_topic(user):
    first = services.note_create(
        author=user, content=NoteContent(title="Look", body="#OOTD today"), publish=False
    )

    second = services.note_create(
        author=user, content=NoteContent(title="Again", body="#ootd again"), publish=False
    )

    assert Tag.objects.count() == 1
    assert list(second.tags.all()) == list(first.tags.all())


def test_one_note_writing_a_tag_in_two_cases_has_it_once(user):
    content = NoteContent(title="Look", body="#OOTD and #ootd", tags=["Ootd"])

    note = services.note_create(author=user, content=content, publish=False)

    assert list(note.tags.names()) == ["Ootd"]  # the first spelling: the tags field's
    assert note.chosen_tags == []


def test_a_hashtag_links_to_its_topic_whatever_its_case():
    tag = Tag.objects.create(name="Tea", slug="tea_1")
    note = NoteFactory(images=0, body="More #tea please")
    note.tags.add(tag)

    html = Template("{% load note_text %}{% note_text note.body note.tags.all %}").render(
        Context({"note": note})
    )

    assert 'href="/tags/tea_1/"' in html


def test_the_migration_merges_tags_differing_in_case_into_the_oldest():
    upper = Tag.objects.create(name="OOTD", slug="ootd")
    lower = Tag.objects.create(name="ootd", slug="ootd_1")
    both, only_lower = NoteFactory(images=0), NoteFactory(images=0)
    both.tags.add(upper, lower)
    only_lower.tags.add(lower)
    HotTopicRule.objects.create(tag=lower, action=HotTopicRule.Action.PIN)
    reader = UserFactory()
    ReaderInterest.objects.create(
        reader=reader, weights={"ootd": 2.0, "ootd_1": 1.5, "tea": 1.0}, updated_at=both.created_at
    )

    merge.tags_merge_by_case(apps, None)

    assert list(Tag.objects.values_list("name", flat=True)) == ["OOTD"]
    tagged = TaggedNote.objects.values_list("content_object_id", "tag_id")
    assert sorted(tagged) == sorted([(both.pk, upper.pk), (only_lower.pk, upper.pk)])
    assert HotTopicRule.objects.get().tag_id == upper.pk
    assert ReaderInterest.objects.get().weights == {"ootd": 3.5, "tea": 1.0}
    assert Note.objects.filter(tags__slug="ootd").count() == 2
