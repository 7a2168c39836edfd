"""Taxonomy pages: a browse page with search, concept details, and the htmx
autocomplete fragments other apps' forms use (docs/taxonomy.md)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from passend.taxonomy import selectors

PAGE_RESULTS = 20


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or get_language() or "en"


def _limit(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("limit", selectors.DEFAULT_LIMIT))
    except ValueError:
        return selectors.DEFAULT_LIMIT


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    language = _language(request)
    loaded = selectors.taxonomy_loaded()
    context = {
        "loaded": loaded,
        "query": query,
        "too_short": bool(query) and len(query) < selectors.MIN_QUERY_LENGTH,
        "counts": selectors.counts() if loaded else None,
        "esco_import": selectors.latest_import(),
        "occupations": selectors.search_occupations(query, language=language, limit=PAGE_RESULTS)
        if loaded and query
        else [],
        "skills": selectors.search_skills(query, language=language, limit=PAGE_RESULTS)
        if loaded and query
        else [],
    }
    return render(request, "taxonomy/index.html", context)


@require_GET
@login_required
def occupation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    occupation = selectors.occupation_by_id(pk)
    if occupation is None:
        raise Http404
    language = _language(request)
    relations = list(selectors.occupation_skills(occupation))
    context = {
        "occupation": occupation,
        "label": occupation.label(language),
        "broader_label": occupation.broader.label(language) if occupation.broader else "",
        "esco_import": selectors.latest_import(),
        "isco_path": [(g.code, g.label(language)) for g in selectors.isco_path(occupation)],
        "essential": [
            (r.skill.pk, r.skill.label(language)) for r in relations if r.relation == "essential"
        ],
        "optional": [
            (r.skill.pk, r.skill.label(language)) for r in relations if r.relation == "optional"
        ],
    }
    return render(request, "taxonomy/occupation.html", context)


@require_GET
@login_required
def skill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    skill = selectors.skill_by_id(pk)
    if skill is None:
        raise Http404
    language = _language(request)
    context = {
        "skill": skill,
        "label": skill.label(language),
        "esco_import": selectors.latest_import(),
        "group_paths": [
            [(g.code, g.label(language)) for g in path]
            for path in selectors.skill_group_paths(skill)
        ],
        "broader_skills": [(s.pk, s.label(language)) for s in skill.broader_skills.all()],
        "narrower_skills": [(s.pk, s.label(language)) for s in skill.narrower_skills.all()],
        "relations": [
            (r.occupation.pk, r.occupation.label(language), r.get_relation_display())
            for r in selectors.skill_occupations(skill)
        ],
    }
    return render(request, "taxonomy/skill.html", context)


def _autocomplete_query(request: HttpRequest) -> str:
    """`q`, or else a parameter named `<something>_q`: a form can then hold an
    occupation and a skill search field, each sent under its own name."""
    if "q" in request.GET:
        return request.GET["q"].strip()[:100]
    for key in request.GET:
        if key.endswith("_q"):
            return request.GET[key].strip()[:100]
    return ""


def _options(request: HttpRequest, kind: str) -> HttpResponse:
    query = _autocomplete_query(request)
    language = _language(request)
    search = selectors.search_skills if kind == "skill" else selectors.search_occupations
    hits = search(query, language=language, limit=_limit(request))
    context = {
        "hits": hits,
        "query": query,
        "too_short": len(query) < selectors.MIN_QUERY_LENGTH,
        "loaded": bool(hits) or selectors.taxonomy_loaded(),
    }
    return render(request, "taxonomy/_options.html", context)


@require_GET
@login_required
def occupation_search(request: HttpRequest) -> HttpResponse:
    return _options(request, "occupation")


@require_GET
@login_required
def skill_search(request: HttpRequest) -> HttpResponse:
    return _options(request, "skill")


COMBOBOX_LIMIT = 8
COMBOBOX_SEARCHES = {
    "occupations": selectors.search_occupations,
    "skills": selectors.search_skills,
}


@require_GET
@login_required
def combobox_options(request: HttpRequest, kind: str) -> HttpResponse:
    """The options of the ESCO combobox (taxonomy/forms.py, web/combobox.js): at
    most COMBOBOX_LIMIT terms, and the sentence the live region announces."""
    search = COMBOBOX_SEARCHES.get(kind)
    if search is None:
        raise Http404
    query = request.GET.get("q", "").strip()[:100]
    hits = search(query, language=_language(request), limit=COMBOBOX_LIMIT)
    if len(query) < selectors.MIN_QUERY_LENGTH:
        status = ""
    elif not hits and not selectors.taxonomy_loaded():
        status = _("The ESCO taxonomy has not been loaded yet.")
    elif not hits:
        status = _("No terms found. Try fewer letters or another word.")
    else:
        status = ngettext(
            "%(count)d term found. Use the arrow keys to choose, Enter to pick.",
            "%(count)d terms found. Use the arrow keys to choose, Enter to pick.",
            len(hits),
        ) % {"count": len(hits)}
    return render(request, "taxonomy/_combobox_options.html", {"hits": hits, "status": status})
