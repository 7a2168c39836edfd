from django.urls import path

app_name = "tenancy"
urlpatterns: list = []
