"""The root URLconf (ROOT_URLCONF): pages per app, the API under /api/v1/, its schema, the admin,
and the load balancer's health probes."""

from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from community import health


def media(request: HttpRequest, path: str):
    """Uploaded files, served by Django only in development and browser tests.

    In production a proxy or object storage serves MEDIA_URL; MEDIA_ROOT is read per request
    so tests that move it see their own files.
    """
    if not settings.SERVE_MEDIA:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# Swagger UI from drf-spectacular-sidecar's static files, no CDN. The split view serves its start-up
# script as a file, so script-src stays 'self'; the page's own CSS is static/css/api-docs.css.
api_docs = SpectacularSwaggerSplitView.as_view(url_name="api-schema", title="Hongshu API")

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("community.urls")),
    path("accounts/", include("users.urls")),
    path("me/", include("users.me_urls")),
    path("", include("notes.urls")),
    path("", include("mall.urls")),
    path("api/v1/", include("community.root_api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# JSON under /api/, the error pages elsewhere.
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"

if settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", media))
