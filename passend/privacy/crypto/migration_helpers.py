"""A migration operation that encrypts the existing values of a column made encrypted.

    operations = [
        migrations.AlterField(...EncryptedCharField...),
        encrypt_existing_values("tenancy", "Organisation", "iban"),
    ]

Forwards, every plaintext value is encrypted for its row's organisation;
backwards, decrypted again. Values that already are ciphertext are left alone,
so it is safe to run on a partly converted table. It uses the live key
tables (crypto.DataKey), so the migration must depend on crypto's.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.models.functions import Cast

from passend.privacy.crypto.envelope import decrypt_text, encrypt_text, is_token
from passend.privacy.crypto.fields import SELF, Ciphertext


def _rows(model: Any, field: Any, alias: str) -> list[tuple[Any, str | None, Any]]:
    if field.organisation_field is None:
        owner: Any = models.Value(None, output_field=models.UUIDField())
    elif field.organisation_field == SELF:
        owner = models.F("pk")
    else:
        owner = models.F(model._meta.get_field(field.organisation_field).attname)
    return list(
        model._base_manager.using(alias)
        .annotate(crypto_raw=Cast(models.F(field.attname), models.TextField()), crypto_owner=owner)
        .values_list("pk", "crypto_raw", "crypto_owner")
    )


def encrypt_existing_values(app_label: str, model_name: str, field_name: str) -> Any:
    def forwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
        alias = schema_editor.connection.alias
        for pk, raw, owner in _rows(model, field, alias):
            if not raw or is_token(raw):
                continue
            token = encrypt_text(raw, organisation=owner, context=field.context)
            model._base_manager.using(alias).filter(pk=pk).update(
                **{field.attname: Ciphertext(token)}
            )

    def backwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
        alias = schema_editor.connection.alias
        for pk, raw, _owner in _rows(model, field, alias):
            if not raw or not is_token(raw):
                continue
            plaintext = decrypt_text(raw, context=field.context).plaintext
            model._base_manager.using(alias).filter(pk=pk).update(
                **{field.attname: models.Value(plaintext, output_field=models.TextField())}
            )

    return migrations.RunPython(forwards, backwards, elidable=False)
