"""Issue 8, the right clause first (fifth pass): who acts and who is reported to, initialisms
written with "&", the kinds of document a question asks which one of, a numbered part asked
("bước 3", "nhiệm vụ thứ hai"), who acts ("ai xử lý"), when a document takes effect (the article
before a web copy's header field), the date of a document the plan is based on, a list asked
("tập trung mấy mảng", "những gì"), how a document speaks ("Thủ tướng yêu cầu …": not searched). Unit tests on
representative forms, then one probe per mechanism on the shipped plans."""

from __future__ import annotations

from candidates import clause_candidate, scored_candidates

from knowledge import KnowledgeBase
from knowledge.ranker import Candidate, lists_items, metadata_bonus
from knowledge.reader import addressed, items_asked, ordinals_as_numbers
from knowledge.text import fold


def _candidate(ordinal: int, text: str) -> Candidate:
    return clause_candidate(ordinal, text)


def _scored(kb: KnowledgeBase, question: str, *texts: str) -> list[Candidate]:
    """The texts as candidates of one document, scored for the question."""
    return scored_candidates(kb, question, *texts)


def _ranks_above(kb: KnowledgeBase, question: str, better: str, worse: str) -> None:
    """Holding the same share of the question, `better` ranks above `worse`."""
    first, second = _scored(kb, question, better, worse)
    assert first.coverage == second.coverage
    assert first.score > second.score


# --- an initialism written with "&" ----------------------------------------------------------------

