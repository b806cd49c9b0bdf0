"""The reader and decider stages: chat forms, fillers, thesaurus, English, numbers, filters, notes."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from handlers.replies import PLAIN, note_lines, plain_answer, result_block
from knowledge import KnowledgeBase
from knowledge.models import DocumentMeta, Result, Target
from knowledge.reader import (
    Query,
    expand_provinces,
    is_english,
    language,
    standardize_chat,
    translate_english,
)

ROOT = Path(__file__).resolve().parents[1]


def test_the_query_is_frozen(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("tỷ lệ hồ sơ trực tuyến Quảng Ninh 2023")
    assert isinstance(q, Query)
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.terms = ()  # type: ignore[misc]


def test_language_data_files_are_read() -> None:
    lang = language()
    assert lang.chat["ko"] == "không" and lang.chat["bn"] == "bao nhiêu"
    assert "admin" in lang.fillers and "moi_nguoi" in lang.fillers
    assert "truc tuyen" in lang.thesaurus["qua mang"]
    assert lang.issuers["bo xay dung"] == "bxd"


def test_chat_forms_become_standard_words_but_real_words_stay() -> None:
    assert standardize_chat(expand_provinces("hn làm dvc online có mất phí ko ad")) == \
        "Hà Nội làm dvc trực tuyến có mất phí không admin"
    assert standardize_chat("trước ngày mấy z mn").split() == ["trước", "ngày", "mấy", "vậy"]
    # "đó" folds to "do" but is not the chat form "dc"/"do"; "vay vốn" is not "vậy".
    assert standardize_chat("vay vốn đó") == "vay vốn đó"
    assert standardize_chat("Kế hoạch 308/KH-UBND") == "Kế hoạch 308/KH-UBND"  # not "không"


def test_fillers_never_make_a_question_off_topic(shipped_kb: KnowledgeBase) -> None:
    plain = shipped_kb.search("Bắc Ninh tỷ lệ người dân trưởng thành có chữ ký số")
    chatty = shipped_kb.search("cho mình hỏi z mn ơi, Bắc Ninh tỷ lệ người dân trưởng thành có chữ ký số bn % ạ")
    assert plain.answered and chatty.answered
    assert chatty.results[0].text == plain.results[0].text


def test_english_is_detected_and_searched_in_vietnamese(shipped_kb: KnowledgeBase) -> None:
    assert is_english("What percentage of adults in Bac Ninh should have a digital signature?")
    assert not is_english("the nao la thu tuc hanh chinh")  # "the", "do" are Vietnamese syllables too
    assert "chữ ký số" in translate_english("digital signature")
    answer = shipped_kb.search("What percentage of adults in Bac Ninh should have a digital signature?")
    assert answer.answered and "chữ ký số" in answer.results[0].text
    assert answer.notes[0]["kind"] == "english"
    assert "verbatim" in plain_answer(answer)
    assert not shipped_kb.search("What is Vietnam's GDP growth target for 2026?").answered


def test_english_words_outside_the_glossary_do_not_make_a_question_off_topic(shipped_kb: KnowledgeBase) -> None:
    base = "Which agency leads the implementation of the digital government programme?"
    # "clarify", "cheers", "mate" are in no glossary: words we could not translate ("kindly",
    # "thanks" are words of the question's shape, lang/english_stopwords.txt: not searched at all).
    padded = base + " Kindly clarify, cheers mate, thanks"
    q = shipped_kb.read(padded)
    assert {"clarify", "cheers", "mate"} <= q.untranslated
    assert not {"kindly", "thanks"} & set(q.terms)
    plain, chatty = shipped_kb.search(base), shipped_kb.search(padded)
    assert plain.answered and chatty.answered
    assert chatty.results[0].text == plain.results[0].text
    # A question mostly of such words is still refused.
    for off_topic in ("How do I renew my passport online?", "What is the weather in Hanoi tomorrow?",
                      "Who won the football match yesterday?"):
        assert not shipped_kb.search(off_topic).answered, off_topic


def test_english_with_one_function_word_is_detected_by_the_glossary(shipped_kb: KnowledgeBase) -> None:
    known = shipped_kb.analyzer.known_syllables
    assert is_english("What fee cap applies to hiring a digital transformation consultant in Hanoi?", known)
    assert not is_english("nop ho so online qua app co mat phi khong", known)
    assert "phê duyệt" in translate_english("approve") and "hằng năm" in translate_english("each year")
    assert "Bảo hiểm xã hội Việt Nam" in translate_english("Vietnam Social Security")


def test_thesaurus_alternatives_match_the_plans_wording(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("nộp hồ sơ qua mạng")
    assert ("truc_tuyen",) in q.alternatives["qua_mang"]
    answer = shipped_kb.search("Bộ Xây dựng có cam kết trả lời phản ánh của người dân đúng hẹn không?")
    assert answer.answered
    assert any("đúng hạn" in r.text for r in answer.results)


def test_everyday_words_have_the_plans_administrative_wording(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("gửi bưu điện hay email, chuyển công tác, mỗi năm")
    alts = {t: {" ".join(a) for a in v} for t, v in q.alternatives.items()}
    assert any("buu_chinh" in a for v in alts.values() for a in v)
    assert any("thu dien_tu" in a or "thu_dien_tu" in a for v in alts.values() for a in v)
    assert any("dieu_dong" in a for v in alts.values() for a in v)
    answer = shipped_kb.search("Hà Nội thuê chuyên gia chuyển đổi số trả bao nhiêu tiền một tháng?")
    # A rate of the appendix, not the article pointing to it ("… (tại Phụ lục II kèm theo Nghị quyết này)").
    assert answer.answered and "chuyên gia tư vấn" in answer.results[0].text
    assert "Phụ lục II kèm theo" not in answer.results[0].text


def test_numbers_and_periods(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("chưa đủ 6 tháng")
    assert ("06",) in q.alternatives["6"]
    assert shipped_kb.read("quý III hoàn thành").alternatives["3"][-1] == ("iii",)
    q = shipped_kb.read("công điện tháng 11/2025 bỏ bớt điều kiện kinh doanh")
    assert q.years == (2025,) and "11" not in q.terms
    assert shipped_kb.read("bao nhiêu phần trăm").terms == ()


def test_a_lone_common_unit_reads_as_reduced(shipped_kb: KnowledgeBase) -> None:
    assert shipped_kb.read("1/1").reduced and shipped_kb.read("số").reduced
    assert not shipped_kb.read("dịch vụ công trực tuyến").reduced


def test_province_named_only_to_explain_an_old_name_is_not_the_subject(shipped_kb: KnowledgeBase) -> None:
    assert shipped_kb.read("Kon Tum (nay thuộc Quảng Ngãi) năm 2023 SIPAS").provinces == ("Kon Tum",)
    assert shipped_kb.read("Quảng Ngãi cũ (trước khi nhập Kon Tum) thứ hạng").provinces[0] == "Quảng Ngãi"
    q = shipped_kb.read("Đắk Nông giờ thuộc Lâm Đồng: Lâm Đồng năm 2021 chỉ số hài lòng")
    assert "Lâm Đồng" in q.provinces


def test_a_merged_province_is_answered_from_plans_issued_after_the_merger(shipped_kb: KnowledgeBase) -> None:
    answer = shipped_kb.search("Hậu Giang nay thuộc Cần Thơ, kế hoạch nâng chỉ số PAR INDEX của thành phố")
    assert answer.answered
    assert all(r.meta.issued >= "2025-07-01" for r in answer.results if r.meta.province == "Cần Thơ")
    assert {"kind": "old_province", "province": "Hậu Giang", "current": "Cần Thơ",
            "since": "2025-07-01"} in answer.notes
    assert "Hậu Giang nay thuộc Cần Thơ (từ 01/07/2025)" in plain_answer(answer)


def test_central_issuers_are_first_class(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("Kế hoạch cải cách hành chính năm 2025 của Bộ Giáo dục và Đào tạo có những mục tiêu gì?")
    assert q.owners == ("bgddt",)
    answer = shipped_kb.search(q.text)
    assert not answer.answered
    note = next(n for n in answer.notes if n["kind"] == "no_document")
    assert note["provinces"] == ["Bộ Giáo dục và Đào tạo"]
    assert "Chưa có văn bản của Bộ Giáo dục và Đào tạo" in plain_answer(answer)
    answer = shipped_kb.search("Mức độ hài lòng trong lĩnh vực xây dựng của Bộ Xây dựng tối thiểu bao nhiêu?")
    assert answer.answered and answer.results[0].meta.document == "664/QĐ-BXD"
    # A later issuer is cited, not the owner: "… tại quyết định nào của Thủ tướng".
    assert shipped_kb.read("Bộ Xây dựng thực thi phương án tại quyết định nào của Thủ tướng").owners == ()


@pytest.mark.parametrize(("question", "issuer"), [
    ("Bảo hiểm xã hội Việt Nam có kế hoạch cải cách hành chính năm 2025 thế nào?", "Bảo hiểm xã hội Việt Nam"),
    ("BHXH Việt Nam kế hoạch chuyển đổi số ra sao", "BHXH Việt Nam"),
    ("Bộ Y tế kế hoạch chuyển đổi số ra sao", "Bộ Y tế"),
    ("What does the Ministry of Health plan for digital transformation?", "Bộ Y tế"),
    ("Vietnam Social Security plan for online public services", "Bảo hiểm xã hội Việt Nam"),
    ("Kế hoạch cải cách hành chính của Bộ Thông tin và Truyền thông", "Bộ Thông tin và Truyền thông"),
])
def test_a_central_body_with_no_document_gets_the_note(shipped_kb: KnowledgeBase, question: str, issuer: str) -> None:
    answer = shipped_kb.search(question)
    assert not answer.answered
    note = next(n for n in answer.notes if n["kind"] == "no_document")
    assert note["provinces"] == [issuer]


def test_a_province_named_in_english_is_detected(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("What does Long An province plan for administrative reform in 2025?")
    assert q.language == "en" and q.provinces == ("Long An",)
    answer = shipped_kb.search(q.text)
    assert not answer.answered and any(n["kind"] == "no_document" for n in answer.notes)
    # A ministry named as the one assigned a task is no owner: the question is still answered.
    assert shipped_kb.read("Bộ Công an chủ trì nhiệm vụ gì trong Chương trình Chính phủ số?").owners == ()


def test_signer_and_issue_date_come_from_the_documents_own_statement(shipped_kb: KnowledgeBase) -> None:
    answer = shipped_kb.search("Kế hoạch 308/KH-UBND của Hà Nội do ai ký?")
    assert answer.answered and "Trương Việt Dũng" in answer.results[0].text
    answer = shipped_kb.search("kế hoạch 395 lào cai về mô hình đề án 06 ban hành ngày nào")
    assert "20/10/2023" in answer.results[0].text or "20 tháng 10 năm 2023" in answer.results[0].text


def test_the_same_clause_text_is_shown_once_per_document(shipped_kb: KnowledgeBase) -> None:
    answer = shipped_kb.search("dịch vụ công trực tuyến toàn trình", top=20)
    keys = [(r.meta.file, r.text) for r in answer.results]
    assert len(keys) == len(set(keys))


def test_results_are_not_marked_as_targets() -> None:
    meta = DocumentMeta(file="x.txt", document="1/KH-UBND", province="Cao Bằng")
    result = Result(clause_id=1, text="Chỉ số PAPI xếp thứ 62/63", score=1.0, meta=meta, section="",
                    targets=[Target(value=62, value_text="62/63", kind="result")])
    assert "🎯" not in result_block(result, 1, PLAIN)
    result.targets = [Target(value=80, value_text="80%")]
    assert "🎯" in result_block(result, 1, PLAIN)


def test_note_wording() -> None:
    lines = note_lines([{"kind": "no_year", "provinces": ["Cao Bằng"], "years": [2019], "available": [2024, 2025]},
                        {"kind": "too_short", "terms": ["1"]}], PLAIN)
    assert lines[0] == "📭 Chưa có kế hoạch năm 2019 của Cao Bằng; có: 2024, 2025."
    assert "quá ngắn" in lines[1]


@pytest.mark.slow
def test_bot_eval_prints_the_per_kind_table(tmp_path: Path, shipped_db: Path) -> None:
    out = subprocess.run([sys.executable, str(ROOT / "bot.py"), "eval", "--db", str(shipped_db),
                          str(ROOT / "tests" / "data" / "heldout.jsonl")], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "| kind | n | hit@1 | hit@3 | MRR |" in out.stdout
    assert "| english |" in out.stdout and "| all |" in out.stdout and "misses:" in out.stdout


def test_a_figure_stated_twice_in_one_document_is_shown_once_in_the_shorter_wording(
        shipped_kb: KnowledgeBase) -> None:
    # 2629/QĐ-TTg states it in its text and again as an appendix row with column names.
    answer = shipped_kb.search("tỷ lệ dịch vụ công trực tuyến thiết yếu được AI hỗ trợ cá thể hóa giai đoạn 2028-2030",
                               top=5)
    texts = [r.text for r in answer.results if "thiết yếu" in r.text and "50%" in r.text]
    assert len(texts) == 1 and not texts[0].startswith("Chỉ tiêu:")


def test_field_abbreviations_are_searched_as_the_words_they_stand_for(shipped_kb: KnowledgeBase) -> None:
    lang = language()
    assert "khoa hoc va cong nghe" in lang.thesaurus["khcn"] and "khcn" in lang.abbreviations
    q = shipped_kb.read("số liệu tk của cqnn về khcn")
    assert {("thong_ke",), ("tai_khoan",)} <= set(q.alternatives["tk"])
    assert "khcn" in q.terms  # a short form is never "corrected" into another word
    assert any("nha_nuoc" in a for a in q.alternatives["cqnn"])
    answer = shipped_kb.search("Bắc Ninh sở khcn chủ trì việc gì")
    assert answer.answered and "Sở Khoa học và Công nghệ" in answer.results[0].text


def test_function_words_codes_and_dates_are_not_search_words(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("Quảng Ngãi cũ (trước khi nhập Kon Tum) cho cả giai đoạn 2021-2025 ký số hết chưa")
    assert not {"khi", "ca", "het"} & set(q.terms) and "giai_doan" in q.terms
    q = shipped_kb.read("Công điện 220/CĐ-TTg yêu cầu Bộ Tư pháp khắc phục lỗi gì trong tháng 11 năm 2025?")
    assert q.doc_numbers == ("220",) and q.years == (2025,)
    assert not {"cd", "ttg", "thang", "11"} & set(q.terms) and "khac_phuc" in q.terms
    answer = shipped_kb.search(q.text)
    assert "Bộ Tư pháp kịp thời khắc phục" in answer.results[0].text


def test_a_province_figure_question_ranks_a_central_figure_of_no_such_province_lower() -> None:
    from knowledge.ranker import WEIGHTS, Candidate, score
    from knowledge.reader import Intent

    q = Query(text="tỷ lệ của Quảng Trị", folded="ty le cua quang tri", terms=("ty_le",),
              provinces=("Quảng Trị",), currents=("Quảng Trị",), intent=Intent(figure=True))

    def central(body: str) -> Candidate:
        return Candidate(clause_id=1, doc_id=1, body=set(body.split()), context_text="", text_norm=body,
                         years_json="[]", doc_years=[], doc_named=set(), doc_province="Trung ương",
                         doc_current="Trung ương", has_target=True, length=80, ordinal=1, central=True,
                         body_text=body)

    other, named = central("ty_le dat 100%"), central("ty_le quang_tri 33,8%")
    for c in (other, named):
        score(c, q, {"ty_le": 1.0}, {"ty_le"})
    assert named.score - other.score == pytest.approx(WEIGHTS.central_mention - WEIGHTS.central_other_figure)
    assert other.figures == frozenset({"100%"}) and named.figures == frozenset({"33,8%"})


def test_money_in_a_citizens_question_is_also_a_fee(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("ở Hà Nội nộp hồ sơ trực tuyến có mất tiền không")
    assert ("le_phi",) in q.alternatives["mat_tien"] and ("tien",) in shipped_kb.read("tiền").alternatives["tien"]
    answer = shipped_kb.search(q.text)
    assert answer.answered and "phí" in answer.results[0].text
    limits = shipped_kb.read("tối đa").alternatives["toi_da"]
    assert ("khong", "qua") in limits or ("khong_qua",) in limits


def test_an_old_province_prefers_the_receiving_provinces_clause_naming_it() -> None:
    from knowledge.ranker import WEIGHTS, Candidate, score

    q = Query(text="Sóc Trăng cũ chỉ số PAR INDEX", folded="soc trang cu chi so par index", terms=("par_index",),
              provinces=("Sóc Trăng",), currents=("Cần Thơ",))

    def of_can_tho(body: str) -> Candidate:
        return Candidate(clause_id=1, doc_id=1, body=set(body.split()), context_text="", text_norm=body,
                         years_json="[]", doc_years=[], doc_named=set(), doc_province="Cần Thơ",
                         doc_current="Cần Thơ", has_target=False, length=80, ordinal=1, body_text=body)

    merged, named = of_can_tho("par_index thanh_pho"), of_can_tho("par_index soc_trang hau_giang")
    for c in (merged, named):
        score(c, q, {"par_index": 1.0}, {"par_index"})
    assert named.score - merged.score == pytest.approx(WEIGHTS.old_name_mention)


def test_an_initialism_typed_with_d_bar_is_not_held_to_its_marks(shipped_kb: KnowledgeBase) -> None:
    # "CĐS" has no vowel to carry a tone: the clause spelling it out ("chuyển đổi số") matches it
    # whole; a real word typed with marks keeps its form ("cũ" is not "cụ").
    q = shipped_kb.read("thuê chuyên gia CĐS và ĐKKD cũ")
    assert {"cds", "dkkd"} <= set(q.terms)
    assert "cds" not in q.forms and "dkkd" not in q.forms
    assert q.forms.get("thue") == "thuê"


def test_phrases_that_only_ask_are_not_searched(shipped_kb: KnowledgeBase) -> None:
    # "trong khoảng nào", "ở mức nào" say what form the answer takes (intents.tsv, asking).
    for question, gone in (("chỉ số PCI xếp hạng trong khoảng nào", "khoang"),
                           ("tỷ lệ hồ sơ trực tuyến ở mức nào", "muc")):
        assert gone not in shipped_kb.read(question).terms, question
    assert shipped_kb.read("chỉ số PCI xếp hạng trong khoảng nào").intent.figure
    # The word stays where it is content: "mức độ hài lòng".
    assert shipped_kb.read("mức độ hài lòng ở mức nào").terms == ("muc_do", "hai_long")


def test_a_verb_is_searched_as_the_plans_compound_of_it(shipped_kb: KnowledgeBase) -> None:
    assert ("lua_chon",) in shipped_kb.read("có chọn kiến trúc sư trưởng không").alternatives["chon"]


def test_a_document_kind_asked_for_does_not_name_the_questions_document() -> None:
    from knowledge.reader import naming_syllables

    # "căn cứ chỉ thị nào": the directive is the answer (a document cited), not the one asked about.
    assert naming_syllables("kế hoạch đề án 06 căn cứ chỉ thị nào của Tỉnh ủy", "vi") == \
        {"ke", "hoach", "de", "an", "06"}
    assert {"chi", "thi"} <= naming_syllables("theo chỉ thị cải cách thủ tục hành chính", "vi")


def test_the_grassroots_level_is_the_communes(shipped_kb: KnowledgeBase) -> None:
    assert ("cap", "xa") in shipped_kb.read("ai ở cấp cơ sở phải thi hành").alternatives["cap_co_so"]


def test_a_field_word_whose_syllables_fold_like_function_words_is_searched(shipped_kb: KnowledgeBase) -> None:
    # "một cửa" folds to "mot cua", the letters of "một của": listed in lang/compounds.txt, it is
    # one word in documents and questions, with or without marks.
    assert "mot_cua" in shipped_kb.read("Văn phòng UBND tỉnh theo dõi việc gì về cơ chế một cửa").terms
    assert "mot_cua" in shipped_kb.read("co che mot cua o tinh").terms
    assert "mot_cua_lien_thong" in shipped_kb.read("thủ tục một cửa liên thông").terms
    top = shipped_kb.search("Văn phòng UBND tỉnh theo dõi việc gì về cơ chế một cửa, một cửa liên thông?")
    assert top.answered and "một cửa" in top.results[0].text.lower()


def test_paid_at_most_is_the_plans_not_more_than(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("thuê chuyên gia thì trả tối đa bao nhiêu một tháng")
    assert "tra" not in q.terms
    assert ("khong", "qua") in q.alternatives["tra_toi_da"]


def test_the_stand_in_note_names_whose_documents_answer() -> None:
    note = {"kind": "no_document", "provinces": ["Kon Tum"], "available": ["Quảng Ngãi"], "instead": ["Quảng Ngãi"]}
    assert note_lines([note], PLAIN) == [
        "📭 Chưa có văn bản riêng của Kon Tum; dưới đây là văn bản của Quảng Ngãi, không phải của Kon Tum."]
    assert note_lines([note], PLAIN, "en") == [
        "📭 No document of Kon Tum of its own; below are documents of Quảng Ngãi, not of Kon Tum."]
    # Without `instead` (refused), the note lists what is held, as before.
    del note["instead"]
    assert "hiện có: Quảng Ngãi" in note_lines([note], PLAIN)[0]
