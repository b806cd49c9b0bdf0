"""Page noise removal, clause splitting (sections, lead-ins, years) and target extraction."""

from __future__ import annotations

from knowledge.build import _parse_document
from knowledge.clauses import MAX_CLAUSE, split_clauses, years_in
from knowledge.cleaning import clean, is_noise
from knowledge.limits import LIMITS
from knowledge.models import Document, DocumentMeta
from knowledge.targets import extract_targets, topic_of

PAGE = """Truy cập nội dung luôn
Hệ thống pháp luật
ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
Số hiệu | 3470/QĐ-UBND |
Người ký | Lê Ngọc Châu |
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao chất lượng phục vụ người dân, doanh nghiệp trên địa bàn tỉnh
và cải thiện môi trường đầu tư.
Các chỉ tiêu chủ yếu đến năm 2025:
a) Tối thiểu 80% TTHC có yêu cầu nghĩa vụ tài chính được triển khai thanh toán trực tuyến.
b) Chỉ số PAR INDEX xếp thứ hạng từ 20 - 30/63.
Bạn thấy giao diện website như thế nào?
50% 1
Tổng bình chọn: 2
Số lượt truy cập: 2163
 {name} - {time}
Tin liên quan
"""


def test_noise_lines_are_dropped_and_pipes_become_labels() -> None:
    lines = clean(PAGE)
    joined = "\n".join(lines)
    for noise in ("Truy cập", "Hệ thống pháp luật", "giao diện", "bình chọn", "lượt truy cập", "{name}", "Tin liên"):
        assert noise not in joined
    assert "Số hiệu: 3470/QĐ-UBND" in lines
    assert "Người ký: Lê Ngọc Châu" in lines
    assert is_noise("Tổng số lượt xem: 1958442") and not is_noise("100% hồ sơ được số hóa.")


def test_hard_wrapped_lines_are_joined() -> None:
    lines = clean(PAGE)
    assert ("Nâng cao chất lượng phục vụ người dân, doanh nghiệp trên địa bàn tỉnh và cải thiện môi trường đầu tư."
            in lines)


def test_items_inherit_lead_in_years_and_section_path() -> None:
    clauses = split_clauses(clean(PAGE))
    pay = next(c for c in clauses if "thanh toán trực tuyến" in c.text)
    assert pay.text.startswith("a) Tối thiểu 80%")
    assert pay.lead == "Các chỉ tiêu chủ yếu đến năm 2025:"
    assert pay.years == [2025]
    assert pay.section == "I. MỤC ĐÍCH, YÊU CẦU › 1. Mục đích"


def test_long_paragraph_is_split_into_verbatim_pieces() -> None:
    targets = "; ".join(f"{n}% hồ sơ công việc tại cấp {lvl} được xử lý trên môi trường mạng"
                        " theo quy định của pháp luật"
                        for n, lvl in [(90, "tỉnh"), (80, "huyện"), (60, "xã"), (50, "thôn")])
    text = f"Cụ thể, {targets}."
    clauses = split_clauses([text])
    assert len(clauses) >= 3
    assert all(len(c.text) <= MAX_CLAUSE * 2 for c in clauses)
    assert all(c.text in text for c in clauses)  # verbatim slices, never rewritten


def test_years_in_expands_ranges() -> None:
    assert years_in("giai đoạn 2021 - 2025 và năm 2030") == [2021, 2022, 2023, 2024, 2025, 2030]


def test_targets_value_unit_qualifier_deadline_topic() -> None:
    ts = extract_targets("Tối thiểu 80% TTHC có yêu cầu nghĩa vụ tài chính được triển khai thanh toán trực tuyến, "
                         "trong số đó, tỷ lệ giao dịch thanh toán trực tuyến đạt từ 30% trở lên.", years=[2025])
    assert [(t.value, t.unit) for t in ts] == [(80.0, "%"), (30.0, "%")]
    assert ts[0].qualifier == "tối thiểu" and ts[1].qualifier == "từ … trở lên"
    assert ts[0].deadline == "2025" and ts[0].topic == "thủ tục hành chính"


def test_rank_targets_and_levels() -> None:
    ts = extract_targets("đến năm 2025, xếp thứ hạng từ 10 - 20/63 tỉnh, thành phố về Chỉ số năng lực cạnh tranh")
    assert ts[0].value_text == "10-20/63" and ts[0].deadline == "2025" and ts[0].topic == "PCI"
    lv = extract_targets("90% hồ sơ công việc tại cấp tỉnh được xử lý trên môi trường mạng")
    assert lv[0].level == "tỉnh"


