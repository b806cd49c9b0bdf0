"""Real documents: markdown conversions with their noise, hard wraps, appendix tables (pipe rows
and one cell per line), signature blocks of every issuer, tasks, targets versus results, and the
bounds that keep cleaning and splitting linear."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.clauses import HARD_MAX, split_clauses
from knowledge.cleaning import TableRow, clean
from knowledge.documents import load_documents, read_document
from knowledge.metadata import CENTRAL, detect_metadata
from knowledge.targets import extract_targets
from knowledge.tasks import deadline_end, normalize_deadline, task_from_sentence

PLANS = Path(__file__).resolve().parent.parent / "knowledge" / "plans"

# A small provincial plan in the shape of the markdown conversions: bold split over lines, italic
# date, a "#" heading, hard wraps (a capital and a thousands separator at a line start), a
# footnote mark, a pipe table and a one-cell-per-line appendix, a "[đã ký]" stamp.
PLAN = """|
**ỦY BAN NHÂN
DÂN **
TỈNH ĐỒNG NAI
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 77/KH-UBND
|
*Đồng Nai, ngày 05
tháng 3 năm 2026*
|

# **KẾ HOẠCH**
CẢI CÁCH HÀNH CHÍNH TỈNH ĐỒNG NAI NĂM 2026

*Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ[1];*

**I. MỤC TIÊU**
1. Phấn đấu đến năm 2026 có 90% hồ sơ thủ tục hành chính được giải quyết trực tuyến, phát triển
500.000 thuê bao di động có chữ ký số cho người dân trên địa bàn tỉnh Đồng Nai; hỗ trợ người dân ở
Việt Nam và nước ngoài thực hiện dịch vụ công trực tuyến toàn trình.
2. Năm 2025, Chỉ số SIPAS của tỉnh đạt 82,5%, tăng 3 bậc so với năm 2024.
**II. NHIỆM VỤ**
1. Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính xây dựng đề án vị trí việc làm, hoàn thành trước
ngày 31/12/2026.

| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Số hóa hồ sơ thuế của hộ kinh doanh | Thuế Đồng Nai | Sở Tài chính | Quý III/2026 |
| 2 | Kết nối dữ liệu dân cư với hệ thống một cửa | Công an tỉnh | Sở Khoa học và Công nghệ | 2026 |

|
*Nơi nhận:*
- Như trên;
- Lưu: VT.
|
**TM. ỦY BAN NHÂN
DÂN **
KT. CHỦ TỊCH
**PHÓ CHỦ TỊCH**
[đã ký]
**Hồ Văn Hà**
|

