"""Issue 8, articles' lead-ins: in a decision or regulation each article ("Điều N.") opens a
context of its own — its title is the section of its clauses, and no lead-in of the article
before it ("1. Đối với công chức … không giữ chức vụ lãnh đạo, quản lý:") reaches it; an
appendix's label ("Phụ lục 01") closes the last article; a sentence opening as the case of the
one before it ("Trường hợp …", lang/continuations.txt) reads that sentence as its lead-in; and a
blank form's fill-in lines rank lower (Weights.blank_form)."""

from __future__ import annotations

from typing import Any

from candidates import clause_candidate

from knowledge.clauses import split_clauses
from knowledge.ranker import blank_form, score, term_weights

REGULATION = [
    "QUY ĐỊNH VỀ TIÊU CHÍ ĐÁNH GIÁ CÁN BỘ, CÔNG CHỨC",
    "Điều 5. Tiêu chí đánh giá kết quả thực hiện nhiệm vụ",
    "1. Đối với công chức không giữ chức vụ lãnh đạo, quản lý:",
    "Kết quả thực hiện nhiệm vụ theo kế hoạch được giao trong năm.",
    "Điều 6. Tiêu chí xếp loại chất lượng công chức giữ chức vụ lãnh đạo, quản lý",
    "a) Có tổng số điểm trên 90 điểm đến 100 điểm.",
    "Điều 7. Lưu giữ tài liệu đánh giá",
    "Tài liệu kết quả đánh giá được lưu giữ bằng hình thức điện tử, bao gồm:",
    "1. Phiếu theo dõi, đánh giá công chức theo tháng;",
    "Phụ lục 01",
    "Họ và tên: ................................................",
]


def _by_text(lines: list[str]) -> dict[str, Any]:
    return {c.text: c for c in split_clauses(lines)}


def test_an_article_opens_its_own_context() -> None:
    clauses = _by_text(REGULATION)
    item = clauses["a) Có tổng số điểm trên 90 điểm đến 100 điểm."]
    # Not the lead-in of the article before ("… không giữ chức vụ lãnh đạo, quản lý:"): its own title.
    assert "không giữ" not in item.lead
    assert item.section.startswith("Điều 6. Tiêu chí xếp loại chất lượng công chức giữ chức vụ")
    # The article's title stays a clause of its own ("điều 6 là gì").
    assert "Điều 6. Tiêu chí xếp loại chất lượng công chức giữ chức vụ lãnh đạo, quản lý" in clauses


def test_an_appendix_label_closes_the_last_article() -> None:
    form = _by_text(REGULATION)["Họ và tên: ................................................"]
    assert form.lead == "" and "Điều 7" not in form.section


def test_an_article_written_as_a_sentence_ends_the_lead_ins_of_the_one_before() -> None:
    decision = ["QUYẾT ĐỊNH:",
                "Điều 1. Ban hành kèm theo Quyết định này các nội dung sau:",
                "1. Kế hoạch cải cách hành chính năm 2026 của tỉnh.",
                "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký."]
    article = _by_text(decision)["Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký."]
    assert article.lead == "QUYẾT ĐỊNH:"  # the part heading's, not Điều 1's "… các nội dung sau:"


def test_a_case_of_the_sentence_before_reads_it_as_its_lead_in() -> None:
    paragraph = ("1. Việc đánh giá được thực hiện theo từng năm công tác. Đối với công chức chuyển công tác "
                 "thì cơ quan mới có trách nhiệm đánh giá, xếp loại chất lượng. Trường hợp có thời gian công "
                 "tác ở cơ quan cũ từ 06 tháng trở lên thì phải kết hợp với ý kiến nhận xét của cơ quan cũ. "
                 "Thời điểm đánh giá được tiến hành trước ngày 15 tháng 12 hằng năm theo quy định hiện hành.")
    clauses = split_clauses(["Điều 10. Thời điểm đánh giá", paragraph])
    case = next(c for c in clauses if c.text.startswith("Trường hợp"))
    assert case.lead.startswith("Đối với công chức chuyển công tác")
    other = next(c for c in clauses if c.text.startswith("Thời điểm đánh giá được"))
    assert other.lead == ""  # a sentence of its own keeps no lead-in


