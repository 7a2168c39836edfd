"""Upload checks, pure: no database, no storage, no settings.

Everything here judges bytes, never the name a browser sent: the type comes
from the magic bytes, images are decoded and re-encoded (which drops EXIF,
GPS and anything appended to them), PDFs are searched for active content,
DOCX archives are opened with limits. Each rejection is an `UploadRejected`
with an HTTP status and a translatable message.
"""

from __future__ import annotations

import io
import re
import stat
import tempfile
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MB = 1024 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
MP4 = "video/mp4"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

IMAGE_TYPES = frozenset({JPEG, PNG, WEBP})

EXTENSIONS: dict[str, frozenset[str]] = {
    PDF: frozenset({"pdf"}),
    JPEG: frozenset({"jpg", "jpeg"}),
    PNG: frozenset({"png"}),
    WEBP: frozenset({"webp"}),
    MP4: frozenset({"mp4", "m4v"}),
    DOCX: frozenset({"docx"}),
}

# Pillow's own limit is about 89 million pixels and only warns below twice
# that; a photo of a document needs far less.
MAX_IMAGE_PIXELS = 40_000_000

# DOCX limits: a real CV is a few hundred kilobytes in a few dozen entries.
MAX_ZIP_ENTRIES = 500
MAX_ZIP_TOTAL = 50 * MB
MAX_ZIP_RATIO = 100

# PDF: how much of the compressed streams to inflate while searching them.
MAX_PDF_INFLATE = 64 * MB
MAX_PDF_STREAMS = 50_000
# A real MP4 has a handful of top-level boxes (ftyp, moov, mdat, free, ...).
MAX_MP4_BOXES = 1_000


class UploadRejected(Exception):
    """An upload that is refused; `status` is the HTTP status to answer with."""

    def __init__(self, message: Promise | str, *, status: int = 400, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.status = status
        self.code = code


@dataclass(frozen=True)
class KindRule:
    types: frozenset[str]
    max_bytes: int


def rejected_type() -> UploadRejected:
    return UploadRejected(
        _("This type of file is not accepted here."), status=415, code="type_not_allowed"
    )


# ---------------------------------------------------------------- names


_BIDI_AND_CONTROL = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def check_name(name: str) -> str:
    """The name the uploader gave, for display only; refused when it holds a
    path or control characters (it is never used to store the file)."""
    if not name or not name.strip():
        raise UploadRejected(_("The file has no name."), code="name_missing")
    if "/" in name or "\\" in name or name.strip() in {".", ".."} or "\x00" in name:
        raise UploadRejected(
            _("The file name may not contain a folder path."), code="name_has_path"
        )
    if any(unicodedata.category(ch) in _BIDI_AND_CONTROL for ch in name):
        raise UploadRejected(
            _("The file name contains control characters."), code="name_has_control"
        )
    clean = unicodedata.normalize("NFC", name).strip()
    if len(clean) > 200:
        stem, dot, ext = clean.rpartition(".")
        clean = (stem[: 190 - len(ext)] + dot + ext) if dot and len(ext) <= 8 else clean[:200]
    return clean


def extension_of(name: str) -> str:
    _stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


# ---------------------------------------------------------------- receiving


def spool(chunks: Iterable[bytes], *, limit: int) -> IO[bytes]:
    """Copy an upload into a temporary file, refusing it at `limit` + 1 bytes.

    The caller closes the returned file (it is deleted on close)."""
    spooled = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller
    size = 0
    try:
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise too_large(limit)
            spooled.write(chunk)
        if size == 0:
            raise UploadRejected(_("The file is empty."), code="empty")
        spooled.seek(0)
        return spooled
    except BaseException:
        spooled.close()
        raise


def too_large(limit: int) -> UploadRejected:
    return UploadRejected(
        _("The file is larger than %(size)s MB, the most accepted here.")
        % {"size": f"{limit / MB:g}"},
        status=413,
        code="too_large",
    )


# ---------------------------------------------------------------- sniffing

_MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"dash",
    b"mmp4",
}
_MARKUP = re.compile(
    rb"<\s*(?:script|html|body|iframe|svg|object|embed|!doctype)|javascript:",
    re.IGNORECASE,
)


