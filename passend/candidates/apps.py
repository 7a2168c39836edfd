from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "passend.candidates"
    label = "candidates"
