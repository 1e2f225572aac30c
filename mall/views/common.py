"""What every mall page shares: the mall's bar (search, cart count) and small helpers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from users.models import User


def reader(request: HttpRequest) -> User | None:
    return request.user if request.user.is_authenticated else None


def mall_context(request: HttpRequest) -> dict:
    """The tab and the cart count of the mall's bar: the count the cart services keep on the
    account (User.cart_units, as in the site's top bar), so no query."""
    buyer = reader(request)
    return {
        "nav": "mall",
        "cart_count": buyer.cart_units if buyer else 0,
        "free_shipping_over": settings.MALL_FREE_SHIPPING_OVER,
    }


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def whole_number(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
