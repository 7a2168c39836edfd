from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "passend.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_record_login, dispatch_uid="passend.accounts.login_audit")


def _record_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from passend.accounts.services import user_logged_in_record

    user_logged_in_record(user=user)
