from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "passend.taxonomy"
    label = "taxonomy"
