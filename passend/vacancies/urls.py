from django.urls import path

from passend.vacancies import pipeline_views, views

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
    # The pipeline (pipeline_views.py).
    path("<uuid:vacancy_id>/applications/", pipeline_views.pipeline, name="pipeline"),
    path("<uuid:vacancy_id>/applications/move/", pipeline_views.bulk_move, name="bulk_move"),
    path("<uuid:vacancy_id>/propose/", pipeline_views.propose, name="propose"),
    path(
        "applications/<uuid:application_id>/",
        pipeline_views.application_detail,
        name="application_detail",
    ),
    path(
        "applications/<uuid:application_id>/move/",
        pipeline_views.application_move,
        name="application_move",
    ),
    path(
        "applications/<uuid:application_id>/documents/<uuid:document_id>/",
        pipeline_views.application_document,
        name="application_document",
    ),
    path(
        "applications/<uuid:application_id>/notes/",
        pipeline_views.note_add,
        name="note_add",
    ),
    path(
        "applications/<uuid:application_id>/interview/",
        pipeline_views.interview_schedule,
        name="interview",
    ),
    path(
        "applications/<uuid:application_id>/employment-end/",
        pipeline_views.employment_end,
        name="employment_end",
    ),
    path("stages/", pipeline_views.stages, name="stages"),
    path("stages/<str:stage_key>/", pipeline_views.stage_change, name="stage_change"),
    path("stages/<str:stage_key>/remove/", pipeline_views.stage_remove, name="stage_remove"),
    # The candidate's side.
    path("open/", views.open_list, name="open_list"),
    path("open/<uuid:vacancy_id>/", views.open_detail, name="open_detail"),
    path("applications/", views.my_applications, name="my_applications"),
    path(
        "applications/<uuid:application_id>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path("proposals/<uuid:proposal_id>/", pipeline_views.proposal_answer, name="proposal"),
    # The question after a rejection, answered through a signed link (no sign-in).
    path("keep/<str:token>/", pipeline_views.keep_answer, name="keep"),
]
