"""Data-key rotation: new keys, every encrypted value and file re-encrypted, old keys retired.

A rotation, per owner (organisation or platform) that has data keys:

1. Start: if all the owner's older keys are retired, a new primary key is
   made under the active master key. If some older key is not yet retired, a
   rotation is still under way: it is continued with the current primary.
2. Re-encrypt: every encrypted column and file of every model (found by
   field class over all installed models, unscoped) that is not under its
   owner's primary key is decrypted and encrypted again, in batches by
   primary key, each batch in its own transaction. Rows already under the
   primary key are skipped, so an interrupted run is continued by running
   it again.
3. Retire: once every row was visited, keys no row or file uses any more get
   `retired_at` (they stay, and still decrypt; a key found in use again is
   un-retired).

Values stay readable throughout: a row is either under its old key or, after
its batch commits, under the new one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils import timezone

from passend.privacy.crypto.envelope import (
    decrypt_bytes,
    decrypt_text,
    encrypt_bytes,
    encrypt_text,
    file_key_id,
    key_id_of,
)
from passend.privacy.crypto.errors import DecryptionError
from passend.privacy.crypto.fields import Ciphertext, EncryptedFieldMixin, owner_column
from passend.privacy.crypto.files import EncryptedFileField
from passend.privacy.crypto.keys import owner_id_of, primary_key, replace_primary_key
from passend.privacy.crypto.models import DataKey

logger = logging.getLogger(__name__)

_RAW = "crypto_raw_"
_FILE_HEADER_BYTES = 20


@dataclass
class Target:
    """A model with encrypted columns or files, and how to read them raw."""

    model: type[models.Model]
    fields: list[EncryptedFieldMixin]
    file_fields: list[EncryptedFileField]

    @property
    def label(self) -> str:
        return self.model._meta.label

    def owner_of(self, organisation_field: str | None, row: dict[str, Any]) -> str | None:
        column = owner_column(self.model, organisation_field)
        return None if column is None else owner_id_of(row[column])

    def rows(self) -> models.QuerySet[Any, dict[str, Any]]:
        columns = {"pk"}
        for organisation_field in [
            *(f.organisation_field for f in self.fields),
            *(f.organisation_field for f in self.file_fields),
        ]:
            column = owner_column(self.model, organisation_field)
            if column:
                columns.add(column)
        raws = {
            _RAW + f.attname: Cast(models.F(f.attname), models.TextField()) for f in self.fields
        }
        return (
            self.model._base_manager.order_by("pk")
            .annotate(**raws)
            .values(*sorted(columns), *raws, *(f.attname for f in self.file_fields))
        )


def encrypted_targets(extra_models: Iterable[type[models.Model]] = ()) -> list[Target]:
    """Every concrete model with encrypted columns or files in its own table."""
    targets = []
    for model in [*apps.get_models(), *extra_models]:
        if model._meta.proxy or model._meta.abstract:
            continue
        local = model._meta.local_concrete_fields
        fields = [f for f in local if isinstance(f, EncryptedFieldMixin)]
        file_fields = [f for f in local if isinstance(f, EncryptedFileField)]
        if fields or file_fields:
            targets.append(Target(model=model, fields=fields, file_fields=file_fields))
    return targets


@dataclass
class RotationReport:
    keys_created: int = 0
    rows_reencrypted: int = 0
    values_reencrypted: int = 0
    files_reencrypted: int = 0
    rows_current: int = 0
    files_missing: int = 0
    keys_retired: int = 0
    keys_unretired: int = 0
    keys_still_in_use: int = 0
    stopped_at_limit: bool = False
    complete: bool = False
    per_model: dict[str, int] = field(default_factory=dict)


def start_rotation() -> int:
    """Give every owner without a rotation under way a new primary key; returns how many."""
    created = 0
    owners = set(DataKey.objects.values_list("organisation_id", flat=True))
    for owner in owners:
        under_way = DataKey.objects.filter(
            organisation_id=owner, is_primary=False, retired_at__isnull=True
        ).exists()
        if not under_way:
            replace_primary_key(owner)
            created += 1
    return created


class _Primaries:
    """The primary key id per owner, looked up once per run."""

    def __init__(self) -> None:
        self._ids: dict[str | None, str] = {}

    def __call__(self, owner_id: str | None) -> str:
        if owner_id not in self._ids:
            self._ids[owner_id] = primary_key(owner_id).key_id
        return self._ids[owner_id]


def _reencrypt_row(
    target: Target,
    row: dict[str, Any],
    primaries: _Primaries,
    report: RotationReport,
    written: list[tuple[Any, str]],
    replaced: list[tuple[Any, str]],
) -> dict[str, Any]:
    updates: dict[str, Any] = {}
    for f in target.fields:
        raw = row[_RAW + f.attname]
        if raw is None or raw == "":
            continue
        owner = target.owner_of(f.organisation_field, row)
        if key_id_of(raw) == primaries(owner):
            continue
        decrypted = decrypt_text(raw, context=f.context)
        if decrypted.owner_id != owner:
            raise DecryptionError(
                f"{target.label} {row['pk']}: {f.context} was encrypted for another "
                "organisation than its row's; rotation stops here."
            )
        updates[f.attname] = Ciphertext(
            encrypt_text(decrypted.plaintext, organisation=owner, context=f.context)
        )
        report.values_reencrypted += 1
    for file_field in target.file_fields:
        name = row[file_field.attname]
        if not name:
            continue
        owner = target.owner_of(file_field.organisation_field, row)
        storage = file_field.storage
        try:
            with storage.open(name, "rb") as handle:
                blob = handle.read()
        except FileNotFoundError:
            report.files_missing += 1
            logger.warning(
                "%s %s: encrypted file %s is missing", target.label, row["pk"], file_field.name
            )
            continue
        if file_key_id(blob) == primaries(owner):
            continue
        context = file_field.context
        plaintext = decrypt_bytes(blob, organisation=owner, context=context)
        new_name = storage.save(
            name, ContentFile(encrypt_bytes(plaintext, organisation=owner, context=context))
        )
        written.append((storage, new_name))
        replaced.append((storage, name))
        updates[file_field.attname] = new_name
        report.files_reencrypted += 1
    return updates


def _reencrypt_target(
    target: Target,
    primaries: _Primaries,
    report: RotationReport,
    *,
    batch_size: int,
    limit: int | None,
) -> bool:
    """Re-encrypt one model; False if `limit` stopped it before the end."""
    last_pk: Any = None
    while True:
        written: list[tuple[Any, str]] = []
        replaced: list[tuple[Any, str]] = []
        stopped = False
        try:
            with transaction.atomic():
                rows_qs = target.rows()
                if last_pk is not None:
                    rows_qs = rows_qs.filter(pk__gt=last_pk)
                rows = list(rows_qs.select_for_update()[:batch_size])
                if not rows:
                    return True
                for row in rows:
                    last_pk = row["pk"]
                    updates = _reencrypt_row(target, row, primaries, report, written, replaced)
                    if not updates:
                        report.rows_current += 1
                        continue
                    target.model._base_manager.filter(pk=row["pk"]).update(**updates)
                    report.rows_reencrypted += 1
                    report.per_model[target.label] = report.per_model.get(target.label, 0) + 1
                    if limit is not None and report.rows_reencrypted >= limit:
                        stopped = True
                        break
                transaction.on_commit(_deleter(tuple(replaced)))
        except BaseException:
            _delete_files(written)
            raise
        if stopped:
            return False


def _deleter(files: Sequence[tuple[Any, str]]) -> Callable[[], None]:
    return lambda: _delete_files(files)


def _delete_files(files: Sequence[tuple[Any, str]]) -> None:
    for storage, name in files:
        storage.delete(name)


def _keys_in_use(targets: list[Target]) -> set[str]:
    used: set[str] = set()
    for target in targets:
        for row in target.rows().iterator(chunk_size=2000):
            for f in target.fields:
                raw = row[_RAW + f.attname]
                if raw:
                    used.add(key_id_of(raw))
            for file_field in target.file_fields:
                name = row[file_field.attname]
                if not name:
                    continue
                try:
                    with file_field.storage.open(name, "rb") as handle:
                        used.add(file_key_id(handle.read(_FILE_HEADER_BYTES)))
                except FileNotFoundError:
                    continue
    return used


def retire_unused_keys(targets: list[Target], report: RotationReport) -> None:
    used = _keys_in_use(targets)
    now = timezone.now()
    report.keys_retired = (
        DataKey.objects.filter(is_primary=False, retired_at__isnull=True)
        .exclude(key_id__in=used)
        .update(retired_at=now)
    )
    report.keys_unretired = DataKey.objects.filter(
        retired_at__isnull=False, key_id__in=used
    ).update(retired_at=None)


def rotate_data_keys(
    *,
    batch_size: int = 500,
    limit: int | None = None,
    extra_models: Iterable[type[models.Model]] = (),
) -> RotationReport:
    """Run (or continue) a rotation; see the module docstring.

    `limit` stops after that many rows were re-encrypted (the batch so far is
    committed): an interruption on purpose, continued by the next run.
    `extra_models` adds models that are not in the app registry (tests).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    targets = encrypted_targets(extra_models)
    report = RotationReport()
    report.keys_created = start_rotation()
    primaries = _Primaries()
    for target in targets:
        if not _reencrypt_target(target, primaries, report, batch_size=batch_size, limit=limit):
            report.stopped_at_limit = True
            return report
    retire_unused_keys(targets, report)
    # A transaction that read the old primary key before this run started may
    # have committed a value under it behind the scan: the next run takes it.
    report.keys_still_in_use = DataKey.objects.filter(
        is_primary=False, retired_at__isnull=True
    ).count()
    report.complete = report.keys_still_in_use == 0
    return report
