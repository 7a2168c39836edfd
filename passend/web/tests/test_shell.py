"""The page shell: landmarks, headers, language, navigation, forms, error pages."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

from passend.web.forms import FormRenderer
from passend.web.navigation import _with_current
from passend.web.tests.html import inline_code, tags

pytestmark = pytest.mark.django_db


def test_it_sends_a_strict_csp_and_a_permissions_policy(client: Any) -> None:
    response = client.get("/accounts/login/")

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_it_sends_the_headers_on_signed_in_pages_too(as_persona: Any) -> None:
    response = as_persona("alice").get("/")

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("persona", ["alice", "bob", "carla", "dave"])
def test_it_has_a_skip_link_and_landmarks(as_persona: Any, persona: str) -> None:
    html = as_persona(persona, "a").get("/").content.decode()

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main" tabindex="-1">' in html
    assert html.count("<main") == 1
    assert '<header class="site-header">' in html
    assert '<nav aria-label="Main" class="main-nav">' in html
    assert '<footer class="site-footer">' in html
    assert inline_code(html) == []


def test_it_loads_htmx_from_our_own_origin_and_sends_the_csrf_token(as_persona: Any) -> None:
    html = as_persona("alice").get("/").content.decode()

    scripts = [attrs["src"] for tag, attrs in tags(html) if tag == "script"]
    assert any("htmx" in src for src in scripts)
    assert all(src.startswith("/static/") for src in scripts)
    assert '<body hx-headers=\'{"X-CSRFToken": "' in html
    # htmx would otherwise inject an inline <style>, which the CSP blocks.
    assert '"includeIndicatorStyles": false' in html


def test_it_switches_the_language_to_english_and_back(client: Any) -> None:
    to_dutch = client.post("/i18n/setlang/", {"language": "nl", "next": "/accounts/login/"})
    dutch_page = client.get("/accounts/login/").content.decode()
    to_english = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    english_page = client.get("/accounts/login/").content.decode()

    assert to_dutch.status_code == 302
    assert to_dutch["Location"] == "/accounts/login/"
    assert '<html lang="nl">' in dutch_page
    assert 'name="language" value="en" lang="en"' in dutch_page
    assert to_english.cookies["django_language"].value == "en"
    assert '<html lang="en">' in english_page
    assert 'name="language" value="nl" lang="nl"' in english_page


def test_it_refuses_an_unknown_language(client: Any) -> None:
    client.post("/i18n/setlang/", {"language": "xx", "next": "/accounts/login/"})

    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()


def test_it_keeps_the_language_switch_on_the_current_page(as_persona: Any) -> None:
    html = as_persona("alice").get("/account/").content.decode()

    assert '<input type="hidden" name="next" value="/account/">' in html


def test_it_marks_the_current_section_in_the_navigation(as_persona: Any) -> None:
    html = as_persona("alice").get("/").content.decode()

    assert '<a href="/" aria-current="page">Home</a>' in html
    assert '<a href="/organisations/members/">Members</a>' in html


def test_it_shows_each_role_its_own_navigation(as_persona: Any, personas: Any) -> None:
    admin = as_persona("alice").get("/").content.decode()
    advisor = as_persona("bob", "a").get("/").content.decode()
    employer = as_persona("dave").get("/").content.decode()
    candidate = as_persona("carla").get("/").content.decode()
    dave_company = personas.memberships["dave"].employer_id

    assert "/organisations/current/" in admin
    assert "/organisations/members/" not in advisor
    assert "/organisations/invitations/" in advisor
    assert f'href="/organisations/employers/{dave_company}/">My company' in employer
    assert '/organisations/employers/"' not in employer
    assert "/organisations/" not in candidate.split("</nav>")[0].split("main-nav")[1]


def test_it_picks_the_longest_matching_link_as_current() -> None:
    links = [("Home", "/"), ("Employers", "/e/"), ("New", "/e/new/")]

    items = _with_current("/e/new/", links)

    assert [item.current for item in items] == [False, False, True]
    assert [i.current for i in _with_current("/", links)] == [True, False, False]
    assert [i.current for i in _with_current("/elsewhere/", links)] == [False, False, False]


class _ExampleForm(forms.Form):
    email = forms.EmailField(label="E-mail address", help_text="The one you were invited with.")
    note = forms.CharField(label="Note", required=False)
    agree = forms.BooleanField(label="I agree")

    def clean(self) -> dict[str, Any]:
        raise forms.ValidationError("Something is wrong with the whole form.")


def test_it_ties_errors_and_help_to_their_fields() -> None:
    form = _ExampleForm(data={"email": "not-an-address"})

    html = Template("{% load passend_web %}{{ form|render_form }}").render(Context({"form": form}))

    assert 'class="error-summary" role="alert" tabindex="-1" data-error-summary' in html
    assert "Something is wrong with the whole form." in html
    assert '<a href="#id_email">E-mail address: Enter a valid email address.</a>' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert 'aria-invalid="true"' in html
    assert '<ul class="field-errors" id="id_email_error">' in html
    assert '<div class="helptext" id="id_email_helptext">' in html
    assert '<label for="id_note">Note <span class="muted">(optional)</span></label>' in html
    assert '<label for="id_agree">I agree</label>' in html


def test_it_draws_an_untouched_form_without_an_error_summary() -> None:
    html = str(_ExampleForm(renderer=FormRenderer()))

    assert "error-summary" not in html
    assert 'aria-describedby="id_email_helptext"' in html
    assert '<label for="id_email">E-mail address</label>' in html


def test_it_renders_a_progress_bar_with_its_label() -> None:
    html = render_to_string(
        "web/_progress.html", {"id": "profile", "label": "Profile", "value": 2, "max": 5}
    )

    assert '<progress id="profile" value="2" max="5" aria-labelledby="profile-label">' in html
    assert '<span id="profile-label">Profile</span>' in html
    assert "2 of 5" in html


def test_it_renders_bars_with_the_numbers_as_text() -> None:
    rows = [{"label": "Candidates", "count": 3}, {"label": "Employers", "count": 1}]

    html = render_to_string("web/_bars.html", {"rows": rows, "max": 4})

    assert '<meter min="0" max="4" value="3" aria-hidden="true">' in html
    assert '<span class="bar-value">3</span>' in html


def test_it_shows_its_own_page_when_something_is_missing(as_persona: Any) -> None:
    response = as_persona("alice").get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert '<a class="skip-link" href="#main">' in response.content.decode()


def test_it_explains_a_refusal_by_role(as_persona: Any) -> None:
    response = as_persona("carla").get("/organisations/members/")

    assert response.status_code == 403
    assert "Your role in this organisation does not give access" in response.content.decode()


def test_it_has_a_server_error_page_that_needs_no_request() -> None:
    html = render_to_string("500.html")

    assert "Something went wrong" in html
    assert inline_code(html) == []


def test_it_renders_the_too_many_requests_page() -> None:
    request = RequestFactory().get("/accounts/password/reset/")

    html = render_to_string("429.html", request=request)

    assert "Too many attempts" in html
    assert 'role="alert"' in html


def test_it_links_the_privacy_statement_from_every_page(client: Any) -> None:
    html = client.get("/accounts/login/").content.decode()

    assert '<a href="/privacy/">Privacy statement</a>' in html


def test_it_groups_the_admins_links_into_two_menus(as_persona: Any) -> None:
    html = as_persona("alice").get("/organisations/members/").content.decode()
    nav = html.split('class="main-nav"')[1].split("</nav>")[0]

    assert nav.count("<details") == 2
    assert nav.count('<li><a href="/') == 3 + 8  # Home, Candidates, Vacancies; eight in menus
    assert '<summary class="is-current">Organisation' in nav
    assert "<summary>Privacy</summary>" in nav
    assert '<a href="/organisations/members/" aria-current="page">Members</a>' in nav


@pytest.mark.parametrize("persona", ["bob", "carla", "dave"])
def test_it_shows_other_roles_their_few_links_without_menus(as_persona: Any, persona: str) -> None:
    html = as_persona(persona, "a").get("/").content.decode()
    nav = html.split('class="main-nav"')[1].split("</nav>")[0]

    assert "<details" not in nav


def test_it_has_a_menu_button_for_small_screens_that_controls_the_menu(as_persona: Any) -> None:
    html = as_persona("carla").get("/").content.decode()

    assert (
        '<button type="button" class="menu-toggle" aria-expanded="false" aria-controls="site-menu">'
        in html
    )
    assert '<div class="site-menu" id="site-menu" data-collapsible>' in html


def test_it_shows_a_visitor_no_menu_button(client: Any) -> None:
    html = client.get("/accounts/login/").content.decode()

    assert "menu-toggle" not in html
