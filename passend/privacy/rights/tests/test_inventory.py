"""The inventory and the "my data" page (GDPR Art. 15 and 16; J9, P10)."""

from __future__ import annotations

import html
import re
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import capfirst

from conftest import client_for
from passend.candidates import services as candidate_services
from passend.candidates.models import Course
from passend.common.scope import organisation_scope
from passend.privacy.audit.services import record
from passend.privacy.datamap import Purpose
from passend.privacy.rights.graph import path_for
from passend.privacy.rights.inventory import ROW_LIMIT, inventory_for, model_infos
from passend.privacy.rights.tests.conftest import events

MY_DATA = reverse("rights:my_data")


def shown_fields(inventory, group_key=None):
    return {
        (m.info.label, name)
        for g in inventory.groups
        if group_key is None or g.key == group_key
        for m in g.models
        for row in m.rows
        for name in row.values
    }


def texts(inventory):
    return [
        v.text
        for g in inventory.groups
        for m in g.models
        for r in m.rows
        for v in r.values.values()
    ]


def test_it_lists_every_declared_personal_field_of_a_candidates_rich_profile(rich, carla, org_a):
    inventory = inventory_for(carla, current_organisation=org_a)

    expected = {
        (info.label, fi.name)
        for info in model_infos()
        if info.path.rows(carla.pk).exists() and not info.history_url
        for fi in info.fields
    }
    assert shown_fields(inventory) == expected
    # The audit trail is a history: counted, linked, never read row by row here.
    trail = [m for g in inventory.groups for m in g.models if m.info.label == "audit.AuditEvent"]
    assert trail
    assert all(m.rows == [] for m in trail)
    assert sum(m.count for m in trail) == events(subject_user_id=carla.pk).count()
    labels = {label for label, _name in expected}
    for label in ("candidates.CandidateProfile", "candidates.WorkExperience",
                  "documents.Document", "coaching.Note", "coaching.Trajectory",
                  "coaching.Task", "accounts.User", "tenancy.Membership"):  # fmt: skip
        assert label in labels
    values = texts(inventory)
    assert "Bakkerij Brood" in values
    assert "Carla is motivated and punctual." in values
    assert "carla cv.pdf" in values
    assert "111222333" in values  # her own BSN, shown to her (and audited)


def test_it_groups_by_organisation_and_category_with_what_the_map_says(rich, carla, org_a):
    inventory = inventory_for(carla, current_organisation=org_a)

    werkpad = next(g for g in inventory.groups if g.organisation == org_a)
    assert werkpad.is_current
    work_history = next(b for b in werkpad.categories if b.key == "passend.work_history")
    table = next(
        t for t in work_history.tables if t.model_rows.info.label == "candidates.WorkExperience"
    )
    started = next(f for f in table.fields if f.name == "started_on")
    assert started.verbose_name == "From"
    assert started.purposes
    assert started.basis.startswith("Performing a contract")
    assert started.retention
    assert work_history.explanation.startswith("We use it for:")


def test_it_lists_fields_of_both_organisations_for_bob(bob, org_a, org_b):
    inventory = inventory_for(bob, current_organisation=org_a)

    titles = [g.title for g in inventory.groups]
    assert titles[0] == "Your account"
    assert org_a.name in titles
    assert org_b.name in titles
    for organisation in (org_a, org_b):
        fields = shown_fields(inventory, str(organisation.pk))
        assert ("tenancy.Membership", "role") in fields
    assert ("accounts.User", "email") in shown_fields(inventory, "account")


def test_it_never_shows_credentials_or_the_blind_index(rich, carla, org_a):
    password_hash = carla.password

    inventory = inventory_for(carla, current_organisation=org_a)
    response = client_for(carla, org_a).get(MY_DATA)

    values = {
        (m.info.label, name): v.text
        for g in inventory.groups for m in g.models for r in m.rows for name, v in r.values.items()
    }  # fmt: skip
    assert values[("accounts.User", "password")] == "stored (not shown)"
    assert values[("candidates.CandidateProfile", "bsn_index")] == "stored (not shown)"
    content = response.content.decode()
    assert password_hash not in content
    assert rich.profile.bsn_index not in content
    assert "stored (not shown)" in content


