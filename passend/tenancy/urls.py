from django.urls import path

from passend.tenancy import views

app_name = "tenancy"
urlpatterns = [
    path("switch/", views.switch, name="switch"),
    path("current/", views.organisation_detail, name="organisation"),
    path("current/bank-account/", views.iban_change, name="iban_change"),
    path("current/contacts/", views.contact_create, name="contact_create"),
    path("current/contacts/<uuid:contact_id>/delete/", views.contact_delete, name="contact_delete"),
    path("members/", views.members, name="members"),
    path("members/<uuid:membership_id>/", views.member_edit, name="member_edit"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path(
        "invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("join/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("employers/", views.employers, name="employers"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("employers/<uuid:employer_id>/", views.employer_detail, name="employer_detail"),
    path(
        "employers/<uuid:employer_id>/contacts/",
        views.employer_contact_create,
        name="employer_contact_create",
    ),
]
