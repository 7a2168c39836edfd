from django.apps import AppConfig
from django.core import checks


class PrivacyConfig(AppConfig):
    name = "passend.privacy"
    label = "privacy"

    def ready(self) -> None:
        # Every app's declarations are loaded before anything asks the map.
        from passend.privacy.checks import TAG, datamap_check
        from passend.privacy.datamap import autodiscover

        autodiscover()
        checks.register(datamap_check, TAG)