def sniff(head: bytes) -> str:
    """The content type that the first bytes of a file prove, or UploadRejected."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in _MP4_BRANDS:
        return MP4
    if head.startswith(b"PK\x03\x04"):
        return DOCX  # confirmed (or refused) by check_docx
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<") or _MARKUP.search(head[:1024]):
        raise UploadRejected(
            _("Web pages, SVG and other markup files are not accepted."), status=415, code="markup"
        )
    if head[:4] in {b"Rar!", b"7z\xbc\xaf"} or head[:2] == b"\x1f\x8b":
        raise UploadRejected(_("Archives are not accepted."), status=415, code="archive")
    raise rejected_type()


def check_extension(name: str, content_type: str) -> None:
    if extension_of(name) not in EXTENSIONS.get(content_type, frozenset()):
        raise UploadRejected(
            _("The file name's extension does not match what the file contains."),
            status=415,
            code="extension_mismatch",
        )


# ---------------------------------------------------------------- images


def reencode_image(data: bytes, content_type: str, *, max_pixels: int = MAX_IMAGE_PIXELS) -> bytes:
    """Decode and re-encode an image: metadata (EXIF, GPS, comments) and any
    bytes hidden after or inside it are dropped. Refuses pixel floods."""
    if _MARKUP.search(data):
        raise UploadRejected(
            _("The image contains web page code and is refused."), status=422, code="polyglot"
        )
    expected = {JPEG: {"JPEG", "MPO"}, PNG: {"PNG"}, WEBP: {"WEBP"}}[content_type]
    flood = UploadRejected(
        _("The image has too many pixels to be processed."), status=422, code="pixel_flood"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in expected:
                    raise rejected_type()
                width, height = image.size
                if width <= 0 or height <= 0 or width * height > max_pixels:
                    raise flood
                image.load()
                upright = ImageOps.exif_transpose(image) or image
                return _encode(upright, content_type)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise flood from None
    except UploadRejected:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, zlib.error, EOFError):
        raise UploadRejected(
            _("The image is damaged or not a real image."), status=422, code="bad_image"
        ) from None


def _encode(image: Image.Image, content_type: str) -> bytes:
    out = io.BytesIO()
    if content_type == JPEG:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=90, optimize=True)
    elif content_type == PNG:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, format="WEBP", quality=90)
    return out.getvalue()


# ---------------------------------------------------------------- PDF

_NAME = re.compile(rb"/((?:[A-Za-z0-9_.+\-]|#[0-9A-Fa-f]{2})+)")
_ACTIVE_NAMES = {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia"}
_STREAM = re.compile(rb"stream\r?\n")


def _decoded_name(raw: bytes) -> bytes:
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)


def _active_names(data: bytes) -> bool:
    return any(_decoded_name(m.group(1)) in _ACTIVE_NAMES for m in _NAME.finditer(data))


def _inflated_streams(data: bytes, budget: int) -> Iterable[bytes]:
    too_much = UploadRejected(
        _("The PDF expands to too much data to be checked."), status=422, code="pdf_bomb"
    )
    view = memoryview(data)
    for count, match in enumerate(_STREAM.finditer(data)):
        if budget <= 0 or count >= MAX_PDF_STREAMS:
            raise too_much
        start = match.end()
        end = data.find(b"endstream", start)
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(view[start : end if end != -1 else len(data)], budget)
        except zlib.error:
            continue
        budget -= len(chunk)
        yield chunk


def check_pdf(data: bytes, *, inflate_budget: int = MAX_PDF_INFLATE) -> None:
    """Refuse PDFs with JavaScript, launch actions or embedded files, also when
    hidden in compressed object streams or behind #-escaped names."""
    active = UploadRejected(
        _("The PDF contains scripts or embedded files and is refused."),
        status=422,
        code="pdf_active_content",
    )
    if _active_names(data):
        raise active
    for inflated in _inflated_streams(data, inflate_budget):
        if _active_names(inflated):
            raise active


# ---------------------------------------------------------------- DOCX


def _bad_member_name(name: str) -> bool:
    return (
        name.startswith(("/", "\\"))
        or "\\" in name
        or ".." in name.split("/")
        or re.match(r"^[A-Za-z]:", name) is not None
        or any(unicodedata.category(ch) in _BIDI_AND_CONTROL for ch in name)
    )


def check_docx(
    data: IO[bytes],
    *,
    max_entries: int = MAX_ZIP_ENTRIES,
    max_total: int = MAX_ZIP_TOTAL,
    max_ratio: int = MAX_ZIP_RATIO,
) -> None:
    """A DOCX is a zip: refuse bombs, zip-slip names, links, encryption,
    macros, and zips that are not Word documents."""
    not_docx = UploadRejected(
        _("Archives are not accepted; only Word documents (.docx) are."),
        status=415,
        code="archive",
    )
    bomb = UploadRejected(
        _("The document expands to too much data and is refused."), status=422, code="zip_bomb"
    )
    try:
        archive = zipfile.ZipFile(data)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_docx from None
    with archive:
        infos = archive.infolist()
        if len(infos) > max_entries:
            raise bomb
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise not_docx
        declared = 0
        for info in infos:
            _check_member(info, bomb, max_ratio)
            declared += info.file_size
            if declared > max_total:
                raise bomb
        content_types = _read_member(archive, archive.getinfo("[Content_Types].xml"), bomb)
        if b"macroEnabled" in content_types or any(
            n.lower().endswith("vbaproject.bin") for n in names
        ):
            raise UploadRejected(
                _("Documents with macros are not accepted."), status=422, code="macros"
            )
        for info in infos:
            # Reading proves the declared sizes (zipfile stops at them and
            # checks the CRC), so a lying header cannot hide a bomb.
            _read_member(archive, info, bomb)


