"""The staff's sales report: per day in Shanghai time, top products and notes, CSV."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from mall import selectors, services
from mall.models import Order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def paid(user, place_order, red):
    """The user's paid order of one red lipstick (¥129.00)."""
    order = place_order(red)
    services.order_pay_with_demo(actor=user, number=order.number)
    return Order.objects.get(pk=order.pk)


def test_revenue_counts_on_the_day_paid_in_shanghai(paid):
    # 23:30 UTC on 1 March is 07:30 on 2 March in Shanghai
    Order.objects.filter(pk=paid.pk).update(
        paid_at=datetime(2026, 3, 1, 23, 30, tzinfo=ZoneInfo("UTC"))
    )

    report = selectors.sales_report(start=date(2026, 3, 1), end=date(2026, 3, 2))

    assert [(day.day, day.orders, day.revenue) for day in report.days] == [
        (date(2026, 3, 1), 0, Decimal("0.00")),
        (date(2026, 3, 2), 1, Decimal("129.00")),
    ]
    assert report.days[1].bar == 100


def test_refunds_count_on_the_day_refunded(paid, staff):
    services.order_refund(actor=staff, order_id=paid.pk, amount=Decimal("29.00"))
    today = timezone.localdate()

    report = selectors.sales_report(start=today, end=today)

    assert (report.revenue, report.refunds) == (Decimal("129.00"), Decimal("29.00"))


def test_top_products_rank_by_revenue(paid):
    today = timezone.localdate()

    report = selectors.sales_report(start=today, end=today)

    assert [(row["title"], row["units"]) for row in report.top_products] == [("Velvet lipstick", 1)]


def test_the_report_page_costs_the_same_queries_for_a_longer_range(
    client, staff, paid, django_assert_num_queries
):
    client.force_login(staff)
    url = reverse("admin:mall_order_sales_report")
    today = timezone.localdate()
    with django_assert_num_queries(6) as short:
        client.get(url, {"start": today, "end": today})

    with django_assert_num_queries(len(short)):
        response = client.get(url, {"start": today - timedelta(days=90), "end": today})

    assert len(response.context["report"].days) == 91
    assert "Velvet lipstick" in response.content.decode()


def test_the_report_downloads_as_csv(client, staff, paid):
    client.force_login(staff)
    today = timezone.localdate()

    response = client.get(
        reverse("admin:mall_order_sales_report"), {"start": today, "end": today, "format": "csv"}
    )

    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[:2] == ["day,orders,revenue,refunds", f"{today.isoformat()},1,129.00,0.00"]


def test_a_range_too_long_falls_back_to_the_last_30_days(client, staff):
    client.force_login(staff)

    response = client.get(
        reverse("admin:mall_order_sales_report"), {"start": "2020-01-01", "end": "2026-01-01"}
    )

    assert len(response.context["report"].days) == 30
    assert "Choose a range of 1 to 366 days." in response.content.decode()


def test_only_staff_allowed_to_view_orders_see_the_report(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:mall_order_sales_report"))

    assert response.status_code == 403


def test_a_title_that_looks_like_a_formula_is_exported_as_text(client, staff, paid):
    paid.lines.update(title="=HYPERLINK(1)")  # the title as bought
    client.force_login(staff)
    today = timezone.localdate()

    response = client.get(
        reverse("admin:mall_order_sales_report"), {"start": today, "end": today, "format": "csv"}
    )

    assert "'=HYPERLINK(1)" in response.content.decode()
