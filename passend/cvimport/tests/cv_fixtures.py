"""Synthetic CVs with known contents, for the tests and benchmarks/bench_cv_import.py.

`generate(count, seed)` makes `count` CVs, Dutch and English, PDF and DOCX,
in six layouts (dates above the role, role above the dates, everything on one
line, a table, a sidebar first, labelled fields), each with the truth it was
made from. DOCX files are written with python-docx; PDF files with the small
writer below (Helvetica, WinAnsi text, one content stream a page), so no PDF
library is needed. Names, employers and schools are invented.
"""

from __future__ import annotations

import io
import random
import zlib
from dataclasses import dataclass, field
from typing import Any

# ----------------------------------------------------------------- a minimal PDF writer

PAGE_WIDTH, PAGE_HEIGHT = 595, 842


@dataclass
class PdfText:
    x: float
    y: float
    text: str
    size: float = 10
    bold: bool = False


def _pdf_string(text: str) -> str:
    raw = text.encode("cp1252", "replace").decode("latin-1")
    return "(" + raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf_document(pages: list[list[PdfText]], *, compress: bool = True) -> bytes:
    """A PDF whose pages show the given texts (an empty page list makes a page with none)."""
    pages = pages or [[]]
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    pages_id = add(b"")
    regular = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    bold = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    )
    kids = []
    for texts in pages:
        ops = []
        for item in texts:
            font = "F2" if item.bold else "F1"
            ops.append(
                f"BT /{font} {item.size:g} Tf {item.x:g} {item.y:g} Td "
                f"{_pdf_string(item.text)} Tj ET"
            )
        stream = "\n".join(ops).encode("latin-1")
        if compress:
            data = zlib.compress(stream)
            content = add(
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data)
                + data
                + b"\nendstream"
            )
        else:
            content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                (
                    f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {PAGE_WIDTH} "
                    f"{PAGE_HEIGHT}] /Resources << /Font << /F1 {regular} 0 R /F2 {bold} 0 R >> "
                    f">> /Contents {content} 0 R >>"
                ).encode()
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
    objects[pages_id - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    ).encode()
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def pdf_from_lines(lines: list[tuple[str, str]], *, columns: bool = False) -> bytes:
    """Lay out (style, text) lines top to bottom; style "h1", "h2", "" or
    "row" (a "left\\tright" line shown as two columns at one height)."""
    pages: list[list[PdfText]] = [[]]
    y = PAGE_HEIGHT - 60
    for style, text in lines:
        size = {"h1": 18, "h2": 13}.get(style, 10)
        step = size + 6 if style else 14
        if style == "h2":
            y -= 8
        if y < 60:
            pages.append([])
            y = PAGE_HEIGHT - 60
        if not text:
            y -= 6
            continue
        if style == "row":
            left, _tab, right = text.partition("\t")
            pages[-1].append(PdfText(50, y, left))
            pages[-1].append(PdfText(190, y, right))
        else:
            pages[-1].append(PdfText(50, y, text, size=size, bold=style in ("h1", "h2")))
        y -= step
    return pdf_document(pages)


# ----------------------------------------------------------------- the pools

