"""Money in the mall: CNY as Decimal with two places, rounded and shown in one place only.

Never float. Amounts are rounded half up to the fen (0.01) whenever the mall computes one
(a line total, a refund); prices typed by staff are stored as given, with two places.
"""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings

CURRENCY = "CNY"
CURRENCY_SYMBOL = "¥"
PRICE_MAX_DIGITS = 10
PRICE_DECIMAL_PLACES = 2
FEN = Decimal("0.01")
FEN_PER_YUAN = 100
ZERO = Decimal("0.00")


def money(value: Decimal | int | str) -> Decimal:
    """`value` as an amount: a Decimal rounded half up to the fen. A float is refused."""
    if isinstance(value, float):
        raise TypeError("Money is never a float; pass a Decimal, an int or a string.")
    try:
        return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"Not an amount: {value!r}") from None


def line_total(unit_price: Decimal, quantity: int) -> Decimal:
    return money(unit_price * quantity)


def minor_units(amount: Decimal) -> int:
    """Fen, as payment providers count CNY (Stripe's `unit_amount`)."""
    return int(money(amount) * FEN_PER_YUAN)


def from_minor_units(fen: int) -> Decimal:
    return money(Decimal(fen) / FEN_PER_YUAN)


def format_money(amount: Decimal | None) -> str:
    """¥1,299.00: the symbol, thousands grouped, always two places (both languages alike)."""
    if amount is None:
        return ""
    return f"{CURRENCY_SYMBOL}{money(amount):,.2f}"


def shipping_fee(subtotal: Decimal) -> Decimal:
    """Free from settings.MALL_FREE_SHIPPING_OVER, else the flat settings.MALL_SHIPPING_FEE;
    nothing to ship, nothing to pay."""
    if subtotal <= 0 or subtotal >= settings.MALL_FREE_SHIPPING_OVER:
        return ZERO
    return money(settings.MALL_SHIPPING_FEE)


# --- Points as money (settings.MALL_POINTS_PER_YUAN points make ¥1).


def points_value(points: int) -> Decimal:
    """What `points` pay, rounded half up to the fen."""
    return money(Decimal(points) / settings.MALL_POINTS_PER_YUAN)


def points_max(goods: Decimal, balance: int) -> int:
    """The most points an order of `goods` (after its coupon) may take: the buyer's balance, and
    settings.MALL_POINTS_MAX_SHARE of the goods, rounded down so their value never passes it."""
    cap = (
        money(goods) * settings.MALL_POINTS_MAX_SHARE * settings.MALL_POINTS_PER_YUAN
    ).to_integral_value(rounding=ROUND_DOWN)
    return max(0, min(balance, int(cap)))


def reward_points(paid: Decimal) -> int:
    """Shopping reward for `paid` yuan: settings.MALL_REWARD_POINTS_PER_YUAN a whole yuan."""
    whole = money(paid).to_integral_value(rounding=ROUND_DOWN)
    return max(0, int(whole) * settings.MALL_REWARD_POINTS_PER_YUAN)
