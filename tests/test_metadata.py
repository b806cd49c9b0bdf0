"""Metadata detected from a plan's own text (knowledge/metadata.py).

Snippets of real pages are copied here as literals (news pages and legal-document sites);
the synthetic texts check the rules on layouts those pages do not have.
"""

from __future__ import annotations

import pytest

from knowledge.metadata import detect_metadata
from knowledge.provinces import Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def detect(text: str, gaz: Gazetteer) -> dict[str, str]:
    return detect_metadata(text, gazetteer=gaz)


# --- news pages (seeds) ------------------------------------------------------------------------

THANH_HOA_NEWS = """The Provincial Competitiveness Index ( PCI )

CHỈ SỐ NĂNG LỰC CẠNH TRANH CẤP TỈNH

Provincial Green Index

English

Thanh Hóa: Tiếp tục mở rộng, triển khai thực hiện hiệu quả mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ”

UBND tỉnh vừa có Quyết định số 4750/QĐ-UBND về việc ban hành Kế hoạch cải cách hành chính (CCHC) năm 2023.
Mục đích nhằm xây dựng nền hành chính trong sạch, liêm chính, hoạt động hiệu lực, hiệu quả; tiếp tục nâng cao \
điểm số, thứ hạng Chỉ số cải cách hành chính (PAR INDEX).
"""

QUANG_NGAI_NEWS = """Truy cập nội dung luôn
SỞ KHOA HỌC VÀ CÔNG NGHỆ

TỈNH QUẢNG NGÃI

Cải cách hành chính; nâng cao thứ hạng các chỉ số cải cách hành chính, hiệu quả quản trị và hành chính \
công, năng lực cạnh tranh cấp tỉnh giai đoạn 2021 – 2025

10/01/2022

UBND tỉnh Ban hành Kế hoạch cải cách hành chính; nâng cao thứ hạng các chỉ số cải cách hành chính, hiệu \
quả quản trị và hành chính công, năng lực cạnh tranh cấp tỉnh giai đoạn 2021 - 2025 theo Quyết định số \
1256/QĐ-UBND ngày 22 tháng 12 năm 2021.

Mục tiêu tập trung xây dựng, triển khai đồng bộ và có hiệu quả các nhiệm vụ, giải pháp được quy định tại \
Nghị quyết số 04-NQ/TU ngày 18/10/2021 của Tỉnh ủy và Nghị quyết số 93/NQ-HĐND ngày 08/12/2021 của Hội \
đồng nhân dân tỉnh, về đẩy mạnh cải cách hành chính.
"""

BAC_NINH_NEWS = """CHỈ SỐ NĂNG LỰC CẠNH TRANH CẤP TỈNH

English

Bắc Ninh tiếp tục đổi mới, nâng cao chất lượng công tác cải cách hành chính

Nhằm tạo sự chuyển biến mạnh mẽ trong tổ chức và hoạt động của các cơ quan hành chính Nhà nước, góp phần \
triển khai có hiệu quả chủ đề công tác năm 2022 của tỉnh, Phó Chủ tịch Thường trực UBND tỉnh Bắc Ninh \
Vương Quốc Tuấn vừa ký ban hành Kế hoạch số 897/KH-UBND về cải cách hành chính tỉnh Bắc Ninh năm 2022.
Theo đó, Thủ trưởng các Sở, ban, ngành; Chủ tịch UBND cấp huyện, cấp xã tiếp tục đổi mới.
"""

THANH_HOA_MEETING = """Triển khai Nghị quyết số 338/2020/NQ-HĐND ngày 06/12/2020 của Hội đồng nhân dân tỉnh \
Thanh Hóa Triển khai Công điện số 03/CĐ-UBND ngày 28/01/2021 của Chủ tịch UBND tỉnh
UBND tỉnh họp nghe dự thảo Kế hoạch hành động thực hiện “Khâu đột phá về đẩy mạnh cải cách hành chính, \
tạo môi trường đầu tư thông thoáng, hấp dẫn”
Thứ Ba - 11/05/2021 02:21 CH
áng ngày 07/5/2021, đồng chí Nguyễn Văn Thi - Ủy viên BTV Tỉnh ủy, Phó Chủ tịch UBND tỉnh chủ trì Hội nghị.
"""

