from django.urls import path

from passend.privacy.support import views

app_name = "support"
urlpatterns = [
    path("", views.index, name="index"),
    path("request/", views.request_access, name="request"),
    path("mine/", views.mine, name="mine"),
    path("<uuid:grant_id>/approve/", views.approve, name="approve"),
    path("<uuid:grant_id>/refuse/", views.refuse, name="refuse"),
    path("<uuid:grant_id>/revoke/", views.revoke, name="revoke"),
    path("<uuid:grant_id>/members/", views.members, name="members"),
]
