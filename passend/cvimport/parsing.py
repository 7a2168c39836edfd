"""Reading a CV's text: language, sections, work history, education, skills,
languages and contact details (docs/cvimport.md).

Plain rules, no model and no network: stop-word counts tell Dutch from
English (and from a few other languages we do not read); headings in either
language cut the text into sections; a line holding a period ("2019 - heden",
"jan 2018 - mrt 2020", "2015-2019", "since 2021") starts an entry, and the
short lines next to it name the role and the employer (or the programme and
the school). Everything found is a proposal: the person checks it on the
review page before anything reaches the profile.

This module only reads text; linking to ESCO happens in `linking.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError

from passend.common.validators import normalise_postcode

# ----------------------------------------------------------------- language


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP_WORDS = {
    "nl": _wordset(
        "de het een en van ik je zijn was voor met bij als op aan naar ook niet dat die deze "
        "wordt werd heb heeft hebben mijn om te tot over door uit onder binnen waar wij ons "
        "werkzaamheden verantwoordelijk ervaring opleiding vaardigheden talen heden moedertaal "
        "goed klanten medewerker afdeling"
    ),
    "en": _wordset(
        "the and of to a an for with at on my is was were as by from this that which responsible "
        "experience education skills languages present native fluent customers team worked "
        "working managed developed department"
    ),
    "de": _wordset(
        "der die das und mit für ich von zu bei ist nicht auf den dem des ein eine "
        "berufserfahrung ausbildung kenntnisse sprachen verantwortlich"
    ),
    "fr": _wordset(
        "le la les et des du pour avec je au aux une un est sur dans par expérience formation "
        "compétences langues responsable"
    ),
    "es": _wordset(
        "el la los las y del para con por una un es en que experiencia formación habilidades "
        "idiomas responsable"
    ),
}
READ_LANGUAGES = ("nl", "en")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str) -> str:
    """ "nl" or "en"; another code when the text is clearly in another language;
    "" when too little text says anything."""
    counts: Counter[str] = Counter()
    for word in _WORD.findall(text.casefold()):
        for language, words in _STOP_WORDS.items():
            if word in words:
                counts[language] += 1
    if sum(counts.values()) < 5:
        return ""
    best, hits = counts.most_common(1)[0]
    if best not in READ_LANGUAGES:
        ours = max(counts["nl"], counts["en"])
        # Mixed CVs (a German course in a Dutch CV) stay ours.
        return best if hits > 2 * ours else ("nl" if counts["nl"] >= counts["en"] else "en")
    return best


# ----------------------------------------------------------------- sections

WORK, EDUCATION, SKILLS, LANGUAGES, PERSONAL = (
    "work",
    "education",
    "skills",
    "languages",
    "personal",
)
OTHER = "other"
HEADER = "header"

_HEADINGS: dict[str, tuple[str, ...]] = {
    WORK: (
        "werkervaring",
        "werk ervaring",
        "relevante werkervaring",
        "arbeidsverleden",
        "werkgeschiedenis",
        "loopbaan",
        "ervaring",
        "werk",
        "banen",
        "work experience",
        "professional experience",
        "relevant experience",
        "employment history",
        "employment",
        "work history",
        "career history",
        "career",
        "experience",
    ),
    EDUCATION: (
        "opleiding",
        "opleidingen",
        "genoten opleidingen",
        "onderwijs",
        "scholing",
        "opleiding en training",
        "education",
        "education and training",
        "academic background",
        "qualifications",
        "studies",
    ),
    SKILLS: (
        "vaardigheden",
        "competenties",
        "kennis en vaardigheden",
        "kennis & vaardigheden",
        "computervaardigheden",
        "ict vaardigheden",
        "it vaardigheden",
        "vakkennis",
        "skills",
        "key skills",
        "core skills",
        "technical skills",
        "competences",
        "competencies",
        "core competencies",
        "computer skills",
        "it skills",
        "skills and competences",
    ),
    LANGUAGES: (
        "talen",
        "talenkennis",
        "taalvaardigheid",
        "languages",
        "language skills",
        "language",
    ),
    PERSONAL: (
        "personalia",
        "persoonlijke gegevens",
        "contactgegevens",
        "contact",
        "gegevens",
        "personal details",
        "personal information",
        "contact details",
        "contact information",
    ),
    OTHER: (
        "profiel",
        "profielschets",
        "over mij",
        "samenvatting",
        "persoonlijk profiel",
        "profile",
        "summary",
        "about me",
        "personal statement",
        "personal profile",
        "hobby s",
        "hobbys",
        "hobbies",
        "interesses",
        "interests",
        "hobbies and interests",
        "referenties",
        "references",
        "cursussen",
        "trainingen",
        "cursussen en trainingen",
        "certificaten",
        "courses",
        "certifications",
        "certificates",
        "training",
        "nevenactiviteiten",
        "vrijwilligerswerk",
        "volunteering",
        "volunteer work",
        "rijbewijs",
        "driving licence",
    ),
}
_HEADING_OF = {heading: kind for kind, headings in _HEADINGS.items() for heading in headings}
_HEADING_KEY = re.compile(r"[^a-z&]+")


def _heading_key(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _HEADING_KEY.sub(" ", folded).strip()


def heading_of(line: str) -> tuple[str, str] | None:
    """(section kind, text after the heading on the same line) when `line` is a
    heading ("Werkervaring", "WORK EXPERIENCE:", "Talen: Nederlands, Engels")."""
    stripped = line.strip().strip("#*•▪■|=_-\u2013\u2014 \t")
    if not stripped or len(stripped) > 80:
        return None
    head, colon, rest = stripped.partition(":")
    key = _heading_key(head)
    if key in _HEADING_OF and (colon or len(head) <= 40):
        return _HEADING_OF[key], rest.strip()
    return None


@dataclass
class Sections:
    header: list[str] = field(default_factory=list)
    parts: dict[str, list[str]] = field(default_factory=dict)
    found: list[str] = field(default_factory=list)


def split_sections(text: str) -> Sections:
    sections = Sections()
    current = sections.header
    for raw in text.splitlines():
        line = _clean_line(raw)
        heading = heading_of(line) if line else None
        if (
            heading is not None
            and heading[1]
            and sections.found
            and heading[0] == sections.found[-1]
        ):
            heading = None  # "Opleiding: Verpleegkunde" inside Education is an entry's label
        if heading is not None:
            kind, rest = heading
            sections.found.append(kind)
            current = sections.parts.setdefault(kind, [])
            if current:
                current.append("")
            if rest:
                current.append(rest)
            continue
        current.append(line)
    return sections


def _clean_line(raw: str) -> str:
    line = raw.replace("\u00a0", " ").replace("\t", "  ").strip()
    return re.sub(r"[ \u2002\u2003\u2009]{3,}", "  ", line)


# ----------------------------------------------------------------- dates

_MONTHS = {
    "jan": 1,
    "januari": 1,
    "january": 1,
    "feb": 2,
    "februari": 2,
    "february": 2,
    "mrt": 3,
    "maart": 3,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "mei": 5,
    "may": 5,
    "jun": 6,
    "juni": 6,
    "june": 6,
    "jul": 7,
    "juli": 7,
    "july": 7,
    "aug": 8,
    "augustus": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oct": 10,
    "oktober": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_POINT = (
    rf"(?:{_MONTH}\s*'?{_YEAR}|(?<!\d)\d{{1,2}}\s*[-/.]\s*{_YEAR}"
    rf"|{_YEAR}\s*[-/.]\s*(?:0?[1-9]|1[0-2])(?![\d])|{_YEAR})"
)
_OPEN = (
    r"(?:heden|nu|present|now|current|currently|today|to date|date|huidig|"
    r"dd|tot op heden|ongoing|lopend)"
)
_SEP = r"(?:-|\u2013|\u2014|\u2212|to|tot(?:\s+en\s+met)?|t/m|until|till|tm)"
_RANGE = re.compile(
    rf"(?<![\w])(?P<start>{_POINT})\s*{_SEP}\s*(?P<end>{_POINT}|{_OPEN})(?![\w])", re.IGNORECASE
)
_SINCE = re.compile(rf"(?<![\w])(?:sinds|since|vanaf|from)\s+(?P<start>{_POINT})", re.IGNORECASE)
_SINGLE = re.compile(rf"(?<![\w/-])(?P<point>{_POINT})(?![\w/-])", re.IGNORECASE)


def _point(text: str) -> str:
    """ "2018", "2018-03": year, and month when known."""
    lowered = text.casefold().strip()
    year_match = re.search(_YEAR, lowered)
    if year_match is None:
        return ""
    year = year_match.group(0)
    month = 0
    word = re.match(r"[a-z]+", lowered)
    if word and word.group(0) in _MONTHS:
        month = _MONTHS[word.group(0)]
    else:
        numbers = [int(n) for n in re.findall(r"\d+", lowered) if n != year]
        if numbers and 1 <= numbers[0] <= 12:
            month = numbers[0]
    return f"{year}-{month:02d}" if month else year


@dataclass
class Period:
    start: str = ""
    end: str = ""
    current: bool = False
    span: tuple[int, int] = (0, 0)


def find_period(line: str, *, single: bool = False) -> Period | None:
    """The period a line names: a range, "since ...", or (with `single`) a lone
    year or month, read as the end ("HAVO, 2012")."""
    match = _RANGE.search(line)
    if match:
        end_text = match.group("end")
        end = _point(end_text)
        return Period(
            start=_point(match.group("start")), end=end, current=not end, span=match.span()
        )
    match = _SINCE.search(line)
    if match:
        return Period(start=_point(match.group("start")), current=True, span=match.span())
    if single:
        match = _SINGLE.search(line)
        if match:
            return Period(end=_point(match.group("point")), span=match.span())
    return None


# ----------------------------------------------------------------- entries

_BULLET = re.compile(r"^[\-•*▪■●◦·\u2013\u2014>]\s*")
_LABELS = {
    "role": (
        "functie",
        "rol",
        "positie",
        "role",
        "position",
        "job title",
        "title",
        "functietitel",
    ),
    "employer": ("werkgever", "bedrijf", "organisatie", "employer", "company", "organisation"),
    "programme": ("opleiding", "studie", "richting", "programme", "program", "course", "degree"),
    "institution": ("school", "instelling", "onderwijsinstelling", "institution", "university"),
    "level": ("niveau", "level"),
    "period": ("periode", "period", "datum", "dates"),
}
_LABEL_OF = {label: key for key, labels in _LABELS.items() for label in labels}
_COMPANY = re.compile(
    r"(?:\b(?:b\.?v|n\.?v|v\.?o\.?f|ltd|inc|gmbh|llc|plc|holding|group|groep|gemeente|"
    r"stichting|foundation|ministerie|ministry|provincie|municipality)\b\.?|\.(?:com|nl)\b)",
    re.IGNORECASE,
)
_COMPANY_WEAK = re.compile(
    r"\b(?:ziekenhuis|hospital|bank|company|bedrijf|bakkerij|supermarkt|supermarkten|"
    r"consultancy|logistics|logistiek|transport|transportbedrijf|services|solutions|zorg|hotel|"
    r"restaurant|café|cafe|winkel|store|shop|agency|international|nederland|netherlands|"
    r"europe|benelux|umc|\w+bedrijf)\b",
    re.IGNORECASE,
)
_ROLE_WORDS = (
    "medewerker",
    "manager",
    "adviseur",
    "advisor",
    "consultant",
    "developer",
    "ontwikkelaar",
    "engineer",
    "monteur",
    "verkoper",
    "assistent",
    "assistant",
    "coördinator",
    "coordinator",
    "specialist",
    "analist",
    "analyst",
    "leider",
    "leidinggevende",
    "directeur",
    "director",
    "officer",
    "chauffeur",
    "driver",
    "kok",
    "chef",
    "verpleegkundige",
    "nurse",
    "teacher",
    "docent",
    "leraar",
    "stagiair",
    "stagiaire",
    "intern",
    "designer",
    "administrateur",
    "accountant",
    "planner",
    "operator",
    "technicus",
    "technician",
    "schoonmaker",
    "cleaner",
    "receptionist",
    "secretaresse",
    "secretary",
    "bakker",
    "baker",
    "kapper",
    "trainee",
    "programmeur",
    "programmer",
    "begeleider",
    "verzorgende",
    "caissière",
    "cashier",
    "vakkenvuller",
    "magazijnmedewerker",
    "orderpicker",
    "timmerman",
    "elektricien",
    "electrician",
    "lasser",
    "welder",
    "kassamedewerker",
    "agent",
    "representative",
    "clerk",
    "supervisor",
    "teamleider",
    "projectleider",
    "beheerder",
    "administrator",
    "tester",
    "architect",
    "marketeer",
    "recruiter",
    "werkvoorbereider",
    "bezorger",
    "courier",
    "hovenier",
    "gardener",
    "schilder",
    "painter",
    "loodgieter",
    "plumber",
)
_SCHOOL = re.compile(
    r"\b(?:hogeschool|universiteit|university|college|roc|school|academie|academy|lyceum|"
    r"institute|instituut|scholengemeenschap|gymnasium|vakschool|polytechnic|"
    r"mbo college|summa|davinci|graafschap|hanze|fontys|inholland|saxion|avans|tu)\b",
    re.IGNORECASE,
)
_LEVEL = re.compile(
    r"\b(?:(?:mbo|niveau)\s*(?:niveau\s*)?[1-4]|mbo|hbo|wo|vmbo(?:[- ][a-z]+)?|havo|vwo|"
    r"bachelor(?:'s)?|master(?:'s)?|msc|bsc|ba|ma|phd|doctoraat|associate degree|"
    r"propedeuse|mavo|lbo|mts|hts|heao|meao)\b",
    re.IGNORECASE,
)
_NOT_COMPLETED = re.compile(
    r"\b(?:niet afgerond|geen diploma|zonder diploma|gestopt|not completed|incomplete|"
    r"did not graduate|unfinished|discontinued)\b",
    re.IGNORECASE,
)
_COMPLETED = re.compile(
    r"\b(?:diploma behaald|diploma|afgerond|behaald|gediplomeerd|graduated|completed|"
    r"certified|degree obtained)\b",
    re.IGNORECASE,
)
_LOCATIONS = {
    c.casefold()
    for c in _wordset(
        "Amsterdam Rotterdam Den Haag 's-Gravenhage Utrecht Eindhoven Groningen Tilburg Almere "
        "Breda Nijmegen Apeldoorn Haarlem Arnhem Enschede Amersfoort Zaanstad Haarlemmermeer "
        "'s-Hertogenbosch Den Bosch Zwolle Zoetermeer Leiden Maastricht Dordrecht Ede Alphen aan "
        "den Rijn Alkmaar Emmen Delft Venlo Deventer Sittard Helmond Oss Amstelveen Hilversum "
        "Heerlen Nieuwegein Leeuwarden Hoofddorp Schiedam Purmerend Vlaardingen Gouda Lelystad "
        "Hoorn Roosendaal Assen Zeist Veenendaal Capelle Katwijk Wageningen Kampen Harderwijk "
        "Hengelo Almelo Middelburg Vlissingen Den Helder Schagen Doetinchem Weert Roermond Bergen "
        "op Zoom Rijswijk Diemen Houten Woerden Barneveld London Berlin Brussels Brussel "
        "Antwerpen Antwerp Paris Parijs Madrid Dublin Remote Online Nederland Netherlands"
    )
} | {"den haag", "alphen aan den rijn", "bergen op zoom", "den bosch", "den helder"}


def _label_split(text: str) -> tuple[str, str] | None:
    name, colon, value = text.partition(":")
    if not colon:
        return None
    key = _LABEL_OF.get(_heading_key(name))
    return (key, value.strip()) if key else None


def _is_head(line: str) -> bool:
    """A short line that may name a role, employer, programme or school (not a
    bullet or a sentence of a description)."""
    if not line or _BULLET.match(line) or len(line) > 90:
        return False
    if line.endswith((".", ";")) and len(line.split()) > 4:
        return False
    return len(line.split()) <= 12


def _strip_period(line: str, period: Period) -> str:
    start, end = period.span
    rest = (line[:start] + " " + line[end:]).strip()
    rest = re.sub(r"^[\s|:,;()\[\]\-\u2013\u2014]+|[\s|:,;()\[\]\-\u2013\u2014]+$", "", rest)
    rest = re.sub(r"\(\s*\)|\[\s*\]", "", rest).strip()
    if _LABEL_OF.get(_heading_key(rest.rstrip(":"))) == "period":
        return ""  # "Periode: 2019 - 2021"
    return rest


def _role_score(text: str) -> int:
    """How much `text` looks like a role rather than an employer: role words
    (also at the end of a compound, "klantenservicemedewerker") count for it,
    company words ("B.V.", "Gemeente", "Bakkerij") against it."""
    tokens = _WORD.findall(text.casefold())
    role = sum(1 for token in tokens if token.endswith(_ROLE_WORDS))
    company = 3 * len(_COMPANY.findall(text)) + len(_COMPANY_WEAK.findall(text))
    return 2 * role - company


def _is_location(text: str) -> bool:
    cleaned = text.strip().strip(".").casefold()
    return cleaned in _LOCATIONS or (
        bool(re.fullmatch(r"[a-z'\-]+(?: [a-z'\-]+)?", cleaned))
        and cleaned.split()[-1] in {"nl", "be", "uk"}
    )


_SPLITTERS = (
    re.compile(r"\s+(?:bij|at|@|voor|for)\s+", re.IGNORECASE),
    re.compile(r"\s*[|·•]\s*"),
    re.compile(r"\s+[\u2013\u2014-]\s+"),
    re.compile(r"\s*,\s*"),
)


def _split_head(text: str) -> tuple[list[str], bool]:
    """The parts of one head line, and whether a "bij"/"at" said which is the role."""
    for number, splitter in enumerate(_SPLITTERS):
        parts = [p.strip() for p in splitter.split(text) if p.strip()]
        if len(parts) > 1:
            return parts, number == 0
    return [text.strip()], False


def _drop_locations(parts: list[str]) -> list[str]:
    kept = [p for p in parts if not _is_location(p)]
    return kept or parts[:1]


def role_and_employer(heads: list[str]) -> tuple[str, str]:
    """Which of the short lines next to a period is the role and which the employer."""
    labelled: dict[str, str] = {}
    plain: list[str] = []
    for head in heads:
        found = _label_split(head)
        if found and found[0] in ("role", "employer"):
            labelled[found[0]] = found[1]
        elif found:
            continue
        else:
            plain.append(head)
    parts: list[str] = []
    ordered = False
    if len(plain) == 1:
        parts, ordered = _split_head(plain[0])
    else:
        for head in plain[:2]:
            sub, by_word = _split_head(head)
            if len(sub) > 1 and not parts and by_word:
                parts, ordered = sub, True
                break
            sub = _drop_locations(sub)
            parts.append(sub[0] if len(parts) == 0 else ", ".join(sub))
    parts = _drop_locations(parts)
    role = labelled.get("role", "")
    employer = labelled.get("employer", "")
    if len(parts) >= 2:
        first, second = parts[0], parts[1]
        if not ordered and _role_score(second) > _role_score(first):
            first, second = second, first
        role = role or first
        employer = employer or second
    elif parts:
        if role and not employer:
            employer = parts[0]
        elif employer and not role:
            role = parts[0]
        elif _role_score(parts[0]) < 0:
            employer = parts[0]
        else:
            role = parts[0]
    return role[:200], employer[:200]


@dataclass
class Block:
    heads: list[str]
    period: Period | None
    body: list[str]


def entries(lines: list[str], *, single_dates: bool = False) -> list[Block]:
    """Cut a section into entries, one per period found.

    The layout is read from the first period: heads before it (role, employer,
    then the dates) or after it (the dates, then role and employer). A period
    on a line with other text carries its heads on that line.
    """
    periods: list[tuple[int, Period]] = []
    for index, line in enumerate(lines):
        if not line:
            continue
        period = find_period(line, single=single_dates and len(line) <= 90)
        if period is not None:
            periods.append((index, period))
    if not periods:
        return _blocks_without_dates(lines)
    first_index, first_period = periods[0]
    inline_first = bool(_strip_period(lines[first_index], first_period))
    before = not inline_first and any(lines[i] for i in range(first_index))
    blocks: list[Block] = []
    taken: set[int] = set()
    for number, (index, period) in enumerate(periods):
        next_index = periods[number + 1][0] if number + 1 < len(periods) else len(lines)
        inline = _strip_period(lines[index], period)
        heads: list[str] = [inline] if inline else []
        body_start = index + 1
        if before:
            previous_end = periods[number - 1][0] if number else -1
            picked: list[int] = []
            cursor = index - 1
            while cursor > previous_end and len(picked) < 2:
                candidate = lines[cursor]
                if not candidate:
                    if picked:
                        break
                    cursor -= 1
                    continue
                if cursor in taken or not _is_head(candidate):
                    break
                picked.insert(0, cursor)
                cursor -= 1
            heads = [lines[i] for i in picked] + heads
            taken.update(picked)
        else:
            cursor = body_start
            while cursor < next_index and len(heads) < 2:
                candidate = lines[cursor]
                if not candidate:
                    if heads:
                        break
                    cursor += 1
                    continue
                if not _is_head(candidate) or (inline and len(_split_head(inline)[0]) > 1):
                    break
                heads.append(candidate)
                cursor += 1
            body_start = cursor
        body_end = next_index
        if before and number + 1 < len(periods):
            # The next entry's heads stand just above its period.
            body_end = _heads_start(lines, next_index, index)
        body = [line for line in lines[body_start:body_end] if line]
        blocks.append(Block(heads=heads, period=period, body=body))
    return blocks


def _heads_start(lines: list[str], period_index: int, floor: int) -> int:
    cursor = period_index - 1
    count = 0
    while cursor > floor and count < 2:
        if not lines[cursor]:
            if count:
                break
            cursor -= 1
            continue
        if not _is_head(lines[cursor]):
            break
        count += 1
        cursor -= 1
    return cursor + 1


def _blocks_without_dates(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            heads = [h for h in current[:2] if _is_head(h)]
            blocks.append(Block(heads=heads, period=None, body=current[len(heads) :]))
            current = []
    return blocks


def _description(body: list[str]) -> str:
    text = " ".join(_BULLET.sub("", line).strip() for line in body)
    return re.sub(r"\s+", " ", text).strip()[:2000]


@dataclass
class WorkItem:
    role: str = ""
    employer: str = ""
    start: str = ""
    end: str = ""
    current: bool = False
    description: str = ""


@dataclass
class EducationItem:
    programme: str = ""
    institution: str = ""
    level: str = ""
    start: str = ""
    end: str = ""
    completed: bool = False


def work_items(lines: list[str]) -> list[WorkItem]:
    items = []
    for block in entries(lines):
        role, employer = role_and_employer(block.heads)
        if not role and not employer:
            continue
        period = block.period or Period()
        items.append(
            WorkItem(
                role=role,
                employer=employer,
                start=period.start,
                end=period.end,
                current=period.current,
                description=_description(block.body),
            )
        )
    return items


def education_items(lines: list[str]) -> list[EducationItem]:
    items = []
    for block in entries(lines, single_dates=True):
        labelled: dict[str, str] = {}
        plain: list[str] = []
        for head in block.heads:
            found = _label_split(head)
            if found:
                labelled[found[0]] = found[1]
            else:
                plain.append(head)
        parts: list[str] = []
        for head in plain:
            # "Verpleegkunde (HBO)": the level in brackets is not the programme's name.
            head = re.sub(r"\s*\(([^)]*)\)", _without_level, head)
            parts.extend(_split_head(head)[0])
        parts = _drop_locations(parts)
        all_text = " ".join([*block.heads, *block.body])
        level_match = _LEVEL.search(all_text)
        level = labelled.get("level") or (level_match.group(0) if level_match else "")
        institution = labelled.get("institution", "")
        programme = labelled.get("programme", "")
        rest = []
        level_part = ""
        for part in parts:
            if not institution and _SCHOOL.search(part):
                institution = part
            elif part.casefold() == level.casefold():
                level_part = part  # "Havo": the level is the programme
                continue
            elif _LEVEL.fullmatch(part.strip()) and not programme:
                programme = part
            else:
                rest.append(part)
        if not programme and rest:
            programme = rest.pop(0)
        programme = programme or level_part
        if not institution and rest:
            institution = rest.pop(0)
        if not programme and not institution:
            continue
        period = block.period or Period()
        if _NOT_COMPLETED.search(all_text):
            completed = False
        elif _COMPLETED.search(all_text):
            completed = True
        else:
            completed = bool(period.end) and not period.current
        items.append(
            EducationItem(
                programme=programme[:200],
                institution=institution[:200],
                level=_normal_level(level)[:60],
                start=period.start,
                end=period.end,
                completed=completed,
            )
        )
    return items


def _without_level(match: re.Match[str]) -> str:
    return "" if _LEVEL.search(match.group(1)) else match.group(0)


def _normal_level(level: str) -> str:
    level = re.sub(r"\s+", " ", level.strip())
    if not level:
        return ""
    upper = level.upper()
    if upper.split()[0] in {"MBO", "HBO", "WO", "VMBO", "HAVO", "VWO", "MAVO", "LBO", "PHD"}:
        return upper.replace("NIVEAU", "niveau")
    return level[:1].upper() + level[1:]


# ----------------------------------------------------------------- skills, languages

_ITEM_SPLIT = re.compile(r"\s*(?:[,;•|·▪■●]|\s[\u2013\u2014-]\s|\s/\s)\s*")
_SKILL_LEVELS = {
    "basic": ("basis", "basic", "beginner", "elementair", "redelijk", "matig", "fair"),
    "good": ("goed", "good", "gevorderd", "advanced", "intermediate", "ruime ervaring", "prima"),
    "expert": ("expert", "uitstekend", "excellent", "zeer goed", "very good", "specialist"),
}


def _skill_level(text: str) -> str:
    lowered = text.casefold()
    for level in ("expert", "good", "basic"):
        if any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in _SKILL_LEVELS[level]):
            return level
    return ""


def skill_items(lines: list[str]) -> list[tuple[str, str]]:
    """(phrase, level) for each skill named, levels in brackets or after a dash."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for line in lines:
        if not line:
            continue
        line = _BULLET.sub("", line)
        if len(line.split()) > 14 and "," not in line:
            continue  # a sentence, not a list
        # Commas inside brackets belong to the item: "Office (Word, Excel)".
        protected = re.sub(
            r"\(([^)]*)\)", lambda m: "(" + m.group(1).replace(",", "\x1f") + ")", line
        )
        for raw in _ITEM_SPLIT.split(protected):
            raw = raw.replace("\x1f", ",").strip()
            level = ""
            bracket = re.search(r"\(([^)]*)\)\s*$", raw)
            if bracket and _skill_level(bracket.group(1)):
                level = _skill_level(bracket.group(1))
                raw = raw[: bracket.start()].strip()
            label = _label_split(raw)
            if ":" in raw and label is None:
                name, _colon, value = raw.partition(":")
                if _skill_level(value):
                    level, raw = _skill_level(value), name.strip()
            phrase = raw.strip(" .:-\u2013")
            if not (2 <= len(phrase) <= 60) or len(phrase.split()) > 6:
                continue
            key = phrase.casefold()
            if key in seen or (_skill_level(phrase) and len(phrase.split()) <= 2):
                continue
            seen.add(key)
            found.append((phrase, level))
    return found[:60]


LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "nl": ("nederlands", "dutch", "vlaams", "flemish"),
    "en": ("engels", "english"),
    "de": ("duits", "german", "deutsch"),
    "fr": ("frans", "french", "français", "francais"),
    "es": ("spaans", "spanish", "español", "espanol"),
    "it": ("italiaans", "italian"),
    "pt": ("portugees", "portuguese"),
    "pl": ("pools", "polish"),
    "tr": ("turks", "turkish"),
    "ar": ("arabisch", "arabic"),
    "ber": ("berbers", "tamazight", "berber"),
    "fy": ("fries", "frisian"),
    "pap": ("papiaments", "papiamento"),
    "so": ("somalisch", "somali"),
    "ti": ("tigrinya", "tigrinya"),
    "fa": ("perzisch", "farsi", "persian"),
    "uk": ("oekraïens", "oekraiens", "ukrainian"),
    "ru": ("russisch", "russian"),
    "ro": ("roemeens", "romanian"),
    "bg": ("bulgaars", "bulgarian"),
    "zh": ("chinees", "chinese", "mandarijn", "mandarin"),
    "hi": ("hindi",),
    "sr": ("servisch", "serbian"),
    "hr": ("kroatisch", "croatian"),
    "el": ("grieks", "greek"),
}
_LANGUAGE_OF = {name: code for code, names in LANGUAGE_NAMES.items() for name in names}
_LANGUAGE_LEVELS = (
    ("native", ("moedertaal", "native", "mother tongue", "first language", "c2")),
    ("fluent", ("vloeiend", "fluent", "uitstekend", "excellent", "zeer goed", "very good", "c1")),
    ("good", ("goed", "good", "gevorderd", "advanced", "intermediate", "b2", "b1", "redelijk")),
    ("basic", ("basis", "basic", "beginner", "elementair", "a2", "a1", "matig", "fair", "some")),
)


