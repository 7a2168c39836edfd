"""Everything the platform holds about a person (GDPR Art. 15), from the data map.

`inventory_for(user)` walks the subject graph (`graph.person_rows`): every
declared model with rows about people, in every organisation, and for each
row every declared *personal* field, with what the data map says about it
(category, purposes, legal basis, recipients, retention). Nothing here names
a model: a model declared later appears without a change to this file.

Secrets (password hashes, TOTP secrets, token hashes, session keys: the
categories in SECRET_CATEGORIES, and blind indexes) are never read; they are
listed as "stored (not shown)". Sensitive values that are shown (BSN, IBAN,
schemes) are audited as read, once per model and organisation.

Queries: one per model path (the rows, capped per organisation with a window
function, with their total count), one per foreign key whose labels are
shown, one per many-to-many field; never one per row.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any, overload
from uuid import UUID

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passend.privacy.audit.services import PLATFORM, record_read
from passend.privacy.datamap import TECHNICAL_CATEGORIES, Basis, Personal, Purpose
from passend.privacy.recipients import recipients
from passend.privacy.rights import corrections
from passend.privacy.rights.graph import SubjectPath, all_rows, subject_paths
from passend.privacy.statement.generate import (
    category_label,
    retention_facts,
    retention_words,
)
from passend.tenancy.models import Membership, Organisation

ROW_LIMIT = 20
ACCOUNT = "account"

# Never shown, never exported: what would let someone act as the person.
SECRET_CATEGORIES = frozenset(
    {"user.authorization.credentials", "user.authorization.password", "passend.blind_index"}
)
PORTABLE_BASES = frozenset({Basis.CONSENT, Basis.CONTRACT})
# Platform-internal values (the data map's TECHNICAL_CATEGORIES: references, record
# dates and statuses, keys; and fields declared `internal=True`) are kept under
# "technical details" on the page; the export holds them.
TECHNICAL_CATEGORIES = TECHNICAL_CATEGORIES | SECRET_CATEGORIES

# Models whose rows are a history that grows with use (the audit trail): the
# page gives their count and a link to the paged page that shows them, never
# the rows. Registered by label (rights/privacy.py), so nothing here names a model.
_histories: dict[str, str] = {}


def register_history(label: str, *, url_name: str) -> None:
    """Show `label`'s rows on the paged page `url_name`, not on the "my data" page."""
    _histories[label] = url_name


# A sentence per category where the label alone does not say enough; other
# categories are explained from the data map (what the data is used for).
EXPLANATIONS: dict[str, Any] = {
    "passend.record_metadata": gettext_lazy(
        "When your records were made and changed, and their status."
    ),
    "user.unique_id": gettext_lazy(
        "References that link your records to you and to each other; they mean nothing "
        "outside the platform."
    ),
    "user.unique_id.pseudonymous": gettext_lazy(
        "Numbers that refer to you and to the people who worked with your data, "
        "without naming anyone."
    ),
    "user.authorization.credentials": gettext_lazy(
        "What lets you sign in. It is stored in a form that cannot be read back, and it is "
        "never shown or exported, so nobody can use it to act as you."
    ),
    "user.authorization": gettext_lazy("Your roles, and what they let you see and do."),
    "passend.coaching": gettext_lazy(
        "Your coaching trajectory: goals, plans, tasks, appointments and the notes your career "
        "advisor keeps."
    ),
    "passend.audit_trail": gettext_lazy("Who did what with your personal data, and when."),
    "system.operations": gettext_lazy(
        "The record of what was done with your data (the audit trail), kept to show that it "
        "was handled lawfully."
    ),
    "passend.documents": gettext_lazy("Documents in your file, and what we know about them."),
    "passend.blind_index": gettext_lazy(
        "A search key computed from an identifier, so that it can be found without storing "
        "it readably. It is never shown."
    ),
}


def is_secret(declaration: Personal) -> bool:
    return declaration.category in SECRET_CATEGORIES


# --- what the map says about a model's fields -------------------------------------------


