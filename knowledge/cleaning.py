"""Page noise out, markdown marks out, hard-wrapped lines joined, tables as rows: the text a plan
document actually says.

Documents arrive as page text copied from government portals and legal-text sites, or as
markdown conversions of the official files, so they carry banners, login prompts, polls, visit
counters, comment templates, related-news lists, emphasis marks (`**ỦY BAN NHÂN` / `DÂN **`),
headings marks, footnote marks, "[đã ký]", rules (`-------`) and tables — as pipe rows
(`| a | b |`) or converted one cell per line with a lone `|` closing each cell. Rules here are
about the shape of such text, not about particular files. Every step is linear in the size of
the text: lines are collected in lists and joined once, never re-concatenated.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

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
# A news page's dateline, byline and photo captions (folded, whole line): the page's furniture
# around the article, never its text ("Thứ Ba - 11/05/2021 02:21 CH", "Cập nhật: 08:15 12/3/2024",
# "Tin, ảnh: Minh Hà", "Quang cảnh Hội nghị.", "Giám đốc Sở Nội vụ phát biểu tại Hội nghị."). It
# also ends the paragraph before it: the article's first line is no wrap of the headline.
_WEEKDAY = r"(?:thu (?:hai|ba|tu|nam|sau|bay)|chu nhat)"
_CLOCK = r"\d{1,2}[:h]\d{2}(?::\d{2})?(?: ?(?:sa|ch|am|pm))?(?: ?\(?gmt ?\+ ?7\)?)?"
_DAY = r"\d{1,2}/\d{1,2}/\d{4}"
_BYLINE = re.compile(
    rf"^(?:{_WEEKDAY}\s*[,-]?\s*(?:ngay\s+)?{_DAY}(?:\s*[,|-]?\s*{_CLOCK})?"
    rf"|(?:ngay\s+)?{_DAY}\s*[,|-]?\s*{_CLOCK}"
    rf"|(?:{_WEEKDAY}\s*[,-]?\s*)?{_CLOCK}\s*[,|-]?\s*(?:ngay\s+)?{_DAY}"
    rf"|(?:cap nhat|ngay dang|dang luc|dang ngay|thoi gian dang|xuat ban)\s*:?\s*.{{0,40}}{_DAY}.{{0,20}}"
    r"|(?:(?:tin|bai|tin va|bai va),?\s*)?anh\s*:\s*.{1,60}|tac gia\s*:\s*.{1,60}"
    r"|quang canh (?:hoi nghi|buoi|cuoc|phien|le).{0,60}"
    r"|.{3,80} phat bieu(?: (?:thao luan|chi dao|ket luan|khai mac|be mac|y kien))?"
    r" tai (?:hoi nghi|buoi|cuoc|phien|le).{0,40}"
    r")$"
)


# What every line `_BYLINE` matches holds (a date's "/", a caption's words), as typed: the lines
# without any are not folded to be tested.
_BYLINE_HINTS = ("/", "ảnh", "Ảnh", "ẢNH", "phát biểu", "Phát biểu", "Quang cảnh", "QUANG CẢNH", "Tác giả", "tác giả")


def is_byline(line: str) -> bool:
    """True for a news page's dateline, byline or photo caption (see `_BYLINE`)."""
    return len(line) <= 140 and any(h in line for h in _BYLINE_HINTS) and \
        bool(_BYLINE.match(fold(line.strip()).rstrip(". ")))




def _folded_lines(name: str) -> frozenset[str]:
    """A `lang/` list of folded whole lines, comments and blank lines left out."""
    text = (Path(__file__).with_name("lang") / name).read_text(encoding="utf-8")
    return frozenset(x.strip() for x in text.splitlines() if x.strip() and not x.startswith("#"))


# Headings that open a news page's list of links to other articles, and a page's navigation items.
_LINK_LISTS = _folded_lines("link_lists.txt")
_PAGE_MENUS = _folded_lines("page_menus.txt")
_DATELINE_DAY = re.compile(_DAY)
_HEADER_LINES = 40  # a news page's dateline stands within its first lines, under the menus


def _title_like(line: str) -> bool:
    """A short line without a sentence end: an article title in a link list or a menu item."""
    return len(line) <= 200 and not line.rstrip().endswith(_TERMINAL)


