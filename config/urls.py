from django.contrib import admin
from django.urls import include, path

from passend.accounts import views as accounts_views
from passend.api.api import api

urlpatterns = [
    # The header's language switch also saves the choice on the account.
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("account/tokens/", include("passend.api.urls")),
    path("account/delete/", include("passend.privacy.erasure.urls")),
    path("account/", include("passend.accounts.urls")),
    path("organisations/", include("passend.tenancy.urls")),
    path("taxonomy/", include("passend.taxonomy.urls")),
    path("candidates/", include("passend.candidates.urls")),
    path("documents/", include("passend.documents.urls")),
    path("coaching/", include("passend.coaching.urls")),
    path("privacy/", include("passend.privacy.statement.urls")),
    path("support-access/", include("passend.privacy.support.urls")),
    path("audit/", include("passend.privacy.audit.urls")),
    path("my-data/", include("passend.privacy.rights.urls")),
    path("requests/", include("passend.privacy.requests.urls")),
    path("my-choices/", include("passend.privacy.restriction.urls")),
    path("platform-admin/", admin.site.urls),
    path("", include("passend.web.urls")),
]