@dataclass(frozen=True)
class FieldInfo:
    """One declared personal field and what the data map says about it."""

    model: type[models.Model]
    name: str
    declaration: Personal

    @cached_property
    def model_field(self) -> Any:
        return self.model._meta.get_field(self.name)

    @property
    def verbose_name(self) -> str:
        return capfirst(str(getattr(self.model_field, "verbose_name", self.name)))

    @property
    def secret(self) -> bool:
        return is_secret(self.declaration)

    @property
    def technical(self) -> bool:
        """A platform-internal value, shown only under "technical details"."""
        return self.category in TECHNICAL_CATEGORIES or bool(
            getattr(self.declaration, "internal", False)
        )

    @property
    def sensitive(self) -> bool:
        return bool(self.declaration.sensitive)

    @property
    def is_file(self) -> bool:
        return isinstance(self.model_field, models.FileField)

    @property
    def is_m2m(self) -> bool:
        return bool(self.model_field.many_to_many)

    @property
    def is_fk(self) -> bool:
        return bool(self.model_field.many_to_one or self.model_field.one_to_one)

    @property
    def category(self) -> str:
        return str(self.declaration.category)

    @property
    def category_label(self) -> str:
        return capfirst(category_label(self.category))

    @property
    def purposes(self) -> list[str]:
        return [capfirst(str(Purpose(p).label)) for p in self.declaration.purposes]

    @property
    def basis(self) -> str:
        basis = self.declaration.basis
        return capfirst(str(Basis(basis).label)) if basis else _("not stated")

    @property
    def art9(self) -> str:
        return self.declaration.art9 or ""

    @property
    def recipients(self) -> list[str]:
        names = {r.key: str(r.name) for r in recipients()}
        return [names.get(key, key) for key in self.declaration.recipients]

    @property
    def retention(self) -> str:
        return retention_words(retention_facts(self.declaration.retention))

    @property
    def portable_basis(self) -> bool:
        return self.declaration.basis in PORTABLE_BASES


@dataclass(frozen=True)
class ModelInfo:
    path: SubjectPath
    fields: tuple[FieldInfo, ...]

    @property
    def model(self) -> type[models.Model]:
        return self.path.model

    @property
    def label(self) -> str:
        return self.path.label

    @property
    def verbose_name(self) -> str:
        return capfirst(str(self.model._meta.verbose_name))

    @property
    def verbose_name_plural(self) -> str:
        return capfirst(str(self.model._meta.verbose_name_plural))

    @property
    def history_url(self) -> str | None:
        """The paged page that shows these rows, if they are a history (see above)."""
        name = _histories.get(self.label)
        return reverse(name) if name else None

    @property
    def secret_columns(self) -> list[str]:
        return [f.name for f in self.fields if f.secret and not f.is_m2m]

    def queryset(self, user_id: Any, *, organisation: Any = None) -> models.QuerySet[Any]:
        """The person's rows (in one organisation, when given), secrets never loaded,
        many-to-many fetched in one query each."""
        queryset = self.path.rows(user_id, organisation=organisation)
        if self.secret_columns:
            queryset = queryset.defer(*self.secret_columns)
        m2m = [f.name for f in self.fields if f.is_m2m and not f.secret]
        if m2m:
            queryset = queryset.prefetch_related(*m2m)
        return queryset


def model_infos() -> list[ModelInfo]:
    """Every model with rows about people, with its personal fields (map order)."""
    infos = []
    for path in subject_paths():
        personal = path.declaration.personal_fields()
        fields = tuple(FieldInfo(path.model, name, decl) for name, decl in personal.items())
        if fields:
            infos.append(ModelInfo(path=path, fields=fields))
    return infos


def disputable_fields(label: str) -> list[tuple[str, str]]:
    """(name, readable name) of the fields of `label` a person may dispute: the
    declared personal fields they read on their page (no secrets, nothing technical)."""
    for info in model_infos():
        if info.label == label and not info.history_url:
            return [(f.name, f.verbose_name) for f in info.fields if not f.technical]
    return []


# --- values ------------------------------------------------------------------------------


def ordering_of(model: type[models.Model]) -> list[Any]:
    result: list[Any] = []
    for item in model._meta.ordering or ():
        if not isinstance(item, str) or item == "?":
            continue
        descending = item.startswith("-")
        expression = F(item.lstrip("-"))
        result.append(expression.desc() if descending else expression.asc())
    result.append(F("pk").asc())
    return result