def language_level(text: str) -> str:
    lowered = text.casefold()
    for level, words in _LANGUAGE_LEVELS:
        if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", lowered) for w in words):
            return level
    return ""


@dataclass
class LanguageItem:
    language: str = ""
    name: str = ""
    level: str = ""


def language_items(lines: list[str]) -> list[LanguageItem]:
    found: dict[str, LanguageItem] = {}
    for line in lines:
        if not line:
            continue
        line = _BULLET.sub("", line)
        chunks = re.split(r"\s*[,;•|·]\s*", line)
        for chunk in chunks:
            words = _WORD.findall(chunk.casefold())
            code = next((_LANGUAGE_OF[w] for w in words if w in _LANGUAGE_OF), "")
            if not code or code in found:
                continue
            name = next(w for w in _WORD.findall(chunk) if w.casefold() in _LANGUAGE_OF)
            found[code] = LanguageItem(language=code, name=name, level=language_level(chunk))
    return list(found.values())


# ----------------------------------------------------------------- contact

_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,}", re.IGNORECASE)
_POSTCODE = re.compile(
    r"(?<![\w-])([1-9]\d{3})\s?(?!SA|SD|SS)([A-Z]{2})(?![\w-])"  # 1234 AB
    r"[\s,]*([A-Z][\w'\-]+(?:[ \-][A-Za-z][\w'\-]+){0,3})?"  # the place after it
)
_STREET = re.compile(
    r"([A-Z][\w'.\-]+(?:\s+[\w'.\-]+){0,3}?)\s+(\d{1,5}(?:\s?[a-zA-Z]\b|\s?-\s?\d{1,3})?)\s*,?\s*$"
)


