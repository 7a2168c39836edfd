from django.urls import path

from passend.privacy.statement import views

app_name = "statement"
urlpatterns = [
    path("", views.statement, name="statement"),
    path("versions/", views.versions, name="versions"),
    path("versions/<str:number>/", views.version_detail, name="version"),
    path("changes/", views.changes, name="changes"),
    path("acknowledge/", views.acknowledge, name="acknowledge"),
    path("register/", views.register_controller, name="register"),
    path("register/processor/", views.register_processor, name="register_processor"),
]
