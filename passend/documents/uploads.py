"""An upload handler that stops reading a file at the largest document limit,
so an oversized upload is not first copied to disk in full."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

TOO_LARGE_FLAG = "document_upload_too_large"


class CappedUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None, limit: int | None = None) -> None:
        super().__init__(request)
        if limit is None:
            from passend.documents.services import largest_limit

            limit = largest_limit()
        self.limit = limit

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            if self.request is not None:
                setattr(self.request, TOO_LARGE_FLAG, True)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
