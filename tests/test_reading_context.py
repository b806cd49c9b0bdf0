"""What a clause carries from around it in real documents: wraps of blank-line paragraphs and of
bold spans joined, an agency's heading quoted with its first duty, a list-style task read with
its lead agency and deadline, and a news page's dateline, byline and captions left out."""

from __future__ import annotations

from typing import Any

from knowledge.clauses import HARD_MAX, TaskRecord, agency_heading, split_clauses, task_records
from knowledge.cleaning import blank_paragraphs, clean, is_byline
from knowledge.tasks import labelled_tasks


def _paragraphs(n: int) -> str:
    """`n` filler paragraphs, hard-wrapped and apart by blank lines, as the corpus2 conversions are."""
    return "\n\n".join(f"Nội dung thứ {i} của kế hoạch được triển khai\nđồng bộ tại các cơ quan, đơn vị trên địa bàn."
                       for i in range(n))


# A plan converted the way the shipped corpus2 texts are: paragraphs apart by blank lines, each
# paragraph's first line short, bold headings broken over lines.
PLAN = f"""**I. MỤC ĐÍCH, YÊU CẦU**

{_paragraphs(24)}

**II. NHIỆM VỤ**

a) Củng cố và vận hành hiệu quả
Ban Chỉ đạo chuyển đổi số của tỉnh, bảo đảm vai trò điều phối nguồn lực.

**III. TỔ CHỨC
THỰC HIỆN**

**1. Sở Xây
dựng**

Chủ trì nghiên cứu triển khai tích hợp IoT vào một số hạ tầng quan trọng của tỉnh.

**2. Chi cục
Hải quan khu vực V**

a) Chủ trì triển khai các nhiệm vụ tại mục (II)(a);

b) Chủ động phối hợp với Sở
Công Thương thúc đẩy hải quan điện tử, hải quan thông minh.

**3. Báo và Phát thanh, Truyền hình tỉnh và các cơ quan báo chí đóng trên
địa bàn**

Tuyên truyền thường xuyên về nội dung Kế hoạch.

**4. Chế độ báo cáo**

Định kỳ gửi báo cáo kết quả thực hiện trước ngày 15/11 hằng năm.
"""


def _texts(text: str) -> list[str]:
    return [c.text for c in split_clauses(clean(text))]


def test_a_short_line_of_a_blank_line_paragraph_carries_on_before_a_capital() -> None:
    assert blank_paragraphs(PLAN.split("\n"))
    texts = _texts(PLAN)
    assert any(t.startswith("a) Củng cố và vận hành hiệu quả Ban Chỉ đạo chuyển đổi số") for t in texts)
    assert not [t for t in texts if t.startswith(("Ban Chỉ đạo", "Công Thương", "Hải quan"))]
    # A document whose paragraphs follow one another line by line is not read so: a heading
    # followed by its text on the next line stays a heading.
    dense = "\n".join(["1. Mục tiêu chung", "Đến năm 2030, hoàn thành xây dựng Chính phủ số."] * 30)
    assert not blank_paragraphs(dense.split("\n"))
    assert "Đến năm 2030, hoàn thành xây dựng Chính phủ số." in _texts(dense)


def test_a_bold_heading_broken_over_lines_is_one_heading_however_long() -> None:
    clauses = split_clauses(clean(PLAN))
    report = next(c for c in clauses if "Tuyên truyền thường xuyên" in c.text)
    assert report.section.endswith("3. Báo và Phát thanh, Truyền hình tỉnh và các cơ quan báo chí đóng trên địa bàn")
    # A heading, not a clause of its own (an agency's: its duty opens with it).
    assert report.text.startswith("3. Báo và Phát thanh, Truyền hình tỉnh và các cơ quan báo chí đóng trên địa bàn\n")
    assert not [c for c in clauses if c.text.startswith("3. Báo") and "\n" not in c.text]


