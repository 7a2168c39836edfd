from django.apps import AppConfig
from django.core import checks


class ApiConfig(AppConfig):
    name = "passend.api"
    label = "api"

    def ready(self) -> None:
        from passend.api.checks import check_api_middleware

        checks.register(check_api_middleware)
