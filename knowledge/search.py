"""Reading a question: filters (province, year, document number), content terms, and the
scoring of candidate clauses. Pure functions over data the KnowledgeBase loads once."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property

from knowledge.provinces import Gazetteer
from knowledge.text import Analyzer, fold, has_diacritics, normalize, words

MAX_QUESTION = 400  # characters; longer input is cut, never rejected

# Folded words that carry no topic: question words, particles, fillers. Years and places are
# filters, not words, and are removed separately.
STOPWORDS = frozenset(
    ["a", "ai", "bao", "bay", "cac", "cai", "can", "cho", "chu", "chua", "co", "con", "cua", "da", "dang", "de", "den", "deu", "di", "do", "duoc", "gi", "giup", "hay", "hoi", "la", "lam", "len", "luc", "ma", "may", "minh", "mot", "muon", "nao", "nay", "neu", "nhe", "nhi", "nhieu", "nhu", "nhung", "noi", "o", "oi", "phai", "ra", "roi", "sao", "se", "tai", "the", "thi", "toi", "tu", "tren", "trong", "va", "vay", "ve", "vi", "voi", "xin", "xem", "khong", "biet", "hien", "nam", "nua", "dau"]
)
# Words of asking, as the segmenter joins them ("nói gì", "như thế nào"): they name no topic.
QUESTION_WORDS = frozenset(
    ["noi_gi", "la_gi", "the_nao", "nhu_the_nao", "nhu_nao", "bao_gio", "o_dau", "cho_biet", "cho_toi",
     "hoi_ve", "tim_hieu", "xin_hoi", "giup_toi", "lam_sao", "khong_biet", "muon_biet", "the_la", "vay_thi",
     "duoc_khong", "co_khong", "khong_a", "nhe_ban", "ban_oi", "ad_oi"]
)
# Questions that ask for a figure favour clauses that state one.
_WANTS_FIGURE = re.compile(r"\b(?:bao nhieu|muc tieu|chi tieu|ty le|toi thieu|it nhat|dat bao|xep hang|"
                           r"thu hang|phan tram|so luong|may phan)\b")
_WANTS_DATE = re.compile(r"\b(?:ngay nao|khi nao|bao gio|luc nao|thoi gian nao|ngay bao nhieu|ngay ban hanh)\b")
_WANTS_SIGNER = re.compile(r"\b(?:ai ky|nguoi ky|ky ban hanh|ky boi|ai la nguoi ky)\b")
_WANTS_NUMBER = re.compile(r"\b(?:so hieu|so ky hieu|so van ban|so may|so bao nhieu)\b")
_DATE_IN_TEXT = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\b\d{1,2}/\d{1,2}/\d{4}\b", re.I)
_DOCNUM_IN_TEXT = re.compile(r"\b\d{1,5}/[A-ZĐ][A-ZĐa-zđ\-]+")
_SIGNED = re.compile(r"(?<!\w)ký(?!\w)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_DOC_REF = re.compile(r"(?<![\d/])(\d{1,5})\s*/\s*([a-z][a-z\-&]*)|"
                      r"\b(?:quyet dinh|qd|ke hoach|kh|van ban|so|cong van|nghi quyet)\s*(?:so\s*)?(\d{1,5})\b")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


# Words that only say what kind of answer is wanted; the intent is scored, the words are not.
INTENT_WORDS = {
    "signer": {"ky", "nguoi", "nguoi_ky", "ky_ban"},
    "date": {"ngay", "khi", "gio", "luc", "bao_gio", "khi_nao", "thoi_gian"},
    "number": {"so", "hieu", "so_hieu", "ky_hieu"},
    # Every plan is about targets: "mục tiêu"/"chỉ tiêu" asks for a figure, it names no topic.
    "figure": {"muc_tieu", "chi_tieu", "bao_nhieu", "bao", "nhieu"},
}


@dataclass
class Query:
    """A question, read: what it filters on and which terms it searches for."""

    text: str
    folded: str
    terms: list[str] = field(default_factory=list)  # folded syllables, filters out (see KnowledgeBase.read)
    typed_accented: set[str] = field(default_factory=set)  # folded forms of words typed with accents
    typed: list[str] = field(default_factory=list)  # `terms` as typed, aligned with them
    forms: dict[str, str] = field(default_factory=dict)  # unit → as typed, for units typed with accents
    accented: list[str] = field(default_factory=list)  # normalized words as typed, when typed with accents
    provinces: list[str] = field(default_factory=list)  # canonical names found in the question
    currents: list[str] = field(default_factory=list)  # their current (post-2025) provinces
    years: list[int] = field(default_factory=list)
    doc_numbers: list[str] = field(default_factory=list)  # numeric part of document numbers named
    wants_figure: bool = False
    wants_date: bool = False
    wants_signer: bool = False
    wants_number: bool = False

    @property
    def intent_words(self) -> set[str]:
        """Words that only name the intent of a metadata question ("ai ký", "ngày nào")."""
        out: set[str] = set()
        for name, flag in (("signer", self.wants_signer), ("date", self.wants_date), ("number", self.wants_number),
                           ("figure", self.wants_figure)):
            if flag:
                out |= INTENT_WORDS[name]
        return out

    def satisfied_by(self, text_norm: str, signer: str | None = None) -> bool:
        """True when a clause gives what a metadata question asks (a signer, a date, a number)."""
        return bool(
            (self.wants_signer and (_SIGNED.search(text_norm) or (signer and normalize(signer) in text_norm)))
            or (self.wants_date and _DATE_IN_TEXT.search(text_norm))
            or (self.wants_number and _DOCNUM_IN_TEXT.search(text_norm.upper()))
        )


def sanitize(question: str) -> str:
    """Any input to a bounded, printable question (hostile text included)."""
    text = unicodedata.normalize("NFC", str(question))
    text = _CONTROL.sub(" ", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    text = " ".join(text.split())
    if len(text) <= MAX_QUESTION:
        return text
    # Cut at a word boundary: half a word ("thanh" → "than") is a word the plans may not use.
    head = text[:MAX_QUESTION + 1]
    return head.rsplit(" ", 1)[0] if " " in head else text[:MAX_QUESTION]


def parse(question: str, *, analyzer: Analyzer, gazetteer: Gazetteer, known_numbers: Collection[str]) -> Query:
    """Read filters and content terms out of a question."""
    text = sanitize(question)
    folded = fold(text)
    q = Query(text=text, folded=folded)
    spans: list[tuple[int, int]] = []
    for name, start, end in _places(text, analyzer, gazetteer):
        if name not in q.provinces:
            q.provinces.append(name)
            current = gazetteer.current(name) or name
            if current not in q.currents:
                q.currents.append(current)
        spans.append((start, end))
    # Remove place names (and their "tỉnh"/"thành phố" prefix) before reading words, so
    # "Hà Nội" does not search for "nội".
    kept = text
    for start, end in sorted(spans, reverse=True):
        head = _PLACE_PREFIX.sub("", kept[:start])
        kept = head + " " + kept[end:]
    kept_folded = fold(kept)
    for m in _DOC_REF.finditer(kept_folded):
        num = m.group(1) or m.group(3)
        if num and num.lstrip("0") in known_numbers and num.lstrip("0") not in q.doc_numbers:
            q.doc_numbers.append(num.lstrip("0"))
    q.years = sorted({int(y) for y in _YEAR.findall(kept_folded)})
    q.wants_figure = bool(_WANTS_FIGURE.search(folded))
    q.wants_date = bool(_WANTS_DATE.search(folded))
    q.wants_signer = bool(_WANTS_SIGNER.search(folded))
    q.wants_number = bool(_WANTS_NUMBER.search(folded))
    sylls = analyzer.syllables(kept)
    as_typed = analyzer.typed(kept)
    if len(as_typed) != len(sylls):
        as_typed = sylls
    keep = [i for i, s in enumerate(sylls) if not _YEAR.fullmatch(s) and s.lstrip("0") not in q.doc_numbers]
    q.terms = [sylls[i] for i in keep]
    q.typed = [as_typed[i] for i in keep]
    typed = [w for w in words(normalize(kept)) if fold(w) != w]
    q.typed_accented = {fold(w) for w in typed}
    # Words as typed (accents, capitals folded by normalize): exact matches rank first.
    q.accented = [w for w in words(normalize(kept)) if fold(w) not in STOPWORDS and not w.isdigit()] if typed else []
    return q


_PLACE_PREFIX = re.compile(r"(?:\b(?:tỉnh|tinh|thành phố|thanh pho|tp\.?|tp|t\.p\.?)\s*)$", re.IGNORECASE)
_SYLL = re.compile(r"\w+")


def _places(text: str, analyzer: Analyzer, gazetteer: Gazetteer) -> list[tuple[str, int, int]]:
    """Province names in a question. Typed without diacritics, a name can straddle a word
    ("truc tuyen quang ninh" holds "tuyen quang"): a match whose first syllable completes the
    word before it is dropped and the rest of the text is read again."""
    masked = text
    for _ in range(3):
        found = gazetteer.find(masked)
        bad = None
        for _name, start, end in found:
            if has_diacritics(masked[start:end]):
                continue
            before = _SYLL.findall(fold(masked[:start]))
            first = _SYLL.findall(fold(masked[start:end]))
            if before and first and (before[-1], first[0]) in analyzer.compounds:
                bad = (start, start + len(masked[start:end].split()[0]))
                break
        if bad is None:
            return found
        masked = masked[:bad[0]] + " " * (bad[1] - bad[0]) + masked[bad[1]:]
    return gazetteer.find(masked)


@dataclass
class Candidate:
    """A clause being ranked."""

    clause_id: int
    doc_id: int
    body: set[str]
    context_text: str
    text_norm: str
    years_json: str
    doc_years: list[int]
    doc_named: set[int]
    doc_province: str | None
    doc_current: str | None
    has_target: bool
    length: int
    ordinal: int
    score: float = 0.0
    coverage: float = 0.0
    body_text: str = ""

    # Parsed only when a question needs them: most do not, and this runs for every candidate.
    @cached_property
    def context(self) -> set[str]:
        """Folded words of the clause's lead-in, section path and document title."""
        return set(self.context_text.split())

    @cached_property
    def years(self) -> list[int]:
        """Years the clause names or inherits from its lead-in."""
        found: list[int] = json.loads(self.years_json)
        return found


