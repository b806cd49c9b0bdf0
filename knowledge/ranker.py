"""Ranker: one scoring function for candidate clauses, every weight in one dataclass (`Weights`),
and the fuzzy matching it uses (rapidfuzz: typo correction against the index vocabulary,
string similarity). rapidfuzz is imported by this module only."""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from knowledge.text import fold, words

if TYPE_CHECKING:
    from knowledge.reader import Query


def corrections(term: str, vocabulary: Mapping[str, int], *, by_length: Mapping[int, Sequence[str]]) -> list[str]:
    """Vocabulary words close to a misspelt `term` (one or two wrong, missing or doubled
    letters), closest and most frequent first; empty when nothing is close enough."""
    n = len(term)
    if n < 3 or term.isdigit():
        return []
    max_dist = 1 if n < 7 else 2
    pool: list[str] = []
    for size in range(n - max_dist, n + max_dist + 1):
        pool.extend(by_length.get(size, ()))
    if not pool:
        return []
    hits = process.extract(term, pool, scorer=Levenshtein.distance, score_cutoff=max_dist, limit=12)
    return [str(h[0]) for h in sorted(hits, key=lambda h: (h[1], -vocabulary.get(h[0], 0)))]


def similarity(query: str, text: str) -> float:
    """0..1 similarity of a folded question to a folded clause, tolerant of word order."""
    return float(fuzz.token_set_ratio(query, text)) / 100.0


def closest(query: str, choices: Sequence[str], *, limit: int = 3) -> list[str]:
    """The `limit` choices most similar to `query` (for "did you mean" topic suggestions)."""
    hits = process.extract(query, choices, scorer=fuzz.WRatio, limit=limit)
    return [str(h[0]) for h in hits]


def group_similar(keys: Sequence[str], *, cutoff: float = 90.0) -> list[int]:
    """Greedy grouping of near-identical texts: for each key, the position of the earlier key
    that leads its group (its own position when none is at least `cutoff` similar). Callers pass
    the most frequent first, so a typo joins the common spelling rather than the reverse."""
    leaders: list[str] = []
    leader_pos: list[int] = []
    groups: list[int] = []
    for i, key in enumerate(keys):
        hit = process.extractOne(key, leaders, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff) if leaders else None
        if hit is None:
            leaders.append(key)
            leader_pos.append(i)
            groups.append(i)
        else:
            groups.append(leader_pos[hit[2]])
    return groups