def related_labels(
    info: ModelInfo, rows: Sequence[Any], *, person: corrections.Person
) -> dict[str, dict[Any, str]]:
    """Readable labels of the rows' foreign keys: one query per field, never per row."""
    labels: dict[str, dict[Any, str]] = {}
    user_label = settings.AUTH_USER_MODEL
    for fi in info.fields:
        if fi.secret or not fi.is_fk:
            continue
        target = fi.model_field.related_model
        ids = {getattr(row, fi.model_field.attname) for row in rows} - {None}
        found: dict[Any, str] = {}
        if target._meta.label == user_label and person.user_id in ids:
            found[person.user_id] = _("you")
            ids.discard(person.user_id)
        if ids:
            queryset = all_rows(target).filter(pk__in=ids)
            if target is Membership:
                queryset = queryset.select_related("user", "organisation")
                found.update(
                    {m.pk: f"{m.user} ({m.get_role_display()}, {m.organisation})" for m in queryset}
                )
            else:
                found.update({obj.pk: str(obj) for obj in queryset.select_related()})
        labels[fi.name] = found
    return labels


def readable(value: Any, *, plain: bool = False) -> str:
    """A value in words, in the active language and time zone.

    `plain` writes dates as 2026-01-31 and times as 14:05 in local time: the
    same in every language, and many times faster for the export's thousands
    of rows.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        if plain:
            return moment.strftime("%Y-%m-%d %H:%M")
        return str(formats.date_format(moment, "SHORT_DATETIME_FORMAT"))
    if isinstance(value, date):
        return value.isoformat() if plain else str(formats.date_format(value, "SHORT_DATE_FORMAT"))
    if isinstance(value, time):
        return value.strftime("%H:%M") if plain else str(formats.time_format(value, "TIME_FORMAT"))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def display(
    fi: FieldInfo, row: Any, labels: dict[str, dict[Any, str]], *, plain: bool = False
) -> str:
    """The value of one field of one row, for a person to read."""
    if fi.secret:
        return _("stored (not shown)")
    model_field = fi.model_field
    if fi.is_m2m:
        return ", ".join(str(obj) for obj in getattr(row, fi.name).all())
    if fi.is_file:
        return _("a stored file (in your export)") if getattr(row, fi.name) else ""
    if fi.is_fk:
        value = getattr(row, model_field.attname)
        if value is None:
            return ""
        return labels.get(fi.name, {}).get(value, str(value))
    value = getattr(row, fi.name)
    if model_field.choices and value not in (None, ""):
        return str(dict(model_field.flatchoices).get(value, value))
    return readable(value, plain=plain)


def plain_display(fi: FieldInfo, labels: dict[str, dict[Any, str]]) -> Callable[[Any], str]:
    """`display(..., plain=True)` for one field, made once for thousands of rows.

    What is the same for every row (the time zone, the translated words, the
    choices) is looked up here, not per value: the export formats every value
    of every row, and the lookups were most of its time.
    """
    if fi.secret:
        hidden = str(_("stored (not shown)"))
        return lambda row: hidden
    if fi.is_m2m or fi.is_file or fi.is_fk:
        return lambda row: display(fi, row, labels, plain=True)
    name = fi.name
    zone = timezone.get_current_timezone()
    yes, no = str(_("yes")), str(_("no"))
    choices = {k: str(v) for k, v in fi.model_field.flatchoices} if fi.model_field.choices else None

    def shown(row: Any) -> str:
        value = getattr(row, name)
        if value is None or value == "":
            return ""
        if choices is not None:
            return choices.get(value, str(value))
        if isinstance(value, bool):
            return yes if value else no
        if isinstance(value, datetime):
            moment = value.astimezone(zone) if timezone.is_aware(value) else value
            return moment.strftime("%Y-%m-%d %H:%M")
        return readable(value, plain=True)

    return shown


def json_value(value: Any) -> Any:
    """A JSON-safe value: ISO 8601 dates, decimals and ids as strings."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value.total_seconds())
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [json_value(v) for v in value]
    return str(value)


# --- the inventory -----------------------------------------------------------------------


@dataclass
class Value:
    field: FieldInfo
    text: str
    edit_url: str | None = None
    # Set by someone else (not a secret): the person disputes it, once per kind of
    # data (`CategoryBlock.dispute_url`), never with a link per value or record.
    disputable: bool = False
    provided: bool = False


