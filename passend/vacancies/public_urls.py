from django.urls import path

from passend.vacancies import public_views

app_name = "jobs"

urlpatterns = [
    path("", public_views.job_list, name="list"),
    path("feed.atom", public_views.job_feed, name="feed"),
    path("<slug:slug>/", public_views.job_list, name="organisation"),
    path("<slug:slug>/feed.atom", public_views.job_feed, name="organisation_feed"),
    path("<slug:slug>/<uuid:vacancy_id>/", public_views.job_detail, name="detail"),
]
