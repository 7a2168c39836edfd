"""Accounts in the admin: nothing (P9).

A user account is personal data, so `User` is not registered; platform staff
reach an organisation's people only through a support grant (the Membership
admin). allauth registers admins for e-mail addresses, confirmations and
authenticators; they expose personal data and secrets, so they are removed.
The admin admits platform staff only (`User.is_staff` is `is_platform_staff`),
and it has no login form of its own: `/platform-admin/login/` sends people to
the site's login, so staff sign in through allauth with its rate limits and
its two-factor step (a signed-in person who is not staff gets 403 there).
`RequireTwoFactorMiddleware` keeps staff without a passed two-factor check out.
"""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
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

admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
