"""Issue 8, candidate recall: where an expected clause is lost (benchmarks/recall.py), the second
ranking that also scores the question's lighter words when the candidate cap cut the matches
(`Weights.wider`, off by default: see the CHANGELOG for its cost), and rows of one task table that
share only their years are no restatement of each other (decider._restates)."""

from __future__ import annotations

from dataclasses import replace

from benchmarks.recall import diagnose, holders_of
from knowledge import KnowledgeBase
from knowledge.decider import _restates
from knowledge.ranker import WEIGHTS, Candidate, term_weights
from knowledge.text import fold, words

# A question holding many words of the clause it asks about, of which only two are searched.
_MANY_LIGHT = "bộ tài chính bãi bỏ bao nhiêu tthc khi sửa văn bản thực thi phương án"
_CLAUSE = "(v) Bộ Tài chính - 03 Nghị định, 02 Thông tư"


def _ids(kb: KnowledgeBase, question: str, wider: int) -> list[int]:
    kb.retriever.w = replace(WEIGHTS, wider=wider)
    q = kb.read(question)
    weights, known = term_weights(q, kb.vocab, kb.n_clauses)
    return [r["id"] for r in kb.retriever.candidates(q, weights, known, kb._allowed_docs(q))]


def _clause_id(kb: KnowledgeBase, start: str) -> int:
    return int(kb.index._rows("SELECT id FROM clauses WHERE text LIKE ?", (start + "%",))[0]["id"])


def test_a_cut_ranking_gains_the_clauses_holding_the_lighter_words(shipped_kb: KnowledgeBase) -> None:
    try:
        first = _ids(shipped_kb, _MANY_LIGHT, 0)
        wider = _ids(shipped_kb, _MANY_LIGHT, 20)
    finally:
        shipped_kb.retriever.w = WEIGHTS
    assert len(first) == WEIGHTS.candidates  # the cap cut the matches
    assert wider[:len(first)] == first  # nothing the first ranking found is lost
    assert 0 < len(wider) - len(first) <= 20
    added = set(wider) - set(first)
    assert len(added) == len(wider) - len(first)  # each added once
    # The ministry asked about is searched by its name now (`Retriever.rarity`): its clause is
    # found by the first ranking, as it was before only by the wider one.
    target = _clause_id(shipped_kb, _CLAUSE)
    assert target in first and target in wider


def test_no_second_ranking_when_the_cap_did_not_cut(shipped_kb: KnowledgeBase) -> None:
    question = "nền tảng chuỗi khối blockchain"
    try:
        first = _ids(shipped_kb, question, 0)
        wider = _ids(shipped_kb, question, 20)
    finally:
        shipped_kb.retriever.w = WEIGHTS
    assert 0 < len(first) < WEIGHTS.candidates and wider == first  # every match fitted


def test_the_clause_asked_about_ranks_in_the_top_three_with_the_wider_ranking(shipped_kb: KnowledgeBase) -> None:
    try:
        shipped_kb.retriever.w = replace(WEIGHTS, wider=20)
        top = [r.text for r in shipped_kb.search(_MANY_LIGHT).results[:3]]
    finally:
        shipped_kb.retriever.w = WEIGHTS
    assert any(t.startswith(_CLAUSE) for t in top)


def _row(clause_id: int, text: str) -> Candidate:
    return Candidate(clause_id=clause_id, doc_id=1, body=frozenset(words(fold(text))), context_text="",
                     text_norm=text, years_json="[]", doc_years=[], doc_named=set(), doc_province=None,
                     doc_current=None, has_target=False, length=len(text), ordinal=clause_id)


def test_rows_sharing_only_their_years_are_no_restatement() -> None:
    a = _row(1, "xây dựng nền tảng chuỗi khối quốc gia | bộ công an | các bộ ngành địa phương | năm 2025 2026")
    b = _row(2, "xây dựng nền tảng trợ lý ảo quốc gia | bộ công an | các bộ ngành địa phương | năm 2025 2026")
    assert not _restates(a, b, WEIGHTS)
    c = _row(3, "tỷ lệ hồ sơ giải quyết trực tuyến đạt 80% | sở nội vụ | năm 2025")
    d = _row(4, "tỷ lệ hồ sơ được giải quyết trực tuyến đạt 80% | sở nội vụ | năm 2025")
    assert _restates(c, d, WEIGHTS)  # a figure stated twice is still shown once


def test_the_recall_diagnosis_names_the_stage(shipped_kb: KnowledgeBase) -> None:
    texts = [(r["id"], r["text"].lower()) for r in shipped_kb.index._rows("SELECT id, text FROM clauses")]
    held = {"q": "công điện 220 nói bn tỉnh đã công bố ds tthc không phụ thuộc địa giới hc",
            "expect_any": ["34/34 địa phương"]}
    d = diagnose(shipped_kb, held, holders_of(shipped_kb, held, texts))
    assert d["stage"] == "ok" and d["cand_rank"] is not None and d["final_rank"] == 1
    absent = dict(held, expect_any=["một câu không văn bản nào có"])
    d = diagnose(shipped_kb, absent, holders_of(shipped_kb, absent, texts))
    assert d["stage"] == "index" and d["holders"] == 0
