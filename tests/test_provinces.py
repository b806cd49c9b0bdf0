"""Province names and the July 2025 merger (knowledge/provinces.py)."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from knowledge.provinces import Gazetteer, ProvinceRecord, province_records


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


# --- records from the library ------------------------------------------------------------------

def test_records_cover_63_legacy_and_34_current_provinces() -> None:
    records = province_records()
    legacy = [r for r in records if r.legacy]
    current = [r for r in records if not r.legacy]
    assert len({r.name for r in legacy}) == 63
    assert len({r.name for r in current}) == 34
    assert all(r.current == r.name for r in current)
    # every legacy province went into one of the 34
    assert {r.current for r in legacy} == {r.name for r in current}


def test_records_round_trip_through_json_as_the_index_stores_them() -> None:
    records = province_records()
    rows = json.loads(json.dumps([asdict(r) for r in records], ensure_ascii=False))
    rebuilt = Gazetteer([ProvinceRecord(**row) for row in rows])
    assert rebuilt.current("Bắc Giang") == "Bắc Ninh"
    assert rebuilt.canonical("Thừa Thiên Huế") == "Huế"
    assert rebuilt.find("TP.HCM") == [("Hồ Chí Minh", 3, 6)]


def test_library_names_carry_diacritics() -> None:
    names = {r.name for r in province_records()}
    assert {"Bắc Giang", "Hồ Chí Minh", "Huế", "Bà Rịa - Vũng Tàu", "Đắk Lắk"} <= names
    assert "Thừa Thiên Huế" not in names  # the library calls the old province "Huế" too


# --- merger ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Bắc Giang", "Bắc Ninh"),
        ("Quảng Nam", "Đà Nẵng"),
        ("Hải Dương", "Hải Phòng"),
        ("Sóc Trăng", "Cần Thơ"),
        ("Hậu Giang", "Cần Thơ"),
        ("Bình Dương", "Hồ Chí Minh"),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
        ("Yên Bái", "Lào Cai"),
        ("Kon Tum", "Quảng Ngãi"),
        ("Thừa Thiên Huế", "Huế"),
    ],
)
def test_current_of_old_province(gaz: Gazetteer, old: str, new: str) -> None:
    assert gaz.current(old) == new


def test_current_of_a_current_province_is_itself(gaz: Gazetteer) -> None:
    assert gaz.current("Cần Thơ") == "Cần Thơ"
    assert gaz.current("Quảng Ngãi") == "Quảng Ngãi"
    assert gaz.current("Atlantis") is None


def test_old_names(gaz: Gazetteer) -> None:
    assert sorted(gaz.old_names("Cần Thơ")) == ["Cần Thơ", "Hậu Giang", "Sóc Trăng"]
    assert sorted(gaz.old_names("TP HCM")) == ["Bà Rịa - Vũng Tàu", "Bình Dương", "Hồ Chí Minh"]
    assert sorted(gaz.old_names("Bắc Giang")) == ["Bắc Giang", "Bắc Ninh"]  # via its current province
    assert gaz.old_names("Hà Tĩnh") == ["Hà Tĩnh"]
    assert gaz.old_names("nowhere") == []


def test_names_lists(gaz: Gazetteer) -> None:
    assert len(gaz.names(legacy=False)) == 34
    assert len(gaz.names(legacy=True)) == 63
    assert "Hậu Giang" in gaz.names() and "Hậu Giang" not in gaz.names(legacy=False)


# --- canonical spellings -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Quảng Ngãi", "Quảng Ngãi"),
        ("quang ngai", "Quảng Ngãi"),
        ("QUẢNG NGÃI", "Quảng Ngãi"),
        ("Tỉnh Quảng Ngãi", "Quảng Ngãi"),
        ("tinh quang ngai", "Quảng Ngãi"),
        ("quangngai", "Quảng Ngãi"),
        ("Thành phố Cần Thơ", "Cần Thơ"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("Tp Hồ Chí Minh", "Hồ Chí Minh"),
        ("TP.HCM", "Hồ Chí Minh"),
        ("TPHCM", "Hồ Chí Minh"),
        ("HCM", "Hồ Chí Minh"),
        ("ho chi minh", "Hồ Chí Minh"),
        ("Thủ đô Hà Nội", "Hà Nội"),
        ("Thừa Thiên Huế", "Huế"),
        ("Thừa Thiên - Huế", "Huế"),
        ("hoà bình", "Hòa Bình"),  # old tone placement
        ("Thanh Hoá", "Thanh Hóa"),
        ("Dak Lak", "Đắk Lắk"),
        ("Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("ba ria vung tau", "Bà Rịa - Vũng Tàu"),
    ],
)
def test_canonical(gaz: Gazetteer, spelling: str, canonical: str) -> None:
    assert gaz.canonical(spelling) == canonical


@pytest.mark.parametrize("spelling", ["Nam", "tỉnh", "", "Quảng", "Paris", "thành phố"])
def test_canonical_unknown(gaz: Gazetteer, spelling: str) -> None:
    assert gaz.canonical(spelling) is None


# --- free text ---------------------------------------------------------------------------------

def test_find_returns_offsets_into_the_text(gaz: Gazetteer) -> None:
    text = "Kế hoạch CCHC của tỉnh Quảng Ngãi và Sóc Trăng"
    hits = gaz.find(text)
    assert [h[0] for h in hits] == ["Quảng Ngãi", "Sóc Trăng"]
    for name, start, end in hits:
        assert gaz.canonical(text[start:end]) == name


def test_find_without_diacritics_prefers_the_later_overlapping_name(gaz: Gazetteer) -> None:
    # "truc tuyen quang" could be "Tuyên Quang"; "quang ngai" wins the overlap.
    text = "muc tieu dvc truc tuyen quang ngai"
    assert gaz.find(text) == [("Quảng Ngãi", 24, 34)]


def test_find_old_name_and_trailing_words(gaz: Gazetteer) -> None:
    assert gaz.find("Cần Thơ cũ") == [("Cần Thơ", 0, 7)]
    assert gaz.find("thành phố Cần Thơ (sau sắp xếp)") == [("Cần Thơ", 10, 17)]


def test_find_longest_match_first(gaz: Gazetteer) -> None:
    assert gaz.find("tỉnh Bà Rịa - Vũng Tàu") == [("Bà Rịa - Vũng Tàu", 5, 22)]
    assert gaz.find("UBND tỉnh Thừa Thiên Huế") == [("Huế", 10, 24)]


def test_find_never_matches_one_syllable_fragments(gaz: Gazetteer) -> None:
    assert gaz.find("Nam và Ninh, Bình") == []
    assert gaz.find("Hà, Nam Định") == [("Nam Định", 4, 12)]  # a comma breaks "Hà Nam"


def test_find_accented_words_that_fold_like_names(gaz: Gazetteer) -> None:
    assert gaz.find("Diễn biến phức tạp") == []  # not Điện Biên
    assert gaz.find("Trung tâm đa năng") == []  # not Đà Nẵng
    assert gaz.find("hoa huệ") == []  # not Huế
    # one accented syllable that agrees is enough
    assert gaz.find("Quang Ngãi") == [("Quảng Ngãi", 0, 10)]


def test_find_names_that_are_common_words(gaz: Gazetteer) -> None:
    assert gaz.find("Giữ vững hòa bình, ổn định") == []
    assert gaz.find("Kế hoạch của tỉnh Hòa Bình") == [("Hòa Bình", 18, 26)]
    assert gaz.find("Kế hoạch của Hòa Bình") == [("Hòa Bình", 13, 21)]
    assert gaz.find("ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH") == [("Hòa Bình", 21, 29)]
    # an all-lowercase question is taken at its word
    assert gaz.find("ke hoach cchc hoa binh 2023") == [("Hòa Bình", 14, 22)]
    assert gaz.find("Thái Bình Dương") == []  # the Pacific Ocean


def test_find_ho_chi_minh_city_not_the_person(gaz: Gazetteer) -> None:
    assert gaz.find("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh") == []
    assert gaz.find("Đoàn TNCS Hồ Chí Minh") == []
    assert [h[0] for h in gaz.find("Thành phố Hồ Chí Minh, TP.HCM và TPHCM")] == ["Hồ Chí Minh"] * 3
    assert gaz.find("Kế hoạch CCHC Hồ Chí Minh 2025") == [("Hồ Chí Minh", 14, 25)]
    assert gaz.find("hoc tap tu tuong ho chi minh") == []
    # "Dương" of a province before a comma is not "đường" (the Hồ Chí Minh road)
    assert [h[0] for h in gaz.find("Bình Dương, Hồ Chí Minh")] == ["Bình Dương", "Hồ Chí Minh"]
    assert gaz.find("tuyến đường Hồ Chí Minh") == []


def test_find_on_text_that_is_not_nfc(gaz: Gazetteer) -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "tỉnh Quảng Ngãi")
    hits = gaz.find(text)
    assert [h[0] for h in hits] == ["Quảng Ngãi"]
    assert text[hits[0][1] : hits[0][2]] == unicodedata.normalize("NFD", "Quảng Ngãi")


def test_find_empty(gaz: Gazetteer) -> None:
    assert gaz.find("") == []
    assert gaz.find("Cải cách hành chính năm 2025") == []


def test_gazetteer_from_a_few_records() -> None:
    gaz = Gazetteer([
        ProvinceRecord("Sóc Trăng", "Cần Thơ", True),
        ProvinceRecord("Cần Thơ", "Cần Thơ", True),
        ProvinceRecord("Cần Thơ", "Cần Thơ", False),
    ])
    assert gaz.current("soc trang") == "Cần Thơ"
    assert gaz.old_names("Cần Thơ") == ["Sóc Trăng", "Cần Thơ"]
    assert gaz.find("tỉnh Sóc Trăng, Quảng Ngãi") == [("Sóc Trăng", 5, 14)]
