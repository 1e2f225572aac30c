"""The load balancer's probes: /healthz needs nothing, /readyz names what does not answer."""

import socket

import pytest
from django.test import override_settings

from community.celery import app as celery_app
from community.settings import cache_settings


def dead_redis_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{probe.getsockname()[1]}/0"


def test_healthz_answers_without_touching_the_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_answers_200_when_database_cache_and_broker_answer(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }


@pytest.mark.django_db
def test_readyz_answers_503_naming_an_unreachable_cache(client):
    with override_settings(CACHES=cache_settings(dead_redis_url())):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "ConnectionError", "broker": "ok"},
    }


@pytest.fixture
def broker_down():
    """Celery sends jobs to a Redis nobody listens on."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = dead_redis_url()
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved


@pytest.mark.django_db
def test_readyz_answers_503_naming_an_unreachable_broker(client, broker_down):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        "broker": "OperationalError",
    }


@pytest.mark.django_db
def test_a_failed_probe_is_one_warning_not_a_server_error(client, caplog):
    with override_settings(CACHES=cache_settings(dead_redis_url())):
        client.get("/readyz")

    assert [(record.name, record.levelname) for record in caplog.records] == [
        ("community.health", "WARNING")
    ]


@pytest.mark.django_db
def test_probes_are_not_rate_limited(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/min", "user": "1/min"},
    }

    statuses = {client.get(path).status_code for path in ["/healthz", "/readyz"] * 5}

    assert statuses == {200}


def test_probes_are_spared_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