LAI_CHAU_PAGE = """Kế hoạch cải cách hành chính năm 2026
Ngày 30/12/2025, Văn phòng UBND tỉnh Lai Châu đã ban hành Kế hoạch số 1888/KH-VPUBND về công tác cải cách \
hành chính năm 2026.

Thực hiện Kế hoạch số 8328/KH-UBND ngày 23/12/2025 của UBND tỉnh về cải cách hành chính tỉnh Lai Châu năm \
2026; Văn phòng UBND tỉnh xây dựng kế hoạch cải cách hành chính năm 2026 như sau:
"""


def test_news_decision_number_and_province(gaz: Gazetteer) -> None:
    found = detect(THANH_HOA_NEWS, gaz)
    assert found["document"] == "4750/QĐ-UBND"
    assert found["province"] == "Thanh Hóa"
    assert "issued" not in found and "signer" not in found
    assert found["title"].startswith("Thanh Hóa: Tiếp tục mở rộng")


def test_news_number_after_ban_hanh_theo(gaz: Gazetteer) -> None:
    found = detect(QUANG_NGAI_NEWS, gaz)
    assert found["document"] == "1256/QĐ-UBND"
    assert found["issued"] == "2021-12-22"  # the date given with the number, not the page date
    assert found["province"] == "Quảng Ngãi"  # from "SỞ ... / TỈNH QUẢNG NGÃI"
    assert found["title"].startswith("Cải cách hành chính; nâng cao thứ hạng")


def test_news_signer_before_vua_ky(gaz: Gazetteer) -> None:
    found = detect(BAC_NINH_NEWS, gaz)
    assert found["signer"] == "Vương Quốc Tuấn"
    assert found["document"] == "897/KH-UBND"
    assert found["province"] == "Bắc Ninh"
    assert found["title"] == "Bắc Ninh tiếp tục đổi mới, nâng cao chất lượng công tác cải cách hành chính"


def test_news_with_only_cited_documents_has_no_number(gaz: Gazetteer) -> None:
    found = detect(THANH_HOA_MEETING, gaz)
    assert "document" not in found
    assert "signer" not in found
    assert found["province"] == "Thanh Hóa"
    assert found["title"].startswith("UBND tỉnh họp nghe dự thảo Kế hoạch")


def test_announcing_sentence_with_date_first(gaz: Gazetteer) -> None:
    found = detect(LAI_CHAU_PAGE, gaz)
    assert found["document"] == "1888/KH-VPUBND"  # not the cited 8328/KH-UBND
    assert found["issued"] == "2025-12-30"
    assert found["province"] == "Lai Châu"
    assert found["title"] == "Kế hoạch cải cách hành chính năm 2026"


# --- legal-document pages ----------------------------------------------------------------------

FORMAL_PLAN = """Hệ thống pháp luật

ỦY BAN NHÂN DÂN
TỈNH BẮC GIANG
-------

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------

Số: 6891/KH-UBND

Bắc Giang, ngày 28 tháng 12 năm 2021

KẾ HOẠCH

CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC TỈNH BẮC GIANG NĂM 2022

Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể Cải cách \
hành chính (CCHC) nhà nước giai đoạn 2021-2030; Kế hoạch số 402/KH-UBND ngày 21/8/2021 của UBND tỉnh, \
Chủ tịch UBND tỉnh xây dựng Kế hoạch CCHC nhà nước tỉnh Bắc Giang năm 2022 như sau:

I. MỤC ĐÍCH, YÊU CẦU
"""

TABLE_PAGE = """Quyết định 3470/QĐ-UBND năm 2025 về Kế hoạch thực hiện Chương trình tổng thể cải cách hành chính \
nhà nước thành phố Hải Phòng giai đoạn 2026-2030
Số hiệu | 3470/QĐ-UBND |
Ngày ban hành | 27/08/2025 |
Loại văn bản | Quyết định |
Cơ quan ban hành | Thành phố Hải Phòng |
Người ký | Lê Ngọc Châu |
ỦY BAN NHÂN DÂN |
Số: 3470/QĐ-UBND |
Hải Phòng, ngày 27 tháng 8 năm 2025 |
KẾ HOẠCH
THỰC HIỆN CHƯƠNG
TRÌNH TỔNG THỂ CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC THÀNH PHỐ HẢI PHÒNG GIAI ĐOẠN 2026
- 2030
(Kèm theo Quyết định số 3470/QĐ-UBND ngày 27/8/2025)
"""

