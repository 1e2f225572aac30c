"""The root of /api/v1/: links to the resources, and each app's API routes from its api_urls.py."""

from django.urls import include, path

from community.api import ApiRootApi

urlpatterns = [
    path("", ApiRootApi.as_view(), name="api-root"),
    path("", include("users.api_urls")),
    path("", include("notes.api_urls")),
    path("", include("mall.api_urls")),
    path("", include("community.api_urls")),
]
