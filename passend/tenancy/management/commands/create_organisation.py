"""Create an organisation (a tenant) and invite its first admin.

Platform staff cannot create organisations in the admin (they see no tenant
data without a support grant); an operator runs this instead:

    manage.py create_organisation "Werkpad Re-integratie" --slug werkpad \\
        --kind reintegration --admin beheer@werkpad.example

The admin receives an invitation link by e-mail; everything else (members,
details, bank account) the organisation's admin does on its own pages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from passend.common.scope import organisation_scope
from passend.tenancy.models import OrganisationKind, Role
from passend.tenancy.services import invitation_create, organisation_create


class Command(BaseCommand):
    help = "Create an organisation and invite its first admin by e-mail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The organisation's name, as people know it.")
        parser.add_argument("--slug", required=True, help="Short name in its URLs.")
        parser.add_argument(
            "--kind", required=True, choices=OrganisationKind.values, help="What it does."
        )
        parser.add_argument("--admin", required=True, help="E-mail address of its first admin.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                organisation = organisation_create(
                    name=options["name"], slug=options["slug"], kind=options["kind"]
                )
                with organisation_scope(organisation):
                    invitation_create(invited_by=None, email=options["admin"], role=Role.ADMIN)
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise CommandError(problems) from error
        self.stdout.write(
            f"Created {organisation.name} ({organisation.slug}); "
            f"an invitation went to its first admin."
        )
