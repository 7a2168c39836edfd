"""The public job pages (`/jobs/`): anyone, no account, nothing personal.

Read-only and public, so no transaction (`non_atomic_requests`: two round
trips to the database fewer), and the list's total is cached until a
vacancy is published or closed. A visitor who is not signed in may keep a page for five minutes
(`Cache-Control: private, max-age=300`): it shows only what organisations
chose to publish. Not `public`: the page carries the visitor's CSRF token in
its language switch, which a shared cache must not hand to someone else. A
signed-in person gets the site's `no-store`, because the header shows their
name.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.syndication.views import Feed
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from passend.common.adapters import get_or_404
from passend.common.paging import CountedPaginator
from passend.tenancy.models import Organisation
from passend.vacancies import public
from passend.vacancies.models import Vacancy
from passend.vacancies.templatetags.vacancies import markdown

PAGE_SIZE = 20
PUBLIC_SECONDS = 300
FEED_ITEMS = 50


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Kept by a visitor's browser for a while; the site's no-store for a signed-in person."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not request.user.is_authenticated and response.status_code == 200:
            response["Cache-Control"] = f"private, max-age={PUBLIC_SECONDS}"
            response.public_cache = True  # type: ignore[attr-defined] # NoStoreMiddleware
        return response

    return wrapped


def _organisation(slug: str) -> Organisation:
    organisation = public.publishing_organisations().filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return organisation


@transaction.non_atomic_requests
@require_safe
@public_page
def job_list(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    organisation = _organisation(slug) if slug else None
    paginator = CountedPaginator(
        public.published(organisation), PAGE_SIZE, count=public.published_count(organisation)
    )
    page = paginator.get_page(request.GET.get("page"))
    context = {"page": page, "publisher": organisation, "version": public.version()}
    return render(request, "vacancies/public_list.html", context)


@transaction.non_atomic_requests
@require_safe
@public_page
def job_detail(request: HttpRequest, slug: str, vacancy_id: str) -> HttpResponse:
    # One query: the vacancy, published, of the publishing organisation with this slug.
    vacancy: Vacancy = get_or_404(public.published().filter(organisation__slug=slug), vacancy_id)
    organisation = vacancy.organisation

    def job_posting() -> str:
        """JSON for a <script> element: "<", ">" and "&" escaped so the text
        cannot close the element, whatever an employer typed. Called by the
        template only when its cached fragment has expired."""
        posting = public.job_posting(vacancy, absolute_url=request.build_absolute_uri())
        encoded = (
            json.dumps(posting, ensure_ascii=False)
            .replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026")
        )
        return mark_safe(encoded)  # escaped above

    context = {"vacancy": vacancy, "publisher": organisation, "job_posting": job_posting}
    return render(request, "vacancies/public_detail.html", context)


class JobFeed(Feed):
    """The newest published vacancies as an Atom feed, of all or one organisation."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Organisation | None:
        self.request = request
        return _organisation(slug) if slug else None

    def title(self, obj: Organisation | None) -> str:
        if obj is None:
            return _("Vacancies on Passend")
        return _("Vacancies of %(name)s") % {"name": obj.name}

    def link(self, obj: Organisation | None) -> str:
        return reverse("jobs:organisation", args=[obj.slug]) if obj else reverse("jobs:list")

    subtitle = gettext_lazy("Published vacancies, newest first.")

    def items(self, obj: Organisation | None) -> list[Vacancy]:
        return list(public.published(obj)[:FEED_ITEMS])

    def item_title(self, item: Vacancy) -> str:
        return f"{item.title} — {item.employer.name}"

    def item_description(self, item: Vacancy) -> str:
        return str(markdown(item.description))

    def item_link(self, item: Vacancy) -> str:
        return public.public_url(item)

    def item_pubdate(self, item: Vacancy) -> Any:
        return item.published_at

    def item_updateddate(self, item: Vacancy) -> Any:
        return item.published_at


job_feed = transaction.non_atomic_requests(public_page(JobFeed()))
