from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "passend.privacy.consent"
    label = "consent"
