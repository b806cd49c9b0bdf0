"""Metadata read from a plan's own text: document number, issuing province, date, signer, title.

Used when a document has no front matter (or an incomplete one). The rules follow how Vietnamese
administrative documents and the news pages about them are laid out, not any particular file:

* the header block of a document ("Số: 201/KH-UBND", "Quảng Ninh, ngày 30 tháng 10 năm 2023"),
  or the summary table of legal-document websites ("Số hiệu | 3470/QĐ-UBND |", "Người ký: ...");
* news sentences that announce a plan ("UBND tỉnh vừa có Quyết định số 4750/QĐ-UBND ...",
  "... Vương Quốc Tuấn vừa ký ban hành Kế hoạch số 897/KH-UBND").

Plans cite many other documents ("Căn cứ Nghị quyết số 76/NQ-CP ...", "Thực hiện Kế hoạch số
..."); a number in such a sentence is never taken as the document's own.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from knowledge.cleaning import SIGNATURE_TITLE, strip_markdown
from knowledge.provinces import Gazetteer
from knowledge.text import fold, has_diacritics

# The "province" of documents issued by the Government, the Prime Minister or a ministry.
CENTRAL = "Trung ương"
_CENTRAL_NAMES = ("trung uong", "toan quoc", "chinh phu", "quoc gia")
# Letterheads of central issuers ("THỦ TƯỚNG CHÍNH PHỦ", "CHÍNH PHỦ", "BỘ XÂY DỰNG", "VĂN PHÒNG
# CHÍNH PHỦ"); a province's department ("SỞ ...") or "BỘ CHỈ HUY QUÂN SỰ TỈNH" is not one.
_CENTRAL_HEAD_RE = re.compile(r"^(?:THỦ TƯỚNG CHÍNH PHỦ|CHÍNH PHỦ|VĂN PHÒNG CHÍNH PHỦ|QUỐC HỘI"
                              r"|ỦY BAN THƯỜNG VỤ QUỐC HỘI|BỘ (?!CHỈ HUY)[A-ZĐÀ-Ỹ ,]{3,60})$")


def is_central(province: str) -> bool:
    """True for the "province" of a central document ("Trung ương", "Toàn quốc", "Chính phủ")."""
    return fold(province).strip() in _CENTRAL_NAMES

# "4750/QĐ-UBND", "76/2021/NQ-CP", "13/CT-TTg", "1888/KH-VPUBND", "6204/SNV-CCHC&PC".
_NUMBER = r"\d{1,6}(?:/\d{4})?/[A-ZĐ][A-Za-zĐđ0-9]*(?:[ ]?-[ ]?[A-ZĐ][A-Za-zĐđ0-9&]*)*"

_HEADER_NUMBER_RE = re.compile(
    rf"(?:^|\|)[ \t]*Số(?:[ \t]+hiệu)?(?:[ \t]+văn[ \t]+bản)?[ \t]*[:|][ \t]*(?P<num>{_NUMBER})", re.M
)
# The kinds of document a province issues a reform plan as.
_OWN_NUMBER_RE = re.compile(
    rf"(?i:\b(?:quyết định|kế hoạch|chương trình|chỉ thị|đề án))[ \t]+(?:(?i:số)[ \t]*:?[ \t]*)?"
    rf"(?P<num>{_NUMBER})"
)
# Sentences that open like this cite other documents.
_CITING_OPENERS = (
    "can cu", "thuc hien", "trien khai", "tiep tuc", "theo de nghi", "theo quy dinh", "quan triet",
    "tren co so", "xet de nghi", "thay the",
)
# Words right before "Quyết định số ..." that make it a cited document.
_CITING_TAIL_RE = re.compile(
    r"(?:\btai|\bcua|\bva|\bhoac|\bvoi|\bthay the|\bsua doi|\bbo sung|\btheo quy dinh|\bquy dinh|"
    r"\btheo de nghi|\bcan cu|\bthuc hien|\btrien khai|\bcac)\s*$"
)
_ANNOUNCE_RE = re.compile(r"\b(?:ban hanh|vua ky|da ky|vua co|da co|vua phe duyet|da phe duyet)\b")
# A document announces itself early; looking further only costs time on long appendices.
_MAX_MENTIONS = 200
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s)|\n")

_DATE_WORDS = r"(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})"
_DATE_SLASH = r"(?P<d2>\d{1,2})[/.-](?P<m2>\d{1,2})[/.-](?P<y2>\d{4})"
_ISSUED_FIELD_RE = re.compile(rf"Ngày ban hành\s*[:|]\s*{_DATE_SLASH}")
_PLACE_DATE_RE = re.compile(
    rf"(?:^|\|)[ \t]*(?P<place>[^\W\d_][^,\n|;:]{{1,40}}),[ \t]*"
    rf"ngày[ \t]+{_DATE_WORDS}",
    re.M,
)
_DATE_AFTER_NUMBER_RE = re.compile(rf"\s*,?\s*ngày\s+(?:{_DATE_WORDS}|{_DATE_SLASH})")

_FIELD_PROVINCE_RE = re.compile(r"(?:Nơi ban hành|Cơ quan ban hành)[ \t]*[:|][ \t]*")
_UBND_PROVINCE_RE = re.compile(
    r"(?i:ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+(?P<pre>(?i:tỉnh|thành phố|tp\.?))\s"
)
_CAPS_PROVINCE_RE = re.compile(r"(?m)^[^\n]*?\b(?P<pre>TỈNH|THÀNH PHỐ)[ \t]+(?=\S)")

_SIGNER_FIELD_RE = re.compile(r"Người ký[ \t]*[:|][ \t]*(?P<rest>[^\n|]*)")
# "vừa ký", "đã ký", "ký ban hành", "ký Quyết định": not "đăng ký" (to register).
_SIGNS_RE = re.compile(r"\s+(?:(?:vừa|đã)\s+ký(?!\s+(?:kết|cam kết|hợp đồng))|ký\s+(?:ban hành|quyết định|kế hoạch))\b")
_SIGN_BLOCK_RE = re.compile(
    r"(?m)^[ \t|]*(?:(?:KT|TM|Q|TL|TUQ)\.)?[ \t]*(?:PHÓ[ \t]+)?(?:CHỦ TỊCH|GIÁM ĐỐC|CHÁNH VĂN PHÒNG|THỦ TƯỚNG"
    r"|BỘ TRƯỞNG|THỨ TRƯỞNG|CHỦ NHIỆM|TRƯỞNG BAN|CỤC TRƯỞNG|VỤ TRƯỞNG)[ \t]*$"
)

_PAGE_TITLE_RE = re.compile(
    rf"^(?:Quyết định|Kế hoạch|Chỉ thị|Chương trình)[ \t]+(?:số[ \t]+)?{_NUMBER}\b.{{10,}}$"
)
_UPPER_TITLE_STARTS = ("BAN HÀNH", "VỀ ", "KẾ HOẠCH", "CHƯƠNG TRÌNH", "PHÊ DUYỆT")
_PLAN_HEADING_RE = re.compile(r"^[ \t|]*KẾ HOẠCH[ \t|]*$")
_SECTION_RE = re.compile(r"^(?:[IVXLC]+|\d+)\s*[.)]|^(?:PHẦN|Phần|Điều|ĐIỀU)\b")

_WORD_RE = re.compile(r"[^\W\d_]+")


def detect_metadata(text: str, *, gazetteer: Gazetteer | None = None) -> dict[str, str]:
    """What a plan's text says about itself: any of `document`, `province`, `issued` (YYYY-MM-DD),
    `signer`, `title`; a key is present only when found."""
    gaz = gazetteer or Gazetteer.default()
    # Markdown conversions: "**ỦY BAN NHÂN" / "DÂN **", "*Hà Nội, ngày 01*", "[đã ký]".
    text = strip_markdown(text) if ("*" in text or "[" in text or "#" in text) else text
    found: dict[str, str] = {}
    number = _find_document_number(text)
    if number:
        found["document"] = number[0]
    province = CENTRAL if _central_letterhead(text) else _find_province(text, gaz)
    if province:
        found["province"] = province
    issued = _find_issued(text, number)
    if issued:
        found["issued"] = issued
    signer = _find_signer(text, gaz)
    if signer:
        found["signer"] = signer
    title = _find_title(text)
    if title:
        found["title"] = title
    return found


# --- document number ---------------------------------------------------------------------------

def _sentence_start(text: str, pos: int) -> int:
    # Looking back 2000 characters at most keeps this linear on pages without full stops.
    start = max(0, pos - 2000)
    for m in _SENTENCE_END_RE.finditer(text, start, pos):
        start = m.end()
    return start


def _own_rank(text: str, m: re.Match[str]) -> int | None:
    """2 when a sentence announces the document ("vừa ban hành Kế hoạch số ...", "Kèm theo
    Quyết định số ..."), 3 for a plain mention, None when the sentence cites it."""
    sentence = fold(text[_sentence_start(text, m.start()) : m.start()])
    clause = sentence.rsplit(";", 1)[-1]
    for part in (sentence, clause):
        if part.lstrip(" \t-+*•(").startswith(_CITING_OPENERS):
            return None
    if re.search(r"\bkem theo\s*$", clause):
        return 2
    if _CITING_TAIL_RE.search(clause):
        return None
    return 2 if _ANNOUNCE_RE.search(clause) else 3


def _find_document_number(text: str) -> tuple[str, int] | None:
    """The document's own number as written ("1256/QĐ-UBND") and where it ends in `text`:
    the header ("Số: ...", "Số hiệu | ... |") if there is one, else the first announced mention,
    else the first mention that is not a citation."""
    header = _HEADER_NUMBER_RE.search(text)
    if header:
        return header.group("num").strip(), header.end("num")
    plain: tuple[str, int] | None = None
    for count, m in enumerate(_OWN_NUMBER_RE.finditer(text)):
        if count >= _MAX_MENTIONS:
            break
        rank = _own_rank(text, m)
        if rank == 2:
            return m.group("num").strip(), m.end("num")
        if rank == 3 and plain is None:
            plain = m.group("num").strip(), m.end("num")
    return plain


# --- province ----------------------------------------------------------------------------------

def _central_letterhead(text: str) -> bool:
    """The issuer in the first lines is the Government, the Prime Minister or a ministry."""
    head: list[str] = []
    for line in text.split("\n", 40)[:40]:
        line = line.strip(" \t|")
        if not line:
            continue
        if line.startswith(("CỘNG HÒA", "Số", "ĐỘC LẬP", "Độc lập")) or not line.isupper():
            break
        head.append(line)
    joined = " ".join(head)
    return bool(head) and bool(_CENTRAL_HEAD_RE.match(joined) or any(_CENTRAL_HEAD_RE.match(h) for h in head[:1]))


def _province_near(text: str, start: int, gaz: Gazetteer, *, slack: int = 0) -> str | None:
    """The province named right at `start` (within `slack` characters, on the same line)."""
    window = text[start : start + 80].split("\n", 1)[0].split("|", 1)[0]
    hits = gaz.find(window)
    return hits[0][0] if hits and hits[0][1] <= slack else None


def _find_province(text: str, gaz: Gazetteer) -> str | None:
    """The issuing province (canonical name), from the header or metadata lines if possible,
    else the province the text names most often."""
    for m in _FIELD_PROVINCE_RE.finditer(text):
        # "Nơi ban hành: Tỉnh Lào Cai", "Cơ quan ban hành | Thành phố Hải Phòng |"
        name = _province_near(text, m.end(), gaz, slack=25)
        if name:
            return name
    for pattern in (_UBND_PROVINCE_RE, _CAPS_PROVINCE_RE):
        for m in pattern.finditer(text):
            # The window starts at the prefix so names that need one ("tỉnh Hòa Bình") pass.
            window = text[m.start("pre") : m.start("pre") + 80].split("\n", 1)[0]
            hits = gaz.find(window)
            gap = m.end() - m.start("pre")
            if hits and hits[0][1] <= gap + 1:
                return hits[0][0]
    for m in _place_dates(text):
        name = gaz.canonical(m.group("place"))
        if name:
            return name
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for name, start, _ in gaz.find(text):
        counts[name] += 1
        first.setdefault(name, start)
    if not counts:
        return None
    return min(counts, key=lambda n: (-counts[n], first[n]))


def _place_dates(text: str) -> list[re.Match[str]]:
    """Header lines "<Place>, ngày .. tháng .. năm ....": a place of a few capitalized words
    ("Bắc Giang", "TP. Hồ Chí Minh"), not a phrase ("Tổ chức hội nghị, ngày ...")."""
    found = []
    for m in _PLACE_DATE_RE.finditer(text):
        words = m.group("place").split()
        if len(words) <= 6 and all(w[:1].isupper() or w == "phố" for w in words):  # "Thành phố Huế"
            found.append(m)
    return found


# --- date --------------------------------------------------------------------------------------

def _iso(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    d, mo, y = (groups.get("d"), groups.get("m"), groups.get("y"))
    if d is None:
        d, mo, y = groups.get("d2"), groups.get("m2"), groups.get("y2")
    try:
        return date(int(y or 0), int(mo or 0), int(d or 0)).isoformat()
    except ValueError:
        return None


def _find_issued(text: str, number: tuple[str, int] | None = None) -> str | None:
    """The issue date as YYYY-MM-DD: "Ngày ban hành: 20/10/2023", the header line
    "<Place>, ngày 22 tháng 12 năm 2021", or the date given with the document's own number."""
    m = _ISSUED_FIELD_RE.search(text)
    if m and _iso(m):
        return _iso(m)
    for m in _place_dates(text):
        iso = _iso(m)
        if iso:
            return iso
    if number is None:
        return None
    num_end = number[1]
    after = _DATE_AFTER_NUMBER_RE.match(text, num_end)
    if after and _iso(after):
        return _iso(after)
    # "Ngày 30/12/2025, Văn phòng UBND tỉnh ... đã ban hành Kế hoạch số 1888/KH-VPUBND"
    start = _sentence_start(text, num_end)
    for m in re.finditer(rf"(?i:ngày)\s+(?:{_DATE_WORDS}|{_DATE_SLASH})", text[start:num_end]):
        if _iso(m):
            return _iso(m)
    return None


# --- signer ------------------------------------------------------------------------------------

def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower()) and word.isalpha()


def _leading_name(words: list[str]) -> str | None:
    run: list[str] = []
    for w in words:
        if not _is_name_word(w):
            break
        run.append(w)
    return " ".join(run) if 2 <= len(run) <= 5 else None


def _find_signer(text: str, gaz: Gazetteer) -> str | None:
    """Who signed: "Người ký: Trịnh Xuân Trường", "Người ký | Lê Ngọc Châu |", "<chức vụ>
    <Tên> vừa ký ban hành ...", or the name under "CHỦ TỊCH" in the signature block."""
    for m in _SIGNER_FIELD_RE.finditer(text):
        rest = m.group("rest")
        words = rest.split(":", 1)[0].split()
        if ":" in rest:
            # Another field follows on the line ("... Trịnh Xuân Trường Ngày ban hành: ..."): drop
            # its label, a capitalized word and then lower-case ones.
            while words and words[-1][:1].islower():
                words.pop()
            if words:
                words.pop()
        name = _leading_name(words)
        if name:
            return name
    for m in _SIGNS_RE.finditer(text):
        name = _name_before(text, m.start(), gaz)
        if name:
            return name
    for m in _SIGN_BLOCK_RE.finditer(text):
        name = _name_below(text, m.end())
        if name:
            return name
    return None


def _name_before(text: str, pos: int, gaz: Gazetteer) -> str | None:
    """A personal name (2–4 capitalized syllables) ending at `pos`, after the title and the
    province ("Phó Chủ tịch UBND tỉnh Bắc Ninh Vương Quốc Tuấn" → "Vương Quốc Tuấn")."""
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[max(line_start, pos - 120) : pos]
    words = before.split()
    run: list[str] = []
    for w in reversed(words):
        if not _is_name_word(w):
            break
        run.insert(0, w)
    if not run:
        return None
    joined = " ".join(run)
    hits = gaz.find(joined)
    if hits and hits[0][1] == 0:
        joined = joined[hits[0][2] :].strip()
    syllables = joined.split()
    return joined if 2 <= len(syllables) <= 4 else None


def _name_below(text: str, pos: int) -> str | None:
    """The first line under a signature title that is a personal name, skipping further title
    lines ("PHÓ CHỦ TỊCH", "(Đã ký)") and blank lines."""
    for line in text[pos:pos + 600].split("\n")[1:8]:
        line = line.strip(" \t|")
        if not line or line.isupper() or line.startswith(("(", "[")) or SIGNATURE_TITLE.match(line):
            continue
        words = line.split()
        name = _leading_name(words)
        return name if name and len(words) == len(name.split()) and len(words) <= 4 else None
    return None


# --- title -------------------------------------------------------------------------------------

def _is_upper_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and not any(c.islower() for c in letters)


def _plan_heading_title(lines: list[str]) -> str | None:
    """ "KẾ HOẠCH" on its own line, then the title in capitals over one or more lines."""
    for i, line in enumerate(lines):
        if not _PLAN_HEADING_RE.match(line):
            continue
        parts: list[str] = []
        for nxt in lines[i + 1 : i + 12]:
            stripped = nxt.strip(" \t|")
            if not stripped:
                if parts and not _continues(parts[-1]):
                    break
                continue
            if stripped.startswith("(") or _SECTION_RE.match(stripped) or any(c.islower() for c in stripped):
                break
            parts.append(stripped)
        if parts:
            return "KẾ HOẠCH " + " ".join(parts)
    return None


def _continues(line: str) -> bool:
    # A title broken mid-phrase ("... GIAI ĐOẠN 2026" / "- 2030") goes on after a blank line too.
    return line.endswith(("-", ",", "VÀ", "CỦA", "GIAI ĐOẠN"))


def _is_heading_like(line: str) -> bool:
    words = _WORD_RE.findall(line)
    return (
        len(words) >= 6
        and len(line) <= 250
        and line[:1].isupper()
        and not _is_upper_line(line)
        and not line.endswith((".", ";", ":", ","))
        and "|" not in line
        and has_diacritics(line)
        and not fold(line).startswith(_CITING_OPENERS)  # "Triển khai Nghị quyết số ..." links
    )


def _find_title(text: str) -> str | None:
    """The title as written: a page title "Quyết định 3470/QĐ-UBND ... về ...", the capitals under
    "KẾ HOẠCH", an upper-case "... BAN HÀNH KẾ HOẠCH ..." line, or the first heading-like line."""
    lines = text.split("\n")
    head = [ln.strip(" \t|") for ln in lines[:60]]
    for line in [ln for ln in head if ln][:10]:
        if _PAGE_TITLE_RE.match(line) and not line.endswith("."):
            return line
    title = _plan_heading_title(lines)
    if title:
        return title
    for line in head:
        # "BAN HÀNH KẾ HOẠCH ...", "VỀ VIỆC BAN HÀNH ..."; not "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"
        if _is_upper_line(line) and line.startswith(_UPPER_TITLE_STARTS) and len(line.split()) >= 5:
            return line
    for line in head:
        if _is_heading_like(line):
            return line
    return None
