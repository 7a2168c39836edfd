from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "passend.privacy"
    label = "privacy"
