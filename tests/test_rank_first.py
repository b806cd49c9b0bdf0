"""Issue 8, the right clause first (ranking, direct, central and period questions): an appendix's
title line is no answer to the rows under it; an unnumbered clause after a numbered item reads
the item as its lead-in, and states the amount the item only names; a question asking an amount
in a unit prefers the clause stating it, with or without a year. Unit tests on representative
forms, then one probe per mechanism on the shipped plans."""

from __future__ import annotations

from candidates import clause_candidate

from knowledge import KnowledgeBase
from knowledge.ranker import WEIGHTS, Candidate, continue_items, item_details, score, term_weights
from knowledge.reader import frames_document


def _candidate(ordinal: int, text: str, *, has_target: bool = False) -> Candidate:
    return clause_candidate(ordinal, text, has_target=has_target)


# --- an appendix's title line ----------------------------------------------------------------------

def test_an_appendix_title_with_its_covering_line_frames_the_document() -> None:
    title = "Kế hoạch cải cách hành chính năm 2025"
    assert frames_document("PHỤ LỤC II KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA CÁC SỞ, NGÀNH (Kèm theo Kế hoạch số "
                           "15/KH-UBND ngày 10 tháng 1 năm 2025 của Ủy ban nhân dân tỉnh)", title)
    assert frames_document("DANH MỤC NHIỆM VỤ TRỌNG TÂM (Ban hành kèm theo Quyết định số 12/QĐ-UBND)", title)
    # A row glued to the title it follows is still the title line.
    assert frames_document("12 | 30 | 4 | PHỤ LỤC III TỔNG HỢP KẾT QUẢ (Kèm theo Công văn số 88/UBND-KSTT "
                           "ngày 2 tháng 3 năm 2025 của Ủy ban nhân dân tỉnh)", title)
    # Content pointing to its appendix in passing, or naming the documents attached, is not.
    assert not frames_document("Hoàn thành 100% TTHC được số hóa trong năm 2025 (Phụ lục II kèm theo) và báo "
                               "cáo kết quả về Văn phòng UBND tỉnh trước ngày 15 hằng tháng để tổng hợp, theo dõi "
                               "và đôn đốc các cơ quan, đơn vị chưa hoàn thành.", title)
    assert not frames_document("Hồ sơ gồm tờ khai và các giấy tờ kèm theo", title)


def test_appendix_title_probe(shipped_kb: KnowledgeBase) -> None:
    # The title line of the Prime Minister's dispatch's appendix on businesses' procedures shares
    # every word of the question; the row of the ministry answers it.
    first = shipped_kb.search("Phụ lục về thủ tục liên quan doanh nghiệp kèm công điện 220 ghi Bộ Tư pháp có "
                              "bao nhiêu thủ tục không đủ điều kiện cung cấp trực tuyến").results[0].text
    assert first.startswith("Bộ Tư pháp |")


# --- a numbered item and the clause after it -------------------------------------------------------

