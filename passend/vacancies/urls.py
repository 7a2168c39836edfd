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
    path("<uuid:vacancy_id>/applications/", views.pipeline, name="pipeline"),
    path(
        "applications/<uuid:application_id>/move/",
        views.application_move,
        name="application_move",
    ),
    # The candidate's side.
    path("open/", views.open_list, name="open_list"),
    path("open/<uuid:vacancy_id>/", views.open_detail, name="open_detail"),
    path("applications/", views.my_applications, name="my_applications"),
    path(
        "applications/<uuid:application_id>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
]
