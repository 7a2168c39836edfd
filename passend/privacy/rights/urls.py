from django.urls import path

from passend.privacy.rights import views

app_name = "rights"
urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("export/", views.export, name="export"),
    path("export/<uuid:job_id>/link/", views.export_link, name="export_link"),
    path("export/download/<str:token>/", views.download, name="download"),
    # One kind of data (a data-map category) of one organisation, or of "account".
    path("<str:group>/<str:kind>/", views.kind, name="kind"),
]
