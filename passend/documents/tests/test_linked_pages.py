"""Issue 11, point 4: the screens about one candidate link to each other, and
an employer sees the CV of a shared profile only when the share includes
documents (404 otherwise, the same as for a profile not shared at all)."""

from __future__ import annotations

from django.urls import reverse

from passend.candidates.services import profile_share, profile_share_revoke
from passend.common.scope import organisation_scope
from passend.documents.models import DocumentKind
from passend.documents.tests.test_views import as_, page, stored


def share(personas, profile, *, includes_documents):
    employer = personas.employers["Bakkerij De Korenaar"]
    with organisation_scope(profile.organisation):
        profile_share(
            profile=profile,
            employer=employer,
            by=personas.memberships["bob"],
            includes_documents=includes_documents,
        )
        return profile_share(profile=profile, employer=employer, by=personas.memberships["carla"])


def test_it_shows_the_employer_the_cv_when_the_share_includes_documents(
    personas, media, carla_profile
):
    cv = stored(carla_profile, personas=personas)
    share(personas, carla_profile, includes_documents=True)
    dave = as_(personas, "dave")

    profile_page = dave.get(reverse("candidates:detail", args=[carla_profile.pk])).content.decode()
    listing = dave.get(page(carla_profile))

    assert f'href="{page(carla_profile)}"' in profile_page
    assert listing.status_code == 200
    assert reverse("documents:download", args=[cv.pk]) in listing.content.decode()
    assert dave.get(reverse("documents:download", args=[cv.pk])).status_code == 200


def test_it_answers_404_for_the_cv_when_the_share_leaves_documents_out(
    personas, media, carla_profile
):
    cv = stored(carla_profile, personas=personas)
    share(personas, carla_profile, includes_documents=False)
    dave = as_(personas, "dave")

    profile_page = dave.get(reverse("candidates:detail", args=[carla_profile.pk]))

    assert profile_page.status_code == 200
    assert page(carla_profile) not in profile_page.content.decode()
    assert dave.get(page(carla_profile)).status_code == 404
    assert dave.get(reverse("documents:download", args=[cv.pk])).status_code == 404


def test_it_answers_404_for_the_cv_once_a_share_with_documents_is_revoked(
    personas, media, carla_profile
):
    cv = stored(carla_profile, personas=personas)
    running = share(personas, carla_profile, includes_documents=True)
    with organisation_scope(carla_profile.organisation):
        profile_share_revoke(share=running, by=personas.memberships["carla"])

    assert as_(personas, "dave").get(reverse("documents:download", args=[cv.pk])).status_code == 404


def test_it_never_shows_the_employer_an_id_copy_even_with_documents_shared(
    personas, media, carla_profile
):
    id_copy = stored(carla_profile, kind=DocumentKind.ID_COPY, name="id.pdf", personas=personas)
    share(personas, carla_profile, includes_documents=True)

    response = as_(personas, "dave").get(reverse("documents:download", args=[id_copy.pk]))

    assert response.status_code == 404


def test_it_refuses_to_change_the_documents_of_a_waiting_share(personas, carla_profile):
    import pytest
    from django.core.exceptions import ValidationError

    employer = personas.employers["Bakkerij De Korenaar"]
    with organisation_scope(carla_profile.organisation):
        profile_share(
            profile=carla_profile,
            employer=employer,
            by=personas.memberships["bob"],
            includes_documents=False,
        )
        with pytest.raises(ValidationError) as raised:
            profile_share(
                profile=carla_profile,
                employer=employer,
                by=personas.memberships["carla"],
                includes_documents=True,
            )

    assert "includes_documents" in raised.value.message_dict


def test_it_lets_the_share_form_include_documents(personas, carla_profile):
    employer = personas.employers["Bakkerij De Korenaar"]
    bob = as_(personas, "bob")

    response = bob.post(
        reverse("candidates:share", args=[carla_profile.pk]),
        {"employer": str(employer.pk), "includes_documents": "on"},
    )
    profile_page = bob.get(reverse("candidates:detail", args=[carla_profile.pk])).content.decode()
    # Carla agrees to the share as it stands: her button keeps the documents.
    carlas_page = as_(personas, "carla").get(reverse("candidates:me")).content.decode()

    assert response.status_code == 302
    assert "with the CV, diplomas and photos" in profile_page
    assert 'name="includes_documents" value="on"' in carlas_page


def tabs_of(html):
    start = html.index('<nav class="candidate-tabs"')
    return html[start : html.index("</nav>", start)]


def test_it_links_profile_documents_and_coaching_to_each_other_for_advisors(
    personas, media, carla_profile
):
    bob = as_(personas, "bob")
    urls = {
        "profile": reverse("candidates:detail", args=[carla_profile.pk]),
        "documents": page(carla_profile),
        "coaching": reverse("coaching:candidate", args=[carla_profile.pk]),
    }

    for url in urls.values():
        tabs = tabs_of(bob.get(url).content.decode())
        for other in urls.values():
            assert f'href="{other}' in tabs
        assert f'href="{url}" aria-current="page"' in tabs
        assert f'href="{urls["coaching"]}#timeline-title"' in tabs


def test_it_links_the_caseload_and_the_candidates_list_to_the_candidate_page(
    personas, carla_profile
):
    bob = as_(personas, "bob")

    caseload = bob.get(reverse("coaching:caseload")).content.decode()
    candidates = bob.get(reverse("candidates:list")).content.decode()

    assert f'href="{reverse("coaching:candidate", args=[carla_profile.pk])}"' in caseload
    assert f'href="{reverse("candidates:detail", args=[carla_profile.pk])}"' in candidates


def test_it_links_the_candidates_own_pages_to_each_other(personas, media, carla_profile):
    carla = as_(personas, "carla")

    profile = carla.get(reverse("candidates:me")).content.decode()
    documents = carla.get(page(carla_profile)).content.decode()
    plan = carla.get(reverse("coaching:me")).content.decode()

    assert f'href="{page(carla_profile)}"' in profile
    assert 'href="/coaching/me/"' in profile
    assert 'href="/candidates/me/"' in documents
    assert 'href="/candidates/me/"' in plan
    assert f'href="{page(carla_profile)}"' in plan
    assert "candidate-tabs" not in profile + documents + plan
