"""The community pages: the three home feeds and the profile page."""

from django.urls import path

from community import views

app_name = "community"
urlpatterns = [
    path("", views.home_discover, name="home"),
    path("follow/", views.home_follow, name="follow"),
    path("nearby/", views.home_nearby, name="nearby"),
    path("u/<str:username>/", views.profile, name="profile"),
]