def test_dates_and_document_numbers_are_not_targets() -> None:
    assert extract_targets("Nghị quyết số 04-NQ/TU ngày 18/10/2021 của Tỉnh ủy") == []
    assert topic_of("giá vàng hôm nay") is None


def test_items_cut_at_semicolons_keep_the_sentence_head_as_lead_in() -> None:
    """A long sentence "…năm 2024…, cụ thể: a; b; c" cut at ";" : b and c keep the head (and its
    year) as their lead-in; a new sentence after "." does not."""
    items = "; ".join(f"Chỉ số thành phần thứ {i} của tỉnh giảm {i} bậc so với kỳ đánh giá trước"
                      for i in range(1, 6))
    line = (f"Theo kết quả công bố các chỉ số năm 2024, tỉnh có nhiều chỉ số giảm, cụ thể: {items}. "
            "Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành khắc phục ngay những tồn tại, hạn chế đã chỉ ra.")
    clauses = split_clauses(clean(line))
    assert len(clauses) >= 3
    head = "Theo kết quả công bố các chỉ số năm 2024, tỉnh có nhiều chỉ số giảm, cụ thể:"
    later = [c for c in clauses if not c.text.startswith("Theo") and "bậc" in c.text]
    assert later and all(c.lead == head and 2024 in c.years for c in later)
    last = [c for c in clauses if c.text.startswith("Ủy ban")]
    assert not last or last[0].lead == ""


def test_an_opening_time_phrase_scopes_the_items_after_it() -> None:
    parts = "; ".join(f"{90 + i}% hồ sơ thủ tục hành chính thuộc nhóm thứ {i} được giải quyết trực tuyến toàn trình"
                      for i in range(1, 7))
    clauses = split_clauses(clean(f"Theo đó, phấn đấu đến năm 2025, {parts}."))
    assert len(clauses) >= 2
    assert all(2025 in c.years for c in clauses)
    assert all(c.lead == "Theo đó, phấn đấu đến năm 2025," for c in clauses[1:])


def test_figures_stated_as_values_are_results_unless_a_target_scopes_them() -> None:
    def kinds(text: str, **kw: str) -> list[str]:
        return [t.kind for t in extract_targets(text, **kw)]

    assert kinds("Tỷ lệ hồ sơ được cung cấp trực tuyến tại cấp bộ là 69,87%.") == ["result"]
    assert kinds("Cắt giảm 2.269/6.974 điều kiện kinh doanh có điều kiện (đạt 32,5%).") == ["result"]
    assert kinds("Kinh tế số chiếm 45% GRDP tỉnh.", context="II. MỤC TIÊU › 1. Phát triển kinh tế số") == ["target"]
    assert kinds("Tỷ lệ hài lòng là 95%.", lead="Mục tiêu cụ thể đến năm 2026:") == ["target"]


def test_ranking_words_without_a_rank_are_no_result() -> None:
    """ "Phấn đấu … xếp thứ hạng tăng … từ 5 - 8 bậc" is a target (and a range); "xếp hạng 51/63" a result."""
    ts = extract_targets("Phấn đấu Chỉ số PAPI xếp thứ hạng tăng bình quân mỗi năm từ 5 - 8 bậc.")
    assert [(t.value_text, t.kind) for t in ts] == [("5-8 bậc", "target")]
    assert [t.kind for t in extract_targets("Chỉ số PAPI xếp hạng 51/63 tỉnh, thành phố, giảm 13 bậc;")] == [
        "result", "result"]


def test_a_results_section_or_table_title_makes_its_figures_results() -> None:
    row = "Tp Đà Nẵng | 2388 | 1970 | 418 | 2388 | 100%"
    assert [t.kind for t in extract_targets(row)] == ["target"]
    title = "PHỤ LỤC III TỔNG HỢP KẾT QUẢ THỰC HIỆN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    assert [t.kind for t in extract_targets(row, lead=title)] == ["result"]
    assert [t.kind for t in extract_targets(row, context="I. KẾT QUẢ THỰC HIỆN NĂM 2024")] == ["result"]
    # A column named "Kết quả" in a task table is the task's deliverable, not a report.
    task = "Số hóa 100% hồ sơ | Sở Nội vụ | Cơ sở dữ liệu"
    assert [t.kind for t in extract_targets(
        task, context="II. Nhiệm vụ › Nhiệm vụ | Cơ quan chủ trì | Kết quả")] == ["target"]
    assert [t.kind for t in extract_targets("100% hồ sơ", lead="Kết quả cần đạt:")] == ["target"]



