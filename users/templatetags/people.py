"""Template helpers for showing people: avatars with a coloured initial when there is no photo,
red-potato level badges, the one-time banner of a new level, and today's sign-in."""

from django import template
from django.utils.safestring import SafeString

from users.days import community_day
from users.models import Notification, User
from users.notification_text import notification_sentence
from users.services import growth_level_banner_take, sign_in_next_streak, sign_in_reward

register = template.Library()
AVATAR_COLOURS = 8
# How wide each avatar size is shown (static/css: .avatar--*), for its srcset's `sizes`.
AVATAR_SIZES = {"xs": "20px", "sm": "32px", "md": "44px", "lg": "112px"}


@register.inclusion_tag("partials/avatar.html")
def avatar(user: User, size: str = "sm") -> dict:
    """<img> of the avatar, or the first letter of the name on a colour picked by the account."""
    return {
        "person": user,
        "size": size,
        "initial": (user.name[:1] or "?").upper(),
        "colour": (user.pk or 0) % AVATAR_COLOURS,
        "sizes": AVATAR_SIZES.get(size, "44px"),
        "css_class": f"avatar avatar--{size}",
    }


@register.inclusion_tag("partials/level_badge.html")
def level_badge(user: User, size: str = "sm") -> dict:
    """The red-potato level badge (its name on hover, and for screen readers). No query."""
    return {"level": user.level, "size": size}


@register.simple_tag
def message_sentence(row: Notification) -> SafeString:
    """{% message_sentence row %}: what a message says (users.notification_text)."""
    return notification_sentence(row)


@register.inclusion_tag("partials/level_up_banner.html", takes_context=True)
def level_up_banner(context: template.Context) -> dict:
    """Congratulates the reader on a new level, once (users.services.growth_level_banner_take)."""
    request = context.get("request")
    reader = getattr(request, "user", None)  # none on an error page answered before log-in
    reached = None
    if reader is not None and not getattr(request, "htmx", False):
        reached = growth_level_banner_take(actor=reader)
    return {"reached": reached}


@register.inclusion_tag("users/partials/sign_in_strip.html", takes_context=True)
def sign_in_strip(context: template.Context) -> dict:
    """Today's sign-in, offered until it is done (home). No query: it reads the account."""
    request = context.get("request")
    reader = getattr(request, "user", None)
    if reader is None or not reader.is_authenticated or reader.last_sign_in_day == community_day():
        return {"show": False}
    upcoming = sign_in_next_streak(actor=reader)
    return {
        "show": True,
        "points": sign_in_reward(upcoming),
        "streak": upcoming - 1,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
