"""The notes API: notes and their media, likes, bookmarks, reposts, comments and boards.

Thin views: permission-checked fetches and every write are notes.services, lists are
notes.selectors pages (signed keyset cursors, a fixed number of queries per page).
Card serializers and `page_response` are shared with the feeds in community.api.
"""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from notes import selectors, services
from notes.models import Board, Comment, Note
from notes.pagination import Page, keyset_page
from notes.services import NoteContent, hashtags_in
from users.api import PersonSerializer, UserSummarySerializer, page_schema, service_errors
from users.selectors import user_following_ids

CURSOR = OpenApiParameter(
    "cursor", OpenApiTypes.STR, description=_("The `next` link's cursor; omit for the first page.")
)


def page_response(
    request: Request, page: Page, serializer: type[serializers.Serializer], context: dict
) -> Response:
    """`{"results": [...], "next": absolute url of the next page or null}`."""
    next_url = None
    if page.next_cursor:
        next_url = replace_query_param(request.build_absolute_uri(), "cursor", page.next_cursor)
    results = serializer(page.items, many=True, context={"request": request, **context}).data
    return Response({"results": results, "next": next_url})


def card_context(request: Request, notes: list[Note]) -> dict[str, Any]:
    """Which of these cards the reader liked: one query for the page."""
    state = selectors.reader_state(reader=request.user, note_ids=[note.pk for note in notes])
    return {"liked_ids": state.liked}


def request_cursor(request: Request) -> str | None:
    return request.query_params.get("cursor") or None


# --- Shapes shared by cards, notes and the feeds.


class ImageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.ImageField(source="image")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    position = serializers.IntegerField()

    class Meta:
        ref_name = "NoteImage"


class CoverSerializer(serializers.Serializer):
    url = serializers.ImageField(source="image")
    width = serializers.IntegerField()
    height = serializers.IntegerField()

    class Meta:
        ref_name = "NoteCover"


class VideoSerializer(serializers.Serializer):
    url = serializers.FileField(source="file")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    duration_seconds = serializers.FloatField()

    class Meta:
        ref_name = "NoteVideo"


def _video(serializer: serializers.Serializer, note: Note) -> dict | None:
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
        return _video(self, note)

    def get_liked(self, note: Note) -> bool:
        return note.pk in self.context.get("liked_ids", set())

    def get_url(self, note: Note) -> str:
        return self.context["request"].build_absolute_uri(note.get_absolute_url())


NOTE_CARD_PAGE = page_schema(NoteCardSerializer, name="NoteCardPage")


# --- Notes


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
        latitude = serializers.FloatField(allow_null=True)
        longitude = serializers.FloatField(allow_null=True)
        images = serializers.ListField(
            child=serializers.FileField(), help_text=_("New photos, added after the kept ones.")
        )
        video = serializers.FileField(allow_null=True)
        image_order = serializers.ListField(
            child=serializers.IntegerField(), help_text=_("Kept image ids, cover first.")
        )
        remove_image_ids = serializers.ListField(child=serializers.IntegerField())
        remove_video = serializers.BooleanField()
        publish = serializers.BooleanField(
            help_text=_("true publishes a draft; false takes a published note back to drafts.")
        )

        class Meta:
            ref_name = "NoteUpdate"

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        title = serializers.CharField()
        body = serializers.CharField()
        status = serializers.ChoiceField(choices=Note.Status.choices)
        tags = serializers.SerializerMethodField()
        place_name = serializers.CharField()
        latitude = serializers.FloatField(allow_null=True)
        longitude = serializers.FloatField(allow_null=True)
        images = ImageSerializer(many=True, source="images.all")
        video = serializers.SerializerMethodField()
        author = PersonSerializer()
        likes_count = serializers.IntegerField()
        bookmarks_count = serializers.IntegerField()
        comments_count = serializers.IntegerField()
        reposts_count = serializers.IntegerField()
        ces = serializers.IntegerField()
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

        @extend_schema_field(VideoSerializer(allow_null=True))
        def get_video(self, note: Note) -> dict | None:
            return _video(self, note)

        def get_liked(self, note: Note) -> bool:
            return note.pk in self.context["state"].liked

        def get_bookmarked(self, note: Note) -> bool:
            return note.pk in self.context["state"].bookmarked

        def get_reposted(self, note: Note) -> bool:
            return note.pk in self.context["state"].reposted

        def get_url(self, note: Note) -> str:
            return self.context["request"].build_absolute_uri(note.get_absolute_url())

    @classmethod
    def respond(cls, request: Request, note_id: int, *, code: int = status.HTTP_200_OK) -> Response:
        note = services.note_get_for_reader(reader=request.user, note_id=note_id)
        context = {
            "request": request,
            "state": selectors.reader_state(
                reader=request.user, note_ids=[note.pk], kinds=("liked", "bookmarked", "reposted")
            ),
            "following_ids": user_following_ids(follower=request.user, among=[note.author_id]),
        }
        return Response(cls.OutputSerializer(note, context=context).data, status=code)

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, note_id: int) -> Response:
        return self.respond(request, note_id)

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def patch(self, request: Request, note_id: int) -> Response:
        note = services.note_get_for_editor(user=request.user, note_id=note_id)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "tags" in data:
            tags = data["tags"]
        else:  # keep the chosen tags; the body's #hashtags are read again from the new body
            from_body = set(hashtags_in(note.body))
            tags = [tag.name for tag in note.tags.all() if tag.name not in from_body]
        content = NoteContent(
            title=data.get("title", note.title),
            body=data.get("body", note.body),
            tags=tags,
            place_name=data.get("place_name", note.place_name),
            latitude=data.get("latitude", note.latitude),
            longitude=data.get("longitude", note.longitude),
            images=data.get("images", []),
            video=data.get("video"),
        )
        with service_errors():
            services.note_update(
                editor=request.user,
                note_id=note.pk,
                content=content,
                publish=data.get("publish", note.is_published),
                image_order=data.get("image_order"),
                remove_image_ids=data.get("remove_image_ids", ()),
                remove_video=data.get("remove_video", False),
            )
        return self.respond(request, note.pk)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, note_id: int) -> Response:
        services.note_delete(editor=request.user, note_id=note_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["notes"])
