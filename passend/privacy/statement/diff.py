"""What changed between two statement snapshots: a structured diff of their facts.

Pure: takes two snapshots (as stored on StatementVersion) and returns entries
described in the active language, with the labels each snapshot stored, so a
diff stays readable even when the vocabulary has moved on since.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from passend.privacy.recipients import RecipientKind
from passend.privacy.statement.generate import content_for

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"


@dataclass(frozen=True)
class Detail:
    attribute: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    change: str  # ADDED, REMOVED or CHANGED
    key: str
    label: str
    details: tuple[Detail, ...] = ()


@dataclass(frozen=True)
class Group:
    key: str  # "purposes", "categories", "recipients", "fields"
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class StatementDiff:
    groups: tuple[Group, ...] = ()
    wording_changed: bool = False
    facts_changed: bool = False
    keys_added: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.facts_changed and not self.wording_changed

    def added(self, group: str) -> frozenset[str]:
        return self.keys_added.get(group, frozenset())


class _Side:
    """One snapshot's facts and its labels in the active language."""

    def __init__(self, snapshot: dict[str, Any], language: str | None) -> None:
        facts = snapshot.get("facts", {})
        self.fields: dict[str, dict[str, Any]] = facts.get("fields", {})
        self.recipients: dict[str, dict[str, Any]] = facts.get("recipients", {})
        self.labels: dict[str, dict[str, str]] = content_for(snapshot, language).get("labels", {})
        self.hashes: dict[str, str] = snapshot.get("hashes", {})

    def label(self, kind: str, key: str) -> str:
        return self.labels.get(kind, {}).get(key, key)

    def labels_of(self, kind: str, keys: list[str]) -> str:
        return ", ".join(self.label(kind, k) for k in keys) or "—"

    def purposes(self) -> set[str]:
        return {p for f in self.fields.values() for p in f.get("purposes", [])}

    def categories(self) -> set[str]:
        return {f["category"] for f in self.fields.values()}


def _kind(value: str) -> str:
    try:
        return str(RecipientKind(value).label)
    except ValueError:
        return value or "—"


def _yes_no(value: Any) -> str:
    return _("yes") if value else _("no")


def _field_details(key: str, old: _Side, new: _Side) -> tuple[Detail, ...]:
    a, b = old.fields[key], new.fields[key]
    details: list[Detail] = []

    def add(attribute: str, before: str, after: str) -> None:
        if before != after:
            details.append(Detail(attribute, before, after))

    add(_("Data subjects"), old.label("subjects", a["subject"]),
        new.label("subjects", b["subject"]))  # fmt: skip
    add(_("Data"), old.label("categories", a["category"]), new.label("categories", b["category"]))
    if a["purposes"] != b["purposes"]:
        add(_("Purposes"), old.labels_of("purposes", a["purposes"]),
            new.labels_of("purposes", b["purposes"]))  # fmt: skip
    if a["basis"] != b["basis"]:
        add(_("Legal basis"), old.label("bases", a["basis"] or ""),
            new.label("bases", b["basis"] or ""))  # fmt: skip
    add(_("Art. 9 condition"), a["art9"] or "—", b["art9"] or "—")
    add(_("Sensitive"), _yes_no(a["sensitive"]), _yes_no(b["sensitive"]))
    if a["retention"] != b["retention"]:
        add(_("Retention"), old.label("retention", key), new.label("retention", key))
    if a["recipients"] != b["recipients"]:
        add(_("Recipients"), old.labels_of("recipients", a["recipients"]),
            new.labels_of("recipients", b["recipients"]))  # fmt: skip
    if a["erasure"] != b["erasure"]:
        add(_("When you ask for erasure"), old.label("erasure", key), new.label("erasure", key))
    return tuple(details)