def test_an_initialism_with_an_ampersand_reads_as_its_short_form(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("ứng dụng KH&CN tham mưu nội dung gì")
    assert "khcn" in q.terms  # not "không" (chat "kh") and "cn"
    # An agency's short form is its name (lang/agencies.txt, reader.expand_agencies).
    assert {"khoa_hoc", "cong_nghe"} <= set(shipped_kb.read("Sở KH&CN tham mưu nội dung gì").terms)
    assert ("khoa_hoc", "va", "cong_nghe") in q.alternatives["khcn"]
    ministry = shipped_kb.read("Bộ KH&CN chủ trì nhiệm vụ gì")
    assert "bkhcn" in ministry.issuers


# --- acting or reported to -------------------------------------------------------------------------

def test_an_agency_after_an_addressing_phrase_is_reported_to() -> None:
    assert addressed("các bộ, ngành gửi báo cáo ")
    assert addressed("định kỳ báo cáo ")
    assert addressed("tổng hợp, tham mưu ")
    assert addressed("gui bc tinh hinh cho ", folded=True)
    assert not addressed("giao cho ")  # "giao cho Sở Nội vụ chủ trì": it acts
    assert not addressed("5. ")
    assert not addressed("phối hợp với ")


def test_the_question_names_who_acts_and_who_is_reported_to(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("Bộ Tài chính báo cáo Thủ tướng trước ngày nào")
    assert "bộ tài chính" in q.subject_issuers
    assert "thủ tướng" not in q.subject_issuers  # whom it reports to, not who acts
    reverse = shipped_kb.read("các bộ gửi báo cáo cho Bộ Tài chính trước ngày nào")
    assert "bộ tài chính" not in reverse.subject_issuers


def test_a_clause_where_the_agency_asked_acts_ranks_above_one_reporting_to_it(shipped_kb: KnowledgeBase) -> None:
    question = "Bộ Tài chính tổng hợp tình hình thực hiện trước ngày nào"
    acts, reported_to = _scored(shipped_kb, question,
                                "bộ tài chính tổng hợp tình hình thực hiện trước ngày 30 tháng 01",
                                "các địa phương gửi báo cáo bộ tài chính tổng hợp tình hình thực hiện trước ngày 15")
    q = shipped_kb.read(question)
    assert acts.coverage == reported_to.coverage
    assert acts.score > reported_to.score
    assert q.issuer_mention(acts.text_norm) == 1
    assert q.issuer_mention(reported_to.text_norm) == -1
    assert q.issuer_mention("ủy ban nhân dân tỉnh tổng hợp") == 0


def test_acting_or_reported_to_probe(shipped_kb: KnowledgeBase) -> None:
    # Decision 2629: the ministries report to the Ministry of Science by 15 December, which
    # reports to the Prime Minister by 30 January.
    first = shipped_kb.search("Bộ KH&CN báo cáo Thủ tướng tình hình triển khai chương trình Chính phủ số "
                              "hằng năm trước ngày nào?").results[0].text
    assert first.startswith("Bộ Khoa học và Công nghệ tổng hợp")
    other = shipped_kb.search("các bộ ngành gửi báo cáo cho Bộ KH&CN tình hình triển khai chương trình "
                              "Chính phủ số trước ngày mấy").results[0].text
    assert "trước ngày 15 tháng 12" in other


# --- which document of a kind ----------------------------------------------------------------------

def test_which_submission_asks_a_kind_of_document(shipped_kb: KnowledgeBase) -> None:
    for question, kind in (("kế hoạch ban hành theo tờ trình nào", "tờ trình"),
                           ("thực hiện theo hướng dẫn số mấy của bộ", "hướng dẫn"),
                           ("căn cứ văn bản nào của bộ", "văn bản")):
        q = shipped_kb.read(question)
        assert kind in q.kinds_asked, question
        assert q.cites_kind(f"theo đề nghị của sở tại {kind} số 133/ttr-skhcn")


def test_a_clause_citing_a_submission_by_number_answers_which_one(shipped_kb: KnowledgeBase) -> None:
    _ranks_above(shipped_kb, "kế hoạch ban hành theo tờ trình nào của sở nội vụ",
                 "theo đề nghị của sở nội vụ tại tờ trình số 12/ttr-snv, ban hành kế hoạch",
                 "theo đề nghị của sở nội vụ tại tờ trình, ban hành kế hoạch")


# --- a numbered part asked -------------------------------------------------------------------------

def test_a_numbered_part_asked_is_read() -> None:
    assert items_asked(fold("quy trình có mấy bước, bước 3 là gì")) == (("label", "bước", 3),)
    assert items_asked(fold("điều 5 quy định gì")) == (("label", "điều", 5),)
    assert items_asked(fold(ordinals_as_numbers("nhiệm vụ thứ hai là gì"))) == (("list", "nhiệm vụ", 2),)
    assert items_asked(fold("nhóm 2 gồm những ai")) == ()  # a list word needs "thứ": "nhóm 2" may be a name
    assert items_asked(fold("giai đoạn 2021-2025")) == ()  # a period, not a part
    assert ordinals_as_numbers("giải pháp thứ ba") == "giải pháp số 3"
    assert ordinals_as_numbers("thứ hai tuần sau") == "thứ hai tuần sau"  # Monday: no part named


def test_the_clause_numbered_as_asked_ranks_above_its_siblings(shipped_kb: KnowledgeBase) -> None:
    _ranks_above(shipped_kb, "quy trình đánh giá có mấy bước, bước 3 là gì",
                 "3. bước 3: lấy ý kiến đánh giá của cấp ủy, quy trình", "1. bước 1: tự đánh giá, quy trình, bước 3")
    q = shipped_kb.read("nhiệm vụ thứ hai của kế hoạch là gì")
    assert q.asks_item("2. tổ chức tập huấn", frozenset({"nhiem_vu", "ke_hoach"}))
    assert q.asks_item("b) tổ chức tập huấn", frozenset({"nhiem_vu"}))
    assert not q.asks_item("2. tổ chức tập huấn", frozenset({"muc_tieu"}))  # another list
    assert not q.asks_item("3. tổ chức tập huấn", frozenset({"nhiem_vu"}))


def test_numbered_part_probe(shipped_kb: KnowledgeBase) -> None:
    first = shipped_kb.search("quy trình xếp loại công chức Hải Phòng bước thứ tư làm gì").results[0].text
    assert first.startswith("4. Bước 4:")


# --- who acts --------------------------------------------------------------------------------------

def test_who_does_it_is_an_intent_and_a_clause_naming_who_acts_answers(shipped_kb: KnowledgeBase) -> None:
    for question in ("không đồng ý kết quả thì ai xử lý", "việc này do ai quyết định", "ai chịu trách nhiệm thi hành"):
        assert shipped_kb.read(question).intent.actor, question
    assert not shipped_kb.read("dùng AI xử lý hồ sơ đến đâu").intent.actor  # the technology
    q = shipped_kb.read("ai xử lý")
    assert q.names_actor("việc giải quyết kiến nghị do người có thẩm quyền đánh giá giải quyết.")
    assert q.names_actor("thủ trưởng cơ quan chịu trách nhiệm thi hành quyết định này.")
    assert not q.names_actor("4. hồ sơ giải quyết kiến nghị về kết quả đánh giá (nếu có);")
    _ranks_above(shipped_kb, "công chức không đồng ý kết quả xếp loại thì ai giải quyết kiến nghị",
                 "kiến nghị về kết quả xếp loại của công chức do thủ trưởng cơ quan giải quyết",
                 "hồ sơ giải quyết kiến nghị về kết quả xếp loại công chức (nếu có);")


def test_who_acts_probe(shipped_kb: KnowledgeBase) -> None:
    first = shipped_kb.search("ở Hải Phòng kiến nghị về kết quả xếp loại do ai giải quyết").results[0].text
    assert "do người có thẩm quyền" in first


# --- when a document takes effect ------------------------------------------------------------------

def test_the_article_saying_when_it_takes_effect_ranks_above_a_header_field(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("quyết định có hiệu lực từ ngày nào")
    assert q.intent.effective
    assert q.satisfied_by("điều 2. quyết định có hiệu lực thi hành kể từ ngày ký.")
    assert q.satisfied_by("ngày có hiệu lực: 27/08/2025")
    assert not q.satisfied_by("điều 2. quyết định này thay thế quyết định số 12/qđ-ubnd.")
    article, field = _scored(shipped_kb, "quyết định có hiệu lực từ ngày nào",
                             "điều 2. quyết định có hiệu lực thi hành kể từ ngày ký.", "ngày có hiệu lực: 27/08/2025")
    for c in (article, field):
        metadata_bonus(c, q, [], None, 1.0)
    assert article.states and field.states
    assert article.score > field.score


def test_takes_effect_probe(shipped_kb: KnowledgeBase) -> None:
    first = shipped_kb.search("QĐ 3470 của Hải Phòng có hiệu lực từ ngày nào").results[0].text
    assert first.startswith("Điều 2. Quyết định có hiệu lực thi hành kể từ ngày ký")


def test_signed_and_issued_on_which_day_is_answered_by_the_date_line(shipped_kb: KnowledgeBase) -> None:
    # "được ký ban hành ngày nào" reads a signer too ("ký"): the header field giving the date in
    # figures still ranks below the date line that writes it out.
    question = "kế hoạch được ký ban hành ngày nào"
    q = shipped_kb.read(question)
    assert q.intent.signer and q.intent.issued
    line, field = _scored(shipped_kb, question, "nghệ an, ngày 15 tháng 7 năm 2025", "ngày ban hành: 15/07/2025")
    own = ["ngày 15 tháng 7 năm 2025", "15/7/2025", "15/07/2025"]
    for c in (line, field):
        metadata_bonus(c, q, own, None, 1.0)
    assert line.score > field.score


def test_the_date_of_a_cited_law_is_the_citation_not_the_plans_own_date(shipped_kb: KnowledgeBase) -> None:
    question = "kế hoạch căn cứ luật tổ chức chính quyền địa phương ban hành ngày nào"
    q = shipped_kb.read(question)
    assert q.intent.issued and q.intent.basis
    citation_text = "căn cứ luật tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"
    assert q.satisfied_by(citation_text)
    citation, date_line = _scored(shipped_kb, question, citation_text, "cần thơ, ngày 27 tháng 12 năm 2021")
    citation.framing = True
    for c in (citation, date_line):
        metadata_bonus(c, q, ["ngày 27 tháng 12 năm 2021"], None, 1.0)
    assert citation.score > date_line.score
    # Asked when the plan itself was issued, its date line still answers.
    own = shipped_kb.read("kế hoạch ban hành ngày nào")
    line = _candidate(1, "cần thơ, ngày 27 tháng 12 năm 2021")
    metadata_bonus(line, own, ["ngày 27 tháng 12 năm 2021"], None, 1.0)
    assert line.score >= 1.0


# --- a list asked ----------------------------------------------------------------------------------

def test_a_list_asked_prefers_a_clause_stating_several_items(shipped_kb: KnowledgeBase) -> None:
    for question in ("kế hoạch tập trung mấy mảng", "yêu cầu tin học hóa những gì", "gồm những nội dung nào"):
        assert shipped_kb.read(question).intent.listing, question
    assert not shipped_kb.read("tin học hóa quy trình giải quyết thủ tục").intent.listing
    assert lists_items("tập trung cải cách thể chế; cải cách tthc; cải cách công vụ.")
    assert lists_items("nội dung kiểm tra gồm:")
    assert not lists_items("nâng cao trách nhiệm người đứng đầu trong cải cách;")  # one item, cut at its ";"
    _ranks_above(shipped_kb, "kế hoạch yêu cầu tin học hóa những gì",
                 "yêu cầu tin học hóa quy trình giải quyết thủ tục; tăng dịch vụ công trực tuyến.",
                 "yêu cầu tin học hóa quy trình giải quyết thủ tục, tăng dịch vụ công trực tuyến.")


def test_a_list_asked_probe(shipped_kb: KnowledgeBase) -> None:
    first = shipped_kb.search("kế hoạch CCHC Thanh Hóa năm 2021 tập trung vào những nội dung nào").results[0].text
    assert first.startswith("UBND tỉnh yêu cầu tập trung cải cách thể chế; cải cách TTHC")


# --- how a document speaks -------------------------------------------------------------------------

def test_how_a_document_or_its_issuer_speaks_is_not_searched(shipped_kb: KnowledgeBase) -> None:
    for question in ("Kế hoạch CCHC năm 2022 của Bắc Ninh yêu cầu tin học hóa những gì",
                     "Thủ tướng yêu cầu các bộ hoàn thành sửa đổi văn bản",
                     "chi thi dak lak yeu cau lap bieu mau dien tu gi",
                     "công điện chỉ đạo các bộ làm gì"):
        terms = shipped_kb.read(question).terms
        assert "yeu_cau" not in terms and "chi_dao" not in terms, question
    # Not after a document or an issuer, the same words are the topic ("mục đích, yêu cầu").
    assert "yeu_cau" in shipped_kb.read("mục đích yêu cầu của kế hoạch là gì").terms
    # "giao" names the task: "giao Sở Nội vụ …" answers "kế hoạch giao Sở Nội vụ làm gì".
    assert "giao" in shipped_kb.read("kế hoạch năm 2025 giao sở nội vụ làm nhiệm vụ gì").terms


def test_how_a_document_speaks_probe(shipped_kb: KnowledgeBase) -> None:
    first = shipped_kb.search("công điện 220 của Thủ tướng yêu cầu hoàn thành sửa đổi bao nhiêu văn bản để "
                              "đơn giản hóa TTHC và cắt giảm điều kiện kinh doanh").results[0].text
    assert first.startswith("Tập trung chỉ đạo quyết liệt hoàn thành sửa đổi, bổ sung 485 văn bản")