def test_an_agency_heading_opens_its_first_duty_and_heads_the_others() -> None:
    clauses = split_clauses(clean(PLAN))
    build = next(c for c in clauses if "tích hợp IoT" in c.text)
    assert build.text == ("1. Sở Xây dựng\n"
                          "Chủ trì nghiên cứu triển khai tích hợp IoT vào một số hạ tầng quan trọng của tỉnh.")
    customs = [c for c in clauses if "III. TỔ CHỨC THỰC HIỆN › 2. Chi cục Hải quan khu vực V" in c.section]
    assert [c.text.split("\n")[0] for c in customs] == ["2. Chi cục Hải quan khu vực V",
                                                         "b) Chủ động phối hợp với Sở Công Thương thúc đẩy hải quan "
                                                         "điện tử, hải quan thông minh."]
    # A topic heading under the same section opens nothing.
    report = next(c for c in clauses if "trước ngày 15/11" in c.text)
    assert report.text.startswith("Định kỳ")
    # Under a heading that is no duties section, an agency's name heads a topic: left alone.
    assert agency_heading("1. Sở Xây dựng", {1: "III. TỔ CHỨC THỰC HIỆN"})
    assert agency_heading("2. Các sở, ban, ngành", {1: "IV. TRÁCH NHIỆM CỦA CÁC CƠ QUAN"})
    assert not agency_heading("2. Bộ chỉ số đánh giá", {1: "III. TỔ CHỨC THỰC HIỆN"})
    assert not agency_heading("3. Báo cáo định kỳ", {1: "III. TỔ CHỨC THỰC HIỆN"})
    assert not agency_heading("1. Sở Xây dựng", {1: "II. NHIỆM VỤ TRỌNG TÂM"})


TASKS = """1.1. Xây dựng chiến lược dữ liệu:
a) Nhiệm vụ: Xây dựng chương trình đào tạo kỹ năng số cho cán bộ, công chức.
b) Cơ quan thực hiện:
- Đơn vị chủ trì: Sở Khoa học và Công nghệ.
- Đơn vị phối hợp: Các Sở, ban, ngành.
c) Thời gian thực hiện: Hoàn thành trong năm 2025.
1.2. Bảo đảm an toàn thông tin:
a) Nhiệm vụ:
- Triển khai các phương án bảo đảm an toàn thông tin.
b) Cơ quan thực hiện:
- Đơn vị chủ trì: Công an Thành phố.
"""


def test_a_list_style_task_is_one_record_with_its_agency_and_deadline() -> None:
    lines = clean(TASKS)
    records = [x for x in task_records(lines) if isinstance(x, TaskRecord)]
    assert len(records) == 1  # the second task's items follow a bare "a) Nhiệm vụ:" heading
    clauses = split_clauses(lines)
    record = next(c for c in clauses if "chương trình đào tạo" in c.text)
    assert record.text.split("\n") == [
        "a) Nhiệm vụ: Xây dựng chương trình đào tạo kỹ năng số cho cán bộ, công chức.",
        "b) Cơ quan thực hiện:", "- Đơn vị chủ trì: Sở Khoa học và Công nghệ.",
        "- Đơn vị phối hợp: Các Sở, ban, ngành.", "c) Thời gian thực hiện: Hoàn thành trong năm 2025."]
    assert record.years == [2025] and "1.1. Xây dựng chiến lược dữ liệu" in record.section
    # The agency of the other task is still its own labelled clause.
    assert "- Đơn vị chủ trì: Công an Thành phố." in [c.text for c in clauses]
    tasks = {t.agency: t for _, t in labelled_tasks(clauses)}
    assert tasks["Sở Khoa học và Công nghệ"].deadline == "2025"
    assert tasks["Sở Khoa học và Công nghệ"].task.startswith("Xây dựng chương trình đào tạo")
    assert "Công an Thành phố" in tasks
    # A record longer than a clause is not made.
    long_task = TASKS.replace("cán bộ, công chức.", "cán bộ, công chức " + "và người dân " * 40 + ".")
    assert not [x for x in task_records(clean(long_task)) if isinstance(x, TaskRecord) and len(x) > HARD_MAX]


NEWS = """UBND tỉnh họp nghe dự thảo Kế hoạch hành động về cải cách hành chính
Thứ Ba - 11/05/2021 02:21 CH
áng ngày 07/5/2021, Phó Chủ tịch UBND tỉnh chủ trì Hội nghị họp nghe dự thảo Kế hoạch.
Giám đốc Sở Nội vụ phát biểu thảo luận tại Hội nghị.
Đến năm 2025, hoàn thành việc sắp xếp các đơn vị hành chính cấp huyện, cấp xã.
Quang cảnh Hội nghị.
Tin, ảnh: Minh Hà
"""