def _recipient_details(key: str, old: _Side, new: _Side) -> tuple[Detail, ...]:
    a, b = old.recipients[key], new.recipients[key]
    details: list[Detail] = []
    if old.label("recipients", key) != new.label("recipients", key):
        details.append(
            Detail(_("Name"), old.label("recipients", key), new.label("recipients", key))
        )
    if a["kind"] != b["kind"]:
        details.append(Detail(_("Kind"), _kind(a["kind"]), _kind(b["kind"])))
    if a.get("purposes") != b.get("purposes"):
        details.append(Detail(_("Purposes"), old.labels_of("purposes", a.get("purposes", [])),
                              new.labels_of("purposes", b.get("purposes", []))))  # fmt: skip
    if a["basis"] != b["basis"]:
        details.append(Detail(_("Legal basis"), old.label("bases", a["basis"]),
                              new.label("bases", b["basis"])))  # fmt: skip
    if a["location"] != b["location"]:
        details.append(Detail(_("Location"), a["location"] or "—", b["location"] or "—"))
    if a["safeguards"] != b["safeguards"]:
        details.append(Detail(_("Safeguards"), a["safeguards"] or "—", b["safeguards"] or "—"))
    if a["categories"] != b["categories"]:
        details.append(Detail(_("Data"), old.labels_of("categories", a["categories"]),
                              new.labels_of("categories", b["categories"])))  # fmt: skip
    return tuple(details)


_ORDER = {ADDED: 0, REMOVED: 1, CHANGED: 2}


def _by_label(entries: list[Entry]) -> list[Entry]:
    """Added, then removed, then changed; each alphabetically, as a reader scans them."""
    return sorted(entries, key=lambda e: (_ORDER[e.change], e.label.casefold(), e.key))


def _set_entries(kind: str, old: _Side, new: _Side, before: set[str], after: set[str]
                 ) -> list[Entry]:  # fmt: skip
    entries = [Entry(ADDED, k, new.label(kind, k)) for k in after - before]
    entries += [Entry(REMOVED, k, old.label(kind, k)) for k in before - after]
    return _by_label(entries)


def _keyed_entries(kind: str, old_items: dict[str, Any], new_items: dict[str, Any],
                   old: _Side, new: _Side, details: Any) -> list[Entry]:  # fmt: skip
    entries = [Entry(ADDED, k, new.label(kind, k)) for k in set(new_items) - set(old_items)]
    entries += [Entry(REMOVED, k, old.label(kind, k)) for k in set(old_items) - set(new_items)]
    for k in set(old_items) & set(new_items):
        if old_items[k] != new_items[k]:
            found = details(k, old, new)
            if found:
                entries.append(Entry(CHANGED, k, new.label(kind, k), found))
    return _by_label(entries)


def diff_snapshots(
    old_snapshot: dict[str, Any], new_snapshot: dict[str, Any], *, language: str | None = None
) -> StatementDiff:
    """What changed from `old_snapshot` to `new_snapshot`, described in `language`."""
    old, new = _Side(old_snapshot, language), _Side(new_snapshot, language)
    purposes = _set_entries("purposes", old, new, old.purposes(), new.purposes())
    categories = _set_entries("categories", old, new, old.categories(), new.categories())
    recipients = _keyed_entries(
        "recipients", old.recipients, new.recipients, old, new, _recipient_details
    )
    fields = _keyed_entries("fields", old.fields, new.fields, old, new, _field_details)
    groups = tuple(
        Group(key, title, tuple(entries))
        for key, title, entries in (
            ("purposes", _("Purposes"), purposes),
            ("categories", _("Categories of data"), categories),
            ("recipients", _("Recipients and sub-processors"), recipients),
            ("fields", _("Fields"), fields),
        )
        if entries
    )
    keys_added = {
        group.key: frozenset(e.key for e in group.entries if e.change == ADDED) for group in groups
    }
    facts_changed = old_snapshot.get("facts") != new_snapshot.get("facts")
    wording_changed = old.hashes.get("content") != new.hashes.get("content")
    return StatementDiff(
        groups=groups,
        wording_changed=wording_changed,
        facts_changed=facts_changed,
        keys_added=keys_added,
    )


def is_major(diff: StatementDiff) -> bool:
    """A new purpose or a new recipient is a material change: the major number goes up."""
    return bool(diff.added("purposes") or diff.added("recipients"))