APPENDIX = """II. Địa phương:
Các địa phương đã hoàn thành cung cấp dịch vụ công trực tuyến cho doanh nghiệp.

PHỤ LỤC II KẾT QUẢ CUNG CẤP DỊCH VỤ CÔNG TRỰC TUYẾN CHO
DOANH NGHIỆP (Kèm theo Công điện số 99/CĐ-TTg ngày 18 tháng 11 năm 2025 của Thủ tướng Chính phủ)
| STT | Địa phương | Tổng số TTHC | Tỷ lệ |
| 1. | Tỉnh Một | 2388 | 100% |
| 2. | Tỉnh Hai | 2157 | 99,4% |
"""


def test_rows_under_a_results_appendix_title_state_results() -> None:
    """The capitalised title above a table (wrapped, its covering bracket on its last line) is the
    rows' `table`; "KẾT QUẢ" there makes their figures results, a target table's stay targets."""
    rows = [c for c in split_clauses(clean(APPENDIX)) if c.cells]
    assert len(rows) == 2
    assert all(r.table == "PHỤ LỤC II KẾT QUẢ CUNG CẤP DỊCH VỤ CÔNG TRỰC TUYẾN CHO DOANH NGHIỆP" for r in rows)
    doc = Document(meta=DocumentMeta(file="x.txt", title="Công điện"), text=APPENDIX, sha256="")
    parsed = _parse_document(doc, LIMITS)
    assert [t.kind for c in parsed.clauses if c.cells for t in c.targets] == ["result", "result"]
    targets = APPENDIX.replace("KẾT QUẢ CUNG CẤP", "CHỈ TIÊU CUNG CẤP")
    parsed = _parse_document(Document(meta=DocumentMeta(file="x.txt", title="Kế hoạch"), text=targets, sha256=""),
                             LIMITS)
    assert [t.kind for c in parsed.clauses if c.cells for t in c.targets] == ["target", "target"]


def test_a_wrap_before_a_capital_joins_after_a_bold_heading_run_ends() -> None:
    """A bold line opens the run, plain lines carry on: the run is a sentence, and a line that
    begins with a proper noun ("Chính phủ") after a wrap inside it continues it."""
    width = "Văn bản này được viết với các dòng dài khoảng bảy mươi lăm ký tự mỗi dòng."
    text = "\n".join([
        width, width, width, width, width, "",
        "**2. Văn phòng Chính phủ theo chức năng, nhiệm vụ được**",
        "giao theo dõi, đôn đốc việc triển khai các nhiệm vụ nêu trên; kịp thời tổng hợp,",
        "báo cáo những vấn đề vượt thẩm quyền. Định kỳ báo cáo Thủ tướng",
        "Chính phủ kết quả thực hiện nhiệm vụ của các bộ, ngành trước ngày 20 hằng",
        "tháng.",
    ])
    lines = clean(text)
    assert any(line.endswith("Định kỳ báo cáo Thủ tướng Chính phủ kết quả thực hiện nhiệm vụ của các bộ, ngành "
                             "trước ngày 20 hằng tháng.") for line in lines)
    assert not any(line.startswith("Chính phủ kết quả") for line in lines)


def test_a_title_glued_to_a_tables_last_row_is_no_cell() -> None:
    """One cell per line, the last row (a total, shorter than the numbered rows) without its
    closing pipe: the next appendix's title (in capitals, its covering line after it) is a line
    of its own, not the row's last cell."""
    cells = ["|", "STT", "|", "Bộ, cơ quan", "|", "Tổng", "|", "Luật", "|", "",
             "|", "1.", "|", "Bộ Một", "|", "12", "|", "3", "|", "",
             "|", "2.", "|", "Bộ Hai", "|", "30", "|", "1", "|", "",
             "|", "Tổng", "|", "49", "|", "4", "|",
             "**PHỤ LỤC II**", "KẾT QUẢ CUNG CẤP DỊCH VỤ CÔNG TRỰC TUYẾN CHO DOANH NGHIỆP",
             "*(Kèm theo Công điện số 99/CĐ-TTg ngày 18 tháng 11 năm 2025)*",
             "|", "STT", "|", "Địa phương", "|", "Tỷ lệ", "|", "", "|", "1.", "|", "Tỉnh Một", "|", "90%", "|", ""]
    lines = [str(line) for line in clean("\n".join(cells))]
    assert any(line.startswith("PHỤ LỤC II") for line in lines), lines
    assert not any("|" in line and "PHỤ LỤC" in line for line in lines), lines
