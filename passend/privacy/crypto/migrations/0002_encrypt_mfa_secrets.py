# Written by hand: encrypts the TOTP secrets and recovery-code seeds that
# allauth stored in the clear before MFA_ADAPTER encrypted them
# (passend/privacy/crypto/mfa.py). Backwards it leaves them encrypted: the
# adapter reads both forms.

from django.db import migrations

from passend.privacy.crypto.mfa import encrypted_data


def encrypt_mfa_secrets(apps, schema_editor):
    Authenticator = apps.get_model('mfa', 'Authenticator')
    alias = schema_editor.connection.alias
    for authenticator in Authenticator._base_manager.using(alias).only('pk', 'data'):
        data = encrypted_data(authenticator.data)
        if data != authenticator.data:
            Authenticator._base_manager.using(alias).filter(pk=authenticator.pk).update(data=data)


class Migration(migrations.Migration):

    dependencies = [
        ('crypto', '0001_initial'),
        ('mfa', '0003_authenticator_type_uniq'),
    ]

    operations = [
        migrations.RunPython(encrypt_mfa_secrets, migrations.RunPython.noop, elidable=False),
    ]
