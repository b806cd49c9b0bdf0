"""Clean lines → clauses: numbered and lettered items, sentences, ';'-separated targets.

A clause keeps its section path ("I. MỤC ĐÍCH, YÊU CẦU › 2. Yêu cầu") and its lead-in
("Các chỉ tiêu chủ yếu đến năm 2025:"), whose years its items inherit. Clause text is always
a verbatim slice of the document.
"""

from __future__ import annotations

import re
from pathlib import Path

from knowledge.cleaning import CELL_SEPARATOR, BoldLine, GroupRow, TableRow, join_cells, title_of
from knowledge.models import Clause
from knowledge.tasks import agency_label
from knowledge.text import fold

MAX_CLAUSE = 320  # a citizen gets a clause, not a page: longer paragraphs are split
HARD_MAX = 560  # no clause is longer (results over 600 characters are not quotable answers)

_ROMAN = re.compile(r"^([IVXLC]+)\.\s+\S")
_SUB_ROMAN = re.compile(r"^[IVXLC]+\.\d+\.?\s+\S")  # "I.1. Cung cấp dịch vụ số": a group of an appendix
_ARABIC = re.compile(r"^(\d+(?:\.\d+)*)[.)]\s*\S")
_LETTER = re.compile(r"^([a-zđ])\)\s*\S")
_BULLET = re.compile(r"^[-–•+*]\s*\S")
# An article of a decision or regulation ("Điều 5. Tiêu chí …", "Điều 2. Quyết định này có hiệu
# lực …"): it opens a context of its own, whatever lead-in the article before it left open.
_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+\d+[a-zđ]?\s*[.:]\s*\S")
# An appendix's label on its own line ("Phụ lục 01", "PHỤ LỤC II"): what follows is no article's.
_APPENDIX = re.compile(r"^(?:Phụ lục|PHỤ LỤC)(?:\s+(?:số\s+)?(?:\d{1,2}|[IVXLC]+))?\s*[.:]?$")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_RANGE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)(?!\d)")
# Sentence ends: ". " then a capital letter, a digit or an opening quote/bracket.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ0-9“\"(])")
_MARKER_ONLY = re.compile(r"^\s*(?:\d+(?:\.\d+)*|[a-zđ]|[IVXLC]+)[.)]?\s*$", re.IGNORECASE)
_ABBREV_END = re.compile(r"(?:\bTP|\bTp|\bThS|\bTS|\bPGS|\bGS|\bNxb|\bv\.v|\bSđd)\.$")
# Header boilerplate that is a heading, never an answer.
_BOILERPLATE = re.compile(r"^(?:CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐỘC LẬP - TỰ DO - HẠNH PHÚC|"
                          r"(?:TM\. )?ỦY BAN NHÂN DÂN(?: TỈNH| THÀNH PHỐ)?.{0,20}|QUYẾT ĐỊNH:?|KẾ HOẠCH|"
                          r"NƠI NHẬN:?|CHỦ TỊCH.{0,40}|KT\. CHỦ TỊCH.*|PHÓ CHỦ TỊCH.*)$")


def _data(name: str) -> list[str]:
    path = Path(__file__).with_name("lang") / name
    return [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")]


_DUTY_SECTIONS = tuple(fold(x) for x in _data("duty_sections.txt"))


def _opening(entry: str) -> str:
    """lang/agency_heads.txt's entry as a pattern: "Bộ …" is "Bộ" before a capitalised word."""
    if entry.endswith("…"):
        return re.escape(entry[:-1].strip()) + r"\s+(?=[A-ZĐÀ-Ỹ])"
    return re.escape(entry) + r"(?=[\s,]|$)"


_AGENCY_HEAD = re.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\))\s*(?:"
                          + "|".join(_opening(x) for x in sorted(_data("agency_heads.txt"), key=len, reverse=True))
                          + ")")


def agency_heading(heading: str, sections: dict[int, str]) -> bool:
    """Does a numbered heading name the agency whose duties follow ("9. Sở Xây dựng" under
    "VI. TỔ CHỨC THỰC HIỆN")? Its words open like an agency's name (lang/agency_heads.txt) and a
    heading above it is a duties section (lang/duty_sections.txt), or no part heading is: a directive's body
    is its addressees' duties ("2. Sở Khoa học và Công nghệ" in a chỉ thị)."""
    return bool(_AGENCY_HEAD.match(heading)) and (not any(k >= 1 for k in sections) or any(
        d in fold(h) for h in sections.values() for d in _DUTY_SECTIONS))