class NoteListApi(APIView):
    """Published notes newest first (filter by author and tag), and writing a new note."""

    parser_classes = (MultiPartParser, FormParser, JSONParser)

    class FilterSerializer(serializers.Serializer):
        author = serializers.CharField(required=False, help_text=_("A username."))
        tag = serializers.CharField(required=False, help_text=_("A tag slug."))

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(allow_blank=True)
        body = serializers.CharField(allow_blank=True, trim_whitespace=False, default="")
        tags = serializers.ListField(child=serializers.CharField(), default=list)
        place_name = serializers.CharField(
            allow_blank=True, max_length=Note._meta.get_field("place_name").max_length, default=""
        )
        latitude = serializers.FloatField(allow_null=True, default=None)
        longitude = serializers.FloatField(allow_null=True, default=None)
        images = serializers.ListField(
            child=serializers.FileField(),
            default=list,
            help_text=_("1–18 photos in order, the first is the cover (multipart, repeated)."),
        )
        video = serializers.FileField(allow_null=True, default=None, help_text=_("Or one video."))
        publish = serializers.BooleanField(
            default=False, help_text=_("true publishes at once; otherwise the note is a draft.")
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
        content = NoteContent(
            title=data["title"],
            body=data["body"],
            tags=data["tags"],
            place_name=data["place_name"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            images=data["images"],
            video=data["video"],
        )
        with service_errors():
            note = services.note_create(
                author=request.user, content=content, publish=data["publish"]
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
            viewer=request.user,
            cursor=request_cursor(request),
            size=settings.FEED_PAGE_SIZE,
        )
        return page_response(request, page, NoteCardSerializer, card_context(request, page.items))


# --- Likes, bookmarks, reposts: POST sets (201 when new, 200 when already), DELETE unsets.


def _note_count(note_id: int, counter: str) -> int:
    return Note.objects.values_list(counter, flat=True).get(pk=note_id)


def _set_response(data: dict, *, created: bool) -> Response:
    return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema(tags=["notes"])
class NoteLikeApi(APIView):
    class OutputSerializer(serializers.Serializer):
        liked = serializers.BooleanField()
        likes_count = serializers.IntegerField()

        class Meta:
            ref_name = "NoteLikeState"

    @extend_schema(request=None, responses={200: OutputSerializer, 201: OutputSerializer})
    def post(self, request: Request, note_id: int) -> Response:
        with service_errors():
            created = services.note_like(user=request.user, note_id=note_id)
        data = {"liked": True, "likes_count": _note_count(note_id, "likes_count")}
        return _set_response(self.OutputSerializer(data).data, created=created)

    @extend_schema(request=None, responses=OutputSerializer)
    def delete(self, request: Request, note_id: int) -> Response:
        services.note_unlike(user=request.user, note_id=note_id)
        data = {"liked": False, "likes_count": _note_count(note_id, "likes_count")}
        return Response(self.OutputSerializer(data).data)


@extend_schema(tags=["notes"])
class NoteBookmarkApi(APIView):
    """Save a note, optionally into one of the reader's boards; saving again moves it."""

    class InputSerializer(serializers.Serializer):
        board = serializers.IntegerField(allow_null=True, default=None)

        class Meta:
            ref_name = "BookmarkInput"

    class OutputSerializer(serializers.Serializer):
        bookmarked = serializers.BooleanField()
        bookmarks_count = serializers.IntegerField()
        board = serializers.IntegerField(allow_null=True)

        class Meta:
            ref_name = "NoteBookmarkState"

    @extend_schema(
        request=InputSerializer, responses={200: OutputSerializer, 201: OutputSerializer}
    )
    def post(self, request: Request, note_id: int) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        board_id = serializer.validated_data["board"]
        with service_errors(fields_by_code={"board": "board"}):
            created = services.note_bookmark(user=request.user, note_id=note_id, board_id=board_id)
        data = {
            "bookmarked": True,
            "bookmarks_count": _note_count(note_id, "bookmarks_count"),
            "board": board_id,
        }
        return _set_response(self.OutputSerializer(data).data, created=created)

    @extend_schema(request=None, responses=OutputSerializer)
    def delete(self, request: Request, note_id: int) -> Response:
        services.note_unbookmark(user=request.user, note_id=note_id)
        data = {
            "bookmarked": False,
            "bookmarks_count": _note_count(note_id, "bookmarks_count"),
            "board": None,
        }
        return Response(self.OutputSerializer(data).data)


@extend_schema(tags=["notes"])
class NoteRepostApi(APIView):
    class OutputSerializer(serializers.Serializer):
        reposted = serializers.BooleanField()
        reposts_count = serializers.IntegerField()

        class Meta:
            ref_name = "NoteRepostState"

    @extend_schema(request=None, responses={200: OutputSerializer, 201: OutputSerializer})
    def post(self, request: Request, note_id: int) -> Response:
        with service_errors():
            created = services.note_repost(user=request.user, note_id=note_id)
        data = {"reposted": True, "reposts_count": _note_count(note_id, "reposts_count")}
        return _set_response(self.OutputSerializer(data).data, created=created)

    @extend_schema(request=None, responses=OutputSerializer)
    def delete(self, request: Request, note_id: int) -> Response:
        services.note_unrepost(user=request.user, note_id=note_id)
        data = {"reposted": False, "reposts_count": _note_count(note_id, "reposts_count")}
        return Response(self.OutputSerializer(data).data)


# --- Comments


class CommentSerializer(serializers.Serializer):
    """`liked_ids` and `note_author_id` in the context decide `liked` and `can_delete`."""

    id = serializers.IntegerField()
    body = serializers.CharField()
    author = UserSummarySerializer()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    likes_count = serializers.IntegerField()
    liked = serializers.SerializerMethodField()
    can_delete = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Comment"

    def get_liked(self, comment: Comment) -> bool:
        return comment.pk in self.context.get("liked_ids", set())

    def get_can_delete(self, comment: Comment) -> bool:
        reader_id = self.context["request"].user.pk
        return reader_id is not None and reader_id in (
            comment.author_id,
            self.context.get("note_author_id"),
        )


class CommentThreadSerializer(CommentSerializer):
    replies = CommentSerializer(many=True, source="replies.all")

    class Meta:
        ref_name = "CommentThread"


@extend_schema(tags=["comments"])
class NoteCommentsApi(APIView):
    """A note's threads oldest first, each with its replies; and a new comment or reply."""

    class InputSerializer(serializers.Serializer):
        body = serializers.CharField(allow_blank=True)
        parent = serializers.IntegerField(
            allow_null=True, default=None, help_text=_("The comment this replies to.")
        )

        class Meta:
            ref_name = "CommentCreate"

    @extend_schema(
        operation_id="notes_comments_list",
        parameters=[CURSOR],
        responses=page_schema(CommentThreadSerializer, name="CommentThreadPage"),
    )
    def get(self, request: Request, note_id: int) -> Response:
        note = services.note_get_for_reader(reader=request.user, note_id=note_id)
        page = selectors.comment_threads(
            note=note, cursor=request_cursor(request), size=settings.FEED_PAGE_SIZE
        )
        shown = [c.pk for thread in page.items for c in [thread, *thread.replies.all()]]
        context = {
            "note_author_id": note.author_id,
            "liked_ids": selectors.comment_liked_ids(viewer=request.user, comment_ids=shown),
        }
        return page_response(request, page, CommentThreadSerializer, context)

    @extend_schema(request=InputSerializer, responses={201: CommentThreadSerializer})
    def post(self, request: Request, note_id: int) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            comment = services.comment_create(
                author=request.user,
                note_id=note_id,
                body=serializer.validated_data["body"],
                parent_id=serializer.validated_data["parent"],
            )
        context = {"request": request, "note_author_id": comment.note.author_id}
        return Response(
            CommentThreadSerializer(comment, context=context).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["comments"])
class CommentDetailApi(APIView):
    """Delete a comment (its author or the note's author); its replies go with it."""

    @extend_schema(responses={204: None})
    def delete(self, request: Request, comment_id: int) -> Response:
        services.comment_delete(user=request.user, comment_id=comment_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["comments"])
class CommentLikeApi(APIView):
    class OutputSerializer(serializers.Serializer):
        liked = serializers.BooleanField()
        likes_count = serializers.IntegerField()

        class Meta:
            ref_name = "CommentLikeState"

    @staticmethod
    def _data(comment_id: int, *, liked: bool) -> dict:
        comment = selectors.comment_get(comment_id=comment_id)
        return {"liked": liked, "likes_count": comment.likes_count}

    @extend_schema(request=None, responses={200: OutputSerializer, 201: OutputSerializer})
    def post(self, request: Request, comment_id: int) -> Response:
        with service_errors():
            created = services.comment_like(user=request.user, comment_id=comment_id)
        data = self._data(comment_id, liked=True)
        return _set_response(self.OutputSerializer(data).data, created=created)

    @extend_schema(request=None, responses=OutputSerializer)
    def delete(self, request: Request, comment_id: int) -> Response:
        services.comment_unlike(user=request.user, comment_id=comment_id)
        return Response(self.OutputSerializer(self._data(comment_id, liked=False)).data)


# --- Boards (收藏专辑)


class BoardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    is_private = serializers.BooleanField()
    owner = UserSummarySerializer()
    created_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    class Meta:
        ref_name = "Board"

    def get_url(self, board: Board) -> str:
        return self.context["request"].build_absolute_uri(board.get_absolute_url())


class BoardInputSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    description = serializers.CharField(
        allow_blank=True, default="", max_length=Board._meta.get_field("description").max_length
    )
    is_private = serializers.BooleanField(default=False)

    class Meta:
        ref_name = "BoardInput"


@extend_schema(tags=["boards"])
class BoardListApi(APIView):
    """The reader's own boards, newest first, and a new board."""

    permission_classes = (IsAuthenticated,)

    class OutputSerializer(BoardSerializer):
        notes_count = serializers.IntegerField()

        class Meta:
            ref_name = "BoardWithCount"

    @extend_schema(
        operation_id="boards_list",
        parameters=[CURSOR],
        responses=page_schema(OutputSerializer, name="BoardWithCountPage"),
    )
    def get(self, request: Request) -> Response:
        boards = selectors.boards_with_counts(owner=request.user, viewer=request.user)
        page = keyset_page(
            boards.select_related("owner"),
            keys=("-created_at", "-id"),
            cursor=request_cursor(request),
            size=settings.FEED_PAGE_SIZE,
        )
        return page_response(request, page, self.OutputSerializer, {})

    @extend_schema(request=BoardInputSerializer, responses={201: BoardSerializer})
    def post(self, request: Request) -> Response:
        serializer = BoardInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            board = services.board_create(owner=request.user, **serializer.validated_data)
        return Response(
            BoardSerializer(board, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["boards"])
class BoardDetailApi(APIView):
    """A board (a private one only for its owner: 404 for anyone else), its change, deletion."""

    @extend_schema(responses=BoardSerializer)
    def get(self, request: Request, board_id: int) -> Response:
        board = services.board_get_for_viewer(viewer=request.user, board_id=board_id)
        return Response(BoardSerializer(board, context={"request": request}).data)

    @extend_schema(request=BoardInputSerializer, responses=BoardSerializer)
    def patch(self, request: Request, board_id: int) -> Response:
        board = services.board_get_for_viewer(viewer=request.user, board_id=board_id)
        serializer = BoardInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            board = services.board_update(
                owner=request.user,
                board_id=board.pk,
                name=data.get("name", board.name),
                description=data.get("description", board.description),
                is_private=data.get("is_private", board.is_private),
            )
        return Response(BoardSerializer(board, context={"request": request}).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, board_id: int) -> Response:
        board = services.board_get_for_viewer(viewer=request.user, board_id=board_id)
        services.board_delete(owner=request.user, board_id=board.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["boards"])
class BoardNotesApi(APIView):
    """The notes saved in a board, newest saved first."""

    @extend_schema(operation_id="boards_notes_list", parameters=[CURSOR], responses=NOTE_CARD_PAGE)
    def get(self, request: Request, board_id: int) -> Response:
        board = services.board_get_for_viewer(viewer=request.user, board_id=board_id)
        page = selectors.notes_bookmarked_by(
            user=board.owner,
            viewer=request.user,
            board=board,
            cursor=request_cursor(request),
            size=settings.FEED_PAGE_SIZE,
        )
        return page_response(request, page, NoteCardSerializer, card_context(request, page.items))