def test_a_news_pages_dateline_byline_and_captions_are_no_clauses() -> None:
    texts = _texts(NEWS)
    assert not [t for t in texts if "02:21" in t or "Quang cảnh" in t or "phát biểu thảo luận" in t or "Minh Hà" in t]
    # The article's first line (its capital lost to a drop cap) is not glued to the headline.
    assert texts[0] == "UBND tỉnh họp nghe dự thảo Kế hoạch hành động về cải cách hành chính"
    assert "Đến năm 2025, hoàn thành việc sắp xếp các đơn vị hành chính cấp huyện, cấp xã." in texts
    assert is_byline("Cập nhật: 08:15 12/3/2024") and is_byline("Thứ hai, 12/5/2021, 08:00 (GMT+7)")
    # A date alone, or a sentence opening with one, is text.
    assert not is_byline("ngày 31/12/2025") and not is_byline("Thứ Ba 11/05/2021 để triển khai kế hoạch")


# A news page as the portals serve it: a related-links strip glued on one line above the headline
# and the dateline, the article, then a "Tin liên quan" list of other articles' titles.
LINKED_PAGE = """Triển khai Công điện số 03/CĐ-UBND ngày 28/01/2021 của Chủ tịch UBND tỉnh THÔNG BÁO Danh sách \
thí sinh đủ điều kiện dự tuyển viên chức năm 2020 Hướng dẫn phòng, chống dịch trên địa bàn tỉnh
Trang chủ
Sở Nội vụ tổ chức hội nghị triển khai kế hoạch cải cách hành chính năm 2022
Thứ Hai - 07/02/2022 08:15 SA

Sáng ngày 05/02/2022, Sở Nội vụ tổ chức hội nghị triển khai kế hoạch cải cách hành chính năm 2022.

Theo kế hoạch, 100% thủ tục hành chính đủ điều kiện được cung cấp dịch vụ công trực tuyến toàn trình.

Tin liên quan

Thông báo kết quả thi tuyển công chức năm 2021

Lịch tiếp công dân tháng 02/2022
Khai mạc hội chợ xuân tại trung tâm tỉnh

Hội nghị đã thống nhất giao Sở Nội vụ theo dõi, đôn đốc việc thực hiện kế hoạch.
"""


def test_a_news_pages_header_strip_and_related_links_are_no_clauses() -> None:
    texts = _texts(LINKED_PAGE)
    # Menus and other articles' titles above the headline, and the titles under "Tin liên quan".
    assert not [t for t in texts if "thí sinh" in t or "Trang chủ" in t or "thi tuyển" in t
                or "Lịch tiếp" in t or "hội chợ" in t]
    assert texts[0] == "Sở Nội vụ tổ chức hội nghị triển khai kế hoạch cải cách hành chính năm 2022"
    assert "Theo kế hoạch, 100% thủ tục hành chính đủ điều kiện được cung cấp dịch vụ công trực tuyến toàn trình." \
        in texts
    # The list ends at the first sentence: the article's text after it is kept.
    assert "Hội nghị đã thống nhất giao Sở Nội vụ theo dõi, đôn đốc việc thực hiện kế hoạch." in texts
    # Without a dateline, short lines are a plan's own headings; above one, a sentence is text.
    plan = "Tăng cường kỷ luật, kỷ cương hành chính\nNâng cao chất lượng phục vụ người dân\n"
    assert clean(plan) == ["Tăng cường kỷ luật, kỷ cương hành chính", "Nâng cao chất lượng phục vụ người dân"]
    page = ("UBND tỉnh ban hành kế hoạch cải cách hành chính năm 2022.\n\nHội nghị sơ kết công tác năm\n"
            "Thứ Ba - 11/05/2021 02:21 CH\n")
    assert clean(page)[0] == "UBND tỉnh ban hành kế hoạch cải cách hành chính năm 2022."


def test_a_pages_banner_above_its_menu_is_no_clause() -> None:
    page = ("CHỈ SỐ HIỆU QUẢ QUẢN TRỊ VÀ HÀNH CHÍNH CÔNG\nCổng thông tin điện tử tỉnh\nTiếng Việt\nEnglish\n\n"
            "Tỉnh tiếp tục nâng cao chất lượng cải cách hành chính\n"
            "UBND tỉnh vừa ban hành Kế hoạch cải cách hành chính năm 2024.\nTrang chủ\n")
    assert clean(page) == ["Tỉnh tiếp tục nâng cao chất lượng cải cách hành chính",
                           "UBND tỉnh vừa ban hành Kế hoạch cải cách hành chính năm 2024."]
    # A menu word after the first sentence is no header: what stands above it stays.
    text = "UBND tỉnh ban hành kế hoạch.\nNâng cao chỉ số PAPI\nEnglish\n"
    assert "Nâng cao chỉ số PAPI" in clean(text)