@dataclass
class Row:
    pk: Any
    values: dict[str, Value]


@dataclass
class ModelRows:
    """One model's rows about the person in one organisation (or their account)."""

    info: ModelInfo
    count: int
    rows: list[Row] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return self.count > len(self.rows)


@dataclass
class Table:
    """The fields of one model that fall in one category, with the rows shown."""

    model_rows: ModelRows
    fields: list[FieldInfo]

    @property
    def rows(self) -> list[list[Value]]:
        return [[row.values[f.name] for f in self.fields] for row in self.model_rows.rows]

    @property
    def records(self) -> list[Record]:
        """The rows with one "Change" link per self-service page their values are on."""
        result = []
        for row in self.model_rows.rows:
            values = [row.values[f.name] for f in self.fields]
            edits = list(dict.fromkeys(v.edit_url for v in values if v.edit_url))
            result.append(Record(values=values, edit_urls=edits))
        return result


@dataclass
class Record:
    values: list[Value]
    edit_urls: list[str]


@dataclass
class CategoryBlock:
    key: str
    label: str
    explanation: str
    tables: list[Table]
    # The group the block is in (ACCOUNT or an organisation id), and whether the
    # person belongs to it: only then it has a paged view and a dispute link.
    group_key: str = ACCOUNT
    yours: bool = True

    @property
    def truncated(self) -> bool:
        return any(t.model_rows.truncated for t in self.tables)

    @property
    def page_url(self) -> str | None:
        """The paged view of every record of this kind in this group."""
        if not self.yours:
            return None
        return reverse("rights:kind", kwargs={"group": self.group_key, "kind": self.key})

    @property
    def dispute_url(self) -> str | None:
        """One dispute form for the whole kind of data; the person picks the field there."""
        if not self.yours or not any(not f.secret for f in self.fields):
            return None
        return corrections.kind_dispute_url(self.group_key, self.key)

    @property
    def fields(self) -> list[FieldInfo]:
        return [f for t in self.tables for f in t.fields]

    @property
    def purposes(self) -> list[str]:
        return _unique(p for f in self.fields for p in f.purposes)

    @property
    def retentions(self) -> list[str]:
        return _unique(f.retention for f in self.fields)

    @property
    def recipients(self) -> list[str]:
        return _unique(r for f in self.fields for r in f.recipients)

    @property
    def count(self) -> int:
        return sum(t.model_rows.count for t in self.tables)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


@dataclass
class Group:
    """What one organisation holds about the person, or the account itself."""

    key: str
    title: str
    organisation: Organisation | None = None
    is_current: bool = False
    role: str = ""
    models: list[ModelRows] = field(default_factory=list)
    # A member of the organisation (always, for the account): the data of an
    # organisation the person left is listed, not paged or disputed here.
    yours: bool = True

    @property
    def is_account(self) -> bool:
        return self.key == ACCOUNT

    @property
    def categories(self) -> list[CategoryBlock]:
        """What the person reads: every field but the technical ones and histories."""
        return self._blocks(technical=False)

    @property
    def technical(self) -> list[CategoryBlock]:
        """References, record dates, keys and internal flags: shown on demand only."""
        return self._blocks(technical=True)

    @property
    def histories(self) -> list[ModelRows]:
        """Histories held here (the audit trail): a count and a link, never the rows."""
        return [m for m in self.models if m.info.history_url and m.count]

    @property
    def summary(self) -> dict[str, list[str]]:
        """What this organisation holds, why, how long and who receives it, in words."""
        blocks = self.categories
        return {
            "what": [b.label for b in blocks],
            "why": _unique(p for b in blocks for p in b.purposes),
            "how_long": _unique(r for b in blocks for r in b.retentions),
            "recipients": _unique(r for b in blocks for r in b.recipients),
        }

    def _blocks(self, *, technical: bool) -> list[CategoryBlock]:
        by_category: dict[str, list[Table]] = defaultdict(list)
        for model_rows in self.models:
            if model_rows.info.history_url:
                continue
            fields_by_category: dict[str, list[FieldInfo]] = defaultdict(list)
            for fi in model_rows.info.fields:
                if fi.technical == technical:
                    fields_by_category[fi.category].append(fi)
            for key, fields in fields_by_category.items():
                by_category[key].append(Table(model_rows, fields))
        blocks = []
        for key, tables in by_category.items():
            blocks.append(
                CategoryBlock(
                    key=key,
                    label=capfirst(category_label(key)),
                    explanation=explain(key, [f for t in tables for f in t.fields]),
                    tables=tables,
                    group_key=self.key,
                    yours=self.yours,
                )
            )
        return sorted(blocks, key=lambda b: b.label.casefold())

    @property
    def counts(self) -> list[ModelRows]:
        return [m for m in self.models if m.count]


