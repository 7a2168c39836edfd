"""Accounts in the admin: nothing (P9).

A user account is personal data, so `User` is not registered; platform staff
reach an organisation's people only through a support grant (the Membership
admin). allauth registers admins for e-mail addresses, confirmations and
authenticators; they expose personal data and secrets, so they are removed.
The admin login itself admits platform staff only (`User.is_staff` is
`is_platform_staff`).
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin

LIBRARY_ADMINS_WITH_PERSONAL_DATA = [
    ("account", "EmailAddress"),
    ("account", "EmailConfirmation"),
    ("mfa", "Authenticator"),
]

for app_label, model_name in LIBRARY_ADMINS_WITH_PERSONAL_DATA:
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        continue
    if admin.site.is_registered(model):
        admin.site.unregister(model)
