"""The fixed words of the data map: subjects, purposes, legal bases, retention
triggers and actions, erasure, and data categories.

Labels are English msgids (gettext); the generated privacy statement shows
them in the reader's language. The map's JSON form stores the msgids, so its
hash does not depend on the active language.

Data categories: the `user.*` and `system.*` keys are those of fideslang's
default taxonomy (ethyca/fideslang 3.1.4, `fideslang/default_taxonomy/
data_categories.py`, Apache-2.0), copied as plain strings rather than
depending on the package (see docs/adr/0002-data-map.md). Keys starting with
`passend.` are ours, for what the Dutch mediation and flex-work context needs
and fideslang does not name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    """The kind of person a field is about."""

    CANDIDATE = "candidate", _("candidates (job seekers)")
    WORKER = "worker", _("flex workers")
    PROFESSIONAL = "professional", _("professionals (career advisors)")
    EMPLOYER_CONTACT = "employer_contact", _("contact persons of employers and clients")
    ORGANISATION_CONTACT = "organisation_contact", _("contact persons of customer organisations")
    USER = "user", _("everyone with an account")


class Purpose(models.TextChoices):
    """Why a field is processed. PURPOSE_PROMISES ties each to the promises."""

    ACCOUNT = "account", _("providing your account and letting you sign in")
    MEDIATION = (
        "mediation",
        _("mediating between candidates or flex workers and employers or clients"),
    )
    SUPPORT = "support", _("helping you when you need it, such as resetting a forgotten password")
    TIMESHEETS = "timesheets", _("registering hours worked")
    NEWSLETTER = "newsletter", _("sending the newsletter")
    OFFERS = "offers", _("informing you of offers that may interest you")
    PAYMENTS = "payments", _("processing payments")
    STATISTICS = "statistics", _("anonymised statistics")
    SCREENING = "screening", _("pre-employment screening on behalf of clients")
    COACHING = "coaching", _("coaching you towards suitable work")
    ANALYTICS = "analytics", _("analysing use to improve the service and find errors")
    SECURITY = "security", _("keeping the platform and your data secure, and accountability")
    LEGAL_OBLIGATION = "legal_obligation", _("complying with legal obligations")
    ORGANISATION_ADMIN = (
        "organisation_admin",
        _("administering customer organisations and their contact persons"),
    )


PURPOSE_PROMISES: dict[Purpose, tuple[str, ...]] = {
    Purpose.ACCOUNT: ("P1",),
    Purpose.MEDIATION: ("J3a", "P1"),
    Purpose.SUPPORT: ("J3b",),
    Purpose.TIMESHEETS: ("J3c",),
    Purpose.NEWSLETTER: ("J3d",),
    Purpose.OFFERS: ("J3e",),
    Purpose.PAYMENTS: ("J3f",),
    Purpose.STATISTICS: ("J3g", "P6"),
    Purpose.SCREENING: ("J3h",),
    Purpose.COACHING: ("P1",),
    Purpose.ANALYTICS: ("J6", "P6"),
    Purpose.SECURITY: ("J6", "P7"),
    Purpose.LEGAL_OBLIGATION: ("J10", "P8"),
    Purpose.ORGANISATION_ADMIN: ("P3",),
}


class Basis(models.TextChoices):
    """The lawful basis of GDPR Art. 6(1)."""

    CONSENT = "consent", _("your consent (GDPR Art. 6(1)(a))")
    CONTRACT = "contract", _("performing a contract with you (GDPR Art. 6(1)(b))")
    LEGAL_OBLIGATION = "legal_obligation", _("a legal obligation (GDPR Art. 6(1)(c))")
    VITAL_INTERESTS = "vital_interests", _("protecting vital interests (GDPR Art. 6(1)(d))")
    PUBLIC_TASK = "public_task", _("a task in the public interest (GDPR Art. 6(1)(e))")
    LEGITIMATE_INTERESTS = "legitimate_interests", _("legitimate interests (GDPR Art. 6(1)(f))")


BASIS_ARTICLE: dict[Basis, str] = {
    Basis.CONSENT: "6(1)(a)",
    Basis.CONTRACT: "6(1)(b)",
    Basis.LEGAL_OBLIGATION: "6(1)(c)",
    Basis.VITAL_INTERESTS: "6(1)(d)",
    Basis.PUBLIC_TASK: "6(1)(e)",
    Basis.LEGITIMATE_INTERESTS: "6(1)(f)",
}


class Trigger(models.TextChoices):
    """The event that starts a retention period."""

    ACCOUNT_CLOSED = "account_closed", _("the account is closed")
    MEMBERSHIP_ENDED = "membership_ended", _("the membership of the organisation ends")
    CREATED = "created", _("the record is created")
    RECORD_DELETED = "record_deleted", _("the record is deleted")
    EMPLOYMENT_ENDED = "employment_ended", _("the employment ends")
    REGISTRATION = "registration", _("registration")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("consent is withdrawn")
    END_OF_FISCAL_YEAR = "end_of_fiscal_year", _("the end of the fiscal year")
    CONTRACT_ENDED = "contract_ended", _("the contract or business relationship ends")
    EXPIRED = "expired", _("the record expires or is revoked")
    APPLICATION_CLOSED = "application_closed", _("the application is closed")
    TRAJECTORY_ENDED = "trajectory_ended", _("the coaching trajectory ends")


class RetentionAction(models.TextChoices):
    """What happens when a retention period has passed."""

    DELETE = "delete", _("deleted")
    ANONYMISE = "anonymise", _("anonymised")
    KEEP = "keep", _("kept under a legal obligation")


class Erasure(models.TextChoices):
    """What an erasure request (GDPR Art. 17) does to a field."""

    DELETE = "delete", _("deleted")
    ANONYMISE = "anonymise", _("anonymised")
    KEEP = "keep", _("kept, because the law requires it")


class Protection(models.TextChoices):
    """How a sensitive field is protected at rest (system check privacy.E021).

    A sensitive field must be an encrypted field (EncryptedCharField,
    EncryptedTextField, EncryptedFileField); the check infers ENCRYPTED from
    the field's class. The other members name the few protections that are
    not encryption by design, and must be declared with `protection=`.
    """

    ENCRYPTED = "encrypted", _("encrypted with the organisation's or the platform's key")
    HASHED = "hashed", _("stored only as a one-way hash")
    KEYED_INDEX = "keyed_index", _("stored only as a keyed one-way index")
    RANDOM_SECRET = (
        "random_secret",
        _("a random, expiring key that says nothing about the person"),
    )
    ENCRYPTED_BY_LIBRARY = (
        "encrypted_by_library",
        _("the secrets inside are encrypted by the library's own encryption hook"),
    )
    UNENCRYPTED_REFERENCE = (
        "unencrypted_reference",
        _("a reference to an entry of the organisation's list, not encrypted (a known gap)"),
    )


# What a declaration may name instead of an encrypted field.
NOT_ENCRYPTION = frozenset(p for p in Protection if p != Protection.ENCRYPTED)


@dataclass(frozen=True)
class Category:
    """A data category. `special` marks the special categories of GDPR Art. 9
    (they need an Art. 9(2) condition); `sensitive` marks categories whose
    fields must be declared sensitive (encrypted, audited on read, masked)."""

    key: str
    label: Promise | str
    special: bool = False
    sensitive: bool = False

    @property
    def source(self) -> str:
        return "passend" if self.key.startswith("passend.") else "fideslang"


def _c(key: str, label: Promise, *, special: bool = False, sensitive: bool = False) -> Category:
    return Category(key=key, label=label, special=special, sensitive=sensitive)


_FIDESLANG = [
    _c("user", _("personal data")),
    _c("user.account", _("account information")),
    _c("user.account.settings", _("account settings and preferences")),
    _c("user.account.username", _("user name")),
    _c("user.authorization", _("roles and access rights")),
    _c("user.authorization.credentials", _("sign-in credentials"), sensitive=True),
    _c(
        "user.authorization.biometric",
        _("biometric sign-in credentials"),
        special=True,
        sensitive=True,
    ),
    _c("user.authorization.password", _("password"), sensitive=True),
    _c("user.behavior", _("usage data")),
    _c("user.behavior.browsing_history", _("pages visited")),
    _c("user.behavior.media_consumption", _("media viewed")),
    _c("user.behavior.purchase_history", _("purchase history")),
    _c("user.behavior.search_history", _("search history")),
    _c("user.biometric", _("biometric data"), special=True, sensitive=True),
    _c("user.biometric.fingerprint", _("fingerprint"), special=True, sensitive=True),
    _c("user.biometric.retinal", _("retina scan"), special=True, sensitive=True),
    _c("user.biometric.voice", _("voice recording"), special=True, sensitive=True),
    _c("user.biometric.health", _("biometric health data"), special=True, sensitive=True),
    _c("user.childrens", _("data about children")),
    _c("user.contact", _("contact details")),
    _c("user.contact.address", _("address")),
    _c("user.contact.address.city", _("place of residence")),
    _c("user.contact.address.country", _("country")),
    _c("user.contact.address.postal_code", _("postcode")),
    _c("user.contact.address.state", _("province or state")),
    _c("user.contact.address.street", _("street and house number")),
    _c("user.contact.email", _("e-mail address")),
    _c("user.contact.phone_number", _("phone number")),
    _c("user.contact.url", _("web links")),
    _c("user.contact.fax_number", _("fax number")),
    _c("user.contact.organization", _("organisation you work for")),
    _c("user.content", _("content you provide")),
    _c("user.content.private", _("private content you provide")),
    _c("user.content.public", _("content you publish")),
    _c("user.content.self_image", _("photo of yourself")),
    _c("user.demographic", _("demographic data")),
    _c("user.demographic.age_range", _("age range")),
    _c("user.demographic.date_of_birth", _("date of birth")),
    _c("user.demographic.gender", _("gender")),
    _c("user.demographic.language", _("language")),
    _c("user.demographic.marital_status", _("marital status")),
    _c("user.demographic.political_opinion", _("political opinion"), special=True, sensitive=True),
    _c("user.demographic.profile", _("profile data")),
    _c(
        "user.demographic.race_ethnicity",
        _("racial or ethnic origin"),
        special=True,
        sensitive=True,
    ),
    _c("user.demographic.religious_belief", _("religion or belief"), special=True, sensitive=True),
    _c(
        "user.demographic.sexual_orientation", _("sexual orientation"), special=True, sensitive=True
    ),
    _c("user.location", _("location")),
    _c("user.location.imprecise", _("approximate location")),
    _c("user.location.precise", _("precise location")),
    _c("user.device", _("device data")),
    _c("user.device.cookie", _("cookies")),
    _c("user.device.cookie_id", _("cookie identifier")),
    _c("user.device.device_id", _("device identifier")),
    _c("user.device.ip_address", _("IP address")),
    _c("user.payment", _("payment data")),
    _c("user.social", _("social media you use")),
    _c("user.unique_id", _("account reference")),
    _c("user.unique_id.pseudonymous", _("pseudonymous reference")),
    _c("user.telemetry", _("technical usage data")),
    _c("user.user_sensor", _("sensor data from your device")),
    _c("user.workplace", _("workplace")),
    _c("user.sensor", _("sensor data")),
    _c("user.financial", _("financial data")),
    _c("user.financial.bank_account", _("bank account number (IBAN)"), sensitive=True),
    _c("user.financial.credit_card", _("credit card number"), sensitive=True),
    _c("user.government_id", _("government identifier"), sensitive=True),
    _c("user.government_id.birth_certificate", _("birth certificate"), sensitive=True),
    _c("user.government_id.drivers_license_number", _("driving licence number"), sensitive=True),
    _c(
        "user.government_id.immigration",
        _("residence permit or immigration number"),
        sensitive=True,
    ),
    _c(
        "user.government_id.national_identification_number",
        _("citizen service number (BSN)"),
        sensitive=True,
    ),
    _c("user.government_id.passport_number", _("passport or identity card number"), sensitive=True),
    _c("user.government_id.vehicle_registration", _("vehicle registration")),
    _c("user.health_and_medical", _("health data"), special=True, sensitive=True),
    _c("user.health_and_medical.genetic", _("genetic data"), special=True, sensitive=True),
    _c(
        "user.health_and_medical.insurance_beneficiary_id",
        _("health insurance number"),
        special=True,
        sensitive=True,
    ),
    _c(
        "user.health_and_medical.record_id",
        _("medical record number"),
        special=True,
        sensitive=True,
    ),
    _c("user.name", _("name")),
    _c("user.name.first", _("first name")),
    _c("user.name.last", _("surname")),
    # Criminal records fall under Art. 10, not Art. 9: sensitive, no 9(2) condition.
    _c("user.criminal_history", _("criminal records"), sensitive=True),
    _c("user.privacy_preferences", _("privacy choices and consents")),
    _c("user.job_title", _("job title or function")),
    _c("system", _("system data")),
    _c("system.authentication", _("sign-in session data")),
    _c("system.operations", _("records of actions in the system")),
]

_PASSEND = [
    _c("passend.record_metadata", _("dates and status of your records")),
    _c("passend.nationality", _("nationality")),
    _c("passend.cv", _("CV")),
    _c("passend.work_history", _("work history")),
    _c("passend.education", _("education and diplomas")),
    _c("passend.skills", _("skills and interests")),
    _c("passend.courses_and_tests", _("courses followed and test results")),
    _c("passend.availability", _("availability")),
    _c("passend.application", _("application data")),
    _c("passend.documents", _("documents you upload (photos, videos and more)")),
    _c("passend.personnel_documents", _("personnel documents")),
    _c("passend.id_document", _("copy of an identity document"), sensitive=True),
    _c(
        "passend.self_employment_declaration",
        _("self-employment declaration (DBA model agreement)"),
    ),
    _c(
        "passend.schemes",
        _("applicable schemes (benefits, subsidies, target-group register)"),
        sensitive=True,
    ),
    _c("passend.coaching", _("coaching trajectory, goals and notes")),
    _c(
        "passend.coaching_notes",
        _("notes, plans and appointment notes of your coaching, which may tell of your health"),
        sensitive=True,
    ),
    _c("passend.timesheet", _("hours worked")),
    _c("passend.leave", _("leave")),
    _c("passend.payout", _("payouts")),
    _c("passend.screening_result", _("pre-employment screening results"), sensitive=True),
    _c("passend.blind_index", _("keyed search index of an identifier"), sensitive=True),
    _c("passend.audit_trail", _("audit trail of who did what with personal data")),
    _c(
        "passend.request_text",
        _("what you write in a privacy request or dispute, and the answers to it"),
        sensitive=True,
    ),
]

CATEGORIES: dict[str, Category] = {c.key: c for c in [*_FIDESLANG, *_PASSEND]}

# Platform-internal categories: references that link records to each other,
# the dates and statuses of records, sign-in secrets and search keys. Summaries
# written for people (the "my data" page, the statement's "In short") leave them
# to the complete tables and the export, which list them in full.
TECHNICAL_CATEGORIES: frozenset[str] = frozenset(
    {
        "user.unique_id",
        "user.unique_id.pseudonymous",
        "passend.record_metadata",
        "user.authorization.credentials",
        "user.authorization.password",
        "passend.blind_index",
    }
)


def category(key: str) -> Category | None:
    return CATEGORIES.get(key)


def register_category(
    key: str, label: Promise | str, *, special: bool = False, sensitive: bool = False
) -> Category:
    """Add one of our own categories from an app's privacy.py.

    Only `passend.*` keys can be added; registering the same key twice with
    the same meaning is harmless, with a different meaning an error.
    """
    if not key.startswith("passend.") or key == "passend.":
        raise ImproperlyConfigured(f"Own data categories start with 'passend.'; {key!r} does not.")
    new = Category(key=key, label=label, special=special, sensitive=sensitive)
    existing = CATEGORIES.get(key)
    if existing is not None:
        if existing != new:
            raise ImproperlyConfigured(f"Data category {key!r} is already registered differently.")
        return existing
    CATEGORIES[key] = new
    return new
