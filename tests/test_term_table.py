"""Issue 14, per-candidate cost: `ranker.score` looks up what depends only on the question and a
term once per question (`ranker._term_table`, kept for the last question asked). The table must
follow every input it is built from — the question, the weights, the known words, the Weights —
so that a candidate scores the same whichever question was scored before it."""

from __future__ import annotations

from dataclasses import replace

from candidates import indexed_candidate

from knowledge import KnowledgeBase
from knowledge.ranker import WEIGHTS, Weights, score, term_weights
from knowledge.reader import Query


def _scored(body: str, q: Query, weights: dict[str, float], known: set[str],
            w: Weights = WEIGHTS) -> tuple[float, float]:
    """Score and coverage of a clause whose FTS column is `body`."""
    c = indexed_candidate(1, body)
    score(c, q, weights, known, w)
    return c.score, c.coverage


def test_new_weights_for_the_same_question_are_used(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("thời hạn nộp báo cáo")
    heavy_first = {"cai_cach": 3.0, "thu_tuc": 1.0}
    light_first = {"cai_cach": 1.0, "thu_tuc": 3.0}
    a = _scored("cai_cach bo_may _cai _cach _bo _may", q, heavy_first, set())
    b = _scored("cai_cach bo_may _cai _cach _bo _may", q, light_first, set())
    assert a[1] == 0.75 and b[1] == 0.25  # the clause holds "cai_cach" only


def test_the_known_words_of_each_call_are_used(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("thời hạn nộp báo cáo")
    weights = {"xep_hang": 1.0}
    # The clause holds "hạng" alone: a known compound is credited for its syllable, an unknown one not.
    known = _scored("hang cua tinh", q, weights, {"xep_hang"})
    unknown = _scored("hang cua tinh", q, weights, set())
    assert unknown[1] == 0.0
    assert known[1] == WEIGHTS.word_parts / 2


def test_other_weights_are_used(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("thời hạn nộp báo cáo")
    weights = {"cach": 1.0}  # found only inside "cải cách"
    assert _scored("cai_cach _cai _cach", q, weights, set())[1] == WEIGHTS.part_of_word
    other = replace(WEIGHTS, part_of_word=WEIGHTS.part_of_word / 2)
    assert _scored("cai_cach _cai _cach", q, weights, set(), other)[1] == WEIGHTS.part_of_word / 2


def test_interleaved_questions_score_alike(shipped_kb: KnowledgeBase) -> None:
    texts = ("cai_cach thu_tuc hanh_chinh giam thoi_gian giai_quyet ho_so _cai _cach _thu _tuc _hanh _chinh"
             " _thoi _gian _giai _quyet _ho _so",
             "ty_le ho_so truc_tuyen toan_trinh dat 80% _ty _le _ho _so _truc _tuyen _toan _trinh",
             "xep_hang chi_so par index cua tinh _xep _hang _chi _so")
    asked = [shipped_kb.read(s) for s in ("giam thoi gian giai quyet ho so", "xếp hạng par index",
                                          "ty le ho so truc tuyen toan trinh")]
    tables = [term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses) for q in asked]

    def all_scores(order: list[int]) -> dict[tuple[int, str], tuple[float, float]]:
        out: dict[tuple[int, str], tuple[float, float]] = {}
        for i in order:
            weights, known = tables[i]
            for t in texts:
                out[i, t] = _scored(t, asked[i], weights, known)
        return out

    in_a_row = all_scores([0, 1, 2])
    # Each question scored right after another, its candidates alternating with the others'.
    interleaved: dict[tuple[int, str], tuple[float, float]] = {}
    for t in texts:
        for i in (2, 0, 1):
            weights, known = tables[i]
            interleaved[i, t] = _scored(t, asked[i], weights, known)
    assert interleaved == in_a_row
    assert len(set(in_a_row.values())) > 3  # the questions score the clauses differently


def test_the_blank_form_test_agrees_with_its_pattern_at_each_edge() -> None:
    # `blank_form` skips the pattern when a text holds neither six dots in a row nor two ellipses.
    from knowledge.ranker import _BLANKS, blank_form

    for text in ("Họ và tên: ......", "Họ và tên: .....", "ngày …… tháng", "ngày … tháng …",
                 "…. …. ….", "ngày….….….", "… .. …", "năm… tháng…. ngày….", "Cải cách hành chính.", "", "…",
                 ".....…", "……"):
        assert blank_form(text) == bool(_BLANKS.search(text)), text
    assert blank_form("ngày….….….") and blank_form("Họ và tên: ......") and not blank_form("… .. …")
