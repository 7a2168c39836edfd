"""The erasure engine: a person's rows, field by field, as the data map says.

0. Inventory. When a run starts, `inventory` counts what it will delete,
   clear and keep; that is the receipt, and the delete page shows the same
   (`preview`), so page and receipt never disagree (a count taken while
   deleting would miss rows a database cascade took along).
1. Plan. Every model with rows about the person (passend.privacy.rights.graph)
   is visited. A row stays whole when its model's `legal_hold` says a law
   requires it (an ID copy in the payroll records); a row stays with its
   KEEP fields when its declaration keeps fields under a legal obligation
   (consent proof, the audit trail, request records); a row stays as an
   empty shell when a row that stays points at it and would otherwise be
   lost with it (a database cascade) or lose its reference.
2. Run, deepest models first, one transaction per model: rows that do not
   stay are deleted; rows that stay have every field that is not kept
   cleared (NULL, empty, default; a unique e-mail address replaced by an
   address that reaches no one); files of deleted or cleared rows are
   listed in the run before the rows go and removed from storage after the
   commit.
3. Each finished model is written to the run. A run that stops halfway (a
   crash, a deploy) is finished by running it again: finished models are
   skipped, files still listed are removed, and a model whose transaction
   rolled back is simply done again. Running a finished erasure again
   changes nothing.
4. Then the person's cache entries and (for a closed account) their stored
   sessions are purged, the erasure is audited, and the run is
   done: its receipt says what was deleted, what was kept, under which law
   and until when.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from passend.privacy.audit.middleware import SYSTEM, acting_as
from passend.privacy.audit.services import PLATFORM, Target, record
from passend.privacy.datamap import Erasure, Hold, Personal, Purpose, Trigger
from passend.privacy.erasure.caches import purge_person_caches
from passend.privacy.erasure.models import ErasureRun, RunStatus
from passend.privacy.erasure.sessions import purge_sessions
from passend.privacy.rights.graph import SubjectPath, all_rows, subject_paths

logger = logging.getLogger(__name__)

KEEPING_DELETE = (models.CASCADE, models.PROTECT, models.RESTRICT)
UNUSABLE_PASSWORD = "!erased"  # noqa: S105 - the mark of no password at all
DATE_FIELDS = ("created_at", "occurred_at", "started_at", "given_at", "date_joined")


@dataclass
class Plan:
    """Which of the person's rows stay, and why."""

    user_id: int
    organisation_id: UUID | None
    held: dict[str, dict[Any, Hold]] = field(default_factory=dict)
    kept: dict[str, set[Any]] = field(default_factory=dict)
    pinned: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))

    def staying(self, label: str) -> set[Any]:
        return set(self.held.get(label, {})) | self.kept.get(label, set()) | self.pinned[label]

    def cleared(self, label: str) -> set[Any]:
        """Rows that stay with their fields cleared (not held whole)."""
        return (self.kept.get(label, set()) | self.pinned[label]) - set(self.held.get(label, {}))


def _keep_fields(path: SubjectPath) -> list[str]:
    return [
        name
        for name, decl in path.declaration.personal_fields().items()
        if decl.erasure == Erasure.KEEP
    ]


def _path_by_label() -> dict[str, SubjectPath]:
    return {p.label: p for p in subject_paths()}


def build_plan(user_id: int, organisation_id: UUID | None = None) -> Plan:
    plan = Plan(user_id=user_id, organisation_id=organisation_id)
    paths = _path_by_label()
    for path in paths.values():
        rows = path.rows(user_id, organisation=organisation_id)
        hold_of = path.declaration.legal_hold
        if hold_of is not None:
            holds = {row.pk: hold for row in rows if (hold := hold_of(row)) is not None}
            if holds:
                plan.held[path.label] = holds
        if _keep_fields(path):
            pks = set(rows.values_list("pk", flat=True))
            if pks:
                plan.kept[path.label] = pks
    # Rows that stay keep what they point at: follow their foreign keys.
    work: list[tuple[str, set[Any]]] = [
        (label, set(pks)) for label, pks in [*plan.held.items(), *plan.kept.items()]
    ]
    while work:
        label, pks = work.pop()
        path = paths[label]
        for fk in path.model._meta.local_fields:
            target = fk.related_model if fk.is_relation else None
            if target is None or isinstance(target, str):
                continue
            target_path = paths.get(target._meta.label)
            if target_path is None:
                continue
            decl = path.declaration.fields.get(fk.name)
            kept_reference = isinstance(decl, Personal) and decl.erasure == Erasure.KEEP
            on_delete = getattr(fk.remote_field, "on_delete", None)
            if on_delete not in KEEPING_DELETE and not kept_reference:
                continue
            referenced = set(
                all_rows(path.model)
                .filter(pk__in=pks)
                .exclude(**{f"{fk.attname}__isnull": True})
                .values_list(fk.attname, flat=True)
            )
            about_person = set(
                target_path.rows(user_id, organisation=organisation_id)
                .filter(pk__in=referenced)
                .values_list("pk", flat=True)
            )
            new = about_person - plan.staying(target_path.label)
            if new:
                plan.pinned[target_path.label] |= new
                work.append((target_path.label, new))
    return plan