class TaskRecord(str):
    """A task as a list-style plan writes it, read as one record: "a) Nhiệm vụ: …" with its
    labelled items ("b) Cơ quan thực hiện:", "- Đơn vị chủ trì: …", "- Đơn vị phối hợp: …", "c) Thời
    gian thực hiện: …"), the document's lines joined by line breaks. One clause, so the task, who
    leads it and by when are quoted together."""


# The lines a task record is made of, after its "Nhiệm vụ" item: labelled items (agency_label)
# and the label heading over the agencies ("b) Cơ quan thực hiện:").
_AGENCIES_LABEL = re.compile(r"^(?:[a-zđ]\)\s*|\d{1,2}[.)]\s*)?(?:cơ quan|đơn vị) thực hiện\s*:$", re.IGNORECASE)
_FIELDS = ("agency", "partners", "deadline", "product")


def task_records(lines: list[str]) -> list[str]:
    """Lines with each task of a list-style plan that fits in one clause (HARD_MAX) joined into a
    `TaskRecord`: a "Nhiệm vụ: …" item followed by its labelled items, one naming the lead agency
    or the deadline among them. Anything else is left as it is."""
    out: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if isinstance(line, TableRow) or not _TASK_VALUE.match(line) or agency_label(line) != "task":
            out.append(line)
            i += 1
            continue
        j, roles = i + 1, set()
        while j < n and not isinstance(lines[j], TableRow):
            role = agency_label(lines[j])
            if role in _FIELDS:
                roles.add(role)
            elif not _AGENCIES_LABEL.match(lines[j]):
                break
            j += 1
        record = "\n".join(lines[i:j])
        if roles & {"agency", "deadline"} and len(record) <= HARD_MAX:
            out.append(TaskRecord(record))
            i = j
        else:
            out.append(line)
            i += 1
    return out


_TASK_VALUE = re.compile(r"^(?:[a-zđ]\)\s*|\d{1,2}[.)]\s*)?(?:nhiệm vụ|nội dung)\s*:\s*\S", re.IGNORECASE)


def years_in(text: str) -> list[int]:
    """Years a text names, ranges expanded ("giai đoạn 2021 - 2025" → 2021..2025)."""
    found: set[int] = set()
    for a, b in _RANGE.findall(text):
        lo, hi = int(a), int(b)
        if 0 < hi - lo <= 30:
            found.update(range(lo, hi + 1))
    found.update(int(y) for y in _YEAR.findall(text))
    return sorted(found)


def _heading_level(line: str) -> int | None:
    """1 for "I. ...", 2 for "1. ...", 3 for "1.1." or "a) ..." — when the line is a heading,
    i.e. short and not a sentence; None for body text."""
    short = len(line) <= 120 and not line.endswith((".", ";", "./."))
    if _ROMAN.match(line) and (short or line.isupper()):
        return 1
    if _ARTICLE.match(line) and short and not line.endswith(":") and len(line.split()) <= 24:
        return 1  # an article's title ("Điều 2. Mục tiêu"): the section its clauses are under
    if _SUB_ROMAN.match(line) and short:
        return 2
    m = _ARABIC.match(line)
    # A wholly bold numbered line is a heading even when long ("13. Báo và Phát thanh, Truyền
    # hình tỉnh và các cơ quan báo chí đóng trên địa bàn": an agency over its duties).
    if m and short and len(line.split()) <= (24 if isinstance(line, BoldLine) else 14):
        return 2 + m.group(1).count(".")
    if _LETTER.match(line) and short and len(line.split()) <= 10 and line.endswith(":"):
        return 4
    if _APPENDIX.match(line):
        return 0
    if line.isupper() and len(line) <= 160 and not any(c.isdigit() for c in line[:3]):
        return 0
    return None


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph; an item marker ("1.", "a)") or "TP." never ends one."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        head = text[start:m.start()]
        if _MARKER_ONLY.match(head) or _ABBREV_END.search(head):
            continue
        out.append(head)
        start = m.end()
    out.append(text[start:])
    return [s for s in out if s]


