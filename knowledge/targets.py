"""Measurable targets inside a clause: value and unit, qualifier, deadline, level, topic."""

from __future__ import annotations

import re
from functools import lru_cache

from knowledge.cleaning import CELL_SEPARATOR
from knowledge.models import Target
from knowledge.text import fold

# Topic keywords (folded). The CCHC areas follow Nghị quyết 76/NQ-CP; indexes are named as such.
TOPICS: dict[str, tuple[str, ...]] = {
    "PAR INDEX": ("par index", "chi so cai cach hanh chinh", "chi so cchc"),
    "SIPAS": ("sipas", "chi so hai long", "muc do hai long", "su hai long"),
    "PAPI": ("papi", "chi so hieu qua quan tri", "quan tri va hanh chinh cong"),
    "PCI": ("pci", "nang luc canh tranh"),
    "DTI": ("dti", "chi so chuyen doi so"),
    "PGI": ("pgi", "chi so xanh"),
    "thể chế": ("the che", "quy pham phap luat", "qppl", "van ban phap luat"),
    "thủ tục hành chính": ("thu tuc hanh chinh", "tthc", "mot cua", "ho so", "dich vu cong",
                           "truc tuyen", "thanh toan", "so hoa ket qua", "dinh danh"),
    "tổ chức bộ máy": ("to chuc bo may", "don vi su nghiep", "sap xep", "tinh gon", "don vi hanh chinh"),
    "công vụ": ("cong vu", "cong chuc", "vien chuc", "can bo", "bien che", "vi tri viec lam",
                "boi duong", "ky luat", "ky cuong"),
    "tài chính công": ("tai chinh cong", "tu chu", "tu bao dam chi", "tu dam bao chi", "ngan sach",
                       "chi thuong xuyen"),
    "chính quyền điện tử/số": ("chinh quyen dien tu", "chinh quyen so", "chuyen doi so", "moi truong mang",
                               "co so du lieu", "chu ky so", "dien tu", "truc tuyen", "ket noi, chia se",
                               "he thong thong tin"),
    "chỉ đạo điều hành": ("chi dao dieu hanh", "chi dao, dieu hanh", "tuyen truyen", "kiem tra", "nguoi dung dau"),
}

_UNIT_RE = re.compile(
    r"(?<![\d.,/])(?P<num>\d{1,3}(?:[.,]\d+)?)\s*"
    r"(?P<unit>%|/\s*(?:63|61|34|100)\b|\s(?:bậc|hạng|điểm|đơn vị|giờ|km|ngày))",
    re.IGNORECASE,
)
_RANK_RE = re.compile(r"(?:hạng|thứ hạng|thứ|xếp thứ hạng)(?:\s+từ)?\s+(\d{1,2})"
                      r"(?:\s*[-–]\s*(\d{1,2}))?\s*/\s*(63|61|34)")
