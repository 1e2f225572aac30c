"""Celery tasks of the mall: thin callers of services, idempotent, safe to run twice."""

import logging

from celery import shared_task

from core.locks import job_lock
from mall import growth, services
from users import services as user_services

logger = logging.getLogger(__name__)
EXPIRY_LOCK_SECONDS = 5 * 60


@shared_task(name="mall.orders_expire_task")
def orders_expire_task() -> int | None:
    """Every minute: cancel unpaid orders past their deadline and give their stock back.

    Each order is expired under its own row lock and only if still unpaid, so a second run (or
    a payment arriving at the same moment) changes nothing twice.
    """
    with job_lock("mall:orders-expire", timeout=EXPIRY_LOCK_SECONDS) as acquired:
        if not acquired:
            return None
        expired = services.orders_expire_due()
    if expired:
        logger.info("Expired %d unpaid orders.", expired)
    return expired


@shared_task(name="mall.order_expire_task")
def order_expire_task(order_id: int) -> bool:
    return services.order_expire(order_id=order_id)


@shared_task(name="mall.order_confirmation_email_task")
def order_confirmation_email_task(order_id: int) -> bool:
    return services.order_email_send(order_id=order_id, kind="confirmation")


@shared_task(name="mall.order_shipped_email_task")
def order_shipped_email_task(order_id: int) -> bool:
    return services.order_email_send(order_id=order_id, kind="shipping")


@shared_task(name="mall.order_stray_payment_refund_task")
def order_stray_payment_refund_task(order_id: int, provider: str, payment_reference: str) -> bool:
    return services.order_stray_payment_refund(
        order_id=order_id, provider=provider, payment_reference=payment_reference
    )


@shared_task(name="mall.note_product_clicks_flush_task")
def note_product_clicks_flush_task() -> int:
    return services.note_product_clicks_flush()


GROWTH_RECOUNT_SECONDS = 60 * 60


@shared_task(name="mall.growth_counters_recount_task")
def growth_counters_recount_task() -> int | None:
    """Nightly: the level-task counters the mall is the source of (orders completed, product
    reviews published) recomputed from its rows, and the levels they reach raised; notes'
    counters have their own task. Batched and idempotent in users.services; returns how many
    accounts were corrected."""
    with job_lock("mall:growth-recount", timeout=GROWTH_RECOUNT_SECONDS) as acquired:
        if not acquired:
            return None
        corrected, raised = user_services.growth_counters_recount(sources=growth.progress_sources())
    logger.info("Mall growth recount corrected %d accounts, raised %d levels.", corrected, raised)
    return corrected