def _glue(parts: list[str], limit: int) -> list[str]:
    """Join a short fragment to the next part so no piece is a stub ("Yêu cầu các sở, ban;")."""
    out: list[str] = []
    carry = ""
    for part in parts:
        part = f"{carry} {part}".strip() if carry else part
        if len(part) < limit:
            carry = part
        else:
            out.append(part)
            carry = ""
    if carry:
        if out and len(out[-1]) + len(carry) < HARD_MAX:
            out[-1] = f"{out[-1]} {carry}"
        else:
            out.append(carry)
    return out


def _marker_level(line: str) -> int | None:
    """The level an item marker stands at ("Điều 2." → 1, "1." → 2, "1.2." → 3, "a)" → 4), None
    without one."""
    if _ARTICLE.match(line):
        return 1
    m = _ARABIC.match(line)
    if m:
        return 2 + m.group(1).count(".")
    if _LETTER.match(line):
        return 4
    return None


def cut_words(text: str, limit: int = HARD_MAX) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at spaces (a word longer than the limit
    is cut where it must); linear in the length of the text."""
    pieces: list[str] = []
    start, n = 0, len(text)
    while n - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit + 1)
        if cut <= start:
            cut = start + limit
        pieces.append(text[start:cut].strip())
        start = cut
        while start < n and text[start] == " ":
            start += 1
    if start < n:
        pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def _split_row(row: TableRow) -> list[str]:
    """A table row longer than a clause: its cells in runs of at most HARD_MAX characters (a cell
    longer than that at its own sentences), never a cell cut in two."""
    if len(row) <= HARD_MAX:
        return [str(row)]
    pieces: list[str] = []
    run = ""
    for _, cell in row.cells:
        for part in (_split_long(cell) if len(cell) > HARD_MAX else [cell]):
            if run and len(run) + len(part) + len(CELL_SEPARATOR) > HARD_MAX:
                pieces.append(run)
                run = part
            else:
                run = join_cells([run, part])
    if run:
        pieces.append(run)
    return pieces


def _semicolon_parts(sentence: str) -> list[str]:
    """A sentence cut after each ';' that stands outside brackets: "(năm 2023 đạt 16,56 điểm; năm
    2024 đạt 17,52 điểm)" lists the figures of what precedes it and stays with it."""
    parts: list[str] = []
    depth = start = 0
    for i, ch in enumerate(sentence):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0 and sentence[i + 1:i + 2].isspace():
            parts.append(sentence[start:i + 1])
            start = i + 1
    parts.append(sentence[start:])
    return parts


def _split_long(text: str) -> list[str]:
    """Sentences, then ';' parts, then ',' runs, then words, until each piece is short enough."""
    if len(text) <= MAX_CLAUSE:
        return [text]
    pieces: list[str] = []
    for sentence in sentences(text):
        if len(sentence) <= MAX_CLAUSE:
            pieces.append(sentence)
            continue
        parts = _glue([p.strip() for p in _semicolon_parts(sentence) if p.strip()], 90)
        for part in parts:
            if len(part) <= HARD_MAX:
                pieces.append(part)
                continue
            run = ""
            for chunk in re.split(r"(?<=,)\s+", part):
                if run and len(run) + len(chunk) + 1 > MAX_CLAUSE:
                    pieces.append(run)
                    run = chunk
                else:
                    run = f"{run} {chunk}".strip()
            if run:
                pieces.append(run)
    # A tiny tail ("Trong đó:") reads better with what precedes it.
    merged: list[str] = []
    for p in (q for piece in pieces for q in (cut_words(piece) if len(piece) > HARD_MAX else [piece])):
        if merged and len(p) < 40 and len(merged[-1]) + len(p) < HARD_MAX:
            merged[-1] = f"{merged[-1]} {p}"
        else:
            merged.append(p)
    return merged


# A sentence's opening that scopes all of it: "… năm 2024 …, cụ thể:" (up to its last colon), or a
# time phrase opening it ("Theo đó, phấn đấu đến năm 2025, …").
_YEAR_OPENING = re.compile(r"^.{0,100}?\b(?:năm|giai đoạn)\s+(?:19|20)\d\d(?!\d)[^,;:.]{0,20},")
_SENTENCE_DONE = (".", "!", "?", "…", "./.")


