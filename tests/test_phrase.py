"""Issue 8, the right clause first (rank5): the question's neighbouring words found in the same
order in a clause (`Query.pairs`, `ranker.phrase_share`, `Weights.phrase`); a question phrase
whose first syllable ends a word the plans write ("chỉ số nào" is no "sở nào"). Unit tests on
representative forms, then one probe per mechanism on the shipped plans."""

from __future__ import annotations

from dataclasses import replace

from candidates import scored_candidates

from knowledge import KnowledgeBase
from knowledge.ranker import WEIGHTS, phrase_share, term_weights, token_set


def test_pairs_are_neighbouring_content_terms_in_order(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("Hồ sơ nộp trực tuyến được tiếp nhận ở đâu?")
    assert ("ho_so", "nop") in q.pairs and ("nop", "truc_tuyen") in q.pairs
    assert all(a != b for a, b in q.pairs)
    assert not any("o" in pair or "dau" in pair for pair in q.pairs)  # function words are no terms


def test_the_phrase_in_order_is_held_scattered_words_are_not(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("Hồ sơ nộp trực tuyến được tiếp nhận ở đâu?")
    weights, _ = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)

    def share(body: str) -> float:
        return phrase_share(body, token_set(body), q, weights)

    ordered = share("tiep_nhan ho_so nop truc_tuyen tai trung_tam")
    one_apart = share("ho_so duoc nop qua truc_tuyen")
    scattered = share("truc_tuyen tiep_nhan va nop ho_so")
    assert ordered > scattered and one_apart > scattered
    # A compound's syllables ("_ho _so") are no words of the sentence.
    assert share("_ho _so _nop") == 0.0


def test_a_clause_stating_the_phrase_ranks_above_one_scattering_its_words(shipped_kb: KnowledgeBase) -> None:
    bodies = ("ho_so nop truc_tuyen duoc tiep_nhan tai bo_phan mot_cua",
              "tiep_nhan truc_tuyen tai bo_phan mot_cua va nop ho_so")
    better, worse = scored_candidates(shipped_kb, "Hồ sơ nộp trực tuyến được tiếp nhận ở đâu?", *bodies, indexed=True)
    assert better.coverage == worse.coverage
    assert better.score > worse.score
    better, worse = scored_candidates(shipped_kb, "Hồ sơ nộp trực tuyến được tiếp nhận ở đâu?", *bodies, indexed=True,
                                      w=replace(WEIGHTS, phrase=0.0))
    assert better.score == worse.score


def test_a_figure_question_is_not_ranked_by_phrase(shipped_kb: KnowledgeBase) -> None:
    # A figure's row restates no phrase of the question: its topic is in its lead-in.
    question = "Tỷ lệ hồ sơ nộp trực tuyến đạt bao nhiêu phần trăm?"
    assert shipped_kb.read(question).wants_figure
    a, b = scored_candidates(shipped_kb, question, "ty_le ho_so nop truc_tuyen dat 80%",
                             "nop truc_tuyen ho_so ty_le dat 80%", indexed=True)
    assert a.score == b.score


def test_phrase_probe(shipped_kb: KnowledgeBase) -> None:
    # The meeting's report names the Vice-Chairman over its first paragraph; the remark on
    # e-government states "về xây dựng chính quyền điện tử" as asked.
    answer = shipped_kb.search("Góp ý dự thảo khâu đột phá, Phó Chủ tịch tỉnh Thanh Hóa lưu ý gì về "
                               "xây dựng chính quyền điện tử?")
    assert answer.answered
    assert "phần cứng và phần mềm" in answer.results[0].text


# --- a question phrase inside a word -----------------------------------------------------------

def test_a_question_phrase_inside_a_word_is_not_asked(shipped_kb: KnowledgeBase) -> None:
    # Folded, "chỉ số nào" holds "so nao" (sở nào, which department): "chỉ số" is one word.
    assert not shipped_kb.read("Kế hoạch nâng những chỉ số nào?").intent.agency
    assert shipped_kb.read("Kế hoạch giao sở nào chủ trì?").intent.agency
    assert shipped_kb.read("hn thì sở nào phải làm").intent.agency


def test_which_indexes_probe(shipped_kb: KnowledgeBase) -> None:
    # Read as an agency question, a clause naming "các cơ quan" came first.
    answer = shipped_kb.search("Năm 2025 Cao Bằng có kế hoạch nâng cao chỉ số nào?")
    assert answer.answered
    assert answer.results[0].text.startswith("KẾ HOẠCH CẢI THIỆN, NÂNG CAO CÁC CHỈ SỐ")
