from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "passend.coaching"
    label = "coaching"
