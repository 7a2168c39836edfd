"""The virus scan: clamd's INSTREAM command over a socket.

`PASSEND_CLAMD_SOCKET` is a Unix socket path (``/run/clamav/clamd.ctl``) or
``host:port``. Unset: no scan, and `check --deploy` warns (documents.W001),
so production does not pass its checklist without a scanner. Set but
unreachable, slow or answering anything but OK: the upload is refused (fail
closed). docs/deploy.md says how to run clamd.
"""

from __future__ import annotations

import logging
import socket
from typing import IO, Any

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _

from passend.documents.validation import UploadRejected

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
TIMEOUT_SECONDS = 30


def _connect(address: str) -> socket.socket:
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target: str | tuple[str, int] = address
    else:
        host, _sep, port = address.rpartition(":")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = (host, int(port))
    sock.settimeout(TIMEOUT_SECONDS)
    try:
        sock.connect(target)
    except BaseException:
        sock.close()
        raise
    return sock


def scanner_address() -> str:
    return str(getattr(settings, "PASSEND_CLAMD_SOCKET", "") or "")


@checks.register(checks.Tags.security, deploy=True)
def check_virus_scanner(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Production should not store uploads no scanner has seen."""
    if scanner_address():
        return []
    return [
        checks.Warning(
            "No virus scanner is configured: uploaded documents are stored unscanned.",
            hint="Run clamd and set PASSEND_CLAMD_SOCKET to its socket "
            "(/run/clamav/clamd.ctl or host:port); see docs/deploy.md.",
            id="documents.W001",
        )
    ]


def scan(stream: IO[bytes]) -> None:
    """Raise UploadRejected unless clamd (when configured) says the stream is clean."""
    address = scanner_address()
    if not address:
        return
    unavailable = UploadRejected(
        _("The virus scanner is not available; try again later."),
        status=503,
        code="scanner_unavailable",
    )
    try:
        with _connect(address) as sock:
            sock.sendall(b"zINSTREAM\0")
            stream.seek(0)
            while chunk := stream.read(CHUNK):
                sock.sendall(len(chunk).to_bytes(4, "big") + chunk)
            sock.sendall(b"\0\0\0\0")
            answer = b""
            while not answer.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                answer += part
    except (OSError, ValueError):
        logger.warning("Virus scanner unreachable; upload refused.")
        raise unavailable from None
    text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    if text.endswith(" OK"):
        return
    if text.endswith(" FOUND"):
        raise UploadRejected(
            _("The virus scanner found a threat in this file."), status=422, code="virus"
        )
    logger.warning("Virus scanner answered unexpectedly; upload refused.")
    raise unavailable
