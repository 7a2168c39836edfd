"""The recipients register and transfer(): the one way out to a third party (J4, P9)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from passend.accounts.models import User
from passend.privacy.audit.models import AuditEvent
from passend.privacy.datamap import (
    NOT_PERSONAL,
    Basis,
    DataMap,
    Erasure,
    Personal,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    default_map,
)
from passend.privacy.recipients import (
    Recipient,
    RecipientKind,
    TransferRefused,
    categories_for,
    check_recipients,
    fields_for,
    get_recipient,
    recipient_errors,
    recipients,
    subject_id,
    transfer,
)
from passend.tenancy.models import Membership, OrganisationContact


def _transfers(**filters):
    return AuditEvent.objects.unscoped().filter(action="transfer", **filters)


def test_it_holds_the_recipients_the_statements_promise():
    keys = [r.key for r in recipients()]
    assert {"bank", "insurer", "group", "hosting", "email"} <= set(keys)
    assert keys == [r.key for r in recipients()]  # stable order
    assert get_recipient("bank").purpose == Purpose.PAYMENTS
    assert get_recipient("bank").kind == RecipientKind.THIRD_PARTY
    assert get_recipient("group").kind == RecipientKind.GROUP
    assert get_recipient("hosting").kind == RecipientKind.PROCESSOR
    for recipient in recipients():
        assert isinstance(recipient, Recipient)
        assert isinstance(recipient.basis, Basis)
        assert recipient.location
        assert str(recipient.name)
        assert str(recipient.description)


def test_it_raises_key_error_for_an_unknown_recipient():
    with pytest.raises(KeyError):
        get_recipient("advertiser")
    with pytest.raises(KeyError):
        categories_for("advertiser")
    with pytest.raises(KeyError):
        fields_for("advertiser")


def test_it_derives_categories_and_fields_from_the_data_map():
    fields = fields_for("email")
    assert (User, "email") in fields
    assert (User, "password") not in fields
    expected = set()
    for declaration in default_map().registry():
        for name, decl in declaration.personal_fields().items():
            if "email" in decl.recipients:
                expected.add(decl.category)
                assert (declaration.model, name) in fields
    assert categories_for("email") == sorted(expected)
    assert "user.contact.email" in categories_for("email")
    assert "user.authorization.credentials" not in categories_for("email")


def test_it_sends_only_the_fields_declared_for_the_recipient(carla):
    declared = {
        name
        for model, name in fields_for("email")
        if model is User and Purpose.ACCOUNT in default_map().personal_fields(User)[name].purposes
    }

    payload = transfer(recipient="email", records=[carla], purpose=Purpose.ACCOUNT)

    assert payload == [{name: getattr(carla, name) for name in declared}]
    assert set(payload[0]) == declared
    assert payload[0]["email"] == carla.email
    for secret in ("password", "last_login", "is_superuser", "preferred_language"):
        assert secret not in payload[0]


def test_it_records_a_transfer_event_per_record(alice, carla, bob):
    transfer(recipient="email", records=[alice, carla], purpose="account", actor=bob)

    events = list(_transfers().order_by("id"))
    assert [e.subject_user_id for e in events] == [alice.pk, carla.pk]
    for event in events:
        assert event.purpose == "account"
        assert event.detail == "to recipient email"
        assert event.actor_user_id == bob.pk
        assert "email" in event.fields
        assert "password" not in event.fields
        assert event.target_model == "accounts.user"


def test_it_records_an_organisations_transfer_in_its_own_trail(org_a, org_b, scope_a, alice):
    contact = OrganisationContact.objects.create(
        organisation=org_a, name="Henk Admin", email="henk@werkpad.test", phone="0612345678"
    )

    payload = transfer(
        recipient="email", records=[contact], purpose=Purpose.ORGANISATION_ADMIN, actor=alice
    )

    assert payload == [{"name": "Henk Admin", "email": "henk@werkpad.test"}]
    event = _transfers().get()
    assert event.organisation_id == org_a.pk
    assert event.target_id == str(contact.pk)
    assert sorted(event.fields) == ["email", "name"]
    assert not _transfers(organisation_id=org_b.pk).exists()


def test_it_names_the_subject_of_a_record_through_its_subject_field(scope_a, carla):
    membership = Membership.objects.get(user=carla)
    assert subject_id(membership) == carla.pk
    assert subject_id(carla) == carla.pk

    payload = transfer(recipient="hosting", records=[membership], purpose=Purpose.ACCOUNT)

    assert _transfers().get().subject_user_id == carla.pk
    # Plain values only: the user leaves as an id, a timestamp as ISO 8601.
    assert payload[0]["user"] == carla.pk
    assert payload[0]["created_at"] == membership.created_at.isoformat()


def test_it_follows_every_kind_of_subject_field(carla, org_a):
    from allauth.account.models import EmailAddress, EmailConfirmation

    address = EmailAddress.objects.get(user=carla)
    confirmation = EmailConfirmation(email_address=address, key="k")
    assert subject_id(address) == carla.pk  # a foreign key to the user
    assert subject_id(confirmation) == carla.pk  # through another declared model
    event = AuditEvent(subject_user_id=carla.pk)
    assert subject_id(event) == carla.pk  # a plain field holding the user's id
    assert subject_id(AuditEvent()) is None
    assert subject_id(org_a) is None  # about no one


def test_it_refuses_a_recipient_that_is_not_in_the_register(carla):
    with pytest.raises(TransferRefused, match="not in the recipients register"):
        transfer(recipient="advertiser", records=[carla], purpose=Purpose.ACCOUNT)
    assert not _transfers().exists()


def test_it_refuses_a_record_that_declares_nothing_for_the_recipient(carla):
    # The account declares no field for the bank: nothing of it may go there.
    with pytest.raises(TransferRefused, match="declares no field for recipient 'bank'"):
        transfer(recipient="bank", records=[carla], purpose=Purpose.PAYMENTS)
    assert not _transfers().exists()


def test_it_refuses_a_purpose_the_recipient_does_not_serve(carla):
    with pytest.raises(TransferRefused, match="does not receive data for purpose"):
        transfer(recipient="bank", records=[carla], purpose=Purpose.NEWSLETTER)
    with pytest.raises(TransferRefused, match="not a purpose"):
        transfer(recipient="email", records=[carla], purpose="selling")
    assert not _transfers().exists()


def test_it_refuses_a_field_declared_for_the_recipient_but_not_for_the_purpose(carla):
    # E-mail delivery serves newsletters, but the account's e-mail address is
    # not declared for the newsletter: it may not leave for that purpose.
    assert Purpose.NEWSLETTER in get_recipient("email").purposes
    with pytest.raises(TransferRefused, match="purpose 'newsletter'"):
        transfer(recipient="email", records=[carla], purpose=Purpose.NEWSLETTER)


def test_it_refuses_the_whole_transfer_when_one_record_is_refused(carla, org_a):
    with pytest.raises(TransferRefused):
        transfer(recipient="email", records=[carla, org_a], purpose=Purpose.ACCOUNT)
    assert not _transfers().exists()


def test_it_refuses_a_model_the_data_map_does_not_declare(carla, monkeypatch):
    # Every installed model is declared (the system check sees to it), so ask
    # an empty map: what the map does not know about never leaves.
    monkeypatch.setattr("passend.privacy.recipients.declaration_for", DataMap().declaration_for)
    with pytest.raises(TransferRefused, match="is not declared in the data map"):
        transfer(recipient="email", records=[carla], purpose=Purpose.ACCOUNT)
    assert not _transfers().exists()


def _personal(purposes, recipients):
    return Personal(
        subject=Subject.USER,
        category="user.name",
        purposes=purposes,
        basis=Basis.CONTRACT,
        retention=Retention(
            trigger=Trigger.CREATED, period=timedelta(days=1), action=RetentionAction.DELETE
        ),
        recipients=recipients,
        erasure=Erasure.DELETE,
    )


def test_it_checks_that_the_map_names_only_registered_recipients():
    datamap = DataMap()
    datamap.declare(
        Membership,
        fields={
            "id": NOT_PERSONAL,
            "role": _personal([Purpose.MEDIATION], ["advertiser"]),
            "is_active": _personal([Purpose.NEWSLETTER], ["bank"]),
            "user": _personal([Purpose.PAYMENTS], ["bank"]),
        },
    )

    errors = recipient_errors(datamap)

    assert [e.id for e in errors] == ["privacy.E030", "privacy.E031"]
    assert "'advertiser'" in errors[0].msg
    assert "tenancy.Membership.is_active" in errors[1].msg


def test_it_finds_the_projects_map_consistent_with_the_register():
    assert check_recipients() == []