def _sentence_head(piece: str) -> str:
    """The head the rest of the piece's last sentence shares: that sentence up to its last ":"
    outside brackets when short or naming a year (a long one without a year is a statement of
    its own, whose words would crowd many items' context), else its opening time phrase
    ("Trong năm 2024,"); "" when it has neither."""
    last = sentences(piece)[-1] if piece else ""
    colon = last.rfind(":")
    closed = last.count("(", 0, colon) <= last.count(")", 0, colon)
    if colon > 0 and closed and (colon <= 120 or years_in(last[:colon])):
        return last[:colon + 1][:200]
    m = _YEAR_OPENING.match(last)
    return m.group(0) if m else ""


_CONTINUATION = re.compile(r"^(?:" + "|".join(re.escape(x) for x in _data("continuations.txt")) + r")(?=[\s,])")


def _with_heads(pieces: list[str]) -> list[tuple[str, str]]:
    """Each piece of a paragraph with the sentence head it continues: after "phấn đấu đến năm
    2025, …: a; b; c" is cut at ";", "b" and "c" are still about 2025, so the head is their
    lead-in (the first piece holds it itself). A piece after one ending a sentence has none,
    unless it opens as the case or addition of the sentence before (lang/continuations.txt:
    "Trường hợp …", "Riêng …"): that sentence is its lead-in."""
    out: list[tuple[str, str]] = []
    head = ""
    for i, piece in enumerate(pieces):
        continuing = i > 0 and not pieces[i - 1].rstrip().endswith(_SENTENCE_DONE)
        if i > 0 and not continuing and _CONTINUATION.match(piece):
            out.append((piece, pieces[i - 1][:200]))
            head = _sentence_head(piece)
            continue
        out.append((piece, head if continuing else ""))
        own = _sentence_head(piece)
        if own or not continuing:
            head = own
    return out


# A sentence that opens a list and holds it: a capitalised opening of three or more words, then
# "như:", "gồm:", "bao gồm:", "sau:" and the items on the same line.
_OWN_LIST = re.compile(r"[A-ZĐÀ-Ỹ][^:;]*?\s\S+\s\S+\s+(?:như|gồm|sau)\s*:\s*\S")


