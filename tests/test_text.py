"""Vietnamese normalization, folding, aliases and pyvi segmentation."""

from __future__ import annotations

import pytest

from knowledge.text import Analyzer, defined_abbreviations, fold, has_diacritics, normalize, segmenter, words


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Hoá đơn", "hóa đơn"),
        ("THUỶ LỢI", "thủy lợi"),
        ("Uỷ ban", "ủy ban"),
        ("khoẻ", "khỏe"),
        ("quý", "quý"),  # "qu" + y: the mark stays on y
        ("hoàng tuyến", "hoàng tuyến"),  # a final consonant: one placement only
        ("Ｄịch ｖụ", "dịch vụ"),  # full-width keyboard input
        ("Di\u0323ch vu\u0323", "dịch vụ"),  # NFD input
    ],
)
def test_normalize_one_form(typed: str, canonical: str) -> None:
    assert normalize(typed) == canonical


def test_fold_removes_every_mark_and_d() -> None:
    assert fold("Đường Dịch vụ công TRỰC TUYẾN") == "duong dich vu cong truc tuyen"
    assert fold("tối hồ") == "toi ho"  # two marks on one letter
    assert has_diacritics("dịch vụ") and not has_diacritics("dich vu")


def test_words_keep_figures_whole() -> None:
    assert words(normalize("đạt 89,13% và 80%")) == ["đạt", "89,13%", "và", "80%"]


def test_defined_abbreviations_need_matching_vietnamese_initials() -> None:
    text = ("hồ sơ giải quyết thủ tục hành chính (sau đây viết tắt là TTHC) và "
            "The Provincial Competitiveness Index (PCI) và Sở Nội vụ (SNV) và linh tinh (XYZ)")
    found = defined_abbreviations(text)
    assert found["tthc"] == "thủ tục hành chính"
    assert "pci" not in found  # English banner, not a definition
    assert "xyz" not in found  # initials do not spell it


def test_alias_tokens_both_ways() -> None:
    a = Analyzer(["thủ tục", "hành chính"])
    spelled = a.index_text("Tối thiểu 80% thủ tục hành chính").split()
    short = a.index_text("Tối thiểu 80% TTHC").split()
    assert "tthc" in spelled  # spelled out → short form added
    assert {"thu_tuc", "hanh_chinh"} <= set(short)  # short form → words added
    assert {"_thu", "_tuc"} <= set(spelled)  # a syllable inside a word is marked as such
    assert "par_index" in a.index_text("Chỉ số PAR INDEX").split()


def test_segment_is_the_same_for_accents_and_no_accents() -> None:
    a = Analyzer(["dịch vụ", "trực tuyến", "thủ tục", "hành chính"])
    assert a.units("dịch vụ công trực tuyến") == a.units("dich vu cong truc tuyen") == [
        "dich_vu", "cong", "truc_tuyen"]


SENTENCES = [
    "Tối thiểu 80% hồ sơ giải quyết thủ tục hành chính được luân chuyển trong nội bộ",
    "Mức độ hài lòng của người dân, doanh nghiệp về giải quyết TTHC đạt tối thiểu 90%.",
    "Ủy ban nhân dân tỉnh Quảng Ngãi ban hành Kế hoạch cải cách hành chính năm 2025",
    "100% văn bản trao đổi giữa các cơ quan nhà nước được thực hiện dưới dạng điện tử",
]


@pytest.mark.slow   # importing pyvi's tokenizer loads scikit-learn: seconds, once
@pytest.mark.parametrize("sentence", SENTENCES)
def test_segmenter_matches_pyvi(sentence: str) -> None:
    """Reference: pyvi's own tokenizer (slow to import, so only here) gives the same words."""
    from pyvi import ViTokenizer

    reference = [w for w in ViTokenizer.tokenize(sentence).split() if any(ch.isalnum() for ch in w)]
    ours = segmenter().segment(sentence)
    # pyvi splits "80%" into "80 %"; compare the words that are not figures.
    assert [w for w in ours if not w[0].isdigit()] == [w for w in reference if not w[0].isdigit()]


def test_accented_syllables_only_join_into_real_words() -> None:
    a = Analyzer(["cụ thể", "cư dân"])  # both fold to words "cu the", "cu dan"
    assert a.units("cũ thể") == ["cu", "the"]  # typed with accents: "cũ thể" is no word
    assert a.units("cu the") == ["cu_the"]  # without accents the folded word is all we know
    assert a.units("cụ thể") == ["cu_the"]


def _reference_normalize(text: str) -> str:
    """The plain way: NFKC, lower, tone moved on the NFD form, NFC again. (A mark must not be
    followed by another: NFD orders "ặ" as a + dot + breve, and "hoặc" is not "hoạ".)"""
    import re
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    pattern = re.compile(f"(?<![q\\w])([^\\W\\d_]*?)(o[{tones}]?a|o[{tones}]?e|u[{tones}]?y)([{tones}])"
                         "(?![\u0300-\u036f])(?![^\\W\\d_])")

    def move(m: re.Match[str]) -> str:
        prefix, pair, tone = m.group(1), m.group(2), m.group(3)
        if prefix.endswith("q") or prefix.endswith("g") and pair.startswith("u"):
            return m.group(0)
        return prefix + pair[0] + tone + pair[-1]

    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).lower())
    return " ".join(unicodedata.normalize("NFC", pattern.sub(move, decomposed)).split())


def _reference_fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", _reference_normalize(text).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_fast_normalize_and_fold_match_the_plain_reference() -> None:
    from pathlib import Path

    plans = Path(__file__).resolve().parent.parent / "knowledge" / "plans"
    samples = [line for f in sorted(plans.iterdir()) for line in f.read_text(encoding="utf-8").splitlines()]
    samples += ["Hoá đơn THUỶ lợi Uỷ ban khoẻ quý GUỶ", "Ｄịch ｖụ", "Di\u0323ch vu\u0323", "ĐỒNG NAI đồng", "x\u0301"]
    for s in samples:
        assert normalize(s) == _reference_normalize(s), s
        assert fold(s) == _reference_fold(s), s


def test_the_fold_list_folds_every_character_as_the_fold_table_does() -> None:
    """Issue 14: folding goes through a list by code point (no KeyError per character the dict
    lacks, 2.1× as fast on Vietnamese text); every character, past the list's end too, comes out
    as the table gives it or unchanged."""
    from knowledge import text

    every = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000) + "🙂𝐀"
    assert every.translate(text._FOLD_LIST) == every.translate(text._FOLD_TABLE)
    assert text.fold("Đẩy mạnh CẢI CÁCH hành chính – “số hóa” 100%") == "day manh cai cach hanh chinh – “so hoa” 100%"
