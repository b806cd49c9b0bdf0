"""Issue 8, paraphrase: the user's own words for what the plans say. Thesaurus phrases are
chosen by the best cover of the question, not left to right; everyday wording of public-service
life has the plans' wording as alternatives; and on the shipped plans a paraphrased question
reaches the clause that answers it."""

from __future__ import annotations

from knowledge import KnowledgeBase


def test_the_phrases_covering_most_of_the_question_are_chosen(shipped_kb: KnowledgeBase) -> None:
    reader = shipped_kb.reader
    # Left to right, "an bo" would take "bo" from the longer "bo ca doi".
    table = {"an bo": ("an",), "bo ca doi": ("bo",)}
    assert reader._cover(["an", "bo", "ca", "doi"], table) == [(0, 1, None), (1, 4, "bo ca doi")]
    # An earlier phrase still wins when it covers more.
    table = {"an bo ca": ("an",), "ca doi": ("bo",)}
    assert reader._cover(["an", "bo", "ca", "doi"], table) == [(0, 3, "an bo ca"), (3, 4, None)]
    # Two phrases beat one longer phrase covering less.
    table = {"a b": ("x",), "c d": ("z",), "b c d": ("y",)}
    assert [p for _i, _j, p in reader._cover(["a", "b", "c", "d"], table) if p] == ["a b", "c d"]


def test_equal_covers_take_the_reading_whose_plan_words_the_plans_use_more(shipped_kb: KnowledgeBase) -> None:
    # "nhà nước trả | hồ sơ" and "nhà nước | trả hồ sơ" cover as much: "trả kết quả" and
    # "nhà nước" are what the plans say far more often than "chi trả".
    table = {"nha nuoc": ("nha nuoc",), "nha nuoc tra": ("chi tra",), "tra ho so": ("tra ket qua",),
             "ho so": ("ho so",)}
    steps = shipped_kb.reader._cover(["co_quan", "nha_nuoc", "tra", "ho_so"], table)
    assert [p for _i, _j, p in steps if p] == ["nha nuoc", "tra ho so"]


def test_a_phrase_is_not_swallowed_by_an_earlier_one(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("cơ quan nhà nước trả hồ sơ chậm so với ngày hẹn thì phải làm gì")
    assert "tra_ho_so" in q.terms and ("tra", "ket_qua") in q.alternatives["tra_ho_so"]
    answer = shipped_kb.search("Ở Bắc Ninh, nếu cơ quan nhà nước trả hồ sơ chậm so với ngày hẹn thì phải làm gì với "
                               "người dân?")
    assert answer.answered and any("xin lỗi" in r.text for r in answer.results[:3])