def explain(key: str, fields: Iterable[FieldInfo]) -> str:
    purposes: list[str] = []
    for fi in fields:
        for purpose in fi.purposes:
            if purpose not in purposes:
                purposes.append(purpose)
    used = _("We use it for: %(purposes)s.") % {"purposes": "; ".join(p.lower() for p in purposes)}
    text = EXPLANATIONS.get(key)
    return f"{text} {used}" if text else used


@dataclass
class Inventory:
    groups: list[Group]
    row_limit: int | None

    @property
    def total(self) -> int:
        return sum(m.count for g in self.groups for m in g.models)


def person_of(user: Any) -> tuple[corrections.Person, dict[Any, Membership]]:
    memberships = {m.organisation_id: m for m in all_rows(Membership).filter(user_id=user.pk)}
    person = corrections.Person(
        user_id=user.pk, membership_ids=frozenset(m.pk for m in memberships.values())
    )
    return person, memberships


def _rows_capped(info: ModelInfo, user_id: Any, limit: int | None) -> list[Any]:
    queryset = info.queryset(user_id)
    partition = [F("organisation_id")] if info.path.organisation_column else None
    if limit is None:
        return list(
            queryset.annotate(_total=Window(Count("pk"), partition_by=partition)).order_by(
                *ordering_of(info.model)
            )
        )
    return list(
        queryset.annotate(
            _number=Window(RowNumber(), partition_by=partition, order_by=ordering_of(info.model)),
            _total=Window(Count("pk"), partition_by=partition),
        )
        .filter(_number__lte=limit)
        .order_by(*ordering_of(info.model))
    )


def _history_counts(info: ModelInfo, user_id: Any) -> dict[str, int]:
    """How many rows of a history there are per group: one query, no rows read."""
    queryset = info.path.rows(user_id).order_by()
    if info.path.organisation_column is None:
        total = queryset.count()
        return {ACCOUNT: total} if total else {}
    counts: dict[str, int] = defaultdict(int)
    for item in queryset.values("organisation_id").annotate(total=Count("pk")):
        organisation_id = item["organisation_id"]
        counts[str(organisation_id) if organisation_id else ACCOUNT] += item["total"]
    return dict(counts)


def group_key(info: ModelInfo, row: Any) -> str:
    if info.path.organisation_column is None:
        return ACCOUNT
    organisation_id = getattr(row, "organisation_id", None)
    return str(organisation_id) if organisation_id else ACCOUNT


class _Links:
    """Edit links and "provided by you" for the values of one group's rows.

    A self-service page without arguments (account settings) is reversed once,
    not once per value: the page reverses per record at most.
    """

    def __init__(self, *, person: corrections.Person, may_edit_here: bool, role: str) -> None:
        self.person = person
        self.may_edit_here = may_edit_here
        self.role = role
        self._fixed: dict[corrections.SelfEdit, str | None] = {}

    def _url(self, entry: corrections.SelfEdit, row: Any) -> str | None:
        if entry.kwargs is not None:
            return entry.url(row)
        if entry not in self._fixed:
            self._fixed[entry] = entry.url(row)
        return self._fixed[entry]

    def value(self, info: ModelInfo, row: Any, fi: FieldInfo, text: str) -> Value:
        if fi.secret:
            return Value(fi, text)
        entry = corrections.self_edit_for(info.label, fi.name)
        if entry is not None and self.person.wrote(info.model, row):
            edit = None
            if self.may_edit_here and (not entry.roles or self.role in entry.roles):
                edit = self._url(entry, row)
            return Value(fi, text, edit_url=edit, provided=True)
        return Value(fi, text, disputable=True)