# --- scoring ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Weights:
    """Every weight and threshold of ranking and deciding, in one place."""

    candidates: int = 40  # FTS hits re-ranked in Python: enough for recall, few enough to stay fast
    # When the cap cut the matches, the best this many of a second ranking that also scores the
    # lighter known words join them (Retriever.candidates): a clause holding many of the
    # question's words but few searched ones was lost to the cap. Off (0): at 20 it found one
    # more seen question in the top 3 for +0.85 ms of FTS time a question (+40 %), see CHANGELOG.
    wider: int = 0
    # A second, plain candidate source (Retriever.plain_hits): when the heaviest words found
    # fewer clauses than this (none: the user's own words, absent from the allowed documents),
    # this many best bm25 matches of all the question's known words as one OR query join them
    # (0: off; +0.1 ms a question). Below 40 rather than 20 it cost +0.37 ms for no seen answer more;
    # as a full list's extra source it lost as many seen answers to the ranker as it found.
    plain: int = 20
    similar_top: int = 12  # of those, how many also get the (costlier) string similarity
    fts_terms: int = 8  # rarest terms sent to FTS; common ones still count in re-ranking
    rank_budget: int = 6_000  # matches FTS5 may rank by bm25 for one question (≈ 20 ms at most)
    # Above this many matches, the clauses holding every searched word (a word searched alone:
    # and the next heaviest) are ranked first, and the rest only when fewer than `candidates`
    # hold them all (bm25 costs ≈ 1.3 µs a match; they hold more of the question anyway).
    all_words_first: int = 700
    # A term naming the slot asked ("lấy từ nguồn nào" → "nguồn kinh phí", Query.slots) weighs this
    # many times its own weight: a clause without it shares the topic but does not answer.
    slot: float = 1.5
    # ... and a clause stating none of the slots asked (not even in its lead-in) ranks this much
    # lower: "Hỗ trợ 100% chi phí …" shares "hỗ trợ … trực tuyến" but says nothing of the source.
    slot_missing: float = -0.2
    # In a document of the issuer the question names as its owner ("công điện của Thủ tướng"), the
    # words naming the owner are this much held by every clause: they name the document, not the
    # clause's topic ("… cắt giảm 2.269/6.974 ĐKKD" is the Prime Minister's though it never says so).
    owner_word: float = 1.0
    min_coverage: float = 0.5  # share of the question's term weight the best clause must match to answer
    shown: float = 0.8  # results below the best must still hold this share of min_coverage
    # One of the `exact_among` best clauses must match this share of the question as whole words:
    # "vàng" inside "vững vàng" is not gold.
    min_exact: float = 0.3
    # A question naming its document by number ("KH 308", "QĐ 1256/QĐ-UBND: …") is asked
    # within that document: its best clause needs only this share of min_coverage and min_exact
    # (the user's other words are often the document's title or the way they ask).
    named_document: float = 0.8
    restated: float = 0.85  # share of the shorter clause's words in the longer: the same figure restated
    exact_among: int = 10  # how many of the best clauses the whole-word test (`min_exact`) looks at
    useless_weight: float = 0.05  # a term this light is in (nearly) every clause: it tells nothing
    coverage: float = 2.0  # the matched share of the question's weight: the main signal
    accented: float = 0.25  # words typed with accents found as typed: exact wording ranks first
    province: float = 0.6  # the document is the named province's own
    province_current: float = 0.4  # the document is of the province a named old province merged into
    province_mention: float = 0.1  # the clause merely names the province
    # In the receiving province's document, the clause naming the old province asked about
    # ("Sóc Trăng" in Cần Thơ's plan) is about it rather than about the whole merged province.
    old_name_mention: float = 0.2
    issuer: float = 0.4  # a central document of the issuer the question names ("Bộ Xây dựng", "Thủ tướng")
    # A clause naming an issuer asked about, not as the document's owner ("what must the Ministry
    # of Justice fix"), by its full name ("(3) Bộ Tư pháp kịp thời khắc phục …") over one that lists
    # it among others ("Các Bộ: Tài chính, Y tế, Tư pháp, Nội vụ …, cụ thể:"): the task is its own.
    issuer_named: float = 0.1
    # ... but a clause naming it only as whom a report or proposal goes to ("các bộ … gửi báo cáo
    # Bộ Khoa học và Công nghệ", lang/addressing.txt) states the others' task, not its own.
    issuer_addressed: float = -0.4
    # A provincial agency the question names (lang/agencies.txt: "Sở Xây dựng phải làm gì",
    # "what is the Department of Construction asked to do") and a clause under its heading,
    # opening with it or naming it as a task row's lead agency: one of its tasks, not a clause
    # sharing a word of its name ("xây dựng kế hoạch") nor one naming it as a partner.
    agency_named: float = 0.3
    agency_word: float = 0.5  # ... a word of its name in a clause that does not name it
    # A score or share the question states as its premise ("được 75 điểm thì xếp loại gì") and a
    # clause stating a range that holds it ("a) Có tổng số điểm từ 50 điểm đến 80 điểm."): the
    # category it falls in, over the ranges it does not.
    value_range: float = 0.5
    central_mention: float = 0.5  # a central document's clause names the province (its appendix row)
    # A figure question about a named province, and a central document's figure that names no
    # such province: it is the country's or other provinces' figure, not the one asked.
    central_other_figure: float = -0.3
    year_clause: float = 0.35  # the clause itself names (or inherits) the year asked
    year_named: float = 0.25  # the plan's own year: issued then, or named in its title
    year_period: float = 0.15  # the year lies in the period the plan covers
    year_other: float = -0.1  # the clause names other years only: likely another year's figure
    # ... even in the plan of the year asked, a figure clause naming only other years states
    # their figure: "phấn đấu đến năm 2025, 100% …" in the 2021 plan is the 2025 target, not
    # the 2021 one asked; a clause without a figure that names other years in words ("Năm 2023,
    # dưới sự lãnh đạo …" in the 2024 plan) reviews them: no answer either. (A clause's dates,
    # "Công văn … ngày 14/8/2025", are no figure and name no year in words.)
    year_other_figure: float = -0.2
    figure: float = 0.15  # a figure question prefers a clause that states a figure
    # ... and one stating a number in the unit asked ("đạt bao nhiêu điểm": "17,52 điểm") to one
    # that only shares the topic (lang/figures.tsv).
    figure_kind: float = 0.2
    result_for_target: float = -0.1  # a target question ranks an achieved result below a target
    target_for_result: float = -0.1  # a result question ranks a target below an achieved result
    length: float = 0.04  # per log-length: between equals, the shorter clause answers more directly
    similarity: float = 0.35  # rapidfuzz similarity of question and clause, a tie-breaker between near equals
    metadata: float = 0.3  # a clause that states what a metadata question asks (signer, date, agency)
    # A plan written as lists states a task's lead agency in an item after it ("b) Cơ quan thực
    # hiện: - Đơn vị chủ trì: Công an Thành phố"): for "đơn vị nào chủ trì <task>", the items
    # this far after the best few task clauses are read for it; the one found answers, ranked
    # as its task.
    agency_after: int = 6
    agency_tasks: int = 3
    own_statement: float = 0.6  # ... and states the document's own signer or date (signature, date line)
    # ... but only in figures ("Ngày ban hành | 31/12/2025", a web copy's header field): the
    # document's own date line, written out ("Hà Tĩnh, ngày 31 tháng 12 năm 2025"), is the
    # verbatim source and ranks first; so does the article saying when it takes effect ("… có
    # hiệu lực thi hành kể từ ngày ký") over the header field "Ngày có hiệu lực: 27/08/2025".
    date_in_figures: float = -0.5
    part_of_word: float = 0.5  # a syllable found only inside a longer word ("cách" in "cải cách")
    word_parts: float = 0.6  # a word found as its syllables, segmented otherwise
    # A document the question cites by number and kind and the bot does not hold ("Nghị quyết
    # 12-NQ/TU"): the clause citing that very number ranks this much higher than clauses holding
    # the same words apart ("12" a figure, "nghị quyết" another).
    cited_number: float = 0.3
    # A term puts a clause on the plans' topic (`Candidate.topical`) only matched at least this
    # well: half a word by its folded syllables ("app" → "ứng dụng" finding "dùng") is no topic.
    topical_credit: float = 0.5
    context: float = 0.5  # a word found only in the clause's lead-in, section or title
    # An unnumbered clause right after a numbered item ("II. Hỗ trợ 100% chi phí cấp mới … chữ ký
    # số …" then "Chi phí hỗ trợ cho mỗi cá nhân không vượt quá 100.000 đồng/năm …") states that
    # item's detail, or continues a long item cut at a sentence: a word found only in the item
    # counts this share, as a lead-in's would (both must be candidates: no extra query).
    continued_item: float = 0.5
    # ... and when the question asks an amount in a unit (lang/figures.tsv) that the item does not
    # state and the clause does, the clause ranks this much above the item: it is the answer.
    item_detail: float = 0.01
    other_word: float = 0.6  # same letters, other marks ("cũ" typed, "cụ" in the clause)
    unknown_extra: float = 1.0  # a word the plans never use weighs its rarest syllable and this much
    unknown_cap: float = 1.0  # ... and at most this times the question's heaviest known word
    unknown_cap_after: int = 2  # once the question has this many known words
    # ... and this times it when the question points at documents (a province, a document number,
    # an issuer named) and has `unknown_pointed_after` known words: the user's own description of
    # a thing the plans name otherwise cannot sink a question the rest of it places.
    unknown_pointed: float = 0.3
    unknown_pointed_after: int = 3
    # An everyday word the plans rarely use ("chấm thêm", "lấy") weighs much and says little of the
    # subject: a clause holding min_coverage of the question's other words also answers, once the
    # question has at least this many known topic words (an everyday question has fewer).
    topic_words: int = 2
    # A clause not holding, as typed, an everyday subject the question names (lang/subjects.txt:
    # "hộ chiếu", "phụ cấp", "sốt") shares only the question's frame: its coverage (and topic
    # coverage) times this, so the words around the subject cannot answer alone.
    subject_missing: float = 0.4  # below min_coverage even when it holds all else
    # An English word the glossary cannot translate, in an English question that words the plans
    # use already describe, weighs this share of the heaviest of those: it is a word we could not
    # read, not evidence against the clause (an English question mostly of such words is refused).
    untranslated: float = 0.1
    short_question: int = 2  # known words at most in a "short" question (see term_weights)
    known_cap: float = 1.1  # a known word weighs at most this times its rarest syllable
    # The words a question names its document by ("Dak Lak's directive on administrative
    # procedures", "theo dự thảo khâu đột phá": a document kind and the words around it, see
    # reader.naming_syllables) that the document's title or kind holds pick the document: for
    # ranking, every clause of it gets this share of their credit, so the words asking the
    # question decide which clause answers (a clause restating the title no longer wins on them).
    # Coverage for answering or refusing is unchanged. Only those words: a title word asked as
    # the topic ("PAR INDEX" of a plan on the indexes) still prefers the clauses that state it.
    # A question naming its document by number ("KH 269 … online public services") is asked
    # within it: any of its words the title holds is credited so, naming words or not.
    title_word: float = 0.8
    # A clause that frames the document rather than states its content (lang/framing.txt: "Căn
    # cứ …", "Xét Tờ trình …", the title line, a bare heading) ranks this much lower, unless the
    # question asks for the basis: then it ranks `basis` higher.
    framing: float = -0.3
    basis: float = 0.3
    # "Có kế hoạch … chưa", "is there a … plan" (Intent.exists): the clause issuing the document
    # answers — its title line restated (a framing clause holding at least `issuing_title` of
    # the title's words), the article "Ban hành kèm theo Quyết định này Kế hoạch …" or a web
    # copy's "UBND tỉnh vừa ban hành Kế hoạch số …" (lang/issuing.txt): it ranks this much
    # higher instead of `framing` lower; the words of the title asked still pick the document.
    issuing: float = 0.3
    issuing_title: float = 0.5
    # Of those, one stating the document's number ("Quyết định 3470/QĐ-UBND năm 2025 về Kế hoạch
    # …", "… đã ban hành Kế hoạch số 1888/KH-VPUBND …") tells the asker which document it is.
    issuing_number: float = 0.1
    # "Nhằm mục đích gì", "mục đích của kế hoạch" (Intent.purpose): a clause under the document's
    # "Mục đích" heading or opening "Mục đích …" states it, the background paragraphs before it do not; nor does a piece
    # of it citing another document by its number ("Kế hoạch số 2943/KH-UBND … ban hành …"):
    # that is what the plan rests on.
    purpose: float = 0.8
    # A blank form's fill-in lines ("Họ và tên: ……", "……, ngày.... tháng.... năm….", an appendix's
    # assessment form): the words of a template, stating nothing, rank this much lower.
    blank_form: float = -0.3
    # "Which locality has the lowest …": a clause naming places or agencies with their figures
    # ("Lai Châu (59,42%)", a table row of a province) lists what is compared.
    names_figures: float = 0.3
    # "Giữa Lạng Sơn và Lai Châu, tỉnh nào … thấp hơn": of those, a clause naming every place
    # compared ("…, Lạng Sơn (76,29%), Lai Châu (59,42%).") holds the comparison, over one naming
    # only one of them ("Lai Châu (59,42%).").
    names_compared: float = 0.3
    # "Áp dụng cho giai đoạn nào / những năm nào": a clause stating a period ("giai đoạn 2025 -
    # 2030", "năm 2022 và những năm tiếp theo") over one that only shares the topic; for "năm
    # nào", one stating a year in words ("năm 2025"), not only a document's date.
    period: float = 0.3
    # A question naming one of names that exclude each other (lang/contrasts.tsv: "PAPI" among
    # the indexes, "chỉ thị" among kinds of document, "Tỉnh ủy" among issuers) and a clause
    # naming only others of them: it states another index's rank, cites another document.
    contrast: float = -0.5
    # "Thực hiện nghị quyết nào của Tỉnh ủy", "theo quyết định nào": a clause naming a document of
    # the kind asked by its number ("a) Triển khai … Nghị quyết số 14-NQ/TU") names the answer.
    cites: float = 0.5
    # "Bước 3 là gì", "nhiệm vụ thứ hai": the clause numbered so ("3. Bước 3: …", item "2." under
    # "NHIỆM VỤ") is the part asked, over its siblings that share every other word (lang/items.tsv).
    item_asked: float = 0.3
    # "Ai xử lý / do ai quyết định": a clause naming who acts ("do người có thẩm quyền … giải
    # quyết", "chịu trách nhiệm", lang/actors.txt) over one naming only the matter (a dossier's
    # list item "4. Hồ sơ giải quyết kiến nghị …;", a heading).
    actor: float = 0.2
    # "Tập trung mấy mảng", "yêu cầu những gì": a clause stating several items ("cải cách thể
    # chế; cải cách TTHC; …", or a lead-in ending "gồm:") over one stating a single thing.
    listing: float = 0.2
    # The question's neighbouring terms found in the same order in the clause, next to each other
    # or one word apart (Query.pairs: "TTHC nội bộ giữa các cơ quan hành chính nhà nước"), as the
    # share of the pairs' weight: the clause states the question's phrase, not its words scattered
    # ("TTHC giữa Bộ … với các cơ quan … và TTHC trong nội bộ Bộ").
    phrase: float = 0.1
    single_common: float = 0.05  # a lone unit in this share of clauses is too common to search alone


