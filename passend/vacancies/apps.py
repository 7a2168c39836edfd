from typing import Any

from django.apps import AppConfig


class VacanciesConfig(AppConfig):
    name = "passend.vacancies"
    label = "vacancies"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from passend.documents.storage import remove_file_on_commit
        from passend.tenancy.models import Employer, Organisation
        from passend.vacancies.models import PublicApplication

        # Cache housekeeping, not business logic: the public job pages keep
        # their rows until something they show changes. An organisation that
        # stops (or starts) publishing, or an employer's new name, is such a
        # change too.
        post_save.connect(_public_pages_changed, sender=Organisation, dispatch_uid="jobs_org")
        post_save.connect(_public_pages_changed, sender=Employer, dispatch_uid="jobs_employer")
        # A CV waiting for confirmation goes with its row, once committed.
        post_delete.connect(
            remove_file_on_commit, sender=PublicApplication, dispatch_uid="public_application_cv"
        )


def _public_pages_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from django.db import transaction

    from passend.tenancy.models import Organisation
    from passend.vacancies.public import forget_counts

    if kwargs.get("raw"):
        return
    organisation_id = (
        instance.pk if isinstance(instance, Organisation) else instance.organisation_id
    )
    transaction.on_commit(lambda: forget_counts(organisation_id))
