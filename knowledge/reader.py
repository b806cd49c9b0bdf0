"""Reader: a question → a frozen `Query` (language, normalized text, search terms, filters, intent).

The only stage that knows how people type: chat forms and teen-code, fillers, the domain
thesaurus and English all come from the data files in `knowledge/lang/` (see their headers),
read once. Filters (province old or new, year, document number) and intent (a figure, a
ranking, a yes/no, metadata: signer, date, number, lead agency, deadline) are read here too, so
the ranker and the decider only ever see a `Query`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

from knowledge import ranker
from knowledge.models import MAX_QUESTION
from knowledge.provinces import Gazetteer, after_prefix
from knowledge.text import (
    Analyzer,
    _fold_normalized,
    _fold_normalized_many,
    field_words,
    fold,
    has_diacritics,
    normalize,
    words,
)

LANG_DIR = Path(__file__).with_name("lang")

# Folded words that carry no topic: question words, particles (lang/stopwords.txt). Fillers of
# chat come from lang/fillers.txt. Years and places are filters, not words, and are removed separately.
_STOP_LINES = [line.split("#")[0].strip()
               for line in (LANG_DIR / "stopwords.txt").read_text(encoding="utf-8").splitlines()]
STOPWORDS = frozenset(fold(w) for w in _STOP_LINES if w)


# Y and i spell the same vowel ("kỹ"/"kĩ", "lý"/"lí"): not another word when marks are compared.
_Y_AS_I = str.maketrans("yýỳỷỹỵ", "iíìỉĩị")


def marked_forms(listed: Iterable[str]) -> dict[str, frozenset[str]]:
    """Folded key → the marked spellings of the listed words or phrases, for keys every line of
    which is written with marks: such a key stands for those spellings only when typed with
    marks ("muốn" is a function word, "muộn" is not; "ngàn" is "nghìn", "ngắn" is not)."""
    forms: dict[str, set[str]] = {}
    plain: set[str] = set()
    for item in listed:
        key = " ".join(words(fold(item)))
        if has_diacritics(item):
            forms.setdefault(key, set()).add(" ".join(words(normalize(item))).translate(_Y_AS_I))
        else:
            plain.add(key)
    return {k: frozenset(v) for k, v in forms.items() if k not in plain}


def other_marks(marked: Mapping[str, frozenset[str]], key: str, typed: str) -> bool:
    """Is `typed` (normalized, syllables joined by spaces or "_") typed with marks that make it
    another word than the listed `key` ("muộn" for the listed "muốn")? A syllable typed without
    marks may be any of them ("cat bớt" is "cắt bớt")."""
    forms = marked.get(key)
    if not forms or not typed:
        return False
    sylls = typed.replace("_", " ").translate(_Y_AS_I).split()
    # Syllable by syllable: one typed without marks ("cat bớt") may be any of its spellings.
    return not any(len(f) == len(sylls) and all(t == g or not has_diacritics(t) for t, g in zip(sylls, f, strict=True))
                   for f in map(str.split, forms))


# Words of asking, as the segmenter joins them ("nói gì", "như thế nào"): they name no topic.
QUESTION_WORDS = frozenset(
    ["noi_gi", "la_gi", "the_nao", "nhu_the_nao", "nhu_nao", "bao_gio", "o_dau", "cho_biet", "cho_toi",
     "hoi_ve", "tim_hieu", "xin_hoi", "giup_toi", "lam_sao", "khong_biet", "muon_biet", "the_la", "vay_thi",
     "duoc_khong", "co_khong", "khong_a", "nhe_ban", "ban_oi", "ad_oi"]
)
# Asking words of more than one syllable besides QUESTION_WORDS (those carry an intent, see
# lang/intents.tsv): a question typed without marks is segmented around them (_known_names).
# "ai" (who) after the preposition it is asked with is such a word too: "so do ai ky" is "số | do
# ai ký", not "sổ đỏ | ai". ("đâu" is not: "tu dau tu" is "tự đầu tư".)
_ASKING_WORDS = ("bao_nhieu", "bao_lau", "khi_nao", "luc_nao", "nam_nao", "ngay_nao", "o_dau", "cai_gi", "so_may",
                 "do_ai", "cho_ai", "cua_ai")
_WANTS_YESNO = re.compile(r"\bco\b.*\bkhong\b|\bphai\b.*\bkhong\b|\bchua\s*$")
# A deadline stated: "trước ngày 30/6", and with the date right after "trước" ("báo cáo trước
# 15/5/2021", "trước tháng 6/2025").
_DEADLINE_IN_TEXT = re.compile(r"trước ngày|chậm nhất|thời hạn|hoàn thành trong|trong tháng \d|trong quý|"
                               r"trong năm \d{4}|trước (?:\d{1,2}\s*/\s*\d{1,2}|tháng \d)", re.I)
# A period stated: "giai đoạn 2025 - 2030", "2021-2030", "năm 2022 và những năm tiếp theo", "đến năm 2030".
_PERIOD_IN_TEXT = re.compile(r"(?<!\d)(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d(?!\d)|"
                             r"(?:19|20)\d\d và (?:các|những) năm tiếp theo|(?:đến|từ) năm (?:19|20)\d\d")
# A year in words ("năm 2025"), not the year of a date ("ngày 15 tháng 7 năm 2025").
_YEAR_IN_WORDS = ranker.YEAR_IN_WORDS
# A clause citing another document: "Thực hiện" only before a kind of document ("Thực hiện Quyết
# định số …"); "Thực hiện chuyển đổi dữ liệu …, hoàn thành trong tháng 11" is a task with its deadline.
_CITATION = re.compile(r"^\W*(?:căn cứ|xét|theo đề nghị|tờ trình|kèm theo|thực hiện\s+(?:các\s+)?(?:quyết định"
                       r"|kế hoạch|nghị quyết|nghị định|chỉ thị|công văn|công điện|thông tư|luật|văn bản|chương trình"
                       r"|đề án|kết luận|thông báo))\b", re.I)
_EFFECTIVE_IN_TEXT = re.compile(r"hiệu lực|áp dụng từ|áp dụng kể từ|thi hành", re.I)
_FROM_SIGNING = re.compile(r"(?:kể )?từ ngày (?:ký|ban hành)(?!\w)", re.I)
_ISSUED_IN_TEXT = re.compile(r"ban hành|(?<!\w)ký(?!\w)", re.I)
_DATE_IN_TEXT = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\b\d{1,2}/\d{1,2}/\d{4}\b|"
                           r"trước ngày|hằng tháng|hàng tháng|hằng năm|hàng năm", re.I)
_DOCNUM_IN_TEXT = re.compile(r"\b\d{1,5}/[A-ZĐ][A-ZĐa-zđ\-]+")
_SIGNED = re.compile(r"(?<!\w)(?:ký|\(đã ký\)|\[đã ký\])(?!\w)")
# "Người / cấp có thẩm quyền" names who settles a matter ("ai giải quyết kiến nghị") as "chủ trì"
# names a lead.
_AGENCY_IN_TEXT = re.compile(r"chủ trì|phối hợp|đầu mối|cơ quan chủ trì|đơn vị chủ trì|"
                             r"người có thẩm quyền|cấp có thẩm quyền")
# A year as questions and titles name one ("2025", not "12025"); the index reads titles with it too.
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_DOC_REF = re.compile(r"(?<![\d/])(\d{1,5})\s*/\s*([a-z][a-z\-&]*)|"
                      r"\b(?P<word>quyet dinh|qd|ke hoach|kh|van ban|so|cong van|nghi quyet|chi thi|cong dien)\s*"
                      r"(?:so\s*)?(\d{1,5})(?:\s*/\s*([a-z][a-z\-&]*))?\b")
# "Thực hiện nghị quyết nào", "theo công văn số mấy": which document of a kind (Query.kinds_asked).
_KIND_SPELLING = {"quyet dinh": "quyết định", "nghi quyet": "nghị quyết", "chi thi": "chỉ thị",
                  "cong van": "công văn", "nghi dinh": "nghị định", "thong tu": "thông tư", "ke hoach": "kế hoạch",
                  "cong dien": "công điện", "ket luan": "kết luận", "thong bao": "thông báo",
                  "to trinh": "tờ trình", "huong dan": "hướng dẫn", "van ban": "văn bản"}
# The kind, then up to three words naming its issuer ("nghị quyết tỉnh ủy nào"), never a time
# ("kế hoạch năm nào" asks the year).
_KIND_ASKED = re.compile(r"\b(" + "|".join(_KIND_SPELLING) + r")(?:\s+(?!(?:nam|giai|doan|thang|ngay|quy|luc|khi|"
                         r"bao|gio)\b)\w+){0,3}\s+(?:nao|so may|so bao nhieu)\b")
# "…; còn …": the part after it is what a question contrasting two subjects asks (Reader._asked_part).
# Typed in chat, often without the comma ("Cao Bằng xếp 51 còn Cần Thơ xếp mấy"); without marks,
# "con" only after one ("…, con Can Tho …"): both parts must name a place (Reader._asked_part).
_CONTRASTED = re.compile(r"\s*[,;.]\s*(?:còn|con)\s+|\s+còn\s+", re.I)
# A figure stated in that first part ("100%", "51/63", "17,52"), not a year.
_PREMISE_FIGURE = re.compile(r"(?<![\w/])(?!(?:19|20)\d\d(?!\d))\d[\d.,]*(?:\s*/\s*\d+)?\s*%?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_PLACE_PREFIX = re.compile(r"(?:\b(?:tỉnh|tinh|thành phố|thanh pho|tp\.?|tp|t\.p\.?)\s*)$", re.IGNORECASE)
_SYLL = re.compile(r"\w+")
# Marks that end a phrase ("5.000" and "KT-XH" are no breaks).
_PUNCTUATION_BREAK = re.compile(r"[,;!?()]|\.(?=\s|$)")
_VOWEL = re.compile(r"[aeiouy]")  # in a folded unit: a syllable that can carry a tone mark
# "tháng 11/2025", "quý III năm 2025": the period of a year names the year (a filter), not words.
_MONTH_YEAR = re.compile(r"\b(?:tháng|thang|quý|quy)\s+(?:\d{1,2}|[IVX]{1,4})(?:\s*[/-]\s*|\s+(?:năm|nam)\s+)"
                         r"((?:19|20)\d\d)\b", re.I)
_EXPLAIN_GAP = 30
_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6", "VII": "7", "VIII": "8", "IX": "9",
          "X": "10", "XI": "11", "XII": "12"}
_ARABIC = {v: k.lower() for k, v in _ROMAN.items() if len(k) > 1}  # "i", "v", "x" alone are other words
_ROMAN_PERIOD = re.compile(r"\b(quý|quy|giai đoạn|giai doan|phần|phan|mục|muc)\s+(" +
                           "|".join(sorted(_ROMAN, key=len, reverse=True)) + r")\b", re.I)

# A score or share the question states, in the folded question ("được 75 điểm thì xếp loại gì",
# "đạt 85% thì thuộc nhóm nào", "75đ" read as "75 điểm" by chat_units): a clause stating a range
# holding it ("từ 50 điểm đến 80 điểm") matches it. Before "thì" (up to three words on) it is the
# question's premise, a value not searched; elsewhere a figure of a search term.
_STATED_FIGURE = re.compile(r"(?<![\d.,/])(\d+(?:[.,]\d+)?)\s*(%|diem\b)")
_THEN = re.compile(r"(?:\s+\w+){0,3}?\s+thi\b")


@dataclass(frozen=True)
class Figure:
    """A score or share the question states: its value, unit ("điểm" or "%": a range of the
    other holds none) and the search term it is ("75", "85%"); a premise's term (its digits)
    is not searched."""

    value: float
    unit: str
    term: str
    premise: bool = False


def stated_figures(folded: str, units: Iterable[str] | None = None) -> tuple[Figure, ...]:
    """The scores and shares a folded question states (see _STATED_FIGURE): premises always,
    other figures when they are one of the search `units` (None: before the units are known)."""
    found: list[Figure] = []
    for m in _STATED_FIGURE.finditer(folded):
        digits, unit = m.group(1), "%" if m.group(2) == "%" else "điểm"
        if "." not in digits and _THEN.match(folded, m.end()):
            found.append(Figure(float(digits.replace(",", ".")), unit, digits, premise=True))
            continue
        # A figure searched: a score or share of up to three digits, "75 diem" apart ("75diem" is one word).
        apart = m.group(0)[len(digits)].isspace()
        if units is None or len(re.split(r"[.,]", digits)[0]) > 3 or unit == "điểm" and not apart:
            continue
        for term in (digits, digits + "%"):
            if term in units:
                found.append(Figure(float(digits.replace(",", ".")), unit, term))
    return tuple(found)


def _name_spots(folded: str, name: str) -> list[int]:
    """Where a province name stands in folded text (every occurrence)."""
    key = fold(name)
    spots: list[int] = []
    at = folded.find(key)
    while at >= 0:
        end = at + len(key)
        if (at == 0 or not folded[at - 1].isalnum()) and (end == len(folded) or not folded[end].isalnum()):
            spots.append(at)
        at = folded.find(key, at + 1)
    return spots
  # characters between an old province's name and "nay thuộc <receiving province>"
_OLD_AFTER = re.compile(r"\s*\(?\s*cu\b")
_EN_WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*|\d+(?:[.,/-]\d+)*%?")
_EN_POSSESSIVE = re.compile(r"'s\b")  # taken off question and glossary alike: "people's" is "people"

# Words that only say what kind of answer is wanted; the intent is scored, the words are not.
INTENT_WORDS = {
    "signer": {"ky", "nguoi", "nguoi_ky", "ky_ban"},
    "date": {"ngay", "khi", "gio", "luc", "bao_gio", "khi_nao", "thoi_gian", "han_chot", "thoi_han"},
    "number": {"so", "hieu", "so_hieu", "ky_hieu"},
    # Every plan is about targets: "mục tiêu"/"chỉ tiêu" asks for a figure, it names no topic.
    # "trong khoảng nào": the range asked, not a word the clause says.
    "figure": {"muc_tieu", "chi_tieu", "bao_nhieu", "bao", "nhieu", "phan_tram", "%", "khoang"},
    "agency": {"co_quan", "don_vi", "chu_tri", "so"},
    "deadline": {"xong", "lam_xong", "truoc", "han", "han_chot", "thoi_han", "cham_nhat"},
    # "căn cứ vào đâu", "which decision does it cite": the basis asked (Weights.basis ranks the
    # "Căn cứ …" clauses), not a word the answer must hold: the item listing the document cited
    # under "Căn cứ các Quyết định …:" says it without the word.
    "basis": {"can_cu", "trich_dan", "vien_dan"},
    # "nhằm mục đích gì": the clauses of the "Mục đích" section answer without the words.
    "purpose": {"muc_dich", "nham_muc_dich"},
}


# --- language data (knowledge/lang/) ---------------------------------------------------------

@lru_cache(maxsize=1)
def issuer_scope() -> dict[str, frozenset[str]]:
    """Per issuer code (lower case), the codes whose documents a question naming it as their owner
    also means (lang/issuer_scope.tsv: "Chính phủ" for the Prime Minister's documents too)."""
    return {r[0].lower(): frozenset(c.lower() for c in r[1:] if c) for r in _data_lines("issuer_scope.tsv")}


def _data_lines(name: str) -> list[list[str]]:
    """Rows of a data file: '#' comments and blank lines skipped, fields split at tabs."""
    rows = []
    for line in (LANG_DIR / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append([f.strip() for f in line.split("\t")])
    return rows



def _intent_patterns(language_code: str = "vi") -> dict[str, re.Pattern[str]]:
    """What a question asks for, told by its phrases (lang/intents.tsv), one pattern per intent,
    matched as whole words in the folded question. `language_code` "en": the rows marked `en`,
    matched in an English question as typed (lower case)."""
    phrases: dict[str, list[str]] = {}
    for row in _data_lines("intents.tsv"):
        if len(row) > 1 and (row[2] if len(row) > 2 else "vi") == language_code:
            phrases.setdefault(row[0], []).append(re.escape(row[1]))
    return {name: re.compile(r"\b(?:" + "|".join(alts) + r")\b") for name, alts in phrases.items()}


_INTENTS = _intent_patterns()
# English question words of an intent that the glossary's translation does not carry ("when was
# … signed", "what is the number of …", "which years does … cover"): read in the English text.
_EN_INTENTS = _intent_patterns("en")
_NEVER = re.compile(r"(?!)")
_WANTS_FIGURE = _INTENTS["figure"]
_ASKS_AMOUNT = _INTENTS["amount"]
_WANTS_RANKING = _INTENTS["ranking"]
_WANTS_DATE = _INTENTS["date"]
_WANTS_TARGET = _INTENTS["target"]
_WANTS_RESULT = _INTENTS["result"]
_WANTS_DEADLINE = _INTENTS["deadline"]
_WANTS_EFFECTIVE = _INTENTS["effective"]
_ISSUED = _INTENTS["issued"]
_WANTS_SIGNER = _INTENTS["signer"]
_WANTS_NUMBER = _INTENTS["number"]
_WANTS_BASIS = _INTENTS["basis"]
_WANTS_EXTREME = _INTENTS["extreme"]
_WANTS_WHICH = _INTENTS["which"]
_COMPARES = _INTENTS["compare"]
_BETWEEN = _INTENTS["between"]
_WANTS_AGENCY = _INTENTS["agency"]
_ASKING = _INTENTS["asking"]
_WANTS_PERIOD = _INTENTS["period"]
_WANTS_YEAR = _INTENTS["year"]
_WANTS_ACTOR = _INTENTS["actor"]
_WANTS_LISTING = _INTENTS["listing"]
_WANTS_PURPOSE = _INTENTS["purpose"]


def _exists_pattern(language_code: str = "vi") -> re.Pattern[str]:
    """"Is there a plan …" (lang/intents.tsv exists, exists_kind, exists_end): an `exists`
    phrase right before a document kind, the question ending with an `exists_end` word (two
    words may follow it). In English: an auxiliary opens the question, a kind word follows the
    phrase anywhere."""
    rows: dict[str, list[str]] = {}
    for row in _data_lines("intents.tsv"):
        if len(row) > 1 and (row[2] if len(row) > 2 else "vi") == language_code:
            rows.setdefault(row[0], []).append(re.escape(row[1]))

    def alts(name: str) -> str:
        return "(?:" + "|".join(sorted(rows.get(name, ["(?!)"]), key=len, reverse=True)) + ")"

    if language_code == "en":
        return re.compile(r"^\W*(?=(?:is|are|has|have|does|do|did)\b).*?\b" + alts("exists") + r"\b.*\b"
                          + alts("exists_kind") + r"\b")
    return re.compile(r"\b" + alts("exists") + r"\s+" + alts("exists_kind") + r"\b.*\b"
                      + alts("exists_end") + r"\b\W*(?:\w+\W*){0,2}$")


_WANTS_EXISTS = _exists_pattern()
_EN_EXISTS = _exists_pattern("en")
_AI_TECH = re.compile(r"\bAI\b")  # "AI" in capitals is the technology, not "ai" (who)

_EN_LETTERS = re.compile(r"[a-z]+")
# British spellings → American, applied to every English word of the glossary and of questions
# alike (so either spelling finds the entry): digitise → digitize, programme → program, centre →
# center, labour → labor, analyse → analyze, catalogue → catalog.
_EN_SPELLING = ((re.compile(r"(?<=\w{3})is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
                (re.compile(r"(?<=\w)yse(s|d)?$"), r"yze\1"),
                (re.compile(r"^programme"), "program"), (re.compile(r"(?<=\w{2})tre(s)?$"), r"ter\1"),
                (re.compile(r"(?<=\w{3})our(s|ed|ing)?$"), r"or\1"), (re.compile(r"(?<=\w{3})ogue(s)?$"), r"og\1"))


@dataclass(frozen=True)
class EnglishForms:
    """A small English morphological normaliser, one function for the glossary and the question:
    a word is written as the base form the glossary knows ("procedures" → "procedure",
    "digitised" → "digitize", "running" → "run", "fell" → "fall"); a word whose base the glossary
    does not know stays as typed. Irregular forms and words that only look inflected ("news",
    "series") are data (lang/english_forms.tsv)."""

    irregular: Mapping[str, str]  # form → base (a word mapped to itself is never reduced)
    stop: frozenset[str]  # function words: never reduced ("does" is not a form of "doe")
    known: frozenset[str]  # the glossary's own words, spelling normalised: the bases a form may take
    single: frozenset[str] = frozenset()  # of those, the one-word entries
    # Bases by word: users repeat their words, and a question's words are looked up once each.
    _memo: dict[str, str] = field(default_factory=dict, init=False, compare=False, repr=False)

    @classmethod
    def load(cls, stop: frozenset[str], phrases: Iterable[str]) -> EnglishForms:
        """The normaliser for a glossary's phrases (English, lower case)."""
        irregular = {r[0].lower(): r[1].lower() for r in _data_lines("english_forms.tsv") if len(r) > 1}
        phrases = list(phrases)
        spelled = {_american(w) for p in phrases for w in _EN_LETTERS.findall(p)}
        single = {_american(p) for p in phrases if _EN_LETTERS.fullmatch(p)}
        return cls(irregular, stop, frozenset(spelled | set(irregular.values())), frozenset(single))

    def base(self, word: str) -> str:
        """The form of one lower-case word the glossary is keyed by."""
        found = self._memo.get(word)
        if found is None:
            if len(self._memo) > 50_000:
                self._memo.clear()
            found = self._memo[word] = self._base(word)
        return found

    def _base(self, word: str) -> str:
        if word in self.irregular:
            return self.irregular[word]
        if word in self.stop or len(word) <= 3:
            return word
        word = _american(word)
        for cand in _candidates(word):
            # A base of three letters only when the glossary lists it alone: "named" is not "nam"
            # (of "Viet Nam"), which would then be searched as the syllable "năm".
            if cand in self.known and (len(cand) > 3 or cand in self.single):
                return cand
        return word

    def base_text(self, text: str) -> str:
        """`text` (lower case) with every word written as its base: same length of words, so a
        phrase and its inflected forms match one glossary key."""
        return _EN_LETTERS.sub(lambda m: self.base(m.group(0)), text)


# Every ending (and the one beginning) a pattern of _EN_SPELLING rewrites: a word with none of
# them is returned as it is without trying six patterns (an open spells ~6,000 glossary words).
_EN_SPELLING_ENDS = ("ise", "ises", "ised", "ising", "isation", "isations", "yse", "yses", "ysed", "tre", "tres",
                     "our", "ours", "oured", "ouring", "ogue", "ogues")


def _american(word: str) -> str:
    if not word.endswith(_EN_SPELLING_ENDS) and not word.startswith("programme") and "\n" not in word:
        return word
    for pattern, repl in _EN_SPELLING:
        word = pattern.sub(repl, word)
    return word


def _candidates(word: str) -> Iterator[str]:
    """Possible bases of an inflected form, most reduced first: "agencies" → "agency";
    "dispatches" → "dispatch"; "running" → "runn", "runne", "run"; "stated" → "stat", "state"."""
    if word.endswith("ies") and len(word) > 4:
        yield word[:-3] + "y"
    if word.endswith("es") and word[-3] in "sxzh":
        yield word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        yield word[:-1]
    if word.endswith("ied") and len(word) > 4:
        yield word[:-3] + "y"
    for suffix in ("ing", "ed"):
        stem = word[:-len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3:
            yield stem
            yield stem + "e"
            if stem[-1] == stem[-2] and stem[-1] not in "lsz":
                yield stem[:-1]
    yield word


@dataclass(frozen=True)
class Language:
    """The reviewable language knowledge of `knowledge/lang/`, loaded once."""

    chat: Mapping[str, str]  # folded chat form → standard words
    fillers: frozenset[str]  # folded filler words and phrases (syllables joined by "_")
    merger: frozenset[str]  # words of a province merger, fillers when a province is named
    thesaurus: Mapping[str, tuple[str, ...]]  # folded phrase → plan phrases (folded), short forms too
    english: Mapping[str, str]  # English phrase → Vietnamese words
    english_stop: frozenset[str]
    issuers: Mapping[str, str]  # folded issuer name → folded code in its document numbers
    issuer_names: Mapping[str, str]  # folded issuer name → as written in the list
    # Folded short forms of the field (abbreviations.tsv), searched as thesaurus alternatives;
    # never "corrected" as typos of a word.
    abbreviations: frozenset[str] = frozenset()
    # English glossary phrase → all its translations, folded, when it has several: "fix" is
    # "khắc phục" or "tháo gỡ"; an English question using it searches them all as alternatives.
    english_alternatives: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # English word forms → the form the glossary is keyed by (plural, -ing, -ed, British spelling).
    english_forms: EnglishForms = field(default_factory=lambda: EnglishForms({}, frozenset(), frozenset()))
    # Province short forms of questions (provinces.tsv): form → province name; a form listed
    # with marks ("đn") only as typed with them ("dn" is "doanh nghiệp").
    province_forms: Mapping[str, str] = field(default_factory=dict)
    # Folded question words naming a kind of figure (figures.tsv) → the units clauses state it in.
    figure_units: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Folded merger phrases that, right after an old province's name, say the asker knows it
    # merged (merger.txt rows marked "old"): "nay thuoc", "cu", "bay gio thuoc".
    merged_after: frozenset[str] = frozenset()
    # Thesaurus phrases (and short forms) listed with marks only: folded → marked spellings. Typed
    # with other marks, the question's words are another phrase (see other_marks).
    thesaurus_marks: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Folded thesaurus phrases that ask for a slot of the answer, rows marked "slot" ("lấy từ nguồn
    # nào" → "nguồn kinh phí", "do đâu" → "nguyên nhân"): see Query.slots.
    slots: frozenset[str] = frozenset()

    # Compiled once per process (the Language is loaded once): every question runs them.
    @cached_property
    def chat_re(self) -> re.Pattern[str]:
        return _alternation(self.chat)

    @cached_property
    def english_re(self) -> re.Pattern[str]:
        return _alternation(self.english)

    @cached_property
    def thesaurus_re(self) -> re.Pattern[str]:
        return _alternation(self.thesaurus)

    @cached_property
    def issuers_re(self) -> re.Pattern[str]:
        return _alternation(self.issuers)

    @cached_property
    def figure_re(self) -> re.Pattern[str]:
        return _alternation(self.figure_units or {"\x00"})

    @cached_property
    def merged_re(self) -> re.Pattern[str]:
        """A merger phrase at the start of the text after a province name ("(nay thuộc", ", cũ")."""
        return re.compile(r"[\s(,:;\-–]*" + _alternation(self.merged_after or {"\x00"}).pattern)

    @cached_property
    def province_re(self) -> re.Pattern[str]:
        return _alternation({fold(k) for k in self.province_forms})


def _alternation(keys: Iterable[str]) -> re.Pattern[str]:
    """Whole-word alternation of `keys`, longest first."""
    ordered = sorted(keys, key=lambda k: (-len(k), k))
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(k) for k in ordered) + r")(?![\w])")


@lru_cache(maxsize=1)
def _doc_ref_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """References to a document by number, with or without a kind word before it (see
    lang/doctypes.tsv): "kh 1519", "(QĐ 1256/QĐ-UBND)", "77/2025/NQ-HĐND"; and the kind code
    (folded, "*" for any) of each kind word."""
    kinds = {" ".join(words(fold(r[0]))) or fold(r[0]): fold(r[1]) for r in _data_lines("doctypes.tsv") if len(r) > 1}
    alternation = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(kinds, key=lambda k: (-len(k), k)))
    pattern = re.compile(r"(?<![\w/.])(?:(" + alternation + r")\.?\s*(?:(?:so|no\.?)\s*)?)?"
                         r"0*(\d{1,5})(?:\s*/\s*((?:19|20)\d\d))?(?:\s*/\s*([a-z][a-z&\-]*))?(?![\w/])")
    return pattern, kinds


def number_kind(number: str) -> str:
    """The kind code of a document number, folded: "1519/KH-UBND" → "kh", "77/2025/NQ-HĐND" → "nq",
    and in the Party's style, kind before the slash: "12-NQ/TU" → "nq"."""
    parts = fold(number or "").split("/")
    party = parts[0].split("-", 1)
    if len(party) == 2 and party[0].strip().isdigit() and party[1].strip().isalpha():
        return party[1].strip()
    for part in parts[1:]:
        head = part.split("-", 1)[0].strip()
        if head and not head.isdigit():
            return head
    return ""


class _Names:
    """Finds names in a text by its words (a regex of some hundred alternatives tried at every
    position cost ~0.5 ms a clause): a name as its words; an issuer's code ("/tu", "-ttg")
    inside a document number ("12-NQ/TU"); an issuer followed by "số" / "điện tử" is a programme
    ("Chính phủ số"), unless a number follows ("Chỉ thị số 23")."""

    def __init__(self, spellings: Mapping[str, int], programmes: bool = True) -> None:
        self.programmes = programmes  # issuers only: "công văn số mấy" is a letter
        self.by_first: dict[str, list[tuple[str, int]]] = {}
        codes: dict[str, int] = {}
        for spelled, member in spellings.items():
            if spelled[0] in "-/":
                codes[spelled] = member
                continue
            ws = words(spelled)
            if ws:
                self.by_first.setdefault(ws[0], []).append((f" {' '.join(ws)} ", member))
        self.codes = codes
        self.firsts = frozenset(self.by_first)

    def find(self, text: str) -> frozenset[int]:
        """Which names the (normalized or folded) text names."""
        ws, padded = _word_tuple(text)
        found: set[int] = set()
        # Most clauses hold few of the names' first words: one set intersection tells which.
        for first in self.firsts.intersection(ws):
            for spelled, member in self.by_first[first]:
                at = padded.find(spelled)
                while at >= 0:
                    if not (self.programmes and _PROGRAMME.match(padded, at + len(spelled))):
                        found.add(member)
                        break
                    at = padded.find(spelled, at + 1)
        if self.codes and ("/" in text or "-" in text):
            found.update(self.codes[c] for c in _CODE.findall(text) if c in self.codes)
        return frozenset(found)


# After a name, in a text's words between spaces: "Chính phủ số", not "Chỉ thị số 23".
_PROGRAMME = re.compile(r"(?:số|so|điện tử|dien tu)(?: |$)(?!\d)")


@lru_cache(maxsize=32_768)
def _word_tuple(text: str) -> tuple[frozenset[str], str]:
    """A text's words, as a set and between spaces (the ranker's, cached for the accent test)."""
    padded = ranker.padded_words(text)
    return frozenset(padded.split()), padded


# A code in a document number, with the mark before it: "-ttg" of "23/CT-TTg", "/tu" of "12-NQ/TU".
_CODE = re.compile(r"[-/][^\W\d_][\w&]*(?![\w&])")


@dataclass(frozen=True)
class Contrast:
    """One line of lang/contrasts.tsv: names of one kind that exclude each other."""

    scope: str  # "figure", "document" or "kind": when the kind matters (see contrasts.tsv)
    members: Mapping[str, int]  # spelling (normalized, with marks) → which name it spells
    folded: Mapping[str, int]  # the same, folded, for questions typed without marks

    @cached_property
    def _names(self) -> _Names:
        return _Names(self.members, programmes=self.scope == "document")

    @cached_property
    def _folded_names(self) -> _Names:
        return _Names(self.folded, programmes=self.scope == "document")

    def named(self, text_norm: str) -> frozenset[int]:
        """Which of the names a clause's normalized text names."""
        return self._names.find(text_norm)

    def asked(self, folded: str) -> frozenset[int]:
        """Which of the names a folded question names."""
        return self._folded_names.find(folded)


def _load_contrasts() -> tuple[Contrast, ...]:
    """lang/contrasts.tsv, "@issuers" expanded from issuers.tsv (each issuer with its code)."""
    central: dict[str, list[str]] = {}
    for r in _data_lines("issuers.tsv"):
        if len(r) > 1:
            central.setdefault(r[1].lower(), [f"-{r[1].lower()}", f"/{r[1].lower()}"]).append(normalize(r[0]))
    out = []
    for row in _data_lines("contrasts.tsv"):
        names = [n for n in row[1:] if n != "@issuers"]
        groups = [[normalize(p.strip()) for p in n.split("|") if p.strip()] for n in names]
        if "@issuers" in row[1:]:
            groups += list(central.values())
        members = {p: i for i, g in enumerate(groups) for p in g}
        out.append(Contrast(scope=row[0], members=members, folded={fold(p): i for p, i in members.items()}))
    return tuple(out)


CONTRASTS = _load_contrasts()


@lru_cache(maxsize=1)
def _known_names() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Names of the field of two syllables or more, folded (indexes, agencies, issuers, kinds of
    document: lang/contrasts.tsv and issuers.tsv), by first syllable: a question typed without
    marks is segmented around them ("cua so noi vu" is "của | Sở Nội vụ", not "cửa sổ | nội vụ")."""
    names = {tuple(words(k)) for c in CONTRASTS for k in c.folded if k[:1].isalpha()}
    names |= {tuple(words(k)) for k in language().issuers}
    # The words of asking too: "chiem bao nhieu" is "chiếm | bao nhiêu", not "chiêm bao | nhiều".
    names |= {tuple(w.split("_")) for w in (*QUESTION_WORDS, *_ASKING_WORDS)}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        if len(name) > 1:
            by_first.setdefault(name[0], []).append(name)
    return {k: tuple(v) for k, v in by_first.items()}


@lru_cache(maxsize=32_768)
def _named(line: int, text_norm: str) -> frozenset[int]:
    """The names of a kind (a line of contrasts.tsv) a clause names. Cached by the text, as the
    ranker's token sets are: the same clauses come back question after question."""
    return CONTRASTS[line].named(text_norm)


# What may stand beside an index's name and a place or year in a question of nothing else ("chỉ
# số PAPI của Cao Bằng năm 2024?", "PAR INDEX ở Lào Cai thế nào"): folded.
_BESIDE_NAME = frozenset(["cua", "nam", "o", "tai", "the", "nao", "ra", "sao"])


def _names_an_index(folded: str) -> bool:
    """Is a folded text only the name of one index or field of lang/contrasts.tsv's figure
    kinds ("papi", "chỉ số papi", "chi so cai cach hanh chinh")?"""
    bare = folded[len("chi so "):] if folded.startswith("chi so ") else folded
    return any(kind.scope == "figure" and (folded in kind.folded or bare in kind.folded) for kind in CONTRASTS)


def _contrasts(folded: str, intent: Intent, numbers: Iterable[str],
               english: bool = False) -> tuple[tuple[int, frozenset[int]], ...]:
    """The kinds of lang/contrasts.tsv whose scope the question's intent is in and of which it
    names some (not all): with the names it asks. A held document's number the question names
    ("3369/QĐ-UBND") names the document asked about, not a kind or issuer asked."""
    for n in numbers:
        folded = re.sub(rf"(?<!\d)0*{re.escape(n)}\s*/[\w/\-&]+", " ", folded)
    out = []
    for line, kind in enumerate(CONTRASTS):
        wanted = intent.figure if kind.scope == "figure" else intent.basis or intent.number
        if not wanted or kind.scope == "kind" and english:
            continue
        asked = kind.asked(folded)
        if asked and len(asked) < len(set(kind.members.values())):
            out.append((line, asked))
    return tuple(out)


@lru_cache(maxsize=1)
def language() -> Language:
    """The language data, read from `knowledge/lang/` once per process."""
    chat = {fold(r[0]): (r[1] if len(r) > 1 else "") for r in _data_lines("chat.tsv")}
    fillers = frozenset("_".join(words(fold(r[0]))) for r in _data_lines("fillers.txt"))
    merger_rows = _data_lines("merger.txt")
    merger = frozenset("_".join(words(fold(r[0]))) for r in merger_rows)
    merged_after = frozenset(" ".join(words(fold(r[0]))) for r in merger_rows if len(r) > 1 and r[1] == "old")
    thesaurus_rows = [r for r in _data_lines("thesaurus.tsv") if len(r) > 1]
    short_rows = [r for r in _data_lines("abbreviations.tsv") if len(r) > 1]
    thesaurus = {fold(r[0]): tuple(fold(p) for p in r[1].split("|") if p.strip()) for r in thesaurus_rows}
    short = {fold(r[0]): tuple(fold(p) for p in r[1].split("|") if p.strip()) for r in short_rows}
    for key, phrases in short.items():
        thesaurus.setdefault(key, phrases)
    stop = frozenset(r[0].lower() for r in _data_lines("english_stopwords.txt"))
    english_rows = [(r[0].lower(), [p.strip() for p in r[1].split("|") if p.strip()])
                    for r in _data_lines("english.tsv") if len(r) > 1]
    forms = EnglishForms.load(stop, (en for en, _ in english_rows))
    # A one-word form listed with senses of its own ("provinces" → "địa phương" beside "province"
    # → "tỉnh", "staffing" → "biên chế", "fixing" without "giải quyết") keeps them: not reduced.
    senses_of: dict[str, set[tuple[str, ...]]] = {}
    for en, vi in english_rows:
        if vi:
            senses_of.setdefault(forms.base_text(en), set()).add(tuple(vi))
    own = {en: en for en, vi in english_rows
           if " " not in en and forms.base_text(en) != en and len(senses_of.get(forms.base_text(en), ())) > 1}
    if own:
        forms = replace(forms, irregular={**forms.irregular, **own})
    english: dict[str, str] = {}
    english_alts: dict[str, tuple[str, ...]] = {}
    for en, vi in english_rows:
        # Read like a question: without its "'s" ("provincial people's committee").
        key = forms.base_text(_EN_POSSESSIVE.sub("", en))
        if vi and key not in english:  # "services" and "service" are one entry: the first listed wins
            english[key] = vi[0]
            if len(vi) > 1:
                english_alts[key] = tuple(fold(p) for p in vi)
    province_forms = {normalize(r[0]): r[1] for r in _data_lines("provinces.tsv") if len(r) > 1}
    rows = [r for r in _data_lines("issuers.tsv") if len(r) > 1]
    issuers = {fold(r[0]).replace(",", ""): fold(r[1]) for r in rows}
    issuer_names = {fold(r[0]).replace(",", ""): r[0] for r in rows}
    return Language(chat=chat, fillers=fillers, merger=merger, thesaurus=thesaurus, english=english,
                    english_stop=stop, english_forms=forms, issuers=issuers,
                    issuer_names=issuer_names, abbreviations=frozenset(short), english_alternatives=english_alts,
                    province_forms=province_forms, merged_after=merged_after,
                    thesaurus_marks=marked_forms(r[0] for r in (*thesaurus_rows, *short_rows)),
                    slots=frozenset(fold(r[0]) for r in thesaurus_rows if len(r) > 2 and r[2] == "slot"),
                    figure_units={fold(r[0]): tuple(u.strip() for u in r[1].split("|") if u.strip())
                                  for r in _data_lines("figures.tsv") if len(r) > 1})


# --- the query -------------------------------------------------------------------------------

@dataclass(frozen=True)
class DocRefs:
    """What a question's references to documents by number name (see Reader._doc_refs)."""

    numbers: tuple[str, ...] = ()  # digits of held documents' numbers
    years: tuple[int, ...] = ()  # years written inside them ("77/2025/NQ-HĐND")
    missing: tuple[str, ...] = ()  # numbers as named, of no held document ("9999/KH")


@dataclass(frozen=True)
class Intent:
    """What kind of answer a question wants."""

    figure: bool = False
    ranking: bool = False
    yes_no: bool = False
    signer: bool = False
    date: bool = False
    number: bool = False
    agency: bool = False
    issued: bool = False  # the date the document was issued or signed ("ban hành ngày nào")
    deadline: bool = False  # a deadline ("trước ngày mấy", "hạn chót", "làm xong khi nào")
    effective: bool = False  # when a document takes effect ("có hiệu lực từ", "áp dụng từ ngày nào")
    target: bool = False  # a figure to reach ("phấn đấu", "mục tiêu", "đến năm 2030")
    result: bool = False  # a figure reached ("đã đạt", "xếp thứ mấy", "kết quả năm 2024")
    basis: bool = False  # the document's legal basis ("căn cứ vào đâu", "which decision does it cite")
    extreme: bool = False  # which place or agency is highest / lowest ("địa phương nào … thấp nhất")
    period: bool = False  # the period covered ("áp dụng cho giai đoạn nào", "những năm nào")
    year: bool = False  # which year ("làm cơ sở chấm chỉ số năm nào")
    actor: bool = False  # who does something ("ai xử lý", "do ai quyết định")
    listing: bool = False  # a list ("tập trung mấy mảng", "yêu cầu những gì")
    exists: bool = False  # whether a document exists ("có kế hoạch … chưa", "is there a … plan")
    purpose: bool = False  # what a document is for ("nhằm mục đích gì", "mục đích của kế hoạch")

    @property
    def metadata(self) -> bool:
        """A question about the document itself or its tasks (who signed, when, who leads)."""
        return self.signer or self.date or self.number or self.agency or self.deadline

    @property
    def words(self) -> frozenset[str]:
        """Words that only name the intent of the question; they are not searched for."""
        out: set[str] = set()
        for name in ("signer", "date", "number", "figure", "agency", "deadline", "basis", "purpose"):
            if getattr(self, name):
                out |= INTENT_WORDS[name]
        return frozenset(out)


@dataclass(frozen=True)
class Query:
    """A question, read: language, filters, intent and the terms searched for."""

    text: str  # the question as typed, sanitized
    folded: str  # what was searched, folded (chat forms replaced, English translated)
    language: str = "vi"  # "vi" or "en"
    terms: tuple[str, ...] = ()  # search units (folded, compounds joined by "_")
    # A term's other spellings in the plans (thesaurus), each a tuple of units: any one matches.
    alternatives: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    forms: Mapping[str, str] = field(default_factory=dict)  # unit → as typed, for units typed with accents
    accented: tuple[str, ...] = ()  # normalized words as typed, when typed with accents
    # The same words of a Vietnamese question typed without any marks, folded: the ranker credits
    # them as it credits `accented` ones, so a question ranks alike typed with marks or without.
    unmarked: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()  # canonical names found in the question
    currents: tuple[str, ...] = ()  # their current (post-2025) provinces
    # Of `provinces`, old ones the question says merged ("Kon Tum (nay thuộc Quảng Ngãi)", "Đắk
    # Nông cũ"): the receiving province's documents answer for them, pre-merger ones included.
    merged: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    doc_numbers: tuple[str, ...] = ()  # numeric part of document numbers named
    # Document numbers named with their kind ("kh 9999", "9999/KH-UBND") that no held document
    # has and no clause cites: the question asks about a document the bot does not hold.
    missing_numbers: tuple[str, ...] = ()
    issuers: tuple[str, ...] = ()  # codes of central issuers named ("ttg", "bxd")
    owners: tuple[str, ...] = ()  # of those, the ones named as the document's owner ("của Bộ Xây dựng")
    owner_names: tuple[str, ...] = ()  # the owners as the question names them
    # The other issuers named, as the plans write them ("bộ tư pháp"): see Weights.issuer_named.
    subject_issuers: tuple[str, ...] = ()
    intent: Intent = field(default_factory=Intent)
    reduced: bool = False  # True when the question reduces to a few very common units
    # Terms of an English question that are English words the glossary does not translate.
    untranslated: frozenset[str] = frozenset()
    # Terms naming the document ("directive on administrative procedures"), see naming_syllables.
    naming: frozenset[str] = frozenset()
    # Units of the figure asked for ("điểm", "%", "bậc", "hạng"): see lang/figures.tsv.
    figure_units: tuple[str, ...] = ()
    # Terms that are no topic of the plans: bare numbers and everyday words (lang/general.txt).
    general: frozenset[str] = frozenset()
    # Everyday subjects named (lang/subjects.txt): a clause must hold them as typed to answer.
    subjects: tuple[str, ...] = ()
    # Kinds of names that exclude each other (lang/contrasts.tsv) of which the question names
    # some: (kind's line, the names asked). See contrasted().
    contrasts: tuple[tuple[int, frozenset[int]], ...] = ()
    # Documents the question cites by number and kind that the bot does not hold ("Nghị quyết
    # 12-NQ/TU", "76/NQ-CP"): (digits, kind code folded). See cites_number().
    cited: tuple[tuple[str, str], ...] = ()
    # Scores and shares the question states ("được 75 điểm thì xếp loại gì", "đạt 85% là nhóm
    # nào"): a clause stating a range holding one ("từ 50 điểm đến 80 điểm") matches it; a premise
    # (before "thì") is not searched and weighs as a term (see ranker.score, Weights.value_range).
    figures: tuple[Figure, ...] = ()
    # Terms read from a thesaurus phrase that asks for a slot of the answer (Language.slots): what
    # is asked, so the clause stating it outweighs one sharing only the rest ("tiền hỗ trợ … lấy từ
    # nguồn nào": "Nguồn kinh phí … ngân sách", not "Hỗ trợ 100% chi phí …"). See Weights.slot.
    slots: frozenset[str] = frozenset()
    # Terms naming the document's owner ("của Thủ tướng", "của Bộ Xây dựng"): every clause of its
    # documents holds them, as a title holds its words (see Weights.owner_word).
    owner_terms: frozenset[str] = frozenset()
    # Numbered parts asked for ("bước 3", "nhiệm vụ thứ hai"): (kind, word, number), kind "label"
    # or "list" (lang/items.tsv). See asks_item().
    items: tuple[tuple[str, str, int], ...] = ()
    # Provincial agencies the question names (lang/agencies.txt), every spelling of each,
    # normalized: "sở xây dựng", "văn phòng ubnd tỉnh". See heads_agency().
    agencies: tuple[str, ...] = ()
    # The terms that make up their names ("so", "xay_dung"): under the agency's heading they are
    # the clause's subject, stated once for all its tasks (see Weights.agency_named).
    agency_terms: frozenset[str] = frozenset()
    # Neighbouring search terms in the order typed ("nội bộ" then "giữa" then "cơ quan"), function
    # words left out: a clause holding them in that order states the question's phrase, not its
    # words scattered (see ranker.phrase_share, Weights.phrase).
    pairs: tuple[tuple[str, str], ...] = ()
    # Named provinces none of whose documents is held, nor a receiving province's in their
    # stead (set by the knowledge base, which knows the documents: Decider.unheld): a clause of
    # another document naming one ("TP. Hồ Chí Minh (87,73%)" in a central document's list)
    # holds that part of the question, one that does not, lacks it (ranker.score).
    unheld: tuple[str, ...] = ()

    @property
    def stated_terms(self) -> frozenset[str]:
        """The search terms that are figures the question states ("75" of "75 điểm xếp loại gì")."""
        return frozenset(f.term for f in self.figures if not f.premise)

    @property
    def wants_figure(self) -> bool:
        return self.intent.figure

    def contrasted(self, text_norm: str, own_kind: str = "") -> int:
        """How many kinds the question names some names of does the clause name only other
        names of ("PAPI" asked, the clause states the PAR INDEX's rank; "chỉ thị nào của Tỉnh
        ủy" asked, it cites a decision of the Prime Minister: two)? `own_kind` is the clause's
        document's kind ("kế hoạch"): naming its own document, a basis question does not ask
        for a document of that kind; a number question ("kế hoạch … số hiệu là gì") does."""
        found = 0
        for line, asked in self.contrasts:
            kind = CONTRASTS[line]
            if own_kind and kind.scope == "kind" and not self.intent.number:
                asked = asked - {kind.members.get(own_kind, -1)}
                if not asked:
                    continue
            named = _named(line, text_norm)
            if named and not named & asked:
                found += 1
        return found

    def cites_number(self, text_norm: str) -> bool:
        """Does the clause cite a document the question cites by number ("Nghị quyết số
        12-NQ/TU ngày …", "Nghị quyết số 05/NQ-TU" for "nghị quyết số 05")?"""
        return bool(self.cited) and bool(_cited_re(self.cited).search(fold(text_norm)))

    def _agency_stated(self, text_norm: str) -> bool:
        roles = _agency_roles(self.folded)
        if roles:
            return any(r in text_norm for r in roles)
        return bool(_AGENCY_IN_TEXT.search(text_norm))

    @cached_property
    def kinds_asked(self) -> tuple[str, ...]:
        """Kinds of document the question asks which one of ("thực hiện nghị quyết nào", "theo
        quyết định nào", "công văn số mấy"), as written in the plans ("nghị quyết")."""
        return tuple(dict.fromkeys(_KIND_SPELLING[m.group(1)] for m in _KIND_ASKED.finditer(self.folded)))

    def asks_item(self, text_norm: str, context: AbstractSet[str]) -> bool:
        """Is the clause the numbered part asked ("3. Bước 3: …" for "bước 3"; item "3." or "c)" of a
        section on "nhiệm vụ" for "nhiệm vụ thứ 3")? `context`: the words of its lead-in and section."""
        for kind, word, n in self.items:
            if kind == "label":
                if re.match(rf"^\W*(?:{_ITEM_PREFIX})?{re.escape(word)}\s+(?:0?{n}|{_ROMAN_OF[n]})(?![\w.]\w)",
                            text_norm):
                    return True
            else:
                m = _ITEM_NUMBER.match(text_norm)
                if m and _item_value(m.group(1)) == n and "_".join(words(fold(word))) in context:
                    return True
        return False

    @staticmethod
    def names_actor(text_norm: str) -> bool:
        """Does a clause name who acts (see `names_actor`)?"""
        return names_actor(text_norm)

    def issuer_mention(self, text_norm: str) -> int:
        """How a clause names the issuers the question asks about (`subject_issuers`): 0 not at
        all, -1 only as whom something is sent to ("… gửi báo cáo Bộ Khoa học và Công nghệ",
        lang/addressing.txt), 1 otherwise (acting, or cited by its code)."""
        named = [n for n in self.subject_issuers if n in text_norm]
        if not named:
            return 0
        for n in named:
            if n.startswith("-"):
                return 1
            start = text_norm.find(n)
            while start >= 0:
                if not addressed(text_norm[:start]):
                    return 1
                start = text_norm.find(n, start + 1)
        return -1

    def cites_kind(self, text_norm: str) -> bool:
        """Does a clause name a document of a kind asked by its number ("Nghị quyết số 14-NQ/TU")?"""
        return any(re.search(rf"(?<!\w){k}\s+(?:số\s+)?\d", text_norm) for k in self.kinds_asked)

    def heads_agency(self, context_text: str, text_norm: str) -> bool:
        """Is a clause one of the tasks of an agency the question names: under its heading or
        lead-in ("9. Sở Xây dựng", folded in the clause's context), opening with it ("Sở Nội vụ
        chủ trì …", "b) Văn phòng UBND tỉnh: …") or naming it as a task row's lead agency
        ("Kinh tế số chiếm 45% GRDP tỉnh. | Sở Tài chính")? A clause naming it as a partner
        elsewhere ("phối hợp với Sở Xây dựng") is not."""
        context_re, text_re = _agency_patterns(self.agencies)
        return bool(context_re.search(context_text) or text_re.match(text_norm))

    def cites_basis(self, text_norm: str) -> bool:
        """Does a framing clause state a basis ("căn cứ …", "thực hiện quyết định …",
        lang/framing.txt), rather than restate the title or head a section?"""
        return bool(_framing_re(basis=True).match(text_norm))

    def announces(self, text_norm: str) -> bool:
        """Does a clause announce that its document was issued ("UBND tỉnh vừa ban hành Kế hoạch
        số …", "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch …", lang/issuing.txt)?"""
        return bool(_issuing_re().search(text_norm))

    def states_period(self, text_norm: str) -> bool:
        """True when a question asks for the period covered and the clause states one, or asks
        which year and the clause states one in words ("năm 2025", not the date of a document)."""
        i = self.intent
        return i.period and bool(_PERIOD_IN_TEXT.search(text_norm)) \
            or i.year and bool(_YEAR_IN_WORDS.search(text_norm))

    def dates_other_event(self, text_norm: str) -> bool:
        """True when a question asks when a document was issued or signed and the clause dates
        its taking effect instead ("Ngày có hiệu lực: 31/12/2025"): the same date, not the answer."""
        i = self.intent
        return i.issued and not i.effective and bool(_EFFECTIVE_IN_TEXT.search(text_norm)) \
            and not _ISSUED_IN_TEXT.search(text_norm)

    def agency_column(self, text_norm: str, context: AbstractSet[str]) -> bool:
        """True when an agency question is answered by a table row whose columns name the role
        asked ("Cơ quan chủ trì"): the row's text is only its cells, the column names are its context."""
        if not self.intent.agency or " | " not in text_norm:
            return False
        roles = _agency_roles(self.folded) or ("chủ trì", "phối hợp", "đầu mối")
        return any("_".join(words(fold(r))) in context for r in roles)

    def satisfied_by(self, text_norm: str, signer: str | None = None) -> bool:
        """True when a clause gives what a metadata question asks (a signer, a date, a number, an agency)."""
        i = self.intent
        if (i.date or i.deadline) and not (i.signer or i.number or i.agency or i.basis) and _CITATION.match(text_norm):
            # "Căn cứ Nghị định … ngày 13 tháng 8 năm 2020" dates another document, unless the
            # question asks the date of a document the plan is based on ("căn cứ Luật … ngày nào").
            return False
        if i.deadline and not (i.signer or i.number or i.agency):
            return bool(_DEADLINE_IN_TEXT.search(text_norm))
        if i.effective and not (i.signer or i.number or i.agency):
            # "có hiệu lực thi hành kể từ ngày ký": the date is the signing's.
            return bool(_EFFECTIVE_IN_TEXT.search(text_norm) and (_DATE_IN_TEXT.search(text_norm)
                                                                  or _FROM_SIGNING.search(text_norm)))
        return bool(
            (i.signer and (_SIGNED.search(text_norm) or (signer and normalize(signer) in text_norm)))
            or (i.date and _DATE_IN_TEXT.search(text_norm))
            or (i.number and _DOCNUM_IN_TEXT.search(text_norm.upper()))
            or (i.agency and self._agency_stated(text_norm))
        )


@lru_cache(maxsize=1)
def _agency_rows() -> tuple[tuple[str, ...], ...]:
    """lang/agencies.txt: each agency's spellings, normalized."""
    return tuple(tuple(normalize(n.strip()) for n in r[0].split("|") if n.strip()) for r in _data_lines("agencies.txt"))


@lru_cache(maxsize=1)
def _agencies_re() -> re.Pattern[str]:
    """Any agency's spelling, folded, as a question names it."""
    names = sorted({" ".join(words(fold(n))) for row in _agency_rows() for n in row}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(r"\W+".join(map(re.escape, n.split())) for n in names) + r")(?!\w)")


def _initialism_of(spelling: str, name: str) -> bool:
    """Does `spelling` hold a word of two or more letters, not a word of `name`, made of the
    initials of `name`'s words in order ("nv" of "sở nội vụ", "ca" of "công an tỉnh", "gddt")?
    Another name of the agency ("ban quản lý khu kinh tế") is no short form of it."""
    full = words(fold(name))
    initials = "".join(w[0] for w in full)
    def subsequence(w: str) -> bool:
        it = iter(initials)
        return all(c in it for c in w)
    return any(len(w) >= 2 and w not in full and subsequence(w)
               for w in words(fold(spelling).replace("&", " ").replace("-", " ")))


@lru_cache(maxsize=1)
def _agency_short_forms() -> tuple[dict[str, str], re.Pattern[str]]:
    """lang/agencies.txt's shorter spellings ("sở nv", "vp ubnd", "ca tỉnh"), folded → the
    agency's first spelling, and their whole-word pattern over folded text."""
    short = {" ".join(words(fold(n))): row[0] for row in _agency_rows() for n in row[1:]
             if len(words(n)) < len(words(row[0])) and _initialism_of(n, row[0])}
    return short, re.compile(r"(?<!\w)(?:" + "|".join(r"\W*".join(map(re.escape, n.split()))
                                                  for n in sorted(short, key=len, reverse=True)) + r")(?!\w)")


def expand_agencies(text: str) -> str:
    """An agency typed by its chat short form ("Sở NV", "VP UBND", "CA tỉnh", "Sở GD&ĐT")
    written as the name its plans give it (lang/agencies.txt's first spelling), so it is read,
    searched and ranked like the full name ("nv" is no "nhiệm vụ" there, "tc" no unknown word)."""
    folded = fold(text)
    if len(folded) != len(text):
        return text
    short, pattern = _agency_short_forms()
    parts: list[str] = []
    pos = 0
    for m in pattern.finditer(folded):
        name = short.get(" ".join(words(m.group(0).replace("&", " ").replace("-", " "))))
        if name is None:
            continue
        parts += [text[pos:m.start()], name]
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts)


# An agency named as the owner of the document asked about ("kế hoạch 1888 của Văn phòng UBND
# tỉnh", "Sở Nội vụ ban hành kế hoạch …") names the document, not whose tasks are asked.
_AGENCY_OWNER = re.compile(r"(?:^|\b(?:ke hoach|quyet dinh|chi thi|cong van|van ban|chuong trinh|de an|cong dien"
                           r"|nghi quyet)\b[^,;?]{0,24}?)\s*\b(?:cua|do)\s*$")


def agencies_named(folded: str) -> tuple[str, ...]:
    """The agencies of lang/agencies.txt a folded question names as the subject of its tasks,
    every spelling of each; not one named as the document's owner."""
    found = {" ".join(words(m.group(0))) for m in _agencies_re().finditer(folded)
             if not _AGENCY_OWNER.search(" ".join(words(folded[:m.start()])))
             and not _OWNER_AFTER.match(" " + " ".join(words(folded[m.end():])))}
    if not found:
        return ()
    return tuple(dict.fromkeys(n for row in _agency_rows() if any(" ".join(words(fold(x))) in found for x in row)
                               for n in row))


@lru_cache(maxsize=256)
def _agency_patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """For heads_agency: the names folded as a clause's context holds them (syllables joined by
    a space or by "_" where segmented as one word), and as its normalized text opens with them
    (after a list mark or item number) or holds them as the second cell of a table row."""
    folded = sorted({r"[ _]".join(re.escape(w) for w in words(fold(n))) for n in names}, key=len, reverse=True)
    marked = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    context_re = re.compile(r"(?<!\S)(?:" + "|".join(folded) + r")(?![\w])")
    text_re = re.compile(r"(?:[\W\d]*(?:[a-zđ]{1,4}[.)]\s*)?|[^|]*\|\s*)(?:" + marked + r")(?!\w)")
    return context_re, text_re


def _agency_roles(folded: str) -> tuple[str, ...]:
    """Which role a question asks about: the lead ("chủ trì"), the partners ("phối hợp"), or any."""
    roles = tuple(role for key, role in (("chu tri", "chủ trì"), ("phoi hop", "phối hợp"), ("dau moi", "đầu mối"),
                                         ("duoc giao", "được giao"))
                  if key in folded)
    return roles


# An item's mark before a label ("3. Bước 3", "a) Điều 5"), and an item's number ("3. ", "iii. ", "c) ").
_ITEM_PREFIX = r"(?:[ivxlc]+|\d{1,2}|[a-zđ])\s*[.)]\s*"
_ITEM_NUMBER = re.compile(r"^\W*([ivxlc]+|\d{1,2}|[a-h])\s*[.)]\s")
_ROMAN_OF = {int(v): k.lower() for k, v in _ROMAN.items()}


def _item_value(mark: str) -> int:
    """The number an item's mark stands for: "3" → 3, "iii" → 3, "c" → 3 ("i" is the Roman one)."""
    if mark.isdigit():
        return int(mark)
    if mark in _ROMAN_OF.values():
        return next(k for k, v in _ROMAN_OF.items() if v == mark)
    return ord(mark) - ord("a") + 1


@lru_cache(maxsize=1)
def _items_asked_re() -> tuple[re.Pattern[str], dict[str, tuple[str, str]], dict[str, tuple[int, str]]]:
    """lang/items.tsv as one pattern over a folded question, with each folded word's kind and
    spelling, and the ordinal words' numbers and spellings."""
    rows = _data_lines("items.tsv")
    parts = {fold(r[1]): (r[0], normalize(r[1])) for r in rows if r[0] in ("label", "list") and len(r) > 1}
    ordinals = {fold(r[1]): (int(r[2]), normalize(r[1])) for r in rows if r[0] == "ordinal" and len(r) > 2}
    names = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
    numbers = "|".join(re.escape(o) for o in sorted(ordinals, key=len, reverse=True))
    pattern = re.compile(rf"\b({names})\s+(?:(\d{{1,2}})(?![\d/.,]\d)|(?:thu|so)\s+(\d{{1,2}}|{numbers}))\b")
    return pattern, parts, ordinals


def ordinals_as_numbers(text: str) -> str:
    """"nhiệm vụ thứ hai" → "nhiệm vụ số 2": an ordinal after a numbered part's word (lang/items.tsv),
    typed as listed or without marks, is its number, not words to search ("thứ hai" is also Monday);
    "số" before a number is no search word either."""
    folded = fold(text)
    if "thu " not in folded or len(folded) != len(text):
        return text
    pattern, _parts, ordinals = _items_asked_re()
    out, pos = [], 0
    for m in pattern.finditer(folded):
        typed = m.group(3)
        if not typed or folded[m.start(3) - 4:m.start(3)] != "thu ":
            continue
        if typed.isdigit() or typed in ordinals and normalize(text[m.start(3):m.end(3)]) in (typed, ordinals[typed][1]):
            out += [text[pos:m.start(3) - 4], "số ", typed if typed.isdigit() else str(ordinals[typed][0])]
            pos = m.end(3)
    return "".join(out) + text[pos:]


def items_asked(folded: str) -> tuple[tuple[str, str, int], ...]:
    """The numbered parts a folded question asks for: "bước 3" → ("label", "bước", 3); "nhiệm vụ
    thứ hai" → ("list", "nhiệm vụ", 2). A list word counts only with "thứ" ("nhóm 2" may be a name)."""
    pattern, parts, ordinals = _items_asked_re()
    found: list[tuple[str, str, int]] = []
    for m in pattern.finditer(folded):
        kind, word = parts[m.group(1)]
        typed = m.group(2) or m.group(3)
        if kind == "list" and not m.group(3):
            continue
        n = int(typed) if typed.isdigit() else ordinals[typed][0]
        if 0 < n <= 12:
            found.append((kind, word, n))
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=1)
def _actors_re() -> re.Pattern[str]:
    phrases = sorted((normalize(r[0]) for r in _data_lines("actors.txt")), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)")


@lru_cache(maxsize=8_192)
def names_actor(text_norm: str) -> bool:
    """Does a clause name who acts (lang/actors.txt: "do người có thẩm quyền", "chịu trách nhiệm",
    "chủ trì")? Cached by the text."""
    return bool(_actors_re().search(text_norm))


@lru_cache(maxsize=4)
def _addressing_re(folded: bool, acting: bool) -> re.Pattern[str]:
    """The addressing phrases of lang/addressing.txt (`acting`: its "!" exceptions), ending right
    before a name: folded for questions, with marks for clauses."""
    lines = [r[0] for r in _data_lines("addressing.txt")]
    chosen = [p[1:] for p in lines if p.startswith("!")] if acting else [p for p in lines if not p.startswith("!")]
    phrases = sorted(((fold if folded else normalize)(p) for p in chosen), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")\s+$")


def addressed(before: str, folded: bool = False) -> bool:
    """Does the text right before a name end with an addressing phrase ("… gửi báo cáo "), so that
    the name is whom something is sent to (lang/addressing.txt)? Only the last 40 characters are read."""
    tail = before[-40:]
    return bool(_addressing_re(folded, False).search(tail)) and not _addressing_re(folded, True).search(tail)


@lru_cache(maxsize=1)
def _issuing_re() -> re.Pattern[str]:
    """lang/issuing.txt's phrases announcing a document's issue, normalized like clauses."""
    phrases = sorted((normalize(r[0]) for r in _data_lines("issuing.txt")), key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in phrases))