FIRST_NAMES = [
    "Sanne", "Daan", "Fatima", "Mehmet", "Lotte", "Jeroen", "Anouk", "Youssef", "Emma",
    "Bram", "Priya", "Kees", "Noor", "Lucas", "Aylin", "Thijs", "Sophie", "Rachid",
]  # fmt: skip
LAST_NAMES = [
    "de Jong", "Jansen", "van den Berg", "Bakker", "El Amrani", "Visser", "Smit",
    "Yilmaz", "de Boer", "Mulder", "van Dijk", "Peters", "Hendriks", "Kaya",
]  # fmt: skip
PLACES = [
    ("3512", "Utrecht"), ("1011", "Amsterdam"), ("3011", "Rotterdam"), ("2511", "Den Haag"),
    ("5611", "Eindhoven"), ("9711", "Groningen"), ("6811", "Arnhem"), ("8011", "Zwolle"),
    ("2311", "Leiden"), ("4811", "Breda"), ("7511", "Enschede"), ("6211", "Maastricht"),
]  # fmt: skip
STREETS = [
    "Kerkstraat",
    "Dorpsweg",
    "Lange Nieuwstraat",
    "Stationsplein",
    "Molenlaan",
    "Beukenlaan",
]
# (Dutch title, English title)
ROLES = [
    ("Medewerker klantenservice", "Customer service representative"),
    ("Magazijnmedewerker", "Warehouse worker"),
    ("Verkoopmedewerker", "Sales assistant"),
    ("Software ontwikkelaar", "Software developer"),
    ("Administratief medewerker", "Administrative assistant"),
    ("Vrachtwagenchauffeur", "Truck driver"),
    ("Verpleegkundige", "Nurse"),
    ("Teamleider logistiek", "Logistics team leader"),
    ("Kok", "Cook"),
    ("Receptionist", "Receptionist"),
    ("Projectmanager", "Project manager"),
    ("Elektricien", "Electrician"),
    ("Schoonmaker", "Cleaner"),
    ("Financieel administrateur", "Accountant"),
    ("Docent Nederlands", "Teacher of Dutch"),
    ("Bakker", "Baker"),
]
EMPLOYERS = [
    "Coolblue", "Albert Heijn", "PostNL", "Gemeente Utrecht", "Bakkerij De Korenaar",
    "Jumbo Supermarkten", "Rabobank", "Van der Valk Hotel", "UMC Utrecht", "Bol.com",
    "Randstad", "Heijmans N.V.", "Dura Vermeer", "Transportbedrijf Kok B.V.",
    "Stichting Zorgpunt", "Philips", "ASML", "De Bijenkorf", "Technische Unie",
]  # fmt: skip
DESCRIPTIONS = {
    "nl": [
        "Verantwoordelijk voor het beantwoorden van vragen van klanten.",
        "Orders verzamelen en klaarzetten voor verzending.",
        "Plannen van de dagelijkse werkzaamheden van het team.",
        "Ontwikkelen en onderhouden van webapplicaties.",
        "Zorgen voor een goede overdracht aan collega's.",
    ],
    "en": [
        "Responsible for answering questions from customers.",
        "Picked orders and prepared them for shipping.",
        "Planned the daily work of the team.",
        "Developed and maintained web applications.",
        "Made sure work was handed over to colleagues.",
    ],
}
# (Dutch programme, English programme, institution, level)
EDUCATION = [
    ("Logistiek medewerker", "Logistics", "ROC Midden Nederland", "MBO niveau 2"),
    ("Verpleegkunde", "Nursing", "Hogeschool Utrecht", "HBO"),
    ("Informatica", "Computer Science", "Universiteit van Amsterdam", "WO"),
    ("Bedrijfskunde", "Business Administration", "Hanzehogeschool Groningen", "HBO"),
    ("Commercieel medewerker", "Sales and retail", "ROC van Twente", "MBO niveau 3"),
    ("Havo", "Senior general secondary education", "Het Amsterdams Lyceum", "HAVO"),
    ("Koken", "Culinary arts", "ROC Mondriaan", "MBO niveau 4"),
    ("Rechten", "Law", "Universiteit Leiden", "WO"),
    ("Elektrotechniek", "Electrical engineering", "Summa College", "MBO niveau 4"),
]
SKILLS = {
    "nl": [
        "Microsoft Excel", "klantgericht werken", "plannen", "Python", "SQL", "heftruck rijden",
        "communicatie", "samenwerken", "Word", "boekhouden", "koken", "wondverzorging",
        "projectmanagement", "Java", "verkopen", "schoonmaken",
    ],
    "en": [
        "Microsoft Excel", "customer service", "planning", "Python", "SQL", "forklift driving",
        "communication", "teamwork", "Word", "bookkeeping", "cooking", "wound care",
        "project management", "Java", "sales", "cleaning",
    ],
}  # fmt: skip
LANGUAGE_LEVELS = {
    "nl": {"native": "moedertaal", "fluent": "vloeiend", "good": "goed", "basic": "basis"},
    "en": {"native": "native", "fluent": "fluent", "good": "good", "basic": "basic"},
}
LANGUAGE_WORDS = {
    "nl": {"nl": "Nederlands", "en": "Engels", "de": "Duits", "fr": "Frans", "tr": "Turks",
           "ar": "Arabisch", "pl": "Pools", "es": "Spaans"},
    "en": {"nl": "Dutch", "en": "English", "de": "German", "fr": "French", "tr": "Turkish",
           "ar": "Arabic", "pl": "Polish", "es": "Spanish"},
}  # fmt: skip
MONTHS = {
    "nl": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
HEADINGS = {
    "nl": {
        "work": ["Werkervaring", "WERKERVARING", "Arbeidsverleden"],
        "education": ["Opleiding", "Opleidingen", "OPLEIDING"],
        "skills": ["Vaardigheden", "Competenties", "Kennis en vaardigheden"],
        "languages": ["Talen", "Talenkennis"],
        "personal": ["Personalia", "Contactgegevens"],
        "profile": ["Profiel", "Over mij"],
        "hobbies": ["Hobby's", "Interesses"],
    },
    "en": {
        "work": ["Work experience", "WORK EXPERIENCE", "Employment history"],
        "education": ["Education", "EDUCATION"],
        "skills": ["Skills", "Key skills"],
        "languages": ["Languages"],
        "personal": ["Personal details", "Contact"],
        "profile": ["Profile", "About me"],
        "hobbies": ["Hobbies", "Interests"],
    },
}
PROFILE_TEXT = {
    "nl": "Ik ben een gemotiveerde en betrouwbare medewerker die graag met mensen werkt. "
    "Op zoek naar een nieuwe uitdaging in de regio.",
    "en": "I am a motivated and reliable worker who enjoys working with people. "
    "Looking for a new challenge in the region.",
}
HOBBIES = {"nl": "Hardlopen, lezen en koken met vrienden.", "en": "Running, reading and cooking."}
LAYOUTS = ("dates_first", "heads_first", "one_line", "table", "sidebar", "labelled")


# ----------------------------------------------------------------- the truth


@dataclass
class TruthWork:
    role: str
    employer: str
    start: str
    end: str  # "" with current
    current: bool


@dataclass
class TruthEducation:
    programme: str
    institution: str
    start: str
    end: str


@dataclass
class Truth:
    language: str
    layout: str
    file_type: str
    first_name: str
    last_name: str
    email: str
    phone: str  # E.164
    postcode: str
    city: str
    work: list[TruthWork] = field(default_factory=list)
    education: list[TruthEducation] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    languages: dict[str, str] = field(default_factory=dict)  # code -> level


@dataclass
class GeneratedCv:
    name: str
    data: bytes
    truth: Truth


def _point(year: int, month: int | None, language: str, style: int) -> tuple[str, str]:
    """(text, truth) of one moment in a given style."""
    if month is None:
        return str(year), str(year)
    truth = f"{year}-{month:02d}"
    if style == 0:
        return f"{MONTHS[language][month - 1]} {year}", truth
    if style == 1:
        return f"{month:02d}-{year}", truth
    full = {
        "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december"],
        "en": ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"],
    }  # fmt: skip
    return f"{full[language][month - 1]} {year}", truth


