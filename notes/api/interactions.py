"""Likes, bookmarks and reposts of a note.

POST sets the reader's state (201 when new, 200 when it already was), DELETE unsets it; both
answer with the state and the note's counter as it now stands.
"""

from collections.abc import Callable
from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import service_errors, set_response
from notes import services
from notes.models import Note


def _note_count(note_id: int, counter: str) -> int:
    return Note.objects.values_list(counter, flat=True).get(pk=note_id)


# A state the reader sets on a note with one service and unsets with another. A subclass names
# the state (`state_key`), the note's `counter`, the two services, and an OutputSerializer of
# `{state_key: bool, counter: int}`. A comment, not a docstring: drf-spectacular would publish
# a base class's docstring as the description of every subclass's operations.
class NoteToggleApi(APIView):
    state_key: ClassVar[str]
    counter: ClassVar[str]
    set_service: ClassVar[Callable[..., bool]]  # True when the state is new
    unset_service: ClassVar[Callable[..., Any]]
    OutputSerializer: ClassVar[type[serializers.Serializer]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # post and delete are inherited: document them with this subclass's OutputSerializer.
        output = cls.OutputSerializer
        extend_schema_view(
            post=extend_schema(request=None, responses={200: output, 201: output}),
            delete=extend_schema(request=None, responses={200: output}),
        )(cls)

    def post(self, request: Request, note_id: int) -> Response:
        with service_errors():
            created = self.set_service(actor=request.user, note_id=note_id)
        return set_response(self._state(note_id, is_set=True), created=created)

    def delete(self, request: Request, note_id: int) -> Response:
        self.unset_service(actor=request.user, note_id=note_id)
        return Response(self._state(note_id, is_set=False))

    def _state(self, note_id: int, *, is_set: bool) -> dict:
        data = {self.state_key: is_set, self.counter: _note_count(note_id, self.counter)}
        return self.OutputSerializer(data).data


@extend_schema(tags=["notes"])
class NoteLikeApi(NoteToggleApi):
    class OutputSerializer(serializers.Serializer):
        liked = serializers.BooleanField()
        likes_count = serializers.IntegerField()

        class Meta:
            ref_name = "NoteLikeState"

    state_key, counter = "liked", "likes_count"
    set_service = staticmethod(services.note_like)
    unset_service = staticmethod(services.note_unlike)


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
            created = services.note_bookmark(actor=request.user, note_id=note_id, board_id=board_id)
        data = {
            "bookmarked": True,
            "bookmarks_count": _note_count(note_id, "bookmarks_count"),
            "board": board_id,
        }
        return set_response(self.OutputSerializer(data).data, created=created)

    @extend_schema(request=None, responses={200: OutputSerializer})
    def delete(self, request: Request, note_id: int) -> Response:
        services.note_unbookmark(actor=request.user, note_id=note_id)
        data = {
            "bookmarked": False,
            "bookmarks_count": _note_count(note_id, "bookmarks_count"),
            "board": None,
        }
        return Response(self.OutputSerializer(data).data)


@extend_schema(tags=["notes"])
class NoteRepostApi(NoteToggleApi):
    class OutputSerializer(serializers.Serializer):
        reposted = serializers.BooleanField()
        reposts_count = serializers.IntegerField()

        class Meta:
            ref_name = "NoteRepostState"

    state_key, counter = "reposted", "reposts_count"
    set_service = staticmethod(services.note_repost)
    unset_service = staticmethod(services.note_unrepost)