# --- clearing a field ---------------------------------------------------------


def _erased_email() -> str:
    return f"erased-{uuid.uuid4().hex}@erased.invalid"


def _cleared_value(model_field: models.Field[Any, Any]) -> tuple[bool, Any]:
    """(clear it?, the value) for a field of a row that stays."""
    if model_field.primary_key:
        return False, None
    if isinstance(model_field, models.FileField):
        return True, ""
    if model_field.is_relation:
        return (True, None) if model_field.null else (False, None)
    if model_field.name == "is_active":
        return True, False  # an erased record is never active again
    if model_field.name == "password":
        return True, UNUSABLE_PASSWORD  # Django's mark of a password that never matches
    if model_field.null:
        return True, None
    if model_field.unique and isinstance(model_field, models.EmailField):
        return True, _erased_email  # one per row: a callable
    if model_field.unique:
        return True, lambda: uuid.uuid4().hex
    if isinstance(model_field, models.CharField | models.TextField):
        return True, ""
    if model_field.has_default():
        return True, model_field.get_default()
    return False, None


def _clearable_fields(path: SubjectPath) -> list[str]:
    return [
        name
        for name, decl in path.declaration.personal_fields().items()
        if decl.erasure != Erasure.KEEP
    ]


def _clear_rows(path: SubjectPath, pks: set[Any]) -> list[tuple[str, str, str]]:
    """Clear every field that is not kept in these rows; return their files."""
    if not pks:
        return []
    model = path.model
    rows = all_rows(model).filter(pk__in=pks)
    per_row: dict[str, Any] = {}
    same: dict[str, Any] = {}
    m2m: list[Any] = []
    files: list[tuple[str, str, str]] = []
    for name in _clearable_fields(path):
        model_field: Any = model._meta.get_field(name)
        if model_field.many_to_many:
            m2m.append(model_field)
            continue
        clear, value = _cleared_value(model_field)
        if not clear:
            continue
        if isinstance(model_field, models.FileField):
            files += _files_of(path, rows, [model_field])
        if callable(value):
            per_row[model_field.attname] = value
        else:
            same[model_field.attname] = value
    if same:
        rows.update(**same)
    for pk in pks if per_row else ():
        all_rows(model).filter(pk=pk).update(**{k: make() for k, make in per_row.items()})
    for m2m_field in m2m:
        through = m2m_field.remote_field.through
        through._default_manager.filter(**{f"{m2m_field.m2m_field_name()}__in": pks}).delete()
    return files


def _files_of(
    path: SubjectPath, rows: models.QuerySet[Any], file_fields: Iterable[Any]
) -> list[tuple[str, str, str]]:
    found = []
    for file_field in file_fields:
        for name in rows.values_list(file_field.attname, flat=True):
            if name:
                found.append((path.label, file_field.name, str(name)))
    return found


def _remove_files(files: Iterable[Iterable[str]]) -> None:
    paths = _path_by_label()
    for label, field_name, name in files:
        storage = paths[label].model._meta.get_field(field_name).storage  # type: ignore[union-attr]
        with contextlib.suppress(FileNotFoundError):
            storage.delete(name)


# --- the receipt ------------------------------------------------------------


def _until(path: SubjectPath, decl: Personal, pks: set[Any]) -> str | None:
    retention = decl.retention
    if retention is None:
        return None
    start: datetime = timezone.now()
    if retention.trigger == Trigger.CREATED:
        names = [f.name for f in path.model._meta.local_fields]
        column = next((n for n in DATE_FIELDS if n in names), None)
        if column is not None:
            latest = all_rows(path.model).filter(pk__in=pks).aggregate(latest=Max(column))
            start = latest["latest"] or start
    return (start + retention.period).date().isoformat()


