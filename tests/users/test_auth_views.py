import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory
from users.models import User

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "plum-blossom-river-42"


def signup_data(**overrides):
    return {
        "username": "meimei",
        "display_name": "美美",
        "email": "meimei@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def login_errors(response):
    return response.context["form"].non_field_errors()


# --- Sign-up


def test_signup_creates_the_account_logs_in_and_welcomes(client):
    response = client.post(reverse("users:signup"), signup_data())

    account = User.objects.get(username="meimei")
    assert response.status_code == 302
    assert response.url == reverse("community:onboarding")
    assert (account.display_name, account.email, account.kind) == (
        "美美",
        "meimei@example.com",
        "personal",
    )
    assert account.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(account.pk)
    assert message_texts(response) == ["Welcome to Hongshu, 美美!"]


def test_signup_with_a_next_goes_there_rather_than_to_onboarding(client):
    response = client.post(f"{reverse('users:signup')}?next=/follow/", signup_data())

    assert response.status_code == 302
    assert response.url == "/follow/"


def test_signup_with_a_taken_username_says_so_whatever_its_case(client, user):
    response = client.post(reverse("users:signup"), signup_data(username="XiaoHong"))

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "A user with that username already exists."
    ]
    assert User.objects.count() == 1


def test_signup_refuses_a_common_password(client):
    response = client.post(
        reverse("users:signup"), signup_data(password1="password", password2="password")
    )

    assert "This password is too common." in response.context["form"].errors["password2"]
    assert not User.objects.filter(username="meimei").exists()


def test_signup_needs_an_email_address(client):
    response = client.post(reverse("users:signup"), signup_data(email=""))

    assert response.context["form"].errors["email"] == ["This field is required."]


def test_signup_page_sends_a_logged_in_reader_home(user_client):
    response = user_client.get(reverse("users:signup"))

    assert response.status_code == 302
    assert response.url == reverse("community:home")


# --- Log-in and log-out


def test_login_goes_to_the_page_named_in_next(client, user, password):
    response = client.post(
        reverse("users:login"),
        {"username": "xiaohong", "password": password, "next": "/accounts/settings/"},
    )

    assert response.status_code == 302
    assert response.url == "/accounts/settings/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_ignores_a_next_on_another_site(client, user, password):
    response = client.post(
        reverse("users:login"),
        {"username": "xiaohong", "password": password, "next": "https://evil.example/"},
    )

    assert response.url == reverse("community:home")


def test_login_page_keeps_next_in_the_form(client):
    response = client.get(reverse("users:login"), {"next": "/accounts/settings/"})

    assert b'name="next" value="/accounts/settings/"' in response.content


def test_unknown_account_and_wrong_password_get_the_same_message(client, user):
    unknown = client.post(reverse("users:login"), {"username": "nobody", "password": "x1y2z3w4"})
    wrong = client.post(reverse("users:login"), {"username": "xiaohong", "password": "x1y2z3w4"})

    assert unknown.status_code == wrong.status_code == 200
    assert login_errors(unknown) == login_errors(wrong)
    assert login_errors(wrong) == ["Wrong username or password. Check both and try again."]


def test_inactive_account_gets_the_same_message_as_a_wrong_password(client, password):
    UserFactory(username="sleepy", is_active=False)

    response = client.post(reverse("users:login"), {"username": "sleepy", "password": password})

    assert login_errors(response) == ["Wrong username or password. Check both and try again."]


def test_logout_by_get_is_refused_and_keeps_the_session(user_client, user):
    response = user_client.get(reverse("users:logout"))

    assert response.status_code == 405
    assert user_client.session["_auth_user_id"] == str(user.pk)


def test_logout_by_post_ends_the_session(user_client):
    response = user_client.post(reverse("users:logout"))

    assert response.status_code == 302
    assert response.url == reverse("community:home")
    assert "_auth_user_id" not in user_client.session


# --- Passwords


def test_password_reset_mails_a_link_that_sets_a_new_password(client, user):
    response = client.post(reverse("users:password_reset"), {"email": "xiaohong@example.com"})

    assert response.url == reverse("users:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["xiaohong@example.com"]
    assert mail.outbox[0].subject == "Reset your Hongshu password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link)
    done = client.post(
        form_page.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    user.refresh_from_db()
    assert done.url == reverse("users:password_reset_complete")
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_address_reads_the_same_and_sends_nothing(client, user):
    response = client.post(reverse("users:password_reset"), {"email": "stranger@example.com"})

    assert response.url == reverse("users:password_reset_done")
    assert mail.outbox == []


def test_password_reset_link_with_a_bad_token_says_it_no_longer_works(client, user):
    response = client.get(
        reverse("users:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"})
    )

    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert b"This link no longer works" in response.content


def test_password_change_needs_a_logged_in_reader(client):
    response = client.get(reverse("users:password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("users:login"))


def test_password_change_sets_the_new_password_and_keeps_the_session(user_client, user, password):
    response = user_client.post(
        reverse("users:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    user.refresh_from_db()
    assert response.url == reverse("users:profile_edit")
    assert user.check_password(NEW_PASSWORD)
    assert user_client.session["_auth_user_id"] == str(user.pk)
    assert message_texts(response) == ["Your password has been changed."]
