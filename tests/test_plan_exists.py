"""Issue 8: "is there a plan for …?" and "what is the plan for?" questions. Whether a document
exists is read as an intent (lang/intents.tsv exists, exists_kind, exists_end), distinct from a
yes/no about a target; its answer is the clause issuing the document (title line, "Điều 1. Ban
hành kèm theo …", a web copy's "… đã ban hành Kế hoạch số …"), a year none of the province's
plans is of by its title is said missing, and a subject none of its documents holds gets what
it does hold. A purpose question is answered from the "Mục đích" section."""

from __future__ import annotations

import pytest

from handlers.replies import PLAIN, note_lines
from knowledge import KnowledgeBase
from knowledge.ranker import WEIGHTS, Candidate, _issues


@pytest.mark.parametrize("question", [
    "Quảng Trị có kế hoạch cải cách hành chính năm 2027 chưa?",
    "đã có kế hoạch CCHC năm 2026 của tỉnh chưa",
    "tỉnh đã ban hành kế hoạch nâng cao chỉ số PAPI chưa vậy",
    "thành phố có ban hành quyết định về chuyển đổi số không",
    "co ke hoach cai cach hanh chinh nam 2025 khong",
    "tinh co ke hoach cchc 2026 ko ad",
    "Is there a 2025 reform plan for Ninh Binh?",
    "Has Hue issued a decision on digital government?",
    "Does Hanoi have a plan for 2030?",
])
def test_asking_whether_a_document_exists_is_an_intent(shipped_kb: KnowledgeBase, question: str) -> None:
    assert shipped_kb.read(question).intent.exists


@pytest.mark.parametrize("question", [
    "kế hoạch có phải đạt 80% hồ sơ trực tuyến không",  # a yes/no about a target
    "có phải thanh toán trực tuyến 50% không",
    "có kế hoạch nào nói về thanh toán trực tuyến đâu",  # no "chưa / không" closing it
    "kế hoạch có giao Sở Nội vụ chủ trì không",  # what the plan says, not whether it exists
    "When was the plan issued?",
    "What is the target of the 2025 plan?",
])
def test_other_questions_do_not_ask_whether_a_document_exists(shipped_kb: KnowledgeBase, question: str) -> None:
    assert not shipped_kb.read(question).intent.exists


@pytest.mark.parametrize("question", [
    "kế hoạch CCHC năm 2026 nhằm mục đích gì",
    "muc dich cua ke hoach cai cach hanh chinh la gi",
    "KH CCHC 2022 cải cách TTHC để làm j vậy",
    "What is the purpose of the 2026 reform plan?",
])
def test_asking_what_a_plan_is_for_is_an_intent_whose_words_are_not_searched(
        shipped_kb: KnowledgeBase, question: str) -> None:
    q = shipped_kb.read(question)
    assert q.intent.purpose
    assert not {"muc_dich", "nham_muc_dich"} & set(q.terms)


def _clause(text: str, framing: bool, title: set[str], body: set[str]) -> Candidate:
    return Candidate(clause_id=1, doc_id=1, body=frozenset(body), context_text="", text_norm=text,
                     years_json="[]", doc_years=[], doc_named=set(), doc_province=None, doc_current=None,
                     has_target=False, length=len(text), ordinal=1, framing=framing, title=frozenset(title))


