from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "passend.documents"
    label = "documents"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from passend.documents import scanning  # noqa: F401 - registers its deploy check
        from passend.documents.models import Document
        from passend.documents.storage import remove_file_on_commit

        # Storage housekeeping, not business logic: whichever way a row goes
        # (a service, a cascade from the profile or the organisation), its
        # file goes once the deletion is committed, never before.
        post_delete.connect(remove_file_on_commit, sender=Document, dispatch_uid="document_file")
