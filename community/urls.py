"""The community pages: the three home feeds and the profile page."""

from django.urls import path

from community import views

app_name = "community"
urlpatterns = [
    path("", views.home_discover, name="home"),
    path(
        "discover/<int:note_id>/not-interested/",
        views.discover_not_interested,
        name="not_interested",
    ),
    path("follow/", views.home_follow, name="follow"),
    path("nearby/", views.home_nearby, name="nearby"),
    path("u/<str:username>/", views.profile, name="profile"),
]
