from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "passend.common"
    label = "common"
