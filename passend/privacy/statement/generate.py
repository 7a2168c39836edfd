"""The privacy statement, generated from the data map and the recipients register.

Two steps, both without the database:

1. `collect_facts()` turns the map and the register into plain, language-
   independent facts (keys and numbers only): what every personal field is,
   and who every recipient is. Diffs between versions compare these.
2. `render_content()` turns the facts into the statement in one language:
   the tables here, from the vocabulary's labels, and the prose in the
   template `statement/document/statement.html` (`{% blocktranslate %}`, so
   translators and reviewers read it as text), rendered to HTML.

`build_snapshot()` does both for every language; a published version stores
that snapshot, HTML included, so pages only read it and an old version stays
readable exactly as it was.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any, NotRequired, TypedDict

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from passend.privacy.datamap import (
    CATEGORIES,
    TECHNICAL_CATEGORIES,
    Basis,
    DataMap,
    Erasure,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    canonical_json,
    default_map,
)
from passend.privacy.recipients import Recipient, RecipientKind, recipients

# Bump when the statement's structure changes in a way the snapshot format
# must show; wording changes are caught by the content hash anyway.
# 1: content as sections of blocks (rendered on every view); 2: content as HTML.
SNAPSHOT_FORMAT = 2

DOCUMENT_TEMPLATE = "statement/document/statement.html"

AUTORITEIT_PERSOONSGEGEVENS_URL = "https://autoriteitpersoonsgegevens.nl"

# Locations that need no transfer mechanism (GDPR chapter V): the EU/EEA.
EEA = {
    "EU", "EEA", "EER", "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
    "GR", "EL", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO",
    "SE", "SI", "SK", "IS", "LI", "NO",
}  # fmt: skip


# --- facts -------------------------------------------------------------------


class RetentionFacts(TypedDict):
    trigger: str
    seconds: int
    action: str
    legal_obligation: str | None
    # Only where consent lengthens the period (absent from older statements).
    consent_seconds: NotRequired[int]


class FieldFacts(TypedDict):
    model: str
    field: str
    subject: str
    category: str
    purposes: list[str]
    basis: str | None
    art9: str | None
    sensitive: bool
    retention: RetentionFacts | None
    recipients: list[str]
    erasure: str


class RecipientFacts(TypedDict):
    kind: str
    purpose: str
    purposes: list[str]
    basis: str
    location: str
    safeguards: str
    categories: list[str]
    registered: bool


class Facts(TypedDict):
    fields: dict[str, FieldFacts]
    recipients: dict[str, RecipientFacts]


def _value(member: Any) -> str:
    return str(getattr(member, "value", member))


def retention_facts(retention: Retention | None) -> RetentionFacts | None:
    if not isinstance(retention, Retention) or not isinstance(retention.period, timedelta):
        return None
    facts: RetentionFacts = {
        "trigger": _value(retention.trigger),
        "seconds": int(retention.period.total_seconds()),
        "action": _value(retention.action),
        "legal_obligation": retention.legal_obligation,
    }
    if isinstance(retention.consent_period, timedelta):
        facts["consent_seconds"] = int(retention.consent_period.total_seconds())
    return facts


def field_key(model_label: str, field_name: str) -> str:
    return f"{model_label}.{field_name}"


def collect_facts(
    datamap: DataMap | None = None, register: Sequence[Recipient] | None = None
) -> Facts:
    """Everything the statement says, as keys and numbers (no language)."""
    datamap = datamap if datamap is not None else default_map()
    register = list(register) if register is not None else recipients()
    fields: dict[str, FieldFacts] = {}
    for declaration in datamap.registry():
        for name, decl in declaration.personal_fields().items():
            fields[field_key(declaration.label, name)] = {
                "model": declaration.label,
                "field": name,
                "subject": _value(decl.subject),
                "category": str(decl.category),
                "purposes": sorted(_value(p) for p in decl.purposes),
                "basis": _value(decl.basis) if decl.basis is not None else None,
                "art9": decl.art9,
                "sensitive": bool(decl.sensitive),
                "retention": retention_facts(decl.retention),
                "recipients": sorted(str(r) for r in decl.recipients),
                "erasure": _value(decl.erasure),
            }
    received: dict[str, set[str]] = defaultdict(set)
    for facts in fields.values():
        for key in facts["recipients"]:
            received[key].add(facts["category"])
    result: dict[str, RecipientFacts] = {}
    for recipient in register:
        result[recipient.key] = {
            "kind": _value(recipient.kind),
            "purpose": _value(recipient.purpose),
            "purposes": _ordered(Purpose, (_value(p) for p in recipient.purposes)),
            "basis": _value(recipient.basis),
            "location": str(recipient.location),
            "safeguards": str(recipient.safeguards or ""),
            "categories": sorted(received.get(recipient.key, ())),
            "registered": True,
        }
    # A key the map names but the register lacks is still shown (the check
    # of the recipients register reports it); never silently dropped.
    for key in sorted(set(received) - set(result)):
        result[key] = {
            "kind": "",
            "purpose": "",
            "purposes": [],
            "basis": "",
            "location": "",
            "safeguards": "",
            "categories": sorted(received[key]),
            "registered": False,
        }
    return {"fields": fields, "recipients": result}


def recipients_hash(register: Sequence[Recipient] | None = None) -> str:
    """sha256 of the register's stable form (msgids, not translations)."""
    register = list(register) if register is not None else recipients()
    with translation.override(None):
        rows = [
            {
                "key": r.key,
                "name": str(r.name),
                "kind": _value(r.kind),
                "purpose": _value(r.purpose),
                "purposes": [_value(p) for p in r.purposes],
                "basis": _value(r.basis),
                "location": str(r.location),
                "safeguards": str(r.safeguards or ""),
                "description": str(r.description),
            }
            for r in register
        ]
    return sha256(canonical_json(sorted(rows, key=lambda row: row["key"])))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- plain words ---------------------------------------------------------------