_RANGE_RE = re.compile(r"(\d{1,3})\s*[-–]\s*(\d{1,3})\s*(bậc|%)")
_QUALIFIERS = (
    ("tối thiểu", "tối thiểu"), ("ít nhất", "ít nhất"), ("trở lên", "từ … trở lên"), ("tối đa", "tối đa"),
    ("trên", "trên"), ("dưới", "dưới"), ("đạt", "đạt"), ("phấn đấu", "phấn đấu"),
)
_DEADLINE_RE = re.compile(
    r"(?:đến|trước|trong|hết|đến hết|cuối)\s+(?:năm\s+)?(?:ngày\s+)?(\d{1,2}/\d{1,2}/(?:19|20)\d\d|(?:19|20)\d\d)"
    r"|(?<!so với )năm\s+((?:19|20)\d\d)|(\d{1,2}/\d{1,2}/(?:19|20)\d\d)",
    re.IGNORECASE,
)
# Cues, folded. A result reports what was reached; a target what is to be reached.
_RESULT_CUE = re.compile(
    r"(?<!den )(?<!vao )(?<!het )(?<!toi )\bnam (?:19|20)\d\d[^.;:]{0,40}?\b(?:dat|xep|tang|giam)\b"
    r"|\bxep (?:thu hang|thu|hang)(?: tu)? \d|\b(?:tang|giam) \d{1,2} bac\b"
    r"|\bden nay\b|\bmoi dat\b|\bda dat\b|\bdat duoc\b|\bket qua (?:dat|cham diem)\b|\bdung thu\b"
    r"|\bso voi nam (?:19|20)\d\d\b|\bcon \d|\bhien nay\b|\bhien co\b|\bdat ty le\b"
)
_TARGET_CUE = re.compile(
    r"\bphan dau\b|\btoi thieu\b|\bit nhat\b|\btro len\b|\bden (?:het )?nam\b|\bvao nam\b|\bmuc tieu\b"
    r"|\bchi tieu\b|\bduy tri\b|\bnang (?:cao|len)\b|\bbao dam\b|\bdam bao\b|\bgiai doan\b|\bke hoach\b"
    r"|\btoi da\b|\bhoan thanh\b|\bnam trong nhom\b|\bthuoc nhom\b"
)
# A figure stated as what something is ("… tại cấp bộ là 69,87%", "chiếm 40%", "(đạt 62,8%)" after a
# count) reports a value, unless a target cue or a target lead-in scopes it.
_STATED = re.compile(r"(?:\b(?:la|chiem|bang)|\(dat)\s*$")
# A section or table title reporting what was done ("I. KẾT QUẢ THỰC HIỆN NĂM 2024", "TỔNG HỢP
# KẾT QUẢ …", "Thực trạng") holds results.
_RESULT_SCOPE = re.compile(r"\bket qua\b(?! (?:can dat|dau ra|du kien|mong muon|phai dat))|\bthuc trang\b"
                           r"|\bhien trang\b|\btinh hinh thuc hien\b|\bda thuc hien\b")
# What only a target's scope says ("MỤC TIÊU", "Chỉ tiêu", "phấn đấu"); "kế hoạch" or "giai đoạn" also
# name a report's subject ("KẾT QUẢ THỰC HIỆN KẾ HOẠCH … GIAI ĐOẠN 2021-2025").
_STRONG_TARGET = re.compile(r"\bphan dau\b|\bmuc tieu\b|\bchi tieu\b|\btoi thieu\b|\bit nhat\b|\bden (?:het )?nam\b")
_LEVELS = (("cấp tỉnh", "tỉnh"), ("cấp huyện", "huyện"), ("cấp xã", "xã"), ("3 cấp", "các cấp"),
           ("các cấp", "các cấp"))


_DIGIT_RE = re.compile(r"\d")
_TOPIC_RES = [(topic, keys, re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\w)"))
              for topic, keys in TOPICS.items()]


@lru_cache(maxsize=4096)  # a lead-in is asked about once per item under it
def topic_of(text: str) -> str | None:
    """The CCHC area or index a text is about (first match in TOPICS order), if any."""
    folded = fold(text)
    for topic, keys, pattern in _TOPIC_RES:
        # A pattern starting with a look-behind is tried at every character; a key that is not
        # even a substring cannot match, and `in` says so far faster (most topics, most texts).
        if any(k in folded for k in keys) and pattern.search(folded):
            return topic
    return None


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def extract_targets(text: str, *, lead: str = "", years: list[int] | None = None,
                    context: str = "") -> list[Target]:
    """Targets stated in a clause: "Tối thiểu 80% TTHC ..." → Target(80, "80%", "%", "tối thiểu", ...).
    `context` is the clause's section path (a row's column names included): "KẾT QUẢ …" or
    "MỤC TIÊU …" there says whether an uncued figure is a result or a target."""
    found: list[Target] = []
    # Every target is a figure: a clause without one (most of them) needs no level and no topic
    # (the topic patterns were most of a build's target work). A digit is looked for first.
    if not _DIGIT_RE.search(text):
        return found
    ranks = list(_RANK_RE.finditer(text))
    units = list(_UNIT_RE.finditer(text))
    if not ranks and not units:
        return found
    seen: set[int] = set()
    low = text.lower()
    level = next((name for key, name in _LEVELS if key in low), None)
    topic = topic_of(text) or (topic_of(lead) if lead else None)
    for m in ranks:
        a, b, of = m.group(1), m.group(2), m.group(3)
        value_text = f"{a}-{b}/{of}" if b else f"{a}/{of}"
        found.append(_target(text, m.start(), m.end(), value_text, _number(a), f"hạng /{of}", level, topic,
                             lead, years, context))
        seen.update(range(m.start(), m.end()))
    for m in units:
        if m.start() in seen or m.start("num") in seen:
            continue
        num, unit = m.group("num"), m.group("unit").strip().lower()
        if unit.startswith("/"):
            continue  # ranks are taken above with their wording
        # Document numbers and dates are not targets ("số 04-NQ/TU", "ngày 18/10/2021").
        before = text[max(0, m.start() - 12):m.start()].lower()
        if unit != "%" and ("số" in before or "ngày" in before):
            continue
        value_text = f"{num}{unit}" if unit == "%" else f"{num} {unit}"
        # "từ 5 - 8 bậc": the range ends at the figure (searched in a window, spaces vary).
        r = next((r for r in _RANGE_RE.finditer(text, max(0, m.start() - 10), m.end()) if r.end() == m.end()), None)
        if r:
            value_text = f"{r.group(1)}-{r.group(2)} {r.group(3)}".replace(" %", "%")
        found.append(_target(text, m.start(), m.end(), value_text, _number(num), unit, level, topic, lead, years,
                             context))
    return found


