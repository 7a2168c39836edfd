from django.urls import path

from passend.candidates import views

app_name = "candidates"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("", views.candidate_list, name="list"),
    path("start/<uuid:membership_id>/", views.start, name="start"),
    path("shared/", views.shared, name="shared"),
    path("schemes/", views.schemes, name="schemes"),
    path("schemes/<uuid:scheme_id>/toggle/", views.scheme_toggle, name="scheme_toggle"),
    path("contact-profile/", views.contact_profile, name="contact_profile"),
    path("shares/<uuid:share_id>/revoke/", views.share_revoke, name="share_revoke"),
    path("<uuid:candidate_id>/", views.detail, name="detail"),
    path("<uuid:candidate_id>/edit/", views.edit, name="edit"),
    path("<uuid:candidate_id>/share/", views.share, name="share"),
    path("<uuid:candidate_id>/<slug:kind>/", views.section_list, name="section_list"),
    path("<uuid:candidate_id>/<slug:kind>/add/", views.section_add, name="section_add"),
    path(
        "<uuid:candidate_id>/<slug:kind>/<uuid:entry_id>/edit/",
        views.section_edit,
        name="section_edit",
    ),
    path(
        "<uuid:candidate_id>/<slug:kind>/<uuid:entry_id>/delete/",
        views.section_delete,
        name="section_delete",
    ),
]