def _label(enum: Any, value: str | None) -> str:
    if value is None:
        return ""
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def category_label(key: str) -> str:
    category = CATEGORIES.get(key)
    return str(category.label) if category is not None else key


def period_words(seconds: int) -> str:
    """'4 weeks', '7 years', '30 days', '8 hours' in the active language."""
    days, rest = divmod(seconds, 86400)
    if rest or days == 0:
        hours = max(1, -(-seconds // 3600))
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    if days % 365 == 0:
        years = days // 365
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    if days % 7 == 0:
        weeks = days // 7
        return ngettext("%(count)d week", "%(count)d weeks", weeks) % {"count": weeks}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def retention_words(retention: RetentionFacts | None) -> str:
    """A retention rule in plain words, e.g. 'Deleted 4 weeks after registration.'"""
    if retention is None:
        return _("No retention period is set.")
    trigger = _label(Trigger, retention["trigger"])
    law = (retention["legal_obligation"] or "").strip()
    action = retention["action"]
    seconds = retention["seconds"]
    values = {"trigger": trigger, "law": law}
    if seconds <= 0:
        if action == RetentionAction.ANONYMISE:
            return _("Anonymised immediately after %(trigger)s.") % values
        if action == RetentionAction.KEEP:
            return _("Kept under %(law)s until %(trigger)s.") % values
        return _("Deleted immediately after %(trigger)s.") % values
    values["period"] = period_words(seconds)
    if action == RetentionAction.KEEP:
        return _("Kept %(period)s after %(trigger)s, as %(law)s requires.") % values
    if law and action == RetentionAction.ANONYMISE:
        return (
            _("Kept %(period)s after %(trigger)s, as %(law)s requires; then anonymised.") % values
        )
    if law:
        return _("Kept %(period)s after %(trigger)s, as %(law)s requires; then deleted.") % values
    if retention.get("consent_seconds"):
        values["longer"] = period_words(retention["consent_seconds"])
        if action == RetentionAction.ANONYMISE:
            return (
                _("Anonymised %(period)s after %(trigger)s, or %(longer)s after it if you agree.")
                % values
            )
        return _("Deleted %(period)s after %(trigger)s, or %(longer)s after it if you agree.") % (
            values
        )
    if action == RetentionAction.ANONYMISE:
        return _("Anonymised %(period)s after %(trigger)s.") % values
    return _("Deleted %(period)s after %(trigger)s.") % values


def erasure_words(facts: FieldFacts) -> str:
    retention = facts["retention"]
    if facts["erasure"] == Erasure.KEEP and retention is not None:
        law = (retention["legal_obligation"] or "").strip()
        if law:
            return _("Kept, because %(law)s requires it.") % {"law": law}
    return capfirst(_label(Erasure, facts["erasure"]))


def is_transfer(location: str, safeguards: str) -> bool:
    """Outside the EU/EEA (a transfer under GDPR chapter V)?"""
    if safeguards.strip():
        return True
    tokens = {t for t in location.replace("/", " ").replace(",", " ").upper().split() if t}
    return bool(tokens) and not tokens & EEA


# --- content -------------------------------------------------------------------
#
# The prose of the statement is in the template statement/document/statement.html;
# here are only the tables it shows, built from the facts.


def _sorted_labels(labels: Iterable[str]) -> list[str]:
    return sorted({capfirst(label) for label in labels}, key=str.casefold)


class Labels:
    """Labels of everything the facts name, in the active language."""

    def __init__(self, facts: Facts, register: Sequence[Recipient], datamap: DataMap) -> None:
        self.facts = facts
        self.register = {r.key: r for r in register}
        self.datamap = datamap

    def subject(self, value: str) -> str:
        return capfirst(_label(Subject, value))

    def purpose(self, value: str) -> str:
        return capfirst(_label(Purpose, value))

    def basis(self, value: str | None) -> str:
        return capfirst(_label(Basis, value)) if value else _("not stated")

    def category(self, key: str) -> str:
        return capfirst(category_label(key))

    def recipient(self, key: str) -> str:
        recipient = self.register.get(key)
        return str(recipient.name) if recipient is not None else key

    def recipient_description(self, key: str) -> str:
        recipient = self.register.get(key)
        return str(recipient.description) if recipient is not None else ""

    def field(self, key: str) -> str:
        facts = self.facts["fields"][key]
        declaration = self.datamap.declaration_for(facts["model"])
        if declaration is None:
            return key
        model = declaration.model
        try:
            field = model._meta.get_field(facts["field"])
            field_name = str(getattr(field, "verbose_name", facts["field"]))
        except FieldDoesNotExist:
            field_name = facts["field"]
        return f"{capfirst(str(model._meta.verbose_name))}: {field_name}"

    def as_dict(self) -> dict[str, dict[str, str]]:
        fields = self.facts["fields"]
        used_subjects = {f["subject"] for f in fields.values()}
        used_purposes = {p for f in fields.values() for p in f["purposes"]}
        used_purposes |= {p for r in self.facts["recipients"].values() for p in r["purposes"]}
        used_bases = {f["basis"] for f in fields.values() if f["basis"]}
        used_bases |= {r["basis"] for r in self.facts["recipients"].values() if r["basis"]}
        used_categories = {f["category"] for f in fields.values()}
        return {
            "fields": {key: self.field(key) for key in fields},
            "retention": {key: retention_words(f["retention"]) for key, f in fields.items()},
            "erasure": {key: erasure_words(f) for key, f in fields.items()},
            "subjects": {v: self.subject(v) for v in sorted(used_subjects)},
            "purposes": {v: self.purpose(v) for v in sorted(used_purposes)},
            "bases": {v: self.basis(v) for v in sorted(used_bases)},
            "categories": {k: self.category(k) for k in sorted(used_categories)},
            "recipients": {k: self.recipient(k) for k in sorted(self.facts["recipients"])},
        }


def _ordered(enum: Any, values: Iterable[str]) -> list[str]:
    """Values in the vocabulary's order (unknown ones last, sorted)."""
    order = {member.value: i for i, member in enumerate(enum)}
    return sorted(set(values), key=lambda v: (order.get(v, len(order)), v))


def _category_rows(fields: list[FieldFacts], labels: Labels) -> list[list[Any]]:
    by_category: dict[str, list[FieldFacts]] = defaultdict(list)
    for facts in fields:
        by_category[facts["category"]].append(facts)
    rows = []
    for key in sorted(by_category, key=lambda k: labels.category(k).casefold()):
        group = by_category[key]
        data = [labels.category(key)]
        if any(f["sensitive"] for f in group):
            data.append(_("Sensitive: encrypted, and every view is recorded."))
        for condition in sorted({f["art9"] for f in group if f["art9"]}):
            data.append(
                _("Special category, processed under GDPR Art. %(condition)s.")
                % {"condition": condition}
            )
        purposes = _ordered(Purpose, (p for f in group for p in f["purposes"]))
        bases = _ordered(Basis, (f["basis"] for f in group if f["basis"]))
        rows.append([
            data,
            [labels.purpose(p) for p in purposes],
            [labels.basis(b) for b in bases],
            sorted({retention_words(f["retention"]) for f in group}),
            sorted({labels.recipient(r) for f in group for r in f["recipients"]})
            or [_("No one outside the organisation")],
        ])  # fmt: skip
    return rows


def _subject_tables(facts: Facts, labels: Labels) -> list[dict[str, Any]]:
    by_subject: dict[str, list[FieldFacts]] = defaultdict(list)
    for f in facts["fields"].values():
        by_subject[f["subject"]].append(f)
    return [
        {"key": subject, "title": labels.subject(subject),
         "rows": _category_rows(by_subject[subject], labels)}
        for subject in _ordered(Subject, by_subject)
    ]  # fmt: skip


def _purpose_rows(facts: Facts, labels: Labels, *, readable_only: bool = False) -> list[list[Any]]:
    """Per purpose: its label, legal bases and data categories. `readable_only`
    leaves out the platform-internal categories (for the summary)."""
    by_purpose: dict[str, list[FieldFacts]] = defaultdict(list)
    for f in facts["fields"].values():
        if readable_only and f["category"] in TECHNICAL_CATEGORIES:
            continue
        for p in f["purposes"]:
            by_purpose[p].append(f)
    rows = []
    for purpose in _ordered(Purpose, by_purpose):
        group = by_purpose[purpose]
        rows.append([
            labels.purpose(purpose),
            [labels.basis(b) for b in _ordered(Basis, (f["basis"] for f in group if f["basis"]))],
            _sorted_labels(labels.category(f["category"]) for f in group),
        ])  # fmt: skip
    return rows


def _recipient_rows(keys: list[str], facts: Facts, labels: Labels) -> list[list[Any]]:
    rows = []
    for key in keys:
        r = facts["recipients"][key]
        where = r["location"] or _("not stated")
        if r["safeguards"]:
            where = _("%(location)s, protected by %(safeguards)s") % {
                "location": where, "safeguards": r["safeguards"],
            }  # fmt: skip
        name = [labels.recipient(key)]
        if labels.recipient_description(key):
            name.append(labels.recipient_description(key))
        if set(r["purposes"]) >= {p.value for p in Purpose}:
            purposes: list[str] = [_("All purposes in this statement")]
        else:
            purposes = [labels.purpose(p) for p in r["purposes"]] or [_("not stated")]
        rows.append([
            name,
            purposes,
            labels.basis(r["basis"] or None),
            _sorted_labels(labels.category(c) for c in r["categories"])
            or [_("None of your personal data")],
            where,
        ])  # fmt: skip
    return rows


def _retention_rows(facts: Facts, labels: Labels) -> list[list[Any]]:
    by_category: dict[str, list[FieldFacts]] = defaultdict(list)
    for f in facts["fields"].values():
        by_category[f["category"]].append(f)
    rows = []
    for key in sorted(by_category, key=lambda k: labels.category(k).casefold()):
        group = by_category[key]
        rows.append([
            labels.category(key),
            sorted({retention_words(f["retention"]) for f in group}),
            sorted({erasure_words(f) for f in group}),
        ])  # fmt: skip
    return rows


def _objectionable(facts: Facts) -> str:
    """The purposes a person can object to (legitimate interests, public task)."""
    purposes = _ordered(Purpose, (
        p for f in facts["fields"].values()
        if f["basis"] in (Basis.LEGITIMATE_INTERESTS, Basis.PUBLIC_TASK)
        for p in f["purposes"]
    ))  # fmt: skip
    return ", ".join(_label(Purpose, p) for p in purposes)


def _cookie_age(seconds: int | None) -> str:
    if not seconds:
        return _("Until you close your browser")
    return capfirst(period_words(int(seconds)))


def _cookies() -> dict[str, dict[str, str]]:
    return {
        "session": {"name": settings.SESSION_COOKIE_NAME,
                    "age": _cookie_age(settings.SESSION_COOKIE_AGE)},
        "csrf": {"name": settings.CSRF_COOKIE_NAME, "age": _cookie_age(settings.CSRF_COOKIE_AGE)},
        "language": {"name": settings.LANGUAGE_COOKIE_NAME,
                     "age": _cookie_age(settings.LANGUAGE_COOKIE_AGE)},
        "messages": {"name": "messages", "age": _cookie_age(None)},
    }  # fmt: skip


def security_measures(facts: Facts, labels: Labels) -> list[str]:
    """The technical and organisational measures (P7), in the active language."""
    sensitive = sorted(
        {category_label(f["category"]) for f in facts["fields"].values() if f["sensitive"]},
        key=str.casefold,
    )
    measures = [
        _("All connections to the platform are encrypted (HTTPS with TLS)."),
        _(
            "Signing in requires a password; two-factor authentication with an "
            "authenticator app is available, and an organisation can make it compulsory. "
            "Repeated failed sign-in attempts are blocked."
        ),
        _(
            "Each organisation sees only its own data, and within it each role sees only "
            "what it needs. Platform staff have no access without a time-limited support "
            "grant from the organisation."
        ),
        _(
            "Every change to personal data and every view of sensitive data is recorded in "
            "an audit trail that cannot be altered unnoticed. You can see who viewed your "
            "sensitive data."
        ),
        _(
            "Strict browser security rules (a content security policy, no embedding in "
            "other sites) protect against common attacks; sensitive values never appear in "
            "logs or error reports."
        ),
        _("Retention periods are applied automatically."),
    ]
    if sensitive:
        measures.insert(1, _(
            "Sensitive data is encrypted at rest with a key for each organisation, and so "
            "are uploaded files. Sensitive data is: %(categories)s."
        ) % {"categories": ", ".join(sensitive)})  # fmt: skip
    return measures


def _field_tables(facts: Facts, labels: Labels) -> list[dict[str, Any]]:
    by_subject: dict[str, list[str]] = defaultdict(list)
    for key, f in facts["fields"].items():
        by_subject[f["subject"]].append(key)
    tables = []
    for subject in _ordered(Subject, by_subject):
        rows = sorted(
            ([labels.field(k), labels.category(facts["fields"][k]["category"])]
             for k in by_subject[subject]),
            key=lambda row: row[0].casefold(),
        )  # fmt: skip
        tables.append({"key": subject, "title": labels.subject(subject), "rows": rows})
    return tables


def document_context(facts: Facts, labels: Labels) -> dict[str, Any]:
    """What the statement's template shows besides its fixed prose, in the active language."""
    processors = [k for k, r in facts["recipients"].items() if r["kind"] == RecipientKind.PROCESSOR]
    others = [k for k in facts["recipients"] if k not in processors]
    return {
        "subjects": _subject_tables(facts, labels),
        "purpose_rows": _purpose_rows(facts, labels),
        "short_rows": _purpose_rows(facts, labels, readable_only=True),
        "recipient_rows": _recipient_rows(others, facts, labels),
        "processor_rows": _recipient_rows(processors, facts, labels),
        "retention_rows": _retention_rows(facts, labels),
        "objectionable": _objectionable(facts),
        "security_measures": security_measures(facts, labels),
        "cookies": _cookies(),
        "field_tables": _field_tables(facts, labels),
        "autoriteit_persoonsgegevens_url": AUTORITEIT_PERSOONSGEGEVENS_URL,
    }


def render_content(
    facts: Facts, *, datamap: DataMap | None = None, register: Sequence[Recipient] | None = None
) -> dict[str, Any]:
    """The statement in the active language: its title, its HTML, and the labels diffs use."""
    datamap = datamap if datamap is not None else default_map()
    register = list(register) if register is not None else recipients()
    labels = Labels(facts, register, datamap)
    context = document_context(facts, labels)
    return {
        "title": _("Privacy statement"),
        "html": render_to_string(DOCUMENT_TEMPLATE, context),
        "labels": labels.as_dict(),
    }


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def build_snapshot(
    datamap: DataMap | None = None, register: Sequence[Recipient] | None = None
) -> dict[str, Any]:
    """Facts plus the content in every language, and the hashes that identify them."""
    datamap = datamap if datamap is not None else default_map()
    register = list(register) if register is not None else recipients()
    facts = collect_facts(datamap, register)
    content: dict[str, Any] = {}
    for code in languages():
        with translation.override(code):
            content[code] = render_content(facts, datamap=datamap, register=register)
    facts_hash = sha256(canonical_json(facts))
    content_hash = sha256(canonical_json(content))
    map_hash = datamap.map_hash()
    register_hash = recipients_hash(register)
    source_hash = sha256(canonical_json({
        "format": SNAPSHOT_FORMAT, "map": map_hash, "recipients": register_hash,
        "content": content_hash,
    }))  # fmt: skip
    return {
        "format": SNAPSHOT_FORMAT,
        "facts": facts,
        "content": content,
        "hashes": {
            "map": map_hash,
            "recipients": register_hash,
            "facts": facts_hash,
            "content": content_hash,
            "source": source_hash,
        },
    }


def content_for(snapshot: dict[str, Any], language: str | None) -> dict[str, Any]:
    """A snapshot's content in `language`, else the default language, else any."""
    content: dict[str, Any] = snapshot.get("content", {})
    for code in (language, settings.LANGUAGE_CODE, *content):
        if code and code in content:
            return dict(content[code])
    return {"title": "", "html": "", "labels": {}}
