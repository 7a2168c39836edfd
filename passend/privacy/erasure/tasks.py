"""Erasure as a background job: resumable, so a retried or repeated task is harmless."""

from __future__ import annotations

from celery import shared_task

from passend.privacy.erasure import engine
from passend.privacy.erasure.models import ErasureRun, RunStatus


@shared_task(acks_late=True)
def run_erasure(run_id: str, notify: str = "", language: str = "") -> str:
    """Run the erasure; then, if given, e-mail the receipt link to `notify`.

    The address travels only as this task's argument: the run itself keeps
    no address, so the receipt outlives nothing it should not.
    """
    run = ErasureRun.objects.get(pk=run_id)
    engine.execute(run)
    if notify:
        from passend.privacy.erasure.services import send_receipt

        send_receipt(run, email=notify, language=language)
    return str(run.status)


@shared_task
def resume_erasures() -> int:
    """Finish every erasure that stopped halfway (a crash, a deploy)."""
    count = 0
    for run in ErasureRun.objects.filter(status=RunStatus.RUNNING):
        engine.execute(run)
        count += 1
    return count