def _header_end(raw: list[str]) -> int:
    """Where a web page's header furniture ends: at its headline (the line over the dateline,
    "Thứ Ba - 11/05/2021 02:21 CH"), else at its last navigation item ("English", "Trang chủ")
    before the first sentence; 0 for a page with neither."""
    menu = 0
    for i, line in enumerate(raw[:_HEADER_LINES]):
        stripped = line.strip()
        if not stripped:
            continue
        if _DATELINE_DAY.search(stripped) and is_byline(stripped):
            return next((j for j in range(i - 1, -1, -1) if raw[j].strip()), 0)
        if len(stripped) <= 40 and fold(stripped) in _PAGE_MENUS:
            menu = i
        elif stripped.endswith(_TERMINAL):
            break
    return menu


def _page_header_dropped(raw: list[str]) -> list[str]:
    """A web page's lines with its header furniture blanked: above its headline or its last menu
    item stand only the site's banner, menus and other articles' titles, glued or one a line, so
    every line there without a sentence end goes; text lines stay."""
    end = _header_end(raw)
    return ["" if not x.rstrip().endswith(_TERMINAL) else x for x in raw[:end]] + raw[end:]


_TEMPLATE = re.compile(r"\{[a-z_]+\}")
_PIPES = re.compile(r"\s*\|\s*")
_TERMINAL = (".", ":", ";", "!", "?", "…", "./.")
# An item marker is followed by a space: "500.000 thuê bao", "12/2025" and "2025." are not items.
_ITEM_START = re.compile(r"^(?:[IVXLC]+\.(?=\s|$)|\d{1,3}(?:\.\d{1,3})*[.)](?=\s|$)"
                         r"|[a-zđ][).](?=\s|$)|\(\d+\)\s|[-–•+]\s)",
                         re.IGNORECASE)

