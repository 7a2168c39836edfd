"""The record of processing activities (GDPR Art. 30), generated like the statement.

`controller_record()` builds an organisation's record as controller
(Art. 30(1)); `processor_record()` the platform's record as processor for
every controller organisation (Art. 30(2)). Both take the facts of
`generate.collect_facts()` and plain organisation data, and describe them in
the active language. `*_csv_rows()` flatten them for the CSV download.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from passend.privacy.datamap import Basis, DataMap, Purpose, Subject
from passend.privacy.recipients import Recipient, RecipientKind
from passend.privacy.statement.generate import (
    Facts,
    FieldFacts,
    Labels,
    is_transfer,
    retention_words,
    security_measures,
)

PROCESSOR_NAME = "Passend"


@dataclass(frozen=True)
class Contact:
    name: str
    function: str
    email: str
    phone: str

    def __str__(self) -> str:
        parts = [self.name]
        if self.function:
            parts.append(self.function)
        parts.append(self.email)
        if self.phone:
            parts.append(self.phone)
        return ", ".join(parts)


@dataclass(frozen=True)
class Party:
    name: str
    address: str = ""
    kvk_number: str = ""
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class Activity:
    """One processing activity of a controller: one purpose."""

    purpose: str
    bases: list[str]
    art9: list[str]
    subjects: list[str]
    categories: list[str]
    recipients: list[str]
    transfers: list[str]
    retention: list[str]


@dataclass(frozen=True)
class ControllerRecord:
    controller: Party
    processor: str
    activities: list[Activity]
    security: list[str]


@dataclass(frozen=True)
class ProcessorEntry:
    controller: Party
    processing: list[str]
    sub_processors: list[str]
    transfers: list[str]


@dataclass(frozen=True)
class ProcessorRecord:
    processor: str
    entries: list[ProcessorEntry]
    security: list[str]
    sub_processors: list[str] = field(default_factory=list)


def party_of(organisation: Any, contacts: Iterable[Any]) -> Party:
    place = f"{organisation.postcode} {organisation.city}".strip()
    address = ", ".join(part for part in (organisation.street, place) if part)
    return Party(
        name=organisation.name,
        address=address,
        kvk_number=organisation.kvk_number,
        contacts=tuple(
            Contact(name=c.name, function=c.function, email=c.email, phone=c.phone)
            for c in contacts
        ),
    )


def _ordered(enum: Any, values: Iterable[str]) -> list[str]:
    order = {member.value: i for i, member in enumerate(enum)}
    return sorted(set(values), key=lambda v: (order.get(v, len(order)), v))


def _transfers(keys: Iterable[str], facts: Facts, labels: Labels) -> list[str]:
    result = []
    for key in sorted(set(keys)):
        r = facts["recipients"].get(key)
        if r is not None and is_transfer(r["location"], r["safeguards"]):
            result.append(
                _("%(recipient)s (%(location)s, protected by %(safeguards)s)")
                % {
                    "recipient": labels.recipient(key),
                    "location": r["location"] or _("not stated"),
                    "safeguards": r["safeguards"] or _("no safeguards stated"),
                }
            )
    return result


def activities(facts: Facts, labels: Labels) -> list[Activity]:
    by_purpose: dict[str, list[FieldFacts]] = defaultdict(list)
    for f in facts["fields"].values():
        for p in f["purposes"]:
            by_purpose[p].append(f)
    result = []
    for purpose in _ordered(Purpose, by_purpose):
        group = by_purpose[purpose]
        categories = sorted(
            {
                labels.category(f["category"]) + (f" ({_('sensitive')})" if f["sensitive"] else "")
                for f in group
            },
            key=str.casefold,
        )
        recipient_keys = {r for f in group for r in f["recipients"]}
        retention = sorted(
            {f"{labels.category(f['category'])}: {retention_words(f['retention'])}" for f in group},
            key=str.casefold,
        )
        bases = _ordered(Basis, (f["basis"] for f in group if f["basis"]))
        subjects = _ordered(Subject, (f["subject"] for f in group))
        result.append(
            Activity(
                purpose=labels.purpose(purpose),
                bases=[labels.basis(b) for b in bases],
                art9=sorted({f["art9"] for f in group if f["art9"]}),
                subjects=[labels.subject(s) for s in subjects],
                categories=categories,
                recipients=sorted({labels.recipient(k) for k in recipient_keys}, key=str.casefold),
                transfers=_transfers(recipient_keys, facts, labels),
                retention=retention,
            )
        )  # fmt: skip
    return result


def controller_record(
    *, facts: Facts, controller: Party, register: Sequence[Recipient], datamap: DataMap
) -> ControllerRecord:
    labels = Labels(facts, register, datamap)
    return ControllerRecord(
        controller=controller,
        processor=PROCESSOR_NAME,
        activities=activities(facts, labels),
        security=security_measures(facts, labels),
    )


def _sub_processor_keys(facts: Facts) -> list[str]:
    return sorted(k for k, r in facts["recipients"].items() if r["kind"] == RecipientKind.PROCESSOR)


def processor_record(
    *,
    facts: Facts,
    controllers: Sequence[Party],
    register: Sequence[Recipient],
    datamap: DataMap,
) -> ProcessorRecord:
    labels = Labels(facts, register, datamap)
    purposes = _ordered(Purpose, (p for f in facts["fields"].values() for p in f["purposes"]))
    processing = [labels.purpose(p) for p in purposes]
    keys = _sub_processor_keys(facts)
    sub_processors = [
        f"{labels.recipient(k)} ({facts['recipients'][k]['location'] or _('not stated')})"
        for k in keys
    ]
    transfers = _transfers(facts["recipients"], facts, labels)
    entries = [
        ProcessorEntry(
            controller=party,
            processing=processing,
            sub_processors=sub_processors,
            transfers=transfers,
        )
        for party in controllers
    ]
    return ProcessorRecord(
        processor=PROCESSOR_NAME,
        entries=entries,
        security=security_measures(facts, labels),
        sub_processors=sub_processors,
    )


def _join(values: Iterable[str]) -> str:
    return "; ".join(values)


def controller_csv_rows(record: ControllerRecord) -> list[list[str]]:
    party = record.controller
    head = [
        _("Controller"), _("KvK number"), _("Address"), _("Contact persons"), _("Processor"),
        _("Purpose"), _("Legal basis"), _("Art. 9 condition"), _("Data subjects"),
        _("Categories of personal data"), _("Recipients"), _("Transfers outside the EU/EEA"),
        _("Retention"), _("Security measures"),
    ]  # fmt: skip
    rows = [head]
    for a in record.activities:
        rows.append([
            party.name, party.kvk_number, party.address, _join(str(c) for c in party.contacts),
            record.processor, a.purpose, _join(a.bases), _join(a.art9), _join(a.subjects),
            _join(a.categories), _join(a.recipients), _join(a.transfers) or _("None"),
            _join(a.retention), _join(record.security),
        ])  # fmt: skip
    return rows


def processor_csv_rows(record: ProcessorRecord) -> list[list[str]]:
    head = [
        _("Processor"), _("Controller"), _("KvK number"), _("Address"), _("Contact persons"),
        _("Categories of processing"), _("Sub-processors"), _("Transfers outside the EU/EEA"),
        _("Security measures"),
    ]  # fmt: skip
    rows = [head]
    for e in record.entries:
        party = e.controller
        rows.append([
            record.processor, party.name, party.kvk_number, party.address,
            _join(str(c) for c in party.contacts), _join(e.processing),
            _join(e.sub_processors), _join(e.transfers) or _("None"), _join(record.security),
        ])  # fmt: skip
    return rows