def _audit_reads(
    info: ModelInfo,
    rows_by_group: dict[str, list[Any]],
    *,
    user: Any,
    fields: Iterable[FieldInfo] | None = None,
) -> None:
    fields = info.fields if fields is None else fields
    shown = [f for f in fields if f.sensitive and not f.secret and not f.is_file]
    if not shown:
        return
    for key, rows in rows_by_group.items():
        names = sorted(
            {f.name for f in shown for row in rows if getattr(row, f.model_field.attname, None)}
        )
        if not names:
            continue
        record_read(
            target=info.model,
            fields=names,
            purpose=Purpose.LEGAL_OBLIGATION,
            subject=user.pk,
            organisation=PLATFORM if key == ACCOUNT else UUID(key),
            detail="shown to the person on their data page",
        )


def _links_for(
    key: str, *, person: corrections.Person, memberships: dict[Any, Membership], current_id: str
) -> _Links:
    membership = memberships.get(UUID(key)) if key != ACCOUNT else None
    return _Links(
        person=person,
        may_edit_here=key in (ACCOUNT, current_id),
        role=membership.role if membership is not None else "",
    )


def _rows(
    info: ModelInfo,
    fields: Iterable[FieldInfo],
    rows: Iterable[Any],
    labels: dict[str, dict[Any, str]],
    links: _Links,
) -> list[Row]:
    fields = list(fields)
    return [
        Row(
            pk=row.pk,
            values={fi.name: links.value(info, row, fi, display(fi, row, labels)) for fi in fields},
        )
        for row in rows
    ]


def inventory_for(
    user: Any, *, current_organisation: Any = None, row_limit: int | None = ROW_LIMIT
) -> Inventory:
    """Every declared personal field held about `user`, grouped by organisation.

    At most `row_limit` rows per model and organisation are read (None: all);
    each model's full count is given. Sensitive values shown are audited as
    read by the person themselves.
    """
    person, memberships = person_of(user)
    current_id = str(getattr(current_organisation, "pk", current_organisation) or "")
    collected: dict[str, list[ModelRows]] = defaultdict(list)
    for info in model_infos():
        if info.history_url:
            for key, total in _history_counts(info, user.pk).items():
                collected[key].append(ModelRows(info=info, count=total))
            continue
        rows = _rows_capped(info, user.pk, row_limit)
        if not rows:
            continue
        labels = related_labels(info, rows, person=person)
        rows_by_group: dict[str, list[Any]] = defaultdict(list)
        for row in rows:
            rows_by_group[group_key(info, row)].append(row)
        _audit_reads(info, rows_by_group, user=user)
        for key, group_rows in rows_by_group.items():
            links = _links_for(key, person=person, memberships=memberships, current_id=current_id)
            model_rows = ModelRows(info=info, count=int(group_rows[0]._total))
            model_rows.rows = _rows(info, info.fields, group_rows, labels, links)
            collected[key].append(model_rows)
    return Inventory(groups=_groups(collected, memberships, current_id), row_limit=row_limit)


def _groups(
    collected: dict[str, list[ModelRows]], memberships: dict[Any, Membership], current_id: str
) -> list[Group]:
    organisation_ids = [UUID(key) for key in collected if key != ACCOUNT]
    organisation_ids += [pk for pk in memberships if pk not in organisation_ids]
    organisations = {str(o.pk): o for o in Organisation.objects.filter(pk__in=organisation_ids)}
    groups = [Group(key=ACCOUNT, title=_("Your account"), models=collected.get(ACCOUNT, []))]
    ordered = sorted(organisations.values(), key=lambda o: o.name.casefold())
    for organisation in ordered:
        key = str(organisation.pk)
        membership = memberships.get(organisation.pk)
        groups.append(
            Group(
                key=key,
                title=organisation.name,
                organisation=organisation,
                is_current=key == current_id,
                role=membership.get_role_display() if membership is not None else "",
                models=collected.get(key, []),
                yours=membership is not None,
            )
        )
    return groups


# --- one kind of data, paged --------------------------------------------------------------


def group_rows(info: ModelInfo, user_id: Any, key: str) -> models.QuerySet[Any]:
    """`info`'s rows about the person in one group: an organisation, or the account
    (models without an organisation, and rows whose organisation is empty)."""
    if key != ACCOUNT:
        return info.queryset(user_id, organisation=key)
    queryset = info.queryset(user_id)
    if info.path.organisation_column is not None:
        queryset = queryset.filter(organisation_id__isnull=True)
    return queryset


