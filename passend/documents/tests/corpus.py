"""Good and hostile files, made in code (no binary fixtures)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image

GPS_IFD = 0x8825


def jpeg(size: tuple[int, int] = (16, 12), *, gps: bool = False, comment: bytes = b"") -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "PhoneMaker"  # camera make
        exif[GPS_IFD] = {1: "N", 2: (52.0, 22.0, 1.5), 3: "E", 4: (4.0, 53.0, 2.5)}
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=comment)
    return out.getvalue()


def png(size: tuple[int, int] = (10, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 255, 128)).save(out, format="PNG")
    return out.getvalue()


def webp(size: tuple[int, int] = (10, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 200, 0)).save(out, format="WEBP")
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pixel_flood(width: int = 20000, height: int = 20000) -> bytes:
    """A tiny PNG that claims 400 million pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * (width * 3 + 1) * 4)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def polyglot_appended() -> bytes:
    return jpeg() + b"<html><body><script>alert(document.cookie)</script></body></html>"


def polyglot_comment() -> bytes:
    return jpeg(comment=b"<script>alert(1)</script>")


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body>hello</body></html>"


def pdf(body: bytes = b"") -> bytes:
    return (
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R " + body + b" >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


PDF_OK = pdf()
PDF_JS = pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
PDF_JS_ESCAPED = pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>")
PDF_LAUNCH = pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>")


def pdf_js_in_object_stream() -> bytes:
    hidden = zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    return (
        b"%PDF-1.7\n3 0 obj << /Type /ObjStm /Filter /FlateDecode /Length "
        + str(len(hidden)).encode()
        + b" >>\nstream\n"
        + hidden
        + b"\nendstream\nendobj\n%%EOF\n"
    )


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    b"</Types>"
)


# A fixed time stamp: the bytes (and so the test ids that include them) must be
# the same in every process, or pytest-xdist workers collect different tests.
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def docx(extra: dict[str, bytes] | None = None, *, content_types: bytes = CONTENT_TYPES) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_member("[Content_Types].xml"), content_types)
        archive.writestr(_member("word/document.xml"), b"<w:document>CV</w:document>")
        for name, data in (extra or {}).items():
            archive.writestr(_member(name), data)
    return out.getvalue()


def zip_bomb(megabytes: int = 40) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_member("[Content_Types].xml"), CONTENT_TYPES)
        archive.writestr(_member("word/document.xml"), b"<w:document/>")
        with archive.open(_member("word/media/zeros.bin"), "w") as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(block)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("notes.txt", date_time=ZIP_TIME), b"hello")
    return out.getvalue()


def mp4() -> bytes:
    ftyp = struct.pack(">I", 20) + b"ftypisom" + struct.pack(">I", 512) + b"isom"
    moov = struct.pack(">I", 16) + b"moov" + struct.pack(">I", 8) + b"mvhd"
    return ftyp + moov
