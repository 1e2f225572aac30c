"""The site's URLconf (its error handlers included) plus views that fail, for tests/core."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from community.root_urls import *  # noqa: F403 (handler400…handler500 with the patterns)
from community.root_urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("api/v1/broken/", broken),
    path("broken/", broken),
    path("api/v1/forbidden/", forbidden),
    *site_urlpatterns,
]
