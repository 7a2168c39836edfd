"""The background flows against a real Celery worker on Redis, not eagerly.

Eager tasks run inside the caller's transaction and hide a race: a task that
reads a row its caller has not committed yet. Here the services run with
`CELERY_TASK_ALWAYS_EAGER` off, the tasks travel through Redis, and a worker
in its own process (with its own database connection, to the same test
database) runs them: closing an account, a person's own export, and an export
the request desk prepares. Each must finish.

Needs PostgreSQL (the worker must see the test database, which SQLite keeps
in memory) and Redis on 127.0.0.1:6379 (`.ci/run` starts it); skipped with
the reason otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import redis
from django.db import connection, transaction

from config.celery import app
from passend.accounts.models import User
from passend.common.scope import organisation_scope
from passend.privacy.erasure import services as erasure_services
from passend.privacy.erasure.models import ErasureRun, RunStatus
from passend.privacy.requests import services as request_services
from passend.privacy.requests.models import MessageKind, RequestKind, RequestMessage
from passend.privacy.rights import services as rights_services
from passend.privacy.rights.models import ExportJob, ExportStatus, Scope

ROOT = Path(__file__).resolve().parents[1]
# A database of its own, so the test's queue shares nothing with a worker of
# `make worker` on database 0.
BROKER = os.environ.get("PASSEND_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")
DEADLINE_SECONDS = 60

pytestmark = [pytest.mark.postgres, pytest.mark.worker]


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}:{port}/{db['NAME']}"


def _send_tasks(*, eager: bool, broker: str) -> None:
    """Point this process's Celery app at `broker`. The app keeps the pools of
    the broker it first connected to (an eager task creates them too), so
    they are dropped and made again for the new one."""
    app.conf.task_always_eager, app.conf.broker_url = eager, broker
    for owner, name in ((app.amqp, "_producer_pool"), (app, "_pool")):
        pool = getattr(owner, name, None)
        if pool is not None:
            pool.force_close_all()
        setattr(owner, name, None)


@pytest.fixture
def worker(transactional_db: Any, settings: Any, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A Celery worker on the test database; stopped even when the test fails."""
    if not _redis_answers():
        # .ci/run sets PASSEND_REQUIRE_REDIS when it found Redis: there a silent
        # Redis is a failure, not a reason to skip.
        if os.environ.get("PASSEND_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis does not answer at {BROKER}, but .ci/run found it running")
        pytest.skip(f"Redis does not answer at {BROKER}; the real-worker test needs it")
    redis.Redis.from_url(BROKER).flushdb()  # no task left over from an earlier run
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PASSEND_TEST_WORKER": "1",
        "CELERY_BROKER_URL": BROKER,
        "DATABASE_URL": _database_url(),
        "PASSEND_MEDIA_ROOT": str(media),
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--concurrency=1", "--without-mingle", "--without-gossip", "-l", "info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    # This process sends the tasks to Redis instead of running them itself.
    eager, broker = app.conf.task_always_eager, app.conf.broker_url
    _send_tasks(eager=False, broker=BROKER)
    try:
        yield process
    finally:
        _send_tasks(eager=eager, broker=broker)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
        redis.Redis.from_url(BROKER).flushdb()
        print((tmp_path / "worker.log").read_text()[-4000:])  # shown when the test fails


def _wait_for(done: Callable[[], bool], what: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if done():
            return
        assert process.poll() is None, f"the worker stopped (exit {process.returncode})"
        time.sleep(0.25)
    pytest.fail(f"{what} did not finish within {DEADLINE_SECONDS} s on the worker")


def test_it_runs_erasure_export_and_the_desks_export_on_a_real_worker(
    worker: subprocess.Popen[str], personas: Any
) -> None:
    carla, dave = personas["carla"], personas["dave"]
    alice_m, carla_m = personas.memberships["alice"], personas.memberships["carla"]
    org_a = personas.organisations["a"]

    # The caller's transaction goes on a while after the services ran (as a
    # request does under ATOMIC_REQUESTS): a task sent before the commit would
    # look for rows the worker cannot see yet, and fail.
    with transaction.atomic():
        own = rights_services.export_request(user=carla, scope=Scope.ACCESS)
        with organisation_scope(org_a):
            request = request_services.request_file_own(
                membership=carla_m, kind=RequestKind.ACCESS, description="All of it"
            )
            desk = request_services.request_export_prepare(request=request, by=alice_m)
        run = erasure_services.close_account(user=dave)
        time.sleep(2)

    _wait_for(
        lambda: ExportJob.objects.filter(pk=own.pk, status=ExportStatus.READY).exists(),
        "the person's own export",
        worker,
    )
    _wait_for(
        lambda: ExportJob.objects.filter(
            pk=desk.pk, status=ExportStatus.READY, token_hash__isnull=False
        ).exists(),
        "the export the desk prepared",
        worker,
    )
    with organisation_scope(org_a):
        assert RequestMessage.objects.filter(request=request, kind=MessageKind.EXPORT).count() == 1
    _wait_for(
        lambda: ErasureRun.objects.filter(
            pk=run.pk, status=RunStatus.DONE, receipt_sent_at__isnull=False
        ).exists(),
        "closing dave's account",
        worker,
    )
    assert not User.objects.filter(pk=dave.pk, is_active=True).exists()
