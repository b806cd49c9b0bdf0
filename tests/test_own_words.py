"""Issue 8, the user's own words (second paraphrase pass): a listed word typed with other marks
is another word ("muộn" is no "muốn", "ngắn" no "ngàn"); everyday and chat wording of
public-service life has the plans' wording; and on the shipped plans such questions reach the
clause that answers them."""

from __future__ import annotations

import pytest
from planwords import alternatives, phrases_not_in_plans

from knowledge import KnowledgeBase
from knowledge.cleaning import clean
from knowledge.reader import _slips, marked_forms, other_marks, standardize_chat

SECTION = "second paraphrase pass"


def test_a_word_listed_with_marks_stands_for_those_marks_only_when_typed_with_marks() -> None:
    marked = marked_forms(["muốn", "ngàn", "kỹ năng", "admin", "đóng"])
    assert other_marks(marked, "muon", "muộn")
    assert not other_marks(marked, "muon", "muốn")
    assert not other_marks(marked, "muon", "muon")  # typed without marks: it may be either
    assert other_marks(marked, "ngan", "ngắn")
    assert not other_marks(marked, "ky nang", "kĩ_năng")  # y and i spell one vowel
    assert other_marks(marked, "dong", "đông")
    assert not other_marks(marked, "admin", "ádmin")  # listed without marks: any spelling
    # Syllable by syllable: one typed without marks may be any spelling ("cat bớt" is "cắt bớt").
    marked = marked_forms(["cắt bớt"])
    assert not other_marks(marked, "cat bot", "cat bớt") and other_marks(marked, "cat bot", "cát bớt")
    # A folded key listed both with and without marks keeps its folded reading.
    assert "muon" not in marked_forms(["muốn", "muon"])


@pytest.mark.parametrize(("question", "kept"), [
    ("giải quyết muộn có phải xin lỗi không", True),
    ("tôi muốn hỏi về lệ phí", False),
    ("toi muon hoi ve le phi", False),
])
def test_a_function_word_typed_with_other_marks_is_searched(shipped_kb: KnowledgeBase, question: str,
                                                            kept: bool) -> None:
    assert ("muon" in shipped_kb.read(question).terms) is kept, question


def test_a_thesaurus_phrase_typed_with_other_marks_is_not_read_as_it(shipped_kb: KnowledgeBase) -> None:
    # "ngàn" = "nghìn"; "rút ngắn" (shorten) folds like "rút ngàn" but is no number.
    assert "nghin" not in alternatives(shipped_kb, "phải rút ngắn thời gian giải quyết bao nhiêu")
    assert "nghin" in alternatives(shipped_kb, "hỗ trợ hàng ngàn hồ sơ")  # after a figure it is ×1000 (lang/units.tsv)
    assert "nghin" in alternatives(shipped_kb, "ho tro hang ngan ho so")


def test_every_plan_phrase_of_the_second_pass_occurs_in_the_shipped_plans() -> None:
    checked, missing = phrases_not_in_plans("thesaurus.tsv", SECTION)
    assert checked >= 60
    assert missing == []


@pytest.mark.parametrize(("question", "plan_words"), [
    ("trả kết quả bị muộn thì sao", "tre hen"),
    ("trả hồ sơ muộn cho dân thì sao", "tre hen"),
    ("có phải nói lời xin lỗi không", "xin loi"),
    ("rút ngắn bao nhiêu ngày", "cat giam"),
    ("danh sách thủ tục nào được làm ở đâu cũng được", "danh muc"),
    ("ds thủ tục đã công bố chưa", "danh muc"),
    ("có phải về nơi mình ở mới nộp được không", "noi cu tru"),
    ("mới về cơ quan thì có đánh giá không", "thoi gian cong tac"),
    ("có hộp thư chung cho công chức không", "thu dien tu"),
    ("đỡ phải chạy đi chạy lại không", "di lai"),
    ("bỏ quy định nào cho doanh nghiệp", "bai bo"),
    ("hộ buôn bán nhỏ có được hỗ trợ không", "ho kinh doanh"),
    ("httt giải quyết thủ tục", "he thong thong tin"),
    ("làm từ đầu đến cuối trên mạng được không", "truc tuyen toan trinh"),
    ("thái độ cán bộ một cửa thế nào", "thai do phuc vu"),
    ("cán bộ vòi tiền thì báo ai", "nhung nhieu"),
    ("sau khi bỏ cấp huyện thì làm thủ tục ở đâu", "chinh quyen dia phuong hai cap"),
    ("các nơi gửi dữ liệu cho nhau chưa", "chia se du lieu"),
    ("có kiểm tra đột xuất bộ phận một cửa không", "dot xuat"),
    ("đóng bhxh cho chuyên gia không", "bao hiem xa hoi"),
])
def test_everyday_wording_gets_the_plans_wording(shipped_kb: KnowledgeBase, question: str, plan_words: str) -> None:
    assert plan_words in alternatives(shipped_kb, question), question


