from django.urls import path

from passend.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("email/remove/", views.email_remove, name="email_remove"),
]
