"""The completeness oracle: export everything, erase everything, prove it.

A canary person gets one row in every model the data map says holds rows
about people (found through `subject_paths()`, so a model declared later is
covered without touching this test), and a unique marker in every declared
personal field that can hold one: text, e-mail, links, JSON, files, the BSN
and IBAN (as unique valid numbers), audit events. Then:

1. the access export must contain every marker (secrets excepted: password
   hashes, token hashes, TOTP seeds and blind indexes are never exported);
2. the person is erased;
3. every text column of every table in the database (audit trail, history
   and library tables included) is searched for the markers, every stored
   file is checked, the stored sessions are decoded and searched, the cache
   is searched, and every canary row is re-read
   (decrypting) to check its marked fields: any surviving marker fails the
   test unless the data map keeps that field, or a legal hold keeps that
   row, and the receipt says so.

Runs on SQLite and, in the second pass of .ci/run, on PostgreSQL.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import secrets
import zipfile
from collections import defaultdict
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, models
from django.utils import timezone
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from passend.accounts.models import User
from passend.api.throttling import rate_keys
from passend.common.scope import organisation_scope
from passend.privacy.audit.middleware import SYSTEM, acting_as
from passend.privacy.audit.services import Target, record
from passend.privacy.datamap import Erasure, Personal, Purpose
from passend.privacy.erasure import engine
from passend.privacy.rights.graph import SubjectPath, all_rows, path_for, subject_paths
from passend.tenancy.models import Membership, Role

# Never exported (a secret is not "your data" to hand out), but erased all the same.
SECRET_CATEGORIES = {
    "user.authorization.credentials",
    "user.authorization.password",
    "passend.blind_index",
}
# An earlier export's zip is a copy of data the export holds anyway; an
# export never nests earlier exports (passend/privacy/rights/export.py).
NOT_RE_EXPORTED = {("rights.ExportJob", "file")}
BSN = "user.government_id.national_identification_number"
IBAN = "user.financial.bank_account"
MIN_MARKER = 8


def _bsn() -> str:
    while True:
        number = f"{secrets.randbelow(10**9):09d}"
        if stdnum_bsn.is_valid(number) and not number.startswith("0"):
            return number


def _iban() -> str:
    account = f"NLxxABNA{secrets.randbelow(10**10):010d}"
    return stdnum_iban.format(account[:2] + stdnum_iban.calc_check_digits(account) + account[4:])


class Canary:
    """Marker values, and which row and field each went into."""

    def __init__(self) -> None:
        self.prefix = "qz" + secrets.token_hex(3)  # 8 characters, in no real data
        self.count = 0
        self.markers: dict[str, tuple[str, str]] = {}  # marker -> (model label, field)
        self.rows: dict[str, Any] = {}  # model label -> the canary's row
        self.files: list[tuple[str, str, str]] = []  # (label, field, storage name)

    def marker(self, label: str, field: str, *, max_length: int | None = None) -> str | None:
        self.count += 1
        value = f"{self.prefix}{self.count:03d}"
        if max_length is not None and max_length < len(value):
            return None
        self.markers[value] = (label, field)
        return value

    def value_marker(self, value: str, label: str, field: str) -> str:
        self.markers[value] = (label, field)
        return value


def _plain_value(
    canary: Canary, label: str, field: Any, decl: Any, order: int = 0
) -> tuple[bool, Any]:
    """A value for a field: a marker where it can hold one, else something valid.

    Dates and times grow with `order` (the field's place in the model), so
    "ends after it starts" constraints hold.
    """
    personal = isinstance(decl, Personal)
    if personal and decl.category == BSN:
        return True, canary.value_marker(_bsn(), label, field.name)
    if personal and decl.category == IBAN:
        return True, canary.value_marker(_iban().replace(" ", ""), label, field.name)
    if getattr(field, "choices", None):
        return True, field.choices[0][0]
    if isinstance(field, models.EmailField):
        marker = canary.marker(label, field.name) if personal else "x"
        return True, f"{marker}@example.org"
    if isinstance(field, models.URLField):
        marker = canary.marker(label, field.name) if personal else "x"
        return True, f"https://example.org/{marker}"
    if isinstance(field, models.JSONField):
        return True, {"note": canary.marker(label, field.name) if personal else "x"}
    if isinstance(field, models.CharField | models.TextField):
        if not personal:
            return (False, None) if field.has_default() or field.blank else (True, "x")
        marker = canary.marker(label, field.name, max_length=field.max_length)
        return (True, marker) if marker else (False, None)
    if field.has_default() or field.null:
        return False, None
    if isinstance(field, models.DateTimeField):
        return True, timezone.now() + timedelta(hours=order)
    if isinstance(field, models.DateField):
        return True, date.today() + timedelta(days=order)
    if isinstance(field, models.TimeField):
        return True, time(min(6 + order, 23), 0)
    if isinstance(field, models.DurationField):
        return True, timedelta(hours=1)
    if isinstance(field, models.DecimalField):
        return True, Decimal("1")
    if isinstance(field, models.IntegerField | models.FloatField):
        return True, 1
    if isinstance(field, models.BooleanField):
        return True, False
    if isinstance(field, models.UUIDField):
        import uuid

        return True, uuid.uuid4()
    return False, None


class Builder:
    """Builds the canary's row of every model, following the data map."""

    def __init__(self, canary: Canary, user: User, organisation: Any) -> None:
        self.canary = canary
        self.user = user
        self.organisation = organisation

    def anchor(self, label: str) -> Any:
        if label not in self.canary.rows:
            self.canary.rows[label] = self.build(path_for(label))
        return self.canary.rows[label]

    def other(self, model: type[models.Model]) -> Any:
        """A row of a model that is not about people (an employer, a scheme, a skill)."""
        rows = all_rows(model)
        if any(f.attname == "organisation_id" for f in model._meta.local_fields):
            rows = rows.filter(organisation_id=self.organisation.pk)
        existing = rows.first()
        if existing is not None:
            return existing
        if model is ContentType:
            return ContentType.objects.get_for_model(User)
        instance = model()
        for field in model._meta.local_fields:
            if field.primary_key or field.has_default() or field.null:
                continue
            if field.name == "organisation":
                instance.organisation = self.organisation  # type: ignore[attr-defined]
            elif field.is_relation:
                setattr(instance, field.name, self.other(field.related_model))
            else:
                ok, value = _plain_value(self.canary, "", field, None)
                if ok:
                    setattr(instance, field.attname, f"{value}-{secrets.token_hex(4)}"
                            if isinstance(value, str) else value)  # fmt: skip
        instance.save()
        return instance

    def build(self, path: SubjectPath) -> Any:
        model, label, declaration = path.model, path.label, path.declaration
        if label == "audit.AuditEvent":
            return self._audit_event()
        instance = model()
        file_fields = []
        plain: dict[str, Any] = {}
        for order, field in enumerate(model._meta.local_fields):
            decl = declaration.fields.get(field.name)
            if field.primary_key and not isinstance(field, models.AutoField | models.BigAutoField):
                continue
            if field.primary_key:
                continue
            if isinstance(field, models.FileField):
                file_fields.append(field)
                continue
            if field.attname == "organisation_id":
                setattr(instance, field.attname, self.organisation.pk)
                continue
            if field.name == declaration.subject_field:
                self._link_subject(instance, field)
                continue
            if field.is_relation:
                target = field.related_model
                if target is User:
                    setattr(instance, field.name, self.user)
                elif _has_path(target):
                    setattr(instance, field.name, self.anchor(target._meta.label))
                elif not field.null:
                    setattr(instance, field.name, self.other(target))
                continue
            ok, value = _plain_value(self.canary, label, field, decl, order)
            if ok:
                setattr(instance, field.attname, value)
                plain[field.attname] = value
        for field in file_fields:
            marker = self.canary.marker(label, field.name)
            getattr(instance, field.name).save(
                f"{marker}.txt", ContentFile(f"file of {marker}".encode()), save=False
            )
        instance.save()
        # A field the model derives on save (a sort key copied from the name)
        # gets its marker written as stored, so the oracle still follows it.
        derived = {name: value for name, value in plain.items() if getattr(instance, name) != value}
        if derived:
            model._base_manager.filter(pk=instance.pk).update(**derived)
        for field in file_fields:
            name = getattr(instance, field.name).name
            self.canary.files.append((label, field.name, name))
        return instance

    def _link_subject(self, instance: Any, field: Any) -> None:
        if not field.is_relation:
            setattr(instance, field.attname, self.user.pk)
        elif field.related_model is User:
            setattr(instance, field.name, self.user)
        else:
            setattr(instance, field.name, self.anchor(field.related_model._meta.label))

    def _audit_event(self) -> Any:
        marker = self.canary.marker("audit.AuditEvent", "fields")
        with acting_as(SYSTEM):
            return record(
                action="update",
                target=Target("candidates.candidateprofile", "1"),
                fields=[marker],
                purpose=Purpose.COACHING,
                subject=self.user.pk,
                organisation=self.organisation,
            )


def _has_path(model: Any) -> bool:
    return any(p.model is model for p in subject_paths())


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def canary_world(personas: Any, media: Path) -> tuple[Canary, User]:
    canary = Canary()
    org = personas.organisations["a"]
    name = canary.marker("accounts.User", "name")
    email = f"{canary.marker('accounts.User', 'email')}@example.org"
    user = User.objects.create_user(email, "canary-password-2026", name=name)
    canary.rows["accounts.User"] = user
    with organisation_scope(org):
        membership = Membership.objects.create(organisation=org, user=user, role=Role.CANDIDATE)
        canary.rows["tenancy.Membership"] = membership
        builder = Builder(canary, user, org)
        for path in subject_paths():
            builder.anchor(path.label)
    cache.set(rate_keys(user.pk)[0], canary.marker("cache", "api_rate"))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session["note"] = canary.marker("session", "data")
    session.create()
    return canary, user


def _export_texts(user: User) -> tuple[str, list[bytes]]:
    from passend.privacy.rights.export import build_export

    data = build_export(user, scope="access").data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        text = archive.read("data.json").decode()
        files = [archive.read(n) for n in names if n.startswith("files/")]
    return text, files


def _exported_markers(user: User, canary: Canary) -> set[str]:
    text, files = _export_texts(user)
    json.loads(text)  # valid JSON
    blob = text + "".join(f.decode(errors="replace") for f in files)
    return {m for m in canary.markers if m in blob}


def _kept_field(label: str, field: str) -> bool:
    try:
        declaration = path_for(label).declaration
    except LookupError:
        return False
    decl = declaration.fields.get(field)
    return isinstance(decl, Personal) and decl.erasure == Erasure.KEEP


def _held_rows(run: Any) -> set[str]:
    return {entry["model"] for entry in run.receipt["kept"] if entry["fields"] == "all"}


def _secret(label: str, field: str) -> bool:
    try:
        decl = path_for(label).declaration.fields.get(field)
    except LookupError:
        return False
    return isinstance(decl, Personal) and decl.category in SECRET_CATEGORIES


def _text_columns() -> dict[str, list[str]]:
    columns: dict[str, list[str]] = defaultdict(list)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                try:
                    kind = connection.introspection.get_field_type(column.type_code, column)
                except KeyError:
                    continue  # a type Django does not know (pgvector's vector): no text
                if kind in {"CharField", "TextField", "JSONField", "EmailField", "URLField"}:
                    columns[table].append(column.name)
    return columns


def _models_by_table() -> dict[str, type[models.Model]]:
    return {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}


def _database_hits(prefix: str) -> list[tuple[str, str, str]]:
    """(table, column, value) of every text value containing the prefix."""
    hits = []
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, columns in _text_columns().items():
            for column in columns:
                cast = f"CAST({qn(column)} AS TEXT)"
                sql = f"SELECT {cast} FROM {qn(table)} WHERE {cast} LIKE %s"
                cursor.execute(sql, [f"%{prefix}%"])
                hits += [(table, column, str(row[0])) for row in cursor.fetchall()]
    return hits


def test_the_export_holds_every_marker_and_erasure_leaves_none(canary_world, media):
    canary, user = canary_world
    covered = {label for label, _field in canary.markers.values()}
    missing_models = [p.label for p in subject_paths() if p.label not in canary.rows]
    assert not missing_models, f"no canary row for {missing_models}"

    # 1. The export holds every marker, secrets excepted.
    exported = _exported_markers(user, canary)
    not_exported = sorted(
        f"{label}.{field}"
        for marker, (label, field) in canary.markers.items()
        if marker not in exported
        and label not in {"cache", "session"}
        and not _secret(label, field)
        and (label, field) not in NOT_RE_EXPORTED
    )
    assert not not_exported, f"markers missing from the export: {not_exported}"

    # 2. Erase.
    run = engine.erase(user_id=user.pk)
    held = _held_rows(run)

    # 3a. The database, every table and text column.
    by_table = _models_by_table()
    surviving = []
    for table, column, value in _database_hits(canary.prefix):
        model = by_table.get(table)
        label = model._meta.label if model is not None else table
        field = next(
            (f.name for f in (model._meta.local_fields if model else []) if f.column == column),
            column,
        )
        if label in held or _kept_field(label, field):
            continue
        surviving.append(f"{label}.{field} = {value[:40]}")
    assert not surviving, f"markers survived the erasure: {surviving}"

    # 3b. Every canary row: gone, held, or with its marked fields cleared (decrypted).
    cleared_wrongly = []
    for label, instance in canary.rows.items():
        if label in held:
            continue
        row = all_rows(type(instance)).filter(pk=instance.pk).first()
        if row is None:
            continue
        for marker, (marker_label, field) in canary.markers.items():
            if marker_label != label or _kept_field(label, field):
                continue
            value = getattr(row, field, None)
            value = getattr(value, "name", value)
            if value is not None and marker in json.dumps(value, default=str):
                cleared_wrongly.append(f"{label}.{field}")
    assert not cleared_wrongly, f"fields not cleared: {cleared_wrongly}"

    # 3c. Stored files: the canary's are gone unless held; no file names a marker.
    for label, _field, name in canary.files:
        if label not in held:
            assert not (media / name).exists(), f"{label} file survived: {name}"
    for folder, _dirs, names in os.walk(media):
        for name in names:
            assert canary.prefix not in name
            with open(os.path.join(folder, name), "rb") as stored:
                assert canary.prefix.encode() not in stored.read()

    # 3d. Stored sessions, decoded (their column holds encoded data).
    for data in Session.objects.values_list("session_data", flat=True):
        decoded = SessionStore().decode(data)
        assert decoded.get(SESSION_KEY) != str(user.pk)
        assert canary.prefix not in json.dumps(decoded, default=str)

    # 3e. The cache.
    store = getattr(cache, "_cache", {})
    for key, value in store.items():
        raw = value if isinstance(value, bytes) else pickle.dumps(value)
        assert canary.prefix.encode() not in raw, f"cache entry {key} holds a marker"

    # The receipt names what was kept and why.
    for entry in run.receipt["kept"]:
        assert entry["law"], entry
    assert covered  # the canary really carried markers
