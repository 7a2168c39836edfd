from django.contrib import admin
from django.urls import include, path

from passend.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("account/", include("passend.accounts.urls")),
    path("organisations/", include("passend.tenancy.urls")),
    path("privacy/", include("passend.privacy.urls")),
    path("platform-admin/", admin.site.urls),
    path("", include("passend.web.urls")),
]
