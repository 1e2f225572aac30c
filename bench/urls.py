"""The site's URLs plus the bench's ceiling page; used only by bench runs (bench.settings)."""

from django.urls import include, path

from bench import views
from community.root_urls import handler400, handler403, handler404, handler500  # noqa: F401

urlpatterns = [
    path("bench/ceiling/", views.ceiling, name="bench-ceiling"),
    path("", include("community.root_urls")),
]
