from django.urls import path

from passend.cvimport import views

app_name = "cvimport"
urlpatterns = [
    path("candidates/<uuid:candidate_id>/", views.upload, name="upload"),
    path("<uuid:import_id>/", views.review, name="review"),
    path("<uuid:import_id>/<slug:part>/confirm/", views.confirm, name="confirm"),
    path("<uuid:import_id>/delete/", views.delete, name="delete"),
]
