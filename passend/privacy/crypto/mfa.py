"""allauth's MFA adapter with its encryption hooks filled in.

allauth stores the TOTP secret and the recovery-code seed in
`mfa.Authenticator.data` and passes each through `adapter.encrypt()` on the
way in and `adapter.decrypt()` on the way out. We encrypt them with the
platform key (an account, and so its second factor, belongs to no single
organisation). A value stored before this adapter was set is plaintext;
`decrypt()` still reads it, and migration crypto 0002 encrypts it.

Settings: `MFA_ADAPTER = "passend.privacy.crypto.mfa.EncryptingMFAAdapter"`.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter

from passend.privacy.crypto.envelope import decrypt_text, encrypt_text, is_token

CONTEXT = "mfa.authenticator.data"
# The keys of Authenticator.data that allauth passes through encrypt().
SECRET_KEYS = ("secret", "seed")


def encrypt_secret(text: str) -> str:
    return encrypt_text(text, organisation=None, context=CONTEXT)


def decrypt_secret(stored: str) -> str:
    if not is_token(stored):
        return stored  # stored before secrets were encrypted
    return decrypt_text(stored, context=CONTEXT).plaintext


def encrypted_data(data: Any) -> Any:
    """Authenticator.data with its plaintext secrets encrypted (for the migration)."""
    if not isinstance(data, dict):
        return data
    result = dict(data)
    for key in SECRET_KEYS:
        value = result.get(key)
        if isinstance(value, str) and value and not is_token(value):
            result[key] = encrypt_secret(value)
    codes = result.get("migrated_codes")
    if isinstance(codes, list):
        result["migrated_codes"] = [
            encrypt_secret(c) if isinstance(c, str) and not is_token(c) else c for c in codes
        ]
    return result


class EncryptingMFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_secret(encrypted_text)