def _as_date(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat()


def _receipt_kept(path: SubjectPath, plan: Plan) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    holds = plan.held.get(path.label, {})
    by_law: dict[tuple[str, str | None], int] = defaultdict(int)
    for hold in holds.values():
        by_law[(hold.law, _as_date(hold.until))] += 1
    for (law, until), count in sorted(by_law.items(), key=lambda item: str(item[0])):
        entries.append(
            {"model": path.label, "count": count, "fields": "all", "law": law, "until": until}
        )
    kept = plan.kept.get(path.label, set()) - set(holds)
    if kept:
        fields = path.declaration.personal_fields()
        groups: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        for name in _keep_fields(path):
            decl = fields[name]
            law = (decl.retention.legal_obligation if decl.retention else None) or ""
            groups[(law, _until(path, decl, kept))].append(name)
        for (law, until), names in sorted(groups.items(), key=lambda item: str(item[0])):
            entries.append(
                {
                    "model": path.label,
                    "count": len(kept),
                    "fields": names,
                    "law": law,
                    "until": until,
                }
            )
    return entries


# --- running ------------------------------------------------------------------


def start(
    *, user_id: int, organisation_id: UUID | None = None, requested_by_user_id: int | None = None
) -> ErasureRun:
    """The running erasure of this person (and organisation), or a new one."""
    with transaction.atomic():
        existing = (
            ErasureRun.objects.select_for_update()
            .filter(user_id=user_id, organisation_id=organisation_id, status=RunStatus.RUNNING)
            .first()
        )
        if existing is not None:
            return existing
        # The receipt is the inventory the delete page showed, taken now:
        # counting while deleting would miss rows a cascade took along.
        return ErasureRun.objects.create(
            user_id=user_id,
            organisation_id=organisation_id,
            requested_by_user_id=requested_by_user_id,
            receipt=inventory(build_plan(user_id, organisation_id)),
        )


def _step(run: ErasureRun, path: SubjectPath, plan: Plan) -> None:
    """Erase one model's rows about the person, in one transaction."""
    with transaction.atomic():
        rows = path.rows(run.user_id, organisation=run.organisation_id)
        if path.organisation_column is not None:
            found = {
                str(o)
                for o in rows.values_list(path.organisation_column, flat=True).distinct()
                if o is not None
            }
            known = set(run.receipt.get("organisations", []))
            run.receipt["organisations"] = sorted(known | found)
        staying = plan.staying(path.label)
        files: list[tuple[str, str, str]] = []
        if not _keep_fields(path):  # else every row stays, with its kept fields
            doomed = rows.exclude(pk__in=staying) if staying else rows
            file_fields = [
                f for f in path.model._meta.concrete_fields if isinstance(f, models.FileField)
            ]
            files = _files_of(path, doomed, file_fields) if file_fields else []
            doomed.delete()
        files += _clear_rows(path, plan.cleared(path.label))
        run.pending_files = [*run.pending_files, *[list(f) for f in files]]
        run.completed_steps = [*run.completed_steps, path.label]
        run.save(update_fields=["receipt", "pending_files", "completed_steps"])
    _finish_files(run)


def _finish_files(run: ErasureRun) -> None:
    if not run.pending_files:
        return
    _remove_files(run.pending_files)
    run.pending_files = []
    run.save(update_fields=["pending_files"])


def execute(run: ErasureRun) -> ErasureRun:
    """Run (or finish) an erasure; safe to call again at any point."""
    if run.status == RunStatus.DONE:
        return run
    _finish_files(run)  # left over from a run that stopped after a commit
    plan = build_plan(run.user_id, run.organisation_id)
    for path in subject_paths():
        if path.label in run.completed_steps:
            continue
        _step(run, path, plan)
    purge_person_caches(run.user_id)
    if run.whole_account:
        purge_sessions(run.user_id)
    with transaction.atomic():
        _audit(run)
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
    logger.info("erasure %s finished", run.pk)
    return run


def _audit(run: ErasureRun) -> None:
    target = Target("erasure.erasurerun", str(run.pk))
    detail = "account closed" if run.whole_account else "erased in one organisation"
    # Each organisation's own trail shows the erasure of its data; a closed
    # account is also on the platform's trail.
    chains: list[Any] = [UUID(o) for o in run.receipt.get("organisations", [])]
    if run.organisation_id is not None and run.organisation_id not in chains:
        chains.append(run.organisation_id)
    if run.whole_account:
        chains.append(PLATFORM)
    with acting_as(SYSTEM):
        for organisation in chains:
            record(
                action="erase",
                target=target,
                purpose=Purpose.LEGAL_OBLIGATION,
                subject=run.user_id,
                detail=detail,
                organisation=organisation,
            )


def erase(
    *, user_id: int, organisation_id: UUID | None = None, requested_by_user_id: int | None = None
) -> ErasureRun:
    """Start (or resume) and finish the erasure of a person."""
    run = start(
        user_id=user_id,
        organisation_id=organisation_id,
        requested_by_user_id=requested_by_user_id,
    )
    return execute(run)


def inventory(plan: Plan) -> dict[str, Any]:
    """What the erasure in `plan` does, per model: rows deleted, rows left as
    cleared shells, and what is kept, under which law, until when.

    The one source of both the delete page (`preview`) and the receipt (taken
    when a run starts): they list the same kinds and counts.
    """
    deleted: dict[str, int] = {}
    cleared: dict[str, int] = {}
    kept: list[dict[str, Any]] = []
    for path in subject_paths():
        if not _keep_fields(path):  # else every row stays, with its kept fields
            rows = path.rows(plan.user_id, organisation=plan.organisation_id)
            staying = plan.staying(path.label)
            count = (rows.exclude(pk__in=staying) if staying else rows).count()
            if count:
                deleted[path.label] = count
        shells = len(plan.cleared(path.label))
        if shells:
            cleared[path.label] = shells
        kept += _receipt_kept(path, plan)
    return {"deleted": deleted, "cleared": cleared, "kept": kept}


def preview(user_id: int, organisation_id: UUID | None = None) -> dict[str, Any]:
    """What an erasure would do now (the delete pages show it)."""
    return inventory(build_plan(user_id, organisation_id))
