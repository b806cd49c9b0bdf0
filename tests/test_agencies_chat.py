"""Issue 8, English, old names and chat (fourth pass): a provincial agency a question names as
the subject of its tasks ("Sở Tài chính phải làm gì", "what is the Department of Finance asked
to do"; lang/agencies.txt, English names in lang/english.tsv) prefers the clauses under its
heading, opening with it or naming it as a task row's lead agency, and its name's words count
only where the clause names it; an agency named as the document's owner is no subject. Amounts
and units typed after a number in chat are read the plans' way (lang/units.tsv: "2tr" →
"2.000.000", "75đ" → "75 điểm"), and a score stated as the premise ("được 75 điểm thì xếp loại
gì") is placed in the ranges the clauses state rather than searched; asked the date of a
document it cites ("căn cứ Luật … ban hành ngày nào"), the citation answers, not the
document's own date line; "kh" before what a plan is of or whose it is reads "kế hoạch"
(lang/chat_context.tsv), and "mọi người" addressing the readers is a filler; a local place below
the province named as where one lives or works ("ở huyện Kim Thành, Hải Dương cũ") is no
search word (lang/local_units.txt); a task opening with "Thực hiện" is no citation of another
document, so its deadline answers. Unit tests on
representative forms, then one probe per mechanism on the shipped plans."""

from __future__ import annotations

from candidates import clause_candidate

from knowledge import KnowledgeBase
from knowledge.ranker import Candidate, holds_figure, metadata_bonus, score, stated_ranges, term_weights
from knowledge.reader import agencies_named, chat_units, standardize_chat


def _candidate(ordinal: int, text: str, context: str = "") -> Candidate:
    return clause_candidate(ordinal, text, context=context, text_norm=text.lower())


# --- an agency named as the subject ----------------------------------------------------------------

def test_an_agency_is_read_as_the_subject_not_as_the_documents_owner() -> None:
    # Every spelling of it, its chat short form too (documents' tables write "Sở NV" as well).
    assert agencies_named("nhiem vu cua so noi vu la gi") == ("sở nội vụ", "sở nv")
    assert "văn phòng ubnd tỉnh" in agencies_named("chi thi giao van phong ubnd tinh theo doi viec gi")
    assert "văn phòng ủy ban nhân dân tỉnh" in agencies_named("van phong ubnd tinh phai lam gi")
    # The owner of the document asked about names the document.
    assert agencies_named("theo ke hoach cua so noi vu muc tieu la gi") == ()
    assert agencies_named("cua van phong ubnd tinh lai chau thuc hien theo ke hoach nao") == ()
    assert agencies_named("so y te ban hanh ke hoach nao") == ()
    assert agencies_named("xay dung ke hoach so hoa ho so") == ()


