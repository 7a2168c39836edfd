from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "passend.tenancy"
    label = "tenancy"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_save

        from passend.tenancy.signals import user_saved

        post_save.connect(
            user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="passend.tenancy.sort_name"
        )
