from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "passend.matching"
    label = "matching"

    def ready(self) -> None:
        from django.core import checks

        from passend.matching import signals
        from passend.matching.checks import check_features

        checks.register(check_features)
        signals.connect()
