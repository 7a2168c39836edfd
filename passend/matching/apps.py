from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "passend.matching"
    label = "matching"
