"""Issue 8 (chat forms of places and multi-word fillers): province initialisms read only where
they are places (lang/province_initials.tsv, lang/place_words.txt), a shared one never read
as one province silently, and every multi-word row of lang/fillers.txt and lang/chat.tsv
matched even when segmentation splits it."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.reader import _initialism_of, expand_agencies, expand_initials, filler_runs, standardize_chat
from knowledge.text import fold, words

LANG = Path(__file__).resolve().parent.parent / "knowledge" / "lang"


def _rows(name: str) -> list[list[str]]:
    lines = (LANG / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def test_an_initialism_is_a_province_after_a_place_word_or_in_capitals(shipped_kb: KnowledgeBase) -> None:
    assert shipped_kb.read("tỉnh ĐL có bắt trung tâm tự kiểm tra không").provinces == ("Đắk Lắk",)
    assert shipped_kb.read("ĐL có xử lý người đứng đầu không").provinces == ("Đắk Lắk",)
    assert shipped_kb.read("ở tỉnh đl có xử lý người đứng đầu không").provinces == ("Đắk Lắk",)
    # Lower case and alone, or without its "đ", it is the other short form ("dl" dữ liệu).
    assert shipped_kb.read("đl dân cư được kết nối không").provinces == ()
    assert shipped_kb.read("DL dân cư được kết nối không").provinces == ()
    # A row not marked `caps` counts only after a place word: "BN" alone is "bao nhiêu".
    assert shipped_kb.read("tỉnh BN cắt giảm thủ tục").provinces == ("Bắc Ninh",)
    assert shipped_kb.read("BN thủ tục được cắt giảm").provinces == ()
    # Part of a document number or of an initialism with "&" it is no place.
    assert expand_initials("văn bản 12/QN-UBND") == "văn bản 12/QN-UBND"


def test_a_shared_initialism_stands_for_every_province_it_names(shipped_kb: KnowledgeBase) -> None:
    assert shipped_kb.read("QN đặt mục tiêu hồ sơ trực tuyến").provinces == ("Quảng Ninh", "Quảng Ngãi", "Quảng Nam")
    assert shipped_kb.read("tỉnh LC cải cách thủ tục").provinces == ("Lai Châu", "Lào Cai")
    # The documents the other words find answer: Quảng Ninh's plan holds the online target.
    answer = shipped_kb.search("QN đặt mục tiêu bao nhiêu % hồ sơ trực tuyến")
    assert answer.answered


@pytest.mark.parametrize("row", _rows("province_initials.tsv"), ids=lambda r: r[0])
def test_every_initialism_row_is_read_after_a_place_word(shipped_kb: KnowledgeBase, row: list[str]) -> None:
    names = tuple(p for p in row[1].split("|"))
    assert shipped_kb.read(f"tỉnh {row[0].upper()} cải cách thủ tục hành chính").provinces == names


def test_lower_case_hn_after_a_time_word_is_today(shipped_kb: KnowledgeBase) -> None:
    assert shipped_kb.read("hn làm dvc online có mất phí ko").provinces == ("Hà Nội",)
    assert shipped_kb.read("sáng hn mình nộp hồ sơ trực tuyến bị lỗi").provinces == ()
    assert shipped_kb.read("sáng HN nộp hồ sơ trực tuyến").provinces == ("Hà Nội",)


def _multiword(name: str) -> list[list[str]]:
    return [r for r in _rows(name) if len(words(fold(r[0]))) > 1]


@pytest.mark.parametrize("row", _multiword("fillers.txt"), ids=lambda r: r[0])
def test_every_multiword_filler_row_is_no_search_word(shipped_kb: KnowledgeBase, row: list[str]) -> None:
    plain = shipped_kb.read("thủ tục hành chính trực tuyến").terms
    assert shipped_kb.read(f"thủ tục hành chính trực tuyến, {row[0]}").terms == plain


@pytest.mark.parametrize("row", _multiword("chat.tsv"), ids=lambda r: r[0])
def test_every_multiword_chat_row_is_read_as_its_standard(row: list[str]) -> None:
    standard = row[1] if len(row) > 1 else ""
    assert standardize_chat(f"thủ tục {row[0]} nhé").split() == f"thủ tục {standard} nhé".split()


def test_a_filler_split_into_units_is_matched_on_them() -> None:
    fillers = frozenset({"qua_troi", "cho_minh_hoi", "moi_nguoi"})
    assert filler_runs(["cho", "lau", "qua", "troi", "luon"], fillers) == {2, 3}
    assert filler_runs(["cho", "minh", "hoi", "thu_tuc"], fillers) == {0, 1, 2}
    # A unit only partly inside the phrase is left alone; other marks are another word.
    assert filler_runs(["qua_troi_oi"], fillers) == frozenset()
    assert filler_runs(["moi", "nguoi"], fillers, ["mỗi", "người"]) == frozenset()
    assert filler_runs(["moi", "nguoi"], fillers, ["mọi", "người"]) == {0, 1}


def test_split_intensifier_no_longer_refuses_a_chat_question(shipped_kb: KnowledgeBase) -> None:
    q = "chờ lâu quá trời luôn, tỉnh ĐL có bắt TT PVHCC tự kiểm tra, giám sát chất lượng giải quyết TTHC ko"
    read = shipped_kb.read(q)
    assert "troi" not in read.terms and read.provinces == ("Đắk Lắk",)
    answer = shipped_kb.search(q)
    assert answer.answered and "giám sát" in answer.results[0].text


def test_an_agency_typed_by_its_short_form_is_read_and_searched_as_its_name(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("Sở NV phải làm gì")
    assert "sở nội vụ" in q.agencies and "noi_vu" in q.terms and "nv" not in q.terms
    q = shipped_kb.read("Sở GD&ĐT có nhiệm vụ gì")
    assert "sở giáo dục và đào tạo" in q.agencies and {"giao_duc", "dao_tao"} <= set(q.terms)
    assert "văn phòng ubnd tỉnh" in shipped_kb.read("VP UBND tỉnh làm gì").agencies
    assert "cong_an" in shipped_kb.read("CA tỉnh làm gì").terms
    # Another name of an agency is no short form of it: "trung tâm hành chính công" stays itself.
    assert expand_agencies("trung tâm hành chính công làm gì") == "trung tâm hành chính công làm gì"


def test_every_agency_short_form_is_an_initialism_of_its_name() -> None:
    for row in _rows("agencies.txt"):
        spellings = [s.strip() for s in row[0].split("|")]
        for short in spellings[1:]:
            if len(words(short)) < len(words(spellings[0])) and _initialism_of(short, spellings[0]):
                assert expand_agencies(short) == spellings[0]


def test_a_ministry_code_typed_alone_names_the_ministry(shipped_kb: KnowledgeBase) -> None:
    assert shipped_kb.read("kế hoạch của BXD").owners == shipped_kb.read("kế hoạch của Bộ Xây dựng").owners == ("bxd",)
    assert shipped_kb.read("BNV yêu cầu gì").issuers == ("bnv",)
    assert shipped_kb.read("UB tỉnh giao nhiệm vụ gì").terms[:2] == ("ubnd", "tinh")
    # Inside a document number the code stays the number's; "BTC" (also Ban Tổ chức) is no issuer.
    assert standardize_chat("quyết định 664/QĐ-BXD") == "quyết định 664/QĐ-BXD"
    assert shipped_kb.read("BTC hướng dẫn gì").issuers == ()


def test_an_initialism_read_in_capitals_alone_is_no_other_short_form() -> None:
    others = {fields[0].strip().lower() for name in ("chat.tsv", "abbreviations.tsv", "doctypes.tsv", "units.tsv")
              for fields in _rows(name)}
    for row in _rows("province_initials.tsv"):
        if row[2:3] == ["caps"]:
            # Typed as listed (with its "đ") it is no chat, abbreviation or document kind.
            assert row[0] not in others, row[0]


def test_a_filler_listed_with_marks_is_another_word_typed_with_others(shipped_kb: KnowledgeBase) -> None:
    # "dữ" (very, chat) is a filler; "đủ" folds like it and is a word of the plans.
    assert "du" in shipped_kb.read("thủ tục không đủ điều kiện cung cấp trực tuyến").terms
    assert "du" not in shipped_kb.read("thủ tục trực tuyến nhanh dữ").terms
