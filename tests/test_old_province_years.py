"""Issue 8 §3, an old province × a year: its own plan of that year answers; its own plan of
another year, the province it merged into, or nothing at all is said, never another year's plan
silently. In the decider over a few documents, then end to end on the shipped plans through
the reply wording and through the real PTB Application."""

from __future__ import annotations

from typing import Any

from fakebotapi import visible

from handlers.replies import PLAIN, note_lines, plain_answer
from knowledge import KnowledgeBase
from knowledge.decider import Decider
from knowledge.models import DocumentMeta


class _NoClauseNamesAYear:
    """The index's one question of the decider: does a clause name the year? Here never."""

    def names_year(self, docs: list[int], year: int) -> bool:
        return False


# Bắc Giang (merged into Bắc Ninh on 1 Jul 2025): its own 2022 plan; Bắc Ninh: a pre-merger
# 2022 plan and a post-merger 2026-2030 one; Quảng Ngãi (Kon Tum merged into it): 2021-2025 only.
_DOCS = {
    1: DocumentMeta(file="a.txt", title="KẾ HOẠCH CCHC TỈNH BẮC GIANG NĂM 2022", province="Bắc Giang",
                    province_current="Bắc Ninh", document="1/KH-UBND", issued="2021-12-28"),
    2: DocumentMeta(file="b.txt", title="Kế hoạch CCHC tỉnh Bắc Ninh năm 2022", province="Bắc Ninh",
                    province_current="Bắc Ninh", document="2/KH-UBND", issued="2022-01-10"),
    3: DocumentMeta(file="c.txt", title="Kế hoạch chuyển đổi số tỉnh Bắc Ninh giai đoạn 2026-2030",
                    province="Bắc Ninh", province_current="Bắc Ninh", document="3/KH-UBND", issued="2025-11-24"),
    4: DocumentMeta(file="d.txt", title="Kế hoạch CCHC tỉnh Quảng Ngãi giai đoạn 2021-2025", province="Quảng Ngãi",
                    province_current="Quảng Ngãi", document="4/QĐ-UBND", issued="2021-12-22"),
}
_YEARS = {1: [2021, 2022], 2: [2022], 3: [2025, 2026, 2027, 2028, 2029, 2030], 4: [2021, 2022, 2023, 2024, 2025]}


def _decider(kb: KnowledgeBase) -> Decider:
    by_province: dict[str, set[int]] = {}
    by_current: dict[str, set[int]] = {}
    for d, m in _DOCS.items():
        by_province.setdefault(m.province or "", set()).add(d)
        by_current.setdefault(m.province_current or "", set()).add(d)
    named = {d: {y for y in (m.year, *_YEARS[d][:1]) if y} for d, m in _DOCS.items()}
    return Decider(_NoClauseNamesAYear(), _DOCS, kb.gazetteer, by_province, by_current,  # type: ignore[arg-type]
                   set(), {}, named, _YEARS)


def _notes(kb: KnowledgeBase, question: str) -> dict[str, dict[str, Any]]:
    return {n["kind"]: n for n in _decider(kb).notes(kb.read(question))}


def test_an_old_provinces_own_plan_of_the_year_asked_needs_no_note(shipped_kb: KnowledgeBase) -> None:
    notes = _notes(shipped_kb, "Bắc Giang năm 2022 chỉ số PAR INDEX")
    assert set(notes) == {"old_province"}
    decider = _decider(shipped_kb)
    assert shipped_kb.read("Bắc Giang năm 2022 chỉ số PAR INDEX").provinces == ("Bắc Giang",)
    assert decider.own_docs(shipped_kb.read("Bắc Giang năm 2022 chỉ số PAR INDEX")) == {1, 3}
    # Only a title naming one year makes an annual plan; a period plan is none.
    assert decider.annual == {1: 2022, 2: 2022}


def test_an_old_provinces_plan_of_another_year_is_said_with_the_merged_provinces(
        shipped_kb: KnowledgeBase) -> None:
    note = _notes(shipped_kb, "Bắc Giang năm 2023 chỉ số PAR INDEX")["no_year"]
    # Its own plans' years (not the December issue year of the 2022 plan), then the receiving
    # province's, each said of its own province.
    assert note["provinces"] == ["Bắc Giang"] and note["years"] == [2023]
    assert note["available"] == [2022]
    assert note["current"] == [{"province": "Bắc Ninh", "available": [2022, 2026, 2027, 2028, 2029, 2030]}]
    assert note_lines([note], PLAIN) == ["📭 Chưa có kế hoạch năm 2023 của Bắc Giang; có: 2022. "
                                         "Của Bắc Ninh (nay gồm cả Bắc Giang) có: 2022, 2026–2030."]
    assert note_lines([note], PLAIN, lang="en") == ["📭 No 2023 plan of Bắc Giang yet; available: 2022. "
                                                    "Bắc Ninh (which Bắc Giang is now part of) holds: 2022, 2026–2030."]


def test_the_merged_provinces_plan_since_the_merger_covers_the_old_province(shipped_kb: KnowledgeBase) -> None:
    # 2027 is a year of Bắc Ninh's post-merger plan: nothing missing to say.
    assert set(_notes(shipped_kb, "Bắc Giang năm 2027 chỉ số PAR INDEX")) == {"old_province"}