def test_shipped_plans_answer_with_the_agency_and_the_task(shipped_kb: Any) -> None:
    customs = shipped_kb.search("Ở Bắc Ninh cơ quan nào chủ trì phát triển hải quan số?")
    assert customs.results[0].text.startswith("17. Chi cục Hải quan khu vực V\n")
    training = shipped_kb.search("Ai chủ trì chương trình đào tạo năng lực chuyển đổi số cho cán bộ theo kế hoạch 308?")
    first = training.results[0].text
    assert "chương trình đào tạo" in first and "Đơn vị chủ trì: Sở Khoa học và Công nghệ" in first
    # The shipped news page's dateline is no clause any more.
    dated = shipped_kb.search("dự thảo kế hoạch khâu đột phá cải cách hành chính Thanh Hóa 02:21")
    assert not [r for r in dated.results if "02:21 CH" in r.text]
    # Its related-links strip is no clause either: a question about exams is refused.
    exams = shipped_kb.search("thi công chức khi nào")
    assert not exams.answered and not [r for r in exams.results if "thí sinh" in r.text]
    # A portal's banner over its menu is no clause: a PCI question is not answered with it.
    pci = shipped_kb.search("chỉ số năng lực cạnh tranh cấp tỉnh Thanh Hóa năm 2023")
    assert pci.answered and not [r for r in pci.results if r.text == "CHỈ SỐ NĂNG LỰC CẠNH TRANH CẤP TỈNH"]


def test_a_scoring_rubric_row_under_its_criterion_is_a_row_not_a_group_heading() -> None:
    from knowledge.cleaning import TableRow, table_lines

    rows = [["TT", "Tiêu chí chấm điểm", "Điểm tối đa", "Kết quả"],
            ["a)", "Chỉ số cải cách hành chính (PAR INDEX)", "2", ""],
            ["", "Kết quả công bố dưới mức trung bình quân chung của thành phố: 0", "", ""],
            ["I", "Giai đoạn 2026-2030", "", ""]]
    lines = table_lines(rows)
    assert isinstance(lines[1], TableRow)
    assert lines[1] == "Kết quả công bố dưới mức trung bình quân chung của thành phố: 0"
    assert lines[2] == "I. Giai đoạn 2026-2030:"  # a group row is still a heading
    clauses = split_clauses(lines)
    detail = next(c for c in clauses if c.text.startswith("Kết quả công bố"))
    assert "Chỉ số cải cách hành chính (PAR INDEX)" in detail.lead  # the criterion it scores


def test_a_tables_group_row_heads_its_rows_and_nothing_after_the_table() -> None:
    from knowledge.cleaning import table_lines

    rows = [["TT", "Địa phương", "Số TTHC", "Tỷ lệ"],
            ["I", "Bộ, ngành"],
            ["1", "Bộ Tư pháp", "120", "90%"],
            ["II", "Địa phương"],
            ["1", "Tp Huế", "2241", "100%"]]
    note_line = "(v) Bộ Tài chính - 03 Nghị định, 02 Thông tư (đơn giản hóa 70 TTHC, bãi bỏ 05 TTHC);"
    lines = [*table_lines(rows), "", note_line]
    clauses = split_clauses(lines)
    hue = next(c for c in clauses if c.text.startswith("Tp Huế"))
    assert "II. Địa phương" in hue.section and "II. Địa phương:" in hue.lead
    note = next(c for c in clauses if c.text.startswith("(v) Bộ Tài chính"))
    assert "Địa phương" not in note.section and "Địa phương" not in note.lead


def test_a_one_or_two_word_stub_of_a_wrapped_text_begins_the_next_line() -> None:
    wrapped = "Các bộ, cơ quan đã tập trung rà soát, sửa đổi nhiều văn bản quy phạm pháp luật trong năm 2025"
    body = "\n".join([wrapped] * 6)
    text = (f"{body}.\n(1) Bộ\nTài chính đề nghị sửa 03 Luật trong đó có Luật Đầu tư.\n"
            "Số: 101/KH-UBND\nCần Thơ, ngày 02 tháng 10 năm 2025\n")
    lines = clean(text)
    assert "(1) Bộ Tài chính đề nghị sửa 03 Luật trong đó có Luật Đầu tư." in lines  # "Bộ" is not lost
    assert "Số: 101/KH-UBND" in lines and "Cần Thơ, ngày 02 tháng 10 năm 2025" in lines  # a label stays a line
