"""Notes: one note (read, change, delete), the newest notes and a new one, the reader's own."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CURSOR, page_response, request_cursor, service_errors
from core.screening import CHOICES as SCREENING_CHOICES
from notes import selectors, services
from notes.api.shapes import (
    NOTE_CARD_PAGE,
    ImageSerializer,
    NoteCardSerializer,
    VideoSerializer,
    card_context,
    note_video,
)
from notes.models import Note
from notes.services import NoteChanges, NoteContent
from users.api import PersonSerializer
from users.selectors import user_following_ids

PLACE_NAME_HELP = _(
    "Where the note was written. A name alone is placed in the city it names "
    "(上海·武康路 in 上海); empty with coordinates, it is the city they are in."
)
PLACE_HELP = _(
    "A city's id from /api/v1/places/: the note takes its coordinates, and its name "
    "when place_name is empty."
)
POINT_HELP = _("The author's own location (both or neither); not needed with place.")
SPONSOR_HELP = _(
    "A paid partnership: the username of the verified brand that paid for or gave what the "
    "note is about (empty: none). The note shows it."
)


class HeldForSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SCREENING_CHOICES)
    label = serializers.CharField()
    text = serializers.CharField(help_text=_("What was found, as the screening read it."))


@extend_schema(tags=["notes"])
class NoteDetailApi(APIView):
    """A note (drafts only for their author), its change (author only) and deletion."""

    parser_classes = (MultiPartParser, FormParser, JSONParser)

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(allow_blank=True)
        body = serializers.CharField(allow_blank=True, trim_whitespace=False)
        tags = serializers.ListField(child=serializers.CharField(), allow_empty=True)
        place_name = serializers.CharField(
            allow_blank=True, max_length=Note._meta.get_field("place_name").max_length
        )
        place = serializers.IntegerField(allow_null=True, help_text=PLACE_HELP)
        latitude = serializers.FloatField(allow_null=True, help_text=POINT_HELP)
        longitude = serializers.FloatField(allow_null=True, help_text=POINT_HELP)
        images = serializers.ListField(
            child=serializers.FileField(), help_text=_("New photos, added after the kept ones.")
        )
        video = serializers.FileField(allow_null=True)
        image_order = serializers.ListField(
            child=serializers.IntegerField(), help_text=_("Kept image ids, cover first.")
        )
        remove_image_ids = serializers.ListField(child=serializers.IntegerField())
        remove_video = serializers.BooleanField()
        sponsor = serializers.CharField(allow_blank=True, help_text=SPONSOR_HELP)
        publish = serializers.BooleanField(
            help_text=_(
                "true publishes a draft; false takes a published note back to drafts. A note "
                "whose words send readers off the site is held under review (see held_for)."
            )
        )

        class Meta:
            ref_name = "NoteUpdate"

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        title = serializers.CharField()
        body = serializers.CharField()
        status = serializers.ChoiceField(choices=Note.Status.choices)
        held_for = serializers.SerializerMethodField(
            help_text=_(
                "Why a note under review waits for a moderator: what in it sends readers off "
                "the site. Empty for other notes. Taking these out (PATCH) publishes it."
            )
        )
        tags = serializers.SerializerMethodField()
        place_name = serializers.CharField()
        latitude = serializers.FloatField(allow_null=True)
        longitude = serializers.FloatField(allow_null=True)
        images = ImageSerializer(many=True, source="images.all")
        video = serializers.SerializerMethodField()
        author = PersonSerializer()
        sponsor = PersonSerializer(allow_null=True, help_text=SPONSOR_HELP)
        likes_count = serializers.IntegerField()
        bookmarks_count = serializers.IntegerField()
        comments_count = serializers.IntegerField()
        reposts_count = serializers.IntegerField()
        ces = serializers.IntegerField()
        products_count = serializers.IntegerField(
            help_text=_("How many mall products the note links (the mall lists them).")
        )
        liked = serializers.SerializerMethodField()
        bookmarked = serializers.SerializerMethodField()
        reposted = serializers.SerializerMethodField()
        created_at = serializers.DateTimeField()
        updated_at = serializers.DateTimeField()
        published_at = serializers.DateTimeField(allow_null=True)
        url = serializers.SerializerMethodField()

        class Meta:
            ref_name = "NoteDetail"

        def get_tags(self, note: Note) -> list[str]:
            return [tag.name for tag in note.tags.all()]

        @extend_schema_field(HeldForSerializer(many=True))
        def get_held_for(self, note: Note) -> list[dict]:
            if note.status != Note.Status.UNDER_REVIEW:
                return []
            return HeldForSerializer(note.review_findings, many=True).data

        @extend_schema_field(VideoSerializer(allow_null=True))
        def get_video(self, note: Note) -> dict | None:
            return note_video(self, note)

        def get_liked(self, note: Note) -> bool:
            return note.pk in self.context["state"].liked

        def get_bookmarked(self, note: Note) -> bool:
            return note.pk in self.context["state"].bookmarked

        def get_reposted(self, note: Note) -> bool:
            return note.pk in self.context["state"].reposted

        def get_url(self, note: Note) -> str:
            return self.context["request"].build_absolute_uri(note.get_absolute_url())

    @classmethod
    def respond(
        cls,
        request: Request,
        note_id: int,
        *,
        code: int = status.HTTP_200_OK,
        note: Note | None = None,
    ) -> Response:
        note = note or services.note_get_for_reader(actor=request.user, note_id=note_id)
        context = {
            "request": request,
            "state": selectors.reader_state(
                actor=request.user, note_ids=[note.pk], kinds=("liked", "bookmarked", "reposted")
            ),
            "following_ids": user_following_ids(actor=request.user, among=[note.author_id]),
        }
        return Response(cls.OutputSerializer(note, context=context).data, status=code)

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, note_id: int) -> Response:
        note = services.note_get_for_reader(actor=request.user, note_id=note_id)
        services.note_read(actor=request.user, note=note)
        return self.respond(request, note_id, note=note)

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def patch(self, request: Request, note_id: int) -> Response:
        note = services.note_get_for_editor(actor=request.user, note_id=note_id)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            services.note_update(
                actor=request.user,
                note_id=note.pk,
                changes=NoteChanges.from_data(data),
                publish=data.get("publish"),
                image_order=data.get("image_order"),
                remove_image_ids=data.get("remove_image_ids", ()),
                remove_video=data.get("remove_video", False),
            )
        return self.respond(request, note.pk)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, note_id: int) -> Response:
        services.note_delete(actor=request.user, note_id=note_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["notes"])
class NoteListApi(APIView):
    """Published notes newest first (filter by author and tag), and writing a new note."""

    parser_classes = (MultiPartParser, FormParser, JSONParser)

    class FilterSerializer(serializers.Serializer):
        # An empty filter is no filter, like an empty cursor: what a form or a client that
        # sends every parameter asks for.
        author = serializers.CharField(
            required=False, allow_blank=True, help_text=_("A username; empty is ignored.")
        )
        tag = serializers.CharField(
            required=False, allow_blank=True, help_text=_("A tag slug; empty is ignored.")
        )

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(allow_blank=True)
        body = serializers.CharField(allow_blank=True, trim_whitespace=False, default="")
        tags = serializers.ListField(child=serializers.CharField(), default=list)
        place_name = serializers.CharField(
            allow_blank=True,
            max_length=Note._meta.get_field("place_name").max_length,
            default="",
            help_text=PLACE_NAME_HELP,
        )
        place = serializers.IntegerField(allow_null=True, default=None, help_text=PLACE_HELP)
        latitude = serializers.FloatField(allow_null=True, default=None, help_text=POINT_HELP)
        longitude = serializers.FloatField(allow_null=True, default=None, help_text=POINT_HELP)
        images = serializers.ListField(
            child=serializers.FileField(),
            default=list,
            help_text=_(
                "Photos in order, the first is the cover (multipart, repeated), as many as the "
                "author's level allows (9 to 18: `perks.photos_per_note` of /api/v1/me/growth/). "
                "A draft may have none; publishing needs a photo or a video."
            ),
        )
        video = serializers.FileField(allow_null=True, default=None, help_text=_("Or one video."))
        sponsor = serializers.CharField(allow_blank=True, default="", help_text=SPONSOR_HELP)
        publish = serializers.BooleanField(
            default=False,
            help_text=_(
                "true publishes at once (or holds it under review, see held_for); otherwise "
                "the note is a draft."
            ),
        )

        class Meta:
            ref_name = "NoteCreate"

    @extend_schema(
        operation_id="notes_list", parameters=[CURSOR, FilterSerializer], responses=NOTE_CARD_PAGE
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = selectors.notes_newest(
            author_username=filters.validated_data.get("author"),
            tag_slug=filters.validated_data.get("tag"),
            cursor=request_cursor(request),
            size=settings.FEED_PAGE_SIZE,
        )
        return page_response(request, page, NoteCardSerializer, card_context(request, page.items))

    @extend_schema(request=InputSerializer, responses={201: NoteDetailApi.OutputSerializer})
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            note = services.note_create(
                author=request.user, content=NoteContent.from_data(data), publish=data["publish"]
            )
        return NoteDetailApi.respond(request, note.pk, code=status.HTTP_201_CREATED)


@extend_schema(tags=["notes"])
class MyNotesApi(APIView):
    """The reader's own notes, drafts included, newest first."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="me_notes_list", parameters=[CURSOR], responses=NOTE_CARD_PAGE)
    def get(self, request: Request) -> Response:
        page = selectors.notes_by_author(
            author=request.user,
            actor=request.user,
            cursor=request_cursor(request),
            size=settings.FEED_PAGE_SIZE,
        )
        return page_response(request, page, NoteCardSerializer, card_context(request, page.items))
