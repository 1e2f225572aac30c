from decimal import Decimal

import pytest

from mall.money import format_money, from_minor_units, line_total, minor_units, money, shipping_fee


def test_money_is_shown_with_the_yuan_sign_thousands_grouped_and_two_places():
    assert format_money(Decimal("1299")) == "¥1,299.00"
    assert format_money(Decimal("0.5")) == "¥0.50"
    assert format_money(Decimal("1234567.891")) == "¥1,234,567.89"


def test_money_rounds_half_up_to_the_fen():
    assert money("2.345") == Decimal("2.35")
    assert money("2.344") == Decimal("2.34")
    assert line_total(Decimal("0.335"), 3) == Decimal("1.01")


def test_money_refuses_a_float():
    with pytest.raises(TypeError):
        money(12.5)


def test_amounts_convert_to_and_from_fen_for_payment_providers():
    assert minor_units(Decimal("129.00")) == 12900
    assert minor_units(Decimal("0.01")) == 1
    assert from_minor_units(12345) == Decimal("123.45")


def test_shipping_is_a_flat_fee_below_the_threshold_and_free_from_it(settings):
    settings.MALL_FREE_SHIPPING_OVER = Decimal("99.00")
    settings.MALL_SHIPPING_FEE = Decimal("10.00")

    assert shipping_fee(Decimal("98.99")) == Decimal("10.00")
    assert shipping_fee(Decimal("99.00")) == Decimal("0.00")
    assert shipping_fee(Decimal("0.00")) == Decimal("0.00")
