import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

API_PATHS = {
    "/api/v1/": {"get"},
    "/api/v1/auth/token/": {"post"},
    "/api/v1/me/": {"get", "patch"},
    "/api/v1/me/notes/": {"get"},
    "/api/v1/me/growth/": {"get"},
    "/api/v1/me/sign-ins/": {"get", "post"},
    "/api/v1/me/points/": {"get"},
    "/api/v1/notifications/": {"get"},
    "/api/v1/notifications/unread/": {"get"},
    "/api/v1/notifications/read/": {"post"},
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
    "/api/v1/comments/{comment_id}/report/": {"post"},
    "/api/v1/notes/{note_id}/report/": {"post"},
    "/api/v1/comments/{comment_id}/replies/": {"get"},
    "/api/v1/boards/": {"get", "post"},
    "/api/v1/boards/{board_id}/": {"get", "patch", "delete"},
    "/api/v1/boards/{board_id}/notes/": {"get"},
    "/api/v1/feeds/discover/": {"get"},
    "/api/v1/feeds/discover/notes/{note_id}/not-interested/": {"post"},
    "/api/v1/feeds/follow/": {"get"},
    "/api/v1/feeds/nearby/": {"get"},
    "/api/v1/places/": {"get"},
    "/api/v1/mall/categories/": {"get"},
    "/api/v1/mall/brands/": {"get"},
    "/api/v1/mall/products/": {"get"},
    "/api/v1/mall/products/{product_id}/": {"get"},
    "/api/v1/mall/products/{product_id}/notes/": {"get"},
    "/api/v1/mall/notes/{note_id}/products/": {"get", "put"},
    "/api/v1/mall/promotions/": {"get"},
    "/api/v1/mall/cart/": {"get"},
    "/api/v1/mall/checkout/": {"get"},
    "/api/v1/mall/cart/lines/": {"post"},
    "/api/v1/mall/cart/lines/{line_id}/": {"patch", "delete"},
    "/api/v1/mall/addresses/": {"get", "post"},
    "/api/v1/mall/addresses/{address_id}/": {"get", "patch", "delete"},
    "/api/v1/mall/orders/": {"get", "post"},
    "/api/v1/mall/orders/{number}/": {"get"},
    "/api/v1/mall/orders/{number}/cancel/": {"post"},
    "/api/v1/mall/orders/{number}/refund-request/": {"post"},
    "/api/v1/mall/orders/{number}/payment/": {"post"},
    "/api/v1/mall/coupons/": {"get"},
    "/api/v1/mall/coupons/on-offer/": {"get"},
    "/api/v1/mall/coupons/{coupon_id}/claim/": {"post"},
    "/api/v1/hot/": {"get"},
    "/api/v1/search/": {"get"},
    "/api/v1/search/creators/": {"get"},
    "/api/v1/search/products/": {"get"},
    "/api/v1/onboarding/topics/": {"get"},
    "/api/v1/onboarding/interests/": {"post"},
    "/api/v1/onboarding/skip/": {"post"},
    "/api/v1/me/close/": {"post"},
    "/api/v1/me/data/": {"get"},
    "/api/v1/me/creator/": {"get"},
    "/api/v1/me/partnerships/": {"get"},
    "/api/v1/onboarding/creators/": {"get"},
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


# --- Error answers: shared components, added to every operation by core.schema.


def responses_of(schema, path: str, method: str) -> dict:
    return schema["paths"][path][method]["responses"]


def every_operation(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_errors_are_two_shared_shapes(schema):
    schemas = schema["components"]["schemas"]

    assert schemas["Error"]["required"] == ["detail"]
    assert schemas["ValidationError"]["additionalProperties"]["oneOf"][0] == {
        "type": "array",
        "items": {"type": "string"},
    }


def test_a_read_of_a_named_thing_documents_403_and_404_and_429_only(schema):
    responses = responses_of(schema, "/api/v1/notes/{note_id}/", "get")

    assert {code: answer.get("$ref") for code, answer in responses.items() if code != "200"} == {
        "403": "#/components/responses/InvalidCredentials",
        "404": "#/components/responses/NotFound",
        "429": "#/components/responses/TooManyRequests",
    }


def test_a_write_that_needs_signing_in_documents_400_and_403_as_forbidden(schema):
    responses = responses_of(schema, "/api/v1/boards/", "post")

    assert sorted(responses) == ["201", "400", "403", "429"]
    assert responses["400"] == {"$ref": "#/components/responses/BadRequest"}
    assert responses["403"] == {"$ref": "#/components/responses/Forbidden"}


def test_a_list_documents_400_for_its_cursor(schema):
    responses = responses_of(schema, "/api/v1/feeds/discover/", "get")

    assert sorted(responses) == ["200", "400", "403", "429"]


def test_a_post_without_a_body_documents_400_for_the_state_it_checks(schema):
    # liking your own draft is refused with a 400
    assert "400" in responses_of(schema, "/api/v1/notes/{note_id}/like/", "post")


def test_a_delete_without_input_documents_no_400(schema):
    assert "400" not in responses_of(schema, "/api/v1/boards/{board_id}/", "delete")


def test_no_operation_documents_401_since_missing_credentials_answer_403(schema):
    documented = {
        code for _p, _m, operation in every_operation(schema) for code in operation["responses"]
    }

    assert "401" not in documented
    assert "answer 403, never 401" in schema["info"]["description"]


def test_every_operation_documents_429_with_retry_after(schema):
    too_many = schema["components"]["responses"]["TooManyRequests"]

    assert all("429" in operation["responses"] for _p, _m, operation in every_operation(schema))
    assert too_many["headers"]["Retry-After"]["schema"] == {"type": "integer"}


def test_the_token_exchange_is_documented_as_open_to_signed_out_callers(schema):
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]

    assert {} in operation["security"]
    assert operation["responses"]["403"] == {"$ref": "#/components/responses/InvalidCredentials"}


def test_a_delete_that_answers_the_new_state_documents_200_not_204(schema):
    responses = responses_of(schema, "/api/v1/notes/{note_id}/like/", "delete")

    assert "200" in responses
    assert "204" not in responses


def test_the_empty_tag_filter_is_documented_as_ignored(schema):
    parameters = schema["paths"]["/api/v1/notes/"]["get"]["parameters"]

    tag = next(parameter for parameter in parameters if parameter["name"] == "tag")
    assert tag["description"] == "A tag slug; empty is ignored."


def test_note_writes_document_the_place_id(schema):
    for name in ("NoteCreate", "PatchedNoteUpdate"):
        place = schema["components"]["schemas"][name]["properties"]["place"]
        assert place["type"] == "integer"
        assert place["description"].startswith("A city's id from /api/v1/places/")