@pytest.mark.parametrize(("question", "clause_words"), [
    # Typed with its marks, "muộn" is late: the apology clause, not a refusal.
    ("Bắc Ninh có bắt cơ quan xin lỗi khi giải quyết hồ sơ muộn không", "xin lỗi người dân"),
    # "rút ngắn" is no "rút ngàn": the 30 % cut of the time procedures take.
    ("Đắk Lắk đòi rút ngắn thời gian giải quyết giấy tờ cho doanh nghiệp ít nhất bao nhiêu", "tối thiểu 30%"),
    ("Bộ Xây dựng có bỏ quy định bắt dân về nơi mình ở làm thủ tục không", "nơi cư trú"),
])
def test_a_question_in_the_users_own_words_reaches_the_clause(shipped_kb: KnowledgeBase, question: str,
                                                             clause_words: str) -> None:
    answer = shipped_kb.search(question)
    assert answer.answered, question
    assert clause_words in answer.results[0].text, question


def test_bên_over_at_a_place_is_a_chat_filler(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("công chức bên HP đánh giá xếp loại trước ngày nào")
    assert "ben" not in q.terms and q.provinces == ("Hải Phòng",)


def test_a_bold_opening_carried_on_in_plain_lines_joins_a_wrap_before_a_capital() -> None:
    # A web copy bolds an item's first line; the sentence runs on, wrapped at a width, and its
    # last wrap falls inside a name ("Thủ tướng" / "Chính phủ"): one clause, not two.
    text = "\n".join([
        "1. Các bộ, cơ quan ngang bộ rà soát các quy định về thủ tục hành chính có liên",
        "quan đến hoạt động sản xuất kinh doanh và gửi kết quả về cơ quan tổng hợp để",
        "theo dõi, đôn đốc việc thực hiện các nhiệm vụ được giao trong năm nay.",
        "**2. Văn phòng Chính phủ theo chức năng, nhiệm vụ được**",
        "giao theo dõi, đôn đốc việc triển khai các nhiệm vụ nêu trên; kịp thời tổng hợp,",
        "báo cáo Thủ tướng Chính phủ những vấn đề vượt thẩm quyền. Báo cáo Thủ tướng",
        "Chính phủ kết quả thực hiện nhiệm vụ của các bộ, ngành trước ngày 20 hằng",
        "tháng.",
        "**Chế độ báo cáo của các bộ, cơ quan ngang bộ và các địa phương**",
        "Các bộ gửi báo cáo định kỳ về Văn phòng Chính phủ để tổng hợp chung.",
    ])
    lines = clean(text)
    assert any(line.startswith("2. Văn phòng Chính phủ") and line.endswith("trước ngày 20 hằng tháng.")
               for line in lines), lines
    # A line wholly in bold (a heading) still ends where it ends.
    assert "Chế độ báo cáo của các bộ, cơ quan ngang bộ và các địa phương" in lines, lines


def test_a_word_the_plans_use_only_inside_a_longer_word_is_searched_as_that_word(shipped_kb: KnowledgeBase) -> None:
    # The plans' segmenter joined "trung bình quân" ("mức trung bình quân chung"): a question's
    # "trung bình" is found in it, not left a word no clause holds.
    q = shipped_kb.read("PAR INDEX dưới mức trung bình của thành phố được mấy điểm")
    assert ("trung_binh_quan",) in q.alternatives["trung_binh"]
    assert shipped_kb.retriever.fts_units(q, "trung_binh") == ["trung_binh_quan"]
    # Typed with other marks it is another word: no longer word holds "trùng bình".
    assert shipped_kb.reader._longer_words("trung_binh", "trùng bình") == ()
    assert shipped_kb.reader._longer_words("trung_binh", "trung binh") == ("trung_binh_quan",)


@pytest.mark.parametrize(("question", "word"), [
    ("bồi dưởng công chức kỹ năng số", "boi_duong"),  # hỏi for ngã
    ("thanh toán trực tuyển", "truc_tuyen"),  # hỏi for sắc
    ("kết qủa giải quyết", "ket_qua"),  # the tone on the other vowel
    ("tỷ lệ hồ sơ giải quyết trực tuyếm", "truc_tuyen"),  # "tuyếm" fixed by the typo stage
    ("giải quyết thủ tuc hanh chinh", "thu_tuc"),  # marks typed on some syllables only
])
def test_a_slip_of_marks_inside_a_plan_word_still_reads_the_word(shipped_kb: KnowledgeBase, question: str,
                                                                 word: str) -> None:
    assert word in shipped_kb.read(question).terms, question


def test_two_real_words_are_not_joined_by_a_slip(shipped_kb: KnowledgeBase) -> None:
    # "cũ đạt" folds like a word of two syllables, but each is typed right: two words.
    q = shipped_kb.read("hồ sơ cũ đạt chuẩn")
    assert "cu" in q.terms and "dat" in q.terms
    assert _slips(["dưởng"], ["dưỡng"]) == 1 and _slips(["duong"], ["dưỡng"]) == 0
    assert _slips(["dường"], ["dưỡng"]) == 1 and _slips(["đường"], ["dưỡng"]) == 2


def test_a_question_with_a_slip_of_marks_reaches_the_clause(shipped_kb: KnowledgeBase) -> None:
    # Read as loose syllables, "bồi dưởng … chuyễn đổi số" matched no clause well enough: refused.
    answer = shipped_kb.search("chương trình bồi dưởng cán bộ công chức về chuyễn đổi số")
    assert answer.answered and "bồi dưỡng" in answer.results[0].text


def test_a_question_typed_partly_with_marks_is_read_stretch_by_stretch(shipped_kb: KnowledgeBase) -> None:
    # The marked "cho em hỏi … ạ" made the whole question read left to right: "tai cong | van so".
    q = shipped_kb.read("cho em hỏi hai phong ban hanh theo de nghi cua so noi vu tai cong van so may ạ")
    assert "cong_van" in q.terms and "tai_cong" not in q.terms
    q = shipped_kb.read("cho mình hỏi nguoi dan dung hen thì sao ạ")
    assert "dung_hen" in q.terms and "dan_dung" not in q.terms


@pytest.mark.parametrize(("question", "province"), [
    ("ha noi ho tro chi phi chu ky so bao nhieu", "Hà Nội"),
    ("o ha tinh nam 2026 ke hoach cchc the nao", "Hà Tĩnh"),
])
def test_a_province_typed_without_marks_is_no_chat_particle(shipped_kb: KnowledgeBase, question: str,
                                                             province: str) -> None:
    # "hả" is a chat particle (dropped), and "ha" folds like it: inside a province name it is the name.
    assert shipped_kb.read(question).provinces == (province,), question
    assert standardize_chat("ha noi", lambda _f, a, b: b <= 6) == "ha noi" and standardize_chat("ha noi") == " noi"
    assert standardize_chat("vậy hả") == "vậy "


def test_a_thesaurus_phrase_typed_partly_with_marks_is_read(shipped_kb: KnowledgeBase) -> None:
    assert "cat giam" in alternatives(shipped_kb, "Quảng Ngãi tính cat bớt bao nhiêu đơn vị sự nghiệp")


def test_a_province_that_is_also_a_word_is_found_with_a_capital_inside_its_name(shipped_kb: KnowledgeBase) -> None:
    find = shipped_kb.gazetteer.find
    assert [n for n, _s, _e in find("viên chức ở hai Dương theo quy định mới")] == ["Hải Dương"]
    assert [n for n, _s, _e in find("PAPI của cao Bằng năm 2024")] == ["Cao Bằng"]
    # A capital on its first syllable alone may open a sentence: the ocean, not the province.
    assert find("Hải dương rộng lớn ở Biển Đông") == []


def test_a_plan_word_typed_without_marks_is_content_though_its_syllables_fold_like_fillers(
        shipped_kb: KnowledgeBase) -> None:
    # "hieu luc" folds like "hiểu" + "lúc" (both fillers): typed without marks it was dropped.
    q = shipped_kb.read("quy dinh danh gia can bo cua hai phong co hieu luc tu ngay nao")
    assert "hieu_luc" in q.terms
    # A function-word pair the plans never use as a word stays a function word.
    assert not {"thi_co", "co_khi", "cho_minh"} & set(shipped_kb.read("thi co khi nao cho minh biet").terms)
