from django.urls import path

from passend.privacy.restriction import views

app_name = "restriction"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("object/", views.objection, name="objection"),
    path("restrict/", views.restrict, name="restrict"),
    path("restrictions/", views.admin_list, name="admin_list"),
    path("restrictions/new/", views.admin_restrict, name="admin_restrict"),
    path("restrictions/<uuid:restriction_id>/lift/", views.lift, name="lift"),
]