def _period(
    rng: random.Random, start_year: int, end_year: int | None, language: str
) -> tuple[str, str, str]:
    """(text, start truth, end truth) of a period; no end_year: still going."""
    with_months = rng.random() < 0.5
    style = rng.randrange(3)
    start_text, start = _point(
        start_year, rng.randint(1, 12) if with_months else None, language, style
    )
    dash = rng.choice(
        [" - ", " \u2013 ", "-", " tot ", " t/m "]
        if language == "nl"
        else [" - ", " \u2013 ", "-", " to "]
    )
    if end_year is None:
        open_word = rng.choice(["heden", "nu"] if language == "nl" else ["present", "now"])
        return f"{start_text}{dash}{open_word}", start, ""
    end_text, end = _point(end_year, rng.randint(1, 12) if with_months else None, language, style)
    if not with_months and dash == "-":
        dash = rng.choice(["-", " - "])
    return f"{start_text}{dash}{end_text}", start, end


def _phone(rng: random.Random) -> tuple[str, str]:
    digits = str(rng.randint(1, 5)) + "".join(str(rng.randrange(10)) for _ in range(7))
    style = rng.randrange(4)
    if style == 0:
        return f"06-{digits}", f"+316{digits}"
    if style == 1:
        return f"+31 6 {digits[:4]} {digits[4:]}", f"+316{digits}"
    if style == 2:
        return f"06 {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}", f"+316{digits}"
    local = "".join(str(rng.randrange(10)) for _ in range(7))
    return f"030-{local}", f"+3130{local}"