# --- markdown marks ------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_BULLET = re.compile(r"^\s*[*+]\s+(?=\S)")
_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]\((?:https?://|/)[^)\s]{0,500}\)")
_MD_ESCAPE = re.compile(r"\\([-\\`*_{}\[\]()#+.!|>~])")
# Signature stamps and footnote marks: "[đã ký]", "(Đã ký)", "[1]", "[^2]", "^3^", superscripts.
_STAMP = re.compile(r"[\[(]\s*(?:đã ký|Đã ký|ĐÃ KÝ|đã kí|Đã kí|ký|Ký)\s*[\])]")
_FOOTNOTE = re.compile(r"\[\^?\d{1,3}\]|\^\d{1,3}\^?|[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_SUPERSCRIPT = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]")
_EMPHASIS = re.compile(r"\*+|(?<![\w])_{2}(?=\S)|(?<=\S)_{2}(?![\w])")
_BOLD_LINE = re.compile(r"^\s*\*\*[^*]+\*\*\s*$")
_ITALIC_LINE = re.compile(r"^\s*\*[^*]+\*\s*$")
# "a) Cung cấp dịch vụ số bao trùm, thông minh": a short numbered heading, not a wrapped sentence
# ("a) Nhiệm vụ: Tham mưu UBND" / "Thành phố …" is a label and a sentence that goes on).
_SHORT_ITEM = re.compile(r"^\s*(?:[IVXLC]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\))\s+(?!.*:\s+\S)(?:\S+\s+){0,9}\S+\s*$")


def strip_marks(line: str) -> str:
    """One line without markdown marks, stamps and footnote marks, spaces collapsed; the words
    are left as they are. A markdown bullet ("* item") becomes "- item"."""
    if "#" in line:
        line = _MD_HEADING.sub("", line)
    if "\\" in line:
        line = _MD_ESCAPE.sub(r"\1", line)
    if "*" in line:
        line = _MD_BULLET.sub("- ", line)
        line = _EMPHASIS.sub("", line)
    elif "__" in line:
        line = _EMPHASIS.sub("", line)
    if "[" in line or "(" in line:
        line = _MD_LINK.sub(r"\1", line)
        line = _STAMP.sub("", line)
    if "[" in line or "^" in line or (not line.isascii() and _SUPERSCRIPT.search(line)):
        line = _FOOTNOTE.sub("", line)
    return " ".join(line.split())


def strip_markdown(text: str) -> str:
    """The text with every line's markdown marks removed (see `strip_marks`), lines kept."""
    return "\n".join(strip_marks(line) for line in text.split("\n"))


# Noise lines that may be long start like this (folded); any other long line is text.
_LONG_NOISE_STARTS = ("dang tai van ban", "tu khoa", "tim kiem", "de su dung", "vui long", "ban thay giao dien",
                      "tong binh chon", "so luot truy cap", "tong so luot xem", "dang truy cap", "hom nay",
                      "luot xem", "truy cap", "xem them", "chia se", "y kien cua ban", "tai lieu dinh kem",
                      "ban quyen", "copyright", "©", "ghi ro nguon", "chiu trach nhiem noi dung", "giay phep",
                      "-", "_", "*", "=", ".")


@lru_cache(maxsize=16_384)  # short lines repeat from document to document (table cells, headers)
def is_noise(line: str) -> bool:
    """True for a line of web-page furniture (banner, poll, counter, template, related news…)."""
    stripped = line.strip()
    if not stripped:
        return True
    if _TEMPLATE.search(stripped):
        return True
    if len(stripped) > 60 and not fold(stripped[:30]).startswith(_LONG_NOISE_STARTS):
        return False  # folding a whole long line of text only to learn it is text costs the most
    return bool(_NOISE_LINE.match(fold(stripped)))


# --- tables --------------------------------------------------------------------------------------

class TableRow(str):
    """A table row as one line of text: the document's own cell values in order, joined by " | "
    ("Xây dựng Luật An ninh dữ liệu. | Bộ Công an | 2026"), so a quoted row matches the document.
    `cells` keeps the (column name, value) pairs (tasks read them, a long row is split at them);
    `header` is the column names joined the same way, the row's context."""

    cells: tuple[tuple[str, str], ...]
    header: str
    number: str  # the row's own number in a numbered table ("a)", "5.2"), "" when it has none

    def __new__(cls, cells: Iterable[tuple[str, str]], number: str = "") -> TableRow:
        pairs = tuple((n, v) for n, v in cells if v)
        row = super().__new__(cls, join_cells(v for _, v in pairs))
        row.cells = pairs
        row.header = join_cells(n for n, _ in pairs if n)
        row.number = number
        return row


CELL_SEPARATOR = " | "


class GroupRow(str):
    """A table's group row as a heading ("I. Giai đoạn 2025-2027:"): it heads the rows below it
    in its table, and nothing after the table."""


def join_cells(values: Iterable[str]) -> str:
    """ "Xây dựng Luật An ninh dữ liệu. | Bộ Công an | 2026": cell values verbatim, in order."""
    return CELL_SEPARATOR.join(v for v in values if v)


# Row-number columns ("TT", "STT") and row numbers ("1", "12", "I", "I.1", "1.2", "a").
_NUMBER_COLUMN = re.compile(r"^(?:s\.?\s?)?tt\.?$|^so tt$|^số tt$", re.IGNORECASE)
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}|[IVXLC]{1,6}|[IVXLC]{1,6}\.\d{1,2}|\d{1,3}(?:\.\d{1,3}){1,3}|[a-zđ])[.)]?$"
                         r"|^\(\d{1,3}\)$")
_MAX_CELL = 2500  # a "cell" longer than this is body text that happens to be followed by a pipe


@dataclass
class _Cell:
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        return _join_wrapped(self.lines)


def _join_wrapped(lines: list[str]) -> str:
    """The lines of one table cell as one text: a cell is a single record, so every line break
    in it is a wrap, except before an item marker ("- ...", "a) ...")."""
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        if out and (_ITEM_START.match(line) and out[-1].endswith(_TERMINAL)):
            out.append("\n")
        out.append(line)
    return " ".join(out).replace(" \n ", " ")


def _column_names(header_rows: list[list[str]], width: int) -> list[str]:
    """Column names for rows of `width` cells from one or two header rows; a second header row
    names the sub-columns of the first row's last columns ("Tổng số – Bãi bỏ TTHC")."""
    top = header_rows[0]
    if len(header_rows) >= 2:
        sub = header_rows[1]
        plain = width - len(sub)
        spanning = len(top) - plain
        if 0 < plain <= len(top) and spanning > 0 and len(sub) % spanning == 0:
            per = len(sub) // spanning
            names = list(top[:plain])
            for i, name in enumerate(sub):
                names.append(f"{top[plain + i // per]} – {name}")
            return names
    names = list(top[:width])
    names += [""] * (width - len(names))
    return names


