"""Issue 8, English questions (third pass): keyword questions with no function word are told
from Vietnamese typed without marks, "when" is a question word only before its verb, intents are
read without the place names, and the glossary covers more of the plans' frequent words."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeBase
from knowledge.reader import english_cover, frames_document, is_english, translate_english


@pytest.mark.parametrize("question", [
    "Lam Dong PAR Index score 2021",
    "Hanoi online public services fee 2025",
    "pci rank",
    "digital government ranking ASEAN 2030",
])
def test_keyword_english_without_function_words_is_english(shipped_kb: KnowledgeBase, question: str) -> None:
    known, places = shipped_kb.analyzer.known_syllables, shipped_kb.gazetteer.find(question)
    assert is_english(question, known, places), question
    assert shipped_kb.read(question).language == "en"


@pytest.mark.parametrize("question", [
    # Vietnamese without marks: a syllable no glossary word is ("chi", "xep", "dvc", "nop") …
    "chi so par index cao bang 2024",
    "xep hang par index 2024",
    "dvc online ha noi",
    "nop ho so online",
    # … or only words both languages use: index names the plans write as they are, and
    # English words Vietnamese chat uses ("online", "app": thesaurus and chat forms).
    "sipas papi cao bang 2024",
    "par index cao bang",
    "app vneid online",
    "ha noi online",
])
def test_vietnamese_keywords_without_marks_stay_vietnamese(shipped_kb: KnowledgeBase, question: str) -> None:
    known, places = shipped_kb.analyzer.known_syllables, shipped_kb.gazetteer.find(question)
    assert not is_english(question, known, places), question
    assert shipped_kb.read(question).language == "vi"


def test_a_keyword_english_question_is_answered_with_its_clause(shipped_kb: KnowledgeBase) -> None:
    answer = shipped_kb.search("Lam Dong PAR Index score 2021")
    assert answer.answered and "86,75/100 điểm" in answer.results[0].text
    assert answer.notes[0]["kind"] == "english"


def test_when_asks_a_date_only_before_its_verb(shipped_kb: KnowledgeBase) -> None:
    assert shipped_kb.read("When does Hanoi's resolution on online public services take effect?").intent.date
    # A conjunction followed by its subject: "khi", the plans' word, and no date asked.
    q = shipped_kb.read("What must agencies do when they return results late to citizens?")
    assert not q.intent.date and "khi nao" not in q.folded
    assert translate_english("when they are late").split()[0] == "khi"


def test_place_names_do_not_tell_the_intent(shipped_kb: KnowledgeBase) -> None:
    # "Bắc Ninh" folds to "bac ninh", and "bậc" asks for a ranking: not once it names a place.
    for question in ("Who signed Bac Ninh's 2022 administrative reform plan?",
                     "Kế hoạch cải cách hành chính Bắc Ninh năm 2022 do ai ký?",
                     "bac giang 2022 ke hoach cchc"):
        intent = shipped_kb.read(question).intent
        assert not intent.ranking and not intent.result, question
    assert shipped_kb.read("Bắc Ninh tụt mấy bậc").intent.ranking


@pytest.mark.parametrize(("english", "vietnamese"), [
    ("essential online public services", "thiết yếu"),
    ("proactive", "chủ động"),
    ("personalised services", "cá thể hóa"),
    ("who chaired the meeting", "hội nghị"),
    ("open datasets", "tập dữ liệu"),
    ("financial obligations", "nghĩa vụ tài chính"),
])
def test_the_fields_frequent_words_have_an_english_rendering(english: str, vietnamese: str) -> None:
    assert vietnamese in translate_english(english), english


def test_english_phrases_are_chosen_by_the_best_cover(shipped_kb: KnowledgeBase) -> None:
    usage = shipped_kb.reader._english_usage
    # Leftmost longest, "which ministry" swallowed the ministry's own name and "online public
    # service" the portal; the best cover reads the phrases the plans use.
    assert [k for _s, _e, k in english_cover("which ministry of construction plan", usage)][0] == \
        "ministry of construction"
    assert [k for _s, _e, k in english_cover("which ministry of construction plan")][0] == "which ministry"
    assert "public service portal" in [k for _s, _e, k in english_cover("the online public service portal", usage)]
    q = shipped_kb.read("Which Ministry of Home Affairs letter guided Nghe An's 2025 administrative reform plan?")
    assert "bo noi vu" in q.folded and "bo nao" not in q.folded


def test_a_possessive_reads_alike_in_glossary_and_question(shipped_kb: KnowledgeBase) -> None:
    # "provincial people's committee" is "Ủy ban nhân dân tỉnh", never "tỉnh" + "ủy ban…" (the
    # Provincial Party Committee, "Tỉnh ủy", in Vietnamese word order).
    q = shipped_kb.read("Which tasks does the provincial people's committee assign to the department of home affairs?")
    assert "uy ban nhan dan tinh" in q.folded and "tinh_uy" not in q.terms


def test_a_thesaurus_phrase_the_plans_use_as_typed_stays_content(shipped_kb: KnowledgeBase) -> None:
    # "trí tuệ nhân tạo" | "AI": "AI" folds like "ai" (who), but the phrase itself is the plans'
    # word; it used to be dropped as a function word, in Vietnamese and English alike.
    for question in ("cơ quan sử dụng trí tuệ nhân tạo để chỉ đạo", "How do agencies use artificial intelligence?"):
        q = shipped_kb.read(question)
        assert "tri_tue_nhan_tao" in q.terms and ("ai",) in q.alternatives["tri_tue_nhan_tao"], question
    # "AI applications" are software ("ứng dụng AI"), not a procedure's dossier ("hồ sơ").
    assert "ứng dụng AI" in translate_english("ai applications")


def test_an_appendix_heading_frames_its_document() -> None:
    title = "Công điện tập trung hoàn thành thực thi các phương án cắt giảm thủ tục hành chính năm 2025"
    heading = ("PHỤ LỤC III TỔNG HỢP KẾT QUẢ THỰC HIỆN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH KHÔNG PHỤ THUỘC VÀO "
               "ĐỊA GIỚI HÀNH CHÍNH (Kèm theo Công điện số 220/CĐ-TTg ngày 18 tháng 11 năm 2025 của Thủ tướng)")
    assert frames_document(heading, title)
    assert not frames_document("34/34 địa phương đã công bố danh mục TTHC không phụ thuộc vào địa giới hành chính.",
                               title)


def test_an_english_count_question_is_answered_by_the_row_not_the_appendix_heading(shipped_kb: KnowledgeBase) -> None:
    answer = shipped_kb.search("According to the PM's dispatch 220, how many localities published a list of "
                               "procedures not tied to administrative boundaries?")
    assert answer.answered and "34/34 địa phương" in answer.results[0].text
    # The appendix's heading shares the question's words but names the table: not an answer.
    assert not any(r.text.startswith("PHỤ LỤC") for r in answer.results[:2])


@pytest.mark.parametrize(("english", "vietnamese"), [
    ("before December 15", "trước 15 tháng 12"),       # month first → the plans' day-month order
    ("by December 31, 2025", "31 tháng 12 2025"),
    ("Dec. 31 2025", "31 tháng 12 2025"),
    ("ranked 62nd out of 63", "xếp hạng 62 63"),      # an ordinal is its number
    ("the 15th of each month", "15 hằng tháng"),
    ("in Q3 2025", "quý III 2025"),
    ("80 per cent", "80 %"),
    ("by the end of 2025", "đến năm 2025"),           # a target's horizon, as "by 2025"
    ("until 2030", "đến 2030"),
])
def test_numbers_and_dates_written_the_english_way(english: str, vietnamese: str) -> None:
    assert translate_english(english) == vietnamese


def test_an_english_date_and_ordinal_question_reads_the_plans_numbers(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("Which city ranked 34th out of 63 on SIPAS in 2024?")
    assert "34" in q.terms and "th" not in q.terms and "nd" not in q.terms
    assert shipped_kb.search("Which city ranked 34th out of 63 on SIPAS in 2024?").results[0].text.startswith(
        "b) SIPAS: Đạt 83,28%, hạng 34/63")
    q = shipped_kb.read("What must ministries send to the Ministry of Science and Technology before December 15?")
    assert "truoc 15 thang 12" in q.folded


@pytest.mark.parametrize(("question", "wanted"), [
    ("When was Nghe An's 2025 reform plan signed?", "issued"),
    ("What is the number of Ha Tinh's 2026 reform decision?", "number"),
    ("Which years does Bac Ninh's digital economy plan cover?", "period"),
    ("In which year should all procedures be online?", "year"),
    ("Who is responsible for implementing Can Tho's plan?", "agency"),
])
def test_english_intent_words_are_data(shipped_kb: KnowledgeBase, question: str, wanted: str) -> None:
    # lang/intents.tsv rows marked "en", read in the English question beside its translation.
    assert getattr(shipped_kb.read(question).intent, wanted), question


def test_an_english_signing_date_question_is_answered_by_the_date_line(shipped_kb: KnowledgeBase) -> None:
    answer = shipped_kb.search("When was Nghe An's 2025 reform plan signed?")
    assert answer.answered and answer.results[0].text.startswith("Nghệ An, ngày 15 tháng 7 năm 2025")


def test_whose_proposal_is_answered_by_the_preamble(shipped_kb: KnowledgeBase) -> None:
    # "On whose proposal …" asks for the framing clause "Theo đề nghị của … tại …", like a basis.
    q = shipped_kb.read("On whose proposal did Hai Phong issue its 2026-2030 reform plan?")
    assert q.intent.basis
    answer = shipped_kb.search("On whose proposal did Hai Phong issue its 2026-2030 reform plan?")
    assert answer.answered and answer.results[0].text.startswith("Theo đề nghị của Giám đốc Sở Nội vụ")
