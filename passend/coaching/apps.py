from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "passend.coaching"
    label = "coaching"

    def ready(self) -> None:
        # The `.ics` of an appointment rides along with its notification e-mail.
        from passend.coaching.notices import register

        register()
