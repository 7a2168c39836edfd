"""Candidate and worker profiles (J1, P5), contact profiles (P4), and shares with employers.

A person registered with two organisations has two profiles, each controlled
by its organisation. The BSN is only recorded for flex workers (payroll is
the legal basis); it is encrypted, and its blind index keeps it unique per
organisation without ever being a search key.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from passend.candidates.validators import validate_phone
from passend.common.inputs import BIRTH_DATE, CAREER_DATE, PLANNING_DATE, DateBounds
from passend.common.managers import ScopedManager, ScopedQuerySet
from passend.common.sorting import SORT_KEY_LENGTH
from passend.common.validators import validate_iban, validate_postcode
from passend.privacy.crypto.blind_index import BlindIndexField
from passend.privacy.crypto.fields import EncryptedCharField
from passend.tenancy.models import Employer, Membership, OrganisationOwned

ALREADY_THERE = _("This entry is already on the profile.")
OCCUPATION = "taxonomy.Occupation"
SKILL = "taxonomy.Skill"


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNSAID = "unsaid", _("I would rather not say")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    PARTNERSHIP = "partnership", _("Registered partnership")
    COHABITING = "cohabiting", _("Living together")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class SelfEmploymentType(models.TextChoices):
    DBA_MODEL = "dba_model", _("DBA model agreement")
    KVK = "kvk", _("Registered business (KvK)")
    OTHER = "other", _("Other declaration")


class CandidateProfileQuerySet(ScopedQuerySet):
    def processable_for(self, purpose: Any) -> CandidateProfileQuerySet:
        """Without the profiles of people who restricted processing or object to `purpose`
        (passend.privacy.restriction.gate); in the same query."""
        from passend.privacy.restriction.gate import exclude_blocked

        return exclude_blocked(self, purpose, membership_path="membership")


# Still the scoped manager: the queryset only adds the gate.
CandidateProfileManager = ScopedManager.from_queryset(CandidateProfileQuerySet)


class CandidateProfile(OrganisationOwned):
    objects: ClassVar[Any] = CandidateProfileManager()
    input_date_bounds: ClassVar[dict[str, DateBounds]] = {
        "date_of_birth": BIRTH_DATE,
        "self_employment_valid_from": CAREER_DATE,
        "self_employment_valid_until": CAREER_DATE,
    }

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="candidate_profile"
    )
    is_worker = models.BooleanField(
        _("flex worker"), default=False, help_text=_("Also takes flex shifts (payroll).")
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    city = models.CharField(_("place of residence"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=12, choices=MaritalStatus.choices, blank=True
    )
    nationality = models.CharField(_("nationality"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(
        _("phone number"), max_length=20, blank=True, validators=[validate_phone]
    )
    bsn = EncryptedCharField(
        _("BSN (citizen service number)"),
        max_length=9,
        blank=True,
        help_text=_("Only for flex workers: the payroll needs it by law."),
    )
    bsn_index = BlindIndexField(source="bsn", purpose="bsn")
    iban = EncryptedCharField(
        _("bank account (IBAN)"), max_length=34, blank=True, validators=[validate_iban]
    )
    self_employment_type = models.CharField(
        _("self-employment declaration"),
        max_length=12,
        choices=SelfEmploymentType.choices,
        blank=True,
    )
    self_employment_number = models.CharField(_("declaration number"), max_length=40, blank=True)
    self_employment_valid_from = models.DateField(_("valid from"), null=True, blank=True)
    self_employment_valid_until = models.DateField(_("valid until"), null=True, blank=True)
    interests = models.TextField(_("interests"), blank=True, max_length=2000)
    # The membership's sort key (the account's name, folded), copied so that
    # the caseload and the API list sort in this table's index. Set on save;
    # kept true on a rename through tenancy's `memberships_renamed`.
    sort_name = models.CharField(
        _("name to sort by"), max_length=SORT_KEY_LENGTH, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("candidate profile")
        verbose_name_plural = _("candidate profiles")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "bsn_index"],
                condition=models.Q(bsn_index__isnull=False),
                name="candidate_one_profile_per_bsn",
            ),
        ]
        indexes = [
            # The caseload and the API list: an organisation's profiles by name,
            # read in order; with the membership, so that counting the
            # caseload (joined to the memberships) reads indexes only.
            models.Index(
                fields=["organisation", "sort_name", "id", "membership"],
                name="candidate_list_by_name",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        loaded = self._state.adding or CandidateProfile.membership.is_cached(self)
        if kwargs.get("update_fields") is None and loaded:
            self.sort_name = self.membership.sort_name
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.membership.user.name or str(_("(no name yet)"))


class ContactProfile(OrganisationOwned):
    """What a career advisor or an employer contact shows about themselves (P4)."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="contact_profile"
    )
    name = models.CharField(_("name"), max_length=200)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(
        _("phone number"), max_length=20, blank=True, validators=[validate_phone]
    )
    profile_text = models.TextField(_("about me"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("contact profile")
        verbose_name_plural = _("contact profiles")

    def __str__(self) -> str:
        return self.name


class Section(OrganisationOwned):
    """An entry in a section of a candidate's profile (P5)."""

    input_date_bounds: ClassVar[dict[str, DateBounds]] = {
        **dict.fromkeys(
            ("starts_on", "ends_on", "started_on", "ended_on", "completed_on"), CAREER_DATE
        ),
        "date": PLANNING_DATE,
    }

    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("profile")
    )

    class Meta:
        abstract = True


class LeavePeriod(Section):
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    # Encrypted: people write why they are on leave, often their health.
    description = EncryptedCharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("leave")
        verbose_name_plural = _("leave")


class SocialMediaAccount(Section):
    platform = models.CharField(_("platform"), max_length=60)
    handle = models.CharField(_("account name or address"), max_length=200)

    class Meta:
        ordering = ["platform"]
        verbose_name = _("social media account")
        verbose_name_plural = _("social media")


class WorkExperience(Section):
    employer_name = models.CharField(_("employer"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    occupation = models.ForeignKey(
        OCCUPATION,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("occupation (ESCO)"),
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("work experience")
        verbose_name_plural = _("work history")


class Education(Section):
    institution = models.CharField(_("school or institution"), max_length=200)
    programme = models.CharField(_("programme"), max_length=200)
    level = models.CharField(_("level"), max_length=60, blank=True)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    completed = models.BooleanField(_("diploma obtained"), default=False)

    class Meta:
        ordering = ["-ended_on"]
        verbose_name = _("education")
        verbose_name_plural = _("education history")


class SkillLevel(models.TextChoices):
    BASIC = "basic", _("Basic")
    GOOD = "good", _("Good")
    EXPERT = "expert", _("Expert")


class CandidateSkill(Section):
    skill = models.ForeignKey(
        SKILL, on_delete=models.CASCADE, related_name="+", verbose_name=_("skill")
    )
    level = models.CharField(_("level"), max_length=10, choices=SkillLevel.choices)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "skill"],
                name="candidate_skill_once",
                violation_error_message=ALREADY_THERE,
            )
        ]


class Course(Section):
    name = models.CharField(_("course or test"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    completed_on = models.DateField(_("date"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=200, blank=True)

    class Meta:
        ordering = ["-completed_on"]
        verbose_name = _("course or test result")
        verbose_name_plural = _("courses and test results")


class WebLink(Section):
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500)

    class Meta:
        ordering = ["title"]
        verbose_name = _("web link")
        verbose_name_plural = _("web links")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class AvailabilitySlot(Section):
    """One time range in the weekly pattern."""

    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "starts_at"]
        verbose_name = _("availability")
        verbose_name_plural = _("weekly availability")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="availability_slot_ends_after_start",
            )
        ]


