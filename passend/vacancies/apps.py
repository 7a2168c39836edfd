from django.apps import AppConfig


class VacanciesConfig(AppConfig):
    name = "passend.vacancies"
    label = "vacancies"