LIBRARY_PAGE = """Từ khoá: Số Hiệu, Tiêu đề hoặc Nội dung ngắn gọn của Văn Bản...

Số hiệu: 395/KH-UBND Loại văn bản: Kế hoạch
Nơi ban hành: Tỉnh Lào Cai Người ký: Trịnh Xuân Trường
Ngày ban hành: 20/10/2023 Ngày hiệu lực: Đã biết

ỦY BAN NHÂN DÂN
TỈNH LÀO CAI

Căn cứ Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ về việc phê duyệt Đề án.
"""


def test_formal_header(gaz: Gazetteer) -> None:
    found = detect(FORMAL_PLAN, gaz)
    assert found == {
        "document": "6891/KH-UBND",
        "province": "Bắc Giang",
        "issued": "2021-12-28",
        "title": "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC TỈNH BẮC GIANG NĂM 2022",
    }


def test_summary_table(gaz: Gazetteer) -> None:
    found = detect(TABLE_PAGE, gaz)
    assert found["document"] == "3470/QĐ-UBND"
    assert found["issued"] == "2025-08-27"
    assert found["province"] == "Hải Phòng"
    assert found["signer"] == "Lê Ngọc Châu"
    assert found["title"].startswith("Quyết định 3470/QĐ-UBND năm 2025 về Kế hoạch thực hiện")


def test_plan_heading_over_several_lines(gaz: Gazetteer) -> None:
    text = TABLE_PAGE.split("\n", 1)[1]  # without the page-title line
    assert detect(text, gaz)["title"] == (
        "KẾ HOẠCH THỰC HIỆN CHƯƠNG TRÌNH TỔNG THỂ CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC THÀNH PHỐ HẢI PHÒNG "
        "GIAI ĐOẠN 2026 - 2030"
    )


def test_fields_on_one_line(gaz: Gazetteer) -> None:
    found = detect(LIBRARY_PAGE, gaz)
    assert found["document"] == "395/KH-UBND"
    assert found["signer"] == "Trịnh Xuân Trường"
    assert found["issued"] == "2023-10-20"
    assert found["province"] == "Lào Cai"


# --- synthetic ---------------------------------------------------------------------------------

def test_header_number_beats_an_earlier_mention(gaz: Gazetteer) -> None:
    text = "Kế hoạch số 12/KH-UBND ngày 01/02/2024 đã được sửa đổi.\nSố: 201/KH-UBND\nNội dung kế hoạch."
    assert detect(text, gaz)["document"] == "201/KH-UBND"


@pytest.mark.parametrize(
    "text",
    [
        "Căn cứ Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ.",
        "Thực hiện Kế hoạch số 402/KH-UBND ngày 21/8/2021 của UBND tỉnh.",
        "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 38/TTr-SNV ngày 14 tháng 12 năm 2021.",
        "Tiếp tục triển khai các nhiệm vụ; Kế hoạch số 2943/KH-UBND của UBND tỉnh.",
        "Các nhiệm vụ quy định tại Quyết định số 5158/QĐ-UBND ngày 30/12/2021.",
        "Cải cách hành chính là nhiệm vụ trọng tâm của năm 2025.",
    ],
)
def test_no_own_number(gaz: Gazetteer, text: str) -> None:
    assert "document" not in detect(text, gaz)


def test_kem_theo_names_the_decision(gaz: Gazetteer) -> None:
    text = (
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ;\n"
        "KẾ HOẠCH\nCẢI CÁCH HÀNH CHÍNH NĂM 2024\n"
        "(Kèm theo Quyết định số 88/QĐ-UBND ngày 05/01/2024 của UBND tỉnh Yên Bái)\n"
    )
    found = detect(text, gaz)
    assert found["document"] == "88/QĐ-UBND"
    assert found["issued"] == "2024-01-05"
    assert found["province"] == "Yên Bái"
    assert found["title"] == "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024"


