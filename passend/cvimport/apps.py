from django.apps import AppConfig


class CvImportConfig(AppConfig):
    name = "passend.cvimport"
    label = "cvimport"
