from django.apps import AppConfig


class RestrictionConfig(AppConfig):
    name = "passend.privacy.restriction"
    label = "restriction"
