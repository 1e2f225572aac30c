"""Relative times read in one unit, then as a date: "5 min ago", "3 days ago", "11-03"."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from users.templatetags.relative_time import describe_moment

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)


def test_under_a_minute_is_just_now():
    assert describe_moment(NOW - timedelta(seconds=59), now=NOW) == "just now"


def test_a_moment_in_the_future_is_just_now():
    assert describe_moment(NOW + timedelta(minutes=3), now=NOW) == "just now"


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (timedelta(minutes=1), "1 min ago"),
        (timedelta(minutes=59, seconds=59), "59 min ago"),
        (timedelta(hours=1), "1 hour ago"),
        (timedelta(hours=23, minutes=59), "23 hours ago"),
        (timedelta(days=1, hours=5), "1 day ago"),
        (timedelta(days=6, hours=23), "6 days ago"),
    ],
)
def test_within_a_week_one_unit_only(elapsed, expected):
    assert describe_moment(NOW - elapsed, now=NOW) == expected


def test_from_a_week_on_this_years_date_without_the_year(settings):
    settings.TIME_ZONE = "Asia/Shanghai"

    assert describe_moment(NOW - timedelta(days=20, hours=6), now=NOW) == "04-30"


def test_a_date_of_an_earlier_year_has_its_year(settings):
    settings.TIME_ZONE = "Asia/Shanghai"

    assert describe_moment(datetime(2025, 11, 3, 9, 0, tzinfo=UTC), now=NOW) == "2025-11-03"


def test_the_date_is_the_readers_local_date():
    late_evening_in_utc = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # already 2 March in Shanghai

    with timezone.override("Asia/Shanghai"):
        assert describe_moment(late_evening_in_utc, now=NOW) == "03-02"


def test_chinese_dates_read_the_same_way():
    with translation.override("zh-hans"):
        assert describe_moment(datetime(2025, 11, 3, 9, 0, tzinfo=UTC), now=NOW) == "2025-11-03"


def test_the_filter_describes_a_moment_against_the_current_time():
    three_days_ago = timezone.now() - timedelta(days=3)

    rendered = Template("{% load relative_time %}{{ moment|relative_time }}").render(
        Context({"moment": three_days_ago})
    )

    assert rendered == "3 days ago"


def test_the_filter_leaves_a_missing_moment_empty():
    rendered = Template("{% load relative_time %}[{{ moment|relative_time }}]").render(
        Context({"moment": None})
    )

    assert rendered == "[]"
