"""Template helpers for showing people: avatars with a coloured initial when there is no photo."""

from django import template

from users.models import User

register = template.Library()
AVATAR_COLOURS = 8


@register.inclusion_tag("partials/avatar.html")
def avatar(user: User, size: str = "sm") -> dict:
    """<img> of the avatar, or the first letter of the name on a colour picked by the account."""
    return {
        "person": user,
        "size": size,
        "initial": (user.name[:1] or "?").upper(),
        "colour": (user.pk or 0) % AVATAR_COLOURS,
    }
