from django.urls import path

from passend.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("candidates/<uuid:candidate_id>/", views.candidate, name="candidate"),
    path("<uuid:document_id>/download/", views.download, name="download"),
    path("<uuid:document_id>/delete/", views.delete, name="delete"),
    path("<uuid:document_id>/id-copy/", views.id_copy, name="id_copy"),
]