def make_truth(rng: random.Random, language: str, layout: str, file_type: str) -> Truth:
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    number, city = rng.choice(PLACES)
    letters = rng.choice(["AB", "CD", "EK", "GH", "JP", "LM", "NR", "TV", "XZ"])
    phone_text, phone = _phone(rng)
    email = f"{first.lower()}.{last.replace(' ', '').lower()}@example.org"
    truth = Truth(
        language=language,
        layout=layout,
        file_type=file_type,
        first_name=first,
        last_name=last,
        email=email,
        phone=phone,
        postcode=f"{number} {letters}",
        city=city,
    )
    truth.__dict__["phone_text"] = phone_text
    year = 2025
    roles = rng.sample(ROLES, rng.randint(2, 4))
    employers = rng.sample(EMPLOYERS, len(roles))
    for index, (role_pair, employer) in enumerate(zip(roles, employers, strict=True)):
        role = role_pair[0] if language == "nl" else role_pair[1]
        end_year = None if index == 0 and rng.random() < 0.6 else year - rng.randint(0, 1)
        start_year = (end_year or year) - rng.randint(1, 4)
        text, start, end = _period(rng, start_year, end_year, language)
        work = TruthWork(role=role, employer=employer, start=start, end=end, current=not end)
        work.__dict__["text"] = text
        truth.work.append(work)
        year = start_year
    for programme_row in rng.sample(EDUCATION, rng.randint(1, 3)):
        programme = programme_row[0] if language == "nl" else programme_row[1]
        end_year = year - rng.randint(0, 2)
        start_year = end_year - rng.randint(2, 4)
        text, start, end = _period(rng, start_year, end_year, language)
        item = TruthEducation(
            programme=programme, institution=programme_row[2], start=start, end=end
        )
        item.__dict__["text"] = text
        item.__dict__["level"] = programme_row[3]
        truth.education.append(item)
        year = start_year
    truth.skills = rng.sample(SKILLS[language], rng.randint(3, 7))
    codes = ["nl", "en", *rng.sample(["de", "fr", "tr", "ar", "pl", "es"], rng.randint(0, 2))]
    levels = ["native", "fluent", "good", "basic"]
    truth.languages = {
        code: ("native" if i == 0 else rng.choice(levels[1:])) for i, code in enumerate(codes)
    }
    return truth


# ----------------------------------------------------------------- rendering to lines


def _lines(truth: Truth, rng: random.Random) -> list[tuple[str, str]]:
    """(style, text) lines of the CV in its layout; "row" lines hold a tab."""
    lang = truth.language
    heads = {key: rng.choice(options) for key, options in HEADINGS[lang].items()}
    label = {
        "nl": {"email": "E-mail", "phone": "Telefoon", "address": "Adres", "role": "Functie",
               "employer": "Werkgever", "period": "Periode", "programme": "Opleiding",
               "school": "School"},
        "en": {"email": "Email", "phone": "Phone", "address": "Address", "role": "Position",
               "employer": "Employer", "period": "Period", "programme": "Programme",
               "school": "Institution"},
    }[lang]  # fmt: skip
    street = f"{rng.choice(STREETS)} {rng.randint(1, 120)}"
    name = f"{truth.first_name} {truth.last_name}"
    contact = [
        ("", f"{label['address']}: {street}, {truth.postcode} {truth.city}"),
        ("", f"{label['phone']}: {truth.__dict__['phone_text']}"),
        ("", f"{label['email']}: {truth.email}"),
    ]
    if rng.random() < 0.4:
        contact = [
            ("", street),
            ("", f"{truth.postcode} {truth.city}"),
            ("", truth.__dict__["phone_text"]),
            ("", truth.email),
        ]
    lines: list[tuple[str, str]] = [("h1", name)]
    if rng.random() < 0.3:
        lines.insert(0, ("h2", "Curriculum Vitae"))
    skills = _skills_lines(truth, rng)
    languages = _language_lines(truth, rng)
    if truth.layout == "sidebar":
        lines += [("h2", heads["personal"]), *contact, ("h2", heads["skills"]), *skills]
        lines += [("h2", heads["languages"]), *languages]
        lines += [("h2", heads["profile"]), ("", PROFILE_TEXT[lang])]
    else:
        lines += contact
        lines += [("", ""), ("h2", heads["profile"]), ("", PROFILE_TEXT[lang])]
    lines += [("h2", heads["work"])]
    for work in truth.work:
        lines += _work_lines(work, truth.layout, lang, label, rng)
    lines += [("h2", heads["education"])]
    for item in truth.education:
        lines += _education_lines(item, truth.layout, lang, label, rng)
    if truth.layout != "sidebar":
        lines += [("h2", heads["skills"]), *skills, ("h2", heads["languages"]), *languages]
    lines += [("h2", heads["hobbies"]), ("", HOBBIES[lang])]
    return lines


