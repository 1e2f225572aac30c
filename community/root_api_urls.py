"""The root of /api/v1/: each app's API routes from its own api_urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("users.api_urls")),
    path("", include("notes.api_urls")),
    path("", include("mall.api_urls")),
    path("", include("community.api_urls")),
]