SIMILARITY_WEIGHT = 0.35  # rapidfuzz similarity of question and clause, a tie-breaker between near equals


def idf(df: int, n: int) -> float:
    """Inverse document frequency, BM25 style, never negative."""
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def _matched(unit: str, tokens: set[str], known: bool) -> float:
    if unit in tokens:
        return 1.0
    if "_" not in unit:
        # Only inside a longer word: "cách" (how) in "cải cách" (reform) is another word.
        return 0.5 if f"_{unit}" in tokens else 0.0
    if known:
        parts = unit.split("_")
        # The same syllables segmented differently, or part of the word ("hạng" for "xếp hạng").
        return 0.6 * sum(1 for p in parts if p in tokens or f"_{p}" in tokens) / len(parts)
    return 0.0


def score(c: Candidate, q: Query, weights: dict[str, float], known: set[str]) -> None:
    """Set `c.score` and `c.coverage` (share of the question's term weight the clause matches).
    String similarity is added afterwards, to the best few only (see SIMILARITY_WEIGHT)."""
    total = sum(weights.values()) or 1.0
    got = 0.0
    padded = ""
    for t, w in weights.items():
        k = t in known
        credit = _matched(t, c.body, k)
        form = q.forms.get(t)
        if credit and form:
            padded = padded or f" {' '.join(words(c.text_norm))} "
            if f" {form} " not in padded:
                # Typed "cũ", the clause says "cụ": the same letters, another word.
                credit *= 0.6
        if credit < 0.5:
            credit = max(credit, 0.5 * _matched(t, c.context, k))
        got += w * credit
    c.coverage = got / total
    s = c.coverage * 2.0
    if q.accented:
        hits = sum(1 for w in q.accented if w in c.text_norm)
        s += 0.25 * hits / len(q.accented)
    if q.provinces:
        if c.doc_province in q.provinces:
            s += 0.6
        elif c.doc_current in q.currents:
            s += 0.4
        elif any(fold(p) in c.context or fold(p) in c.body for p in q.provinces):
            s += 0.1
    if q.years:
        if any(y in c.years for y in q.years):
            s += 0.35
        elif any(y in c.doc_named for y in q.years):
            s += 0.25  # the plan's own year: issued then, or named in its title
        elif any(y in c.doc_years for y in q.years):
            s += 0.15  # inside the period a plan covers ("giai đoạn 2021 - 2025")
        elif c.years:
            s -= 0.1
    if q.wants_figure and c.has_target:
        s += 0.15
    # Between equals, the shorter clause answers more directly.
    s -= 0.04 * math.log(max(c.length, 40) / 40)
    c.score = s
