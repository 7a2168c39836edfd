from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "passend.accounts"
    label = "accounts"