def test_an_english_agency_name_reads_as_the_agency(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("What is the Department of Construction asked to do?")
    assert q.agencies == ("sở xây dựng", "sở xd")
    assert "xay_dung" in q.agency_terms
    q = shipped_kb.read("What must the Office of the Provincial People's Committee do?")
    assert "văn phòng ubnd tỉnh" in q.agencies
    assert shipped_kb.read("What must the provincial police do?").agencies == ("công an tỉnh", "ca tỉnh")


def test_a_clause_under_the_agencys_heading_or_opening_with_it_is_its_task(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("Sở Xây dựng phải làm gì")
    assert q.heads_agency("vi to_chuc thuc_hien 9 so xay_dung ke_hoach", "chủ trì nghiên cứu tích hợp iot.")
    assert q.heads_agency("", "b) sở xây dựng chủ trì rà soát quy hoạch.")
    assert q.heads_agency("", "tỷ lệ hồ sơ cấp phép xây dựng trực tuyến đạt 100%. | sở xây dựng | các sở")
    assert not q.heads_agency("", "phối hợp với sở xây dựng rà soát quy hoạch.")
    assert not q.heads_agency("vi to_chuc thuc_hien 2 so tai_chinh", "xây dựng kế hoạch hành động.")


def test_the_agencys_words_count_only_where_the_agency_is_meant(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("Sở Xây dựng phải làm gì về hạ tầng số")
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    task = _candidate(1, "Chủ trì nghiên cứu hạ tầng số của tỉnh.", "vi to_chuc thuc_hien 9 so xay_dung")
    other = _candidate(2, "Xây dựng hạ tầng số của tỉnh.", "vi to_chuc thuc_hien 2 so tai_chinh")
    for c in (task, other):
        score(c, q, weights, known)
    assert task.score > other.score
    assert task.coverage > other.coverage


def test_agency_probe(shipped_kb: KnowledgeBase) -> None:
    # Bắc Ninh's digital economy plan: "10. Công an tỉnh" heads the police's tasks (digital
    # identity); clauses sharing "kinh tế số" or citing the Ministry of Public Security's plan
    # elsewhere are no task of it.
    answer = shipped_kb.search("what must the provincial police do in Bac Ninh's digital economy plan")
    first = answer.results[0].text
    assert "định danh" in first, first


# --- amounts and units typed in chat ---------------------------------------------------------------

def test_chat_amounts_and_units_read_the_plans_way() -> None:
    assert chat_units("mức 40tr/tháng") == "mức 40.000.000/tháng"
    assert chat_units("hỗ trợ 100k một năm") == "hỗ trợ 100.000 một năm"
    assert chat_units("lương 1,5tr") == "lương 1.500.000"
    assert chat_units("5 triệu đồng") == "5.000.000 đồng"
    assert chat_units("2 củ") == "2.000.000"
    assert chat_units("5 Triệu") == "5.000.000" and chat_units("20K") == "20.000"
    # "đ" after a score is điểm, after an amount đồng.
    assert chat_units("được 75đ thì") == "được 75 điểm thì"
    assert chat_units("được 75d thì") == "được 75 điểm thì"
    assert chat_units("phí 20.000đ") == "phí 20.000 đồng"
    assert chat_units("mở cửa 7h30p") == "mở cửa 7h30p"  # no number alone before the unit
    assert chat_units("trả kết quả sau 8h") == "trả kết quả sau 8 giờ"
    # Not a unit: the letter alone ("2 tr" may be "trong"), a date, a document number, "tỷ lệ".
    for text in ("được 2 tr", "ngày 15/5đ", "kh 12 k", "tỷ lệ 80%", "hàng nghìn người", "QĐ 12/2025"):
        assert chat_units(text) == text, text


def test_chat_amount_probe(shipped_kb: KnowledgeBase) -> None:
    # Hà Nội's resolution states the consultants' monthly fees in figures ("không quá
    # 40.000.000 đồng/tháng"); "40tr" typed in chat is that figure.
    first = shipped_kb.search("thuê chuyên gia tư vấn cđs ở hn mức 40tr/tháng là cho ai vậy mn").results[0].text
    assert first.startswith("1. Mức 1, không quá 40.000.000 đồng/tháng"), first


# --- a score stated as the premise -----------------------------------------------------------------

def test_ranges_of_scores_and_shares_a_clause_states() -> None:
    assert stated_ranges("a) có tổng số điểm từ 50 điểm đến 80 điểm.") == ((50.0, True, 80.0, True, "điểm"),)
    assert holds_figure("có tổng số điểm trên 70 điểm đến 80 điểm", 80, "điểm")
    assert not holds_figure("có tổng số điểm trên 70 điểm đến 80 điểm", 70, "điểm")
    assert holds_figure("có tổng số điểm trên 90 điểm trở lên", 95, "điểm")
    assert holds_figure("a) có tổng số điểm dưới 50 điểm.", 30, "điểm")
    assert holds_figure("tỷ lệ từ 70% đến dưới 90%", 75.5, "%")
    assert not holds_figure("tỷ lệ từ 70% đến dưới 90%", 30, "%")  # "dưới 90%" closes that range
    assert stated_ranges("giai đoạn từ 2021 đến 2025") == ()


def test_a_score_as_premise_is_a_value_not_a_search_word(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("công chức được 75 điểm thì xếp loại gì")
    assert [(f.value, f.premise) for f in q.figures] == [(75.0, True)]
    assert "75" not in q.terms and "diem" in q.terms
    q = shipped_kb.read("nếu đạt 85,5% thì được xếp loại nào")
    assert [(f.value, f.unit, f.premise) for f in q.figures] == [(85.5, "%", True)]
    # Asked, not stated: the figure is searched.
    assert not any(f.premise for f in shipped_kb.read("năm 2024 đạt 85 điểm là xếp thứ mấy").figures)
    assert shipped_kb.read("cần bao nhiêu điểm thì hoàn thành tốt").figures == ()


def test_a_clause_stating_the_range_of_the_premise_ranks_higher(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("được 85 điểm thì xếp loại gì")
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    inside = _candidate(1, "a) Có tổng số điểm trên 80 điểm đến 90 điểm.")
    outside = _candidate(2, "a) Có tổng số điểm trên 90 điểm đến 100 điểm.")
    for c in (inside, outside):
        score(c, q, weights, known)
    assert inside.score > outside.score


def test_a_score_no_clause_places_leaves_an_everyday_question_refused(shipped_kb: KnowledgeBase) -> None:
    # The score is still part of the question: "đại học" alone does not answer it.
    assert not shipped_kb.search("em được 8 điểm thì thi đại học được không").answered


def test_score_premise_probe(shipped_kb: KnowledgeBase) -> None:
    # Hải Phòng's grading rules: a score typed in chat ("dc 95đ thì") falls in "trên 90 điểm".
    results = shipped_kb.search("cán bộ lãnh đạo hải phòng dc 95đ thì xếp loại j ạ").results
    assert results and "trên 90 điểm" in results[0].text, [r.text[:60] for r in results]


# --- the date of a document cited --------------------------------------------------------------

def test_the_date_of_a_cited_document_is_stated_by_its_citation(shipped_kb: KnowledgeBase) -> None:
    citation = "căn cứ luật tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"
    cited = shipped_kb.read("kế hoạch căn cứ Luật Tổ chức chính quyền địa phương ban hành ngày nào")
    assert cited.intent.basis and cited.intent.issued
    assert cited.satisfied_by(citation)
    own = shipped_kb.read("kế hoạch cải cách hành chính ban hành ngày nào")
    assert not own.intent.basis
    assert not own.satisfied_by(citation)  # "Căn cứ …" dates another document
    # The document's own date line is no longer preferred as its own statement (it states a
    # date, as the citation does) when the date asked is the cited document's.
    date_line = "Cần Thơ, ngày 27 tháng 12 năm 2021"
    for_cited, for_own = _candidate(1, date_line), _candidate(1, date_line)
    metadata_bonus(for_cited, cited, ["ngày 27 tháng 12 năm 2021"], None, 0.8)
    metadata_bonus(for_own, own, ["ngày 27 tháng 12 năm 2021"], None, 0.8)
    assert for_own.score - for_cited.score >= 0.5


# --- chat forms read by what follows them -------------------------------------------------------

def test_kh_is_a_plan_before_what_a_plan_is_of_and_not_elsewhere() -> None:
    assert standardize_chat("kh cchc thanh hoá 2021 tập trung gì") == "kế hoạch cchc thanh hoá 2021 tập trung gì"
    assert standardize_chat("kh 2025 của tỉnh") == "kế hoạch 2025 của tỉnh"
    assert standardize_chat("kh của ubnd tỉnh") == "kế hoạch của ubnd tỉnh"
    assert standardize_chat("mình kh biết") == "mình không biết"
    assert standardize_chat("kh thực hiện thì sao") == "không thực hiện thì sao"
    assert standardize_chat("kh có được ko") == "không có được không"


def test_everyone_addressed_is_a_filler_but_everyone_asked_about_is_not() -> None:
    assert standardize_chat("tập trung mấy mảng vậy mọi người") == "tập trung mấy mảng vậy"
    assert standardize_chat("mọi người cho em hỏi") == "cho em hỏi"
    assert standardize_chat("mọi người dân đều được hỗ trợ") == "mọi người dân đều được hỗ trợ"


def test_chat_plan_probe(shipped_kb: KnowledgeBase) -> None:
    # Bắc Ninh's 2022 plan names the year's working theme ("chủ đề công tác năm 2022").
    first = shipped_kb.search("kh 2022 bắc ninh chủ đề công tác năm là gì vậy mọi người").results[0].text
    assert "chủ đề công tác năm 2022" in first, first


# --- a local place below the province ----------------------------------------------------------

def test_a_local_place_is_taken_out_but_a_province_and_plan_words_stay(shipped_kb: KnowledgeBase) -> None:
    drop = shipped_kb.reader._without_local_places
    assert drop("công chức ở huyện Kim Thành, Hải Dương cũ, muốn") == "công chức ở , Hải Dương cũ, muốn"
    assert drop("ở thị xã Kinh Môn Hải Dương cũ thì") == "ở  Hải Dương cũ thì"  # the province stays
    assert drop("em ở quận 1 TP HCM") == "em ở  TP HCM"
    assert drop("thành phố Cần Thơ có kế hoạch gì") == "thành phố Cần Thơ có kế hoạch gì"
    for text in ("UBND cấp huyện và các xã phải làm gì", "các xã, phường, thị trấn", "xã hội số"):
        assert drop(text) == text, text


def test_local_place_probe(shipped_kb: KnowledgeBase) -> None:
    # Hải Phòng's grading rules answer for a commune official of the old Hải Dương province.
    answer = shipped_kb.search("Mình là công chức ở huyện Kim Thành, Hải Dương cũ, muốn xếp loại hoàn thành "
                               "xuất sắc nhiệm vụ thì cần bao nhiêu điểm?")
    assert answer.answered and "trên 90 điểm" in answer.results[0].text
    assert any(n["kind"] == "old_province" and n["current"] == "Hải Phòng" for n in answer.notes)


# --- "Thực hiện" opening a task, not citing a document -----------------------------------------

def test_a_task_opening_with_thuc_hien_states_its_deadline(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("chuyển đổi dữ liệu phải hoàn thành trước tháng mấy")
    assert q.intent.deadline
    assert q.satisfied_by("thực hiện chuyển đổi dữ liệu từ các hệ thống, hoàn thành trong tháng 11 năm 2025.")
    # Pursuant to a decision: the date is the decision's, no deadline of the plan.
    assert not q.satisfied_by("thực hiện quyết định số 123/qđ-ttg ngày 5/5/2025, hoàn thành trong tháng 11 năm 2025.")


def test_until_when_asks_a_deadline(shipped_kb: KnowledgeBase) -> None:
    for question in ("cán bộ có phải học kỹ năng số hết ko, tới khi nào", "phải làm đến bao giờ",
                     "kéo dài đến khi nào"):
        assert shipped_kb.read(question).intent.deadline, question


def test_two_asks_deadline_probe(shipped_kb: KnowledgeBase) -> None:
    # A rambling question with two asks (what happens to the data, by when): the task that
    # states both ("Thực hiện chuyển đổi dữ liệu …, hoàn thành trong tháng 11 năm 2025") first.
    first = shipped_kb.search("cho mình hỏi sau sáp nhập thì dữ liệu trên hệ thống của tỉnh cũ xử lý sao, "
                              "thủ tướng yêu cầu xong trước tháng mấy vậy ad").results[0].text
    assert first.startswith("Thực hiện chuyển đổi dữ liệu"), first
