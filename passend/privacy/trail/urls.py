from django.urls import path

from passend.privacy.trail import views

app_name = "audit"
urlpatterns = [
    path("", views.trail, name="trail"),
    path("my-data/", views.my_data, name="my_data"),
]
