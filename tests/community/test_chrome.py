"""The chrome of every page ({% topbar %}, {% site_footer %}): rendered once per state, then
served from memory with this page's path and this reader's token, and afresh on any change."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from users.models import User

pytestmark = pytest.mark.django_db

TOPBAR = "partials/topbar.html"
FOOTER = "partials/site_footer.html"


def rendered(response, name: str) -> int:
    return sum(1 for template in response.templates if template.name == name)


def test_the_chrome_is_rendered_once_then_served_from_memory(client):
    first = client.get(reverse("community:hot"))
    second = client.get(reverse("community:hot"))

    assert (rendered(first, TOPBAR), rendered(first, FOOTER)) == (1, 1)
    assert (rendered(second, TOPBAR), rendered(second, FOOTER)) == (0, 0)
    assert b'<header class="topbar">' in second.content
    assert b'<nav class="tabbar"' in second.content


def test_kept_chrome_leads_back_to_this_page(client):
    client.get(reverse("community:hot"))
    path = reverse("community:search") + "?q=a&b=1"

    html = client.get(path).content.decode()

    assert f"?next={quote(path, safe='/')}" in html  # the log-in link
    assert html.count('name="next" type="hidden" value="/search/?q=a&amp;b=1"') >= 1
    assert "\x1f" not in html


def test_kept_chrome_shows_each_reader_their_own_account(client):
    ana, bo = UserFactory(display_name="Ana"), UserFactory(display_name="Bo")
    client.force_login(ana)
    client.get(reverse("community:hot"))
    client.force_login(bo)

    html = client.get(reverse("community:hot")).content.decode()

    assert 'class="account-menu__name">Bo<' in html
    assert "Ana" not in html


def test_a_new_unread_count_shows_at_once(client):
    reader = UserFactory()
    client.force_login(reader)
    client.get(reverse("community:hot"))
    User.objects.filter(pk=reader.pk).update(unread_notifications=3)

    response = client.get(reverse("community:hot"))

    assert rendered(response, TOPBAR) == 1
    assert re.search(r'data-unread="3"', response.content.decode())


def test_kept_chrome_forms_carry_this_readers_token(client):
    client.force_login(UserFactory())
    client.get(reverse("community:hot"))
    reader = UserFactory()
    client.force_login(reader)
    client.handler.enforce_csrf_checks = True
    html = client.get(reverse("community:hot")).content.decode()
    token = re.search(
        rf'action="{reverse("users:logout")}".*?name="csrfmiddlewaretoken" value="([^"]*)"',
        html,
        re.DOTALL,
    )

    response = client.post(reverse("users:logout"), {"csrfmiddlewaretoken": token[1]})

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
