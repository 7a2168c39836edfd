"""Data map of the encryption-at-rest app (see docs/crypto.md).

A DataKey holds no personal data: it is a random 256-bit key, stored only
wrapped by a master key, with an opaque id, the organisation it belongs to
(an organisation is a company, not a person), the id of the wrapping master
key, and timestamps of the key's own life. None of it describes or
identifies a person; the personal data it protects is declared where it is
stored, on the encrypted fields of the models that hold it. Deleting a key
is crypto-shredding, so it is never an erasure target in its own right.
"""

from __future__ import annotations

from passend.privacy.crypto.models import DataKey
from passend.privacy.datamap import NOT_PERSONAL, declare

declare(
    DataKey,
    fields={
        "id": NOT_PERSONAL,
        "key_id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "wrapped_key": NOT_PERSONAL,
        "master_key_id": NOT_PERSONAL,
        "is_primary": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "retired_at": NOT_PERSONAL,
    },
)