@dataclass(eq=False)
class KindPart:
    """The fields of one model in one kind of data, and the person's rows of it."""

    info: ModelInfo
    fields: list[FieldInfo]
    queryset: models.QuerySet[Any]
    count: int


def kind_parts(user_id: Any, key: str, kind: str) -> list[KindPart]:
    """Every model holding data of `kind` about the person in group `key`, in the
    order of the "my data" page: one count query per model with fields of that kind."""
    parts = []
    for info in model_infos():
        if info.history_url:
            continue
        fields = [f for f in info.fields if f.category == kind and not f.technical]
        if not fields:
            continue
        queryset = group_rows(info, user_id, key)
        count = queryset.order_by().count()
        if count:
            parts.append(KindPart(info, fields, queryset.order_by(*ordering_of(info.model)), count))
    return parts


Record_ = tuple[KindPart, Any]


class KindRecords(Sequence[Record_]):
    """The records of every part, one after the other, for Django's paginator:
    a page reads only its own slice of each model (LIMIT/OFFSET), never all rows."""

    def __init__(self, parts: list[KindPart]) -> None:
        self.parts = parts

    def count(self, value: Any = None) -> int:  # the paginator's count(), no argument
        return sum(part.count for part in self.parts)

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> Record_: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record_]: ...

    def __getitem__(self, index: int | slice) -> Record_ | list[Record_]:
        if isinstance(index, int):
            found = self[index : index + 1] if index >= 0 else []
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, _step = index.indices(self.count())
        result: list[Record_] = []
        offset = 0
        for part in self.parts:
            low, high = max(start - offset, 0), min(stop - offset, part.count)
            if low < high:
                result += [(part, row) for row in part.queryset[low:high]]
            offset += part.count
        return result


def kind_disputable_fields(user_id: Any, key: str, kind: str) -> list[tuple[str, str]]:
    """("<model label>:<field>", readable name) of the fields of `kind` the person may
    dispute in group `key`: those of models holding rows about them there, no secrets."""
    parts = kind_parts(user_id, key, kind)
    several = len(parts) > 1
    choices = []
    for part in parts:
        for fi in part.fields:
            if fi.secret:
                continue
            name = (
                f"{part.info.verbose_name}: {fi.verbose_name.lower()}"
                if several
                else (fi.verbose_name)
            )
            choices.append((f"{part.info.label}:{fi.name}", name))
    return choices


def kind_block(
    user: Any,
    *,
    key: str,
    kind: str,
    records: Sequence[tuple[KindPart, Any]],
    current_organisation: Any = None,
) -> CategoryBlock:
    """One page of a kind of data, as the block of the "my data" page shows it:
    values, edit links and masked secrets the same; sensitive values audited as read."""
    person, memberships = person_of(user)
    current_id = str(getattr(current_organisation, "pk", current_organisation) or "")
    links = _links_for(key, person=person, memberships=memberships, current_id=current_id)
    tables: list[Table] = []
    parts: list[KindPart] = []
    for part, _row in records:
        if part not in parts:
            parts.append(part)
    all_fields = []
    for part in parts:
        rows = [row for owner, row in records if owner is part]
        labels = related_labels(part.info, rows, person=person)
        _audit_reads(part.info, {key: rows}, user=user, fields=part.fields)
        model_rows = ModelRows(info=part.info, count=part.count)
        model_rows.rows = _rows(part.info, part.fields, rows, labels, links)
        tables.append(Table(model_rows, part.fields))
        all_fields += part.fields
    return CategoryBlock(
        key=kind,
        label=capfirst(category_label(kind)),
        explanation=explain(kind, all_fields),
        tables=tables,
        group_key=key,
    )


def kind_label(kind: str) -> str:
    """The readable name of a kind of data (a data-map category)."""
    return capfirst(category_label(kind))


def only_record_id(user_id: Any, key: str, label: str) -> str:
    """The id of the person's one `label` row in group `key`; "" when there are
    none or several (the person then says in words which record is wrong)."""
    for info in model_infos():
        if info.label == label:
            ids = list(group_rows(info, user_id, key).order_by().values_list("pk", flat=True)[:2])
            return str(ids[0]) if len(ids) == 1 else ""
    return ""