def _rows_from_cells(cells: list[str]) -> list[list[str]]:
    """Cells closed by lone pipes → rows. A row ends with an empty cell; an empty cell inside a row
    is an empty value unless a row number follows it (a merged cell shortened the row)."""
    rows: list[list[str]] = []
    row: list[str] = []
    width = 0
    for i, cell in enumerate(cells):
        if cell:
            row.append(cell)
            continue
        nxt = cells[i + 1] if i + 1 < len(cells) else ""
        if not row:
            if nxt and not _ROW_NUMBER.match(nxt):
                row.append("")  # an empty first cell of a group row
            continue
        if (width and len(row) < width and nxt and not _ROW_NUMBER.match(nxt)) or \
                (width and len(row) < width and not nxt and i + 2 < len(cells) and cells[i + 2]
                 and not _ROW_NUMBER.match(cells[i + 2])):
            row.append("")  # an empty value
            continue
        rows.append(row)
        if not width:
            width = len(row)
        row = []
    if row:
        rows.append(row)
    return rows


_SCORED = re.compile(r":\s*\d+(?:[,.]\d+)?\s*(?:điểm)?$")


def _label(number: str, text: str) -> str:
    number = number.rstrip(".")
    return f"{number}. {text}" if number else text


def table_lines(rows: list[list[str]]) -> list[str]:
    """Rows of one table (the first is its header) → lines: a group row ("I | Giai đoạn 2025-2027")
    becomes a heading "I. Giai đoạn 2025-2027:" that the rows below inherit as their lead-in,
    every other row one `TableRow` with its cells named after their columns (and its number)."""
    if not rows:
        return []
    header_rows = [rows[0]]
    body = rows[1:]
    # A second header row: no row number, all cells short labels, more cells than the first.
    if body and len(body[0]) > len(header_rows[0]) and not _ROW_NUMBER.match(body[0][0]) and \
            all(len(c) <= 80 for c in body[0]):
        header_rows.append(body.pop(0))
    widths = [len(r) for r in body if r and _ROW_NUMBER.match(r[0])]
    width = max(widths) if widths else max((len(r) for r in body), default=len(header_rows[0]))
    names = _column_names(header_rows, width)
    numbered = bool(names) and bool(_NUMBER_COLUMN.match(fold(names[0])))
    out: list[str] = []
    for row in body:
        filled = [c for c in row if c]
        if not filled:
            continue
        number = row[0] if numbered and _ROW_NUMBER.match(row[0]) else ""
        rest = row[1:] if numbered else row
        values = [c for c in rest if c]
        group = len(values) == 1 and width >= 3 and len(row) < width or \
            (len(values) == 1 and width >= 3 and rest[:1] == values and not number.isdigit())
        # An unnumbered value ending in a score ("Kết quả công bố … dưới mức trung bình quân chung
        # của thành phố: 0") details the numbered row above it, as a row: no group heading.
        scored = not number and bool(values) and bool(_SCORED.search(values[0]))
        if numbered and group and (not number or not number.isdigit()) and not scored:
            out.append(GroupRow(_label(number, values[0]).rstrip(":.") + ":"))
            continue
        cells = list(zip(names[1:] if numbered else names, rest, strict=False))
        if len(rest) > len(cells):
            cells += [("", c) for c in rest[len(cells):]]
        out.append(TableRow(cells, number if numbered else ""))
    return out


def _is_number_column(text: str) -> bool:
    return bool(_NUMBER_COLUMN.match(fold(text)))


def _cell_runs(lines: list[str]) -> Iterator[tuple[str, list[list[str]]]]:
    """The document as ("text", [lines]) and ("cells", [lines of each cell]) runs. Cells are what
    lies between lone "|" lines; text before a pipe that is too long for a cell stays text."""
    buffer: list[str] = []
    size = 0
    cells: list[list[str]] = []
    for line in lines:
        stripped = line.strip()
        if stripped in ("|", "||"):
            if size > _MAX_CELL:
                if cells:
                    yield "cells", cells
                    cells = []
                yield "text", [buffer]
                cells.append([])
            else:
                cells.append(buffer)
                if stripped == "||":
                    cells.append([])
            buffer, size = [], 0
            continue
        if not stripped and not buffer:
            continue  # blank lines between cells
        buffer.append(line)
        size += len(line)
    if cells:
        yield "cells", cells
    if buffer:
        yield "text", [buffer]


def _cell_text(lines: list[str]) -> str:
    return _Cell([m for m in (strip_marks(x) for x in lines) if not is_noise(m)]).text()


