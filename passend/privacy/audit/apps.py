from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "passend.privacy.audit"
    label = "audit"