WEIGHTS = Weights()


# A year in words ("năm 2025"), not the year of a date ("ngày 15 tháng 7 năm 2025").
YEAR_IN_WORDS = re.compile(r"(?<!tháng \d )(?<!tháng \d\d )(?<!\w)năm (?:19|20)\d\d(?!\d)")
# A date written in figures only ("31/12/2025"), not in words ("ngày 31 tháng 12 năm 2025").
_DATE_FIGURES = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
# A header field giving a date in figures ("ngày có hiệu lực: 27/08/2025", "ngày ban hành | 31/12/2025").
_DATE_FIELD = re.compile(r"[^:|]{3,40}[:|]\s*\d{1,2}/\d{1,2}/\d{4}\W*")
# A count stated as a share of a whole ("34/34 địa phương", "2.269/6.974 ĐKKD", "xếp 57/63"): a
# figure the target extractor (percentages, scores) does not take, not a date ("27/3/2021") nor a
# document number ("468/QĐ-TTg").
_RATIO = re.compile(r"(?<!ngày )(?<![\d/.,])\d{1,3}(?:\.\d{3})*/\d{1,3}(?:\.\d{3})*(?![\d/.,]\d|[\w/-])")
# A token of an FTS column holding a digit ("99%", "2030", "62/63"): tokens are split at white space.
_FIGURE_TOKEN = re.compile(r"\S*\d\S*")


@lru_cache(maxsize=8_192)
def token_set(column: str) -> frozenset[str]:
    """The tokens of an FTS column's text, as a set. Cached by the text: the same clauses and
    the same lead-ins (one per section) come back question after question, and splitting them
    again was the largest cost of ranking a candidate."""
    # Each token interned: the sets of thousands of cached clauses share one string per word
    # instead of holding copies (issue 14: ~1 KB less per cached clause). Bounded at 8,192 texts:
    # a clause's candidate fields keep its set (KnowledgeBase._candidate), so this cache mostly
    # serves lead-ins and texts that many clauses share; 32,768 held ~100 MB after 3,000 questions.
    return frozenset(map(sys.intern, column.split()))


@lru_cache(maxsize=32_768)
def _figure_tokens(column: str) -> frozenset[str]:
    return frozenset(_FIGURE_TOKEN.findall(column))


