from django.urls import path

from passend.matching import views

app_name = "matching"

urlpatterns = [
    path("for-you/", views.for_me, name="for_me"),
    path("for-you/wishes/", views.preferences, name="preferences"),
    path("vacancies/<uuid:vacancy_id>/", views.candidates_for_vacancy, name="candidates"),
    path("candidates/<uuid:candidate_id>/", views.vacancies_for_candidate, name="vacancies"),
]