def _target(text: str, start: int, end: int, value_text: str, value: float | None, unit: str,
            level: str | None, topic: str | None, lead: str, years: list[int] | None, context: str = "") -> Target:
    window = text[max(0, start - 40):min(len(text), end + 25)].lower()
    qualifier = next((name for key, name in _QUALIFIERS if key in window), None)
    after = text[end:end + 160]
    before = text[max(0, start - 160):start]
    deadline = None
    for chunk in (before[-80:], after, lead):
        matches = list(_DEADLINE_RE.finditer(chunk or ""))
        if matches:
            dm = matches[-1]
            deadline = next(g for g in dm.groups() if g)
            break
    if deadline is None and years:
        deadline = str(max(years))
    return Target(value=value, value_text=value_text, unit=unit, qualifier=qualifier, deadline=deadline,
                  level=level, topic=topic, kind=kind_of(text, start, end, lead, context))


def kind_of(text: str, start: int, end: int, lead: str = "", context: str = "") -> str:  # noqa: C901
    """ "result" when the figure at text[start:end] reports what was reached ("năm 2024 đạt 75%",
    "xếp thứ 12/63", "tăng 3 bậc", "đến nay mới đạt"), "target" otherwise: the last cue before the
    figure in its sentence decides, then the figure's own words, then the lead-in, then a figure
    stated as a value ("là 69,87%"), then the section it stands in ("PHỤ LỤC … KẾT QUẢ …")."""
    cut = max(text.rfind(". ", 0, start), text.rfind("; ", 0, start))
    sentence_start = cut + 2 if cut >= 0 else 0
    before = fold(text[max(sentence_start, start - 120, 0):start])
    here = fold(text[max(0, start - 12):min(len(text), end + 30)])
    results = [m.end() for m in _RESULT_CUE.finditer(before)]
    targets = [m.end() for m in _TARGET_CUE.finditer(before)]
    if results and (not targets or results[-1] > targets[-1]):
        return "result"
    if targets:
        return "target"
    if _RESULT_CUE.search(here) and not _TARGET_CUE.search(here):
        return "result"
    folded_lead = fold(lead) if lead else ""
    if folded_lead and _RESULT_CUE.search(folded_lead) and not _TARGET_CUE.search(folded_lead):
        return "result"
    scope = f"{folded_lead} {_folded(context)}"
    if _STRONG_TARGET.search(scope):
        return "target"
    # A row's section line ends with its column names ("… | Kết quả | Thời gian"): a column named
    # "Kết quả" is a task's deliverable, not a report, so only the headings above say "result".
    headings, _, columns = context.rpartition(" › ")
    reported = f"{folded_lead} {_folded(headings if CELL_SEPARATOR in columns else context)}"
    if _RESULT_SCOPE.search(reported) or (_STATED.search(before) and not _TARGET_CUE.search(scope)):
        return "result"
    return "target"


@lru_cache(maxsize=1024)  # a section path is shared by every clause under it
def _folded(text: str) -> str:
    return fold(text) if text else ""
