from django.apps import AppConfig


class StatementConfig(AppConfig):
    name = "passend.privacy.statement"
    label = "statement"