def test_it_audits_the_sensitive_fields_the_person_reads_on_their_own_page(rich, carla, org_a):
    before = events(
        action="read", subject_user_id=carla.pk, target_model="candidates.candidateprofile"
    ).count()

    response = client_for(carla, org_a).get(MY_DATA)

    assert response.status_code == 200
    event = events(
        action="read", subject_user_id=carla.pk, target_model="candidates.candidateprofile"
    ).order_by("-id")
    assert event.count() == before + 1
    assert event[0].fields == ["bsn", "iban"]
    assert event[0].actor_user_id == carla.pk
    assert event[0].organisation_id == org_a.pk
    assert event[0].purpose == "legal_obligation"


def _add_courses(profile, count):
    with organisation_scope(profile.organisation):
        Course.objects.bulk_create(
            [
                Course(
                    organisation=profile.organisation,
                    profile=profile,
                    name=f"Course {i}",
                    completed_on=date(2020, 1, 1),
                )
                for i in range(count)
            ]
        )


def test_its_query_count_does_not_grow_with_the_number_of_rows(rich, carla, org_a):
    _add_courses(rich.profile, 2)
    with CaptureQueriesContext(connection) as few:
        inventory_for(carla, current_organisation=org_a)
    _add_courses(rich.profile, 300)

    with CaptureQueriesContext(connection) as many:
        inventory = inventory_for(carla, current_organisation=org_a)

    assert len(many) == len(few)
    assert len(many) <= 2 * len(model_infos()) + 10
    courses = next(
        m for g in inventory.groups for m in g.models if m.info.label == "candidates.Course"
    )
    assert courses.count == 303
    assert len(courses.rows) == ROW_LIMIT


def test_the_page_shows_the_first_rows_of_a_long_list_and_links_to_all_of_them(rich, carla, org_a):
    _add_courses(rich.profile, 40)

    response = client_for(carla, org_a).get(MY_DATA)

    content = response.content.decode()
    assert response.status_code == 200
    assert "showing the first 20 of 41" in content
    assert content.count("Course 3") < 20  # not all 41 rows
    inventory = inventory_for(carla, current_organisation=org_a)
    werkpad = next(g for g in inventory.groups if g.organisation == org_a)
    courses = next(
        b for b in werkpad.categories
        if any(t.model_rows.info.label == "candidates.Course" for t in b.tables)
    )  # fmt: skip
    assert courses.page_url == f"/my-data/{org_a.pk}/{courses.key}/"
    assert f'href="{courses.page_url}"' in content
    assert f"Show all {courses.count} records" in content


def test_it_links_what_carla_provided_to_its_edit_page_and_the_rest_to_a_dispute(
    rich, carla, org_a
):
    inventory = inventory_for(carla, current_organisation=org_a)
    values = {
        (m.info.label, str(r.pk), name): v
        for g in inventory.groups for m in g.models for r in m.rows for name, v in r.values.items()
    }  # fmt: skip
    profile = str(rich.profile.pk)

    city = values[("candidates.CandidateProfile", profile, "city")]
    assert city.edit_url == reverse("candidates:edit", args=[rich.profile.pk])
    role = values[("candidates.WorkExperience", str(rich.work.pk), "role")]
    assert role.edit_url == reverse(
        "candidates:section_edit", args=[rich.profile.pk, "work", rich.work.pk]
    )
    assert values[("accounts.User", str(carla.pk), "name")].edit_url == reverse("accounts:settings")
    # Set by others: disputable (once per kind of data), never an edit link.
    worker = values[("candidates.CandidateProfile", profile, "is_worker")]
    assert worker.edit_url is None
    assert worker.disputable
    note = values[("coaching.Note", str(rich.note.pk), "text")]
    assert note.edit_url is None
    assert note.disputable
    own = values[("documents.Document", str(rich.own_document.pk), "original_name")]
    assert own.provided
    assert not own.disputable
    assert own.edit_url == reverse("documents:mine")
    bobs = values[("documents.Document", str(rich.advisor_document.pk), "original_name")]
    assert not bobs.provided
    assert bobs.disputable
    assert not values[("accounts.User", str(carla.pk), "password")].disputable


def test_it_offers_no_edit_links_for_another_organisation_than_the_current_one(bob, org_a, org_b):
    with organisation_scope(org_b):
        candidate_services.contact_profile_save(
            membership=bob.memberships.model.objects.get(user=bob, organisation=org_b),
            data={"name": "Bob in B"},
        )
    inventory = inventory_for(bob, current_organisation=org_a)

    in_b = next(g for g in inventory.groups if g.organisation == org_b)
    contact = next(m for m in in_b.models if m.info.label == "candidates.ContactProfile")
    name = contact.rows[0].values["name"]
    assert name.provided
    assert name.edit_url is None
    assert not in_b.is_current