def lists_items(text_norm: str) -> bool:
    """Does a clause state several items: parts between ";" ("cải cách thể chế; cải cách TTHC; …"),
    or a lead-in ending with ":" before its list? (Clauses are cut at ";" only when long.)"""
    return ";" in text_norm.rstrip(" ;.") or text_norm.rstrip().endswith(":")
# One of the question's pairs: the last units of its first term's spellings, the first units of
# its second's, each pair of them as the strings found in a column (" x ", "y "), and its weight.
_Pair = tuple[frozenset[str], frozenset[str], tuple[tuple[str, str, str, str], ...], float]
# The last question's pairs: one question ranks its candidates in a row, so they are built once
# for all of them, not per candidate. A tuple replaced whole: threads asking at once at worst
# build their own.
_LAST_PAIRS: tuple[object, object, tuple[_Pair, ...], float] = (None, None, (), 0.0)


def _phrase_spellings(q: Query, weights: Mapping[str, float]) -> tuple[tuple[_Pair, ...], float]:
    """The question's pairs (none naming the document or everyday), each weighing its lighter
    term, and their total weight."""
    global _LAST_PAIRS
    last = _LAST_PAIRS
    if last[0] is q and last[1] is weights:
        return last[2], last[3]
    skip = q.naming | q.general
    out: list[_Pair] = []
    for a, b in q.pairs:
        if a in skip or b in skip:
            continue  # the words naming the document pair in its title and its restatements
        ends = dict.fromkeys(alt[-1] for alt in q.alternatives.get(a, ()) if alt) or {a: None}
        starts = dict.fromkeys(alt[0] for alt in q.alternatives.get(b, ()) if alt) or {b: None}
        out.append((frozenset(ends), frozenset(starts),
                    tuple((x, y, f" {x} ", f"{y} ") for x in ends for y in starts),
                    min(weights.get(a, 0.0), weights.get(b, 0.0))))
    found = tuple(out)
    total = sum(p[3] for p in found)
    _LAST_PAIRS = (q, weights, found, total)
    return found, total


def phrase_share(column: str, tokens: Set[str], q: Query, weights: Mapping[str, float]) -> float:
    """The share of the weight of the question's neighbouring terms (`Query.pairs`) that a clause
    holds in the same order, next to each other or one unit apart, any spelling of each (see
    Weights.phrase). `column` is its FTS column (its units in order, then its compounds'
    syllables "_bao _dam"), `tokens` the same as a set: a pair not both among them is not looked for."""
    pairs, total = _phrase_spellings(q, weights)
    if not total:
        return 0.0
    got = 0.0
    padded = ""
    for ends, starts, combos, wt in pairs:
        if ends.isdisjoint(tokens) or starts.isdisjoint(tokens):
            continue
        padded = padded or f" {column} "
        for x, y, first, then in combos:
            if x not in tokens or y not in tokens:
                continue
            i = padded.find(first)
            while i >= 0:
                j = i + len(first)
                k = padded.find(" ", j)
                if padded.startswith(then, j) or k >= 0 and padded.startswith(then, k + 1):
                    break
                i = padded.find(first, j - 1)
            if i >= 0:
                got += wt
                break
    return got / total


@lru_cache(maxsize=32_768)
def states_ratio(text_norm: str) -> bool:
    """Does a clause state a count as a share of a whole ("34/34 địa phương")? Cached by the text."""
    return bool(_RATIO.search(text_norm))


@dataclass
class Candidate:
    """A clause being ranked."""

    clause_id: int
    doc_id: int
    body: Set[str]
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
    central: bool = False  # a document of no province (central government, a ministry)
    issuer: str = ""  # a central document's issuer code ("bxd", "ttg")
    states: bool = False  # states what a metadata question asks (see metadata_bonus)
    target_kinds: frozenset[str] = frozenset()  # "target" / "result" of the figures the clause states
    title: frozenset[str] = frozenset()  # folded words of its document's title and kind (see Weights.title_word)
    framing: bool = False  # frames the document (legal basis, title line, heading), see Weights.framing
    blank: bool = False  # a blank form's fill-in text (runs of dots to fill in), see Weights.blank_form
    names_figures: bool = False  # names places or agencies beside figures (see Weights.names_figures)
    kind: str = ""  # its document's kind, normalized ("kế hoạch"), see Weights.contrast
    item: Set[str] = frozenset()  # tokens of the numbered item it continues (Weights.continued_item)
    score: float = 0.0
    coverage: float = 0.0
    # The coverage of the question's topic words alone, its everyday words (lang/general*.txt)
    # left out (see Weights.topic_words); `coverage` when it has none or too few topic words.
    topic_coverage: float = 0.0
    exact: float = 0.0  # share of the question's weight matched by whole words of the clause itself
    topical: bool = False  # matches a term that is a topic of the plans (not in Query.general)
    body_text: str = ""

    # Parsed only when a question needs them: most do not, and this runs for every candidate.
    @cached_property
    def context(self) -> frozenset[str]:
        """Folded words of the clause's lead-in, section path and document title."""
        return token_set(self.context_text)

    @cached_property
    def figures(self) -> frozenset[str]:
        """The clause's tokens holding a digit ("99%", "2030")."""
        if self.body_text:  # the column `body` was read from: one regex pass, cached
            return _figure_tokens(self.body_text)
        return frozenset(t for t in self.body if any(ch.isdigit() for ch in t))

    @cached_property
    def plain_words(self) -> frozenset[str]:
        """The clause's word tokens (no figures)."""
        return frozenset(t for t in self.body if t.isalpha() or "_" in t) - self.figures

    @cached_property
    def years(self) -> list[int]:
        """Years the clause names or inherits from its lead-in."""
        found: list[int] = json.loads(self.years_json)
        return found


def idf(df: int, n: int) -> float:
    """Inverse document frequency, BM25 style, never negative."""
    # Clamped: a syllable also counted inside longer words can total more than n.
    return math.log(1.0 + max(0.0, n - df + 0.5) / (df + 0.5))


# A unit of a term as `_matched_probe` tests it, its probes built once per question, not per candidate:
# the unit, "_unit" when it has no "_" (found only inside a longer word), else its syllables each
# with "_syllable" and their count when the word is known (see `_matched_probe`).
_Unit = tuple[str, str | None, tuple[tuple[str, str], ...] | None, int]


def _unit_probe(unit: str, known: bool) -> _Unit:
    if "_" not in unit:
        return unit, f"_{unit}", None, 0
    if known:
        parts = unit.split("_")
        return unit, None, tuple((p, f"_{p}") for p in parts), len(parts)
    return unit, None, None, 0


def _matched_probe(m: _Unit, tokens: Set[str], w: Weights) -> float:
    """`_matched` of a unit probed ahead (`_unit_probe`): the same tests, in the same order."""
    unit, inside, parts, n = m
    if unit in tokens:
        return 1.0
    if inside is not None:
        # Only inside a longer word: "cách" (how) in "cải cách" (reform) is another word.
        return w.part_of_word if inside in tokens else 0.0
    if parts is not None:
        # The same syllables segmented differently, or part of the word ("hạng" for "xếp hạng").
        return w.word_parts * sum(1 for p, q in parts if p in tokens or q in tokens) / n
    return 0.0