def test_numbers_keep_year_and_lowercase_issuer(gaz: Gazetteer) -> None:
    text = "UBND tỉnh vừa ban hành Quyết định số 76/2024/QĐ-UBND về cải cách hành chính."
    assert detect(text, gaz)["document"] == "76/2024/QĐ-UBND"


@pytest.mark.parametrize(
    ("text", "province"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH\nSố: 1/KH-UBND", "Hòa Bình"),
        ("Nơi ban hành: Tỉnh Sóc Trăng\nnội dung", "Sóc Trăng"),
        ("Cơ quan ban hành | Tỉnh Hà Tĩnh |", "Hà Tĩnh"),
        ("ỦY BAN NHÂN DÂN |\nSố: 4168/QĐ-UBND |\nCần Thơ, ngày 27 tháng 12 năm 2021 |", "Cần Thơ"),
        ("UBND thành phố Hồ Chí Minh ban hành kế hoạch.", "Hồ Chí Minh"),
        ("Chỉ tiêu của tỉnh Thừa Thiên Huế năm 2022 và phong trào thi đua.", "Huế"),
        ("Tỉnh Quảng Nam đạt 90%. Quảng Nam phấn đấu, Đà Nẵng hỗ trợ.", "Quảng Nam"),
    ],
)
def test_province(gaz: Gazetteer, text: str, province: str) -> None:
    assert detect(text, gaz)["province"] == province


def test_ubnd_of_another_level_is_not_a_province(gaz: Gazetteer) -> None:
    text = "UBND các huyện, thị xã, thành phố nhận thức đầy đủ nhiệm vụ cải cách hành chính."
    assert "province" not in detect(text, gaz)


@pytest.mark.parametrize(
    ("text", "issued"),
    [
        ("Ngày ban hành: 20/10/2023", "2023-10-20"),
        ("Số: 5/KH-UBND\nHà Nội, ngày 5 tháng 1 năm 2024", "2024-01-05"),
        ("UBND tỉnh vừa ban hành Kế hoạch số 12/KH-UBND ngày 27/12/2024 về CCHC.", "2024-12-27"),
        ("Số: 12/KH-UBND ngày 31 tháng 2 năm 2024", None),  # no such day
        ("TP. Hồ Chí Minh, ngày 03 tháng 3 năm 2025", "2025-03-03"),
        ("Thành phố Huế, ngày 9 tháng 9 năm 2025", "2025-09-09"),
        ("Tổ chức hội nghị sơ kết, ngày 15 tháng 3 năm 2024 tại tỉnh.", None),  # not a place
    ],
)
def test_issued(gaz: Gazetteer, text: str, issued: str | None) -> None:
    assert detect(text, gaz).get("issued") == issued


@pytest.mark.parametrize(
    ("text", "signer"),
    [
        ("Người ký: Nguyễn Văn An\n", "Nguyễn Văn An"),
        ("Người ký | Lê Ngọc Châu |", "Lê Ngọc Châu"),
        ("Người ký: Đã biết\n", None),
        ("Chủ tịch UBND tỉnh Nguyễn Thị Bình vừa ký Quyết định số 5/QĐ-UBND.", "Nguyễn Thị Bình"),
        ("Người dân đăng ký kinh doanh qua Cổng Dịch Vụ Công Quốc Gia đăng ký trực tuyến.", None),
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\nTrần Văn Nam\n", "Trần Văn Nam"),
        ("CHỦ TỊCH |\nKẾ HOẠCH\nNội dung", None),
    ],
)
def test_signer(gaz: Gazetteer, text: str, signer: str | None) -> None:
    assert detect(text, gaz).get("signer") == signer


def test_department_name_is_not_a_title(gaz: Gazetteer) -> None:
    text = "SỞ KẾ HOẠCH VÀ ĐẦU TƯ TỈNH AN GIANG\nVỀ VIỆC BAN HÀNH KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024\n"
    found = detect(text, gaz)
    assert found["title"] == "VỀ VIỆC BAN HÀNH KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024"
    assert found["province"] == "An Giang"


def test_nothing_found(gaz: Gazetteer) -> None:
    assert detect("", gaz) == {}
    assert detect("English only page\nHome | Contact", gaz) == {}


def test_default_gazetteer_is_used_when_none_given() -> None:
    assert detect_metadata("UBND tỉnh Quảng Ngãi")["province"] == "Quảng Ngãi"