def _layout_cell(lines: list[str]) -> list[str]:
    """The lines of a letterhead or signature cell, a run of capitals broken over lines joined
    ("CỘNG" / "HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), so the cell's lines never merge with the next cell."""
    out: list[str] = []
    upper_run = False
    for raw in _text_lines(lines):
        if isinstance(raw, TableRow):
            out.append(raw)
            upper_run = False
            continue
        line = strip_marks(raw)
        if not line or is_noise(line):
            continue
        upper = line.isupper() and not SIGNATURE_TITLE.match(line)
        if out and upper and upper_run:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        upper_run = upper
    out.append("")
    return out


_COVERING = re.compile(r"\s*\([^()]*\)\s*$")  # "(Kèm theo Kế hoạch số …)" ending a title


def title_of(line: str) -> str:
    """A title without the covering bracket that ends it ("(Kèm theo Công điện số …)")."""
    return _COVERING.sub("", line)


def _is_title(cell: str) -> bool:
    """A cell that is the next part's title in capitals ("PHỤ LỤC II KẾT QUẢ CUNG CẤP … (Kèm theo
    …)"), glued to a table's last row when the row had no closing pipe; no data cell is one."""
    title = title_of(cell)
    return len(title) >= 30 and title.isupper()


def _cells_to_lines(raw_cells: list[list[str]]) -> list[str]:
    """A run of one-cell-per-line cells → lines: data tables (a header starting with "TT"/"STT",
    or three rows of three or more cells) as rows; letterheads and signature blocks, which are
    two-column layouts, as their cells' own lines."""
    cells = [_cell_text(c) for c in raw_cells]
    out: list[str] = []
    starts = [i for i, c in enumerate(cells) if _is_number_column(c)]
    if not starts:
        rows = _rows_from_cells(cells)
        # A table without a number column: a header of three or more short labels and rows as
        # wide; letterheads and signature blocks have two columns.
        if len(rows) >= 3 and len(rows[0]) >= 3 and all(0 < len(c) <= 80 for c in rows[0]) and \
                sum(len(r) == len(rows[0]) for r in rows[1:]) >= 2:
            return table_lines(rows)
        for c in raw_cells:
            out.extend(_layout_cell(c))
        return out
    for c in raw_cells[: starts[0]]:
        out.extend(_layout_cell(c))
    bounds = [*starts, len(cells)]
    for a, b in zip(bounds, bounds[1:], strict=False):
        rows = _rows_from_cells(cells[a:b])
        # Text after the table's last row (the next appendix's heading) is not a row.
        trailing: list[str] = []
        while len(rows) > 1 and len(rows[-1]) == 1 and not _ROW_NUMBER.match(rows[-1][0]):
            trailing.insert(0, rows.pop()[0])
        while rows and len(rows[-1]) > 1 and _is_title(rows[-1][-1]):
            trailing.insert(0, rows[-1].pop())
        lengths = Counter(len(r) for r in rows[1:-1] if r and _ROW_NUMBER.match(r[0]))
        if lengths and len(rows) > 2:
            usual = lengths.most_common(1)[0][0]
            if len(rows[-1]) > usual:  # the last row had no closing pipe: what follows is text
                trailing[:0] = rows[-1][usual:]
                rows[-1] = rows[-1][:usual]
        out.extend(table_lines(rows))
        out.append("")
        out.extend(trailing)
    return out


def _pipe_row(line: str) -> list[str]:
    cells = [c.strip() for c in _PIPES.split(line.strip().strip("|"))]
    return cells


_RULE_ROW = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")


def _pipe_table_lines(rows: list[str]) -> list[str]:
    """Markdown pipe rows ("| TT | Nhiệm vụ | Cơ quan chủ trì |") → lines; a two-cell row of a
    legal-site summary ("Số hiệu | 3470/QĐ-UBND |") → "Số hiệu: 3470/QĐ-UBND"."""
    parsed = [_pipe_row(r) for r in rows if not _RULE_ROW.match(r.strip())]
    parsed = [[c for c in r] for r in parsed if any(r)]
    wide = [r for r in parsed if len([c for c in r if c]) >= 3]
    if len(wide) >= 2 and _is_number_column(parsed[0][0] if parsed[0] else ""):
        return table_lines(parsed)
    if len(wide) >= 2 and len(parsed) >= 3 and len(wide) >= len(parsed) // 2 + 1 and \
            all(len(c) <= 60 for c in parsed[0]) and not any(any(ch.isdigit() for ch in c) for c in parsed[0]):
        return table_lines(parsed)
    out: list[str] = []
    for cells in parsed:
        cells = [c for c in cells if c]
        if len(cells) == 2 and len(cells[0].split()) <= 4 and not any(ch in cells[0] for ch in ":.0123456789") \
                and cells[0][:1].isupper() and not cells[0].isupper():
            out.append(f"{cells[0]}: {cells[1]}")
        elif len(cells) >= 3 and sum(len(c.split()) for c in cells) >= 6:
            out.append(TableRow(("", c) for c in cells))
        else:
            out.extend(cells)
    return out


