"""/api/v1/ routes of notes, their interactions, comments and boards, and places."""

from django.urls import path

from notes.api.boards import BoardDetailApi, BoardListApi, BoardNotesApi
from notes.api.comments import (
    CommentDetailApi,
    CommentLikeApi,
    CommentRepliesApi,
    NoteCommentsApi,
)
from notes.api.interactions import NoteBookmarkApi, NoteLikeApi, NoteRepostApi
from notes.api.notes import MyNotesApi, NoteDetailApi, NoteListApi
from notes.api.numbers import CreatorNumbersApi, PartnershipsApi
from notes.api.places import PlaceSearchApi
from notes.api.reports import CommentReportApi, NoteReportApi

app_name = "notes_api"
urlpatterns = [
    path("notes/", NoteListApi.as_view(), name="notes"),
    path("notes/<int:note_id>/", NoteDetailApi.as_view(), name="note"),
    path("notes/<int:note_id>/like/", NoteLikeApi.as_view(), name="note_like"),
    path("notes/<int:note_id>/bookmark/", NoteBookmarkApi.as_view(), name="note_bookmark"),
    path("notes/<int:note_id>/repost/", NoteRepostApi.as_view(), name="note_repost"),
    path("notes/<int:note_id>/comments/", NoteCommentsApi.as_view(), name="note_comments"),
    path("notes/<int:note_id>/report/", NoteReportApi.as_view(), name="note_report"),
    path("me/notes/", MyNotesApi.as_view(), name="my_notes"),
    path("me/creator/", CreatorNumbersApi.as_view(), name="creator_numbers"),
    path("me/partnerships/", PartnershipsApi.as_view(), name="partnerships"),
    path("comments/<int:comment_id>/", CommentDetailApi.as_view(), name="comment"),
    path("comments/<int:comment_id>/replies/", CommentRepliesApi.as_view(), name="comment_replies"),
    path("comments/<int:comment_id>/like/", CommentLikeApi.as_view(), name="comment_like"),
    path("comments/<int:comment_id>/report/", CommentReportApi.as_view(), name="comment_report"),
    path("boards/", BoardListApi.as_view(), name="boards"),
    path("boards/<int:board_id>/", BoardDetailApi.as_view(), name="board"),
    path("boards/<int:board_id>/notes/", BoardNotesApi.as_view(), name="board_notes"),
    path("places/", PlaceSearchApi.as_view(), name="places"),
]
