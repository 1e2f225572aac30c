"""Shapes shared by cards, notes and the feeds (community.api), and the page helpers."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from core.api import page_schema
from notes import selectors
from notes.models import Note
from users.api import UserSummarySerializer


def card_context(request: Request, notes: list[Note]) -> dict[str, Any]:
    """Which of these cards the reader liked: one query for the page."""
    state = selectors.reader_state(actor=request.user, note_ids=[note.pk for note in notes])
    return {"liked_ids": state.liked}


class VariantSerializer(serializers.Serializer):
    """One width of a photo (core.images): a client picks the smallest that fills its view."""

    width = serializers.IntegerField()
    height = serializers.IntegerField()
    webp = serializers.SerializerMethodField()
    jpeg = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ImageVariant"

    def _url(self, name: str) -> str:
        url = self.context["storage"].url(name)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_webp(self, entry: dict) -> str:
        return self._url(entry["webp"])

    def get_jpeg(self, entry: dict) -> str:
        return self._url(entry["jpeg"])


def variants(serializer: serializers.Serializer, files: list[dict], field) -> list[dict]:
    """A picture's variants, smallest first, with URLs from the field's own storage."""
    context = {**serializer.context, "storage": field.storage}
    return VariantSerializer(files, many=True, context=context).data


class ImageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.ImageField(source="image")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    position = serializers.IntegerField()
    variants = serializers.SerializerMethodField()
    placeholder_colour = serializers.CharField()

    @extend_schema_field(VariantSerializer(many=True))
    def get_variants(self, picture) -> list[dict]:
        return variants(self, picture.variants, picture.image)

    class Meta:
        ref_name = "NoteImage"


class CoverSerializer(serializers.Serializer):
    url = serializers.ImageField(source="image")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    variants = serializers.SerializerMethodField()
    placeholder_colour = serializers.CharField()

    @extend_schema_field(VariantSerializer(many=True))
    def get_variants(self, picture) -> list[dict]:
        return variants(self, picture.variants, picture.image)

    class Meta:
        ref_name = "NoteCover"


class VideoSerializer(serializers.Serializer):
    url = serializers.FileField(source="file")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    duration_seconds = serializers.FloatField()
    poster = serializers.SerializerMethodField()

    @extend_schema_field(VariantSerializer(many=True))
    def get_poster(self, video) -> list[dict]:
        """The poster frame's variants (empty until the video is processed)."""
        return variants(self, video.poster_variants, video.poster)

    class Meta:
        ref_name = "NoteVideo"


def note_video(serializer: serializers.Serializer, note: Note) -> dict | None:
    """The note's video in the serializer's context, or None."""
    video = getattr(note, "video", None)  # a note without a video raises, so ask softly
    return VideoSerializer(video, context=serializer.context).data if video else None


class NoteCardSerializer(serializers.Serializer):
    """A waterfall card: notes from notes.selectors.note_cards, `liked_ids` in the context."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Note.Status.choices)
    author = UserSummarySerializer()
    cover = serializers.SerializerMethodField()
    video = serializers.SerializerMethodField()
    likes_count = serializers.IntegerField()
    liked = serializers.SerializerMethodField()
    products_count = serializers.IntegerField(
        help_text=_("How many mall products the note links: the card's 🛍 chip when above 0.")
    )
    published_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        ref_name = "NoteCard"

    @extend_schema_field(CoverSerializer(allow_null=True))
    def get_cover(self, note: Note) -> dict | None:
        covers = getattr(note, "cover_images", None)
        return CoverSerializer(covers[0], context=self.context).data if covers else None

    @extend_schema_field(VideoSerializer(allow_null=True))
    def get_video(self, note: Note) -> dict | None:
        return note_video(self, note)

    def get_liked(self, note: Note) -> bool:
        return note.pk in self.context.get("liked_ids", set())

    def get_url(self, note: Note) -> str:
        return self.context["request"].build_absolute_uri(note.get_absolute_url())


NOTE_CARD_PAGE = page_schema(NoteCardSerializer, name="NoteCardPage")