# --- hard wraps ----------------------------------------------------------------------------------

def _heading_like(line: str) -> bool:
    return line.isupper()  # every cased letter a capital: a heading or a letterhead line


# How a line looked before its marks were removed: plain, a short numbered item ("a) Cung cấp
# dịch vụ số bao trùm"), wholly bold or italic ("**II. NHIỆM VỤ**"), or the rest of a bold span
# opened on a line above ("**17. Chi cục" / "Hải quan khu vực V**").
PLAIN, SHORT_ITEM, BOLD, BOLD_GOES_ON = 0, 1, 2, 3


class BoldLine(str):
    """A line that was wholly bold (or italic) in the document, over one line or several: a
    heading, however many words it has ("13. Báo và Phát thanh, Truyền hình tỉnh và các cơ quan
    báo chí đóng trên địa bàn")."""


def _joinable(prev: str, nxt: str, *, blank: bool, prev_bold: int, width: int,  # noqa: C901
              paragraphs: bool = False, bold: int = PLAIN) -> bool:
    """A hard wrap: the previous line stops mid-sentence and the next one carries on. `width` is
    the length the document's lines are wrapped at (0 when they are not); `paragraphs` says the
    document separates its paragraphs by blank lines (see `blank_paragraphs`)."""
    if not prev or not nxt or isinstance(prev, TableRow):
        return False
    if bold == BOLD_GOES_ON and not blank:
        return True  # inside one bold span: one heading or sentence, whatever comes next
    first = nxt[0]
    if prev.endswith((";", ",")) and first.islower() and not blank and not _ITEM_START.match(nxt):
        return True  # "... trong giai đoạn mới;" / "chủ động hợp tác quốc tế ...": one item
    if prev.endswith(_TERMINAL):
        return False
    if re.match(r"^[-–]\s*(?:19|20)\d\d\b", nxt) and re.search(r"(?:19|20)\d\d$", prev):
        return True  # "GIAI ĐOẠN 2026" / "- 2030": a year range broken over two lines
    if _ITEM_START.match(nxt):
        return False
    if first.islower() or first in "(,%)":
        return True
    if blank:
        return False
    if first.isdigit():
        return not _heading_like(prev)
    if width and first.isupper() and len(prev.split()) <= 2 and ":" not in prev and prev_bold < BOLD \
            and not _heading_like(prev) and not _heading_like(nxt) and not _PERSON.match(prev):
        # A stub of one or two words ("(1) Bộ" / "Tài chính đề nghị …", "Các" / "Bộ có số lượng …")
        # in a hard-wrapped text is no line of its own: it is kept with what it begins (a label
        # with its value, "Số: 101/KH-UBND", is a line).
        return True
    if paragraphs and first.isupper() and prev_bold < BOLD and not _heading_like(prev) and not _heading_like(nxt):
        # Paragraphs apart by blank lines: a line that ends no sentence, with no blank line after
        # it, is wrapped, however short ("**17. Chi cục" / "Hải quan khu vực V**", "a) Củng cố và
        # vận hành hiệu quả" / "Ban Chỉ đạo …", "Theo đề nghị của Sở Khoa học và" / "Công nghệ").
        return True
    # A capital after a wrap ("Việt" / "Nam", "Nam" / "Định)"): the line before is a sentence cut
    # at a width, not a heading or a label.
    return (first.isupper() and not prev_bold and not _heading_like(prev) and not _heading_like(nxt)
            and width > 0 and len(prev) >= min(40, 0.7 * width) and (prev[-1].isalnum() or prev[-1] in ",)”\"-–"))