@lru_cache(maxsize=2)
def _framing_re(basis: bool = False) -> re.Pattern[str]:
    """lang/framing.txt's openings; with `basis`, those citing a basis (not a covering line)."""
    openings = sorted((normalize(r[0]) for r in _data_lines("framing.txt") if not (basis and "cover" in r[1:])),
                      key=len, reverse=True)
    # After list marks or an article's number ("Điều 1. Ban hành kèm theo Quyết định này …").
    return re.compile(r"^[\W\d]*(?:điều\s+\d+\s*[.:]\s*)?(?:" + "|".join(re.escape(o) for o in openings)
                      + r")(?!\w)", re.I)


# "Điều 2. Mục tiêu", "II. NHIỆM VỤ, GIẢI PHÁP": a bare heading of a few words.
_HEADING = re.compile(r"^\s*(?:(?i:điều|chương|mục|phần|phụ lục)\s+[\dIVXLC]+|[IVXLC]+)\s*[.:)]"
                      r"\s*(?:\S+\s*){0,8}$")
_NAMED_FIGURE = re.compile(r"[A-ZĐ]\w*(?:\s+\w+){0,4}\s*\(\s*\d[\d.,]*\s*%?\s*\)")
_AGENCY_CELL = re.compile(r"^\W*(?:bộ|sở|ủy ban|ubnd|ngân hàng|văn phòng|thanh tra|kiểm toán|bảo hiểm)\s", re.I)


