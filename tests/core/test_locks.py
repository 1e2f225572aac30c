"""Job locks: one run at a time, a skipped run says why; and Celery runs a lost job again."""

import logging

import pytest

from community.celery import app as celery_app
from community.settings import cache_settings
from core.locks import job_lock

pytestmark = pytest.mark.django_db


def test_a_second_run_is_refused_while_the_first_holds_the_lock():
    with job_lock("nightly", timeout=60) as first, job_lock("nightly", timeout=60) as second:
        assert (first, second) == (True, False)


def test_the_lock_is_free_again_once_its_holder_is_done():
    with job_lock("nightly", timeout=60):
        pass

    with job_lock("nightly", timeout=60) as acquired:
        assert acquired


def test_locks_of_different_jobs_do_not_meet():
    with job_lock("nightly", timeout=60) as first, job_lock("hourly", timeout=60) as second:
        assert (first, second) == (True, True)


def test_a_skipped_run_logs_that_another_run_holds_the_lock(caplog):
    caplog.set_level(logging.INFO, logger="core.locks")
    with job_lock("nightly", timeout=60), job_lock("nightly", timeout=60):
        pass

    [message] = [record.getMessage() for record in caplog.records]
    assert message.startswith("Job 'nightly' skipped: another run holds its lock (")
    assert " pid " in message


def test_celery_runs_a_job_lost_with_its_worker_again_but_never_while_it_runs():
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert (
        celery_app.conf.broker_transport_options["visibility_timeout"]
        > celery_app.conf.task_time_limit
    )


def test_every_redis_client_gives_up_within_a_second():
    cache_options = cache_settings("redis://redis.internal:6379/0")["default"]["OPTIONS"]
    broker_options = celery_app.conf.broker_transport_options

    assert cache_options["socket_connect_timeout"] <= 1
    assert cache_options["socket_timeout"] <= 1
    assert broker_options["socket_connect_timeout"] <= 1
    assert celery_app.conf.redis_socket_connect_timeout <= 1
    assert celery_app.conf.broker_connection_timeout <= 1
