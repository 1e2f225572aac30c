"""How long ago something happened, the way Xiaohongshu readers expect it.

One unit only ("5 min ago", "3 days ago"; "5分钟前", "3天前") and, from a week on, the date:
"11-03" within this year, "2025-11-03" before it. Django's naturaltime says "2 weeks, 6 days ago".
"""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.translation import gettext, ngettext

register = template.Library()

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEK = timedelta(days=7)


def describe_moment(moment: datetime, *, now: datetime) -> str:
    """`moment` as seen at `now`; a moment in the future (clocks differ) is "just now"."""
    elapsed = now - moment
    if elapsed < MINUTE:
        return gettext("just now")
    if elapsed < HOUR:
        count = elapsed // MINUTE
        return ngettext("%(count)d min ago", "%(count)d min ago", count) % {"count": count}
    if elapsed < DAY:
        count = elapsed // HOUR
        return ngettext("%(count)d hour ago", "%(count)d hours ago", count) % {"count": count}
    if elapsed < WEEK:
        count = elapsed // DAY
        return ngettext("%(count)d day ago", "%(count)d days ago", count) % {"count": count}
    local = timezone.localtime(moment)
    if local.year == timezone.localtime(now).year:
        return local.strftime("%m-%d")
    return local.strftime("%Y-%m-%d")


@register.filter
def relative_time(moment: datetime | None) -> str:
    """{{ note.published_at|relative_time }}: see describe_moment."""
    if moment is None:
        return ""
    return describe_moment(moment, now=timezone.now())
