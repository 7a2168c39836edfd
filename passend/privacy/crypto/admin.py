"""Data keys in the admin: metadata only, read-only. The wrapped key never shows."""

from __future__ import annotations

from django.contrib import admin

from passend.privacy.crypto.models import DataKey
from passend.privacy.support.admin_base import NonPersonalAdmin


@admin.register(DataKey)
class DataKeyAdmin(NonPersonalAdmin):
    readonly = True
    hidden_fields = ("wrapped_key",)
    list_display = ("key_id", "organisation", "master_key_id", "is_primary", "created_at",
                    "retired_at")  # fmt: skip
    list_filter = ("is_primary",)
