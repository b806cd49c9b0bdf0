"""Out-of-scope questions the plans do not answer (issue 8, precision of the decider).

`tests/data/out_of_scope2.jsonl`: 60 questions people send a public-service bot that the 26
shipped documents do not answer (everyday life, procedures the plans do not cover, provinces,
ministries and years with no plan, near-misses sharing the field's words; marked, unmarked, chat,
English) and 30 in-scope controls written the same way. Before the everyday-subject test
(`lang/subjects.txt`, `Weights.subject_missing`) 47 of the 60 were refused, after it 54, 59 with
the subjects read across unmarked units and the second batch of subjects (fines, taxes, civil
status, phones), 60 with their English names (56 on main 322ba7a).

`tests/data/out_of_scope3.jsonl`: 40 more, written before the code changed (fines, wages, taxes,
civil status, traffic, provinces and ministries with no document, English, chat) and 20 controls:
31 of the 40 refused on main 322ba7a, 39 after this pass."""

from __future__ import annotations

import json
from pathlib import Path

from test_eval import _scorer

from knowledge import KnowledgeBase
from knowledge.ranker import WEIGHTS, Candidate, score, term_weights
from knowledge.text import fold, words

DATA = Path(__file__).parent / "data"


def _candidate(text: str, terms: tuple[str, ...]) -> Candidate:
    """A clause whose body holds its syllables and the question's compounds it spells (as the
    index's segmented column would)."""
    folded = f" {' '.join(words(fold(text)))} "
    body = set(folded.split()) | {t for t in terms if f" {t.replace('_', ' ')} " in folded}
    return Candidate(clause_id=1, doc_id=1, body=frozenset(body), context_text="",
                     text_norm=text, years_json="[]", doc_years=[], doc_named=set(), doc_province=None,
                     doc_current=None, has_target=False, length=80, ordinal=1)


def test_an_everyday_subject_is_read_as_one_a_longer_plan_word_is_not(shipped_kb: KnowledgeBase) -> None:
    assert shipped_kb.read("làm hộ chiếu cần giấy tờ gì").subjects == ("hộ chiếu",)
    assert shipped_kb.read("lam ho chieu can giay to gi").subjects == ("hộ chiếu",)
    assert shipped_kb.read("how do I apply for a passport").subjects == ("hộ chiếu",)
    assert shipped_kb.read("cán bộ xã được phụ cấp bao nhiêu").subjects == ("phụ cấp",)
    assert shipped_kb.read("tra cứu phạt nguội ở đâu").subjects == ("phạt nguội",)
    # "lương" is listed; the "lượng" inside "chất lượng" (the same folded syllable) is no subject.
    assert not shipped_kb.read("đánh giá chất lượng cán bộ công chức").subjects
    assert not shipped_kb.read("danh gia xep loai chat luong can bo").subjects
    assert not shipped_kb.read("tỷ lệ hồ sơ trực tuyến năm 2025").subjects
    assert not shipped_kb.read("khac phuc sai sot trong giai quyet ho so").subjects