# How a question names a document: its kind ("directive", "dự thảo") and the words around it up
# to a boundary: "Dak Lak's directive on administrative procedures", "the Ministry of Construction's
# reform plan", "theo dự thảo khâu đột phá của Thanh Hóa". Those words pick the document; the rest
# of the question picks the clause (Weights.title_word).
_EN_KIND = (r"plans?|resolutions?|directives?|dispatch(?:es)?|programmes?|programs?|decisions?|drafts?|"
            r"strateg(?:y|ies)|schemes?|projects?|decrees?|circulars?|regulations?|official letters?")
_EN_BOUNDARY = (r"under|in|according|to|by|from|per|following|within|what|which|how|who|whom|when|where|why|does|do|"
                r"did|is|are|was|were|must|should|will|would|can|could|has|have|had|for|with|as|that|it|its|this")
_EN_NAMING = re.compile(rf"((?:\b(?!(?:{_EN_BOUNDARY})\b)[a-z0-9'&-]+\s+){{0,5}})\b(?:{_EN_KIND})\b"
                        rf"((?:\s+(?!(?:{_EN_BOUNDARY})\b)[a-z0-9'&-]+|\s+(?:on|for|of|about|to|in)\b){{0,10}})")
_VI_NAMING = re.compile(r"\b(?:ke hoach|nghi quyet|chi thi|quyet dinh|cong dien|chuong trinh|du thao|de an|"
                        r"cong van|thong bao|quy dinh)\b"
                        # "Công điện của Thủ tướng về …": the owner, then the topic naming it.
                        r"(?:\s+(?:cua|do)(?:\s+\w+){1,4}?(?=\s+ve\b))?"
                        r"((?:\s+(?!(?:bao nhieu|nao|gi|co|la|thi|duoc|phai|can|da|se|"
                        r"muc tieu|chi tieu|ty le|theo|cua|ve viec|nam|giai doan|so)\b)\w+){0,10})")


