"""Page noise out, hard-wrapped lines joined: the text a plan document actually says.

Documents arrive as page text copied from government portals and legal-text sites, so they carry
banners, login prompts, polls, visit counters, comment templates, related-news lists and table
pipes. Rules here are about the shape of such noise, not about particular files.
"""

from __future__ import annotations

import re

from knowledge.text import fold

# Folded, whole-line patterns that are never part of a plan's text.
_NOISE_LINE = re.compile(
    r"^(?:"
    r"truy cap noi dung luon|dang nhap|dang ky|dang xuat|dang tai van ban.*|english|tieng viet"
    r"|he thong phap luat|thu vien phap luat|tu khoa:.*|tim kiem.*"
    r"|de su dung toan bo tien ich.*|vui long (?:dang nhap|dang ky|lua chon).*"
    r"|ban thay giao dien.*|% ?binh chon|tong binh chon:?.*|\d+% \d+|[a-e]\. (?:dep|binh thuong|xau|rat dep)"
    r"|thong ke truy cap|so luot truy cap:?.*|tong so luot xem:?.*|dang truy cap:?.*|hom nay:?\s*\d.*"
    r"|luot xem:?.*|truy cap:?\s*\d.*"
    r"|tin lien quan|tin khac|cac tin khac|doc nhieu|tin moi|tin doc nhieu|xem nhieu|bai viet lien quan"
    r"|xem them.*|chia se.*|tat \[x\]|in bai viet|gui email|ban in|quay lai|len dau trang|ve dau trang"
    r"|tra loi|\d+ binh luan|binh luan|y kien cua ban.*|y kien ban doc|gui y kien|gui binh luan"
    r"|thoi tiet|dia phuong|lien ket website|lien ket|tai lieu dinh kem:?.*|xem ke hoach tai day\.?"
    r"|ban quyen.*|copyright.*|©.*|ghi ro nguon.*|chiu trach nhiem noi dung.*|giay phep.*"
    r"|provincial green index|trang chu|so do site|rss|facebook|twitter|zalo|youtube"
    r"|doc lap\s*-\s*tu do\s*-\s*hanh phuc|cong hoa xa hoi chu nghia viet nam"
    r"|-{3,}|_{3,}|\*{3,}|={3,}|\.{3,}"
    r")$"
)
_SIGNER_TITLE = re.compile(r"(?:CHỦ TỊCH|GIÁM ĐỐC|CHÁNH VĂN PHÒNG|TRƯỞNG BAN|BỘ TRƯỞNG|THỦ TRƯỞNG)$")
_PERSON = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+)(?: [A-ZĐÀ-Ỹ][a-zđà-ỹ]+){1,4}$")
_TEMPLATE = re.compile(r"\{[a-z_]+\}")
_PIPES = re.compile(r"\s*\|\s*")
_TERMINAL = (".", ":", ";", "!", "?", "…", "./.")
_ITEM_START = re.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*[.)]|[a-zđ][).]|[-–•+*]\s)", re.IGNORECASE)


def _pipes(line: str) -> list[str]:
    """Table rows to text: "Số hiệu | 3470/QĐ-UBND |" → "Số hiệu: 3470/QĐ-UBND"; a task row of an
    appendix (task | lead agency | partners | deadline) stays one line, so the task keeps its
    agency and deadline; the two-column letterhead splits into its cells."""
    cells = [c.strip() for c in _PIPES.split(line) if c.strip()]
    if len(cells) == 2 and len(cells[0].split()) <= 4 and not any(ch in cells[0] for ch in ":.0123456789") \
            and cells[0][:1].isupper() and not cells[0].isupper():
        return [f"{cells[0]}: {cells[1]}"]
    if len(cells) >= 3 and sum(len(c.split()) for c in cells) >= 6:
        return [" | ".join(cells)]
    return cells


def is_noise(line: str) -> bool:
    """True for a line of web-page furniture (banner, poll, counter, template, related news…)."""
    stripped = line.strip()
    if not stripped:
        return True
    if _TEMPLATE.search(stripped):
        return True
    return bool(_NOISE_LINE.match(fold(stripped)))


def _joinable(prev: str, nxt: str) -> bool:
    """A hard wrap: the previous line stops mid-sentence and the next one carries on in lower case."""
    if not prev or not nxt or prev.endswith(_TERMINAL):
        return False
    first = nxt[0]
    if re.match(r"^[-–]\s*(?:19|20)\d\d\b", nxt) and re.search(r"(?:19|20)\d\d$", prev):
        return True  # "GIAI ĐOẠN 2026" / "- 2030": a year range broken over two lines
    if _ITEM_START.match(nxt):
        return False
    return first.islower() or first in "(,%" or (first.isdigit() and not prev.isupper())


def clean(text: str) -> list[str]:
    """The document's meaningful lines, in order, noise removed and wrapped lines joined."""
    lines: list[str] = []
    for raw in text.replace("\r", "\n").replace("\u00a0", " ").replace("\u200b", "").split("\n"):
        line = " ".join(raw.split())
        parts = _pipes(line) if "|" in line else [line]
        table_row = len(parts) == 1 and " | " in parts[0]
        for part in parts:
            if is_noise(part):
                continue
            # A table row is a record of its own; never glued to the row above.
            if lines and not table_row and " | " not in lines[-1] and _joinable(lines[-1], part):
                lines[-1] = f"{lines[-1]} {part}"
            else:
                lines.append(part)
    # The signature block: "PHÓ CHỦ TỊCH" / "Hoàng Nam" → one line naming who signed.
    signed: list[str] = []
    for line in lines:
        if signed and _SIGNER_TITLE.search(signed[-1]) and signed[-1].isupper() and _PERSON.match(line):
            signed[-1] = f"{signed[-1]} {line}"
        else:
            signed.append(line)
    lines = signed
    # Headings broken over lines in capitals ("KẾ HOẠCH THỰC HIỆN CHƯƠNG" / "TRÌNH TỔNG THỂ ...").
    merged: list[str] = []
    for line in lines:
        if (
            merged
            and merged[-1].isupper()
            and line.isupper()
            and not _ITEM_START.match(line)
            and not merged[-1].endswith(_TERMINAL)
            and not line.startswith(("CỘNG HÒA", "ĐỘC LẬP", "CHỦ TỊCH", "ỦY BAN", "TM.", "KT.", "QUYẾT ĐỊNH",
                                     "KẾ HOẠCH", "NƠI NHẬN"))
        ):
            merged[-1] = f"{merged[-1]} {line}"
        else:
            merged.append(line)
    return merged
