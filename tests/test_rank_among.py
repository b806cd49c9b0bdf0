"""Issue 8, ranking among the candidates (the clause is a candidate, another ranks above it): a
count stated as a share of a whole ("34/34 địa phương") is a figure for a figure question, as a
percentage is; inside a document named by number, the question's words that its title holds
name the document and are credited to each of its clauses; the words asking for the basis
("căn cứ", "cite") are not searched, and an issuer named ("Thủ tướng") also matches its code in
a document number ("468/QĐ-TTg"); a clause naming an issuer asked about by its full name ("Bộ Tư
pháp …") ranks above one listing it among others ("Các Bộ: Tài chính, Y tế, Tư pháp …"). Unit
tests on representative forms, then one probe per mechanism on the shipped plans."""

from __future__ import annotations

from candidates import clause_candidate, scored_candidates

from knowledge import KnowledgeBase
from knowledge.ranker import Candidate, score, states_ratio, term_weights


def _candidate(ordinal: int, text: str, *, title: frozenset[str] = frozenset(),
               has_target: bool = False) -> Candidate:
    return clause_candidate(ordinal, text, title=title, has_target=has_target)


# --- a count as a share of a whole -----------------------------------------------------------------

def test_a_share_of_a_whole_is_a_figure_but_a_date_or_a_number_is_not() -> None:
    for text in ("34/34 địa phương đã công bố danh mục", "cắt giảm 2.269/6.974 điều kiện kinh doanh",
                 "xếp 57/63;", "có 12/15 sở đạt"):
        assert states_ratio(text), text
    for text in ("ngày 27/3/2021", "quyết định số 468/qđ-ttg", "ngày 03/6/2020 về", "ngày 15/7 hằng năm",
                 "công văn 1284/btttt-cđs"):
        assert not states_ratio(text), text


def test_a_figure_question_counts_a_share_of_a_whole_as_a_figure(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("bao nhiêu sở đã hoàn thành số hóa hồ sơ")
    assert q.wants_figure
    ratio, plain = scored_candidates(shipped_kb, "bao nhiêu sở đã hoàn thành số hóa hồ sơ",
                                     "12/15 sở đã hoàn thành số hóa hồ sơ", "các sở đã hoàn thành số hóa hồ sơ")
    assert ratio.coverage == plain.coverage
    assert ratio.score > plain.score


def test_share_of_a_whole_probe(shipped_kb: KnowledgeBase) -> None:
    # "34/34 địa phương đã công bố …" states the count asked; the clause on the 06 provinces that
    # published 100% states a percentage of another thing.
    first = shipped_kb.search("cđ 220 nói bn tỉnh đã công bố ds tthc không phụ thuộc địa giới hc").results[0].text
    assert first.startswith("34/34 địa phương")


# --- a document named by number --------------------------------------------------------------------

def test_inside_a_document_named_by_number_its_title_words_name_it(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("kế hoạch 269/KH-UBND về dịch vụ công trực tuyến căn cứ quyết định nào về cơ chế một cửa")
    assert q.doc_numbers
    named = [t for t in q.terms if t not in q.naming and t in {"dich_vu", "truc_tuyen"}]
    assert named  # words naming the document that the reader did not take as its naming words
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    title = frozenset({"ke_hoach", "dich_vu", "cong", "truc_tuyen"})
    text = "quyết định số 468/qđ-ttg phê duyệt đề án đổi mới cơ chế một cửa"
    credited, bare = _candidate(1, text, title=title), _candidate(2, text)
    for c in (credited, bare):
        score(c, q, weights, known)
    assert credited.coverage == bare.coverage  # coverage for answering is unchanged
    assert credited.score > bare.score


# --- the document cited ----------------------------------------------------------------------------

def test_basis_words_ask_and_are_not_searched(shipped_kb: KnowledgeBase) -> None:
    for question in ("kế hoạch này căn cứ vào quyết định nào về cơ chế một cửa",
                     "which decision on the one-stop-shop mechanism does the plan cite"):
        q = shipped_kb.read(question)
        assert q.intent.basis, question
        assert "can_cu" not in q.terms and "trich_dan" not in q.terms, question


def test_an_issuer_named_matches_its_code_in_a_document_number(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("kế hoạch thực hiện quyết định nào của Thủ tướng về cơ chế một cửa")
    assert ("ttg",) in q.alternatives["thu_tuong"]
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    coded = _candidate(1, "quyết định số 468/qđ-ttg phê duyệt đề án đổi mới cơ chế một cửa")
    other = _candidate(2, "quyết định số 12/qđ-ubnd phê duyệt đề án đổi mới cơ chế một cửa")
    for c in (coded, other):
        score(c, q, weights, known)
    assert coded.coverage > other.coverage


def test_document_cited_probe(shipped_kb: KnowledgeBase) -> None:
    # The item listing the decision cited under "Căn cứ các Quyết định của Thủ tướng Chính phủ:"
    # (its own clause, without the words "căn cứ" or "Thủ tướng") answers, not the lead-in that
    # cites other decisions.
    first = shipped_kb.search("Which decision of the Prime Minister on the one-stop shop does Quang Ninh's "
                              "plan 269 on online public services cite?").results[0].text
    assert first.startswith("Quyết định số 468/QĐ-TTg")


# --- an issuer asked about, named in full ----------------------------------------------------------

def test_an_issuer_asked_about_is_read_as_the_plans_write_it(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("theo công điện của Thủ tướng, Bộ Y tế phải hoàn thành việc gì")
    assert "bộ y tế" in q.subject_issuers
    assert "thủ tướng" not in q.subject_issuers  # the dispatch's owner, not its subject
    english = shipped_kb.read("Under dispatch 220, which system problems must the Ministry of Justice fix?")
    assert "bộ tư pháp" in english.subject_issuers


def test_a_clause_naming_the_issuer_asked_in_full_ranks_above_a_list(shipped_kb: KnowledgeBase) -> None:
    own, listed = scored_candidates(shipped_kb, "Bộ Tư pháp phải khắc phục hệ thống gì",
                                    "bộ tư pháp khắc phục hệ thống", "các bộ: tài chính, tư pháp khắc phục hệ thống")
    assert own.coverage == listed.coverage
    assert own.score > listed.score


def test_issuer_named_in_full_probe(shipped_kb: KnowledgeBase) -> None:
    question = "In dispatch 220, which system problems must the Ministry of Justice fix?"
    first = shipped_kb.search(question).results[0].text
    assert first.startswith("(3) Bộ Tư pháp")


def test_a_basis_question_prefers_a_citation_to_the_title_line(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("nghị quyết về dịch vụ công trực tuyến căn cứ vào văn bản nào")
    assert q.intent.basis
    assert q.cites_basis("căn cứ nghị định số 118/2025/nđ-cp của chính phủ")
    assert not q.cites_basis("nghị quyết quy định nội dung chi dịch vụ công trực tuyến")
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    scores = {}
    for text in ("căn cứ nghị định số 118/2025/nđ-cp về dịch vụ công trực tuyến",
                 "nghị quyết quy định nội dung chi dịch vụ công trực tuyến"):
        for framing in (True, False):
            c = _candidate(1, text)
            c.framing = framing
            score(c, q, weights, known)
            scores[text[:6], framing] = c.score
    assert scores["căn cứ", True] > scores["căn cứ", False]  # a citation: the basis asked
    assert scores["nghị q", True] < scores["nghị q", False]  # framing, but citing nothing
