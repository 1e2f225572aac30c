"""Days as the community counts them: calendar days in Asia/Shanghai, wherever the server or
the reader is (a note read once a day, one sign-in a day, a day's aggregated messages)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

COMMUNITY_TIME_ZONE = ZoneInfo("Asia/Shanghai")


def community_day(moment: datetime | None = None) -> date:
    """The calendar day in Asia/Shanghai of `moment` (default now)."""
    return timezone.localtime(moment or timezone.now(), COMMUNITY_TIME_ZONE).date()
