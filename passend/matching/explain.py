"""An explanation in words a candidate understands, from what the log stores.

The log keeps numbers and ESCO keys (`services._explanation`); the words are
made when a page shows them, in the reader's language. Every signal gets a
line: how many points of its share it gave, and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from passend.matching.features import SIGNALS
from passend.taxonomy.models import Occupation, Skill
from passend.vacancies.models import EducationLevel

EDUCATION_LABELS = [label for _value, label in EducationLevel.choices]


@dataclass
class Line:
    key: str
    label: str
    points: float
    share: float  # the most this signal can give, in points
    known: bool
    sentence: str

    @property
    def percent_of_share(self) -> int:
        return round(100 * self.points / self.share) if self.share else 0


@dataclass
class Reading:
    lines: list[Line]
    matched: list[tuple[str, bool]]  # (skill label, from work history rather than said)
    missing: list[str]
    implied: bool
    summary: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _level(rank: Any) -> str:
    if rank is None or not 0 <= int(rank) < len(EDUCATION_LABELS):
        return ""
    return str(EDUCATION_LABELS[int(rank)])


def _occupation_sentence(score: float | None, detail: dict, names: dict[int, str]) -> str:
    if "vacancy_occupation" not in detail:
        return _("The vacancy names no occupation.")
    if score is None:
        return _("No occupation in the work history yet.")
    closest = names.get(detail.get("closest_occupation") or -1, "")
    wanted = names.get(detail["vacancy_occupation"], "")
    if score >= 0.99:
        return _("Worked as %(occupation)s: the same occupation.") % {"occupation": closest}
    if score >= 0.6:
        return _("Worked as %(have)s, close to %(wanted)s.") % {"have": closest, "wanted": wanted}
    if closest:
        return _("Worked as %(have)s; %(wanted)s is different work.") % {
            "have": closest,
            "wanted": wanted,
        }
    return _("The work history is far from %(wanted)s.") % {"wanted": wanted}


def _sentence(key: str, score: float | None, detail: dict, names: dict[int, str]) -> str:
    if key == "occupation":
        sentence = _occupation_sentence(score, detail, names)
        if detail.get("occupation_recognised") or detail.get("closest_recognised"):
            sentence += " " + _("(Recognised from the job title's words.)")
        return sentence
    if key == "skills":
        if score is None:
            return _("The vacancy asks for no skills.")
        return _("%(percent)s%% of what the vacancy asks for, rare skills counting most.") % {
            "percent": round(score * 100)
        }
    if key == "text":
        if score is None:
            return _("Not compared: no text, or matching runs without its language model.")
        if score >= 0.6:
            return _("The work history and the vacancy text are about similar work.")
        if score >= 0.25:
            return _("The work history and the vacancy text have some things in common.")
        return _("The work history and the vacancy text are about different work.")
    if key == "experience":
        if score is None:
            return _("Not compared: the vacancy names no occupation.")
        years = float(detail.get("years") or 0)
        if years <= 0:
            return _("No experience in this or related work yet.")
        return ngettext(
            "About %(years)s year in this or related work.",
            "About %(years)s years in this or related work.",
            max(round(years), 1),
        ) % {"years": number_format(round(years, 1), decimal_pos=1)}
    if key == "education":
        have, asked = (detail.get("education") or [None, None])[:2]
        if asked is None:
            return _("The vacancy asks for no education level.")
        if have is None:
            return _("No finished education with a known level yet.")
        if score is not None and score >= 1:
            return _("%(have)s meets the level asked (%(asked)s).") % {
                "have": _level(have),
                "asked": _level(asked),
            }
        return _("%(have)s; the vacancy asks for %(asked)s.") % {
            "have": _level(have),
            "asked": _level(asked),
        }
    if key == "hours":
        available, asked = (detail.get("hours") or [None, None])[:2]
        if available is None:
            return _("No availability filled in yet.")
        return _("Available %(available)s of the %(asked)s hours a week.") % {
            "available": round(float(available)),
            "asked": asked,
        }
    if key == "distance":
        if detail.get("remote"):
            return _("The work is done from home.")
        km = detail.get("km")
        if km is None:
            return _("Not compared: a postcode is missing.")
        if detail.get("km_precision") in ("area", "region"):
            return _("Roughly %(km)s km away (estimated from the postcode area).") % {
                "km": round(km / 5) * 5 or 5
            }
        return _("About %(km)s km away.") % {"km": round(km)}
    # preference
    if score is None:
        return _("No wishes filled in yet.")
    if detail.get("wished"):
        return _("This is work the candidate said they would like to do.")
    return _("Fits some of the wishes the candidate filled in.")


def read(explanation: dict, names: dict[int, str], skills: dict[int, str]) -> Reading:
    """The words for one stored explanation. `names` and `skills` map ESCO keys
    to labels (see `labels_for`)."""
    detail = explanation.get("detail", {})
    lines = []
    for signal in SIGNALS:
        part = explanation.get("signals", {}).get(signal.key, {})
        score = part.get("score")
        lines.append(
            Line(
                key=signal.key,
                label=str(signal.label),
                points=float(part.get("points", 0.0)),
                share=round(signal.weight * 100, 1),
                known=score is not None,
                sentence=_sentence(signal.key, score, detail, names),
            )
        )
    return Reading(
        lines=lines,
        matched=[
            (skills.get(int(s), ""), bool(inferred))
            for s, _req, inferred in explanation.get("matched", [])
        ],
        missing=[skills.get(int(s), "") for s in explanation.get("missing", [])],
        implied=bool(detail.get("implied")),
    )


def labels_for(explanations: list[dict]) -> tuple[dict[int, str], dict[int, str]]:
    """Occupation and skill labels (in the reader's language) for these explanations."""
    occupation_ids: set[int] = set()
    skill_ids: set[int] = set()
    for explanation in explanations:
        detail = explanation.get("detail", {})
        for key in ("vacancy_occupation", "closest_occupation"):
            if detail.get(key) is not None:
                occupation_ids.add(int(detail[key]))
        skill_ids.update(int(s) for s, _r, _i in explanation.get("matched", []))
        skill_ids.update(int(s) for s in explanation.get("missing", []))
    occupations = {o.pk: str(o) for o in Occupation.objects.filter(pk__in=occupation_ids)}
    skills = {s.pk: str(s) for s in Skill.objects.filter(pk__in=skill_ids)}
    return occupations, skills
