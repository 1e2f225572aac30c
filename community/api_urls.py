"""Everything under /api/v1/, each app's routes from its own api.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("users.api_urls")),
    path("", include("notes.api_urls")),
    path("", include("community.api_routes")),
]
