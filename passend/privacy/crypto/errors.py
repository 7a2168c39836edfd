"""What can go wrong with encryption at rest. Every failure raises; none returns data.

Messages name the model, field or key id involved but never a plaintext or
key material, so they are safe in logs and error reports.
"""

from __future__ import annotations


class CryptoError(Exception):
    """Base class for encryption-at-rest failures."""


class DecryptionError(CryptoError):
    """A stored value could not be decrypted: tampered, garbled, misplaced or not ciphertext."""


class UnknownKeyError(DecryptionError):
    """The ciphertext names a data key that does not exist (destroyed, or never existed)."""


class MasterKeyError(CryptoError):
    """A data key is wrapped by a master key that is not configured, or by a different one."""


class PlaintextWriteError(CryptoError):
    """Something tried to write a value to an encrypted column without encrypting it."""
