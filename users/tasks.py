"""Celery tasks of accounts: thin callers of services, idempotent, safe to run twice."""

import logging

from celery import shared_task

from core.locks import job_lock
from users import services

logger = logging.getLogger(__name__)
DIGESTS_LOCK = "users:digests:lock"
DIGESTS_LOCK_SECONDS = 50 * 60


@shared_task(name="users.notification_digests_send_task")
def notification_digests_send_task() -> int | None:
    """Hourly: e-mail the digests that are due (outside each account's quiet hours, once a
    day). A job lock keeps two runs apart; each send is claimed, so a rerun sends nothing twice.
    Returns how many were sent."""
    with job_lock(DIGESTS_LOCK, timeout=DIGESTS_LOCK_SECONDS) as acquired:
        if not acquired:
            logger.info("Digests already being sent; skipped.")
            return None
        sent = services.notification_digests_send()
    logger.info("Sent %d message digests.", sent)
    return sent
