"""Data-map declarations for the models of installed libraries.

Erasure and export must reach personal data wherever it is stored, including
tables that Django and allauth own. Framework tables without personal data
are declared not personal as a whole.
"""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps

from passend.privacy.datamap import (
    NOT_PERSONAL,
    Basis,
    Erasure,
    Personal,
    Protection,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    declare,
    declare_not_personal,
)

ACCOUNT_RETENTION = Retention(
    trigger=Trigger.ACCOUNT_CLOSED, period=timedelta(days=30), action=RetentionAction.DELETE
)
EXPIRED_DELETE = Retention(
    trigger=Trigger.EXPIRED, period=timedelta(0), action=RetentionAction.DELETE
)
ADMIN_LOG_RETENTION = Retention(
    trigger=Trigger.CREATED, period=timedelta(days=365), action=RetentionAction.DELETE
)


def _account(
    category: str,
    *,
    purposes: tuple[Purpose, ...] = (Purpose.ACCOUNT,),
    sensitive: bool = False,
    protection: Protection | None = None,
    recipients: tuple[str, ...] = ("hosting",),
    retention: Retention = ACCOUNT_RETENTION,
    basis: Basis = Basis.CONTRACT,
) -> Personal:
    return Personal(
        subject=Subject.USER,
        category=category,
        purposes=purposes,
        basis=basis,
        sensitive=sensitive,
        protection=protection,
        retention=retention,
        recipients=recipients,
        erasure=Erasure.DELETE,
    )


# --- django.contrib: framework tables without personal data -----------------

if apps.is_installed("django.contrib.contenttypes"):
    from django.contrib.contenttypes.models import ContentType

    declare_not_personal(ContentType, reason="The list of installed models.")

if apps.is_installed("django.contrib.auth"):
    from django.contrib.auth.models import Group, Permission

    declare_not_personal(Permission, reason="The permissions each model defines.")
    declare_not_personal(
        Group,
        reason="Named sets of permissions; who belongs to a group is declared on the user.",
    )

# --- django.contrib.sessions: who is signed in --------------------------------

if apps.is_installed("django.contrib.sessions"):
    from django.contrib.sessions.models import Session

    declare(
        Session,
        fields={
            # The session key is a bearer secret: whoever holds it is signed in.
            # Django looks sessions up by it, so it is stored as it is: a
            # random key that expires and says nothing about the person.
            "session_key": _account(
                "user.authorization.credentials",
                purposes=(Purpose.ACCOUNT, Purpose.SECURITY),
                sensitive=True,
                protection=Protection.RANDOM_SECRET,
                retention=EXPIRED_DELETE,
            ),
            # Holds the signed-in user's id, the chosen organisation and flash messages.
            "session_data": _account(
                "system.authentication",
                purposes=(Purpose.ACCOUNT, Purpose.SECURITY),
                retention=EXPIRED_DELETE,
            ),
            "expire_date": _account(
                "passend.record_metadata",
                purposes=(Purpose.ACCOUNT, Purpose.SECURITY),
                retention=EXPIRED_DELETE,
            ),
        },
    )

# --- django.contrib.admin: what platform staff changed --------------------------

if apps.is_installed("django.contrib.admin"):
    from django.contrib.admin.models import LogEntry

    def _admin_log(category: str) -> Personal:
        return _account(
            category,
            purposes=(Purpose.SECURITY,),
            basis=Basis.LEGITIMATE_INTERESTS,
            retention=ADMIN_LOG_RETENTION,
        )

    declare(
        LogEntry,
        subject_field="user",
        fields={
            "id": NOT_PERSONAL,
            "action_time": _admin_log("passend.record_metadata"),
            "user": _admin_log("user.unique_id"),
            "content_type": NOT_PERSONAL,
            # The changed object's id and str() may identify another person.
            "object_id": _admin_log("user.unique_id.pseudonymous"),
            "object_repr": _admin_log("user.name"),
            "action_flag": NOT_PERSONAL,
            "change_message": _admin_log("system.operations"),
        },
    )

# --- allauth: e-mail addresses, confirmations and authenticators ---------------

if apps.is_installed("allauth.account"):
    from allauth.account import models as account_models

    declare(
        account_models.EmailAddress,
        subject_field="user",
        fields={
            "id": NOT_PERSONAL,
            "user": _account("user.unique_id"),
            "email": _account(
                "user.contact.email",
                purposes=(Purpose.ACCOUNT, Purpose.SUPPORT, Purpose.SECURITY),
                recipients=("email", "hosting"),
            ),
            "verified": _account("user.account", purposes=(Purpose.ACCOUNT, Purpose.SECURITY)),
            "primary": _account("user.account.settings"),
        },
    )

    # Only used when allauth sends stored (not HMAC) confirmation keys.
    email_confirmation = getattr(account_models, "EmailConfirmation", None)
    if email_confirmation is not None and not email_confirmation._meta.abstract:
        declare(
            email_confirmation,
            subject_field="email_address",
            fields={
                "id": NOT_PERSONAL,
                "email_address": _account("user.contact.email", retention=EXPIRED_DELETE),
                "created": _account("passend.record_metadata", retention=EXPIRED_DELETE),
                "sent": _account("passend.record_metadata", retention=EXPIRED_DELETE),
                # A random key allauth looks the confirmation up by; it expires.
                "key": _account(
                    "user.authorization.credentials",
                    purposes=(Purpose.ACCOUNT, Purpose.SECURITY),
                    sensitive=True,
                    protection=Protection.RANDOM_SECRET,
                    retention=EXPIRED_DELETE,
                ),
            },
        )

if apps.is_installed("allauth.mfa"):
    from allauth.mfa.models import Authenticator

    declare(
        Authenticator,
        subject_field="user",
        fields={
            "id": NOT_PERSONAL,
            "user": _account("user.unique_id", purposes=(Purpose.SECURITY,)),
            "type": _account("user.account.settings", purposes=(Purpose.SECURITY,)),
            # The TOTP secret and the recovery-code seed, encrypted with the
            # platform key by our MFA adapter (passend/privacy/crypto/mfa.py).
            "data": _account(
                "user.authorization.credentials",
                purposes=(Purpose.SECURITY,),
                sensitive=True,
                protection=Protection.ENCRYPTED_BY_LIBRARY,
            ),
            "created_at": _account("passend.record_metadata", purposes=(Purpose.SECURITY,)),
            "last_used_at": _account(
                "user.behavior",
                purposes=(Purpose.SECURITY,),
                basis=Basis.LEGITIMATE_INTERESTS,
            ),
        },
    )
