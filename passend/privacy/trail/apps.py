from django.apps import AppConfig


class TrailConfig(AppConfig):
    """Reading the audit trail: the organisation's trail for its admins, a person's
    "who looked at my data", and `verify_audit`. Recording it is `privacy.audit`,
    which sits below tenancy and accounts so that every app can record; reading it
    needs organisations, memberships and roles, so it sits above them."""

    name = "passend.privacy.trail"
    label = "trail"
