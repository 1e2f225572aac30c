"""/api/v1/ routes of notes, their interactions, comments and boards."""

from django.urls import path

from notes import api

app_name = "notes_api"
urlpatterns = [
    path("notes/", api.NoteListApi.as_view(), name="notes"),
    path("notes/<int:note_id>/", api.NoteDetailApi.as_view(), name="note"),
    path("notes/<int:note_id>/like/", api.NoteLikeApi.as_view(), name="note_like"),
    path("notes/<int:note_id>/bookmark/", api.NoteBookmarkApi.as_view(), name="note_bookmark"),
    path("notes/<int:note_id>/repost/", api.NoteRepostApi.as_view(), name="note_repost"),
    path("notes/<int:note_id>/comments/", api.NoteCommentsApi.as_view(), name="note_comments"),
    path("me/notes/", api.MyNotesApi.as_view(), name="my_notes"),
    path("comments/<int:comment_id>/", api.CommentDetailApi.as_view(), name="comment"),
    path("comments/<int:comment_id>/like/", api.CommentLikeApi.as_view(), name="comment_like"),
    path("boards/", api.BoardListApi.as_view(), name="boards"),
    path("boards/<int:board_id>/", api.BoardDetailApi.as_view(), name="board"),
    path("boards/<int:board_id>/notes/", api.BoardNotesApi.as_view(), name="board_notes"),
]
