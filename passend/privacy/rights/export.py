"""The export zip (GDPR Art. 15 and 20), built from the data map and the subject graph.

Layout of the zip (docs/rights.md describes it in full):

- `data.json`: schema key, scope, field metadata once per model, and
  `organisations -> key -> model label -> [row -> field -> value]`
  ("account" is the key of platform-level rows, other keys are organisation
  ids). Values are JSON-safe: ISO 8601 dates, decimals and ids as strings,
  foreign keys as the related row's id, files as paths inside the zip.
- `csv/<key>/<model label>.csv`: one CSV per model and organisation, header
  `id` and the field names.
- `files/<key>/<model label>/<row id>-<safe name>`: the person's files, decrypted.
- `overview.html`: the same, readable, self-contained (no external assets),
  every value escaped.

Scopes: "access" is everything held about the person except secrets;
"portability" only the fields they provided themselves (a self-service
field in a row they wrote) on the basis of consent or a contract.

With `organisation`, the export holds only the rows of that organisation
(what an organisation hands over at its request desk): no other
organisation's rows and no rows of the platform account ("account").
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from passend.privacy.rights import corrections
from passend.privacy.rights.inventory import (
    ACCOUNT,
    FieldInfo,
    ModelInfo,
    group_key,
    json_value,
    model_infos,
    ordering_of,
    person_of,
    plain_display,
    related_labels,
)
from passend.privacy.rights.models import ExportJob, Scope
from passend.tenancy.models import Organisation

SCHEMA = "passend.export/1"
Progress = Callable[[int], None]


def escape(value: Any) -> str:
    """HTML-escape for the overview (Django's `escape` without its lazy-string
    wrapper, which cost more than the escaping on a big export)."""
    return html.escape(str(value), quote=True)


@dataclass
class ExportResult:
    data: bytes
    # Keys of the groups ("account" or organisation ids) the export holds rows of.
    groups: set[str] = field(default_factory=set)
    rows: int = 0
    files: int = 0


def _safe_name(row: Any, fi: FieldInfo) -> str:
    original = getattr(row, "original_name", "") or ""
    base = get_valid_filename(os.path.basename(original)) if original else ""
    return f"{row.pk}-{base or fi.name}"[:150]


def _included(scope: str, info: ModelInfo, person: corrections.Person) -> Callable[..., bool]:
    def included(fi: FieldInfo, row: Any) -> bool:
        if fi.secret:
            return False
        if scope == Scope.ACCESS:
            return True
        return fi.portable_basis and corrections.provided_by_person(
            info.model, fi.name, row, person
        )

    return included


def _json_of(fi: FieldInfo, row: Any) -> Any:
    if fi.is_m2m:
        return [str(obj.pk) for obj in getattr(row, fi.name).all()]
    if fi.is_fk:
        value = getattr(row, fi.model_field.attname)
        return None if value is None else str(value)
    return json_value(getattr(row, fi.name))


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return value


def _field_meta(fi: FieldInfo) -> dict[str, Any]:
    declaration = fi.declaration
    return {
        "name": fi.verbose_name,
        "category": fi.category,
        "category_label": fi.category_label,
        "purposes": [str(getattr(p, "value", p)) for p in declaration.purposes],
        "purpose_labels": fi.purposes,
        "basis": str(getattr(declaration.basis, "value", declaration.basis or "")) or None,
        "basis_label": fi.basis,
        "special_category_condition": declaration.art9,
        "retention": fi.retention,
        "recipients": fi.recipients,
        "file": fi.is_file,
    }


def build_export(
    user: Any,
    *,
    scope: str,
    organisation: Any = None,
    progress: Progress | None = None,
) -> ExportResult:
    """The zip of everything (access) or of what the person provided (portability).

    `organisation` (an organisation or its id) limits it to that organisation's rows.
    """
    if scope not in Scope.values:
        raise ValueError(f"Unknown export scope {scope!r}.")
    organisation_id = getattr(organisation, "pk", organisation)
    person, memberships = person_of(user)
    buffer = io.BytesIO()
    result = ExportResult(data=b"")
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "scope": scope,
        "generated_at": timezone.now().isoformat(),
        "person": {"id": user.pk},
        "organisation": None if organisation_id is None else str(organisation_id),
        "organisations": {},
        "organisation_names": {},
        "models": {},
    }
    overview: dict[str, list[str]] = defaultdict(list)
    infos = model_infos()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, info in enumerate(infos, start=1):
            _export_model(
                info, user, scope, person, archive, data, overview, result, organisation_id
            )
            if progress is not None:
                progress(int(number * 95 / len(infos)))
        if organisation_id is None:
            names = _organisation_names(result.groups | {str(k) for k in memberships})
        else:
            names = _organisation_names({str(organisation_id)}, account=False)
        data["organisation_names"] = names
        # No indent: the C encoder, several times faster on big exports.
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False))
        archive.writestr("overview.html", _overview_html(user, scope, data, names, overview))
    result.data = buffer.getvalue()
    return result


def _organisation_names(keys: set[str], *, account: bool = True) -> dict[str, str]:
    ids = [k for k in keys if k != ACCOUNT]
    names = {str(o.pk): o.name for o in Organisation.objects.filter(pk__in=ids)}
    if not account:
        return dict(sorted(names.items()))
    return {ACCOUNT: str(_("Your account")), **dict(sorted(names.items()))}


def _export_model(
    info: ModelInfo,
    user: Any,
    scope: str,
    person: corrections.Person,
    archive: zipfile.ZipFile,
    data: dict[str, Any],
    overview: dict[str, list[str]],
    result: ExportResult,
    organisation_id: Any = None,
) -> None:
    rows = list(
        info.queryset(user.pk, organisation=organisation_id).order_by(*ordering_of(info.model))
    )
    if not rows:
        return
    included = _included(scope, info, person)
    labels = related_labels(info, rows, person=person)
    shown = {fi.name: plain_display(fi, labels) for fi in info.fields}
    by_group: dict[str, list[tuple[dict[str, Any], list[str]]]] = defaultdict(list)
    used: set[str] = set()
    for row in rows:
        key = group_key(info, row)
        record: dict[str, Any] = {"id": str(row.pk)}
        readable: list[str] = []
        for fi in info.fields:
            if not included(fi, row):
                continue
            used.add(fi.name)
            if fi.is_file:
                record[fi.name] = _export_file(info, fi, row, key, archive, result)
                path = record[fi.name]
                readable.append(f'<a href="{escape(path)}">{escape(path)}</a>' if path else "")
                continue
            record[fi.name] = _json_of(fi, row)
            readable.append(escape(shown[fi.name](row)))
        if len(record) == 1:  # nothing of this row in this scope
            continue
        by_group[key].append((record, readable))
    if not by_group:
        return
    fields = [fi for fi in info.fields if fi.name in used]
    data["models"][info.label] = {
        "name": info.verbose_name_plural,
        "fields": {fi.name: _field_meta(fi) for fi in fields},
        "withheld": [fi.name for fi in info.fields if fi.secret],
    }
    for key, entries in by_group.items():
        result.groups.add(key)
        result.rows += len(entries)
        data["organisations"].setdefault(key, {})[info.label] = [e[0] for e in entries]
        archive.writestr(f"csv/{key}/{info.label}.csv", _csv(fields, entries))
        overview[key].append(_overview_table(info, fields, entries))


def _export_file(
    info: ModelInfo,
    fi: FieldInfo,
    row: Any,
    key: str,
    archive: zipfile.ZipFile,
    result: ExportResult,
) -> str | None:
    stored = getattr(row, fi.name)
    if not stored or info.model is ExportJob:  # an export never holds earlier exports
        return None
    path = f"files/{key}/{info.label}/{_safe_name(row, fi)}"
    archive.writestr(path, stored.read_decrypted())
    result.files += 1
    return path


def _csv(fields: list[FieldInfo], entries: list[tuple[dict[str, Any], list[str]]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    names = ["id", *(fi.name for fi in fields)]
    writer.writerow(names)
    for record, _readable in entries:
        writer.writerow([_csv_cell(record.get(name)) for name in names])
    return out.getvalue()


# --- overview.html ---------------------------------------------------------------------

STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#1b1b1b;max-width:75rem}"
    "table{border-collapse:collapse;margin:0 0 1.5rem;width:100%}"
    "th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#eee}caption{text-align:left;font-weight:600;padding:.3rem 0}"
    "dl{margin:0 0 1rem}dt{font-weight:600}dd{margin:0 0 .5rem 1rem}"
)


def _overview_table(
    info: ModelInfo, fields: list[FieldInfo], entries: list[tuple[dict[str, Any], list[str]]]
) -> str:
    head = "".join(f"<th scope='col'>{escape(fi.verbose_name)}</th>" for fi in fields)
    body = "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in readable) + "</tr>"
        for _record, readable in entries
    )
    caption = escape(f"{info.verbose_name_plural} ({len(entries)})")
    return (
        f"<table><caption>{caption}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _overview_html(
    user: Any,
    scope: str,
    data: dict[str, Any],
    names: dict[str, str],
    overview: dict[str, list[str]],
) -> str:
    if data["organisation"] is not None and data["organisation"] in names:
        title = _("Your data at %(org)s") % {"org": names[data["organisation"]]}
    else:
        title = _("Your data at Passend")
    scope_text = Scope(scope).label
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(scope_text)}. "
        + escape(_("Made on %(date)s.") % {"date": data["generated_at"][:10]})
        + " "
        + escape(
            _(
                "The same data is in data.json (for computers) and in the CSV files; "
                "your files are in the folder files."
            )
        )
        + "</p>",
    ]
    for key, name in names.items():
        tables = overview.get(key)
        if not tables:
            continue
        parts.append(f"<h2>{escape(name)}</h2>")
        parts.extend(tables)
    parts.append(f"<h2>{escape(_('What we record, why and for how long'))}</h2>")
    for meta in data["models"].values():
        parts.append(f"<h3>{escape(meta['name'])}</h3><dl>")
        for fmeta in meta["fields"].values():
            details = "; ".join(
                [
                    fmeta["category_label"],
                    _("purposes: %(p)s") % {"p": ", ".join(fmeta["purpose_labels"])},
                    _("legal basis: %(b)s") % {"b": fmeta["basis_label"]},
                    _("recipients: %(r)s") % {"r": ", ".join(fmeta["recipients"]) or "-"},
                    fmeta["retention"],
                ]
            )
            parts.append(f"<dt>{escape(fmeta['name'])}</dt><dd>{escape(details)}</dd>")
        parts.append("</dl>")
    parts.append("</body></html>")
    return "".join(parts)