def wrap_width(lines: list[str]) -> int:
    """The width a text is hard-wrapped at: the median length of its longer lines, 0 when most
    paragraphs are single long lines (then a capital never continues a line)."""
    lengths = sorted(len(x) for x in lines if len(x) >= 30)
    if len(lengths) < 5:
        return 0
    median = lengths[len(lengths) // 2]
    return median if median <= 200 else 0


def blank_paragraphs(lines: list[str]) -> bool:
    """Does a text wrap its paragraphs at a width and put a blank line between them (most lines
    ending a sentence are followed by a blank line, most others by more of the paragraph)? Then a
    line without a blank line after it never ends a paragraph. Table rows are not counted."""
    ends = ends_blank = others = others_on = 0
    for line, nxt in zip(lines, lines[1:], strict=False):
        line = line.strip().strip("*_ ")
        if not line or "|" in line:
            continue
        if line.endswith((".", ";", ":")):
            ends += 1
            ends_blank += not nxt.strip()
        else:
            others += 1
            others_on += bool(nxt.strip())
    return ends >= 20 and others >= 20 and ends_blank >= 0.6 * ends and others_on >= 0.6 * others


def _joined(lines: Iterable[tuple[str, bool, int]], width: int, paragraphs: bool = False) -> list[str]:
    """(line, blank line before it, how bold: PLAIN, SHORT_ITEM, BOLD) → lines with hard wraps
    joined, in one pass."""
    out: list[str] = []
    parts: list[str] = []
    prev = ""
    prev_bold = PLAIN
    for line, blank, bold in lines:
        if (parts and not isinstance(line, TableRow)
                and _joinable(prev, line, blank=blank, prev_bold=prev_bold, width=width, paragraphs=paragraphs,
                              bold=bold)):
            parts.append(line)
            prev = line  # a heading-like first line keeps the whole run heading-like
            # A bold run is a heading only while its lines are bold: a bold opening carried on
            # in plain lines is a sentence, and a capital after its wrap carries it on ("Báo cáo
            # Thủ tướng" / "Chính phủ kết quả …").
            prev_bold = prev_bold if bold == BOLD_GOES_ON else min(prev_bold, bold)
            continue
        if parts:
            out.append(_run(parts, prev_bold))
        parts = [line]
        prev = line
        prev_bold = BOLD if bold == BOLD_GOES_ON else bold
    if parts:
        out.append(_run(parts, prev_bold))
    return out


def _run(parts: list[str], bold: int) -> str:
    """Joined lines as one line; a `BoldLine` when they were wholly bold."""
    line = parts[0] if len(parts) == 1 else " ".join(parts)
    return BoldLine(line) if bold == BOLD and not isinstance(line, TableRow) else line


# --- signatures ----------------------------------------------------------------------------------

# Lines of a signature block above the name: who signs for whom.
SIGNATURE_TITLE = re.compile(
    r"^(?:(?:TM|KT|Q|TL|TUQ)\.\s*)?(?:PHÓ\s+)?(?:CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|THỨ TRƯỞNG|CHỦ NHIỆM|GIÁM ĐỐC"
    r"|CHÁNH VĂN PHÒNG|TRƯỞNG BAN|VIỆN TRƯỞNG|TỔNG GIÁM ĐỐC|CỤC TRƯỞNG|VỤ TRƯỞNG|THỦ TRƯỞNG|BÍ THƯ"
    r"|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|CHÍNH PHỦ|BAN THƯỜNG VỤ|BAN CHẤP HÀNH|BỘ [A-ZĐÀ-Ỹ ]+)"
    r"(?:\s+[A-ZĐÀ-Ỹ.]+){0,4}$"
)
_PERSON = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+)(?: [A-ZĐÀ-Ỹ][a-zđà-ỹ]+){1,3}$")


def _signatures(lines: list[str]) -> list[str]:
    """A signature block ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / "Trương Công Thái") → one line naming
    who signed and as what, so it is a clause of its own."""
    out: list[str] = []
    for line in lines:
        if _PERSON.match(line) and out and SIGNATURE_TITLE.match(out[-1]):
            titles = [out.pop()]
            while out and len(titles) < 4 and SIGNATURE_TITLE.match(out[-1]):
                titles.insert(0, out.pop())
            out.append(" ".join([*titles, line]))
        else:
            out.append(line)
    return out


_YEARS_ONLY = re.compile(r"^(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\)?$")
_UPPER_STOP = ("CỘNG HÒA", "ĐỘC LẬP", "CHỦ TỊCH", "TM.", "KT.", "QUYẾT ĐỊNH", "KẾ HOẠCH", "NƠI NHẬN",
               "PHỤ LỤC", "ĐIỀU ", "CHƯƠNG ", "PHẦN ", "MỤC ")