# A document made by a task ("ban hành kế hoạch hành động …", "issue action plans") is what the
# question asks about, not the source it names.
_EN_MADE = re.compile(r"\b(?:issue|issued|issuing|develop|developed|developing|draw up|drawn up|prepare|prepared|"
                      r"build|adopt|adopted|submit|submitted|make|approve|approved)\b(?:\s+(?:a|an|the|their|its|own))?"
                      r"(?:\s+[a-z'-]+){0,3}\s*$")
_WHICH_AFTER = re.compile(r"\s+(?:nao|gi|so may)\b")
_VI_MADE = re.compile(r"\b(?:ban hanh|xay dung|lap|trinh|soan thao|phe duyet|de xuat|hoan thien)\s*$")


def naming_syllables(text: str, language_code: str) -> frozenset[str]:
    """Folded syllables of the words a question names its document by (see _EN_NAMING)."""
    low = _EN_POSSESSIVE.sub("", text.lower())
    if language_code == "en":
        spans = [m.group(0) for m in _EN_NAMING.finditer(low)
                 if not _EN_MADE.search(low[max(0, m.start() - 40):m.start()] + m.group(1))]
        return frozenset(w for sp in spans for w in words(fold(translate_english(sp))))
    folded = fold(text)
    # "căn cứ chỉ thị nào", "thực hiện nghị quyết nào của Tỉnh ủy": the kind asked for is the
    # answer's (another document cited), not the name of the question's own document.
    return frozenset(w for m in _VI_NAMING.finditer(folded) if not _VI_MADE.search(folded[:m.start()])
                     and not (not m.group(1) and _WHICH_AFTER.match(folded, m.end()))
                     for w in words(m.group(0)))


_ASCII_LOWER = re.compile("[a-z]")

# fold() of one word or short phrase of a question: users' words repeat, and each is folded several times.
_fold_word = lru_cache(maxsize=8192)(fold)


@lru_cache(maxsize=1024)
def _title_words(title: str) -> frozenset[str]:
    return frozenset(words(fold(title))) | {"so", "ve", "viec"} | _kind_words()


@lru_cache(maxsize=1)
def _kind_words() -> frozenset[str]:
    """Folded words of the kinds of document (lang/doctypes.tsv, Vietnamese rows): a web copy's
    header "Quyết định 3470/QĐ-UBND năm 2025 về Kế hoạch …" restates the title with them."""
    return frozenset(w for r in _data_lines("doctypes.tsv") if has_diacritics(r[0]) for w in words(fold(r[0])))


# A clause whose content is in an appendix: it ends pointing there ("Quy định mức chi … (tại Phụ
# lục II kèm theo Nghị quyết này).", "(chi tiết tại Phụ lục kèm theo)"); the appendix states it.
_POINTS_TO_APPENDIX = re.compile(r"(?i)\((?:tại|chi tiết tại|chi tiết theo|theo)?\s*phụ lục\b[^()]{0,30}"
                                 r"\bkèm theo\b[^()]{0,30}\)\W*$")
# An appendix's title line ends with its covering line: "PHỤ LỤC III TỔNG HỢP KẾT QUẢ … (Kèm theo
# Công điện số 220/CĐ-TTg ngày 18 tháng 11 năm 2025 của Thủ tướng Chính phủ)", "(Ban hành kèm theo
# Quyết định số …)": it names what the table under it holds, not any of its figures.
_COVERING_LINE = re.compile(r"(?i)\(\s*(?:ban hành\s+)?kèm theo\s+[^()]{0,40}?\bsố\s*\d[^()]{0,160}\)\W*$")
# A document number in a clause ("3470/QĐ-UBND", "77/2025/NQ-HĐND"): its parts name the document.
_NUMBER_PARTS = re.compile(r"\d+(?:/[\w&-]+)+")


# "Căn cứ" then a word in lower case: on the grounds of a fact, not of a document, which is
# named with a capital ("Căn cứ Luật …", "Căn cứ Nghị quyết số …", "căn cứ vào các Quyết định …").
_ON_GROUNDS = re.compile(r"^[\W\d]*(?i:căn cứ)\s+(?:(?i:vào|các|những|theo)\s+)*(\w)")


def _on_grounds(text: str) -> bool:
    m = _ON_GROUNDS.match(text)
    return bool(m and m.group(1).islower())


def _restates_title(norm: str, title: str) -> bool:
    """Is every word of a clause (three at least, its document numbers left out) a word of its
    document's title or a year the clause names?"""
    # Folding the whole clause was most of frames_document's time, and nearly every clause holds
    # another word within its first few: it is folded one whitespace-free piece at a time (no word
    # and no document number spans a space, so the pieces' words are the clause's) and the first
    # word that is neither settles it.
    allowed = _title_words(title)
    years: set[str] | None = None
    count = 0
    for piece in norm.split():
        for w in words(_fold_normalized(_NUMBER_PARTS.sub(" ", piece))):
            if w not in allowed:
                if years is None:
                    years = set(YEAR.findall(norm))
                if w not in years:
                    return False
            count += 1
    return count >= 3


# Cached by text: the same clauses come back question after question, and this runs for every candidate.
@lru_cache(maxsize=32_768)
def frames_document(text: str, title: str, norm: str | None = None) -> bool:
    """Does a clause frame its document rather than state its content: its legal basis or the
    documents it implements ("Căn cứ …", "Xét Tờ trình …", lang/framing.txt), its title line,
    or a bare heading? `norm`: the text's `normalize()`, when the caller has it (the index does)."""
    if _on_grounds(text):
        return False  # "căn cứ kết quả đánh giá, …", "Căn cứ vào quy mô …": on the grounds of a fact
    if _COVERING_LINE.search(text):
        return True
    if len(text) > 2 * len(title) + 40:
        # Too long for a title line or a heading: only its opening can frame the document.
        return bool(_framing_re().match(normalize(text[:80])))
    if norm is None:
        norm = normalize(text)
    if _framing_re().match(norm) or _HEADING.match(text) or _POINTS_TO_APPENDIX.search(norm):
        return True
    if _restates_title(norm, title):
        return True  # the title restated ("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH … NĂM 2022")
    # A lower-case letter rules out a heading in capitals without looking at every letter.
    if _ASCII_LOWER.search(text):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) > 12 and all(ch.isupper() for ch in letters)


def names_with_figures(text: str, is_place: Callable[[str], bool]) -> bool:
    """Does a clause name places or agencies beside their figures ("Lai Châu (59,42%)", a table
    row "Hà Tĩnh | 1200 | …")? `is_place` tells a province's name."""
    if _NAMED_FIGURE.search(text):
        return True
    if " | " not in text:
        return False
    first, _, rest = text.partition(" | ")
    return any(ch.isdigit() for ch in rest) and (is_place(first.strip()) or bool(_AGENCY_CELL.match(first)))


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


_ASCII_WORD = re.compile(r"\b[a-z]+\b")  # a whole word typed without marks ("to" is not in "toán")


def is_english(text: str, known_syllables: Collection[str] = (),
               places: Sequence[tuple[str, int, int]] | Callable[[str], Sequence[tuple[str, int, int]]] = ()
               ) -> bool:
    """A stop-word test: no Vietnamese marks, and at least two English function words that are
    not also Vietnamese syllables typed without marks ("the", "do", "an" are both). A question
    typed as keywords, with no function word ("Cao Bang PAR Index rank 2024?"), is English when
    every word outside its place names (`places`: spans in `text`, or the function finding them,
    called only for such a question) is a word of the glossary, two
    at least, and one cannot be a Vietnamese syllable at all nor is a name both languages use
    ("rank", "fee"; not "phi", "SIPAS"). The marks of a Vietnamese place name do not make an English
    sentence Vietnamese ("Is Bắc Ninh planning to …"): the test reads the text outside the names."""
    lang = language()
    if has_diacritics(text):
        # Cheap test first: with neither an English function word nor an English-only word of the
        # glossary ("Cao Bằng PAR Index rank 2024": "rank"), a Vietnamese question, the place names
        # are not looked up (~0.4 ms a question).
        known, shared = _glossary_words()
        ascii_words = _ASCII_WORD.findall(text.lower())
        if not any(t in lang.english_stop and t not in known_syllables and t not in STOPWORDS
                   for t in ascii_words) and not any(
                t in known and t not in shared and not _VI_SYLLABLE.fullmatch(t) for t in ascii_words):
            return False
        found = places(text) if callable(places) else places
        for _name, start, end in sorted(found, key=lambda p: -p[1]):
            text = text[:start] + " " + text[end:]
        if not found or has_diacritics(text):
            return False
        places = ()
    tokens = _EN_WORD.findall(text.lower())
    strong = {t for t in tokens if t in lang.english_stop and t not in known_syllables and t not in STOPWORDS}
    if not strong:
        return _english_keywords(text, places)
    if len(strong) == 1 and len(tokens) > 4:
        # One function word ("what fee cap applies to hiring …"): the glossary's own words that
        # are no Vietnamese syllable ("fee", "hiring") tell English from chat without marks.
        field = {t for t in tokens if lang.english_forms.base(t) in lang.english and t not in known_syllables
                 and t not in STOPWORDS}
        return len(field) >= 2
    return len(strong) >= 2 or (len(strong) == 1 and len(tokens) <= 4)


# A folded Vietnamese syllable: onset, one to three vowels, coda. A word that is none ("rank",
# "online", "fee") cannot be Vietnamese typed without marks.
_VI_SYLLABLE = re.compile(r"(?:ngh|gh|gi|kh|ng|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?"
                          r"[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")


@lru_cache(maxsize=1)
def _glossary_words() -> tuple[frozenset[str], frozenset[str]]:
    """Every word of the English glossary's phrases (in base form), and the words of those
    phrases the plans use as they are ("SIPAS", "PAR INDEX") or Vietnamese chat uses ("online"):
    words of either language."""
    lang = language()
    shared = {w for key, vi in lang.english.items()
              if key in (fold(vi), *lang.english_alternatives.get(key, ())) for w in _EN_WORD.findall(key)}
    # English words Vietnamese chat uses too ("online", "app"): keys of the thesaurus and chat forms.
    shared.update(w for key in (*lang.thesaurus, *lang.chat) for w in _EN_WORD.findall(key))
    return frozenset(w for key in lang.english for w in _EN_WORD.findall(key)), frozenset(shared)


def _english_keywords(text: str, places: Sequence[tuple[str, int, int]]
                     | Callable[[str], Sequence[tuple[str, int, int]]]) -> bool:
    """See is_english: keywords of the glossary, one of them English only."""
    lang = language()
    known, shared = _glossary_words()
    # Cheap tests first (the place names are looked up only if they pass): a word that is neither
    # the glossary's nor a syllable (a place's), or no English-only word at all, decides.
    typed = [t for t in _EN_WORD.findall(text.lower()) if t.isalpha()]
    if not all(t in known or _VI_SYLLABLE.fullmatch(t) or lang.english_forms.base(t) in known for t in typed) \
            or all(_VI_SYLLABLE.fullmatch(t) or t in shared for t in typed):
        return False
    if callable(places):
        places = places(text)
    for _name, start, end in sorted(places, key=lambda p: -p[1]):
        text = text[:start] + " " + text[end:]
    alpha = [t for t in _EN_WORD.findall(text.lower()) if t.isalpha()]
    if len(alpha) < 2:
        return False
    if not all(t in known or lang.english_forms.base(t) in known for t in alpha):
        return False
    return any(not _VI_SYLLABLE.fullmatch(t) and t not in shared for t in alpha)


def translate_english(text: str) -> str:
    """An English question in the Vietnamese words of the glossary: known phrases translated
    (longest first), function words dropped, anything else kept as typed."""
    return english_parts(text)[0]


def english_parts(text: str, places: Sequence[tuple[str, int, int]] = (),
                  usage: Callable[[str], float] | None = None) -> tuple[str, frozenset[str]]:
    """`translate_english(text)`, and the words it kept as typed (not in the glossary).
    `places` (name, start, end in `text`) are written as their Vietnamese names, untranslated:
    "Long An province" keeps its "An", which alone is an English function word. `usage` (a
    glossary phrase → how much the plans use its translations): the phrases are chosen by the
    best cover of the question (see english_cover) instead of the leftmost longest."""
    if places:
        out_parts: list[str] = []
        kept_all: set[str] = set()
        pos = 0
        for name, start, end in places:
            head, head_kept = english_parts(text[pos:start], usage=usage)
            out_parts += [head, name]
            kept_all |= head_kept
            pos = end
        tail, tail_kept = english_parts(text[pos:], usage=usage)
        return " ".join(p for p in [*out_parts, tail] if p), frozenset(kept_all | tail_kept)
    lang = language()
    # "by 2030", "by the end of 2025" are "đến năm 2030" (a target's horizon) for any year: read
    # as the glossary's "by year".
    low = _EN_BY_YEAR.sub(r"by year \1", _english_low(text))
    out: list[str] = []
    kept: set[str] = set()
    pos = 0

    def leftovers(chunk: str) -> list[str]:
        found = [w for w in _EN_WORD.findall(chunk) if w not in lang.english_stop]
        # A figure ("3%", "2025") is no English word the glossary failed to translate: the plans
        # write it alike, so it keeps its weight.
        kept.update(fold(w) for w in found if not any(ch.isdigit() for ch in w))
        return found

    for start, end, key in english_cover(low, usage):
        out.extend(leftovers(low[pos:start]))
        out.append(lang.english[key])
        pos = end
    out.extend(leftovers(low[pos:]))
    return " ".join(out), frozenset(kept)


_EN_TOKEN = re.compile(r"[a-z0-9]+")
_EN_PHRASE_WORDS = 8  # the glossary's longest phrase has 7 words (one may be split at a hyphen)


def english_cover(low: str, usage: Callable[[str], float] | None = None) -> list[tuple[int, int, str]]:
    """The glossary phrases an English question (lower case, base forms) is read by, as (start,
    end, phrase). Without `usage`, leftmost longest. With it, as the Vietnamese thesaurus's
    `Reader._cover`: a small dynamic programme over the question's words takes the
    non-overlapping phrases covering most words, then the fewest phrases, then the reading whose
    translations the plans use most, so an earlier phrase does not swallow a word of a better
    one ("online | public service portal" where "online public service | portal" is the leftmost
    longest)."""
    lang = language()
    if usage is None:
        return [(m.start(), m.end(), m.group(0)) for m in lang.english_re.finditer(low)]
    toks = [(m.start(), m.end()) for m in _EN_TOKEN.finditer(low)]
    n = len(toks)
    best: list[tuple[tuple[int, int, float], int, str | None, int]] = [((0, 0, 0.0), n, None, 0)] * (n + 1)
    for i in range(n - 1, -1, -1):
        start = toks[i][0]
        choice: tuple[tuple[int, int, float], int, str | None, int] = (best[i + 1][0], i + 1, None, 0)
        if start == 0 or not low[start - 1].isalnum():
            for j in range(i + 1, min(n, i + _EN_PHRASE_WORDS) + 1):
                end = toks[j - 1][1]
                if end < len(low) and low[end].isalnum():
                    continue
                key = low[start:end]
                if key not in lang.english:
                    if low[end:end + 1] == "." and low[start:end + 1] in lang.english:  # "p.m."
                        key, end = low[start:end + 1], end + 1
                    else:
                        continue
                after = best[j][0]
                score = (after[0] + j - i, after[1] - 1, after[2] + (j - i - 1) * usage(key))
                if score > choice[0]:
                    choice = (score, j, key, end)
        best[i] = choice
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < n:
        _score, j, chosen, end = best[i]
        if chosen is not None:
            out.append((toks[i][0], end, chosen))
        i = j
    return out


