"""Boards (收藏专辑): the reader's boards and a new one, one board, the notes saved in it."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CURSOR, page_response, page_schema, request_cursor, service_errors
from notes import selectors, services
from notes.api.shapes import NOTE_CARD_PAGE, NoteCardSerializer, card_context
from notes.models import BOARD_DESCRIPTION_MAX_LENGTH, BOARD_NAME_MAX_LENGTH, Board
from users.api import UserSummarySerializer


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
    """The lengths go into the schema; notes.services checks every rule."""

    name = serializers.CharField(allow_blank=True, max_length=BOARD_NAME_MAX_LENGTH)
    description = serializers.CharField(
        allow_blank=True, default="", max_length=BOARD_DESCRIPTION_MAX_LENGTH
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
        page = selectors.boards_of_owner_page(
            owner=request.user, cursor=request_cursor(request), size=settings.FEED_PAGE_SIZE
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
        board = services.board_get_for_viewer(actor=request.user, board_id=board_id)
        return Response(BoardSerializer(board, context={"request": request}).data)

    @extend_schema(request=BoardInputSerializer, responses=BoardSerializer)
    def patch(self, request: Request, board_id: int) -> Response:
        board = services.board_get_for_viewer(actor=request.user, board_id=board_id)
        serializer = BoardInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            board = services.board_update(
                owner=request.user, board_id=board.pk, **serializer.validated_data
            )
        return Response(BoardSerializer(board, context={"request": request}).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, board_id: int) -> Response:
        board = services.board_get_for_viewer(actor=request.user, board_id=board_id)
        services.board_delete(owner=request.user, board_id=board.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["boards"])
class BoardNotesApi(APIView):
    """The notes saved in a board, newest saved first."""

    @extend_schema(operation_id="boards_notes_list", parameters=[CURSOR], responses=NOTE_CARD_PAGE)
    def get(self, request: Request, board_id: int) -> Response:
        board = services.board_get_for_viewer(actor=request.user, board_id=board_id)
        page = selectors.notes_bookmarked_by(
            user=board.owner,
            actor=request.user,
            board=board,
            cursor=request_cursor(request),
            size=settings.FEED_PAGE_SIZE,
        )
        return page_response(request, page, NoteCardSerializer, card_context(request, page.items))