def _work_lines(
    work: TruthWork, layout: str, lang: str, label: dict[str, str], rng: random.Random
) -> list[tuple[str, str]]:
    period = work.__dict__["text"]
    city = rng.choice(PLACES)[1]
    employer_line = rng.choice([work.employer, f"{work.employer}, {city}"])
    bullet = rng.choice(["• ", "- ", ""])
    description = [("", bullet + d) for d in rng.sample(DESCRIPTIONS[lang], rng.randint(1, 2))]
    at = " bij " if lang == "nl" else " at "
    if layout in ("dates_first", "sidebar"):
        return [("", period), ("", work.role), ("", employer_line), *description, ("", "")]
    if layout == "heads_first":
        if rng.random() < 0.3:  # the period to the right of the role
            return [("row", f"{work.role}\t{period}"), ("", employer_line), *description, ("", "")]
        return [("", work.role), ("", employer_line), ("", period), *description, ("", "")]
    if layout == "one_line":
        head = rng.choice(
            [
                f"{work.role} \u2013 {work.employer}",
                f"{work.role}{at}{work.employer}",
                f"{work.role}, {work.employer}",
                f"{work.role} | {work.employer}",
                f"{work.employer} \u2013 {work.role}",
            ]
        )
        line = rng.choice([f"{period}: {head}", f"{head} ({period})", f"{period} | {head}"])
        return [("", line), *description, ("", "")]
    if layout == "table":
        return [("row", f"{period}\t{work.role}"), ("row", f"\t{employer_line}"), *description]
    # labelled
    return [
        ("", f"{label['role']}: {work.role}"),
        ("", f"{label['employer']}: {work.employer}"),
        ("", f"{label['period']}: {period}"),
        *description,
        ("", ""),
    ]


def _education_lines(
    item: TruthEducation, layout: str, lang: str, label: dict[str, str], rng: random.Random
) -> list[tuple[str, str]]:
    period = item.__dict__["text"]
    level = item.__dict__["level"]
    done = rng.choice(["Diploma behaald", ""]) if lang == "nl" else rng.choice(["Graduated", ""])
    extra = [("", done)] if done else []
    programme = item.programme if level.upper() == item.programme.upper() else f"{item.programme}"
    if layout in ("dates_first", "sidebar"):
        return [
            ("", period),
            ("", f"{programme} ({level})"),
            ("", item.institution),
            *extra,
            ("", ""),
        ]
    if layout == "heads_first":
        return [("", programme), ("", item.institution), ("", period), *extra, ("", "")]
    if layout == "one_line":
        return [("", f"{period}  {programme}, {item.institution}"), *extra, ("", "")]
    if layout == "table":
        return [("row", f"{period}\t{programme}"), ("row", f"\t{item.institution}"), *extra]
    return [
        ("", f"{label['programme']}: {programme}"),
        ("", f"{label['school']}: {item.institution}"),
        ("", f"{label['period']}: {period}"),
        *extra,
        ("", ""),
    ]


def _skills_lines(truth: Truth, rng: random.Random) -> list[tuple[str, str]]:
    style = rng.randrange(3)
    if style == 0:
        return [("", ", ".join(truth.skills))]
    if style == 1:
        return [("", f"• {skill}") for skill in truth.skills]
    levels = (
        ["goed", "basis", "uitstekend"] if truth.language == "nl" else ["good", "basic", "expert"]
    )
    return [("", f"{skill} ({rng.choice(levels)})") for skill in truth.skills]


def _language_lines(truth: Truth, rng: random.Random) -> list[tuple[str, str]]:
    words = LANGUAGE_WORDS[truth.language]
    level_words = LANGUAGE_LEVELS[truth.language]
    parts = [(words[code], level_words[level]) for code, level in truth.languages.items()]
    style = rng.randrange(3)
    if style == 0:
        return [("", f"{name} - {level}") for name, level in parts]
    if style == 1:
        return [("", f"{name}: {level}") for name, level in parts]
    return [("", ", ".join(f"{name} ({level})" for name, level in parts))]


