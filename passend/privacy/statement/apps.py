from django.apps import AppConfig


class StatementConfig(AppConfig):
    name = "passend.privacy.statement"
    label = "statement"

    def ready(self) -> None:
        from passend.privacy.statement import checks  # noqa: F401  (registers the check)
