"""Form fields for an ESCO occupation or skill: an accessible combobox.

`EscoOccupationField` and `EscoSkillField` render `EscoComboboxWidget`: a text
box (the WAI-ARIA 1.2 combobox with a listbox, driven by web/combobox.js and
fed by `taxonomy:options`), a hidden `<name>_id` that the script fills when a
term is picked, and, after a submit that did not name one term, the nearest
terms as radio buttons `<name>_pick`. Without JavaScript the text box is a
plain search: whatever is typed is submitted; an exact label (Dutch or
English, preferred, alternative or hidden; case and accents ignored) or URI is
taken, and anything else comes back with the nearest terms to pick, the text
kept as typed (docs/taxonomy.md).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from passend.common.inputs import validate_text
from passend.taxonomy import selectors
from passend.taxonomy.models import Occupation, Skill

SUGGESTIONS = 6
MAX_TEXT = 255

Concept = Occupation | Skill


class EscoComboboxWidget(forms.Widget):
    template_name = "taxonomy/widgets/combobox.html"

    def __init__(self, *, kind: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.kind = kind  # "occupations" or "skills"
        self.suggestions: list[selectors.SearchHit] = []

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {
            "text": str(data.get(name, "")),
            "id": str(data.get(f"{name}_id", "")),
            "pick": str(data.get(f"{name}_pick", "")),
        }

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(key in data for key in (name, f"{name}_id", f"{name}_pick"))

    def format_value(self, value: Any) -> dict[str, str]:  # type: ignore[override]
        if isinstance(value, (Occupation, Skill)):
            return {"text": value.label(get_language()), "id": str(value.pk), "pick": ""}
        if isinstance(value, dict):
            return {key: str(value.get(key, "")) for key in ("text", "id", "pick")}
        if value in (None, ""):
            return {"text": "", "id": "", "pick": ""}
        return {"text": str(value), "id": "", "pick": ""}

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        base_id = widget["attrs"].get("id") or f"id_{name}"
        widget["attrs"]["id"] = base_id
        widget["base_id"] = base_id
        widget["search_url"] = reverse("taxonomy:options", args=[self.kind])
        widget["suggestions"] = self.suggestions
        widget["kind"] = self.kind
        return context


class EscoConceptField(forms.Field):
    """An ESCO concept, picked from the combobox or typed by one of its labels or its URI."""

    model: type[Occupation] | type[Skill]
    kind: str
    default_error_messages = {
        "required": _("Type part of a term and pick one from the list."),
        "not_found": _(
            "No ESCO term is called “%(text)s”. Pick the one you mean from the "
            "nearest terms below, or type something else."
        ),
        "nothing_near": _(
            "No ESCO term is called “%(text)s”, and none comes close. "
            "Try another word, or fewer letters."
        ),
        "ambiguous": _(
            "More than one ESCO term is called “%(text)s”. Pick the one you mean below."
        ),
        "too_long": _("Type at most %(max)d characters."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            _(
                "Type part of the name, in Dutch or English, and pick a term from the list "
                "(ESCO, the European list of occupations and skills)."
            ),
        )
        kwargs.setdefault("widget", EscoComboboxWidget(kind=self.kind))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return self.model.objects.filter(pk=value).first() or ""
        return value

    def _by_id(self, raw: str) -> Concept | None:
        # ASCII digits only, and few enough to be a database integer.
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
            return None
        return self.model.objects.filter(pk=int(raw)).first()

    def _search(self, text: str) -> list[selectors.SearchHit]:
        language = get_language() or "nl"
        if self.model is not Occupation:
            return selectors.search_skills(text, language=language, limit=SUGGESTIONS)
        hits = selectors.search_occupations(text, language=language, limit=SUGGESTIONS)
        if hits:
            return hits
        # No label has these words: offer the occupations the title normaliser
        # recognises in them ("broodbakker in de nachtdienst").
        from passend.taxonomy.normalise import normalise_title

        matches = normalise_title(text, language=language, top=SUGGESTIONS)
        concepts = Occupation.objects.in_bulk([m.occupation_id for m in matches])
        return [
            selectors.SearchHit(
                concept=concepts[m.occupation_id],
                label=concepts[m.occupation_id].label(language),
                matched=m.label,
                matched_language=language,
            )
            for m in matches
            if m.occupation_id in concepts
        ]

    def clean(self, value: Any) -> Concept | None:
        widget = self.widget
        assert isinstance(widget, EscoComboboxWidget)
        widget.suggestions = []
        if isinstance(value, (Occupation, Skill)):
            return value
        data = widget.format_value(value)
        text = data["text"].strip()
        validate_text(text)  # no control characters reach a query
        picked = self._by_id(data["pick"])
        if picked is not None:
            return picked
        chosen = self._by_id(data["id"])
        if chosen is not None and text:
            names = {chosen.pref_en.casefold(), chosen.pref_nl.casefold()}
            if text.casefold() in names or chosen in selectors.exact_concepts(self.model, text):
                return chosen
        if not text:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        if len(text) > MAX_TEXT:
            raise forms.ValidationError(
                self.error_messages["too_long"], code="too_long", params={"max": MAX_TEXT}
            )
        exact = selectors.exact_concepts(self.model, text)
        if len(exact) == 1:
            return exact[0]
        language = get_language() or "nl"
        if exact:
            widget.suggestions = [
                selectors.SearchHit(
                    concept=concept,
                    label=concept.label(language),
                    # The other language's label tells terms of one name apart.
                    matched=concept.label("en" if language.startswith("nl") else "nl"),
                    matched_language="en" if language.startswith("nl") else "nl",
                )
                for concept in exact[:SUGGESTIONS]
            ]
            code = "ambiguous"
        else:
            widget.suggestions = self._search(text)
            code = "not_found" if widget.suggestions else "nothing_near"
        raise forms.ValidationError(self.error_messages[code], code=code, params={"text": text})

    def has_changed(self, initial: Any, data: Any) -> bool:
        before = self.widget.format_value(self.prepare_value(initial))
        after = self.widget.format_value(data)
        return bool(after["pick"]) or (before["text"], before["id"]) != (after["text"], after["id"])


class EscoOccupationField(EscoConceptField):
    model = Occupation
    kind = "occupations"


class EscoSkillField(EscoConceptField):
    model = Skill
    kind = "skills"