@lru_cache(maxsize=1)
def _other_readings() -> dict[str, tuple[str, frozenset[str]]]:
    """lang/provinces.tsv's third and fourth columns: form → (its chat reading typed in lower case
    right after one of the words listed, those folded words): "hn" after "sáng" is "hôm nay"."""
    return {normalize(r[0]): (r[2], frozenset(fold(w.strip()) for w in r[3].split("|") if w.strip()))
            for r in _data_lines("provinces.tsv") if len(r) > 3}


def expand_provinces(text: str) -> str:
    """Province short forms people type ("HN", "TPHCM", "ĐN") written as the province's name,
    so they are read as a province filter like the full name (lang/provinces.tsv). A form listed
    with marks matches only as typed with them: "ĐN" is Đà Nẵng, "DN" is "doanh nghiệp"."""
    lang = language()
    folded = fold(text)
    if len(folded) != len(text) or not lang.province_forms:
        return text
    parts: list[str] = []
    pos = 0
    for m in lang.province_re.finditer(folded):
        if folded[m.start() - 1:m.start()] in ("/", "-") or folded[m.end():m.end() + 1] in ("/", "-"):
            continue  # part of a document number ("12/HP-UBND"), not a place
        typed = normalize(text[m.start():m.end()])
        name = lang.province_forms.get(typed) or (lang.province_forms.get(m.group(0)) if typed == m.group(0) else None)
        if name is None:
            continue
        other = _other_readings().get(typed)
        if other and text[m.start():m.end()].islower() and words(folded[:m.start()])[-1:] in ([w] for w in other[1]):
            name = other[0]  # "sáng hn": today ("hôm nay"), not Hà Nội
        parts += [text[pos:m.start()], name]
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts)


@lru_cache(maxsize=1)
def _province_initials() -> tuple[dict[str, tuple[tuple[str, ...], bool]], re.Pattern[str], re.Pattern[str]]:
    """lang/province_initials.tsv: normalized form → (its provinces, counts alone in capitals),
    the whole-word pattern of the folded forms and that of lang/place_words.txt's words ending
    right before one."""
    rows = {normalize(r[0]): (tuple(p.strip() for p in r[1].split("|") if p.strip()), r[2:3] == ["caps"])
            for r in _data_lines("province_initials.tsv") if len(r) > 1}
    places = sorted({" ".join(words(fold(r[0]))) for r in _data_lines("place_words.txt")}, key=len, reverse=True)
    before = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(p) for p in places) + r")\s+$")
    return rows, _alternation({fold(k) for k in rows}), before


def expand_initials(text: str) -> str:
    """Province initialisms of chat ("tỉnh ĐL", "ĐL có xử lý …", "bên QN") written as the
    province's name (lang/province_initials.tsv): right after a place word, or typed alone in
    capitals for a row marked so. A shared one ("QN", "ĐN") becomes every province it stands
    for, each a filter: which one the question means is left to the documents its other words
    find, never picked silently."""
    rows, pattern, before = _province_initials()
    folded = fold(text)
    if len(folded) != len(text):
        return text
    parts: list[str] = []
    pos = 0
    for m in pattern.finditer(folded):
        if folded[m.start() - 1:m.start()] in ("/", "-", "&") or folded[m.end():m.end() + 1] in ("/", "-", "&"):
            continue  # part of a document number ("12/HG-UBND") or an initialism ("KH&ĐT")
        typed = text[m.start():m.end()]
        row = rows.get(normalize(typed)) or (rows.get(m.group(0)) if normalize(typed) == m.group(0) else None)
        if row is None:
            continue
        names, caps = row
        if not before.search(folded[:m.start()]) and not (caps and typed.isupper()):
            continue
        parts += [text[pos:m.start()], ", ".join(names)]
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts)


_NUMBER_SAID = re.compile(r"\b(?:so|no)\b")  # "cv số 12": a number said to be one, not chat ("kh 12")
_NUMBER_CODES = re.compile(r"(?<![\w/])\d{1,5}(?:\s*/\s*(?:19|20)\d\d)?((?:\s*[-/]\s*[a-z][a-z&]*)+)(?![\w/])")


@lru_cache(maxsize=1)
def _number_codes() -> dict[str, str]:
    """lang/number_codes.tsv: folded code → the words it stands for inside a document number."""
    return {fold(r[0]): r[1] for r in _data_lines("number_codes.tsv") if len(r) > 1}


# "KH&CN", "GD&ĐT": capitals on both sides of an ampersand.
_AMP_INITIALISM = re.compile(r"(?<!\w)([A-ZĐ]{1,4})&([A-ZĐ]{1,4})(?!\w)")


def expand_number_codes(text: str) -> str:
    """The issuer codes of a document number spelled out in its stead: "Nghị quyết số 12-NQ/TU" →
    "Nghị quyết số 12-NQ/ tỉnh ủy" (lang/number_codes.tsv), so a question citing a Party
    resolution by number also reads whose it is ("của Tỉnh ủy", "Ban Chấp hành Đảng bộ tỉnh")."""
    folded = fold(text)
    if len(folded) != len(text) or not any(ch.isdigit() for ch in folded):
        return text
    table = _number_codes()
    parts: list[str] = []
    pos = 0
    for m in _NUMBER_CODES.finditer(folded):
        spelled: list[str] = []
        for code in re.finditer(r"[a-z][a-z&]*", m.group(1)):
            if code.group(0) in table:
                # The code itself goes ("tu" would be read as "từ"); the number and the kind stay.
                spelled.append(table[code.group(0)])
                parts += [text[pos:m.start(1) + code.start()]]
                pos = m.start(1) + code.end()
        if spelled:
            parts += [text[pos:m.end()], " " + " ".join(dict.fromkeys(spelled))]
            pos = m.end()
    parts.append(text[pos:])
    return "".join(parts)


_EN_BY_YEAR = re.compile(r"\bby (?:the end of |end of |the end of the year )?((?:19|20)\d\d)\b")
# Numbers and dates written the English way, put in the plans' order before the glossary reads
# them: "62nd" is 62 (of "xếp thứ 62/63"), "December 15, 2025" is "15 tháng 12 2025".
_EN_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_EN_MONTH_DAY = re.compile(r"\b(january|february|march|april|may|june|july|august|september|october|november|"
                           r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s+(\d{1,2})(?!\d)"
                           r"(?:\s*,\s*(?=\d{4}))?")


def _english_low(text: str) -> str:
    """An English question as the glossary is read against it: lower case, no "'s", ordinals
    and month-first dates in the plans' order, word forms reduced to their base."""
    low = _EN_POSSESSIVE.sub("", text.lower())
    low = _EN_MONTH_DAY.sub(r"\2 \1 ", _EN_ORDINAL.sub(r"\1", low))
    return language().english_forms.base_text(" ".join(low.split()) if "  " in low else low)



def english_senses(text: str, usage: Callable[[str], float] | None = None) -> dict[str, tuple[str, ...]]:
    """The other translations of the glossary phrases an English question uses, keyed by the
    (folded) translation it was written as: "how to fix bottlenecks" → {"khac phuc": ("khac phuc",
    "thao go", …), …}. Only the phrases typed count: "process" does not make "giải quyết"
    mean "tháo gỡ" too."""
    lang = language()
    low = _english_low(text)
    senses: dict[str, tuple[str, ...]] = {}
    for _start, _end, key in english_cover(low, usage):
        alts = lang.english_alternatives.get(key)
        if alts:
            senses[alts[0]] = tuple(dict.fromkeys((*senses.get(alts[0], ()), *alts)))
    return senses


@lru_cache(maxsize=1)
def _unit_rows() -> tuple[tuple[str, str, bool, float, float], ...]:
    """lang/units.tsv: (folded form, read as, glued only, lowest number, number below)."""
    out = []
    for r in _data_lines("units.tsv"):
        when = r[2].split() if len(r) > 2 else []
        low = float(when[when.index("from") + 1]) if "from" in when else 0.0
        high = float(when[when.index("below") + 1]) if "below" in when else float("inf")
        out.append((fold(r[0]), r[1], "glued" in when, low, high))
    return tuple(out)


_DOT_DECIMAL = re.compile(r"\d+\.\d{1,2}")  # "7.5": one or two digits after the dot, not "100.000"


@lru_cache(maxsize=1)
def _units_re() -> re.Pattern[str]:
    forms = sorted({f for r in _data_lines("units.tsv") for f in (normalize(r[0]), fold(r[0]))}, key=len, reverse=True)
    # A number ("75", "1,5", "7.5" typed the English way, "100.000") and a unit right after it or
    # after one space, as typed (with its marks or without); not inside a document number or a
    # date ("12/KH", "15/5").
    number = r"(\d{1,3}(?:\.\d{3})+|\d+(?:[.,]\d{1,2})?)"
    return re.compile(r"(?<![\w.,/-])" + number + r"( ?)((?i:" + "|".join(map(re.escape, forms)) + r"))(?![\w-])")


def _plans_figure(value: float) -> str:
    """A number as the plans write it: thousands grouped by ".", a decimal comma."""
    whole = f"{value:,.2f}".rstrip("0").rstrip(".")
    return whole.replace(",", " ").replace(".", ",").replace(" ", ".")


def chat_units(text: str) -> str:
    """Amounts and units typed after a number, the plans' way (lang/units.tsv): "2tr" →
    "2.000.000", "100k" → "100.000", "75đ" → "75 điểm", "100.000đ" → "100.000 đồng", "8h" →
    "8 giờ"; "5 triệu" → "5.000.000" (the plans write amounts in figures)."""
    parts: list[str] = []
    pos = 0
    for m in _units_re().finditer(text):
        digits, space, typed = m.groups()
        form = _fold_word(typed.lower())
        number = float(digits if _DOT_DECIMAL.fullmatch(digits) else digits.replace(".", "").replace(",", "."))
        row = next((r for r in _unit_rows() if r[0] == form and not (r[2] and space) and r[3] <= number < r[4]), None)
        if row is None:
            continue
        read = row[1]
        parts.append(text[pos:m.start()])
        parts.append(_plans_figure(number * float(read[1:])) if read.startswith("×") else f"{digits} {read}")
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts)


@lru_cache(maxsize=1)
def _chat_context() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """lang/chat_context.tsv: folded chat form → (reading, folded next words) it has before them."""
    out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for r in _data_lines("chat_context.tsv"):
        if len(r) > 2:
            nexts = tuple(n if n == "#year" else " ".join(words(fold(n))) for n in r[2].split("|") if n.strip())
            out.setdefault(fold(r[0]), []).append((r[1], nexts))
    return out


_NEXT_WORD = re.compile(r"\s(\w+)")
# Upper-case letters of Vietnamese (a name's first letter).
_UPPER = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"


@lru_cache(maxsize=1)
def _local_units_re() -> re.Pattern[str]:
    """The unit words of lang/local_units.txt, as typed with their marks or without."""
    units = {u for r in _data_lines("local_units.txt") for u in (normalize(r[0]), fold(r[0]))}
    # Only before a capitalised word or a number: most questions never reach the gazetteer here.
    return re.compile(r"(?<!\w)(?i:" + "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
                      + r")\.?(?=\s(?:[^\W\d_]*[" + _UPPER + r"]|\d))")


def _reading_before(form: str, after: str) -> str | None:
    """The reading a chat form has before the words that follow it (`after`, folded), if any."""
    following = " ".join(words(after)[:4])
    for reading, nexts in _chat_context().get(form, ()):
        for n in nexts:
            if n == "#year" and re.match(r"(?:19|20)\d\d(?!\d)", following) or n != "#year" and (
                    following == n or following.startswith(n + " ")):
                return reading
    return None


def standardize_chat(text: str, keep: Callable[[str, int, int], bool] | None = None) -> str:
    """Chat forms and teen-code to standard words ("bn" → "bao nhiêu", "ko" → "không").
    `keep(folded, start, end)`: is the form typed there a syllable of a word or name instead
    ("ha" of "Hà Tĩnh", "hạ tầng" is no "hả"; see Reader.read)?"""
    lang = language()
    folded = fold(text)
    if len(folded) != len(text):
        return text  # folding changed the length (rare ligatures): leave the text alone
    parts: list[str] = []
    pos = 0
    for m in lang.chat_re.finditer(folded):
        if folded[m.start() - 1:m.start()] in ("/", "-", "&") or folded[m.end():m.end() + 1] in ("/", "-", "&"):
            continue  # part of a document number ("308/KH-UBND") or an initialism ("KH&CN"), not chat
        typed = normalize(text[m.start():m.end()])
        # Only a form typed as the list spells it: "đc" or "dc", but not "đó" read as "do".
        if typed != m.group(0) and typed not in _accented_forms():
            continue
        if keep is not None and typed == m.group(0) and keep(folded, m.start(), m.end()):
            continue
        parts.append(text[pos:m.start()])
        parts.append(_reading_before(m.group(0), folded[m.end():]) or lang.chat[m.group(0)])
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts)


def filler_runs(units: Sequence[str], fillers: AbstractSet[str], typed: Sequence[str] = ()) -> frozenset[int]:
    """Positions of `units` that together spell a filler phrase of several words (lang/fillers.txt:
    "quá trời", "cho mình hỏi", "hôm trước") which segmentation split ("quá" | "trời"): the
    filler is matched on whole units, so "trời" of "quá trời" is no search word, while a unit
    only partly inside a phrase is left alone. `typed`: each unit as typed; typed with other
    marks the units are other words ("mỗi người" is no "mọi người")."""
    runs: set[int] = set()
    sylls = [u.split("_") for u in units]
    marks = _filler_marks()
    for i in range(len(units)):
        joined = list(sylls[i])
        for j in range(i + 1, min(len(units), i + _FILLER_UNITS)):
            joined += sylls[j]
            key = "_".join(joined)
            if key in fillers and not (len(typed) == len(units) and other_marks(
                    marks, key.replace("_", " "), " ".join(typed[i:j + 1]))):
                runs.update(range(i, j + 1))
    return frozenset(runs)


def _typed_units(units: Sequence[str], spans: Sequence[tuple[str, int, int]], typed: Sequence[str]) -> list[str]:
    """Each unit as typed where it stands, from the spans it was made of (the thesaurus joins
    spans: "cho" | "lau" → "cho_lau"); empty when they do not line up. (`forms` holds one
    spelling a unit: "cho" typed "chờ" once and "cho" once.)"""
    out: list[str] = []
    k = 0
    for u in units:
        n, got, parts = u.count("_") + 1, 0, []
        while got < n and k < len(spans):
            got += spans[k][0].count("_") + 1
            parts.append(" ".join(typed[spans[k][1]:spans[k][2]]))
            k += 1
        if got != n:
            return []
        out.append(" ".join(parts))
    return out if k == len(spans) else []


@lru_cache(maxsize=1)
def _filler_marks() -> dict[str, frozenset[str]]:
    """lang/fillers.txt's phrases by folded form → their marked spellings (see marked_forms)."""
    return marked_forms(r[0] for r in _data_lines("fillers.txt"))


_FILLER_UNITS = 6  # the longest filler phrase, in units


@lru_cache(maxsize=1)
def _field_units() -> frozenset[str]:
    """The field's own words (lang/compounds.txt) as search units ("mot_cua")."""
    return frozenset("_".join(words(fold(w))) for w in field_words())


@lru_cache(maxsize=1)
def _accented_forms() -> frozenset[str]:
    """Chat forms listed with their marks ("đc", "hông"): only those may be typed with marks."""
    return frozenset(normalize(row[0]) for row in _data_lines("chat.tsv"))


def _places(text: str, analyzer: Analyzer, gazetteer: Gazetteer) -> list[tuple[str, int, int]]:
    """Province names in a question. Typed without diacritics, a name can straddle a word
    ("truc tuyen quang ninh" holds "tuyen quang"): a match whose first syllable completes the
    word before it is dropped and the rest of the text is read again — unless that word is a
    function word ("va lai chau" is "và Lai Châu", not "vả lại" and "châu")."""
    masked = text
    for _ in range(3):
        found = gazetteer.find(masked)
        bad = None
        for _name, start, end in found:
            if has_diacritics(masked[start:end]):
                continue
            before = _SYLL.findall(fold(masked[:start]))
            first = _SYLL.findall(fold(masked[start:end]))
            # ("tuyên quang" is a word of the plans too, as a place: that is no straddle.)
            # After "tỉnh", "thành phố" the name starts: "tinh Thanh Hoa" is no "tỉnh thành | hoa".
            if before and first and (before[-1], first[0]) in analyzer.compounds and before[-1] not in STOPWORDS \
                    and not gazetteer.canonical(f"{before[-1]} {first[0]}") and not after_prefix(before):
                bad = (start, start + len(masked[start:end].split()[0]))
                break
        if bad is None:
            return found
        masked = masked[:bad[0]] + " " * (bad[1] - bad[0]) + masked[bad[1]:]
    return gazetteer.find(masked)


# "its plan", "the Ministry's 2026 plan", "their decision": the issuer named owns the document.
_EN_OWNED = re.compile(r"(?i)\b(?:its|their)\b|\w['’]s\s+(?:\w+\s+){0,4}"
                       r"(?:plan|decision|programme|program|directive)\b")


@lru_cache(maxsize=1)
def subject_words() -> dict[str, str]:
    """Everyday subjects that are no business of the plans (lang/subjects.txt): unit → the
    phrase with its marks, lowercase ("ho_chieu" → "hộ chiếu")."""
    return {"_".join(words(fold(r[0]))): " ".join(words(r[0].lower())) for r in _data_lines("subjects.txt")}


def _subjects(content: Sequence[str], text: str, units: Sequence[str] = (),
              loose: Callable[[str], bool] = lambda u: False) -> tuple[str, ...]:
    """The everyday subjects a question names, as listed (marked): a clause must hold each.
    Found among the words typed with their marks ("tra cứu phạt nguội"), or among the content
    units (typed without marks, or translated from English): a listed phrase of two or more
    syllables also inside a longer unit ("đăng ký xe máy"), one syllable only alone, "lương"
    is not in "chất lượng" nor "sót" in "sai sót". In a question typed without any mark, a phrase
    of two or more syllables is also found across the units the segmenter made (`units`, every
    one, function words included: "o to" is "ô tô" though "o" reads as "ở"), cutting only units
    `loose` allows (no word of the plans: "tinh tien dien" holds "tiền điện", "danh gia thu hang"
    no "giá thú")."""
    found = _listed_subjects(content, text)
    return tuple(dict.fromkeys((*found, *_unmarked_subjects(units, loose))))


def _unmarked_subjects(units: Sequence[str], loose: Callable[[str], bool]) -> list[str]:
    """The listed subjects of two or more syllables read across the units of an unmarked
    stretch (see `_subjects`)."""
    sylls: list[str] = []
    starts: list[bool] = []  # a syllable opening its unit
    ends: list[bool] = []
    cut: list[bool] = []  # its unit may be cut by a subject
    for u in units:
        parts = u.split("_")
        for k, p in enumerate(parts):
            sylls.append(p)
            starts.append(k == 0)
            ends.append(k == len(parts) - 1)
            cut.append(loose(u))
    # An asking word bounds the reading as it does the segmenter's (_ASKING_WORDS): the syllables
    # of "do ai" in "so do ai ky" belong to it, so they make no "sổ đỏ".
    asking: set[int] = set()
    for k in range(len(sylls) - 1):
        if f"{sylls[k]}_{sylls[k + 1]}" in _ASKING_WORDS:
            asking.update((k, k + 1))
    found = []
    by_first = _subjects_by_first()
    for i, syll in enumerate(sylls):
        for want, phrase in by_first.get(syll, ()):
            j = i + len(want) - 1
            if (tuple(sylls[i:j + 1]) == want and (starts[i] or cut[i]) and (ends[j] or cut[j])
                    and asking.isdisjoint(range(i, j + 1))):
                found.append(phrase)
    return list(dict.fromkeys(found))


@lru_cache(maxsize=1)
def _subjects_by_first() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """The listed subjects of two or more syllables by their first folded syllable."""
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for s, phrase in subject_words().items():
        want = tuple(s.split("_"))
        if len(want) >= 2:
            out.setdefault(want[0], []).append((want, phrase))
    return {k: tuple(v) for k, v in out.items()}