class AvailabilityException(Section):
    """A date on which the weekly pattern does not hold."""

    date = models.DateField(_("date"))
    available = models.BooleanField(_("available that day"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("availability exception")
        verbose_name_plural = _("availability exceptions")


class Scheme(OrganisationOwned):
    """A scheme ("regeling") the organisation works with, maintained by its admins."""

    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="scheme_unique_name",
                violation_error_message=_("A scheme with this name exists already."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProfileScheme(Section):
    """A scheme that applies to the candidate."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="+", verbose_name=_("scheme")
    )
    # Encrypted: the details of a scheme tell of benefits and work disability.
    note = EncryptedCharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("applicable scheme")
        verbose_name_plural = _("applicable schemes")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "scheme"],
                name="profile_scheme_once",
                violation_error_message=ALREADY_THERE,
            )
        ]


class ProfileShare(OrganisationOwned):
    """A profile shared with one employer: needs the candidate's consent and an advisor's action.

    Either side may revoke it; a revoked share is kept as a record and a new
    share is made to share again.
    """

    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("profile")
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="+", verbose_name=_("employer")
    )
    shared_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared by"),
    )
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    candidate_consented_at = models.DateTimeField(_("candidate agreed at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Whether the employer also sees the CV, diplomas and photos (never the ID
    # copy or other documents: documents.models.EMPLOYER_VISIBLE_KINDS). Set
    # by whoever starts the share; the other side agrees to the share as it
    # stands. To change it, stop the share and share again.
    includes_documents = models.BooleanField(
        _("includes the CV, diplomas and photos"), default=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("profile share")
        verbose_name_plural = _("profile shares")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "employer"],
                condition=models.Q(revoked_at__isnull=True),
                name="profile_share_one_open_per_employer",
            )
        ]

    @property
    def is_active(self) -> bool:
        return (
            self.revoked_at is None
            and self.shared_at is not None
            and self.candidate_consented_at is not None
        )

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.is_active:
            return "active"
        if self.candidate_consented_at is None:
            return "awaiting_candidate"
        return "awaiting_professional"
