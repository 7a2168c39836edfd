"""Erasure as a background job: resumable, so a retried or repeated task is harmless."""

from __future__ import annotations

from celery import shared_task

from passend.privacy.erasure import engine
from passend.privacy.erasure.models import ErasureRun, RunStatus
from passend.privacy.erasure.receipts import send_receipt


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_erasure(run_id: str, notify: str = "", language: str = "") -> str:
    """Run the erasure; then, if given, e-mail the receipt link to `notify`.

    The address travels only as this task's argument: the run itself keeps
    no address, so the receipt outlives nothing it should not. Idempotent:
    running it again finishes nothing twice and sends no second receipt.
    """
    run = ErasureRun.objects.get(pk=run_id)
    engine.execute(run)  # a finished run is left as it is
    if notify:
        send_receipt(run, email=notify, language=language)  # once per run
    return str(run.status)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def resume_erasures() -> int:
    """Finish every erasure that stopped halfway (a crash, a deploy). Idempotent."""
    count = 0
    for run in ErasureRun.objects.filter(status=RunStatus.RUNNING):
        engine.execute(run)
        count += 1
    return count