def _listed_subjects(content: Sequence[str], text: str) -> tuple[str, ...]:
    """The subjects found among the words typed with marks or the content units (`_subjects`)."""
    listed = subject_words()
    typed = f" {' '.join(words(text.lower()))} "
    # Runs of whole units too: a phrase the segmenter or the glossary cut in two ("giấy phép" +
    # "lao động" for "work permit") is still named; never one straddling a unit ("đánh giá" +
    # "thứ hạng" holds no "giá thú").
    runs = {"_".join(content[i:j]) for i in range(len(content)) for j in range(i + 2, min(len(content), i + 4) + 1)}
    # A unit itself, or a run of two or more of its syllables ("dang_ky_xe" in "dang_ky_xe_may"):
    # one set made per question, looked up per listed subject (issue 14: a scan of every unit
    # for each of the ~300 subjects was a tenth of reading a question).
    runs.update(content)
    for u in content:
        parts = u.split("_")
        runs.update("_".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 2, len(parts) + 1))
    found = [p for s, p in listed.items() if s in runs or f" {p} " in typed]
    return tuple(found)


@lru_cache(maxsize=1)
def general_words() -> frozenset[str]:
    """Everyday words that are no topic of the plans (lang/general.txt, and lang/general_freq.txt:
    those the plans use less than everyday Vietnamese does), as units ("hom_nay")."""
    return frozenset("_".join(words(fold(r[0]))) for name in ("general.txt", "general_freq.txt")
                     for r in _data_lines(name))


@lru_cache(maxsize=1)
def _owner_verbs() -> re.Pattern[str]:
    """What an issuer opening a question does as a plan's owner (lang/owner_verbs.txt)."""
    phrases = sorted({" ".join(words(fold(r[0]))) for r in _data_lines("owner_verbs.txt")}, key=lambda p: (-len(p), p))
    return re.compile(r"^\s*(?:(?:da|co|se|dang)\s+)*(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+")
                                                              for p in phrases) + r")\b")


_OWNER_BEFORE = re.compile(r"\b(?:cua|do|theo)\s*$")
# A year or period right after an issuer ("Bộ Y tế năm 2025 kế hoạch …", "… giai đoạn 2026-2030
# đặt ra …"): read past it for what the issuer does.
_WHEN_AFTER = re.compile(r"^\s*(?:trong\s+)?(?:nam|giai doan)\s+(?:19|20)\d\d(?:\s*-\s*(?:19|20)\d\d)?")
# "Bộ Y tế kế hoạch …", "Ministry of Health plan …" (translated so): the issuer names the
# document it plans or decides, which makes it the document's owner too.
_OWNER_AFTER = re.compile(r"^\s*(?:co\s+|da\s+)?(?:ke hoach|quyet dinh|van ban|chuong trinh|de an|chi thi|cong van"
                          r"|cong dien|ban hanh|phe duyet|dat ra)\b")
# In English the verb comes after its issuer in any question ("which decision did the State Bank
# issue"): there only the kind of document right after it ("the Ministry of Health plan") names
# the owner; "issue/approve" asks about a document it issued, which another may cite.
_OWNER_AFTER_EN = re.compile(r"^\s*(?:ke hoach|quyet dinh|chuong trinh|de an|chi thi|cong van|cong dien)\b")