# One pass over the lines; splitting it would scatter the state (sections, lead-ins, years).
def split_clauses(lines: list[str]) -> list[Clause]:  # noqa: C901
    """Clauses of a cleaned document, each with section path, lead-in and inherited years."""
    clauses: list[Clause] = []
    sections: dict[int, str] = {}
    # Lead-ins in force, by level: a heading's at its own level, a lead-in paragraph's half a
    # level below its section, so items under it ("1.", "a)") do not close it.
    leads: dict[float, str] = {}
    # A numbered table row ("a) | Tiêu chí đánh giá về công tác giải phóng mặt bằng | 2,5") heads
    # the unnumbered rows under it ("- | Tỷ lệ đạt từ 95% trở lên: 2,5"), which hold only the
    # detail: its subject is their lead-in (context), as a heading's is, until the next numbered
    # row or any line that is no table row.
    row_lead = ""
    # The capitalised title just above a table, its covering line aside ("PHỤ LỤC II KẾT QUẢ …
    # (Kèm theo Công điện số …)"), perhaps wrapped over lines: what the rows report.
    above = ""
    # An agency's heading over its duties ("9. Sở Xây dựng" / "Chủ trì nghiên cứu …"), until its
    # first duty is quoted: the duty's text opens with it (the document's own lines, in order), so
    # whoever reads the duty sees whose it is, as the ranker does.
    agency = ""
    # Section levels opened by a table's group rows: closed by the first line after the table.
    groups: set[int] = set()
    for line in task_records(lines):
        if groups and line and not isinstance(line, (TableRow, GroupRow)):
            for opened in [lv for lv in sections if lv in groups]:
                del sections[opened]
            for key in [lk for lk in leads if int(lk) in groups]:
                del leads[key]
            groups.clear()
        if isinstance(line, TableRow):
            agency = ""
            lead = " ".join(leads[k] for k in sorted(leads))
            if _numbered_row(line):
                row_lead = line.cells[0][1][:200]
            elif row_lead:
                lead = f"{lead} {row_lead}".strip()
            # One clause per row; a row too long for one is split at its cells, and the pieces
            # after the first keep the row's first cell (the task or indicator) as their lead-in.
            first = line.cells[0][1] if line.cells else ""
            # The column names are the row's context: indexed with it and shown as its section
            # line, so "cơ quan nào chủ trì" finds the row whose text is only its cells.
            in_table = {**sections, max(sections, default=0) + 1: line.header} if line.header else sections
            for i, piece in enumerate(_split_row(line)):
                clause = _clause(len(clauses), piece, in_table, lead if i == 0 else f"{lead} {first[:200]}".strip())
                if i == 0:
                    clause.cells = line.cells
                clause.table = above
                clauses.append(clause)
            continue
        row_lead = ""
        title = title_of(line)
        above = f"{above} {title}".strip()[:300] if title.isupper() else ""
        level = _heading_level(line)
        if level is not None:
            # A heading closes deeper sections and any lead-in opened under them.
            for deeper in [k for k in sections if k >= level]:
                del sections[deeper]
            agency = line if level >= 2 and len(line) <= 160 and agency_heading(line, sections) else ""
            sections[level] = line.rstrip(":")
            if isinstance(line, GroupRow):
                groups.add(level)
            # A part heading ("II. MỤC TIÊU") ends every lead-in, the preamble's "… như sau:" too;
            # an article's title every one but a part heading's ("QUYẾT ĐỊNH:"), as its sentence does.
            article = _ARTICLE.match(line) is not None
            for k in [k for k in leads if (k > 0 if article else k >= (level if level >= 2 else 0))]:
                del leads[k]
            if level == 0 and len(line) >= 20 and not _BOILERPLATE.match(line.upper()) or article:
                # Capitalised title lines are headings for the path and answerable on their own
                # ("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH ... NĂM 2025"), as an article's title is
                # ("Điều 13. Giải quyết kiến nghị về kết quả đánh giá, xếp loại").
                clauses.append(_clause(len(clauses), line, sections, ""))
            if line.endswith(":"):
                leads[level] = line
            continue
        n_words = len(line.split())
        if n_words < 3 or (n_words < 4 and ":" not in line and not any(ch.isdigit() for ch in line)):
            continue  # bylines, captions, stray labels: nothing a citizen could be answered with
        marker = _marker_level(line)
        if marker is not None:
            # An item "g) ..." closes a sibling heading "e) ...:" and anything under it.
            for k in [k for k in sections if k >= marker]:
                del sections[k]
            # An article ("Điều 2. …") ends every lead-in but a part heading's ("QUYẾT ĐỊNH:"):
            # the one a paragraph of the article before it opened too.
            for k in [k for k in leads if k >= marker or marker == 1 and k > 0]:
                del leads[k]
        if marker is None and not isinstance(line, TaskRecord) and _OWN_LIST.match(line):
            # "Một số địa phương đạt tỷ lệ thấp như: Điện Biên (13%); …": a sentence opening and
            # holding its own list says what it lists; the list a lead-in paragraph above opened
            # (a footnote's "… đạt dưới 90% gồm:") has ended.
            for k in [k for k in leads if k != int(k)]:
                del leads[k]
        lead = " ".join(leads[k] for k in sorted(leads))
        if isinstance(line, TaskRecord):
            clauses.append(_clause(len(clauses), line, sections, lead))
            agency = ""
            continue
        for piece, head in _with_heads(_split_long(line)):
            if agency and len(agency) + len(piece) < HARD_MAX:
                piece = f"{agency}\n{piece}"
            agency = ""
            clauses.append(_clause(len(clauses), piece, sections, f"{lead} {head}".strip() if head else lead))
        if line.endswith(":") and len(line) <= 400:
            # A lead-in paragraph ("Các chỉ tiêu chủ yếu đến năm 2025:") scopes what follows it
            # until the next heading at its section's level.
            leads[(max(sections) if sections else 0) + 0.5] = line
    return clauses


def _numbered_row(row: TableRow) -> bool:
    """A row of a numbered table with its own number ("a)", "5.2", "3") saying what it is about."""
    return bool(getattr(row, "number", "")) and any(ch.isalpha() for ch in row.cells[0][1] if row.cells)


def _clause(ordinal: int, text: str, sections: dict[int, str], lead: str) -> Clause:
    path = " › ".join(sections[k] for k in sorted(sections) if k > 0)
    own = years_in(text)
    inherited = years_in(lead) if not own else []
    text = str(text)  # a plain string, whatever line kind it was read as (clauses cross processes)
    return Clause(
        ordinal=ordinal,
        text=text,
        section=path,
        lead=lead if lead != text else "",
        years=sorted(set(own) | set(inherited)),
    )