def test_a_blank_forms_fill_in_lines_rank_lower(shipped_kb: Any) -> None:
    assert blank_form("……, ngày.... tháng.... năm…. NGƯỜI TỰ NHẬN XÉT")
    assert blank_form("Họ và tên: ................................................")
    assert not blank_form("Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%...")
    question = "lãnh đạo quản lý tự nhận xét xếp loại chất lượng thế nào"
    q = shipped_kb.read(question)
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    text = "b. tự nhận xét, xếp loại chất lượng của lãnh đạo, quản lý: ...................."
    form, prose = clause_candidate(1, text), clause_candidate(2, text)
    form.blank = True
    for c in (form, prose):
        score(c, q, weights, known)
    assert form.coverage == prose.coverage  # still matches: only ranked lower
    assert form.score < prose.score


def test_shipped_regulation_articles_carry_no_earlier_lead_in(shipped_kb: Any) -> None:
    # 212/2025/QĐ-UBND: a leader's "hoàn thành xuất sắc" score is read under Điều 7's title, not
    # under Điều 5's "Đối với công chức, viên chức không giữ chức vụ lãnh đạo, quản lý:".
    doc = next(d for d, m in shipped_kb.docs.items() if m.document == "212/2025/QĐ-UBND")
    rows = shipped_kb.index.clauses_containing(doc, "a) có tổng số điểm trên 90 điểm đến 100 điểm", 3)
    assert rows
    for r in rows:
        assert "dieu 7" in r["context"] and "khong giu" not in r["context"]
    # Asked for a leader, its score is among the first three, no blank assessment form above it.
    answer = shipped_kb.search("lãnh đạo, quản lý hoàn thành xuất sắc nhiệm vụ cần bao nhiêu điểm")
    assert "a) Có tổng số điểm trên 90 điểm đến 100 điểm." in [r.text for r in answer.results[:3]]
    assert all(not blank_form(r.text) for r in answer.results[:3])


def test_a_sentence_holding_its_own_list_ends_the_lead_in_paragraph_above() -> None:
    # Footnotes of a dispatch, their marks stripped: the second list says what it lists itself
    # ("… đạt tỷ lệ thấp như: …"); the first note's "… dưới 90% gồm:" is not its subject.
    notes = ["II. TÌNH HÌNH THỰC HIỆN",
             "Tỷ lệ TTHC liên quan đến doanh nghiệp được cung cấp trực tuyến còn 06 địa phương đạt dưới 90% gồm:",
             "TP. Hồ Chí Minh (87,73%), Sơn La (87,26%), Lai Châu (59,42%).",
             "Một số địa phương đạt tỷ lệ thấp như: Điện Biên (13%); Khánh Hòa (22,3%).",
             "Ngân hàng Nhà nước (28,05%); Lai Châu (59,42%)."]
    by = _by_text(notes)
    assert "dưới 90% gồm" in by["TP. Hồ Chí Minh (87,73%), Sơn La (87,26%), Lai Châu (59,42%)."].lead
    assert "dưới 90%" not in by["Một số địa phương đạt tỷ lệ thấp như: Điện Biên (13%); Khánh Hòa (22,3%)."].lead
    assert "dưới 90%" not in by["Ngân hàng Nhà nước (28,05%); Lai Châu (59,42%)."].lead
    # A labelled line under a lead-in paragraph keeps it ("Chỉ tiêu: …" holds no list of its own).
    targets = ["Các chỉ tiêu chủ yếu đến năm 2025:", "Tỷ lệ hồ sơ trực tuyến toàn trình: đạt 80%."]
    assert _by_text(targets)["Tỷ lệ hồ sơ trực tuyến toàn trình: đạt 80%."].lead == "Các chỉ tiêu chủ yếu đến năm 2025:"
