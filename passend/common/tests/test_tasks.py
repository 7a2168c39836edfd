"""One way to enqueue background work: after the commit, with ids, and nothing else
calls `.delay()`; every task is acknowledged late and redelivered when its worker dies."""

from __future__ import annotations

import ast
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from passend.common.tasks import enqueue_on_commit

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [ROOT / "passend", ROOT / "config"]
HELPER = ROOT / "passend" / "common" / "tasks.py"
SENDING = re.compile(r"\.(delay|apply_async|send_task)\(")


class Recorder:
    """Stands in for a Celery task: remembers what was sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def apply_async(self, args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None) -> None:
        self.sent.append((tuple(args), dict(kwargs or {})))


def _sources() -> list[Path]:
    return [
        path
        for root in SOURCES
        for path in sorted(root.rglob("*.py"))
        if "/tests/" not in path.as_posix() and "/migrations/" not in path.as_posix()
    ]


def test_it_sends_a_task_only_once_the_transaction_commits(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    task = Recorder()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(task, "job-1", notify="carla@passend.test")
        assert task.sent == []  # a worker could not see the rows yet

    assert task.sent == [(("job-1",), {"notify": "carla@passend.test"})]


def test_it_sends_nothing_when_the_transaction_rolls_back(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    task = Recorder()

    def failing_write() -> None:
        with transaction.atomic():
            enqueue_on_commit(task, "job-1")
            raise RuntimeError("the write failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_write()

    assert task.sent == []


def test_it_takes_ids_not_objects(db: Any) -> None:
    task = Recorder()

    with pytest.raises(TypeError, match="ids and short strings"):
        enqueue_on_commit(task, uuid.uuid4())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ids and short strings"):
        enqueue_on_commit(task, "job-1", by=object())  # type: ignore[arg-type]
    assert task.sent == []


def test_nothing_but_the_helper_sends_a_task() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources()
        if path != HELPER
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if SENDING.search(line)
    ]
    assert offenders == [], "enqueue with passend.common.tasks.enqueue_on_commit instead"


def _task_options(path: Path) -> dict[str, set[str]]:
    """{task function name: the keyword options of its @shared_task/@app.task decorator}."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call is not None else decorator
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if name in ("shared_task", "task"):
                found[node.name] = {
                    kw.arg
                    for kw in (call.keywords if call is not None else [])
                    if kw.arg and isinstance(kw.value, ast.Constant) and kw.value.value is True
                }
    return found


def test_every_task_is_acknowledged_late_and_redelivered_when_its_worker_dies() -> None:
    tasks = {
        f"{path.relative_to(ROOT)}::{name}": options
        for path in _sources()
        for name, options in _task_options(path).items()
    }
    assert len(tasks) >= 7  # erasure, export, request desk, documents, audit
    missing = {
        name: sorted({"acks_late", "reject_on_worker_lost"} - options)
        for name, options in tasks.items()
        if not {"acks_late", "reject_on_worker_lost"} <= options
    }
    assert missing == {}