def test_an_old_province_without_plans_of_its_own_says_the_year_missing(shipped_kb: KnowledgeBase) -> None:
    # Kon Tum holds nothing: Quảng Ngãi's plan answers in its stead for its years ...
    notes = _notes(shipped_kb, "Kon Tum năm 2023 chỉ số PAR INDEX")
    assert set(notes) == {"old_province", "no_document"}
    # ... and for another year the year is said missing, with what Quảng Ngãi holds.
    note = _notes(shipped_kb, "Kon Tum năm 2019 chỉ số PAR INDEX")["no_year"]
    assert note["available"] == [] and note["current"] == [{"province": "Quảng Ngãi",
                                                            "available": [2021, 2022, 2023, 2024, 2025]}]
    assert note_lines([note], PLAIN) == ["📭 Chưa có kế hoạch năm 2019 của Kon Tum. "
                                         "Của Quảng Ngãi (nay gồm cả Kon Tum) có: 2021–2025."]
    # A province that did not merge has no such line.
    assert "current" not in _notes(shipped_kb, "Quảng Ngãi năm 2019 chỉ số PAR INDEX")["no_year"]


def test_the_annual_plan_of_the_year_asked_answers_a_figure_question_without_a_figure(
        shipped_kb: KnowledgeBase) -> None:
    # Bắc Giang's own 2022 plan says of PAR INDEX "từng bước nâng cao" with no figure: for a
    # 2022 question that is the answer; without the year it was always answered.
    for question in ("Bắc Giang 2022 chỉ số PAR INDEX", "Bắc Giang chỉ số PAR INDEX"):
        answer = shipped_kb.search(question)
        assert answer.answered, question
        assert answer.results[0].meta.document == "6891/KH-UBND", question
        assert [n["kind"] for n in answer.notes] == ["old_province"], question
    # A period plan covering the year is no plan of that year: its clauses stating no figure
    # still do not answer a year's figure.
    assert not shipped_kb.search("Kon Tum (nay thuộc Quảng Ngãi) năm 2023 xếp hạng SIPAS thứ mấy?").answered


def test_every_old_name_year_path_end_to_end(shipped_kb: KnowledgeBase) -> None:
    # Own plan of another year: refused, with the years held by both provinces.
    answer = shipped_kb.search("Bắc Giang 2023 chỉ số PAR INDEX")
    assert not answer.answered
    text = plain_answer(answer)
    assert "Bắc Giang nay thuộc Bắc Ninh" in text
    assert "Chưa có kế hoạch năm 2023 của Bắc Giang; có: 2022. Của Bắc Ninh (nay gồm cả Bắc Giang) có: " in text
    # No plan of its own, the merged province's since the merger of other years only.
    answer = shipped_kb.search("Hải Dương 2022 chỉ số PAR INDEX")
    assert not answer.answered
    assert "Chưa có kế hoạch năm 2022 của Hải Dương. Của Hải Phòng (nay gồm cả Hải Dương) có: 2025–2030." \
        in plain_answer(answer)
    # The merged province's plan since the merger of the year asked: answered from it.
    answer = shipped_kb.search("Hải Dương năm 2025 người đứng đầu có chỉ số PAR INDEX dưới mức trung bình "
                               "được mấy điểm")
    assert answer.answered and answer.results[0].meta.document == "212/2025/QĐ-UBND"
    assert [n["kind"] for n in answer.notes] == ["old_province"]
    # Nothing of its own, the merged province's pre-merger plan not of that year: said missing.
    answer = shipped_kb.search("Kon Tum năm 2019 chỉ số PAR INDEX")
    assert not answer.answered and "Chưa có kế hoạch năm 2019 của Kon Tum." in plain_answer(answer)


async def test_an_old_provinces_missing_year_is_said_in_telegram(running_bot: Any) -> None:
    call = await running_bot.ask("Bắc Giang 2023 chỉ số PAR INDEX")
    seen = visible(call.text)
    assert "Bắc Giang nay thuộc Bắc Ninh" in seen
    assert "Chưa có kế hoạch năm 2023 của Bắc Giang; có: 2022. Của Bắc Ninh (nay gồm cả Bắc Giang) có:" in seen
    call = await running_bot.ask("Bắc Giang 2022 chỉ số PAR INDEX")
    assert "Từng bước nâng cao Chỉ số CHHC (PAR INDEX)" in visible(call.text)


def test_a_titles_plan_years_leave_out_dates_and_the_documents_own_year() -> None:
    from knowledge.decider import plan_years
    assert plan_years("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC TỈNH BẮC GIANG NĂM 2022") == [2022]
    assert plan_years("Quyết định 3369/QĐ-UBND năm 2025 về Kế hoạch cải cách hành chính tỉnh Hà Tĩnh năm 2026") \
        == [2026]
    assert plan_years("Kế hoạch triển khai Nghị quyết số 214/NQ-CP ngày 23/7/2025 của Chính phủ") == []
    assert plan_years("Kế hoạch phát triển kinh tế số tỉnh Bắc Ninh giai đoạn 2026 - 2030") == list(range(2026, 2031))