def _check_member(info: zipfile.ZipInfo, bomb: UploadRejected, max_ratio: int) -> None:
    if _bad_member_name(info.filename):
        raise UploadRejected(
            _("The document contains unsafe file paths."), status=422, code="zip_slip"
        )
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UploadRejected(_("The document contains links."), status=422, code="zip_link")
    if info.flag_bits & 0x1:
        raise UploadRejected(
            _("Encrypted documents are not accepted."), status=422, code="zip_encrypted"
        )
    if info.file_size > max(info.compress_size, 1) * max_ratio and info.file_size > MB:
        raise bomb
    if info.filename.lower().endswith((".zip", ".docx", ".jar", ".7z", ".rar", ".gz")):
        raise UploadRejected(_("Archives are not accepted."), status=415, code="archive")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, bomb: UploadRejected) -> bytes:
    try:
        with archive.open(info) as member:
            return member.read(info.file_size + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error, OSError, EOFError):
        raise bomb from None


# ---------------------------------------------------------------- MP4


def check_mp4(data: IO[bytes], size: int) -> None:
    """Walk the top-level boxes: each must fit in the file (a truncated or
    forged container is refused before anyone plays it)."""
    bad = UploadRejected(
        _("The video is damaged or not a real MP4 file."), status=422, code="bad_video"
    )
    offset = 0
    seen_movie = False
    boxes = 0
    data.seek(0)
    while offset < size:
        boxes += 1
        if boxes > MAX_MP4_BOXES:
            raise bad
        data.seek(offset)
        header = data.read(16)
        if len(header) < 8:
            raise bad
        box_size = int.from_bytes(header[:4], "big")
        box_type = header[4:8]
        if box_size == 1:
            if len(header) < 16:
                raise bad
            box_size = int.from_bytes(header[8:16], "big")
        elif box_size == 0:
            box_size = size - offset
        if box_size < 8 or offset + box_size > size or not box_type.isascii():
            raise bad
        seen_movie = seen_movie or box_type == b"moov"
        offset += box_size
    if not seen_movie:
        raise bad


# ---------------------------------------------------------------- the pipeline


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    display_name: str


def check_upload(
    *, name: str, spooled: IO[bytes], size: int, rule: KindRule, max_pixels: int = MAX_IMAGE_PIXELS
) -> CheckedFile:
    """Judge a spooled upload against a kind's rule; returns the bytes to store."""
    display_name = check_name(name)
    if size <= 0:
        raise UploadRejected(_("The file is empty."), code="empty")
    if size > rule.max_bytes:
        raise too_large(rule.max_bytes)
    spooled.seek(0)
    head = spooled.read(64)
    content_type = sniff(head)
    if content_type not in rule.types:
        raise rejected_type()
    check_extension(display_name, content_type)
    if content_type == DOCX:
        check_docx(spooled)
    elif content_type == MP4:
        check_mp4(spooled, size)
    spooled.seek(0)
    data = spooled.read()
    if content_type == PDF:
        check_pdf(data)
    elif content_type in IMAGE_TYPES:
        data = reencode_image(data, content_type, max_pixels=max_pixels)
    return CheckedFile(data=data, content_type=content_type, display_name=display_name)


def describe(rule: KindRule) -> dict[str, Any]:
    return {
        "types": sorted(rule.types),
        "extensions": sorted({e for t in rule.types for e in EXTENSIONS[t]}),
        "max_bytes": rule.max_bytes,
    }


TYPE_NAMES: dict[str, Any] = {
    PDF: "PDF",
    DOCX: _("Word (.docx)"),
    JPEG: "JPEG",
    PNG: "PNG",
    WEBP: "WebP",
    MP4: _("MP4 video"),
}
TYPE_ORDER = [PDF, DOCX, JPEG, PNG, WEBP, MP4]


def accepted_text(rule: KindRule) -> str:
    """What a rule accepts, in words: "PDF, Word (.docx); at most 10 MB"."""
    names = ", ".join(str(TYPE_NAMES[t]) for t in TYPE_ORDER if t in rule.types)
    return str(
        _("%(types)s; at most %(size)s MB") % {"types": names, "size": f"{rule.max_bytes / MB:g}"}
    )
