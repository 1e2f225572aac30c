from django.urls import path

from notes import numbers_views, report_views, views

app_name = "notes"
urlpatterns = [
    path("notes/new/", views.note_create, name="create"),
    path("notes/<int:note_id>/", views.note_detail, name="detail"),
    path("notes/<int:note_id>/edit/", views.note_edit, name="edit"),
    path("notes/<int:note_id>/delete/", views.note_delete, name="delete"),
    path("notes/<int:note_id>/like/", views.note_like, name="like"),
    path("notes/<int:note_id>/unlike/", views.note_unlike, name="unlike"),
    path("notes/<int:note_id>/bookmark/", views.note_bookmark, name="bookmark"),
    path("notes/<int:note_id>/unbookmark/", views.note_unbookmark, name="unbookmark"),
    path("notes/<int:note_id>/save/", views.note_save, name="save"),
    path("notes/<int:note_id>/repost/", views.note_repost, name="repost"),
    path("notes/<int:note_id>/unrepost/", views.note_unrepost, name="unrepost"),
    path("notes/<int:note_id>/follow-author/", views.note_author_follow, name="follow_author"),
    path("notes/<int:note_id>/read/", views.note_read, name="read"),
    path("notes/<int:note_id>/report/", report_views.note_report, name="report"),
    path("creator/", numbers_views.creator_centre, name="creator_centre"),
    path("brand/partnerships/", numbers_views.partnerships, name="partnerships"),
    path(
        "brand/partnerships/<int:note_id>/decline/",
        numbers_views.partnership_decline,
        name="partnership_decline",
    ),
    path("notes/<int:note_id>/more/", views.note_more_from_author, name="more_from_author"),
    path("notes/<int:note_id>/comments/", views.comment_create, name="comment_create"),
    path("comments/<int:comment_id>/replies/", views.comment_replies, name="comment_replies"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:comment_id>/like/", views.comment_like, name="comment_like"),
    path("comments/<int:comment_id>/report/", report_views.comment_report, name="comment_report"),
    path("comments/<int:comment_id>/unlike/", views.comment_unlike, name="comment_unlike"),
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
    path("places/", views.place_search, name="places"),
    path("boards/new/", views.board_create, name="board_create"),
    path("boards/<int:board_id>/", views.board_detail, name="board"),
    path("boards/<int:board_id>/edit/", views.board_edit, name="board_edit"),
    path("boards/<int:board_id>/delete/", views.board_delete, name="board_delete"),
]