def _credit_probe(single: _Unit | None, alts: tuple[tuple[tuple[_Unit, ...], int], ...], tokens: Set[str],
                  w: Weights) -> float:
    """A term's credit in a clause, probed ahead: its unit alone, or the best of its spellings
    (a thesaurus term: each spelling the mean of its units)."""
    if single is not None:
        return _matched_probe(single, tokens, w)
    return max(sum(_matched_probe(u, tokens, w) for u in alt) / n for alt, n in alts)


@lru_cache(maxsize=1024)
def _place_tokens(place: str) -> tuple[str, tuple[str, ...]]:
    sylls = tuple(words(fold(place)))
    return "_".join(sylls), sylls


@lru_cache(maxsize=32_768)
def _holds_subjects(text_norm: str, subjects: tuple[str, ...]) -> bool:
    """Does a clause hold every everyday subject asked (lang/subjects.txt) as a whole word, with
    its marks? "lương" through "mức chi", or the "lượng" of "chất lượng", names no pay."""
    padded = padded_words(text_norm)
    return all(f" {p} " in padded for p in subjects)


# Cached by the text, as token sets are (issue 14): splitting a clause into its words (~20 µs) was
# ~0.2 ms of a first-time question's CPU at 95k clauses, and the same clauses come back question
# after question (12,197 calls over 1,000 harness questions, 2,377 texts: 80 % found at 2,048).
# Bounded: ~200 characters a clause, 4,096 of them ~2 MB.
@lru_cache(maxsize=4_096)
def padded_words(text_norm: str) -> str:
    """A clause's words between spaces, for whole-word tests of a phrase typed with accents (and
    of the names in lang/contrasts.tsv, reader.Contrast)."""
    return f" {' '.join(words(text_norm))} "


def names_place(place: str, text: str) -> bool:
    """Does a text (as shown, any spelling) name a place, as its syllables in a row?"""
    return f" {' '.join(_place_tokens(place)[1])} " in f" {' '.join(words(fold(text)))} "


def _names(place: str, tokens: Set[str]) -> bool:
    """Do the tokens hold a place name, as one word or as its syllables?"""
    joined, sylls = _place_tokens(place)
    return joined in tokens or all(p in tokens for p in sylls)


# One row of a question's term table (`_term_table`): what `score` reads of a term that depends
# only on the question, the weights and the known words, not on the candidate.
_TermRow = tuple[str, float, bool, tuple[tuple[str, ...], ...], _Unit | None,
                 tuple[tuple[tuple[_Unit, ...], int], ...], str | None, bool, bool, bool, bool, bool, bool,
                 bool]
# The last question's table: one question scores its ~30–40 candidates in a row (issue 14: ~30 µs
# a candidate went to these look-ups). A tuple replaced whole, as `_LAST_PAIRS`.
_LAST_TERMS: tuple[object, object, object, object, tuple[_TermRow, ...]] = (None, None, None, None, ())


def _term_table(q: Query, weights: dict[str, float], known: set[str], w: Weights) -> tuple[_TermRow, ...]:
    """Per term of the question, in the weights' order: the term, its weight, known, its thesaurus
    spellings and their probes, its typed form, and its memberships `score` tests."""
    global _LAST_TERMS
    last = _LAST_TERMS
    if last[0] is q and last[1] is weights and last[2] is known and last[3] is w:
        return last[4]
    general, naming, slots = q.general, q.naming, q.slots
    agency_terms = q.agency_terms if q.agencies else frozenset()
    heaviest = max(weights, key=weights.__getitem__) if q.unheld and weights else None
    by_number = bool(q.doc_numbers)
    rows: list[_TermRow] = []
    for t, wt in weights.items():
        k = t in known
        alts = q.alternatives.get(t, ())
        single = None if alts else _unit_probe(t, k)
        probes = tuple((tuple(_unit_probe(u, True) for u in alt), len(alt)) for alt in alts if alt)
        rows.append((t, wt, k, alts, single, probes, q.forms.get(t), t in general,
                     t in general and t[0].isalpha(), t in q.owner_terms, bool(slots) and t in slots,
                     t in agency_terms, t == heaviest, by_number or t in naming))
    table = tuple(rows)
    _LAST_TERMS = (q, weights, known, w, table)
    return table


# One scoring function on purpose (the issue's "one place"): splitting it would spread the weights' use.
# The folded words of a "Mục đích" heading in a clause's section path (Weights.purpose).
_PURPOSE_HEADS = frozenset({"muc_dich"})
# A clause stating it in a web copy's prose: "Mục đích nhằm xây dựng nền hành chính …".
_PURPOSE_OPENS = re.compile(r"\W*mục đích\b")
# A document number cited ("2943/KH-UBND", "76/NQ-CP", "77/2025/NQ-HĐND"), not a date ("20/9/2021").
_CITED_NUMBER = re.compile(r"\d+/(?:\d{4}/)?[^\W\d_]{2}", re.I)


def _issues(c: Candidate, q: Query, w: Weights) -> bool:
    """Does a clause issue its document (Weights.issuing): its title restated as a framing line
    that cites no basis, or a sentence announcing the issue (Query.announces)?"""
    if (c.framing and c.title and not q.cites_basis(c.text_norm)
            and len(c.body & c.title) >= w.issuing_title * len(c.title)):
        return True
    return q.announces(c.text_norm)


def _states_own_number(c: Candidate) -> bool:
    """Does a clause state its document's number: a figure of its own that its context (where the
    document's number is, "3470 qd ubnd") holds, other than a year?"""
    return any(t.isdigit() and not _YEARISH.fullmatch(t) and t in c.context for t in c.figures)


_YEARISH = re.compile(r"(?:19|20)\d\d")


