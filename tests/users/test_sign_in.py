"""The daily sign-in: one a day in Asia/Shanghai, a streak with rising rewards, the calendar."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from users.models import PointsEntry, SignIn, User
from users.selectors import sign_in_state
from users.services import sign_in_today

pytestmark = pytest.mark.django_db

# Noon in Shanghai on Saturday 1 March 2025.
MARCH_1 = datetime(2025, 3, 1, 4, 0, tzinfo=UTC)


def days_after(start: datetime, days: int) -> datetime:
    return start + timedelta(days=days)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


@pytest.fixture
def frozen(monkeypatch):
    """Freeze the clock: frozen(moment)."""

    def freeze(moment: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


def test_a_first_sign_in_pays_five_points_and_starts_a_streak(user):
    sign_in, created = sign_in_today(actor=user, at=MARCH_1)

    assert (created, sign_in.day, sign_in.streak, sign_in.points) == (True, date(2025, 3, 1), 1, 5)
    assert fresh(user).points_balance == 5
    assert list(PointsEntry.objects.values_list("reason", "amount", "balance_after")) == [
        ("sign_in", 5, 5)
    ]


def test_signing_in_twice_the_same_day_gives_the_one_sign_in(user):
    first, _created = sign_in_today(actor=user, at=MARCH_1)

    again, created = sign_in_today(actor=user, at=MARCH_1 + timedelta(hours=5))

    assert (created, again.pk) == (False, first.pk)
    assert SignIn.objects.count() == 1
    assert fresh(user).points_balance == 5


def test_rewards_rise_over_seven_days_in_a_row_then_start_again(user):
    paid = [sign_in_today(actor=user, at=days_after(MARCH_1, day))[0].points for day in range(9)]

    assert paid == [5, 5, 10, 10, 15, 20, 30, 5, 5]
    assert fresh(user).points_balance == 105
    assert fresh(user).sign_in_streak == 9


def test_a_missed_day_starts_the_streak_again(user):
    sign_in_today(actor=user, at=MARCH_1)
    sign_in_today(actor=user, at=days_after(MARCH_1, 1))

    after_a_gap, _created = sign_in_today(actor=user, at=days_after(MARCH_1, 3))

    assert (after_a_gap.streak, after_a_gap.points) == (1, 5)


def test_the_sign_in_day_turns_at_midnight_in_shanghai_not_utc(user):
    late = datetime(2025, 3, 1, 15, 59, tzinfo=UTC)  # 23:59 in Shanghai
    sign_in_today(actor=user, at=late)

    next_day, created = sign_in_today(actor=user, at=late + timedelta(minutes=2))

    assert (created, next_day.day, next_day.streak) == (True, date(2025, 3, 2), 2)


def test_the_same_shanghai_day_spans_two_utc_dates(user):
    sign_in_today(actor=user, at=datetime(2025, 3, 1, 16, 30, tzinfo=UTC))  # 00:30, 2 March

    _sign_in, created = sign_in_today(actor=user, at=datetime(2025, 3, 2, 15, 0, tzinfo=UTC))

    assert created is False


def test_signing_in_counts_a_day_toward_the_level_tasks(user):
    User.objects.filter(pk=user.pk).update(notes_read=10, likes_given=5)
    sign_in_today(actor=user, at=MARCH_1)

    sign_in_today(actor=user, at=days_after(MARCH_1, 1))

    assert (fresh(user).days_signed_in, fresh(user).red_potato_level) == (2, 2)


def test_the_state_shows_the_streaks_week_and_this_months_days(user, frozen):
    for day in (0, 2, 3):
        sign_in_today(actor=user, at=days_after(MARCH_1, day))
    frozen(days_after(MARCH_1, 3))

    state = sign_in_state(actor=fresh(user))

    assert (state.is_signed_in_today, state.streak, state.next_points) == (True, 2, 10)
    assert [reward.is_done for reward in state.week] == [True, True] + [False] * 5
    assert [reward.is_next for reward in state.week].index(True) == 2
    signed = [cell.day.day for week in state.month for cell in week if cell and cell.is_signed_in]
    assert signed == [1, 3, 4]
    assert state.month[0][:5] == (None,) * 5  # 1 March 2025 is a Saturday


def test_before_todays_sign_in_the_streak_counts_up_to_yesterday(user, frozen):
    sign_in_today(actor=user, at=MARCH_1)
    frozen(days_after(MARCH_1, 1))

    state = sign_in_state(actor=fresh(user))

    assert (state.is_signed_in_today, state.streak, state.next_points) == (False, 1, 5)
    assert [reward.is_done for reward in state.week][:2] == [True, False]


# --- Pages.


def test_the_sign_in_button_signs_in_and_goes_back_with_a_message(user_client, user):
    response = user_client.post(reverse("me:sign_in"), {"next": "/"}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "Signed in: +5 points, day 1 of your streak." in response.content.decode()
    assert fresh(user).points_balance == 5


def test_signing_in_again_says_it_is_already_done(user_client):
    user_client.post(reverse("me:sign_in"))

    response = user_client.post(reverse("me:sign_in"), follow=True)

    assert "You have already signed in today." in response.content.decode()
    assert SignIn.objects.count() == 1


def test_htmx_sign_in_redraws_the_card(user_client):
    response = user_client.post(reverse("me:sign_in"), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.startswith('\n<section class="panel sign-in" id="sign-in-card"')
    assert "Signed in: +5 points" in html
    assert "<strong data-balance>5</strong>" in html


def test_htmx_sign_in_from_home_redraws_the_strip(user_client):
    response = user_client.post(
        reverse("me:sign_in"), {"variant": "strip"}, headers={"HX-Request": "true"}
    )

    assert "Signed in: +5 points, day 1 of your streak." in response.content.decode()
    assert 'id="sign-in-strip"' in response.content.decode()


def test_home_offers_todays_sign_in_until_it_is_done(user_client, user):
    before = user_client.get(reverse("community:home")).content.decode()
    sign_in_today(actor=user)

    after = user_client.get(reverse("community:home")).content.decode()

    assert "Sign in today for +5 points" in before
    assert 'id="sign-in-strip"' not in after


@pytest.mark.parametrize("days", [1, 20])
def test_the_growth_page_costs_three_queries_however_many_days_are_signed(
    user_client, user, days, frozen, django_assert_num_queries
):
    for day in range(days):
        sign_in_today(actor=user, at=days_after(MARCH_1, day))
    frozen(days_after(MARCH_1, days - 1))
    User.objects.filter(pk=user.pk).update(red_potato_level_seen=10)

    with django_assert_num_queries(3):  # session, account, this month's sign-ins
        response = user_client.get(reverse("me:growth"))

    assert response.content.decode().count("sign-in__day is-signed") == days


def test_the_growth_page_shows_the_streak_and_the_button(user_client, user, frozen):
    sign_in_today(actor=user, at=MARCH_1)
    frozen(days_after(MARCH_1, 1))

    html = user_client.get(reverse("me:growth")).content.decode()

    assert '<p class="sign-in__streak" data-streak="1"><strong>1</strong> day in a row</p>' in html
    assert "Sign in · +5" in html
    assert "March 2025 · 1 day signed in" in html


# --- API.


def test_the_api_signs_in_once_a_day(api, user):
    first = api.post("/api/v1/me/sign-ins/")
    second = api.post("/api/v1/me/sign-ins/")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["streak"] == 1
    assert first.json()["is_signed_in_today"] is True
    assert second.json()["points_balance"] == 5


def test_the_api_gives_the_streak_rewards_and_month(api, user, frozen):
    sign_in_today(actor=user, at=MARCH_1)
    frozen(days_after(MARCH_1, 1))

    data = api.get("/api/v1/me/sign-ins/").json()

    assert data == {
        "today": "2025-03-02",
        "is_signed_in_today": False,
        "streak": 1,
        "next_points": 5,
        "rewards": [5, 5, 10, 10, 15, 20, 30],
        "month": ["2025-03-01"],
        "points_balance": 5,
    }


def test_a_sign_in_booked_for_an_earlier_day_keeps_the_latest_on_the_account(user):
    sign_in_today(actor=user, at=days_after(MARCH_1, 5))

    sign_in_today(actor=user, at=MARCH_1)

    assert fresh(user).last_sign_in_day == date(2025, 3, 6)


def test_a_backdated_sign_in_is_booked_on_its_day(user):
    sign_in_today(actor=user, at=MARCH_1)

    assert PointsEntry.objects.get().created_at == MARCH_1
