from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "passend.privacy.requests"
    label = "dsr"
