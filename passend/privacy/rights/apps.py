from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "passend.privacy.rights"
    label = "rights"