**PHỤ LỤC**
DANH MỤC NHIỆM VỤ NĂM 2026
|
**TT**
|
**Nhiệm vụ**
|
**Cơ quan chủ trì**
|
**Thời gian hoàn thành**
|
|
**I**
|
**NHIỆM VỤ CHUNG**
|
|
1
|
Rà soát, đơn giản hóa thủ tục hành chính nội bộ
giữa các cơ quan hành chính nhà nước
|
Bộ Công an
|
2026
|
|
2
|
Triển khai thanh toán không dùng tiền mặt
|
Sở Tài chính
|
Tháng 6/2026
|
|
"""

NOISE = ("**", "*", "#", "|", "[đã ký]", "[1]", "---")


def _doc_clauses(text: str) -> list[str]:
    return [c.text for c in split_clauses(clean(text))]


def test_markdown_noise_never_reaches_a_clause_title_or_signer() -> None:
    texts = _doc_clauses(PLAN)
    for text in texts:
        # The one pipe left is the cell separator of a table row's clause.
        for mark in NOISE:
            assert mark not in text.replace(" | ", " "), (mark, text)
        assert not text.startswith("|") and not text.endswith("|")
    meta = detect_metadata(PLAN)
    assert meta["document"] == "77/KH-UBND" and meta["issued"] == "2026-03-05"
    assert meta["signer"] == "Hồ Văn Hà"
    assert meta["province"] == "Đồng Nai"
    assert "*" not in meta.get("title", "") and "#" not in meta.get("title", "")


def test_hard_wraps_are_joined_before_a_capital_or_a_thousands_separator() -> None:
    texts = _doc_clauses(PLAN)
    target = next(t for t in texts if "90% hồ sơ" in t)
    assert "phát triển 500.000 thuê bao di động" in target  # "500.000" is not a list item
    assert "người dân ở Việt Nam và nước ngoài" in " ".join(texts)  # "ở" / "Việt Nam" joined
    assert "hoàn thành trước ngày 31/12/2026" in next(t for t in texts if "Giao Sở Nội vụ" in t)
    # No clause ends mid-sentence because of a wrap.
    assert not [t for t in texts if t.endswith(("phát triển", "người dân ở", "hoàn thành trước"))]


def test_table_rows_are_one_clause_each_with_column_names_and_group_context() -> None:
    clauses = split_clauses(clean(PLAN))
    rows = [c for c in clauses if c.cells]
    texts = [c.text for c in rows]
    assert "Số hóa hồ sơ thuế của hộ kinh doanh | Thuế Đồng Nai | Sở Tài chính | Quý III/2026" in texts
    row = next(c for c in rows if c.text.startswith("Số hóa hồ sơ thuế"))
    # The column names are the row's context, shown as the last part of its section line.
    assert row.section.endswith("Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành")
    appendix = next(c for c in rows if "Rà soát, đơn giản hóa thủ tục hành chính nội bộ" in c.text)
    # Cells broken over lines are one cell; short cells are kept; the group header is the lead-in.
    assert "nội bộ giữa các cơ quan" in appendix.text
    assert appendix.text.endswith(" | Bộ Công an | 2026")
    assert ("Cơ quan chủ trì", "Bộ Công an") in appendix.cells
    assert "I. NHIỆM VỤ CHUNG" in appendix.lead
    assert all(len(t) <= HARD_MAX for t in texts)


def test_signature_block_is_a_clause_of_its_own() -> None:
    texts = _doc_clauses(PLAN)
    assert "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hồ Văn Hà" in texts


# Every shipped document that carries a signature, and who signed it.
SIGNERS = {
    "004_14feda20edb2560d.txt": "Vương Quốc Tuấn",
    "chithi_daklak_012-CT-UBND_2025.txt": "Trương Công Thái",
    "congdien_trunguong_220-CD-TTg_2025.txt": "Phạm Minh Chính",
    "kehoach_bacninh_144-KH-UBND_2025.txt": "Mai Sơn",
    "kehoach_caobang_1519-KH-UBND_2024.txt": "Hoàng Xuân Ánh",
    "kehoach_hanoi_308-KH-UBND_2025.txt": "Trương Việt Dũng",
    "nghiquyet_hanoi_77-2025-NQ-HDND_2025.txt": "Phùng Thị Hồng Hà",
    "off_haiphong_3470-QD-UBND_2026-2030.txt": "Lê Ngọc Châu",
    "off_hatinh_3369-QD-UBND_2026.txt": "Trần Báu Hà",
    "off_laocai_395-KH-UBND_2023.txt": "Trịnh Xuân Trường",
    "off_nghean_2228-QD-UBND_2025.txt": "Bùi Đình Long",
    "quyetdinh_haiphong_212-2025-QD-UBND_2025.txt": "Lê Ngọc Châu",
    "quyetdinh_trunguong_2629-QD-TTg_2025.txt": "Nguyễn Chí Dũng",
}
# Of these, the full texts whose signature block is in the text (the others name the signer in
# a summary line or a news sentence): the block is a clause.
SIGNATURE_BLOCKS = {
    "chithi_daklak_012-CT-UBND_2025.txt": "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trương Công Thái",
    "congdien_trunguong_220-CD-TTg_2025.txt": "THỦ TƯỚNG Phạm Minh Chính",
    "kehoach_bacninh_144-KH-UBND_2025.txt": "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Mai Sơn",
    "kehoach_hanoi_308-KH-UBND_2025.txt": "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trương Việt Dũng",
    "nghiquyet_hanoi_77-2025-NQ-HDND_2025.txt": "CHỦ TỊCH Phùng Thị Hồng Hà",
    "quyetdinh_haiphong_212-2025-QD-UBND_2025.txt": "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Lê Ngọc Châu",
    "quyetdinh_trunguong_2629-QD-TTg_2025.txt": "KT. THỦ TƯỚNG PHÓ THỦ TƯỚNG Nguyễn Chí Dũng",
}


def test_every_shipped_signature_fills_the_signer_and_is_a_clause() -> None:
    docs, errors = load_documents(PLANS)
    assert errors == []
    signers = {d.meta.file: d.meta.signer for d in docs if d.meta.signer}
    assert signers == SIGNERS
    by_file = {d.meta.file: d for d in docs}
    for name, block in SIGNATURE_BLOCKS.items():
        assert block in _doc_clauses(by_file[name].text), name


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_shipped_clauses_are_short_and_clean() -> None:
    docs, _ = load_documents(PLANS)
    for doc in docs:
        for text in _doc_clauses(doc.text):
            assert len(text) <= HARD_MAX, (doc.meta.file, text[:80])
            assert "**" not in text and not text.startswith("#"), (doc.meta.file, text)
            # Pipes only between a table row's cells: no empty cell, no pipe at an end.
            assert "| |" not in text and not text.startswith("|") and not text.endswith("|"), (doc.meta.file, text)


def test_central_documents_are_trung_uong_without_warnings() -> None:
    for name in ("quyetdinh_trunguong_2629-QD-TTg_2025.txt", "congdien_trunguong_220-CD-TTg_2025.txt",
                 "kehoach_bxd_664-QD-BXD_2025.txt", "nghiquyet_trunguong_27-NQ-CP_2025.txt"):
        doc = read_document(PLANS / name, root=PLANS)
        assert doc.meta.province == CENTRAL and doc.meta.province_current is None
        assert doc.warnings == []
    # Detected from the letterhead alone, without front matter.
    assert detect_metadata("**THỦ TƯỚNG CHÍNH PHỦ**\n|\nSố: 1/QĐ-TTg\n")["province"] == CENTRAL
    assert detect_metadata("BỘ XÂY DỰNG\n-------\nSố: 664/QĐ-BXD\n")["province"] == CENTRAL


def test_targets_and_results_are_told_apart() -> None:
    kinds = {t.value_text: t.kind for t in extract_targets(
        "Năm 2024 đạt 85%, tăng 3 bậc; phấn đấu năm 2025 đạt tối thiểu 90%.")}
    assert kinds == {"85%": "result", "3 bậc": "result", "90%": "target"}
    assert [t.kind for t in extract_targets("Tỷ lệ thanh toán trực tuyến đến nay mới đạt 45%.")] == ["result"]
    assert [t.kind for t in extract_targets("Phấn đấu đến năm 2030, tỷ lệ hồ sơ trực tuyến đạt 90%.")] == ["target"]
    assert [t.kind for t in extract_targets("Chỉ số PAR INDEX năm 2024 xếp thứ 15/63.")] == ["result"]


def test_deadlines_are_normalized() -> None:
    assert normalize_deadline("trước ngày 31/12/2025") == "2025-12-31"
    assert normalize_deadline("Tháng 12/2025") == "2025-12"
    assert normalize_deadline("trong tháng 11 năm 2025") == "2025-11"
    assert normalize_deadline("Quý III/2025") == "2025-Q3"
    assert normalize_deadline("Năm 2025-2030") == "2025/2030"
    assert normalize_deadline("2026") == "2026"
    assert normalize_deadline("Thường xuyên") is None
    assert deadline_end("2025-Q3") == "2025-09-30" and deadline_end("2025/2030") == "2030-12-31"
    task = task_from_sentence("Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính xây dựng đề án vị trí việc làm, "
                              "hoàn thành trước ngày 31/12/2025.")
    assert task is not None
    assert (task.agency, task.partners, task.deadline) == ("Sở Nội vụ", "Sở Tài chính", "2025-12-31")


# `shipped_kb`: the session-wide index of the shipped plans (tests/conftest.py), not built again here.


def test_tasks_from_the_2629_appendix_and_the_220_telegram(shipped_kb: KnowledgeBase) -> None:
    tasks = shipped_kb.tasks(document="2629/QĐ-TTg")
    law = next(t for t in tasks if t.task.task.startswith("Xây dựng Luật An ninh dữ liệu"))
    assert law.task.agency == "Bộ Công an" and law.task.deadline == "2026-12"
    assert law.task.partners and "Bộ Khoa học và Công nghệ" in law.task.partners
    assert law.task.product == "Trình Quốc hội dự thảo Luật"
    assert law.meta.document == "2629/QĐ-TTg" and "Bộ Công an" in law.clause_text
    cd = shipped_kb.tasks(document="220/CĐ-TTg")
    moit = next(t for t in cd if "Bộ Công Thương" in (t.task.agency or ""))
    assert moit.task.deadline == "2025-11"
    assert all(t.task.agency and t.task.deadline for t in cd)
    # The read API filters by agency (accents aside), province and deadline.
    police = shipped_kb.tasks(agency="bo cong an")
    assert police and all("công an" in f"{t.task.agency} {t.task.partners}".lower() for t in police)
    due = shipped_kb.tasks(due_before="2025-12-31")
    assert due and all(t.task.deadline and t.task.deadline <= "2025-12-31" for t in due)
    assert all(t.meta.province == "Bắc Ninh" for t in shipped_kb.tasks(province="Bắc Ninh"))
    assert shipped_kb.tasks(province="Bắc Ninh")


def test_result_figures_are_stored_as_results(shipped_kb: KnowledgeBase) -> None:
    kinds = {r["kind"] for r in shipped_kb.index._rows("SELECT DISTINCT kind FROM targets")}
    assert kinds == {"target", "result"}


@pytest.mark.slow
@pytest.mark.parametrize("line", [
    "tiếp tục triển khai nhiệm vụ về cải cách hành chính và chuyển đổi số trên địa bàn",  # lower case
    "Tiếp tục triển khai nhiệm vụ về cải cách hành chính và chuyển đổi số tại Việt Nam",  # a capital
    "THỰC HIỆN CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC TỈNH",  # an upper-case heading
])
def test_cleaning_80k_wrapped_lines_is_linear(line: str) -> None:
    text = "\n".join([line] * 80_000)
    started = time.perf_counter()
    assert len(clean(text)) == 1  # every wrap joined
    # 172 s before (each join copied the paragraph); about 2 s now, the bound leaves room for load.
    assert time.perf_counter() - started < 20


@pytest.mark.slow
def test_a_5mb_unpunctuated_line_gives_bounded_clauses() -> None:
    text = " ".join(["cải cách hành chính nhà nước"] * (5_000_000 // 30))
    started = time.perf_counter()
    clauses = split_clauses(clean(text))
    assert clauses and all(len(c.text) <= HARD_MAX for c in clauses)
    assert " ".join(c.text for c in clauses) == text  # cut at word boundaries, nothing lost
    assert time.perf_counter() - started < 30


def test_table_row_split_at_cells_when_too_long() -> None:
    row = TableRow([("Nhiệm vụ", "Xây dựng " + "cơ sở dữ liệu chuyên ngành, " * 20 + "kết nối."),
                    ("Cơ quan chủ trì", "Sở Khoa học và Công nghệ"), ("Thời gian hoàn thành", "2026")])
    clauses = split_clauses([row])
    assert len(clauses) >= 2 and all(len(c.text) <= HARD_MAX for c in clauses)
    assert clauses[-1].text.endswith("kết nối. | Sở Khoa học và Công nghệ | 2026")
    assert clauses[0].cells == row.cells


def test_word_table_rows_get_their_column_names() -> None:
    # documents.py writes a .docx table one row a line, cells joined by " | ".
    lines = clean("KẾ HOẠCH\nSTT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành\n"
                  "1 | Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính | Sở Nội vụ | 2026\n"
                  "2 | Thanh toán trực tuyến phí, lệ phí | Sở Tài chính | Quý II/2026\n")
    rows = [x for x in lines if isinstance(x, TableRow)]
    assert rows == ["Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính | Sở Nội vụ | 2026",
                    "Thanh toán trực tuyến phí, lệ phí | Sở Tài chính | Quý II/2026"]
    assert rows[0].header == "Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành"
    assert rows[0].cells[1] == ("Cơ quan chủ trì", "Sở Nội vụ")


def test_tasks_described_in_labelled_items(shipped_kb: KnowledgeBase) -> None:
    # Hà Nội 308/KH-UBND: "3. Về đảm bảo an toàn thông tin …" / "b) Cơ quan thực hiện:" /
    # "- Đơn vị chủ trì: Công an Thành phố." / "- Đơn vị phối hợp: …".
    tasks = shipped_kb.tasks(document="308/KH-UBND", agency="Công an Thành phố")
    assert tasks and tasks[0].task.partners and "UBND xã, phường" in tasks[0].task.partners
    assert tasks[0].clause_text == "- Đơn vị chủ trì: Công an Thành phố."
    dated = [t for t in shipped_kb.tasks(document="308/KH-UBND") if t.task.deadline]
    assert dated and all(t.task.deadline == "2025" for t in dated)


def test_an_agency_question_is_answered_by_the_row_whose_columns_name_the_role(shipped_kb: KnowledgeBase) -> None:
    # Bắc Ninh 144/KH-UBND states "Kinh tế số chiếm 45% GRDP tỉnh." in its targets and again as an
    # appendix row "… | Sở Tài chính" under the columns "Chỉ tiêu | Chủ trì": the row answers "who".
    answer = shipped_kb.search("Bắc Ninh: đơn vị nào chủ trì thực hiện chỉ tiêu kinh tế số 45% GRDP?")
    assert answer.answered
    assert answer.results[0].text.endswith("| Sở Tài chính")
    assert answer.results[0].section.endswith("Chỉ tiêu | Chủ trì")
    # Without the agency question, the shorter prose sentence states the figure.
    plain = shipped_kb.search("Bắc Ninh kinh tế số chiếm bao nhiêu % GRDP năm 2030")
    assert plain.answered and " | " not in plain.results[0].text