@lru_cache(maxsize=256)
def _cited_re(cited: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """A document number of one of these (digits, kind) in folded text, in either style:
    "12-nq/tu", "05/nq-tu", "77/2025/nq-hdnd"."""
    alts = "|".join(rf"0*{d}(?:\s*/\s*(?:19|20)\d\d)?\s*[-/]\s*{re.escape(k)}" for d, k in cited)
    return re.compile(rf"(?<![\w/])(?:{alts})(?![a-z])")


# A document number in a question, the kind code first after it ("12-nq/…", "76/nq-cp", "1234/qd-…").
_NUMBER_KIND = re.compile(r"(?<![\w/])0*(\d{1,5})(?:\s*/\s*(?:19|20)\d\d)?\s*[-/]\s*([a-z]+)")


def _breaks(syllables: Callable[[str], list[str]], text: str, keep: Sequence[int], n: int) -> frozenset[int]:
    """Where, among the kept syllables (`keep`: their indexes among the `n` of `text`), no word
    may span: a punctuation mark ("năm, nếu", "của , xếp" where a place was taken out) or a
    number or year taken out between two syllables. Typed without marks, the segmentation would
    otherwise glue the syllables on both sides into a dictionary word ("cũ | 6 | từ" → "cu_tu").
    Empty when the pieces do not count the same syllables as the whole."""
    cut: set[int] = set()
    at = 0
    for piece in _PUNCTUATION_BREAK.split(text):
        at += len(syllables(piece))
        cut.add(at)
    if at != n:
        return frozenset()
    out = {k for k in range(1, len(keep)) if keep[k] != keep[k - 1] + 1}
    out |= {sum(1 for i in keep if i < e) for e in cut}
    return frozenset(e for e in out if 0 < e < len(keep))


def _copula_split(spans: list[tuple[str, int, int]], typed: Sequence[str]) -> list[tuple[str, int, int]]:
    """The question's words with "là" cut off the word before it: "kỹ năng số là gì" is "kỹ năng |
    số | là", not "kỹ năng | số là" (the dictionary's "số là", "nhất là", "yêu cầu là" would take
    the last syllable of the subject)."""
    out: list[tuple[str, int, int]] = []
    for u, a, b in spans:
        if b - a > 1 and u.endswith("_la") and typed[b - 1] in ("la", "là"):
            head = u[:-3]
            out += [(head, a, b - 1), ("la", b - 1, b)]
        else:
            out.append((u, a, b))
    return out


@lru_cache(maxsize=1)
def _stopword_forms() -> frozenset[str]:
    """lang/stopword_forms.txt: the marked spellings of the function words (normalized)."""
    return frozenset(normalize(w) for r in _data_lines("stopword_forms.txt") for w in " ".join(r).split())


def _numbering(sylls: Sequence[str], typed: Sequence[str], i: int) -> bool:
    """Is the syllable at i the "số" that numbers what follows ("bão số 3", "phòng số 12"), not the
    digital "số" of the plans ("chuyển đổi số")?"""
    return sylls[i] == "so" and typed[i] in ("so", "số") and i + 1 < len(sylls) and sylls[i + 1].isdigit() \
        and not YEAR.fullmatch(sylls[i + 1])  # "chuyển đổi số 2025" is the digital "số" of a year


_FIXES_MAX = 20_000  # misspelt syllables a Reader remembers the corrections of
# Clauses a folded word must occur in to be taken as the plans' word when typed without marks:
# one use can be two words that merely fold alike ("cua cai", "so khong").
_IN_USE = 2


# Tone marks (grave, acute, hook, tilde, dot below): a slip of one of them keeps the letters.
_TONES = frozenset("\u0300\u0301\u0309\u0303\u0323")


@lru_cache(maxsize=8192)
def _toneless(syllable: str) -> str:
    """A syllable without its tone mark, its letters kept ("dưởng" → "dương")."""
    return unicodedata.normalize("NFC", "".join(ch for ch in unicodedata.normalize("NFD", syllable)
                                                 if ch not in _TONES))


def _slips(typed: Sequence[str], word: Sequence[str]) -> int:
    """How many syllables of `typed` carry another tone than `word`'s on the same letters (2,
    "too many", when one has other letters): a syllable typed as the word has it or without
    marks is no slip."""
    slips = 0
    for t, w in zip(typed, word, strict=True):
        if t == w or _fold_word(t) == t:
            continue
        if _toneless(t) != _toneless(w):
            return 2
        slips += 1
    return min(slips, 2)


# Clauses holding a word for it to count as a word of the plans (see _parse, function_word),
# and the share of all clauses above which it is too common to tell anything.
_WORD_IN_PLANS = 3
_COMMON_SHARE = 0.1

# A question's word found inside the plans' longer words: the few most used are searched.
_LONGER_MAX = 3


class Reader:
    """Reads questions against one index: its segmenter dictionary, vocabulary and gazetteer."""

    def __init__(self, analyzer: Analyzer, gazetteer: Gazetteer, vocab: Mapping[str, int],
                 by_length: Mapping[int, Sequence[str]], known_numbers: Collection[str] | Mapping[str, frozenset[str]],
                 cites: Callable[[str, str], bool] | None = None) -> None:
        """`cites(digits, kind)`: does a clause cite a document of that number and kind ("1234/QĐ-UBND"
        as the words "1234 qd")? Without it, a number the plans hold as any word counts as cited."""
        self.analyzer = analyzer
        self.cites = cites
        self.gazetteer = gazetteer
        self.vocab = vocab
        self.by_length = by_length
        # Typo fixes by folded syllable: the vocabulary search is the costliest step of reading a
        # question, and users repeat their misspellings. Per Reader, so an index reloaded (a new
        # KnowledgeBase, a new vocabulary) starts with none.
        self._fixes: dict[str, tuple[str, ...]] = {}
        # Thesaurus phrases segmented by this index's dictionary, and a phrase's clause count:
        # the same few hundred phrases, read again by every question that uses them.
        self._segmented: dict[str, tuple[str, ...]] = {}
        self._plain_of: dict[str, tuple[str, ...]] = {}
        self._usage_of: dict[tuple[str, ...], float] = {}
        self._heads: frozenset[str] | None = None  # first words of the thesaurus's phrases (_thesaurus)
        # Runs of two or more syllables inside the plans' longer words → those words, and each
        # longer word's marked spellings (_longer_words): built when a question first needs them.
        self._inside: dict[str, tuple[str, ...]] | None = None
        # The plans' words of two or more syllables by folded form → their marked spellings (_retoned).
        self._toned: dict[str, tuple[tuple[str, ...], ...]] | None = None
        self._inside_marked: dict[str, set[str]] = {}
        self.known_numbers = known_numbers
        self.lang = language()
        self._common_df = max(vocab.values(), default=1) * _COMMON_SHARE
        # First syllable → the most syllables of a thesaurus phrase starting with it (_unmarked_spans).
        self._phrase_reach: dict[str, int] = {}
        for phrase in self.lang.thesaurus:
            parts = phrase.split(" ")
            self._phrase_reach[parts[0]] = max(self._phrase_reach.get(parts[0], 1), len(parts))

    def read(self, question: str) -> Query:
        """The question as the engine reads it (filters, intent and terms)."""
        text = sanitize(question)
        # A held document named by number is a filter, not words: taken out before anything
        # reads words ("kh" would become "không", "QĐ"/"2163" uncovered content words).
        rest, refs = self._doc_refs(text)
        lang_code = "en" if is_english(rest, self.analyzer.known_syllables, self.gazetteer.find) else "vi"
        if lang_code == "vi":
            rest = self._asked_part(rest)
        untranslated: frozenset[str] = frozenset()
        named = expand_agencies(expand_initials(expand_provinces(rest)))
        senses: dict[str, tuple[str, ...]] = {}
        if lang_code == "en":
            search_text, untranslated = english_parts(named, self.gazetteer.find(named), self._english_usage)
            senses = english_senses(named, self._english_usage)
        else:
            search_text = standardize_chat(chat_units(expand_number_codes(self._without_local_places(
                self._joined_initialisms(named)))), self._in_word)
        return self._parse(text, search_text, lang_code, untranslated, senses,
                           naming_syllables(named if lang_code == "en" else search_text, lang_code), refs,
                           owned=lang_code == "en" and bool(_EN_OWNED.search(rest)))

    def _without_owner_verbs(self, text: str) -> str:
        """"Kế hoạch … của Bắc Ninh yêu cầu tin học hóa những gì", "Thủ tướng yêu cầu các bộ …": how
        the document or its issuer speaks (lang/speaking_verbs.txt), right after it (a few words on
        at most; a place taken out leaves its "của"), says how it says it, not what about: not
        searched."""
        text = " ".join(text.split())  # as folding does: one space between words
        folded = fold(text)
        if len(folded) != len(text):
            return text
        spans = [m.span("verb") for m in self._owner_verb_re.finditer(folded)]
        for start, end in reversed(spans):
            text = text[:start] + " " * (end - start) + text[end:]
        return text

    @cached_property
    def _owner_verb_re(self) -> re.Pattern[str]:
        _pattern, kinds = _doc_ref_pattern()
        anchors = sorted({k for k, code in kinds.items() if code != "*" and " " in k} | set(self.lang.issuers)
                         | {"cua", "ubnd tinh", "ubnd thanh pho", "uy ban nhan dan tinh"}, key=len, reverse=True)
        verbs = sorted({" ".join(words(fold(r[0]))) for r in _data_lines("speaking_verbs.txt")}, key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in anchors) + r")(?:\s+\S+){0,6}?\s+(?P<verb>"
                          + "|".join(re.escape(v) for v in verbs) + r")(?=\s+\w)")

    def _joined_initialisms(self, text: str) -> str:
        """"Sở KH&CN" typed for "Sở KHCN": an initialism written with "&" whose letters joined are a
        short form of the field (lang/abbreviations.tsv) is read as that short form, so it finds
        the words it stands for (and "KH" in it is no chat "không")."""
        if "&" not in text:
            return text
        return _AMP_INITIALISM.sub(
            lambda m: m.group(1) + m.group(2) if fold(m.group(1) + m.group(2)) in self.lang.abbreviations
            else m.group(0), text)

    def _without_local_places(self, text: str) -> str:
        """`text` without the local places it names below the province (lang/local_units.txt:
        "ở huyện Kim Thành, Hải Dương cũ" → "ở , Hải Dương cũ"): a unit word and the capitalised
        name after it (or a number: "quận 1"), never a province's name ("thành phố Cần Thơ")."""
        units = list(_local_units_re().finditer(text))
        if not units:
            return text
        provinces = self.gazetteer.find(text)

        def in_province(start: int, end: int) -> bool:
            return any(s < end and start < e for _n, s, e in provinces)

        out: list[str] = []
        pos = 0
        for m in units:
            if m.start() < pos or in_province(m.start(), m.end()):
                continue
            end = m.end()
            taken = 0
            # The name: up to four capitalised words right after the unit, one space apart, or a
            # number of at most two digits ("quận 1", "phường 5").
            for w in _NEXT_WORD.finditer(text, m.end()):
                word = w.group(1)
                if w.start() != end or in_province(w.start(1), w.end(1)) or not (
                        word[0].isupper() or not taken and word.isdigit() and len(word) <= 2):
                    break
                end, taken = w.end(), taken + 1
                if taken == 4 or word.isdigit():
                    break
            if taken:
                out.append(text[pos:m.start()])
                pos = end
        out.append(text[pos:])
        return "".join(out)

    def _asked_part(self, text: str) -> str:
        """A question contrasting two places ("Thanh Hóa năm 2023 đặt 100% …; còn Quảng Ngãi …
        là bao nhiêu?", "PAPI của Cao Bằng xếp 51/63, còn của Cần Thơ xếp hạng mấy?") asks about
        the one after "còn": the first part keeps its topic words but not its place, its figures,
        nor its year when the asked part names one of its own."""
        m = _CONTRASTED.search(text)
        if m is None:
            return text
        premise, asked = text[:m.start()], text[m.end():]
        places = self.gazetteer.find(premise)
        if not places or not self.gazetteer.find(asked):
            return text
        for _name, start, end in sorted(places, key=lambda p: -p[1]):
            # The place's gap bounds words: typed without marks, "của | Cao Bằng | xếp" would
            # otherwise glue into the dictionary's "cửa xếp".
            premise = _PLACE_PREFIX.sub("", premise[:start]) + " , " + premise[end:]
        premise = _PREMISE_FIGURE.sub(" ", premise)
        if YEAR.search(asked):
            premise = YEAR.sub(" ", premise)
        sep = m.group(0).strip()[0]
        return " ".join(f"{premise} {sep if sep in ',;.' else ','} {asked}".split())

    def _in_word(self, folded: str, start: int, end: int) -> bool:
        """Is the one syllable folded[start:end] (a chat form typed without marks) part of a
        word the plans use with the syllable before or after it ("ha tang" is "hạ tầng", "rui
        ro" is "rủi ro", not "hả", "rồi"), or of a province name ("Ha Tinh", "Ha Giang")?"""
        syll = folded[start:end]
        if not syll.isalpha():
            return False
        before, after = _SYLL.findall(folded[:start])[-1:], _SYLL.findall(folded[end:])[:1]
        if any(self.vocab.get(w, 0) >= _IN_USE for w in (f"{before[0]}_{syll}" if before else "",
                                                          f"{syll}_{after[0]}" if after else "") if w):
            return True
        return any(s <= start and end <= e for _n, s, e in self.gazetteer.find(folded))

    def _doc_refs(self, text: str) -> tuple[str, DocRefs]:
        """`text` without its references to held documents, and what they (and references to
        documents not held) name. A short kind word that is also chat ("kh" = "không") is a
        reference only with the number of a held document of that kind; a number no held
        document has counts as missing only when named with its kind, and no clause cites it
        (a plan's clauses cite other documents: "Nghị quyết số 14-NQ/TU")."""
        pattern, kinds = _doc_ref_pattern()
        folded = fold(text)
        if len(folded) != len(text):  # positions would not map back: leave it to _parse
            return text, DocRefs()
        held: list[str] = []
        years: list[int] = []
        missing: list[str] = []
        spans: list[tuple[int, int]] = []
        for m in pattern.finditer(folded):
            word, digits, year, codes = m.group(1), m.group(2), m.group(3), m.group(4)
            if not word and not codes:
                continue
            word_kind = kinds.get(" ".join(word.split())) if word else None
            kind = number_kind(f"{digits}/{codes}") if codes else (word_kind or "*")
            known = self.known_numbers.get(digits) if isinstance(self.known_numbers, Mapping) else (
                frozenset({kind}) if digits in self.known_numbers else None)
            # Without its codes, a kind word ("kh 308", "Decision 4750", "kế hoạch 308") counts
            # only with the number of a held document of that kind ("kh 12" is chat, not
            # directive 12/CT); a word of any kind ("số 12") is left to _parse as before.
            if known is not None and (codes or word_kind not in (None, "*") and kind in known):
                held.append(digits)
                if year:
                    years.append(int(year))
                spans.append(m.span())
            elif kind != "*" and (known is None or kind not in known) and (
                    codes or _NUMBER_SAID.search(m.group(0)) or len(digits) >= 3 and not YEAR.fullmatch(digits)) \
                    and not self._cited(digits, kind):
                # ("kế hoạch 2021-2025" names the plan's years, not a plan numbered 2021.)
                # Named with its kind ("qd 1234/qđ-ubnd", "cv số 12"): a document the bot does not
                # hold, though a document of another kind may have the number (directive 12/CT).
                missing.append(text[m.start(2):m.end()].strip() if codes else f"{digits}/{kind.upper()}")
        for start, end in reversed(spans):
            text = text[:start] + " " + text[end:]
        if spans:
            # One space between words, none around: what folding does (standardize_chat relies on it).
            text = " ".join(text.split())
        return text, DocRefs(tuple(dict.fromkeys(held)), tuple(years), tuple(dict.fromkeys(missing)))

    def _cited(self, digits: str, kind: str) -> bool:
        """Does a clause cite a document of this number and kind (see __init__)?"""
        spellings = dict.fromkeys((digits, digits.zfill(2), digits.zfill(3)))  # "05/NQ-TU", "012/CT-UBND"
        if self.cites is None:
            return any(d in self.vocab for d in spellings)
        return any(self.cites(d, kind) for d in spellings)

    # One pass over the question's words, filters first; splitting it would scatter what each step removed.
    def _parse(self, text: str, search_text: str, lang_code: str,  # noqa: C901
               untranslated: frozenset[str] = frozenset(), senses: Mapping[str, tuple[str, ...]] | None = None,
               naming: frozenset[str] = frozenset(), refs: DocRefs | None = None,
               owned: bool = False) -> Query:
        analyzer = self.analyzer
        refs = refs or DocRefs()
        search_text = _MONTH_YEAR.sub(r"năm \1", search_text)
        # "quý III" = "quý 3": one spelling in the question, both searched (see below).
        search_text = _ROMAN_PERIOD.sub(lambda m: f"{m.group(1)} {_ROMAN[m.group(2).upper()]}", search_text)
        search_text = ordinals_as_numbers(search_text)
        folded = fold(search_text)
        provinces: list[str] = []
        currents: list[str] = []
        spans: list[tuple[int, int]] = []
        places = _places(search_text, analyzer, self.gazetteer)
        folded_text = folded
        old_marked = {name for name, _s, end in places if _OLD_AFTER.match(fold(search_text[end:end + 6]))}

        def explains(name: str) -> bool:
            """"Kon Tum (nay thuộc Quảng Ngãi)": a receiving province named only right after a
            province merged into it explains that name; named anywhere else, or marked old
            ("Quảng Ngãi cũ (trước khi nhập Kon Tum)"), it is the subject."""
            if name in old_marked:
                return False
            spots = [st for n, st, _e in places if n == name]
            if len(_name_spots(folded_text, name)) > len(spots):
                return False  # named again elsewhere ("Đắk Nông giờ thuộc Lâm Đồng: Lâm Đồng năm 2021 …")
            olds = [e for n, _st, e in places if n != name and self.gazetteer.current(n) == name]
            starts = [st for _n, st, _e in places]

            def right_after(st: int) -> bool:
                # Within a few words of an old name, with no other place name between them.
                return any(0 <= st - e <= _EXPLAIN_GAP and not any(e <= o < st for o in starts) for e in olds)

            return bool(olds) and all(right_after(st) for st in spots)

        # Old provinces the question says merged, by a merger phrase right after the name or by
        # naming where it went: "Kon Tum (nay thuộc Quảng Ngãi)", "Ở Đắk Nông cũ", "X giờ theo Y".
        merged: list[str] = []
        for name, _start, end in places:
            current = self.gazetteer.current(name)
            if not current or current == name or name in merged:
                continue
            named_where = any(n == current for n, _s, _e in places)
            if self.lang.merged_re.match(fold(search_text[end:end + 40])) or named_where and explains(current):
                merged.append(name)
        for name, start, end in places:
            if name not in provinces and not explains(name):
                provinces.append(name)
                current = self.gazetteer.current(name) or name
                if current not in currents:
                    currents.append(current)
            spans.append((start, end))
        # Remove place names (and their "tỉnh"/"thành phố" prefix) before reading words, so
        # "Hà Nội" does not search for "nội".
        kept = search_text
        for start, end in sorted(spans, reverse=True):
            head = _PLACE_PREFIX.sub("", kept[:start])
            kept = head + " " + kept[end:]
        kept = self._without_owner_verbs(kept)
        kept_folded = fold(kept)
        # The premise's figures ("được 75 điểm thì"): the same reading as the figures searched, below.
        values = {f.term for f in stated_figures(kept_folded) if f.premise}
        numbers: list[str] = list(refs.numbers)
        number_parts: set[str] = set()
        _pattern, kinds = _doc_ref_pattern()
        for m in _DOC_REF.finditer(kept_folded):
            num, codes = m.group(1) or m.group(4), m.group(2) or m.group(5)
            # Of the kind named, when one is: "nghị quyết 12" is no reference to directive 12/CT.
            word = m.group("word") or ""
            if word == "so":
                before = kept_folded[:m.start()].split()[-2:]  # "cv số 12", "công văn số 12"
                word = next((w for w in (" ".join(before), before[-1] if before else "") if w in kinds), word)
            kind = number_kind(f"{num}/{codes}") if codes else kinds.get(word, "*")
            held = self.known_numbers.get(num.lstrip("0")) if isinstance(self.known_numbers, Mapping) else None
            if held is not None and kind not in ("*", "") and kind not in held:
                continue
            if num and num.lstrip("0") in self.known_numbers and num.lstrip("0") not in numbers:
                numbers.append(num.lstrip("0"))
            if num and num.lstrip("0") in self.known_numbers and codes:
                # "308/KH-UBND", "công điện 220/CĐ-TTg": the type and issuer codes name the
                # document, not a topic.
                number_parts.update(words(codes))
        cited = [(m.group(1), m.group(2)) for m in _NUMBER_KIND.finditer(kept_folded)
                 if m.group(1) not in numbers and not m.group(2).isdigit()]
        cited += [(m.group(4).lstrip("0") or "0", kinds[m.group("word")]) for m in _DOC_REF.finditer(kept_folded)
                  if m.group(4) and not m.group(5) and kinds.get(m.group("word") or "", "*") != "*"
                  and m.group(4).lstrip("0") not in numbers]
        years = sorted({int(y) for y in YEAR.findall(kept_folded)} | set(refs.years))
        # Intent phrases are read without the place names: "Bắc Ninh" folds to "bac ninh", and
        # "bậc" asks for a ranking.
        asked = kept_folded
        english = _EN_POSSESSIVE.sub("", text.lower()) if lang_code == "en" else ""

        def wants(name: str, pattern: re.Pattern[str]) -> bool:
            m = pattern.search(asked)
            # A phrase inside a word is not asked, but another may start within it ("nhà đất
            # bao nhiêu": "đạt bao" is not asked, "bao nhiêu" is).
            while m and self._ends_word(kept, asked, m.start()):
                m = pattern.search(asked, m.start() + 1)
            return bool(m) or bool(english) and bool(_EN_INTENTS.get(name, _NEVER).search(english))

        # Two places named with a comparative ("giữa A và B, tỉnh nào … thấp hơn"): which of them.
        compared = len(provinces) >= 2 and (bool(_COMPARES.search(asked)) or bool(english) and bool(
            _EN_INTENTS.get("compare", _NEVER).search(english)))
        intent = Intent(
            figure=wants("figure", _WANTS_FIGURE), ranking=wants("ranking", _WANTS_RANKING),
            yes_no=bool(_WANTS_YESNO.search(asked)), signer=wants("signer", _WANTS_SIGNER),
            date=wants("date", _WANTS_DATE), number=wants("number", _WANTS_NUMBER),
            agency=wants("agency", _WANTS_AGENCY),
            issued=wants("date", _WANTS_DATE) and wants("issued", _ISSUED),
            deadline=wants("deadline", _WANTS_DEADLINE),
            effective=wants("date", _WANTS_DATE) and wants("effective", _WANTS_EFFECTIVE),
            target=wants("target", _WANTS_TARGET), result=wants("result", _WANTS_RESULT),
            basis=wants("basis", _WANTS_BASIS),
            extreme=wants("extreme", _WANTS_EXTREME) and wants("which", _WANTS_WHICH) or compared,
            period=wants("period", _WANTS_PERIOD), year=wants("year", _WANTS_YEAR),
            actor=wants("actor", _WANTS_ACTOR) and not _AI_TECH.search(text),
            listing=wants("listing", _WANTS_LISTING),
            exists=bool(_WANTS_EXISTS.search(asked)) or bool(english) and bool(_EN_EXISTS.search(english)),
            purpose=wants("purpose", _WANTS_PURPOSE),
        )
        issuers, owners, owner_names, addressees = self._issuers(folded, owned, english=lang_code == "en")
        sylls = analyzer.syllables(kept)
        as_typed = analyzer.typed(kept)
        if len(as_typed) != len(sylls):
            as_typed = sylls
        keep = [i for i, s in enumerate(sylls) if not YEAR.fullmatch(s) and s.lstrip("0") not in numbers
                and s.rstrip("%") not in values
                and s not in number_parts and not _numbering(sylls, as_typed, i)]
        terms = [sylls[i] for i in keep]
        typed = [as_typed[i] for i in keep]
        breaks = _breaks(analyzer.syllables, kept, keep, len(sylls))
        kept_words = words(normalize(kept))
        typed_words = [w for w in kept_words if _fold_word(w) != w]
        typed_accented = {_fold_word(w) for w in typed_words}
        accented = ([w for w in kept_words if _fold_word(w) not in STOPWORDS and not w.isdigit()]
                    if typed_words else [])
        unmarked = ([w for w in kept_words if w not in STOPWORDS and not w.isdigit()]
                    if lang_code == "vi" and not has_diacritics(text) else [])
        # An English word we could not translate is not a misspelt Vietnamese syllable.
        fixed = self._corrected(terms, typed, typed_accented, untranslated)
        typed = self._retoned(fixed, typed, terms)
        # Whether the user typed marks is read from the Vietnamese question itself: a chat form or
        # an English word replaced by the plans' word ("online" → "trực tuyến") brings marks of its
        # own. (An English question's translation is the glossary's, with marks.)
        spans_ = _copula_split(self._spans(fixed, typed, unmarked=lang_code == "vi" and not has_diacritics(text),
                                           breaks=breaks if len(fixed) == len(terms) else frozenset()),
                               typed)
        forms: dict[str, str] = {}
        for u, a, b in spans_:
            form = " ".join(typed[a:b]).replace("_", " ")
            # An initialism ("CĐS", "ĐKKD") has no vowel to carry a tone: its "đ" is a letter,
            # and the clause matching it spells the phrase out ("chuyển đổi số").
            if _fold_word(form) != form and _VOWEL.search(u):
                forms[u] = form
        units, alternatives = self._thesaurus([u for u, _, _ in spans_], senses or {},
                                              [" ".join(typed[a:b]) for _, a, b in spans_],
                                              segmented=lang_code == "vi" and not has_diacritics(text))
        for u in units:
            if u.isdigit() and u not in alternatives:
                # "6 tháng" = "06 tháng", "04 bậc" = "4 bậc": plans pad small numbers.
                bare = u.lstrip("0") or "0"
                spellings = [(u,), (bare,), (bare.zfill(2),)]
                if bare in _ARABIC:
                    spellings.append((_ARABIC[bare],))  # plans write "quý III", "Phần II"
                alternatives[u] = tuple(dict.fromkeys(spellings))
            elif u.replace("_", " ") in self.lang.issuers and u not in alternatives:
                # "Thủ tướng": a document the issuer signed names it by its code ("468/QĐ-TTg").
                alternatives[u] = ((u,), tuple(words(self.lang.issuers[u.replace("_", " ")])))
            elif "_" in u and u not in alternatives and not self.vocab.get(u):
                longer = self._longer_words(u, forms.get(u, ""))
                if longer:
                    alternatives[u] = ((u,), *((w,) for w in longer))
        asking = frozenset(w for m in _ASKING.finditer(folded) for w in m.group(0).split())
        # Comparing the places named, "tỉnh nào" is which of them: the comparison's words ask,
        # and the clause naming the places with their figures answers.
        if compared:
            asking |= {w for pattern in (_COMPARES, _BETWEEN, _WANTS_WHICH) for m in pattern.finditer(asked)
                       for w in m.group(0).split()}
            if english:  # its words the glossary leaves untranslated ("lower", "between")
                asking |= {w for name in ("compare", "between") for m in _EN_INTENTS.get(name, _NEVER).finditer(english)
                           for w in m.group(0).split()}
        drop = intent.words | self.lang.fillers | QUESTION_WORDS | (self.lang.merger if provinces else frozenset())
        def function_word(u: str) -> bool:
            """A unit made only of function words ("do ai", "thì có", "việc gì" segmented as one)."""
            if u in STOPWORDS and u not in drop and forms.get(u) and forms[u] not in _stopword_forms():
                return False  # typed "vé", "vẽ": not the "về" of stopwords.txt (lang/stopword_forms.txt)
            if u in self.lang.fillers and forms.get(u) and u not in STOPWORDS and u not in drop - self.lang.fillers \
                    and other_marks(_filler_marks(), u.replace("_", " "), forms[u]):
                return False  # typed "đủ", "máy": not the listed filler "dữ", "mấy"
            if u in drop or u in STOPWORDS or all(p in asking for p in u.split("_")):
                return True
            if u in _field_units():
                return False  # "một cửa": a word of the field, though its syllables fold like "một của"
            if "_" in u and len(alternatives.get(u, ())) > 1:
                # A thesaurus phrase is content when the plans' words for it are ("nửa năm" is
                # "06 tháng"), whatever its own syllables; "ai ký" ("người ký") only asks. One
                # with no other spelling ("hàng tháng" → "hằng tháng" folds to itself) is read
                # as any word.
                def plain(x: str) -> bool:
                    return x in drop or x in STOPWORDS or "_" in x and all(p in drop or p in STOPWORDS
                                                                         for p in x.split("_"))
                # Its own words are among the plans' ("trí tuệ nhân tạo" | "AI", which folds like
                # "ai", who): content unless they too only ask.
                phrase = u.replace("_", " ")
                if phrase in self.lang.thesaurus.get(phrase, ()) and not all(plain(x) for x in alternatives[u][0]):
                    return False
                return all(all(plain(x) for x in alt) for alt in alternatives[u][1:])
            # Typed with accents and a real word ("đèn đỏ"), it is content even if it folds
            # like function words ("đến đó").
            form = forms.get(u)
            if form and tuple(words(form)) in analyzer.accented:
                return False
            if not form and ("_" in u and self.vocab.get(u, 0) >= _IN_USE
                             or _WORD_IN_PLANS <= self.vocab.get(u, 0) < self._common_df):
                # Typed without marks, a word the plans use as one ("hieu luc", "co hoi", "so
                # lieu", "ho so", "toi da") is content, though its syllables fold like "hiểu",
                # "lúc", "cỡ", "hỏi" (branches para2 and reading, merged).
                return False
            return "_" in u and all(function_word(p) for p in u.split("_"))

        spread = filler_runs(units, self.lang.fillers, _typed_units(units, spans_, typed)
                             or [forms.get(u, u) for u in units])
        content = list(dict.fromkeys(u for i, u in enumerate(units) if i not in spread and not function_word(u)))
        kept_units = set(content)
        in_order = [u for u in units if u in kept_units]
        if (provinces or years) and content and not any(vars(intent).values()):
            # "PAPI Cao Bằng 2024?": an index, a place or a year and nothing else asks its figure.
            rest_words = " ".join(w for w in words(kept_folded) if w not in _BESIDE_NAME and not w.isdigit())
            if _names_an_index(" ".join(content).replace("_", " ")) or _names_an_index(rest_words):
                intent = replace(intent, figure=True)
        agencies = agencies_named(folded)
        agency_words = {w for n in agencies for w in words(fold(n))}
        # A question that is only one very common unit ("1", "số") asks nothing the plans can answer.
        reduced = bool(content) and len(content) == 1 and not provinces and not numbers and \
            self._common(content[0])
        # A phrase asking for a slot is searched by the plans' words for it only: its own words
        # ("lấy", "từ", "đâu") are the asking, and a clause holding some of them states no slot.
        slots = frozenset(u for u in content if "_" in u and u.replace("_", " ") in self.lang.slots
                          and len(alternatives.get(u, ())) > 1)
        for u in slots:
            alternatives[u] = alternatives[u][1:]
        return Query(
            text=text, folded=folded, language=lang_code, terms=tuple(content),
            alternatives={k: v for k, v in alternatives.items() if k in content}, forms=forms,
            accented=tuple(accented), unmarked=tuple(unmarked),
            provinces=tuple(provinces), currents=tuple(currents), years=tuple(years),
            merged=tuple(m for m in merged if m in provinces),
            doc_numbers=tuple(numbers), missing_numbers=() if numbers else refs.missing,
            issuers=issuers, owners=owners, owner_names=owner_names,
            subject_issuers=self._subject_issuers(issuers, (*owners, *addressees)),
            intent=intent, reduced=reduced, untranslated=frozenset(u for u in content if u in untranslated),
            naming=frozenset(u for u in content if naming and all(p in naming for p in u.split("_"))),
            figure_units=self._figure_units(folded, intent),
            contrasts=_contrasts(folded, intent, numbers, english=lang_code == "en"),
            cited=tuple(dict.fromkeys(cited)),
            items=items_asked(kept_folded),
            general=frozenset(u for u in content if self._general(u)),
            subjects=_subjects(content, text, units if lang_code == "vi" and not has_diacritics(text) else (),
                               lambda u: self.vocab.get(u, 0) < _IN_USE),
            figures=tuple(f for f in stated_figures(kept_folded, content) if f.premise or f.term not in values),
            slots=slots,
            owner_terms=self._owner_terms(content, owners),
            agencies=agencies,
            agency_terms=frozenset(u for u in content if agencies and all(
                p in agency_words for p in u.split("_"))),
            pairs=tuple(dict.fromkeys((a, b) for a, b in zip(in_order, in_order[1:], strict=False) if a != b)),
        )

    def _ends_word(self, kept: str, folded: str, start: int) -> bool:
        """Does the syllable at `start` of the folded question end a dictionary word with the one
        before it, as typed with its marks? Then a question phrase starting there is not asked:
        "chỉ số nào" (which index), folded "chi so nao", holds no "sở nào" (which department);
        "có số hiệu", "xây dựng mục tiêu", "đất bao nhiêu" still ask (the phrase's own word first,
        or none with the one before). Typed without marks, the folded syllables are read as the
        unmarked reading reads them: a dictionary word the plans use ("chi so nao" holds "chỉ
        số"), unless the phrase's own first two syllables are one ("dat bao nhieu")."""
        if len(kept) != len(folded):
            return False
        if not has_diacritics(kept):
            return self._ends_unmarked_word(folded, start)
        before = kept[:start].split()
        after = kept[start:].split()
        if not before or not after or not before[-1].isalpha() or fold(before[-1]) in STOPWORDS:
            return False  # a mark between them ("hồ sơ, kết quả") parts them; "thì phải" is no word
        listed = self.analyzer.accented
        if len(after) > 1 and tuple(words(normalize(f"{after[0]} {after[1]}"))) in listed:
            return False  # the phrase's own word ("bao nhiêu", "số hiệu") is read first
        return tuple(words(normalize(f"{before[-1]} {after[0]}"))) in listed

    def _ends_unmarked_word(self, folded: str, start: int) -> bool:
        """`_ends_word` for a question typed without marks: the syllable before and the one at
        `start` are a dictionary word the plans use, the phrase's own first two are none."""
        before, after = folded[:start].split(), folded[start:].split()
        if not before or not after or not before[-1].isalpha() or before[-1] in STOPWORDS:
            return False
        compounds = self.analyzer.compounds
        if len(after) > 1 and (after[0], after[1].strip(",.;:?!")) in compounds:
            return False
        pair = (before[-1], after[0])
        return pair in compounds and self.vocab.get("_".join(pair), 0) >= _IN_USE

    def _owner_terms(self, content: Sequence[str], owners: tuple[str, ...]) -> frozenset[str]:
        """The terms made only of syllables of the owners' names, as `issuers.tsv` writes them."""
        if not owners:
            return frozenset()
        sylls = {p for name, code in self.lang.issuers.items() if code in owners for p in name.split()}
        return frozenset(u for u in content if all(p in sylls for p in u.split("_")))

    def _general(self, unit: str) -> bool:
        """Is a content unit everyday language, no topic of the plans? Listed (lang/general*.txt),
        no letters, or a phrase of listed syllables the plans do not use as a word ("đi học" read
        through the thesaurus: "đi" and "học" are everyday words, "đi học" no plan word)."""
        if unit in general_words() or not any(ch.isalpha() for ch in unit):
            return True
        parts = unit.split("_")
        return len(parts) > 1 and all(p in general_words() for p in parts) and self.vocab.get(unit, 0) < _WORD_IN_PLANS

    def _subject_issuers(self, issuers: tuple[str, ...], owners: tuple[str, ...]) -> tuple[str, ...]:
        """How the plans write the issuers a question names that own no document it asks about
        ("what must the Ministry of Justice fix" → "bộ tư pháp"), normalized, longest first, and
        their codes as a document number holds them ("-ttg" of "468/qđ-ttg")."""
        codes = set(issuers) - set(owners)
        if not codes:
            return ()
        names = {normalize(self.lang.issuer_names[n]) for n, code in self.lang.issuers.items() if code in codes}
        return (*sorted(names, key=len, reverse=True), *(f"-{code}" for code in sorted(codes)))

    def _issuers(self, folded: str, owned: bool = False, english: bool = False,
                 ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Central issuers the question names, and those it names as the document's owner:
        after "của"/"do"/"theo", opening the question with what a plan's owner does
        (lang/owner_verbs.txt), or, `owned`, the first one named in an English question that
        says "its plan" / "the Ministry's plan". "Chính phủ số" is a programme. Last, those it
        names only as whom something is sent to ("báo cáo Thủ tướng", lang/addressing.txt)."""
        table = self.lang.issuers
        text = folded.replace(",", "")
        found: list[str] = []
        owners: list[str] = []
        names: list[str] = []
        acting: set[str] = set()
        for m in self.lang.issuers_re.finditer(text):
            if re.match(r"\s+(?:so|dien tu)\b", text[m.end():]):
                continue
            code = table[m.group(0)]
            found.append(code)
            if not addressed(text[:m.start()], folded=True):
                acting.add(code)
            # The owner is the first issuer named: "Bộ Xây dựng … quyết định nào của Thủ tướng"
            # cites the Prime Minister's decision in the ministry's plan.
            # "Bộ Công Thương năm 2025 đặt chỉ tiêu …": the year it plans for comes between.
            rest = text[m.end():] if english else _WHEN_AFTER.sub("", text[m.end():], count=1)
            after = (_OWNER_AFTER_EN if english else _OWNER_AFTER).match(rest)
            if not found[:-1] and (_OWNER_BEFORE.search(text[:m.start()]) or after
                                   or not text[:m.start()].strip() and _owner_verbs().match(rest)
                                   or owned):
                owners.append(code)
                names.append(self.lang.issuer_names.get(m.group(0), m.group(0)))
        to = tuple(c for c in dict.fromkeys(found) if c not in acting)
        return tuple(dict.fromkeys(found)), tuple(dict.fromkeys(owners)), tuple(dict.fromkeys(names)), to

    def _figure_units(self, folded: str, intent: Intent) -> tuple[str, ...]:
        """The units of the figure a question asks for ("đạt bao nhiêu điểm" → "điểm")."""
        if not (intent.figure or _ASKS_AMOUNT.search(folded)):
            return ()
        units = [u for m in self.lang.figure_re.finditer(folded) for u in self.lang.figure_units[m.group(0)]]
        return tuple(dict.fromkeys(units))

    def _common(self, unit: str) -> bool:
        """A unit found in a large share of clauses, or a bare number/fraction."""
        if not any(c.isalpha() for c in unit):
            return True
        total = max(self.vocab.values(), default=1)
        return self.vocab.get(unit, 0) >= total * 0.05

    def _corrected(self, terms: list[str], typed: list[str], typed_accented: set[str],
                   untranslated: frozenset[str] = frozenset()) -> list[str]:
        """Misspelt syllables fixed against the index vocabulary (`typed` is fixed alongside)."""
        fixed = list(terms)
        words_ = self.analyzer.compounds
        vocab = self.vocab

        def joins(i: int, word: str) -> bool:
            """Does `word` at position i make a word the plans use with a neighbour?"""
            grams: list[tuple[str, ...]] = []
            if i:
                grams.append((fixed[i - 1], word))
            if i + 1 < len(fixed):
                grams.append((word, fixed[i + 1]))
            if i > 1:
                grams.append((fixed[i - 2], fixed[i - 1], word))
            if i + 2 < len(fixed):
                grams.append((word, fixed[i + 1], fixed[i + 2]))
            return any(g in words_ and "_".join(g) in vocab for g in grams)

        def in_phrase(i: int) -> bool:
            """Is the syllable at i part of a thesaurus phrase as typed ("kêu ca" is no misspelt
            "kể cả": the phrase is how people say it)?"""
            return any(" ".join(fixed[a:b]) in table for a in range(max(0, i - 3), i + 1)
                       for b in range(max(i + 1, a + 2), min(len(fixed), a + 4) + 1))

        table = self.lang.thesaurus
        for i, t in enumerate(fixed):
            if t in vocab and t in self.analyzer.known_syllables or not t.isalpha() or joins(i, t):
                continue
            if t in self.lang.fillers or t in STOPWORDS or any(t in ws for ws in INTENT_WORDS.values()):
                continue
            if t in untranslated or t in self.lang.abbreviations or in_phrase(i):
                continue
            options = self._corrections(t)
            in_word = [o for o in options if joins(i, o)]
            if in_word:
                # "truc tyen" → "truc tuyen", "hanh chin" → "hanh chinh": a fix that makes a word.
                fixed[i] = typed[i] = in_word[0]
            elif (options and t not in vocab and len(t) >= 4 and t not in typed_accented
                  and t not in self.analyzer.known_syllables):
                # Otherwise only misspellings are fixed: words typed with accents are taken as
                # meant, and so is any real syllable ("lịch", "cước" are not typos of "dịch",
                # "nước"); short ones have too many neighbours.
                fixed[i] = typed[i] = options[0]
        return fixed

    def _retoned(self, sylls: list[str], typed: list[str], before: Sequence[str] = ()) -> list[str]:
        """`typed` with slips of marks inside the plans' words repaired: typed with marks, a run
        of syllables is read as a word only in the word's own marks, so "chuyễn đổi số", "bồi
        dưởng", "thủ tuc", "kết qủa" or a syllable the typo stage fixed ("trực tuyếm" → "tuyen")
        stayed loose syllables. A run of up to four syllables whose folded form is a word the plans
        use is read as that word when each syllable is typed with its marks or without marks (then
        as the folded word), or one with another tone on the same letters (then in the marks of
        the word keeping most syllables as typed; none when two keep as many). `before`: the
        syllables before the typo stage; a run holding one it changed is read only without
        another slip, and not at all when the change replaced a real syllable ("dân nấu" is
        no "dẫn đầu")."""
        if not any(_fold_word(t) != t for t in typed):
            return typed
        if self._toned is None:
            # Built on the first question typed with marks (part of a cold `bot.py ask`): each of
            # the dictionary's ~6,000 syllables folded once (they are normalized: the fold table
            # alone), and the word's folded key made only for the ~1,400 words the plans use.
            sylls_ = list({s for word in self.analyzer.accented for s in word})
            folded = dict(zip(sylls_, _fold_normalized_many(sylls_), strict=True)).__getitem__
            toned: dict[str, list[tuple[str, ...]]] = {}
            for word in self.analyzer.accented:
                if len(word) >= 2 and self.vocab.get("_".join(map(folded, word))):
                    toned.setdefault(" ".join(map(folded, word)), []).append(word)
            self._toned = {k: tuple(v) for k, v in toned.items()}
        known = self.analyzer.accented
        out = list(typed)
        i, n = 0, len(sylls)
        while i < n:
            step = 1
            for j in range(min(n, i + 4), i + 1, -1):
                words_ = self._toned.get(" ".join(sylls[i:j]))
                got = out[i:j]
                if not words_ or all(_fold_word(t) == t for t in got):
                    continue
                if tuple(got) in known:
                    step = j - i  # typed right: a word as it is
                    break
                fixed = [b for a, b in zip(sylls[i:j], before[i:j], strict=False) if a != b]
                if any(b in self.analyzer.known_syllables for b in fixed):
                    continue
                slips = {w: _slips(got, w) for w in words_}
                if 0 in slips.values():
                    # Only syllables typed without marks differ: read as the folded word.
                    out[i:j] = sylls[i:j]
                else:
                    # One tone slipped: the word keeping most syllables as typed, if only one does.
                    fits = sorted(((sum(map(str.__eq__, got, w)), w) for w, k in slips.items() if k == 1), reverse=True)
                    if fixed or not fits or len(fits) > 1 and fits[0][0] == fits[1][0]:
                        continue
                    out[i:j] = fits[0][1]
                step = j - i
                break
            i += step
        return out

    def _longer_words(self, unit: str, form: str = "") -> tuple[str, ...]:
        """The plans' words a question's word stands inside ("trung bình" in "trung bình quân",
        "không dùng" in "không dùng tiền mặt"), for a word the plans never use as it is: their
        segmenter joined it to its neighbours, and the clause holds it only as that longer word.
        Typed with marks (`form`), only a longer word with the same marks ("không đúng" is not
        inside "không dùng tiền mặt"). Most used first, at most `_LONGER_MAX`."""
        if self._inside is None:
            inside: dict[str, list[str]] = {}
            marked: dict[str, set[str]] = {}
            for word in self.analyzer.accented:
                key = "_".join(map(_fold_word, word))
                if len(word) >= 3 and self.vocab.get(key):
                    marked.setdefault(key, set()).add(" ".join(word))
            for key in marked:
                sylls = key.split("_")
                for a in range(len(sylls)):
                    for b in range(a + 2, len(sylls) + 1):
                        if b - a < len(sylls):
                            inside.setdefault("_".join(sylls[a:b]), []).append(key)
            self._inside = {k: tuple(sorted(set(v), key=lambda w: -self.vocab.get(w, 0))) for k, v in inside.items()}
            self._inside_marked = marked
        found = self._inside.get(unit, ())
        typed = " ".join(words(form)) if form and has_diacritics(form) else ""
        if typed:
            found = tuple(w for w in found if any(f" {typed} " in f" {m} " for m in self._inside_marked[w]))
        return found[:_LONGER_MAX]

    def _corrections(self, term: str) -> list[str]:
        """`ranker.corrections` of a folded syllable against this index's vocabulary, remembered."""
        found = self._fixes.get(term)
        if found is None:
            if len(self._fixes) >= _FIXES_MAX:
                self._fixes.clear()
            found = self._fixes[term] = tuple(ranker.corrections(term, self.vocab, by_length=self.by_length))
        return list(found)

    def _spans(self, sylls: list[str], typed: list[str], unmarked: bool = False,
               breaks: frozenset[int] = frozenset()) -> list[tuple[str, int, int]]:
        """The question's words. Typed with marks, the greedy longest match is unambiguous; typed
        without, syllables fold into several readings ("nguoi dan dung hen": "người dân đúng
        hẹn", or "người | dân dụng | hẹn"), and the left-to-right match picks whichever word comes
        first. Then the reading whose words the plans use most wins (each word, or thesaurus
        phrase, scores the log of its clause count, times the syllables it joins beyond the
        first), the fewer words breaking ties; single syllables score nothing. A question typed
        partly with marks ("cho em hỏi ke hoach … tai cong van so may ạ") is read so stretch by
        stretch: each run of three or more syllables typed without marks that no marked word
        reaches into. `breaks`: positions no unmarked word spans (see _breaks)."""
        marked = [_fold_word(t) != t for t in typed]
        if len(sylls) < 3:
            return self.analyzer.spans(sylls, typed)
        if unmarked or not any(marked):
            return self._unmarked_spans(sylls, breaks)
        greedy = self.analyzer.spans(sylls, typed)
        if all(marked):
            return greedy
        starts = {a for _u, a, _b in greedy} | {len(sylls)}
        out: list[tuple[str, int, int]] = []
        i = 0
        for u, a, b in greedy:
            if a < i:
                continue  # inside a run read already
            j = a
            while j < len(sylls) and not marked[j]:
                j += 1
            if j - a >= 3 and (a == 0 or marked[a - 1]) and j in starts:
                inner = frozenset(e - a for e in breaks if a < e < j)
                out.extend((w, a + x, a + y) for w, x, y in self._unmarked_spans(sylls[a:j], inner))
                i = j
            else:
                out.append((u, a, b))
                i = b
        return out

    def _unmarked_spans(self, sylls: list[str], breaks: frozenset[int] = frozenset(),
                        phrases: bool = True) -> list[tuple[str, int, int]]:
        """`_spans` for syllables typed without marks: the reading the plans use most, no word
        spanning one of `breaks`; `phrases` False: dictionary words only, every one a word (a
        phrase's own wording, see _plain_units)."""
        if len(sylls) < 3:
            return self.analyzer.spans(sylls)
        n = len(sylls)
        compounds = self.analyzer.compounds
        table: Mapping[str, tuple[str, ...]] = self.lang.thesaurus if phrases else {}
        longest = max(self.analyzer.max_len, 4)
        # A known name's edges are word edges: no word reaches into it from outside.
        names = _known_names()
        edges = {e for i, syl in enumerate(sylls) for name in names.get(syl, ())
                 if tuple(sylls[i:i + len(name)]) == name for e in (i, i + len(name))} | breaks
        best: list[tuple[float, int, int]] = [(0.0, 0, 0)] * (n + 1)  # (score, -units, start of last word)
        # The most syllables a word or thesaurus phrase starting at each syllable has: longer
        # grams are neither, so they are not made (issue 14: most starts begin no word).
        reach = [max(self.analyzer._longest.get(syl, 1), self._phrase_reach.get(syl, 1)) for syl in sylls]
        for end in range(1, n + 1):
            options = []
            for size in range(1, min(longest, end) + 1):
                start = end - size
                if size > 1 and (size > reach[start] or edges and any(start < e < end for e in edges)):
                    continue
                gram = tuple(sylls[start:end])
                gain = 0.0
                if size > 1:
                    phrase = " ".join(gram)
                    # A thesaurus phrase ("nguoi dan", "dung hen"): as common as its plan words, unless
                    # it ends inside a word ("bao nhieu phan | tram" cuts "phần trăm"). A phrase the
                    # plans write as such is a plan word itself: only a word the plans use cuts it
                    # ("nguoi dan | duoc" is no "người | dân dược", "nguoi dung dau | so" no "đầu số").
                    # So does one starting inside a word ("chi | so nao" cuts "chỉ số"), unless the
                    # syllable before is a function word.
                    if phrase in table and (end == n or not self._cuts(phrase, sylls[end - 1], sylls[end])) and (
                            start == 0 or sylls[start - 1] in STOPWORDS
                            or not self._cuts(phrase, sylls[start - 1], sylls[start])):
                        gain = (size - 1) * self._usage(table[phrase])
                    elif gram in compounds:
                        used = self.vocab.get("_".join(gram), 0)
                        # A dictionary word the plans never use, of syllables folding like function
                        # words and syllables the plans use alone in many clauses, is read as its
                        # syllables: typed without marks "thi bo", "de dan", "o moi" are "thì bộ",
                        # "để dân", "ở mọi" far more often than the dictionary's rare words. One
                        # whose other syllable is rare alone stays a word ("can cuoc", "xe may",
                        # "phan tram"): an everyday question still lacks it.
                        if phrases and not used and self._function_like(gram):
                            continue
                        gain = (size - 1) * math.log1p(used)
                    else:
                        continue
                prev = best[start]
                options.append((prev[0] + gain, prev[1] - 1, start))
            best[end] = max(options)
        out: list[tuple[str, int, int]] = []
        end = n
        while end > 0:
            start = best[end][2]
            out.append(("_".join(sylls[start:end]), start, end))
            end = start
        return out[::-1]

    def _plain_units(self, unit: str) -> tuple[str, ...]:
        """A unit as the plans' clauses hold it. Typed without marks, a thesaurus phrase is read
        as one unit ("co_hieu_luc", see _unmarked_spans), a word no clause holds: its own
        alternative is then its syllables as the clauses segment them ("co", "hieu_luc"), as the
        marked question's is ("có", "hiệu_lực")."""
        sylls = unit.split("_")
        if len(sylls) < 2 or " ".join(sylls) not in self.lang.thesaurus or self.vocab.get(unit, 0):
            return (unit,)
        found = self._plain_of.get(unit)  # bounded by the thesaurus
        if found is None:
            found = self._plain_of[unit] = tuple(w for w, _a, _b in self._unmarked_spans(sylls, phrases=False))
        return found

    def _cuts(self, phrase: str, last: str, after: str) -> bool:
        """Does a thesaurus phrase typed without marks, ending in `last` before `after`, end
        inside a word? Yes where the two syllables are a word the plans use, or a dictionary word
        while the phrase is not among its own plan phrases (it is then only the user's wording)."""
        pair = (last, after)
        if pair not in self.analyzer.compounds:
            return False
        if self.vocab.get(f"{last}_{after}", 0) > 0:
            return True
        # A word the reading would not take either ("nơi mình ở | mới": "o moi") cuts nothing.
        return phrase not in self.lang.thesaurus[phrase] and not self._function_like(pair)

    def _function_like(self, gram: tuple[str, ...]) -> bool:
        """Is a dictionary word the plans never use made of syllables folding like function
        words and syllables the plans use alone in many clauses ("thi bo", "o moi")? Typed
        without marks it is read as its syllables (see _unmarked_spans)."""
        return not STOPWORDS.isdisjoint(gram) and all(
            s in STOPWORDS or self.vocab.get(s, 0) >= self._common_df for s in gram)

    def _cover(self, units: list[str], table: Mapping[str, tuple[str, ...]],
               heads: frozenset[str] | None = None, typed: Sequence[str] = (),
               segmented: bool = False) -> list[tuple[int, int, str | None]]:
        """The thesaurus phrases (runs of whole units, up to six) that cover the question best,
        as (start, end, phrase or None for a unit left as it is). Matched left to right, an
        earlier phrase swallowed the words of a better one ("nhà nước trả | hồ sơ" where "nhà
        nước | trả hồ sơ" was meant); a small dynamic programme over unit positions takes the
        non-overlapping phrases covering most syllables, then the fewest phrases, then the
        reading whose plan words the plans use most (as `_spans` scores words). `heads`: the
        first syllables of the table's phrases (a unit starting none of them starts no phrase).
        `typed`, aligned with `units`: each as typed; a phrase listed with marks only is not read
        where the question typed other marks ("ngắn" is no "ngàn", see other_marks). `segmented`:
        the units are an unmarked reading (`_unmarked_spans`), which took the phrases it found
        best as one unit each: a phrase of syllables it could have taken but left single ("so |
        do ai ky" is no "sổ đỏ") is not joined again; one of its words still is ("hoàn thành |
        xuất sắc")."""
        longest = max(self.analyzer.max_len, 4) if segmented else 0
        marks = self.lang.thesaurus_marks if typed else {}
        if heads is None:
            heads = frozenset(k.split(" ", 1)[0] for k in table)
        n = len(units)
        sylls = [u.split("_") for u in units]
        # best[i]: (syllables covered, -phrases, usage) of units[i:], and the first step's end.
        best: list[tuple[tuple[int, int, float], int, str | None]] = [((0, 0, 0.0), n, None)] * (n + 1)
        for i in range(n - 1, -1, -1):
            rest = best[i + 1][0]
            choice: tuple[tuple[int, int, float], int, str | None] = (rest, i + 1, None)
            for j in range(i + 1, (min(n, i + 6) if sylls[i][0] in heads else i) + 1):
                phrase = " ".join(p for s in sylls[i:j] for p in s)
                if phrase not in table or phrase in marks and other_marks(marks, phrase, " ".join(typed[i:j])):
                    continue
                size = len(phrase.split())
                if (j > i + 1 and size <= longest and all("_" not in u for u in units[i:j])
                        and tuple(units[i:j]) in self.analyzer.compounds):
                    # The reading could take this dictionary word and left it ("so | do": no
                    # "sổ đỏ"); a thesaurus phrase that is no dictionary word ("dung hen": đúng
                    # hẹn) it could not take, so it is joined here.
                    continue
                after = best[j][0]
                key = (after[0] + size, after[1] - 1, after[2] + (size - 1) * self._usage(table[phrase]))
                if key > choice[0]:
                    choice = (key, j, phrase)
            best[i] = choice
        steps: list[tuple[int, int, str | None]] = []
        i = 0
        while i < n:
            _key, j, chosen = best[i]
            steps.append((i, j, chosen))
            i = j
        return steps

    def _english_usage(self, key: str) -> float:
        """How much the plans use an English glossary phrase's translations (see _usage)."""
        lang = self.lang
        return self._usage(lang.english_alternatives.get(key) or (fold(lang.english[key]),))

    def _usage(self, phrases: tuple[str, ...]) -> float:
        """How much the plans use the best of a thesaurus entry's plan phrases: the log of the
        clause count of its rarest word (remembered per entry: bounded by the thesaurus and the
        English glossary)."""
        found = self._usage_of.get(phrases)
        if found is None:
            df = max((min((self.vocab.get(u, 0) for u in self._segment(p)), default=0)
                      for p in phrases), default=0)
            found = self._usage_of[phrases] = math.log1p(df)
        return found

    def _segment(self, phrase: str) -> tuple[str, ...]:
        """A thesaurus phrase (normalized) as this index segments it, remembered (bounded by the
        thesaurus and the English glossary)."""
        found = self._segmented.get(phrase)
        if found is None:
            found = self._segmented[phrase] = tuple(self.analyzer.segment(words(phrase)))
        return found

    def _thesaurus(self, units: list[str], senses: Mapping[str, tuple[str, ...]], typed: Sequence[str] = (),
                   segmented: bool = False) -> tuple[list[str], dict[str, tuple[tuple[str, ...], ...]]]:
        """Units with thesaurus phrases merged into one term each, and that term's alternatives
        (the plans' wording, segmented like clauses): "qua mạng" also matches "trực tuyến".
        `senses` (an English question's, see english_senses) adds every translation of the
        glossary words it used; `typed` (aligned with `units`) as `_cover` reads it. `segmented`:
        the units are an unmarked reading, which weighed every thesaurus phrase already."""
        table: Mapping[str, tuple[str, ...]] = self.lang.thesaurus
        # The first words of its phrases: a unit starting none of them starts no phrase.
        if self._heads is None:
            self._heads = frozenset(k.split(" ", 1)[0] for k in table)
        heads = self._heads
        if senses:
            table = dict(table)
            for key, phrases in senses.items():
                table[key] = tuple(dict.fromkeys((*phrases, *table.get(key, ()))))
            heads = heads | {k.split(" ", 1)[0] for k in senses}
        out: list[str] = []
        alts: dict[str, tuple[tuple[str, ...], ...]] = {}
        for i, j, phrase in self._cover(units, table, heads, typed, segmented):
            if phrase is None:
                out.append(units[i])
                continue
            key = "_".join(phrase.split())
            options = [self._segment(p) for p in table[phrase]]
            own = tuple(w for u in units[i:j] for w in self._plain_units(u))
            alts[key] = tuple(dict.fromkeys([own, *options]))
            out.append(key)
        return out, alts