def score(c: Candidate, q: Query, weights: dict[str, float], known: set[str],  # noqa: C901
          w: Weights = WEIGHTS) -> None:
    """Set `c.score` and `c.coverage` (share of the question's term weight the clause matches).
    String similarity is added afterwards, to the best few only (see Weights.similarity)."""
    total = sum(weights.values()) or 1.0
    got = 0.0
    ranked = 0.0  # `got` with the title's words credited to every clause (Weights.title_word)
    title = c.title if q.naming or q.doc_numbers else frozenset()
    whole = 0.0
    padded = ""
    body = c.body
    # The figures the question states that a range of the clause holds: one reading for both
    # kinds (a figure searched, a premise not searched).
    held = [f for f in q.figures if holds_figure(c.text_norm, f.value, f.unit)] if q.figures else []
    stated = {f.term for f in held if not f.premise}
    w_context, w_title, w_item, item = w.context, w.title_word, w.continued_item, c.item
    w_topical = w.topical_credit
    context: Set[str] | None = None
    everyday = everyday_got = 0.0  # the everyday words' weight, and what of it the clause matched
    topics = 0
    slots = q.slots
    slot_stated = not slots
    owner = q.owner_terms if c.issuer and c.issuer in q.owners else frozenset()
    # Under the heading of an agency the question names, its name's words are the clause's own.
    # Elsewhere they count only where the clause names the agency: "xây dựng kế hoạch" shares a
    # word of "Sở Xây dựng", not its meaning (as "Hà Nội" searches no "nội").
    heads = bool(q.agencies) and q.heads_agency(c.context_text, c.text_norm)
    agency_terms = q.agency_terms if q.agencies else frozenset()
    agency_credit = 1.0 if heads else 1.0 if agency_terms and any(n in c.text_norm for n in q.agencies) \
        else w.agency_word
    # For a province with no plan (Query.unheld): what the clause holds of the question's heaviest word.
    heaviest_credit = 0.0
    owned = bool(owner)
    # What depends only on the question and a term is looked up once per question (`_term_table`).
    for t, wt, k, alts, single, probes, form, in_general, everyday_word, in_owner, in_slots, in_agency, \
            is_heaviest, title_term in _term_table(q, weights, known, w):
        credit = 1.0 if not alts and t in body else _credit_probe(single, probes, body, w)
        if not credit and t in stated:
            credit = 1.0  # "được 75 điểm thì …": the clause "từ 50 điểm đến 80 điểm" states it
        same_word = True
        if credit and form:
            padded = padded or padded_words(c.text_norm)
            if f" {form} " not in padded:
                # Typed "cũ", the clause says "cụ": the same letters, another word.
                credit *= w.other_word
                same_word = False
        if credit >= 1.0:
            whole += wt
        if credit >= w_topical and same_word and not in_general:
            c.topical = True  # in the clause itself, as typed (a heading's "phó" is not "phở")
        if credit < w_context:
            if context is None:
                context = c.context
            in_context = _credit_probe(single, probes, context, w)
            if in_context >= 1.0:
                # A whole word of its lead-in ("Tỷ lệ TTHC … gồm:" over "Lạng Sơn (76,29%), …")
                # is a whole word at the lead-in's weight, not a part of one.
                whole += wt * w_context
            credit = max(credit, w_context * in_context)
            if item and credit < w_item:
                credit = max(credit, w_item * _credit_probe(single, probes, item, w))
        if owned and credit < w.owner_word and in_owner:
            credit = w.owner_word
        if in_slots:
            if credit >= w_context:
                slot_stated = True  # a whole spelling in the clause or its lead-in
            else:
                credit = 0.0  # a part of a word ("phí" of "chi phí" for "kinh phí") states no slot
        if in_agency:
            credit = agency_credit if heads else credit * agency_credit
        got += wt * credit
        if is_heaviest:
            heaviest_credit = credit
        if in_general:
            if everyday_word:  # a bare number is no everyday word
                everyday += wt
                everyday_got += wt * credit
        elif k:
            topics += 1
        if title and credit < w_title and title_term:
            credit = max(credit, w_title * _credit_probe(single, probes, title, w))
        ranked += wt * credit
    in_range = False
    if any(f.premise for f in q.figures):
        # The premise's score is part of the question though not searched: it weighs what its
        # heaviest word does, matched only by a clause stating a range that holds it, so a
        # question whose score no clause places ("được 8 điểm thì thi đại học được không") is
        # still short of an answer.
        in_range = any(f.premise for f in held)
        value_weight = max(weights.values(), default=1.0)
        total += value_weight
        if in_range:
            got, ranked, whole = got + value_weight, ranked + value_weight, whole + value_weight
    if q.unheld:
        # A province with no plan of its own weighs what the question's heaviest word does:
        # the clause naming it (or its lead-in) is about it, another is about somewhere else —
        # and naming it, about the matter asked only when it holds that word too ("Điện Biên
        # (13%)" in a list on another index answers no "Điện Biên … chỉ số SIPAS").
        place_weight = max(weights.values(), default=1.0)
        total += place_weight
        if heaviest_credit >= w_context and any(_names(p, body) or _names(p, c.context) for p in q.unheld):
            got, ranked, whole = got + place_weight, ranked + place_weight, whole + place_weight
    c.coverage = got / total
    c.topic_coverage = ((got - everyday_got) / (total - everyday) if everyday and topics >= w.topic_words
                        and total > everyday else c.coverage)
    c.exact = whole / total
    if q.subjects and not _holds_subjects(c.text_norm, q.subjects):
        c.coverage *= w.subject_missing
        c.topic_coverage *= w.subject_missing
    s = ranked / total * w.coverage
    if not slot_stated:
        s += w.slot_missing
    # Asked beside who signed or when ("có kế hoạch … không, ai ký?"), the statement of that answers.
    if q.intent.exists and not q.intent.metadata and _issues(c, q, w):
        s += w.issuing + (w.issuing_number if _states_own_number(c) else 0.0)
    elif c.framing and (q.intent.basis or not (q.intent.signer or q.intent.issued or q.intent.number)):
        # The title line or a heading frames the document but cites nothing: no basis.
        s += w.basis if q.intent.basis and q.cites_basis(c.text_norm) else w.framing
    if (q.intent.purpose and (_PURPOSE_HEADS & c.context or _PURPOSE_OPENS.match(c.text_norm))
            and not _CITED_NUMBER.search(c.text_norm)):
        s += w.purpose
    if c.blank:
        s += w.blank_form
    if (q.intent.period or q.intent.year) and q.states_period(c.text_norm):
        s += w.period
    if q.contrasts:
        s += w.contrast * q.contrasted(c.text_norm, c.kind)
    if q.kinds_asked and q.cites_kind(c.text_norm):
        s += w.cites
    if q.intent.extreme and c.names_figures:
        s += w.names_figures
        if len(q.provinces) > 1 and all(_names(p, c.body) for p in q.provinces):
            s += w.names_compared
    if q.cited and q.cites_number(c.text_norm):
        s += w.cited_number
    if q.items and q.asks_item(c.text_norm, c.context):
        s += w.item_asked
    if q.intent.actor and q.names_actor(c.text_norm):
        s += w.actor
    if q.intent.listing and lists_items(c.text_norm):
        s += w.listing
    if w.phrase and q.pairs and c.body_text and not q.wants_figure:
        # Not for a figure question: the figure's row or item ("a) Có tổng số điểm trên 90 điểm
        # …") leaves its topic to its lead-in, and the clauses restating the topic would win.
        s += w.phrase * phrase_share(c.body_text, body, q, weights)
    if q.accented:
        hits = sum(1 for a in q.accented if a in c.text_norm)
        s += w.accented * hits / len(q.accented)
    elif q.unmarked:
        # Typed without marks: the same credit for the words found, whole or inside a word.
        hits = sum(1 for a in q.unmarked if a in body or f"_{a}" in body)
        s += w.accented * hits / len(q.unmarked)
    if q.provinces:
        if c.doc_province in q.provinces:
            s += w.province
        elif c.doc_current in q.currents:
            s += w.province_current
            # A clause naming the receiving province beside the old one ("hợp nhất tỉnh Hải Dương
            # và thành phố Hải Phòng") is about the merger, not about the topic asked.
            if any(_names(p, c.body) or _names(p, c.context) for p in q.provinces if p not in q.currents) \
                    and not any(_names(p, c.body) for p in q.currents if p not in q.provinces):
                s += w.old_name_mention
        elif any(_names(p, c.body) for p in (*q.provinces, *q.currents)):
            s += w.central_mention if c.central else w.province_mention
        elif any(_names(p, c.context) for p in q.provinces):
            s += w.province_mention
        elif c.central and q.wants_figure and c.has_target:
            s += w.central_other_figure
    if q.issuers and c.issuer == q.issuers[0]:  # the issuer named first is the subject
        s += w.issuer
    # Not in the issuer's own document: there its name marks no task as its own.
    if q.subject_issuers and f"-{c.issuer}" not in q.subject_issuers:
        mention = q.issuer_mention(c.text_norm)
        if mention:
            s += w.issuer_named if mention > 0 else w.issuer_addressed
    if heads:
        s += w.agency_named
    if in_range:
        s += w.value_range
    if q.years:
        if any(y in c.years for y in q.years):
            s += w.year_clause
        elif any(y in c.doc_named for y in q.years) or any(y in c.doc_years for y in q.years):
            s += w.year_named if any(y in c.doc_named for y in q.years) else w.year_period
            if c.years and q.wants_figure and (c.has_target or YEAR_IN_WORDS.search(c.text_norm)):
                s += w.year_other_figure
        elif c.years:
            s += w.year_other
    if q.wants_figure and (c.has_target or states_ratio(c.text_norm)):
        s += w.figure
        # A target question prefers a clause that sets a target to one reporting a result, and
        # the reverse ("xếp thứ 62/63" answers a result question, not a target one).
        if q.intent.target and not q.intent.result and c.target_kinds == {"result"}:
            s += w.result_for_target
        elif q.intent.result and not q.intent.target and c.target_kinds == {"target"}:
            s += w.target_for_result
    # Only between clauses on the topic (a table row of percentages is not an answer by itself)
    # and, for a question naming a year, about that year: "năm 2024 đạt 17,52 điểm" for "năm 2024
    # đạt bao nhiêu điểm", over a clause about 2024 that states no score.
    if q.figure_units and c.coverage >= w.min_coverage and (not q.years or any(y in c.years for y in q.years)) \
            and states_unit(c.text_norm, q.figure_units):
        s += w.figure_kind
    s -= w.length * math.log(max(c.length, 40) / 40)
    c.score = s


