from django.urls import path

from passend.vacancies import public_apply_views, public_views

app_name = "jobs"

urlpatterns = [
    path("", public_views.job_list, name="list"),
    path("feed.atom", public_views.job_feed, name="feed"),
    # Before the organisation's pages: "confirm" could be an organisation's slug.
    path("confirm/done/", public_apply_views.confirmed, name="confirmed"),
    path("confirm/done/invitation/", public_apply_views.claim, name="claim"),
    path("confirm/<str:token>/", public_apply_views.confirm, name="confirm"),
    path("<slug:slug>/", public_views.job_list, name="organisation"),
    path("<slug:slug>/feed.atom", public_views.job_feed, name="organisation_feed"),
    path("<slug:slug>/<uuid:vacancy_id>/", public_views.job_detail, name="detail"),
    path("<slug:slug>/<uuid:vacancy_id>/apply/", public_apply_views.apply, name="apply"),
    path(
        "<slug:slug>/<uuid:vacancy_id>/apply/sent/",
        public_apply_views.apply_sent,
        name="apply_sent",
    ),
]
