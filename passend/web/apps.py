from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "passend.web"
    label = "web"