# Where a form leaves blanks to fill in: a run of dots or ellipses ("……", "........").
_BLANKS = re.compile(r"(?:\.{6,}|…{2,}|(?:…\.*){3,})")


def blank_form(text: str) -> bool:
    """Is a clause a blank form's fill-in text ("Họ và tên: ……", "ngày.... tháng.... năm….")?"""
    # Each of _BLANKS's runs holds six dots in a row or two ellipses: without them the regex
    # cannot match, and the two substring tests cost a tenth of its scan (issue 14: ~11 µs a
    # first-time candidate, most clauses holding neither).
    if "......" not in text and text.count("…") < 2:
        return False
    return bool(_BLANKS.search(text))


# A numbered or lettered item's mark, in normalized text: "ii. ", "2. ", "2.1. ", "a) ".
_ITEM_MARK = re.compile(r"^\W*(?:[ivxlc]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])\s*[.)]\s")


@lru_cache(maxsize=32_768)
def numbered_item(text_norm: str) -> bool:
    """Does a clause open with a numbered or lettered item's mark ("ii. ", "2.1. ", "a) ")?
    Cached by the text, as the ranker's token sets are."""
    return bool(_ITEM_MARK.match(text_norm))


def continue_items(ranked: Sequence[Candidate], q: Query, weights: dict[str, float], known: set[str],
                   w: Weights = WEIGHTS) -> list[tuple[Candidate, Candidate]]:
    """Rescore each unnumbered candidate that follows a numbered item that is a candidate too,
    with the item's words as its context (see Weights.continued_item); the (item, clause) pairs."""
    # A document's clauses are numbered in order (store.IndexWriter): the one before has the id before.
    at = {c.clause_id: c for c in ranked}
    pairs: list[tuple[Candidate, Candidate]] = []
    for c in ranked:
        prev = at.get(c.clause_id - 1)
        if prev is not None and prev.doc_id == c.doc_id and prev.ordinal == c.ordinal - 1 \
                and numbered_item(prev.text_norm) and not numbered_item(c.text_norm):
            if prev.coverage > c.coverage:  # else the item's words add next to nothing: not rescored
                c.item = prev.body
                score(c, q, weights, known, w)
            pairs.append((prev, c))
    return pairs


def item_details(pairs: Sequence[tuple[Candidate, Candidate]], q: Query, w: Weights = WEIGHTS) -> None:
    """The item names what is given, its detail states the amount asked ("bao nhiêu tiền": "…
    không vượt quá 100.000 đồng/năm"): the detail answers, ranked as its item (Weights.item_detail).
    After every other part of the score, similarity included."""
    if not q.figure_units:
        return
    for item, c in pairs:
        if item.score > c.score and states_unit(c.text_norm, q.figure_units) \
                and not states_unit(item.text_norm, q.figure_units):
            c.score = item.score + w.item_detail
            c.coverage = max(c.coverage, item.coverage)


@lru_cache(maxsize=64)
def _unit_re(units: tuple[str, ...]) -> re.Pattern[str]:
    alt = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    # A number then the unit ("17,52 điểm", "80%", "03 bậc"), or the unit then a number ("hạng 22/63").
    return re.compile(rf"\d(?:[\d.,/]*\d)?\s*(?:{alt})(?!\w)|(?<!\w)(?:{alt})\s+(?:thứ\s+)?\d")


