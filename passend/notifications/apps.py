from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "passend.notifications"
    label = "notifications"
