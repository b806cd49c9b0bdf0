"""Issue 8, reader gaps: document numbers as people type them — Party documents' codes
("12-NQ/TU"), loose forms ("kh 308", "qd 1234/qđ-ubnd", "cv so 12") — and "kỹ năng số"
keeping its "số"."""

from __future__ import annotations

from knowledge import KnowledgeBase
from knowledge.reader import expand_number_codes, number_kind


def test_a_party_style_number_has_its_kind_before_the_slash() -> None:
    assert number_kind("12-NQ/TU") == "nq"
    assert number_kind("01-CTr/TU") == "ctr"
    # The state style is read as before.
    assert number_kind("1519/KH-UBND") == "kh" and number_kind("77/2025/NQ-HĐND") == "nq"


def test_issuer_codes_of_a_number_are_spelled_out() -> None:
    assert expand_number_codes("Nghị quyết số 12-NQ/TU ngày 26/5/2022") == "Nghị quyết số 12-NQ/ tỉnh ủy ngày 26/5/2022"
    assert "trung ương" in expand_number_codes("theo Nghị quyết 57-NQ/TW")
    assert "đại hội" in expand_number_codes("Nghị quyết số 01-NQ/ĐH")
    # Codes outside a number are left alone ("tu" is "từ"), and so are state codes (UBND, HĐND
    # are spelled both ways by the index already).
    assert expand_number_codes("tu nam 2021 den nay") == "tu nam 2021 den nay"
    assert expand_number_codes("Kế hoạch 308/KH-UBND") == "Kế hoạch 308/KH-UBND"


def test_a_cited_party_resolution_is_read_and_found(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("Nghị quyết 12-NQ/TU nói gì về cải cách hành chính")
    # Not directive 012/CT-UBND (a held document numbered 12 of another kind), not "từ".
    assert q.doc_numbers == () and "tu" not in q.terms
    assert {"12", "tinh_uy"} <= set(q.terms) and ("12", "nq") in q.cited
    # The clause citing that very number answers, in either style of writing it.
    for question, cited in (("Nghị quyết 12-NQ/TU của tỉnh ủy nói gì về cải cách hành chính", "12-NQ/TU"),
                            ("Theo nghị quyết số 05/NQ-TU về cải cách hành chính thì sao", "05/NQ-TU"),
                            ("nghi quyet so 05 cua tinh uy ve cai cach hanh chinh", "05/NQ-TU")):
        answer = shipped_kb.search(question)
        assert answer.answered and cited in answer.results[0].text, question


def test_a_kind_word_names_only_a_document_of_its_kind(shipped_kb: KnowledgeBase) -> None:
    # "chỉ thị 12" is directive 012/CT-UBND; "nghị quyết 12" and "công văn 12" are not.
    assert shipped_kb.read("chỉ thị 12 của Đắk Lắk yêu cầu gì").doc_numbers == ("12",)
    assert shipped_kb.read("ct 012/ct-ubnd").doc_numbers == ("12",)
    assert shipped_kb.read("nghị quyết 12 nói gì").doc_numbers == ()


def test_loose_document_numbers(shipped_kb: KnowledgeBase) -> None:
    for typed in ("kh 308", "kh308", "KH số 308", "kh so 308 muc tieu"):
        assert shipped_kb.read(typed).doc_numbers == ("308",), typed
    for typed in ("qd 1256", "qđ 1256/QĐ-UBND", "quyet dinh so 1256", "1256/qđ"):
        assert shipped_kb.read(typed).doc_numbers == ("1256",), typed


def test_a_number_named_with_its_kind_that_no_document_has_is_said_missing(shipped_kb: KnowledgeBase) -> None:
    # "1234" is a figure in one of the plans' tables: no clause cites a decision 1234/QĐ-UBND.
    for typed, missing in (("qd 1234/qđ-ubnd", "1234/qđ-ubnd"), ("cv so 12", "12/CV"),
                           ("công văn số 12 nói gì", "12/CV")):
        answer = shipped_kb.search(typed)
        assert not answer.answered, typed
        note = next(n for n in answer.notes if n["kind"] == "no_document")
        assert note["numbers"] == [missing], typed
    # A resolution the plans cite ("Nghị quyết số 05/NQ-TU") is no missing document, and a plan's
    # years are no number.
    assert shipped_kb.read("nghị quyết số 05 về cải cách hành chính").missing_numbers == ()
    assert shipped_kb.read("kế hoạch 2021-2025 của Quảng Ngãi").missing_numbers == ()