_NUM = r"(\d{1,3}(?:[.,]\d{1,2})?)"
_UNIT = r"\s*(điểm|%)?"
# The ranges a clause states a score or share in ("từ 50 điểm đến 80 điểm", "trên 80 điểm đến 90
# điểm", "từ 50 điểm trở lên", "dưới 50 điểm", "không quá 20%"): (bound, number, unit, …).
_BETWEEN = re.compile(rf"\b(từ|trên)\s+{_NUM}{_UNIT}\s*(?:đến|tới|-|–)\s*(dưới\s+)?{_NUM}{_UNIT}")
_AT_LEAST = re.compile(rf"\b(từ|trên|tối thiểu|ít nhất)\s+{_NUM}{_UNIT}\s*trở lên")
_AT_MOST = re.compile(rf"\b(dưới|không quá|tối đa)\s+{_NUM}{_UNIT}")


@lru_cache(maxsize=8_192)
def stated_ranges(text_norm: str) -> tuple[tuple[float, bool, float, bool, str], ...]:
    """Ranges of points or per cent a clause states: (low, low included, high, high included,
    unit). Cached by text, as the ranker's token sets are; most clauses state none."""
    if "điểm" not in text_norm and "%" not in text_norm:
        return ()
    out: list[tuple[float, bool, float, bool, str]] = []

    def num(x: str) -> float:
        return float(x.replace(",", "."))

    spans: list[tuple[int, int]] = []
    for m in _BETWEEN.finditer(text_norm):
        unit = m.group(3) or m.group(6) or ""
        out.append((num(m.group(2)), m.group(1) == "từ", num(m.group(5)), not m.group(4), unit))
        spans.append(m.span())
    for m in _AT_LEAST.finditer(text_norm):
        out.append((num(m.group(2)), m.group(1) != "trên", math.inf, True, m.group(3) or ""))
    for m in _AT_MOST.finditer(text_norm):
        if not any(a <= m.start() < b for a, b in spans):  # "từ 50 đến dưới 80 điểm" is one range
            out.append((-math.inf, True, num(m.group(2)), m.group(1) != "dưới", m.group(3) or ""))
    return tuple(r for r in out if r[4])


def holds_figure(text_norm: str, value: float, unit: str) -> bool:
    """Does a clause state a range of `unit` ("điểm" or "%") holding `value`?"""
    return any(u == unit and (lo < value or lo_in and lo == value) and (value < hi or hi_in and value == hi)
               for lo, lo_in, hi, hi_in, u in stated_ranges(text_norm))


def states_unit(text_norm: str, units: tuple[str, ...]) -> bool:
    """Does a clause state a number in one of the units ("17,52 điểm", "tăng 20 bậc", "hạng 22/63")?"""
    return bool(_unit_re(units).search(text_norm))


def weight(unit: str, vocab: Mapping[str, int], n: int, w: Weights = WEIGHTS) -> float:
    """IDF of a search unit. A word weighs at most a little more than its rarest syllable:
    a rare spelling ("xếp hạng" once) must not outweigh the meaning ("hạng" everywhere)."""
    value = idf(vocab.get(unit, 0), n)
    if "_" in unit:
        cap = max(idf(vocab.get(s, 0), n) for s in unit.split("_"))
        # A word the plans never use still weighs a lot ("thời tiết" is not their subject),
        # but not more than its rarest syllable and a bit: typed without diacritics, a
        # "word" can be two words that merely fold alike ("cũ đạt" → "cu dat").
        value = min(value, cap * w.known_cap if vocab.get(unit) else cap + w.unknown_extra)
    return value


def term_weights(q: Query, vocab: Mapping[str, int], n: int,
                 w: Weights = WEIGHTS) -> tuple[dict[str, float], set[str]]:
    """Weight of each term of a question, and the terms the plans use. A thesaurus term weighs
    what its most common known spelling weighs (the concept, not the user's rare wording)."""
    weights: dict[str, float] = {}
    known: set[str] = set()
    real: list[str] = []
    for t in q.terms:
        alts = [a for a in q.alternatives.get(t, ()) if a and all(vocab.get(u) for u in a)]
        if alts:
            weights[t] = min(max(weight(u, vocab, n, w) for u in a) for a in alts)
            known.add(t)
        else:
            weights[t] = weight(t, vocab, n, w)
            if vocab.get(t):
                known.add(t)
            elif "_" in t and t in q.forms:
                real.append(t)
    if len(known) <= w.short_question:
        # In a short question, a real word typed with its marks that the plans never use
        # ("cách chữa đau đầu nhanh") is the subject, not two words that merely fold alike:
        # it weighs what an unseen word weighs.
        for t in real:
            weights[t] = idf(0, n)
    strong = sorted((weights[t] for t in known), reverse=True)
    if q.untranslated and len([t for t in known if t not in q.untranslated]) >= w.unknown_cap_after:
        for t in q.untranslated:
            if t not in known and t in weights:
                weights[t] = min(weights[t], strong[0] * w.untranslated)
    if len(strong) >= w.unknown_cap_after:
        # One word the plans never use ("so sánh", "trả lời") cannot outweigh a question that
        # several of their words already describe; a question mostly of such words ("giá vàng
        # hôm nay") still falls under the coverage an answer needs.
        pointed = (q.provinces or q.doc_numbers or q.issuers) and len(strong) >= w.unknown_pointed_after
        cap = strong[0] * (w.unknown_pointed if pointed else w.unknown_cap)
        for t in weights:
            if t not in known:
                weights[t] = min(weights[t], cap)
    for t in q.slots:
        if t in known:
            weights[t] *= w.slot
    return weights, known


def metadata_bonus(c: Candidate, q: Query, own: list[str], signer: str | None, doc_best: float,
                   w: Weights = WEIGHTS) -> None:
    """A metadata question ("ai ký", "ban hành ngày nào", "cơ quan nào chủ trì") is answered by a
    clause that states it, in the document the rest of the question points to (`doc_best`: the
    best coverage of that document). When the document's own signer or date is known (`own`),
    only a clause stating it answers: "Căn cứ Nghị quyết … ngày 15/7/2021" dates another document."""
    i = q.intent
    # "… căn cứ Luật Tổ chức chính quyền địa phương ban hành ngày nào" asks the date of the law
    # the plan cites, not the plan's own: its date line states no answer.
    if own and (i.signer or i.issued) and not (i.agency or i.number or i.basis):
        stated = [k for k in own if k in c.text_norm]
        if stated and not q.dates_other_event(c.text_norm):
            c.coverage = max(c.coverage, doc_best)
            c.score += w.metadata + w.own_statement + doc_best
            if all(_DATE_FIGURES.fullmatch(k) for k in stated):
                c.score += w.date_in_figures
    elif q.satisfied_by(c.text_norm, signer) or q.agency_column(c.text_norm, c.context):
        c.coverage = max(c.coverage, doc_best)
        c.score += w.metadata + doc_best
        c.states = True
        if i.effective and _DATE_FIELD.fullmatch(c.text_norm):
            # A web copy's header field ("Ngày có hiệu lực: 27/08/2025") below the article that
            # states it ("Quyết định có hiệu lực thi hành kể từ ngày ký"): the verbatim source.
            c.score += w.date_in_figures