def test_the_issuing_clause_is_the_title_restated_or_an_announcement(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("tỉnh có kế hoạch cải cách hành chính năm 2026 chưa")
    title = {"ke_hoach", "cai_cach", "hanh_chinh", "tinh", "nam", "2026"}
    assert _issues(_clause("kế hoạch cải cách hành chính tỉnh năm 2026", True, title, title), q, WEIGHTS)
    announced = "ngày 30/12/2025, ubnd tỉnh đã ban hành kế hoạch số 18/kh-ubnd về cải cách hành chính"
    assert _issues(_clause(announced, False, title, {"ubnd", "ke_hoach"}), q, WEIGHTS)
    article = "điều 1. ban hành kèm theo quyết định này kế hoạch cải cách hành chính năm 2026"
    assert _issues(_clause(article, True, title, title | {"dieu", "1"}), q, WEIGHTS)
    # A bare heading frames the document without restating its title; the legal basis cites another.
    assert not _issues(_clause("i. mục đích, yêu cầu", True, title, {"muc_dich", "yeu_cau"}), q, WEIGHTS)
    basis = "căn cứ nghị quyết số 76/nq-cp ban hành chương trình tổng thể cải cách hành chính"
    assert not _issues(_clause(basis, True, title, {"can_cu", "cai_cach", "hanh_chinh"}), q, WEIGHTS)
    # Another document cited as issued is no announcement of this one.
    cited = "kế hoạch số 2943/kh-ubnd ngày 20/9/2021 của ubnd tỉnh ban hành kế hoạch cải cách hành chính"
    assert not _issues(_clause(cited, False, title, {"ke_hoach", "cai_cach", "hanh_chinh"}), q, WEIGHTS)


def test_is_there_a_plan_is_answered_by_the_clause_issuing_it(shipped_kb: KnowledgeBase) -> None:
    a = shipped_kb.search("Hải Phòng có kế hoạch thực hiện Chương trình tổng thể CCHC giai đoạn 2026-2030 chưa?")
    assert a.answered
    assert a.results[0].meta.document == "3470/QĐ-UBND"
    # The web copy's title line: it names the document's number.
    assert a.results[0].text.startswith("Quyết định 3470/QĐ-UBND năm 2025 về Kế hoạch")
    assert all(r.meta.document == "3470/QĐ-UBND" for r in a.results)
    # A directive's title restated, though the question names no document by its title's words.
    ct = shipped_kb.search("Đắk Lắk đã ban hành chỉ thị về cải cách thủ tục hành chính chưa")
    assert ct.answered and ct.results[0].text.startswith("CHỈ THỊ VỀ VIỆC TĂNG CƯỜNG CẢI CÁCH THỦ TỤC HÀNH CHÍNH")
    en = shipped_kb.search("Is there a 2025 reform plan for Nghe An?")
    assert en.answered and en.results[0].meta.document == "2228/QĐ-UBND"
    assert "Kế hoạch cải cách hành chính" in en.results[0].text


def test_a_plan_of_another_year_is_said_missing_with_the_years_held(shipped_kb: KnowledgeBase) -> None:
    # Hà Nội's 2025 plan names 2030 in its clauses ("đến năm 2030"): it is no plan of 2030.
    a = shipped_kb.search("Hà Nội có kế hoạch CCHC năm 2030 không")
    assert not a.answered
    note = next(n for n in a.notes if n["kind"] == "no_year")
    assert note["years"] == [2030] and note["available"] == [2025]
    assert note_lines(a.notes, PLAIN) == ["📭 Chưa có kế hoạch năm 2030 của Hà Nội; có: 2025."]


def test_a_subject_no_document_of_the_province_holds_gets_what_it_holds(shipped_kb: KnowledgeBase) -> None:
    a = shipped_kb.search("tỉnh Lào Cai có ban hành kế hoạch cải thiện chỉ số PAPI không")
    assert not a.answered
    note = next(n for n in a.notes if n["kind"] == "no_match")
    assert note["provinces"] == ["Lào Cai"]
    assert [h.split()[0] for h in note["held"]] == ["395/KH-UBND"]
    line = note_lines(a.notes, PLAIN)[0]
    assert line.startswith("📭 Chưa có văn bản của Lào Cai về nội dung này; hiện có: 395/KH-UBND KẾ HOẠCH")
    # Not a question whether a plan exists: refused without the list.
    other = shipped_kb.search("Lào Cai chỉ số PAPI năm 2023 đạt bao nhiêu điểm")
    assert not any(n["kind"] == "no_match" for n in other.notes)


def test_what_a_plan_is_for_is_answered_from_its_purpose_section(shipped_kb: KnowledgeBase) -> None:
    a = shipped_kb.search("Kế hoạch CCHC năm 2026 của Văn phòng UBND tỉnh Lai Châu nhằm mục đích gì?")
    assert a.answered
    # Not the news sentence announcing it, nor the plan of 2021 it cites under the same heading.
    assert a.results[0].text.startswith("- Cụ thể hoá các mục tiêu, nhiệm vụ")
    b = shipped_kb.search("muc dich ke hoach cai cach hanh chinh tinh bac giang nam 2022 la gi")
    assert b.answered and b.results[0].meta.document == "6891/KH-UBND"
    # A web copy's prose stating it ("Mục đích nhằm xây dựng nền hành chính …"), no heading over it.
    c = shipped_kb.search("Mục đích kế hoạch CCHC năm 2023 của Thanh Hóa là gì")
    assert any(r.text.startswith("Mục đích nhằm xây dựng nền hành chính") for r in c.results[:3])