# ----------------------------------------------------------------- files


def docx_from_lines(lines: list[tuple[str, str]], *, table: bool) -> bytes:
    import docx

    document = docx.Document()
    grid = None
    for style, text in lines:
        if style == "row":
            left, _tab, right = text.partition("\t")
            if grid is None or not table:
                grid = document.add_table(rows=0, cols=2)
            row = grid.add_row().cells
            row[0].text = left
            row[1].text = right
            continue
        grid = None
        if style == "h1":
            document.add_heading(text, level=1)
        elif style == "h2":
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(truth: Truth, rng: random.Random) -> bytes:
    lines = _lines(truth, rng)
    if truth.file_type == "docx":
        return docx_from_lines(lines, table=truth.layout == "table")
    return pdf_from_lines(lines)


def generate(count: int, *, seed: int = 14) -> list[GeneratedCv]:
    """`count` CVs cycling through language x file type x layout, with their truth."""
    rng = random.Random(seed)
    made = []
    for index in range(count):
        language = ("nl", "en")[index % 2]
        file_type = ("pdf", "docx")[(index // 2) % 2]
        layout = LAYOUTS[(index // 4) % len(LAYOUTS)]
        truth = make_truth(rng, language, layout, file_type)
        data = render(truth, rng)
        made.append(GeneratedCv(name=f"cv-{index:03d}.{file_type}", data=data, truth=truth))
    return made


# ----------------------------------------------------------------- bad inputs


def scanned_pdf() -> bytes:
    """A PDF whose page holds only drawing, like a scan: no text layer."""
    stream = b"0.9 g 50 50 495 742 re f 0 g 100 700 m 400 700 l S"
    data = zlib.compress(stream)
    body = pdf_document([[]])
    # Swap the empty content stream for one that draws.
    empty = zlib.compress(b"")
    old = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(empty) + empty
    new = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data
    return _fix_xref(body.replace(old, new))


def _fix_xref(data: bytes) -> bytes:
    """Rewrite the cross-reference table after objects changed length."""
    import re

    head, _xref, _tail = data.partition(b"xref\n")
    offsets = [m.start() for m in re.finditer(rb"(?m)^\d+ 0 obj\n", head)]
    root = re.search(rb"/Root (\d+) 0 R", data)
    assert root is not None
    table = b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    table += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root %s 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1,
        root.group(1),
        len(head),
    )
    return head + table + trailer


def encrypted_pdf(text: str = "Werkervaring") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_from_lines([("", text)] * 10))))
    writer.encrypt(user_password="geheim", owner_password="eigenaar", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def german_cv_pdf() -> bytes:
    lines = [
        ("h1", "Lena Müller"),
        ("", "E-Mail: lena.mueller@example.de"),
        ("h2", "Berufserfahrung"),
        ("", "2019 - heute  Verkäuferin bei der Bäckerei Schmidt in Berlin"),
        ("", "Ich war für die Beratung der Kunden und die Kasse verantwortlich."),
        ("", "Mit dem Team habe ich die Ware bestellt."),
        ("h2", "Ausbildung"),
        ("", "2015 - 2018  Ausbildung zur Einzelhandelskauffrau an der Berufsschule in der Stadt"),
        ("h2", "Kenntnisse"),
        ("", "Die Arbeit mit den Kunden ist für mich sehr wichtig."),
    ]  # fmt: skip
    return pdf_from_lines(lines)


def long_pdf(pages: int) -> bytes:
    truth_lines = [
        ("", f"Werkervaring regel {n} met de tekst van een lange bijlage") for n in range(40)
    ]
    return pdf_document(
        [[PdfText(50, 800 - 18 * i, text) for i, (_s, text) in enumerate(truth_lines)]] * pages
    )


def example_cv(
    language: str = "nl", file_type: str = "pdf", layout: str = "dates_first"
) -> GeneratedCv:
    """One CV of a given kind, the same every time."""
    rng = random.Random(f"{language}-{file_type}-{layout}")
    truth = make_truth(rng, language, layout, file_type)
    return GeneratedCv(name=f"cv.{file_type}", data=render(truth, rng), truth=truth)


def as_dict(truth: Truth) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(truth)
