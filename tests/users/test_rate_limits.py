import pytest
from django.core import mail
from django.urls import reverse

from users.models import User
from users.rate_limits import account_key

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.RATE_LIMIT_LOGIN_PER_IP = "3/m"
    settings.RATE_LIMIT_LOGIN_PER_ACCOUNT = "3/m"
    settings.RATE_LIMIT_SIGNUP_PER_IP = "2/h"
    settings.RATE_LIMIT_PASSWORD_RESET_PER_IP = "2/h"
    settings.RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT = "2/h"


def log_in(client, username, password, ip="203.0.113.7"):
    return client.post(
        reverse("users:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_after_the_per_ip_limit_gets_the_429_page(client, settings):
    settings.RATE_LIMIT_LOGIN_PER_ACCOUNT = "100/m"
    for attempt in range(3):
        assert log_in(client, f"guess{attempt}", "wrong-password").status_code == 200

    response = log_in(client, "guess3", "wrong-password")

    assert response.status_code == 429
    assert "429.html" in [template.name for template in response.templates]
    assert b"Too many attempts" in response.content


def test_another_address_may_still_log_in_when_one_ip_is_limited(client, settings):
    settings.RATE_LIMIT_LOGIN_PER_ACCOUNT = "100/m"
    for attempt in range(4):
        log_in(client, f"guess{attempt}", "wrong-password", ip="203.0.113.7")

    response = log_in(client, "guess9", "wrong-password", ip="198.51.100.2")

    assert response.status_code == 200


def test_attempts_on_one_account_from_many_addresses_hit_the_account_limit(client, settings, user):
    settings.RATE_LIMIT_LOGIN_PER_IP = "100/m"
    for attempt in range(3):
        log_in(client, "xiaohong", "wrong-password", ip=f"198.51.100.{attempt + 1}")

    response = log_in(client, "XiaoHong", "wrong-password", ip="198.51.100.99")

    assert response.status_code == 429


def test_the_account_limit_also_stops_the_right_password(client, settings, user, password):
    settings.RATE_LIMIT_LOGIN_PER_IP = "100/m"
    for attempt in range(3):
        log_in(client, "xiaohong", "wrong-password", ip=f"198.51.100.{attempt + 1}")

    response = log_in(client, "xiaohong", password, ip="198.51.100.50")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_successful_login_below_the_limit_works(client, user, password):
    log_in(client, "xiaohong", "wrong-password")
    log_in(client, "xiaohong", "wrong-password")

    response = log_in(client, "xiaohong", password)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_showing_the_login_page_is_not_counted(client):
    for _attempt in range(5):
        assert client.get(reverse("users:login")).status_code == 200

    assert log_in(client, "nobody", "wrong-password").status_code == 200


def test_signup_after_the_per_ip_limit_gets_the_429_page(client):
    for attempt in range(2):
        client.post(reverse("users:signup"), {"username": f"new{attempt}"})

    response = client.post(
        reverse("users:signup"),
        {
            "username": "late",
            "email": "late@example.com",
            "password1": "plum-blossom-river-42",
            "password2": "plum-blossom-river-42",
        },
    )

    assert response.status_code == 429
    assert not User.objects.filter(username="late").exists()


def test_password_reset_requests_after_the_per_ip_limit_get_the_429_page(client):
    for _attempt in range(2):
        client.post(reverse("users:password_reset"), {"email": "someone@example.com"})

    response = client.post(reverse("users:password_reset"), {"email": "someone@example.com"})

    assert response.status_code == 429


# --- Every spelling that reaches an account counts against that account


def test_the_account_key_folds_width_and_case_as_log_in_does():
    assert account_key(" Ｘiao_HONG ") == account_key("xiao_hong") == "xiao_hong"


def test_fullwidth_username_with_the_right_password_meets_the_account_limit(
    client, settings, user, password
):
    settings.RATE_LIMIT_LOGIN_PER_IP = "100/m"
    for attempt in range(3):
        log_in(client, "xiaohong", "wrong-password", ip=f"198.51.100.{attempt + 1}")

    response = log_in(client, "ｘiaohong", password, ip="198.51.100.50")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_fullwidth_and_mixed_case_guesses_share_one_account_limit(client, settings, user):
    settings.RATE_LIMIT_LOGIN_PER_IP = "100/m"
    for attempt, spelling in enumerate(["ｘiaohong", "xｉａohong", "ＸiaoHONG"]):
        log_in(client, spelling, "wrong-password", ip=f"198.51.100.{attempt + 1}")

    response = log_in(client, "xiaohong", "wrong-password", ip="198.51.100.50")

    assert response.status_code == 429


def test_fullwidth_and_mixed_case_token_requests_share_one_account_limit(anonymous, settings, user):
    settings.RATE_LIMIT_LOGIN_PER_ACCOUNT = "2/m"
    for attempt, spelling in enumerate(["ｘiaohong", "XiaoＨong"]):
        anonymous.post(
            "/api/v1/auth/token/",
            {"username": spelling, "password": "guess"},
            REMOTE_ADDR=f"198.51.100.{attempt + 1}",
        )

    response = anonymous.post(
        "/api/v1/auth/token/",
        {"username": "xiaohong", "password": "guess"},
        REMOTE_ADDR="198.51.100.50",
    )

    assert response.status_code == 429


def test_password_reset_requests_for_one_address_from_many_ips_meet_the_account_limit(
    client, settings, user
):
    settings.RATE_LIMIT_PASSWORD_RESET_PER_IP = "100/h"
    for attempt, spelling in enumerate(["xiaohong@example.com", "XiaoHong@Example.COM"]):
        client.post(
            reverse("users:password_reset"),
            {"email": spelling},
            REMOTE_ADDR=f"198.51.100.{attempt + 1}",
        )

    response = client.post(
        reverse("users:password_reset"),
        {"email": "ｘiaohong@ｅxample.com"},
        REMOTE_ADDR="198.51.100.50",
    )

    assert response.status_code == 429
    assert len(mail.outbox) == 2
