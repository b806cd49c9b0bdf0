"""Issue 8, candidate recall: the documents a question allows restrict the full-text query itself
(`IndexReader.fts_hits(spans=)`), not its 40 best over the whole index afterwards, and a second,
plain source (`Retriever.plain_hits`: the question's known words as one bm25 OR query, in the
allowed documents) fills a candidate list the heaviest words left short or empty."""

from __future__ import annotations

from dataclasses import replace

from knowledge import KnowledgeBase
from knowledge.ranker import WEIGHTS, term_weights


def _candidates(kb: KnowledgeBase, question: str, plain: int, allowed: set[int] | None = None) -> list[int]:
    """Candidate ids with `Weights.plain` set, in `allowed` or else the question's own documents."""
    kb.retriever.w = replace(WEIGHTS, plain=plain)
    try:
        q = kb.read(question)
        weights, known = term_weights(q, kb.vocab, kb.n_clauses)
        docs = kb._allowed_docs(q) if allowed is None else allowed
        return [r["id"] for r in kb.retriever.candidates(q, weights, known, docs)]
    finally:
        kb.retriever.w = WEIGHTS


def _doc_of(kb: KnowledgeBase, clause_id: int) -> int:
    return int(kb.index._rows("SELECT doc_id FROM clauses WHERE id = ?", (clause_id,))[0]["doc_id"])


def _clause_id(kb: KnowledgeBase, part: str) -> int:
    return int(kb.index._rows("SELECT id FROM clauses WHERE text LIKE ?", (f"%{part}%",))[0]["id"])


def test_spans_keep_the_limit_for_the_allowed_documents(shipped_kb: KnowledgeBase) -> None:
    docs = sorted(shipped_kb.doc_rows)
    chosen = {docs[1], docs[len(docs) // 2], docs[-1]}  # not neighbours: three spans
    spans = shipped_kb.retriever.spans(chosen)
    assert len(spans) == 3
    limit = 40
    rows = shipped_kb.index.fts_hits('"cai_cach" OR "thu_tuc"', rowids=None, spans=spans, ranked=True, limit=limit)
    assert {r["doc_id"] for r in rows} <= chosen
    everywhere = shipped_kb.index.fts_hits('"cai_cach" OR "thu_tuc"', rowids=None, ranked=True, limit=limit)
    filtered = [r for r in everywhere if r["doc_id"] in chosen]
    # Filtered after the cap, the 40 best of the whole index hold fewer of theirs.
    assert len(filtered) < len(rows) == limit


def test_neighbouring_documents_are_one_span(shipped_kb: KnowledgeBase) -> None:
    docs = sorted(shipped_kb.doc_rows)
    first, second = docs[0], docs[1]
    (span,) = shipped_kb.retriever.spans({first, second})
    assert span == (shipped_kb.doc_rows[first][0], shipped_kb.doc_rows[second][1])


def test_an_issuers_question_gets_its_documents_clauses_only_and_more_of_them(shipped_kb: KnowledgeBase) -> None:
    question = "Kế hoạch CCHC năm 2025 của Bộ Xây dựng giao nhiệm vụ gì về thủ tục hành chính?"
    q = shipped_kb.read(question)
    allowed = shipped_kb._allowed_docs(q)
    assert allowed and len(allowed) == 1  # the ministry's own plan
    ids = _candidates(shipped_kb, question, 0)
    assert ids and {_doc_of(shipped_kb, i) for i in ids} == allowed
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    found = shipped_kb.retriever.match(q, weights, known)
    assert found is not None
    match, ranked, _ = found
    whole = shipped_kb.index.fts_hits(match, rowids=None, ranked=ranked, limit=WEIGHTS.candidates)
    assert len([r for r in whole if r["doc_id"] in allowed]) < len(ids)


def test_no_allowed_document_no_candidates(shipped_kb: KnowledgeBase) -> None:
    assert _candidates(shipped_kb, "cải cách thủ tục hành chính giao cho sở nào", 20, allowed=set()) == []


def test_the_plain_source_finds_the_clause_the_users_own_heavy_words_missed(shipped_kb: KnowledgeBase) -> None:
    # The user's heaviest words ("do đâu", "bị chậm") are not the plan's; the clause says
    # "hạ tầng công nghệ thông tin … chưa đồng bộ" (máy móc is its everyday name).
    question = "Ở Đắk Lắk máy móc hỏng nên giấy tờ bị chậm là do đâu?"
    target = _clause_id(shipped_kb, "hạ tầng công nghệ thông tin tại một số đơn vị chưa đồng bộ")
    first = _candidates(shipped_kb, question, 0)
    both = _candidates(shipped_kb, question, 20)
    assert len(first) < WEIGHTS.candidates and target not in first
    assert both[:len(first)] == first  # nothing the first source found is lost
    assert target in both
    allowed = shipped_kb._allowed_docs(shipped_kb.read(question))
    assert allowed and {_doc_of(shipped_kb, i) for i in both} <= allowed


def test_the_plain_source_fills_an_empty_list_within_the_allowed_document(shipped_kb: KnowledgeBase) -> None:
    # Restricted to one document that lacks the question's heaviest word, the first source finds
    # nothing; the plain one still offers that document's clauses holding the lighter words.
    question = "chuyên gia tiến sĩ tư vấn thủ tục hành chính"
    target = _clause_id(shipped_kb, "hạ tầng công nghệ thông tin tại một số đơn vị chưa đồng bộ")
    doc = {_doc_of(shipped_kb, target)}
    assert _candidates(shipped_kb, question, 0, allowed=doc) == []
    plain = _candidates(shipped_kb, question, 20, allowed=doc)
    assert plain and {_doc_of(shipped_kb, i) for i in plain} == doc


def test_the_plain_source_is_not_asked_when_the_list_is_full(shipped_kb: KnowledgeBase) -> None:
    question = "Bộ Xây dựng làm gì để số hóa hồ sơ?"
    first = _candidates(shipped_kb, question, 0)
    assert len(first) == WEIGHTS.candidates and _candidates(shipped_kb, question, 20) == first
