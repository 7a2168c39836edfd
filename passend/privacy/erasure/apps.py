from django.apps import AppConfig


class ErasureConfig(AppConfig):
    name = "passend.privacy.erasure"
    label = "erasure"
