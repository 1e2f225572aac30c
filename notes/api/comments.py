"""Comments on a note: its threads, a new comment or reply, a thread's replies, delete, like."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import (
    CURSOR,
    page_response,
    page_schema,
    request_cursor,
    service_errors,
    set_response,
)
from notes import selectors, services
from notes.models import Comment
from users.api import UserSummarySerializer


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
        return services.comment_deletable_by(
            actor=self.context["request"].user,
            comment=comment,
            note_author_id=self.context.get("note_author_id"),
        )


class CommentThreadSerializer(CommentSerializer):
    """A thread as `comment_threads` gives it; a comment just posted has no replies yet."""

    replies = CommentSerializer(
        many=True,
        source="shown_replies",
        default=list,
        help_text=_("Its first replies, oldest first."),
    )
    replies_count = serializers.IntegerField(default=0, help_text=_("All its replies."))
    replies_next = serializers.SerializerMethodField(
        help_text=_("Its replies after those shown (the replies list), or null.")
    )

    class Meta:
        ref_name = "CommentThread"

    def get_replies_next(self, thread: Comment) -> str | None:
        cursor = getattr(thread, "replies_cursor", None)
        if cursor is None:
            return None
        url = reverse("notes_api:comment_replies", args=[thread.pk])
        return self.context["request"].build_absolute_uri(f"{url}?{urlencode({'cursor': cursor})}")


def _comments_data_context(request: Request, note_author_id: int, comments: list[Comment]) -> dict:
    return {
        "note_author_id": note_author_id,
        "liked_ids": selectors.comment_liked_ids(
            actor=request.user, comment_ids=[comment.pk for comment in comments]
        ),
    }


@extend_schema(tags=["comments"])
class NoteCommentsApi(APIView):
    """A note's threads newest first, each with its first replies; and a new comment or reply."""

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
        note = services.note_get_for_reader(actor=request.user, note_id=note_id)
        page = selectors.comment_threads(
            note=note, cursor=request_cursor(request), size=settings.FEED_PAGE_SIZE
        )
        shown = [c for thread in page.items for c in [thread, *thread.shown_replies]]
        context = _comments_data_context(request, note.author_id, shown)
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
class CommentRepliesApi(APIView):
    """A thread's replies oldest first; a thread's `replies_next` continues after those shown."""

    @extend_schema(
        operation_id="comments_replies_list",
        parameters=[CURSOR],
        responses=page_schema(CommentSerializer, name="CommentReplyPage"),
    )
    def get(self, request: Request, comment_id: int) -> Response:
        thread = selectors.comment_thread_get(comment_id=comment_id)
        note = services.note_get_for_reader(
            actor=request.user, note_id=thread.note_id, with_media=False
        )
        page = selectors.comment_replies(
            thread=thread, cursor=request_cursor(request), size=settings.FEED_PAGE_SIZE
        )
        context = _comments_data_context(request, note.author_id, page.items)
        return page_response(request, page, CommentSerializer, context)


@extend_schema(tags=["comments"])
class CommentDetailApi(APIView):
    """Delete a comment (its author or the note's author); its replies go with it."""

    @extend_schema(responses={204: None})
    def delete(self, request: Request, comment_id: int) -> Response:
        services.comment_delete(actor=request.user, comment_id=comment_id)
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
            created = services.comment_like(actor=request.user, comment_id=comment_id)
        data = self._data(comment_id, liked=True)
        return set_response(self.OutputSerializer(data).data, created=created)

    @extend_schema(request=None, responses={200: OutputSerializer})
    def delete(self, request: Request, comment_id: int) -> Response:
        services.comment_unlike(actor=request.user, comment_id=comment_id)
        return Response(self.OutputSerializer(self._data(comment_id, liked=False)).data)