def _upper_merged(lines: list[str]) -> list[str]:
    """Headings broken over lines in capitals ("KẾ HOẠCH THỰC HIỆN CHƯƠNG" / "TRÌNH TỔNG THỂ ...",
    "TM. ỦY BAN NHÂN" / "DÂN"), in one pass."""
    out: list[str] = []
    parts: list[str] = []
    for line in lines:
        if parts and parts[-1].isupper() and _YEARS_ONLY.match(line) and not isinstance(line, TableRow):
            parts.append(line)  # "... GIAI ĐOẠN" / "2026 - 2030"
            continue
        if (
            parts
            and line.isupper()
            and not isinstance(line, TableRow)
            and parts[-1].isupper()
            and not _ITEM_START.match(line)
            and not parts[-1].endswith(_TERMINAL)
            and not line.startswith(_UPPER_STOP)
            and not SIGNATURE_TITLE.match(line)
        ):
            parts.append(line)
            continue
        if parts:
            out.append(parts[0] if len(parts) == 1 else " ".join(parts))
        parts = [line]
    if parts:
        out.append(parts[0] if len(parts) == 1 else " ".join(parts))
    return out


# --- the whole document --------------------------------------------------------------------------

def _marked(raw_lines: Iterable[str]) -> Iterator[tuple[str, bool, int]]:
    """(cleaned line, blank line before it, wholly bold) for each meaningful line of a text run;
    table rows pass through."""
    blank = False
    span = False  # inside a bold span opened at the start of a line above ("**17. Chi cục")
    links = False  # under a heading of a list of links to other articles ("Tin liên quan")
    for raw in raw_lines:
        if isinstance(raw, (TableRow, GroupRow)):
            yield raw, blank, PLAIN
            blank = span = False
            continue
        marks = raw.count("**") % 2 == 1
        if span:
            bold = BOLD_GOES_ON if not marks or raw.rstrip().endswith("**") else PLAIN
            span = not marks
        else:
            bold = BOLD if _BOLD_LINE.match(raw) or _ITALIC_LINE.match(raw) else \
                SHORT_ITEM if _SHORT_ITEM.match(raw) else PLAIN
            span = marks and raw.lstrip().startswith("**")
            bold = BOLD if span else bold
        line = strip_marks(raw)
        if not line:
            blank = True
            span = False
            continue
        if is_byline(line):
            yield "", True, PLAIN  # an empty line: what follows starts afresh, even in lower case
            blank = True
            continue
        if links and _title_like(line) and "|" not in line:
            continue  # another article's title under "Tin liên quan"
        links = False
        parts = _pipe_table_lines([line]) if "|" in line else [line]
        for part in parts:
            if is_noise(part):
                links = links or fold(part.strip()).rstrip(": ") in _LINK_LISTS
                continue
            yield part, blank, bold
            blank = False


def _expanded(raw: list[str]) -> Iterator[str]:
    """Raw lines with the tables turned into rows (markdown pipe tables and one-cell-per-line
    tables alike), everything else as it was."""
    for kind, chunk in _cell_runs(raw):
        if kind == "cells":
            yield from _cells_to_lines(chunk)
            yield ""
            continue
        yield from _text_lines(chunk[0])


def _text_lines(lines: Iterable[str]) -> Iterator[str]:
    """Lines of running text with consecutive markdown pipe rows turned into table lines."""
    pending: list[str] = []
    for line in lines:
        stripped = line.strip()
        # Markdown rows ("| a | b |") and Word table rows as documents.py writes them ("a | b | c").
        if stripped.count("|") >= 2 and (stripped.startswith("|") or stripped.endswith("|") or " | " in stripped):
            pending.append(strip_marks(stripped) if "*" in stripped else stripped)
            continue
        if pending:
            yield from _pipe_table_lines(pending)
            pending = []
        yield line
    if pending:
        yield from _pipe_table_lines(pending)


def clean(text: str) -> list[str]:
    """The document's meaningful lines, in order: noise and markdown marks removed, wrapped lines
    joined, table rows as `TableRow` lines, signature blocks on one line."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u200b", "").split("\n")
    raw = _page_header_dropped(raw)
    lines = _joined(_marked(_expanded(raw)), wrap_width(raw), blank_paragraphs(raw))
    return _upper_merged(_signatures(_upper_merged(lines)))