def test_the_page_links_to_the_other_rights(rich, carla, org_a):
    content = client_for(carla, org_a).get(MY_DATA).content.decode()

    for href in ("/audit/my-data/", "/my-data/export/", "/my-choices/", "/account/delete/"):
        assert f'href="{href}' in content


def test_the_page_sends_anonymous_visitors_to_the_login(client, db):
    response = client.get(MY_DATA)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_person_without_an_organisation_sees_their_account(db):
    from passend.accounts.models import User

    user = User.objects.create_user("loner@example.org", "x", name="Lone Person")

    response = client_for(user).get(MY_DATA)

    assert response.status_code == 200
    assert "Lone Person" in response.content.decode()


def test_the_graph_path_of_courses_leads_to_the_user():
    assert path_for("candidates.Course").lookup == "profile__membership__user"


# --- the page: a summary first, details on demand -------------------------------------


def _section(content, start, end):
    begin = content.index(start)
    return content[begin : content.index(end, begin)]


def test_the_page_leads_with_what_each_organisation_holds_why_how_long_and_for_whom(
    rich, carla, org_a
):
    inventory = inventory_for(carla, current_organisation=org_a)
    werkpad = next(g for g in inventory.groups if g.organisation == org_a)

    content = client_for(carla, org_a).get(MY_DATA).content.decode()

    summary = werkpad.summary
    assert "Work history" in summary["what"]
    assert capfirst(str(Purpose.COACHING.label)) in summary["why"]
    assert summary["how_long"]
    assert summary["recipients"]
    # The summary comes before the first disclosure of data, in plain words.
    heading = re.search(rf'<h2 id="group-\d+">{re.escape(org_a.name)}', content)
    assert heading is not None
    short = _section(content, heading.group(0), "<details")
    assert "In short" in short
    for words in (summary["what"][0], summary["why"][0], summary["how_long"][0]):
        assert html.escape(words) in short
    # Every kind of data is a closed disclosure: nothing is open on arrival.
    assert "<details open" not in content


def test_it_keeps_internal_and_technical_fields_under_technical_details(rich, carla, org_a):
    inventory = inventory_for(carla, current_organisation=org_a)
    account = inventory.groups[0]

    readable = {f.name for b in account.categories for f in b.fields}
    technical = {f.name for b in account.technical for f in b.fields}
    for name in ("is_superuser", "is_platform_staff", "last_login", "password"):
        assert name not in readable
        assert name in technical
    assert {"name", "email"} <= readable
    content = client_for(carla, org_a).get(MY_DATA).content.decode()
    first_technical = content.index('class="my-data-technical"')
    assert content.index("Superuser status") > first_technical
    assert "SHA-256" not in content[:first_technical]


def test_it_offers_one_dispute_link_per_kind_of_data_never_one_per_record_or_value(
    rich, carla, org_a
):
    inventory = inventory_for(carla, current_organisation=org_a)
    blocks = [(g, b) for g in inventory.groups for b in g.categories]

    content = client_for(carla, org_a).get(MY_DATA).content.decode()

    links = sorted(
        html.unescape(u) for u in re.findall(r'href="(/requests/dispute/[^"]*)"', content)
    )
    expected = sorted(f"/requests/dispute/?organisation={g.key}&kind={b.key}" for g, b in blocks)
    assert links == expected
    assert len(set(links)) == len(links)
    assert all("model=" not in link and "object=" not in link for link in links)
    assert content.count("Dispute something here<span") == len(blocks)


def test_the_page_size_does_not_grow_with_the_audit_trail(rich, carla, org_a):
    client = client_for(carla, org_a)
    before = len(client.get(MY_DATA).content)
    with organisation_scope(org_a):
        for _ in range(500):
            record(action="read", target=rich.profile, fields=["city"], purpose="coaching",
                   subject=carla.pk)  # fmt: skip

    after = client.get(MY_DATA).content.decode()

    assert abs(len(after.encode()) - before) < 200
    assert "See who viewed, exported or passed on your data" in after
    assert 'href="/audit/my-data/"' in after
