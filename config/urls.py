from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path

from passend.accounts import views as accounts_views
from passend.api.api import api

handler400 = "passend.web.errors.bad_request"


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """The admin's "view on site" redirect; an id that is no id of the model is 404, not 500."""
    try:
        return shortcut(request, content_type_id, object_id)
    except (ValidationError, OverflowError):
        raise Http404 from None


# Django's own route comes later in the same namespace, so this one answers.
admin_urls: Any = (
    [
        path(
            "r/<int:content_type_id>/<path:object_id>/",
            admin.site.admin_view(view_on_site),
            name="view_on_site",
        ),
        *admin.site.get_urls(),
    ],
    "admin",
    admin.site.name,
)

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
    path("vacancies/", include("passend.vacancies.urls")),
    path("matching/", include("passend.matching.urls")),
    path("jobs/", include("passend.vacancies.public_urls")),
    path("notifications/", include("passend.notifications.urls")),
    path("privacy/", include("passend.privacy.statement.urls")),
    path("support-access/", include("passend.privacy.support.urls")),
    path("audit/", include("passend.privacy.trail.urls")),
    path("my-data/", include("passend.privacy.rights.urls")),
    path("requests/", include("passend.privacy.requests.urls")),
    path("my-choices/", include("passend.privacy.restriction.urls")),
    path("platform-admin/", admin_urls),
    path("cv-import/", include("passend.cvimport.urls")),
    path("", include("passend.web.urls")),
]
