"""Tasks a document assigns: what, lead agency, partners, deadline, product.

Two shapes carry them in Vietnamese plans:

* appendix tables, one task per row, with columns such as "Nhiệm vụ", "Cơ quan chủ trì",
  "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm" (column names vary; the words here are
  the ones official templates use);
* sentences: "Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính … hoàn thành trước ngày
  31/12/2025", "Bộ trưởng Bộ Công Thương hoàn thành việc rà soát … trong tháng 11 năm 2025".

Deadlines are normalized to sortable ISO-like forms: "2025-12-31" (a day), "2025-12" (a month),
"2025-Q3" (a quarter), "2026" (a year), "2025/2030" (a span); "hằng năm"-like recurring
deadlines keep only their text.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from knowledge.models import Clause, Task
from knowledge.text import fold

# Column names (folded) by role; a table is a task table when it has a task column and a lead
# agency or deadline column.
_TASK_COLUMNS = ("nhiem vu", "noi dung", "ten nhiem vu", "cong viec", "chi tieu", "de an", "giai phap",
                 "hoat dong", "nhiem vu, giai phap")
_AGENCY_COLUMNS = ("chu tri", "co quan chu tri", "don vi chu tri", "co quan thuc hien", "don vi thuc hien",
                   "co quan, don vi chu tri", "trach nhiem", "don vi thuc hien chinh", "co quan chu tri theo doi")
_PARTNER_COLUMNS = ("phoi hop", "co quan phoi hop", "don vi phoi hop")
_DEADLINE_COLUMNS = ("thoi gian", "thoi han", "tien do", "thoi gian hoan thanh", "thoi gian thuc hien", "moc thoi gian")
_PRODUCT_COLUMNS = ("san pham", "ket qua", "san pham du kien", "hinh thuc van ban", "ket qua dau ra")

_ROMAN_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Deadline expressions, folded text.
_DAY_RE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d\d)\b"
                     r"|\bngay (\d{1,2}) thang (\d{1,2}) nam ((?:19|20)\d\d)\b")
_MONTH_RE = re.compile(r"\bthang (\d{1,2})(?:/| nam )((?:19|20)\d\d)\b|\b(\d{1,2})/((?:19|20)\d\d)\b")
_QUARTER_RE = re.compile(r"\bquy (i{1,3}|iv|[1-4])(?:/| nam | )((?:19|20)\d\d)\b")
_SPAN_RE = re.compile(r"\b((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\b")
_YEAR_RE = re.compile(r"\b((?:19|20)\d\d)\b")
_RECURRING_RE = re.compile(r"\b(?:hang nam|hang thang|hang quy|thuong xuyen|dinh ky)\b")

# Sentence cues (folded): a deadline tied to finishing, and who leads.
_DUE_RE = re.compile(
    r"\b(?:hoan thanh|xong|trinh|ban hanh|bao cao|thuc hien|trien khai)\b[^.;]{0,200}?"
    r"\b(?P<when>(?:truoc|trong|den|cham nhat|truoc ngay|trong thang|trong quy|trong nam)\b[^.;]{0,40}?"
    r"(?:(?:19|20)\d\d))"
)
_LEAD_RE = re.compile(r"\bgiao (?:cho )?(?P<agency>.{3,120}?)\s+"
                      r"(?:chu tri|thuc hien|tham muu|co trach nhiem|chiu trach nhiem)\b")
_CHAIR_RE = re.compile(r"^(?P<agency>.{3,120}?)\s+chu tri\b")
_PARTNER_RE = re.compile(r"\bphoi hop (?:voi )?(?P<partners>.{3,200}?)(?=\s+(?:va cac|de|trien khai|thuc hien|xay dung|"
                         r"tham muu|to chuc|hoan thanh|rà soat|ra soat|trinh|bao cao)\b|[;.]|$)")
# Words an agency's name starts with (folded).
_AGENCY_HEAD = re.compile(
    r"^(?:cac )?(?:so|bo|uy ban|ubnd|van phong|cong an|ban|cuc|chi cuc|trung tam|thanh tra|kho bac|thue|"
    r"ngan hang|bao hiem|dai|truong|vien|hoi dong|mat tran|tinh doan|lien doan|bo truong|chu tich|"
    r"thu truong|giam doc|cac bo|cac so|cac co quan|co quan|don vi|doanh nghiep)\b"
)
# Verbs that end an agency's name in a sentence (folded).
_AGENCY_END = re.compile(
    r"\s+(?:khan truong|tap trung|hoan thanh|chu tri|phoi hop|thuc hien|trien khai|xay dung|ra soat|"
    r"tham muu|chiu trach nhiem|co trach nhiem|to chuc|theo doi|bao cao|nghien cuu|chi dao|huong dan|"
    r"kip thoi|giai quyet|ban hanh|cap nhat|day manh|tang cuong|uu tien|dam bao|bao dam|kiem tra)\b"
)


def _iso_day(d: str, m: str, y: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def normalize_deadline(text: str) -> str | None:
    """ "trước ngày 31/12/2025" → "2025-12-31", "Tháng 12/2025" → "2025-12", "Quý III/2025" →
    "2025-Q3", "Năm 2025-2030" → "2025/2030", "2026" → "2026"; None when no date is named."""
    folded = fold(text)
    m = _DAY_RE.search(folded)
    if m:
        d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        iso = _iso_day(d, mo, y)
        if iso:
            return iso
    m = _QUARTER_RE.search(folded)
    if m:
        return f"{m.group(2)}-Q{_ROMAN_QUARTER[m.group(1)]}"
    m = _MONTH_RE.search(folded)
    if m:
        mo, y = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if 1 <= int(mo) <= 12:
            return f"{y}-{int(mo):02d}"
    m = _SPAN_RE.search(folded)
    if m and int(m.group(1)) < int(m.group(2)):
        return f"{m.group(1)}/{m.group(2)}"
    m = _YEAR_RE.search(folded)
    if m:
        return m.group(1)
    return None


# A normalized deadline: "2025", "2025-09", "2025-09-30", "2025-Q3" or "2025/2030".
_DEADLINE_RE = re.compile(r"((?:19|20)\d\d)(?:-(\d\d)(?:-(\d\d))?|-Q([1-4])|/((?:19|20)\d\d))?")


def deadline_parts(deadline: str) -> tuple[str, str | None, str | None, str | None, str | None] | None:
    """(year, month, day, quarter, last year) of a normalized deadline; None when it is not one."""
    m = _DEADLINE_RE.fullmatch(deadline or "")
    return m.groups() if m else None  # type: ignore[return-value]


def deadline_end(deadline: str) -> str | None:
    """The last day a normalized deadline allows, as YYYY-MM-DD ("2025-Q3" → "2025-09-30",
    "2026" → "2026-12-31", "2025/2030" → "2030-12-31"); None when it is not one."""
    parts = deadline_parts(deadline)
    if parts is None:
        return None
    year, month, day, quarter, last = parts
    if day:
        return f"{year}-{month}-{day}"
    if quarter:
        month = f"{int(quarter) * 3:02d}"
    if month:
        ends = {"02": "29" if int(year) % 4 == 0 else "28", "04": "30", "06": "30", "09": "30", "11": "30"}
        return f"{year}-{month}-{ends.get(month, '31')}"
    return f"{last or year}-12-31"


@lru_cache(maxsize=4096)  # a table repeats its column names on every row
def _role(name: str) -> str | None:
    folded = fold(name).strip(" :")
    for role, names in (("agency", _AGENCY_COLUMNS), ("partners", _PARTNER_COLUMNS),
                        ("deadline", _DEADLINE_COLUMNS), ("product", _PRODUCT_COLUMNS), ("task", _TASK_COLUMNS)):
        if folded in names or any(folded.startswith(n) for n in names):
            return role
    return None


def task_from_row(cells: tuple[tuple[str, str], ...]) -> Task | None:
    """A task from one appendix row, when its columns name a task and its lead agency or deadline."""
    found: dict[str, str] = {}
    for name, value in cells:
        role = _role(name) if name else None
        if role and role not in found:
            found[role] = value
    if "task" not in found or not ({"agency", "deadline"} & found.keys()):
        return None
    when = found.get("deadline")
    return Task(task=found["task"], agency=found.get("agency"), partners=found.get("partners"),
                deadline=normalize_deadline(when) if when else None, deadline_text=when,
                product=found.get("product"))


def _original(text: str, folded: str, start: int, end: int) -> str:
    # fold() keeps one character per character, so positions carry over to the original text.
    return text[start:end] if len(text) == len(folded) else folded[start:end]


def _agency_at(text: str, folded: str, start: int = 0, limit: int = 140) -> str | None:
    """The agency named at `start` (up to the verb that follows it), when it looks like one."""
    window = folded[start:start + limit]
    if not _AGENCY_HEAD.match(window):
        return None
    end = _AGENCY_END.search(window)
    stop = end.start() if end else min(len(window), 100)
    for mark in (",", ";", ":", "("):
        pos = window.find(mark, 0, stop)
        if pos > 0 and not window[:pos].startswith(("cac bo", "bo truong")):
            stop = pos
    name = _original(text, folded, start, start + stop).strip(" ,;:")
    return name if 2 <= len(name.split()) <= 20 else None


def task_from_sentence(text: str, section: str = "") -> Task | None:
    """A task from a sentence that assigns work with a deadline ("giao Sở Nội vụ chủ trì … hoàn
    thành trước ngày 31/12/2025"); the agency may be the heading the sentence sits under
    ("1. Bộ Khoa học và Công nghệ")."""
    folded = fold(text)
    due = _DUE_RE.search(folded)
    if not due or _RECURRING_RE.search(folded[due.start("when"):due.end("when")]):
        return None
    # Who leads: the sentence's subject ("Sở Tư pháp chủ trì …", "Bộ trưởng Bộ Công Thương hoàn
    # thành …"), else whom it assigns ("giao Sở Nội vụ chủ trì"), else the heading above it.
    body = re.sub(r"^(?:[a-zđ]\)|\d+(?:\.\d+)*[.)]|\(\d+\)|[-–+•])\s*", "", text)
    body_folded = fold(body)
    agency = _agency_at(body, body_folded) if _AGENCY_HEAD.match(body_folded) else None
    if agency is None:
        m = _LEAD_RE.search(folded)
        if m:
            agency = _agency_at(text, folded, m.start("agency"))
    if agency is None and section:
        last = section.split(" › ")[-1]
        head = re.sub(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\))\s*", "", last)
        head_folded = fold(head)
        if _AGENCY_HEAD.match(head_folded) and len(head.split()) <= 20:
            agency = head.strip(" :,")
    if agency is None:
        return None
    partners = None
    p = _PARTNER_RE.search(folded)
    if p:
        partners = _original(text, folded, *p.span("partners")).strip(" ,;:") or None
    when_text = _original(text, folded, *due.span("when"))
    return Task(task=text, agency=agency, partners=partners, deadline=normalize_deadline(when_text),
                deadline_text=when_text)


def extract_tasks(clause: Clause) -> list[Task]:
    """The tasks one clause assigns (an appendix row or a sentence), usually none or one."""
    if clause.cells:
        task = task_from_row(clause.cells)
        return [task] if task else []
    task = task_from_sentence(clause.text, clause.section)
    return [task] if task else []


# Plans that describe each task in labelled items: "a) Nhiệm vụ: …", "- Đơn vị chủ trì: Sở Khoa học
# và Công nghệ.", "- Đơn vị phối hợp: …", "c) Thời gian thực hiện: Hoàn thành trong năm 2025."
_LABEL_RE = re.compile(
    r"^(?:[-–+•]\s*|[a-zđ]\)\s*|\d{1,2}[.)]\s*)?(?P<label>(?:đơn vị|cơ quan)(?: thực hiện)? chủ trì|chủ trì"
    r"|(?:đơn vị|cơ quan) phối hợp|phối hợp|thời gian(?: hoàn thành| thực hiện)?|thời hạn|tiến độ|sản phẩm"
    r"|kết quả(?: đầu ra)?|nhiệm vụ|nội dung)\s*:\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)
_LABEL_ROLE = {"chu tri": "agency", "phoi hop": "partners", "thoi gian": "deadline", "thoi han": "deadline",
               "tien do": "deadline", "san pham": "product", "ket qua": "product", "nhiem vu": "task",
               "noi dung": "task"}
_ITEM_HEAD_RE = re.compile(r"^[a-zđ]\)\s")


_TASK_HEAD_RE = re.compile(r"^(?:[a-zđ]\)\s*|\d{1,2}[.)]\s*)?(?:nhiệm vụ|nội dung)(?: thực hiện)?\s*:?\s*$",
                           re.IGNORECASE)


def agency_label(text: str) -> str | None:
    """The role a labelled item of a list-style plan states ("agency" for "- Đơn vị chủ trì: Công
    an Thành phố", "partners", "deadline", "product", "task" for "a) Nhiệm vụ:"), None for any
    other clause."""
    text = text.strip()
    if _TASK_HEAD_RE.match(text):
        return "task"
    m = _LABEL_RE.match(text)
    if not m:
        return None
    folded = fold(m.group("label"))
    return next((r for k, r in _LABEL_ROLE.items() if k in folded), None)


def _task_key(section: str) -> str:
    """The heading a labelled item belongs to: the deepest part of the section path that is not a
    lettered sub-item ("1.1. Xây dựng các Chiến lược …" for "… › b) Cơ quan thực hiện")."""
    parts = [p for p in section.split(" › ") if p]
    while parts and _ITEM_HEAD_RE.match(parts[-1]):
        parts.pop()
    return parts[-1] if parts else ""


def labelled_tasks(clauses: list[Clause]) -> list[tuple[int, Task]]:
    """Tasks described in labelled items under one heading, as (index of the clause naming the lead
    agency, task); the task is the "Nhiệm vụ:" item when there is one, else the heading."""
    out: list[tuple[int, Task]] = []
    group: dict[str, tuple[int, str]] = {}
    key = None

    def flush() -> None:
        if "agency" in group and key:
            index, agency = group["agency"]
            when = group.get("deadline", (0, ""))[1] or None
            task = group.get("task", (0, key))[1]
            out.append((index, Task(task=task[:400], agency=agency.rstrip(". "),
                                    partners=(group.get("partners", (0, ""))[1].rstrip(". ") or None),
                                    deadline=normalize_deadline(when) if when else None,
                                    deadline_text=when, product=group.get("product", (0, ""))[1] or None)))

    for i, clause in enumerate(clauses):
        if clause.cells:
            continue
        here = _task_key(clause.section)
        if here != key:
            flush()
            group, key = {}, here
        # A task record (clauses.TaskRecord) holds its labelled items one a line.
        for line in clause.text.split("\n"):
            m = _LABEL_RE.match(line)
            if not m:
                continue
            folded = fold(m.group("label"))
            role = next((r for k, r in _LABEL_ROLE.items() if k in folded), None)
            if role and role not in group:
                group[role] = (i, m.group("value").strip())
    flush()
    return out
