"""Encrypted files: the same envelope as fields, for personal documents.

- `encrypt_bytes` / `decrypt_bytes`: whole-file AES-GCM under the primary
  data key of an organisation, bound to a context (what the file is).
- `AtomicFileSystemStorage`: writes to a temporary name in the target
  directory, fsyncs, and links into place only when complete; on any error
  the temporary file is removed. A crash never leaves half a file under the
  real name.
- `EncryptedFileField`: a FileField that encrypts on save with the row's
  organisation and offers `read_decrypted()`. The stored file is ciphertext,
  so serving it straight from MEDIA_URL discloses nothing; views read it
  with `read_decrypted()` after their access check. `rotate_keys`
  re-encrypts these files as it does encrypted columns.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.fields.files import FieldFile

from passend.privacy.crypto.envelope import (
    MAX_FILE_BYTES,
    decrypt_bytes,
    encrypt_bytes,
    file_key_id,
)
from passend.privacy.crypto.fields import owner_id_from

__all__ = [
    "MAX_FILE_BYTES",
    "AtomicFileSystemStorage",
    "EncryptedFieldFile",
    "EncryptedFileField",
    "decrypt_bytes",
    "encrypt_bytes",
    "file_key_id",
]


class AtomicFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that never exposes a partly written file under its final name."""

    def _save(self, name: str, content: File) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        if self.directory_permissions_mode is not None:
            old_umask = os.umask(0o777 & ~self.directory_permissions_mode)
            try:
                os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
            finally:
                os.umask(old_umask)
        else:
            os.makedirs(directory, exist_ok=True)
        fd, temp_path = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():
                    handle.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                handle.flush()
                os.fsync(handle.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temp_path, self.file_permissions_mode)
            while True:
                try:
                    # link() fails instead of replacing a file another writer
                    # put there after get_available_name() chose the name.
                    os.link(temp_path, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
            os.unlink(temp_path)
            _fsync_directory(directory)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_path)
            raise
        return str(name).replace("\\", "/")


def _fsync_directory(directory: str) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class EncryptedFieldFile(FieldFile):
    field: EncryptedFileField

    def save(self, name: str, content: Any, save: bool = True) -> None:
        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(
            chunk if isinstance(chunk, bytes) else chunk.encode()
            for chunk in (content.chunks() if hasattr(content, "chunks") else [content.read()])
        )
        sealed = encrypt_bytes(
            data, organisation=self.field.owner_id_for(self.instance), context=self.field.context
        )
        super().save(name, ContentFile(sealed), save=save)

    def read_decrypted(self) -> bytes:
        """The plaintext of the stored file; raises DecryptionError if it is not ours."""
        if not self.name:
            raise ValueError(f"The '{self.field.name}' attribute has no file associated with it.")
        with self.storage.open(self.name, "rb") as handle:
            blob = handle.read()
        return decrypt_bytes(
            blob, organisation=self.field.owner_id_for(self.instance), context=self.field.context
        )


class EncryptedFileField(models.FileField):
    """A FileField whose stored files are encrypted for the row's organisation.

    `organisation_field` works as for EncryptedCharField. Default storage:
    AtomicFileSystemStorage under MEDIA_ROOT.
    """

    # Read by the data map (`is_encrypted_field`), which sits below this app.
    stores_encrypted = True

    attr_class = EncryptedFieldFile

    def __init__(
        self,
        *args: Any,
        organisation_field: str | None = "organisation",
        associated_data: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.organisation_field = organisation_field
        self.associated_data = associated_data
        kwargs.setdefault("storage", default_encrypted_storage)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("storage") is default_encrypted_storage:
            kwargs.pop("storage")
        if self.organisation_field != "organisation":
            kwargs["organisation_field"] = self.organisation_field
        if self.associated_data is not None:
            kwargs["associated_data"] = self.associated_data
        return name, path, args, kwargs

    @property
    def context(self) -> str:
        if self.associated_data:
            return self.associated_data
        return f"{self.model._meta.label_lower}.{self.name}"

    def owner_id_for(self, instance: Any) -> str | None:
        return owner_id_from(instance, self.organisation_field)


def default_encrypted_storage() -> AtomicFileSystemStorage:
    """Under MEDIA_ROOT (read when called, so test settings apply)."""
    return AtomicFileSystemStorage()


def encrypted_file_fields(model: type[models.Model]) -> list[EncryptedFileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFileField)]