def test_the_clause_after_a_numbered_item_reads_the_item_as_its_lead_in(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("thành phố hỗ trợ tối đa bao nhiêu tiền để gia hạn chứng thư chữ ký số")
    assert "đồng" in q.figure_units
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    item = _candidate(5, "ii. hỗ trợ 100% chi phí gia hạn chứng thư chữ ký số cho cá nhân", has_target=True)
    detail = _candidate(6, "chi phí hỗ trợ không vượt quá 100.000 đồng/năm")
    alone = _candidate(6, "chi phí hỗ trợ không vượt quá 100.000 đồng/năm")
    for c in (item, detail, alone):
        score(c, q, weights, known)
    pairs = continue_items([item, detail], q, weights, known)
    assert pairs == [(item, detail)]
    assert detail.coverage > alone.coverage  # the item's words count, as a lead-in's would
    assert detail.score < item.score
    item_details(pairs, q)
    assert detail.score == item.score + WEIGHTS.item_detail  # it states the amount the item names
    # A numbered clause after another is an item of its own; an item asked for no amount keeps its rank.
    sibling = _candidate(6, "iii. hỗ trợ không vượt quá 100.000 đồng/năm")
    assert continue_items([item, sibling], q, weights, known) == []
    other = shipped_kb.read("thành phố hỗ trợ gia hạn chứng thư chữ ký số như thế nào")
    w2, k2 = term_weights(other, shipped_kb.vocab, shipped_kb.n_clauses)
    item2, detail2 = _candidate(5, item.text_norm, has_target=True), _candidate(6, detail.text_norm)
    for c in (item2, detail2):
        score(c, other, w2, k2)
    before = detail2.score
    item_details(continue_items([item2, detail2], other, w2, k2), other)
    assert detail2.score < item2.score and detail2.score >= before


def test_item_detail_probe(shipped_kb: KnowledgeBase) -> None:
    first = shipped_kb.search("Mỗi người dân Hà Nội được thành phố hỗ trợ bao nhiêu tiền khi gia hạn chứng thư "
                              "chữ ký số?").results[0].text
    assert "100.000 đồng/năm" in first


# --- the unit of the amount asked ------------------------------------------------------------------

def test_an_amount_in_the_unit_asked_without_a_year(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("mức chi thuê chuyên gia tư vấn tối đa bao nhiêu tiền")
    assert not q.years and "đồng" in q.figure_units
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    stated = _candidate(1, "mức chi thuê chuyên gia tư vấn không quá 40.000.000 đồng/tháng")
    other = _candidate(2, "mức chi thuê chuyên gia tư vấn không quá 40% dự toán")
    for c in (stated, other):
        score(c, q, weights, known)
    assert stated.coverage == other.coverage
    assert stated.score - other.score >= WEIGHTS.figure_kind * 0.9


# --- a question contrasting two places -------------------------------------------------------------

def test_a_question_contrasting_two_places_asks_about_the_one_after_con(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("Bắc Ninh năm 2025 đạt 95% hồ sơ trực tuyến; còn Lào Cai năm 2023 đặt chỉ tiêu bao nhiêu?")
    assert q.provinces == ("Lào Cai",) and q.years == (2023,)
    assert "95%" not in q.terms and "ho_so" in q.terms  # the first part's topic is kept, not its figure
    # Typed in chat without the comma, or without marks after one.
    for text in ("Bắc Ninh năm 2025 đạt 95% hồ sơ trực tuyến còn Lào Cai năm 2023 đặt bao nhiêu",
                 "bac ninh nam 2025 dat 95% ho so truc tuyen, con lao cai nam 2023 dat bao nhieu"):
        chat = shipped_kb.read(text)
        assert chat.provinces == ("Lào Cai",) and chat.years == (2023,) and "95%" not in chat.terms, text
    # Without a year of its own, the asked part shares the first part's.
    assert shipped_kb.read("Năm 2024 Hà Tĩnh xếp 12/63, còn Nghệ An xếp thứ mấy?").years == (2024,)
    # "còn" of a single subject ("có còn phải …", "còn hiệu lực") changes nothing.
    for text in ("Ở Hà Nội, làm thủ tục qua mạng thì có còn phải trả lệ phí không?",
                 "Giai đoạn 2022-2025, Quảng Ngãi số hóa kết quả còn hiệu lực tăng tối thiểu bao nhiêu?"):
        assert shipped_kb.reader._asked_part(text) == text


def test_contrasted_places_probe(shipped_kb: KnowledgeBase) -> None:
    first = shipped_kb.search("Năm 2024 Cao Bằng có PAR INDEX xếp 63/63, còn Cần Thơ cũ thì PAR INDEX xếp hạng "
                              "mấy?").results[0].text
    assert first.startswith("a) PAR INDEX: Đạt 89,13%, hạng 22/63")


# --- an index, a place, a year ---------------------------------------------------------------------

def test_an_index_with_a_place_or_year_and_nothing_else_asks_its_figure(shipped_kb: KnowledgeBase) -> None:
    for text in ("SIPAS Hà Tĩnh 2025?", "chỉ số PCI Lào Cai", "chi so cai cach hanh chinh nghe an 2024"):
        assert shipped_kb.read(text).wants_figure, text
    for text in ("PAPI là gì", "SIPAS Hà Tĩnh 2025 giao ai chủ trì", "kế hoạch Hà Tĩnh 2025"):
        assert not shipped_kb.read(text).wants_figure, text


def test_in_the_plan_of_the_year_asked_a_review_of_other_years_ranks_lower(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("Cao Bằng năm 2024 chỉ số PAPI đạt bao nhiêu")
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    text = "chỉ số papi của tỉnh"
    review = _candidate(1, f"năm 2023, {text}")
    review.years_json, review.doc_named = "[2023]", {2024}
    dated = _candidate(2, f"công văn ngày 14/8/2023, {text}")
    dated.years_json, dated.doc_named = "[2023]", {2024}
    plain = _candidate(3, f"trong kế hoạch, {text}")
    plain.doc_named = {2024}
    for c in (review, dated, plain):
        score(c, q, weights, known)
    assert plain.score - review.score > -WEIGHTS.year_other_figure * 0.9
    assert abs(plain.score - dated.score) < -WEIGHTS.year_other_figure * 0.5  # a date names no year in words


def test_bare_index_probe(shipped_kb: KnowledgeBase) -> None:
    first = shipped_kb.search("Chỉ số PAPI của Cao Bằng năm 2024").results[0].text
    assert first.startswith("Chỉ số Hiệu quả Quản trị và Hành chính công (PAPI) xếp hạng 51/63")


# --- which document of a kind ----------------------------------------------------------------------

def test_which_document_of_a_kind_prefers_the_clause_naming_one_by_number(shipped_kb: KnowledgeBase) -> None:
    assert shipped_kb.read("kế hoạch này thực hiện nghị quyết nào của Tỉnh ủy").kinds_asked == ("nghị quyết",)
    assert shipped_kb.read("ke hoach do gan voi nghi quyet tinh uy nao").kinds_asked == ("nghị quyết",)
    assert shipped_kb.read("theo đề nghị tại công văn số mấy của Sở Nội vụ").kinds_asked == ("công văn",)
    for text in ("kế hoạch cải cách hành chính năm nào", "kế hoạch giai đoạn nào", "nghị quyết này giao ai"):
        assert not shipped_kb.read(text).kinds_asked, text
    q = shipped_kb.read("kế hoạch này thực hiện nghị quyết nào của Tỉnh ủy")
    assert q.cites_kind("a) triển khai thực hiện có hiệu quả nghị quyết số 14-nq/tu ngày 25/5/2022")
    assert not q.cites_kind("thực hiện các nghị quyết của tỉnh ủy về cải cách hành chính")
    assert not q.cites_kind("căn cứ quyết định số 12/qđ-ttg")
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    cited = _candidate(1, "triển khai thực hiện nghị quyết số 14-nq/tu của tỉnh ủy")
    plain = _candidate(2, "triển khai thực hiện nghị quyết hội nghị của tỉnh ủy")
    for c in (cited, plain):
        score(c, q, weights, known)
    assert cited.score - plain.score >= WEIGHTS.cites * 0.9


def test_which_document_probe(shipped_kb: KnowledgeBase) -> None:
    first = shipped_kb.search("Kế hoạch khắc phục tồn tại của Lâm Đồng gắn với nghị quyết tỉnh ủy nào").results[0].text
    assert "Nghị quyết số 14-NQ/TU" in first


# --- a deadline in figures; "cải cách" typed without marks -------------------------------------------

def test_a_deadline_written_in_figures_answers_a_deadline_question(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("đơn vị soạn thảo phải báo cáo UBND tỉnh trước ngày nào")
    assert q.intent.deadline
    assert q.satisfied_by("hoàn thành dự thảo và báo cáo ubnd tỉnh trước 15/5/2021; đồng thời hoàn thiện")
    assert q.satisfied_by("gửi sở nội vụ trước 31/12 hằng năm")
    assert not q.satisfied_by("theo quyết định số 12/2021 của ubnd tỉnh")


def test_cai_cach_typed_without_marks_is_the_fields_word(shipped_kb: KnowledgeBase) -> None:
    # Its syllables fold like "cái" and "cách" (function words), which a question drops.
    assert "cai_cach" in shipped_kb.read("cai cach thu tuc hanh chinh nham muc dich gi").terms
    answer = shipped_kb.search("muc dich cai cach hanh chinh bac giang 2022")
    assert answer.answered and "nhằm" in answer.results[0].text
