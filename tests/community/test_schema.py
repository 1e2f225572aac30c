import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

API_PATHS = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/me/": {"get", "patch"},
    "/api/v1/me/notes/": {"get"},
    "/api/v1/users/{username}/": {"get"},
    "/api/v1/users/{username}/follow/": {"post", "delete"},
    "/api/v1/users/{username}/followers/": {"get"},
    "/api/v1/users/{username}/following/": {"get"},
    "/api/v1/notes/": {"get", "post"},
    "/api/v1/notes/{note_id}/": {"get", "patch", "delete"},
    "/api/v1/notes/{note_id}/like/": {"post", "delete"},
    "/api/v1/notes/{note_id}/bookmark/": {"post", "delete"},
    "/api/v1/notes/{note_id}/repost/": {"post", "delete"},
    "/api/v1/notes/{note_id}/comments/": {"get", "post"},
    "/api/v1/comments/{comment_id}/": {"delete"},
    "/api/v1/comments/{comment_id}/like/": {"post", "delete"},
    "/api/v1/comments/{comment_id}/replies/": {"get"},
    "/api/v1/boards/": {"get", "post"},
    "/api/v1/boards/{board_id}/": {"get", "patch", "delete"},
    "/api/v1/boards/{board_id}/notes/": {"get"},
    "/api/v1/feeds/discover/": {"get"},
    "/api/v1/feeds/follow/": {"get"},
    "/api/v1/feeds/nearby/": {"get"},
}


@pytest.fixture
def schema():
    GENERATOR_STATS.reset()
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_generates_without_warnings_or_errors(schema):
    assert not GENERATOR_STATS._warn_cache
    assert not GENERATOR_STATS._error_cache


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)


def test_schema_documents_every_api_route_and_method(schema):
    documented = {path: set(operations) for path, operations in schema["paths"].items()}

    assert documented == API_PATHS


@pytest.mark.django_db
def test_schema_is_served_at_api_schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert "/api/v1/notes/" in response.json()["paths"]
