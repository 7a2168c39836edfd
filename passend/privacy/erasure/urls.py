from django.urls import path

from passend.privacy.erasure import views

app_name = "erasure"
urlpatterns = [
    path("", views.start, name="start"),
    path("receipt/<str:token>/", views.receipt, name="receipt"),
    path("member/<uuid:membership_id>/", views.member, name="member"),
]
