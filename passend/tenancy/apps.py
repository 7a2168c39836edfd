from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "passend.tenancy"
    label = "tenancy"
