from django.apps import AppConfig
from django.core import checks


class SupportConfig(AppConfig):
    name = "passend.privacy.support"
    label = "support"

    def ready(self) -> None:
        # The recipients register guards the data map's recipient keys.
        from passend.privacy.recipients import check_recipients

        checks.register(check_recipients, "privacy")
