from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "passend.documents"
    label = "documents"
