"""Targets for staff: what a figure measures, /muctieu's grouped list, /sosanh's comparison.

Shared by Telegram (`handlers/`) and the console chat; nothing here formats a message. The chart
itself is drawn by `knowledge.charts` from a `Comparison`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from knowledge.base import KnowledgeBase, TargetRow
from knowledge.models import DocumentMeta
from knowledge.text import fold

_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_PERIOD_RE = re.compile(r"((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)")
# Words that may precede a province name and are not part of the topic (folded).
_PROVINCE_WORDS = {"tinh", "tp", "tp.", "thanh pho", "o", "tai", "cua"}
# Words asking for results already reached rather than targets (folded).
_RESULT_WORDS = ("ket qua", "da dat", "dat duoc")
# Where the phrase a figure stands in ends: sentence and list punctuation (not a decimal comma).
_PHRASE_END = re.compile(r"[;.:](?!\d)|\n")
# Words that open a phrase without saying what is measured (folded, at the phrase start).
_LEADING = re.compile(
    r"^(?:[-–+•*]\s*|[a-zđ]\)\s*|\d+(?:\.\d+)*[.)]\s*)?(?:(?:phan dau|toi thieu|it nhat|dat|tren|duoi|tu|"
    r"muc tieu|chi tieu|den nam (?:19|20)\d\d|den het nam (?:19|20)\d\d|co)\s*,?\s+)*")
MEASURE_CHARS = 110


@dataclass(frozen=True)
class Scope:
    """What a staff command asks about: a topic, optionally one province, a year or a period."""

    topic: str
    province: str | None = None
    year: int | None = None
    period: tuple[int, int] | None = None
    kind: str = "target"  # "result" when the words ask for results already reached

    def words(self) -> str:
        """The scope as the user would type it again (for buttons that repeat a command)."""
        parts = [self.topic, self.province or ""]
        if self.period:
            parts.append(f"{self.period[0]}-{self.period[1]}")
        elif self.year:
            parts.append(str(self.year))
        return " ".join(p for p in parts if p)


def province_names(kb: KnowledgeBase) -> set[str]:
    """Every province name a document carries (as written, and after the merger) and every name
    the gazetteer knows, old or new."""
    names = set(kb.gazetteer.names())
    for meta in kb.documents():
        names.update(n for n in (meta.province, meta.province_current) if n)
    return names


def parse_scope(args: Sequence[str], provinces: Iterable[str]) -> Scope:
    """Split command arguments into a Scope: a trailing year ("2025") or period ("2021-2025"),
    the longest trailing run of words naming a known province (with or without diacritics,
    optionally after "tỉnh"/"thành phố"), the topic whatever precedes. Words such as "kết quả"
    ask for results instead of targets."""
    # "2021 - 2025" is one period; commas separate nothing that matters here.
    joined = re.sub(r"((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)", r"\1-\2", " ".join(args))
    words = [w for w in joined.replace(",", " ").split() if w]
    year: int | None = None
    period: tuple[int, int] | None = None

    def take_time() -> None:
        nonlocal year, period
        if not words or year or period:
            return
        m = _PERIOD_RE.fullmatch(words[-1])
        if m and int(m.group(1)) < int(m.group(2)):
            period = (int(m.group(1)), int(m.group(2)))
            words.pop()
        elif _YEAR_RE.fullmatch(words[-1]):
            year = int(words.pop())
        if (year or period) and words:
            for n in (2, 1):
                if len(words) >= n and fold(" ".join(words[-n:])) in ("nam", "giai doan", "ky", "thoi ky"):
                    del words[-n:]
                    break

    take_time()
    known = {fold(p): p for p in provinces if p}
    province: str | None = None
    for n in range(min(4, len(words)), 0, -1):
        tail = fold(" ".join(words[-n:]))
        if tail in known:
            province = known[tail]
            del words[-n:]
            break
    if province is not None:
        for n in (2, 1):
            if len(words) >= n and fold(" ".join(words[-n:])) in _PROVINCE_WORDS:
                del words[-n:]
                break
    take_time()
    topic = " ".join(words)
    kind = "target"
    folded = fold(topic)
    for cue in _RESULT_WORDS:
        if re.search(rf"(?<!\w){cue}(?!\w)", folded):
            kind = "result"
            topic = _drop_words(topic, cue)
            break
    return Scope(topic=topic, province=province, year=year, period=period, kind=kind)


def _drop_words(text: str, folded_phrase: str) -> str:
    """`text` without the words whose folded form is `folded_phrase`."""
    words = text.split()
    n = len(folded_phrase.split())
    for i in range(len(words) - n + 1):
        if fold(" ".join(words[i:i + n])) == folded_phrase:
            return " ".join(words[:i] + words[i + n:])
    return text


def _figure_span(text: str, value_text: str) -> tuple[int, int] | None:
    """Where a figure stands in its clause ("80%" in "Tối thiểu 80% TTHC …")."""
    number = value_text.split("/")[0].split("-")[0].rstrip("%").strip().split(" ")[0]
    if not number:
        return None
    m = re.search(rf"(?<![\d,.]){re.escape(number)}(?![\d,])(?:\s*%)?", text)
    return m.span() if m else None


def phrase(text: str, value_text: str) -> tuple[int, int, int, int] | None:
    """(phrase start, figure start, figure end, phrase end) of the phrase a figure stands in,
    bounded by sentence and list punctuation; None when the figure is not in the text."""
    span = _figure_span(text, value_text)
    if span is None:
        return None
    start, end = span
    before_cut = [m.end() for m in _PHRASE_END.finditer(text, 0, start)]
    after_end = _PHRASE_END.search(text, end)
    return (before_cut[-1] if before_cut else 0), start, end, (after_end.start() if after_end else len(text))


def measure(text: str, value_text: str) -> str:
    """What a figure measures, in the clause's own words, figure first when the words follow it:
    "80% TTHC có yêu cầu nghĩa vụ tài chính được triển khai thanh toán trực tuyến"; when they
    precede it ("tỷ lệ hài lòng … đạt 90%"), "tỷ lệ hài lòng … 90%". Cut near MEASURE_CHARS."""
    found = phrase(text, value_text)
    if found is None:
        return _cut(text, MEASURE_CHARS)
    phrase_start, start, end, phrase_end = found
    after = " ".join(text[end:phrase_end].split())
    after = re.sub(r"^(?:trở lên|trở xuống)\b\s*,?\s*", "", after)
    if len(after.split()) >= 3:
        return _cut(f"{value_text} {after}", MEASURE_CHARS)
    before = " ".join(text[phrase_start:start].split())
    folded = fold(before)
    lead = _LEADING.match(folded)
    if lead:
        before = before[lead.end():] if len(before) == len(folded) else before
    before = re.sub(r"\s*(?:đạt|là|từ|tối thiểu|ít nhất|trên|dưới|phấn đấu)\s*$", "", before, flags=re.I)
    words = before.split()
    if len(words) > 14:
        before = "… " + " ".join(words[-14:])
    return _cut(f"{before} {value_text}".strip(), MEASURE_CHARS)


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


@dataclass
class Line:
    """One distinct target of a listing or a comparison."""

    row: TargetRow
    year: int | None
    measure: str

    @property
    def meta(self) -> DocumentMeta:
        """The document the target comes from."""
        return self.row.meta


def target_year(row: TargetRow) -> int | None:
    """The year a target is for: its deadline's (last) year, else its document's year."""
    years = [int(y) for y in _YEAR_RE.findall(row.target.deadline or "")]
    return max(years) if years else row.meta.year


def distinct_lines(rows: Sequence[TargetRow], kind: str = "target") -> list[Line]:
    """Rows of one kind (targets or results, never both), each distinct target once: the same
    figure of the same document for the same year measuring the same thing is one line, even
    when several clauses repeat it."""
    out: list[Line] = []
    seen: set[tuple[str, str, int | None, str]] = set()
    for row in rows:
        if (row.target.kind or "target") != kind or not row.target.value_text:
            continue
        year = target_year(row)
        what = measure(row.clause_text, row.target.value_text)
        key = (row.meta.file, row.target.value_text, year, fold(what)[:60])
        if key in seen:
            continue
        seen.add(key)
        out.append(Line(row=row, year=year, measure=what))
    return out


def relevant(kb: KnowledgeBase, lines: Sequence[Line], topic: str, floor: float = 0.6) -> list[Line]:
    """The lines whose figure's own phrase is about the topic: the share of the topic's search
    words (abbreviations expanded, as the reader reads them) standing in that phrase is at least
    `floor`, or the best share any line reaches when none does. A clause naming two figures
    keeps only the one the topic is about."""
    # Whole words ("thanh_toan" is the compound "thanh toan"): folded syllables collide
    # ("toàn" and "toán" both fold to "toan"), words of two syllables rarely do.
    wanted = [re.compile(rf"(?<!\w){re.escape(t.replace('_', ' '))}(?!\w)") for t in kb.read(topic).terms
              if len(t) > 1]
    if not wanted or not lines:
        return list(lines)

    def share(line: Line) -> float:
        text = line.row.clause_text
        found = phrase(text, line.row.target.value_text)
        folded = " ".join(fold(text[found[0]:found[3]] if found else text).split())
        return sum(1 for w in wanted if w.search(folded)) / len(wanted)

    scored = [(share(ln), ln) for ln in lines]
    best = max(sc for sc, _ in scored)
    return [ln for sc, ln in scored if sc > 0 and sc >= min(floor, best)]


def place(meta: DocumentMeta) -> str:
    """Where a document applies, after the merger: the current province, "Trung ương" for the
    central government and ministries."""
    return meta.province_current or meta.province or "Trung ương"


@dataclass
class Group:
    """The lines of one document, under its province."""

    place: str
    meta: DocumentMeta
    lines: list[Line] = field(default_factory=list)


def grouped(lines: Sequence[Line]) -> list[Group]:
    """Lines grouped by province (current name) then document, provinces by name, documents and
    lines by year (undated last)."""
    groups: dict[tuple[str, str], Group] = {}
    for line in lines:
        key = (place(line.meta), line.meta.file)
        groups.setdefault(key, Group(place=key[0], meta=line.meta)).lines.append(line)
    for g in groups.values():
        g.lines.sort(key=lambda ln: (ln.year or 9999, ln.row.clause_id))
    return sorted(groups.values(), key=lambda g: (fold(g.place) == "trung uong", fold(g.place),
                                                  g.meta.year or 9999, g.meta.file))


# --- comparison ---------------------------------------------------------------------------------

@dataclass
class Bar:
    """One bar of a comparison: a province (or a year, for one province), its value, its line."""

    label: str
    value: float
    year: int | None
    line: Line


@dataclass
class Comparison:
    """One indicator across provinces (or one province across years), like with like: one kind
    (targets or results) and one unit (%)."""

    scope: Scope
    kind: str
    lines: list[Line]          # every distinct line compared, sorted by value (highest first)
    bars: list[Bar]            # what the chart draws, in drawing order
    by_year: bool              # bars are years of one province
    place_label: str = ""      # that province, merged names shown ("Bắc Ninh (gồm Bắc Giang)")

    @property
    def documents(self) -> list[DocumentMeta]:
        """The source documents of the bars, each once, in bar order."""
        seen: dict[str, DocumentMeta] = {}
        for bar in self.bars:
            seen.setdefault(bar.line.meta.file, bar.line.meta)
        return list(seen.values())


def merged_label(kb: KnowledgeBase, current: str, metas: Iterable[DocumentMeta], also: Iterable[str] = ()) -> str:
    """A province's label on a chart: its current name, with the old names its documents carry
    and those in `also` (the name the user typed) — "Bắc Ninh (gồm Bắc Giang)"; central
    documents by their number."""
    if current == "Trung ương":
        numbers = sorted({m.document or m.file for m in metas})
        return "Trung ương" + (f" ({', '.join(numbers)})" if numbers else "")
    names = [m.province for m in metas if m.province] + [kb.gazetteer.canonical(a) or a for a in also]
    olds = sorted({n for n in names if fold(n) != fold(current)}, key=fold)
    return f"{current} (gồm {', '.join(olds)})" if olds else current


def _in_time(line: Line, scope: Scope) -> bool:
    if scope.period:
        return line.year is not None and scope.period[0] <= line.year <= scope.period[1]
    if scope.year:
        return line.year == scope.year
    return True


def compare(kb: KnowledgeBase, scope: Scope, *, limit: int = 80) -> Comparison:
    """The comparison `/sosanh` draws: the targets on `scope.topic` (or results, when asked or
    when there are no targets) in %, across provinces — one bar per province, its latest target
    in the year or period asked — or, with a province, across that province's years."""
    year = scope.year if scope.period is None else None
    rows = kb.targets(scope.topic[:200], province=scope.province, year=year, limit=limit)
    if scope.province:
        wanted = kb.gazetteer.current(scope.province) or scope.province
        rows = [r for r in rows if fold(place(r.meta)) == fold(wanted)]
    kind = scope.kind
    lines = [ln for ln in relevant(kb, distinct_lines(rows, kind), scope.topic)
             if ln.row.target.unit == "%" and ln.row.target.value is not None and _in_time(ln, scope)]
    if not lines and kind == "target":
        results = [ln for ln in relevant(kb, distinct_lines(rows, "result"), scope.topic) if ln.row.target.unit == "%"
                   and ln.row.target.value is not None and _in_time(ln, scope)]
        if results:
            kind, lines = "result", results
    lines.sort(key=lambda ln: (-(ln.row.target.value or 0), fold(place(ln.meta)), ln.year or 0))
    bars: list[Bar] = []
    if scope.province:
        by_year: dict[int | None, Line] = {}
        for ln in lines:
            by_year.setdefault(ln.year, ln)  # the highest figure of each year (lines are by value)
        for y in sorted(by_year, key=lambda v: v or 0):
            ln = by_year[y]
            bars.append(Bar(label=str(y) if y else "?", value=ln.row.target.value or 0.0, year=y, line=ln))
    else:
        by_place: dict[str, list[Line]] = {}
        for ln in lines:
            by_place.setdefault(place(ln.meta), []).append(ln)
        for where, group in by_place.items():
            # The latest year's figure stands for the province; the highest one within that year.
            latest = max(group, key=lambda ln: (ln.year or 0, ln.row.target.value or 0))
            label = merged_label(kb, where, [ln.meta for ln in group])
            bars.append(Bar(label=label, value=latest.row.target.value or 0.0, year=latest.year, line=latest))
        bars.sort(key=lambda b: (-b.value, fold(b.label)))
    place_label = ""
    if scope.province:
        current = kb.gazetteer.current(scope.province) or scope.province
        place_label = merged_label(kb, current, [ln.meta for ln in lines], [scope.province])
    return Comparison(scope=scope, kind=kind, lines=lines, bars=bars, by_year=bool(scope.province),
                      place_label=place_label)


# --- listing (/muctieu, /xuat) ------------------------------------------------------------------

def listing(kb: KnowledgeBase, scope: Scope, *, kinds: tuple[str, ...] = ("target",), limit: int = 60) -> list[Line]:
    """The distinct targets (or results) on a scope, in /muctieu's order: by province, document
    and year."""
    year = scope.year if scope.period is None else None
    rows = kb.targets(scope.topic[:200], province=scope.province, year=year, limit=limit)
    lines = [ln for kind in kinds for ln in relevant(kb, distinct_lines(rows, kind), scope.topic)
             if _in_time(ln, scope)]
    return [ln for g in grouped(lines) for ln in g.lines]


T = TypeVar("T")


def page_of(items: Sequence[T], page: int, size: int) -> tuple[list[T], int, int]:
    """(the items of page `page` — clamped into range —, that page, the number of pages)."""
    pages = max(1, -(-len(items) // size))
    page = min(max(0, page), pages - 1)
    return list(items[page * size:(page + 1) * size]), page, pages
