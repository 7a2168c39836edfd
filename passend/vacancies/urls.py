from django.urls import path

from passend.vacancies import views

app_name = "vacancies"

urlpatterns = [
    path("", views.vacancy_list, name="list"),
    path("new/", views.vacancy_create, name="create"),
    path("<uuid:vacancy_id>/", views.vacancy_detail, name="detail"),
    path("<uuid:vacancy_id>/edit/", views.vacancy_edit, name="edit"),
    path("<uuid:vacancy_id>/publish/", views.vacancy_publish, name="publish"),
    path("<uuid:vacancy_id>/close/", views.vacancy_close, name="close"),
    path("<uuid:vacancy_id>/duplicate/", views.vacancy_duplicate, name="duplicate"),
    path("<uuid:vacancy_id>/skills/", views.skill_add, name="skill_add"),
    path(
        "<uuid:vacancy_id>/skills/<uuid:link_id>/remove/",
        views.skill_remove,
        name="skill_remove",
    ),
]