def test_a_clause_without_the_subject_covers_too_little_to_answer(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("làm hộ chiếu cần những giấy tờ gì")
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    frame = _candidate("thông tin, giấy tờ, tài liệu trong các thủ tục hành chính chỉ cung cấp một lần", q.terms)
    held = _candidate("làm hộ chiếu phổ thông: người dân cần những giấy tờ theo quy định", q.terms)
    score(frame, q, weights, known)
    score(held, q, weights, known)
    assert held.coverage >= WEIGHTS.min_coverage
    assert frame.coverage < WEIGHTS.min_coverage and frame.topic_coverage < WEIGHTS.min_coverage
    # The marked spelling decides: "lượng" (in "chất lượng") does not hold "lương".
    q = shipped_kb.read("lương cơ sở năm nay là bao nhiêu")
    assert q.subjects == ("lương cơ sở",)
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    other = _candidate("nâng cao chất lượng cơ sở dữ liệu", q.terms)
    score(other, q, weights, known)
    assert other.coverage < WEIGHTS.min_coverage


def test_everyday_subjects_are_refused_on_the_shipped_plans(shipped_kb: KnowledgeBase) -> None:
    for question in ("đổi hộ chiếu mất bao lâu", "lam ho chieu can giay to gi", "how do I renew my passport",
                     "phụ cấp cán bộ công chức bao nhiêu", "đăng ký xe máy online",
                     "con bị sốt cao thì khám ở đâu"):
        assert not shipped_kb.search(question).answered, question
    # The controls of the same shape stay answered.
    assert shipped_kb.search("hà nội hỗ trợ chi phí chữ ký số bao nhiêu một năm").answered
    assert shipped_kb.search("hải phòng bị kỷ luật trong năm thì xếp loại chất lượng thế nào").answered


def test_out_of_scope2_floors(shipped_kb: KnowledgeBase) -> None:
    """Floors at today's figures: 60 of the 60 refused (47, 54, then 56 before), controls 0.967 / 1.0."""
    refused, m = _refused_and_controls(shipped_kb, "out_of_scope2.jsonl", 60, 30)
    assert refused >= 60, refused
    assert m["hit@1"] >= 0.96 and m["hit@3"] == 1.0, m


def _refused_and_controls(kb: KnowledgeBase, name: str, n_outside: int, n_controls: int) -> tuple[int, dict]:
    """(how many of the file's out-of-scope questions are refused, the controls' metrics)."""
    items = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    outside = [i for i in items if i.get("expect_none")]
    controls = [i for i in items if i.get("expect_any")]
    assert len(outside) == n_outside and len(controls) == n_controls
    refused = sum(not kb.search(i["q"]).answered for i in outside)
    answers = [json.loads(json.dumps(kb.search(i["q"], top=3).to_json())) for i in controls]
    return refused, _scorer().score(controls, answers)


def test_a_subject_cut_in_two_units_is_named_one_straddling_units_is_not(shipped_kb: KnowledgeBase) -> None:
    # The glossary gives "giấy phép" + "lao động" for "work permit": still the subject.
    assert "giấy phép lao động" in shipped_kb.read("How do I get a work permit for foreign experts?").subjects
    assert not shipped_kb.search("How do I get a work permit for foreign experts?").answered
    # "đánh giá" + "thứ hạng" hold the syllables of "giá thú" across two words: no subject.
    assert shipped_kb.read("đánh giá thứ hạng PAPI Quảng Ngãi 2025").subjects == ()


def test_out_of_scope3_floors(shipped_kb: KnowledgeBase) -> None:
    """Floors at today's figures: 39 of the 40 refused (31 on main), controls 0.90 / 0.95."""
    refused, m = _refused_and_controls(shipped_kb, "out_of_scope3.jsonl", 40, 20)
    assert refused >= 39, refused
    assert m["hit@1"] >= 0.9 and m["hit@3"] >= 0.95, m


def test_an_unmarked_subject_is_read_across_units_not_across_plan_words(shipped_kb: KnowledgeBase) -> None:
    # "o" reads as "ở", "to" as a function word: together, typed without marks, they are "ô tô".
    assert "ô tô" in shipped_kb.read("phat vi pham o to bao nhieu tien").subjects
    # "tinh tien" is one dictionary word the plans never use: "tiền điện" may cut it.
    assert "tiền điện" in shipped_kb.read("cach tinh tien dien hang thang").subjects
    # "đánh giá" and "thứ hạng" are plan words: no "giá thú" across them, marked or not.
    assert shipped_kb.read("danh gia thu hang papi quang ngai 2025").subjects == ()
    # Typed with marks, only the marked words count: "ở tổ" is no "ô tô".
    assert "ô tô" not in shipped_kb.read("nộp hồ sơ ở tổ một cửa").subjects


def test_fines_taxes_civil_status_and_phones_are_subjects(shipped_kb: KnowledgeBase) -> None:
    for question in ("đăng ký khai sinh cho con quá hạn có bị phạt không", "xin giay chung tu o dau",
                     "mức phạt đi xe không đội mũ bảo hiểm", "chạy quá tốc độ bị phạt bao nhiêu",
                     "quyết toán thuế thu nhập online thế nào", "cách cập nhật ứng dụng trên điện thoại",
                     "thuong tet cho cong nhan co bat buoc khong", "đi làm muộn có bị kỷ luật không",
                     "vượt đèn vàng có bị phạt không", "thuế nhà đất năm nay tăng không",
                     "how do I pay a traffic fine online", "what is the tax rate for small businesses"):
        assert not shipped_kb.search(question).answered, question
    # The plans' own "kỷ luật" and "cập nhật" still answer when no everyday subject is named.
    assert shipped_kb.search("hải phòng công chức bị kỷ luật trong năm thì xếp loại thế nào").answered
    assert shipped_kb.search("bộ xây dựng cập nhật thủ tục hành chính lên cơ sở dữ liệu nào").answered


def test_english_everyday_subjects_are_translated_to_the_listed_subject(shipped_kb: KnowledgeBase) -> None:
    assert "lương tối thiểu" in shipped_kb.read("what is the minimum wage").subjects
    assert "khai thuế" in shipped_kb.read("how do I file my tax return online").subjects
    for question in ("what is the minimum wage", "how do I file my tax return online",
                     "how do I get a birth certificate for my baby"):
        assert not shipped_kb.search(question).answered, question


def test_an_issuer_opening_the_question_before_a_year_owns_the_plan_asked(shipped_kb: KnowledgeBase) -> None:
    # The year it plans for between the issuer and what it does: still the plan's owner, and a
    # ministry with no document held is told so instead of another province's target.
    q = shipped_kb.read("Bộ Công Thương năm 2025 đặt chỉ tiêu dịch vụ công trực tuyến bao nhiêu")
    assert q.owners == ("bct",)
    answer = shipped_kb.search("Bộ Công Thương năm 2025 đặt chỉ tiêu dịch vụ công trực tuyến bao nhiêu")
    assert not answer.answered
    assert any(n.get("kind") == "no_document" for n in answer.notes), answer.notes
    # "phấn đấu" is what a plan's owner does too (lang/owner_verbs.txt).
    assert shipped_kb.read("Bộ Tư pháp năm 2026 phấn đấu bao nhiêu phần trăm hồ sơ trực tuyến").owners == ("btp",)
    assert not shipped_kb.search("Bộ Tư pháp năm 2026 phấn đấu bao nhiêu phần trăm hồ sơ trực tuyến").answered
    # A ministry whose plan is held still answers the same shape from its own plan.
    held = shipped_kb.search("Bộ Xây dựng năm 2025 đặt mục tiêu sự hài lòng bao nhiêu phần trăm")
    assert held.answered and held.results[0].meta.document == "664/QĐ-BXD"