@dataclass
class Contact:
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""


_NAME_PARTICLES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "la", "le", "da", "el"}
_NOT_NAMES = {"curriculum", "vitae", "cv", "resume", "résumé", "resumé"}


def _name(lines: list[str]) -> tuple[str, str]:
    for line in lines[:4]:
        words = line.split()
        if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in line) or "@" in line:
            continue
        if {w.casefold().strip(":") for w in words} & _NOT_NAMES:
            continue
        if not all(w[0].isupper() or w.casefold() in _NAME_PARTICLES for w in words):
            continue
        return words[0], " ".join(words[1:])
    return "", ""


def contact_of(sections: Sections, text: str) -> Contact:
    contact = Contact()
    near = [*sections.header, *sections.parts.get(PERSONAL, [])]
    near_text = "\n".join(near)
    contact.first_name, contact.last_name = _name([line for line in sections.header if line])
    email = _EMAIL.search(near_text) or _EMAIL.search(text)
    if email:
        contact.email = email.group(0).rstrip(".").lower()
    contact.phone = _phone(near_text) or _phone(text[:4000])
    for line in [*near, *text.splitlines()[:80]]:
        match = _POSTCODE.search(line)
        if match is None:
            continue
        try:
            contact.postcode = normalise_postcode(f"{match.group(1)} {match.group(2)}")
        except ValidationError:  # not a valid Dutch postcode after all
            contact.postcode = ""
            continue
        city = (match.group(3) or "").strip()
        if city and city.casefold() not in {"tel", "telefoon", "e", "email", "phone"}:
            contact.city = city[:100]
        street = _STREET.search(line[: match.start()].strip().rstrip(","))
        if street is None:
            index = near.index(line) if line in near else -1
            previous = near[index - 1] if index > 0 else ""
            street = _STREET.fullmatch(previous.strip()) if previous else None
        if street:
            name = re.sub(r"^(?:adres|address)\s*:?\s*", "", street.group(1), flags=re.I)
            contact.street = name.strip()[:200]
            contact.house_number = street.group(2).replace(" ", "")[:20]
        break
    return contact


def _phone(text: str) -> str:
    for match in phonenumbers.PhoneNumberMatcher(text, "NL"):
        return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return ""


# ----------------------------------------------------------------- the whole CV


@dataclass
class ParsedCv:
    language: str
    contact: Contact
    work: list[WorkItem]
    education: list[EducationItem]
    skills: list[tuple[str, str]]
    languages: list[LanguageItem]
    sections: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_cv(text: str) -> ParsedCv:
    sections = split_sections(text)
    parts = sections.parts
    return ParsedCv(
        language=detect_language(text),
        contact=contact_of(sections, text),
        work=work_items(parts.get(WORK, [])),
        education=education_items(parts.get(EDUCATION, [])),
        skills=skill_items(parts.get(SKILLS, [])),
        languages=language_items(parts.get(LANGUAGES, [])),
        sections=list(dict.fromkeys(sections.found)),
    )
