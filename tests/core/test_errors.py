"""Errors answer JSON under /api/ and the site's error pages elsewhere."""

import pytest

pytestmark = pytest.mark.django_db

HTML = "text/html; charset=utf-8"


def test_an_unknown_api_address_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_address_answers_the_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"] == HTML
    assert "This page does not exist, or it is not public." in response.content.decode()


@pytest.mark.urls("tests.core.urls")
def test_a_bug_in_an_api_view_answers_json_500(client):
    client.raise_request_exception = False

    response = client.get("/api/v1/broken/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "A server error occurred."}


@pytest.mark.urls("tests.core.urls")
def test_a_bug_in_a_page_view_answers_the_500_page(client):
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500
    assert response["Content-Type"] == HTML
    assert "Something went wrong" in response.content.decode()


@pytest.mark.urls("tests.core.urls")
def test_a_forbidden_api_request_outside_drf_answers_json_403(client):
    response = client.get("/api/v1/forbidden/")

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}


def test_a_bad_request_to_the_api_answers_json_400(client):
    response = client.get("/api/v1/notes/", HTTP_HOST="elsewhere.example")

    assert response.status_code == 400
    assert response.json() == {"detail": "Malformed request."}


def test_a_bad_request_to_a_page_answers_the_400_page(client):
    response = client.get("/", HTTP_HOST="elsewhere.example")

    assert response.status_code == 400
    assert "Could not read that" in response.content.decode()
