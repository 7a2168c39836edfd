"""The pure checks of passend/documents/validation.py, on the generated corpus."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from django.utils import timezone
from PIL import Image

from passend.documents import retention
from passend.documents.models import DocumentKind
from passend.documents.services import DEFAULT_RULES
from passend.documents.tests import corpus
from passend.documents.validation import (
    DOCX,
    JPEG,
    MP4,
    PDF,
    PNG,
    WEBP,
    KindRule,
    UploadRejected,
    check_name,
    check_upload,
    spool,
)

EVERYTHING = KindRule(frozenset({PDF, JPEG, PNG, WEBP, MP4, DOCX}), 10 * 1024 * 1024)


def judge(name: str, data: bytes, rule: KindRule = EVERYTHING):
    return check_upload(name=name, spooled=io.BytesIO(data), size=len(data), rule=rule)


def refused(name: str, data: bytes, rule: KindRule = EVERYTHING) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        judge(name, data, rule)
    return caught.value


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("cv.pdf", corpus.PDF_OK, PDF),
        ("cv.docx", corpus.docx(), DOCX),
        ("me.jpg", corpus.jpeg(), JPEG),
        ("me.JPEG", corpus.jpeg(), JPEG),
        ("me.png", corpus.png(), PNG),
        ("me.webp", corpus.webp(), WEBP),
        ("intro.mp4", corpus.mp4(), MP4),
    ],
)
def test_it_accepts_real_files_by_their_content(name, data, content_type):
    checked = judge(name, data)

    assert checked.content_type == content_type
    assert checked.display_name == name


def test_it_has_a_rule_for_every_kind():
    assert set(DEFAULT_RULES) == set(DocumentKind.values)


def test_it_refuses_an_svg_with_a_script_whatever_its_name():
    assert refused("logo.svg", corpus.SVG).code == "markup"
    assert refused("logo.png", corpus.SVG).status == 415


def test_it_refuses_html():
    assert refused("page.pdf", corpus.HTML).code == "markup"


@pytest.mark.parametrize("data", [corpus.polyglot_appended(), corpus.polyglot_comment()])
def test_it_refuses_a_jpeg_html_polyglot(data):
    assert refused("photo.jpg", data).code == "polyglot"


def test_it_refuses_a_pixel_flood_before_decoding_it():
    rejected = refused("flood.png", corpus.pixel_flood())

    assert rejected.code == "pixel_flood"
    assert rejected.status == 422


@pytest.mark.parametrize(
    "data",
    [corpus.PDF_JS, corpus.PDF_JS_ESCAPED, corpus.PDF_LAUNCH, corpus.pdf_js_in_object_stream()],
)
def test_it_refuses_a_pdf_with_active_content(data):
    assert refused("cv.pdf", data).code == "pdf_active_content"


@pytest.mark.parametrize(
    ("name", "data"),
    [("cv.docx", corpus.PDF_OK), ("photo.pdf", corpus.jpeg()), ("cv", corpus.PDF_OK)],
)
def test_it_refuses_an_extension_that_does_not_match_the_content(name, data):
    assert refused(name, data).code == "extension_mismatch"


def test_it_refuses_a_zip_bomb():
    rejected = refused("cv.docx", corpus.zip_bomb())

    assert rejected.code == "zip_bomb"


def test_it_refuses_too_many_entries_and_too_much_in_total():
    many = corpus.docx({f"word/p{i}.xml": b"x" for i in range(600)})
    assert refused("cv.docx", many).code == "zip_bomb"


@pytest.mark.parametrize("evil", ["../evil.txt", "/etc/passwd", "word\\..\\x", "C:/x", "a/\x07"])
def test_it_refuses_zip_slip_names(evil):
    assert refused("cv.docx", corpus.docx({evil: b"x"})).code == "zip_slip"


def test_it_refuses_archives_that_are_not_word_documents():
    assert refused("notes.docx", corpus.plain_zip()).code == "archive"
    assert refused("x.docx", corpus.docx({"inner.zip": corpus.plain_zip()})).code == "archive"


def test_it_refuses_a_symlink_in_a_docx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", corpus.CONTENT_TYPES)
        archive.writestr("word/document.xml", b"<w/>")
        link = zipfile.ZipInfo("word/link")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
    assert refused("cv.docx", out.getvalue()).code == "zip_link"


def test_it_refuses_macros():
    assert refused("cv.docx", corpus.docx({"word/vbaProject.bin": b"x"})).code == "macros"


def test_it_refuses_a_type_the_kind_does_not_take():
    cv_rule = DEFAULT_RULES[DocumentKind.CV]
    assert refused("me.jpg", corpus.jpeg(), cv_rule).status == 415
    assert refused("clip.mp4", corpus.mp4(), DEFAULT_RULES[DocumentKind.PHOTO]).status == 415


def test_it_refuses_a_broken_video():
    assert refused("clip.mp4", corpus.mp4()[:-4]).code == "bad_video"


def test_it_refuses_unknown_bytes():
    assert refused("x.pdf", b"MZ\x90\x00 an executable").code == "type_not_allowed"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("../../etc/passwd.pdf", "name_has_path"),
        ("C:\\Users\\cv.pdf", "name_has_path"),
        ("cv\x07.pdf", "name_has_control"),
        ("cv\r\n.pdf", "name_has_control"),
        ("cv\u202egpj.pdf", "name_has_control"),
        ("", "name_missing"),
    ],
)
def test_it_refuses_names_with_paths_or_control_characters(name, code):
    assert refused(name, corpus.PDF_OK).code == code


def test_it_keeps_a_long_name_short_with_its_extension():
    assert check_name("a" * 300 + ".pdf").endswith(".pdf")
    assert len(check_name("a" * 300 + ".pdf")) <= 200


def test_it_stops_receiving_at_the_limit_plus_one_byte():
    with spool([b"x" * 600, b"y" * 400], limit=1000) as spooled:
        assert spooled.read() == b"x" * 600 + b"y" * 400
    with pytest.raises(UploadRejected) as caught:
        spool([b"x" * 600, b"y" * 401], limit=1000)
    assert caught.value.status == 413


def test_it_refuses_zero_bytes():
    with pytest.raises(UploadRejected) as caught:
        spool([b""], limit=10)
    assert caught.value.code == "empty"


def test_it_strips_gps_and_all_exif_from_photos():
    original = corpus.jpeg(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)

    stored = judge("holiday.jpg", original).data

    image = Image.open(io.BytesIO(stored))
    assert not image.getexif().get_ifd(0x8825)
    assert len(image.getexif()) == 0
    assert b"PhoneMaker" not in stored


def test_it_turns_photos_upright_before_dropping_the_orientation():
    image = Image.new("RGB", (20, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())

    stored = judge("p.jpg", out.getvalue()).data

    assert Image.open(io.BytesIO(stored)).size == (10, 20)


def test_it_keeps_an_id_copy_four_weeks_at_registration():
    uploaded = timezone.make_aware(datetime(2026, 1, 1, 12))

    assert retention.id_copy_delete_after(
        uploaded_at=uploaded, hired_at=None, employment_ended_at=None
    ) == timezone.make_aware(datetime(2026, 1, 29, 12))


def test_it_keeps_an_id_copy_while_employed_and_five_years_after():
    uploaded = timezone.make_aware(datetime(2026, 1, 1))

    assert (
        retention.id_copy_delete_after(
            uploaded_at=uploaded, hired_at=date(2026, 2, 1), employment_ended_at=None
        )
        is None
    )
    after = retention.id_copy_delete_after(
        uploaded_at=uploaded, hired_at=date(2026, 2, 1), employment_ended_at=date(2028, 2, 29)
    )
    assert after is not None
    assert after.date() == date(2033, 2, 28)


def test_it_refuses_a_pdf_that_inflates_beyond_what_is_checked():
    import zlib

    from passend.documents.validation import check_pdf

    bomb = zlib.compress(b"\0" * 2_000_000)
    data = b"%PDF-1.7\n" + (b"stream\n" + bomb + b"\nendstream\n") * 3

    with pytest.raises(UploadRejected) as caught:
        check_pdf(data, inflate_budget=3_000_000)
    assert caught.value.code == "pdf_bomb"
    check_pdf(data, inflate_budget=10_000_000)


def test_it_refuses_a_video_made_of_countless_empty_boxes():
    import struct

    data = corpus.mp4() + (struct.pack(">I", 8) + b"free") * 2000

    assert refused("clip.mp4", data).code == "bad_video"
