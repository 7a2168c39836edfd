"""ESCO occupations and skills (reference data, not personal data).

Concepts are keyed by their ESCO concept URI, which is stable across ESCO
releases, so a re-import updates rows in place and foreign keys from other
apps ("taxonomy.Occupation", "taxonomy.Skill") keep pointing at the same
concept. Every preferred, alternative and hidden label is also stored as a
row of OccupationLabel/SkillLabel with a normalised, indexed form for search,
and each distinct word of a concept's labels as a row of OccupationWord/SkillWord
(the vocabulary of the typo-tolerant search).
ISCO-08 groups and ESCO skill groups give the two hierarchies above them;
EscoImport records which release was loaded, and from where.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LABEL_SEPARATOR = "|"
# Longer "words" (a URL, a chemical name) are not typed with a typo worth forgiving.
WORD_MIN_LENGTH = 3
WORD_MAX_LENGTH = 64


class Language(models.TextChoices):
    EN = "en", _("English")
    NL = "nl", _("Dutch")


class LabelKind(models.TextChoices):
    PREFERRED = "pref", _("Preferred label")
    ALTERNATIVE = "alt", _("Alternative label")
    HIDDEN = "hidden", _("Hidden label")


class Relation(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    OPTIONAL = "optional", _("Optional")


class Concept(models.Model):
    """Fields shared by ESCO occupations and skills."""

    uri = models.CharField(_("ESCO URI"), max_length=255, unique=True)
    pref_en = models.CharField(_("preferred label (English)"), max_length=255, blank=True)
    pref_nl = models.CharField(_("preferred label (Dutch)"), max_length=255, blank=True)
    alt_en = models.TextField(_("alternative labels (English)"), blank=True)
    alt_nl = models.TextField(_("alternative labels (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        # In the reader's language: a Dutch page says "bakker", not "baker".
        return self.label(get_language()) or self.uri

    def label(self, language: str | None = None) -> str:
        """The preferred label in `language` ("nl"/"en"), falling back to the other."""
        if language and language.lower().startswith("nl"):
            return self.pref_nl or self.pref_en
        return self.pref_en or self.pref_nl

    def alternative_labels(self, language: str) -> list[str]:
        raw = self.alt_nl if language.lower().startswith("nl") else self.alt_en
        return [label for label in raw.split(LABEL_SEPARATOR) if label]

    @property
    def alternative_labels_en(self) -> list[str]:
        return self.alternative_labels("en")

    @property
    def alternative_labels_nl(self) -> list[str]:
        return self.alternative_labels("nl")


class IscoGroup(models.Model):
    """An ISCO-08 group (major, sub-major, minor or unit group), as ESCO publishes it."""

    uri = models.CharField(_("ESCO URI"), max_length=255, unique=True)
    code = models.CharField(_("ISCO-08 code"), max_length=8, unique=True)
    pref_en = models.CharField(_("preferred label (English)"), max_length=255, blank=True)
    pref_nl = models.CharField(_("preferred label (Dutch)"), max_length=255, blank=True)
    broader = models.ForeignKey(
        "self",
        verbose_name=_("broader ISCO-08 group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="narrower",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("ISCO-08 group")
        verbose_name_plural = _("ISCO-08 groups")

    def __str__(self) -> str:
        return f"{self.code} {self.label(get_language())}".strip()

    def label(self, language: str | None = None) -> str:
        if language and language.lower().startswith("nl"):
            return self.pref_nl or self.pref_en
        return self.pref_en or self.pref_nl


class SkillGroup(Concept):
    """A group of the ESCO skills pillar (e.g. S1.1, or an ISCED-F field for knowledge)."""

    code = models.CharField(_("ESCO code"), max_length=32, blank=True)
    broader = models.ForeignKey(
        "self",
        verbose_name=_("broader skill group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="narrower",
    )

    class Meta:
        ordering = ["code", "pref_en"]
        verbose_name = _("skill group")
        verbose_name_plural = _("skill groups")


class Occupation(Concept):
    code = models.CharField(_("ESCO code"), max_length=32, blank=True)
    isco_group = models.CharField(_("ISCO-08 unit group"), max_length=8, blank=True)
    isco = models.ForeignKey(
        IscoGroup,
        verbose_name=_("ISCO-08 unit group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occupations",
    )
    hidden_en = models.TextField(_("hidden labels (English)"), blank=True)
    hidden_nl = models.TextField(_("hidden labels (Dutch)"), blank=True)
    broader = models.ForeignKey(
        "self",
        verbose_name=_("broader occupation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="narrower",
    )
    skills: models.ManyToManyField[Skill, OccupationSkill] = models.ManyToManyField(
        "Skill", through="OccupationSkill", related_name="occupations", blank=True
    )

    class Meta:
        ordering = ["pref_en"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")


class SkillType(models.TextChoices):
    SKILL = "skill/competence", _("Skill or competence")
    KNOWLEDGE = "knowledge", _("Knowledge")


class Skill(Concept):
    skill_type = models.CharField(
        _("skill type"), max_length=32, choices=SkillType.choices, blank=True
    )
    reuse_level = models.CharField(_("reuse level"), max_length=32, blank=True)
    hidden_en = models.TextField(_("hidden labels (English)"), blank=True)
    collections = models.CharField(_("ESCO collections"), max_length=255, blank=True)
    nl_source = models.CharField(_("source of the Dutch label"), max_length=64, blank=True)
    groups = models.ManyToManyField(
        SkillGroup, verbose_name=_("skill groups"), related_name="skills", blank=True
    )
    broader_skills = models.ManyToManyField(
        "self",
        verbose_name=_("broader skills"),
        symmetrical=False,
        related_name="narrower_skills",
        blank=True,
    )

    class Meta:
        ordering = ["pref_en"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class OccupationSkill(models.Model):
    occupation = models.ForeignKey(
        Occupation, on_delete=models.CASCADE, related_name="skill_relations"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupation_relations")
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "skill"], name="taxonomy_occupationskill_unique"
            )
        ]
        verbose_name = _("occupation-skill relation")
        verbose_name_plural = _("occupation-skill relations")

    def __str__(self) -> str:
        return f"{self.occupation} - {self.skill} ({self.relation})"


class LabelBase(models.Model):
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=LabelKind.choices)
    label = models.CharField(_("label"), max_length=255)
    normalised = models.CharField(_("normalised label"), max_length=255)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label


class OccupationLabel(LabelBase):
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="labels")

    class Meta:
        indexes = [
            models.Index(
                fields=["normalised"],
                name="taxonomy_occlabel_norm",
                opclasses=["varchar_pattern_ops"],
            )
        ]
        verbose_name = _("occupation label")
        verbose_name_plural = _("occupation labels")


class SkillLabel(LabelBase):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="labels")

    class Meta:
        indexes = [
            models.Index(
                fields=["normalised"],
                name="taxonomy_skilllabel_norm",
                opclasses=["varchar_pattern_ops"],
            )
        ]
        verbose_name = _("skill label")
        verbose_name_plural = _("skill labels")


class WordBase(models.Model):
    """One word (normalised, 3 letters or more) of some label of a concept.

    The search's vocabulary for typo tolerance: the distinct words are matched
    with rapidfuzz in the process, and the concepts holding the corrected
    words are read through the index on (word, concept). Filled by load_esco
    together with the labels.
    """

    word = models.CharField(_("word"), max_length=WORD_MAX_LENGTH)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.word


class OccupationWord(WordBase):
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="words")

    class Meta:
        indexes = [
            models.Index(
                fields=["word", "occupation"],
                name="taxonomy_occword_word",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            )
        ]
        verbose_name = _("occupation label word")
        verbose_name_plural = _("occupation label words")


class SkillWord(WordBase):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="words")

    class Meta:
        indexes = [
            models.Index(
                fields=["word", "skill"],
                name="taxonomy_skillword_word",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            )
        ]
        verbose_name = _("skill label word")
        verbose_name_plural = _("skill label words")


class EscoImport(models.Model):
    """One load of ESCO data: which release, from which bundle or folder.

    The newest row tells `load_esco` whether the shipped bundle is already in
    the database (same checksum) and the taxonomy page which version it shows.
    """

    class Kind(models.TextChoices):
        BUNDLE = "bundle", _("bundle")
        FOLDER = "folder", _("folder")

    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("file or folder name"), max_length=255, blank=True)
    layout = models.CharField(_("layout"), max_length=16, blank=True)
    version = models.CharField(_("ESCO version"), max_length=64, blank=True)
    sha256 = models.CharField(_("SHA-256 of the bundle"), max_length=64, blank=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        get_latest_by = ["loaded_at", "id"]
        verbose_name = _("ESCO import")
        verbose_name_plural = _("ESCO imports")

    def __str__(self) -> str:
        return f"{self.name} ({self.version or self.layout})"
