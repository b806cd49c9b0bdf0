"""Issue 8, English questions on unseen sets: the right clause inside the right document. The
words naming the document (its title, its kind) pick the document, not the clause; clauses that
frame the document ("Căn cứ …", the title line, a heading) answer only basis questions; "which
locality has the lowest …" prefers clauses naming places with figures; the glossary covers the
field's English (multi-word phrases before single words)."""

from __future__ import annotations

from knowledge import KnowledgeBase
from knowledge.ranker import Candidate, score, term_weights
from knowledge.reader import frames_document, names_with_figures, naming_syllables, translate_english


def _candidate(clause_id: int, body: set[str], *, title: frozenset[str] = frozenset(), framing: bool = False,
               names_figures: bool = False, has_target: bool = False) -> Candidate:
    return Candidate(clause_id=clause_id, doc_id=1, body=frozenset(body), context_text="", text_norm=" ".join(body),
                     years_json="[]", doc_years=[], doc_named=set(), doc_province=None, doc_current=None,
                     has_target=has_target, length=80, ordinal=clause_id, title=title, framing=framing,
                     names_figures=names_figures)


def test_glossary_phrases_of_the_field() -> None:
    t = translate_english
    assert "cấp xã" in t("commune-level work files") and "hồ sơ công việc" in t("commune-level work files")
    assert "24/7" in t("running around the clock") and "24/7" in t("round-the-clock")
    assert "sổ sức khỏe điện tử" in t("an electronic health record book")
    assert "hoạt động ổn định" in t("must run stably")
    assert "không phụ thuộc địa giới hành chính" in t("regardless of administrative boundaries")
    assert "tái cấu trúc quy trình" in t("restructure procedures")
    assert "cổng duy nhất trên toàn quốc" in t("a single nationwide portal")
    assert "hộ tịch" in t("civil registration") and "Bộ Tư pháp" in t("the Ministry of Justice")
    assert "chuyên gia tư vấn" in t("expert consultants") and "thạc sĩ" in t("a master's degree")
    # The longest phrase wins: the conditions of business investment, not "conditions" alone.
    assert t("business investment conditions") == "điều kiện đầu tư kinh doanh"
    assert "bãi bỏ" in t("scrapped") and "không cần thiết" in t("unnecessary")


def test_english_superlatives_and_basis_questions_set_the_intent(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("Which province has the lowest rate of online procedures for businesses?")
    assert q.intent.extreme and "thap_nhat" in q.terms
    assert shipped_kb.read("địa phương nào có tỷ lệ thanh toán trực tuyến thấp nhất").intent.extreme
    assert not shipped_kb.read("tỷ lệ thanh toán trực tuyến thấp nhất là bao nhiêu").intent.extreme
    assert shipped_kb.read("Which decision does Hanoi's resolution 77 cite?").intent.basis
    assert shipped_kb.read("kế hoạch này căn cứ vào văn bản nào").intent.basis


def test_clauses_that_frame_the_document() -> None:
    assert frames_document("Căn cứ Nghị định số 45/2020/NĐ-CP của Chính phủ;", "Nghị quyết")
    assert frames_document("Xét Tờ trình số 430/TTr-UBND ngày 21 tháng 11 năm 2025", "Nghị quyết")
    assert frames_document("- Thực hiện Quyết định số 06/QĐ-TTg", "Kế hoạch")
    assert frames_document("Điều 2. Mục tiêu", "x") and frames_document("II. NHIỆM VỤ, GIẢI PHÁP", "x")
    title = "Kế hoạch cải cách hành chính nhà nước tỉnh Bắc Giang năm 2022"
    assert frames_document("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC TỈNH BẮC GIANG NĂM 2022", title)
    # Content: a task that begins with "Thực hiện", a numbered item, a lettered item.
    assert not frames_document("- Thực hiện chuẩn hóa, tái cấu trúc quy trình nghiệp vụ", title)
    assert not frames_document("1. Giao Bộ trưởng các Bộ", title)
    assert not frames_document("c) Chuyên gia tư vấn", title)


def test_the_article_issuing_the_plan_and_a_web_copy_header_frame_the_document() -> None:
    title = "Kế hoạch cải cách hành chính nhà nước tỉnh Nghệ An năm 2025"
    # The article that issues the attached plan describes the document, whatever its number.
    assert frames_document("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính "
                           "Nhà nước tỉnh Nghệ An năm 2025.", title)
    # A web copy's header restates the title with the kind and number of the document.
    assert frames_document("Quyết định 2228/QĐ-UBND về Kế hoạch cải cách hành chính Nhà nước tỉnh Nghệ An "
                           "năm 2025", title)
    # Other articles state content: who enforces the decision, from when it applies.
    assert not frames_document("Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ chịu trách "
                               "nhiệm thi hành Quyết định này.", title)
    assert not frames_document("Điều 2. Giao Sở Nội vụ hướng dẫn, theo dõi, đôn đốc, kiểm tra.", title)


def test_a_clause_pointing_to_its_appendix_frames_the_document() -> None:
    title = ("Nghị quyết quy định nội dung chi, mức chi hỗ trợ phí, lệ phí đối với dịch vụ công trực tuyến và "
             "thuê chuyên gia tư vấn chuyển đổi số trên địa bàn thành phố")
    # The scope of the resolution, whose figures are in the appendix: it names, it does not state.
    assert frames_document("2. Quy định nội dung chi, mức chi thuê chuyên gia tư vấn chuyển đổi số (tại Phụ lục "
                           "II kèm theo Nghị quyết này).", title)
    assert frames_document("Giao các sở thực hiện các nhiệm vụ (chi tiết tại Phụ lục kèm theo).", title)
    # The appendix's own rows, and a clause merely citing an appendix, state content.
    assert not frames_document("1. Mức 1, không quá 40.000.000 đồng/tháng áp dụng đối với chuyên gia tư vấn", title)
    assert not frames_document("Hoàn thành 100% nhiệm vụ được giao (Phụ lục I).", title)


def test_names_with_figures() -> None:
    def place(n: str) -> bool:
        return n in {"Hà Tĩnh"}

    assert names_with_figures("một số địa phương đạt tỷ lệ thấp như: Điện Biên (13%); Khánh Hòa (22,3%)", place)
    assert names_with_figures("Hà Tĩnh | 1200 | - | 1200 | 97,25", place)
    assert names_with_figures("Bộ Y tế | 24 | 54 | 0", place)
    assert not names_with_figures("Tỷ lệ TTHC được thực hiện trực tuyến đạt 80%", place)
    assert not names_with_figures("Tỷ lệ hồ sơ | % | 80%", place)


def test_title_words_pick_the_document_not_the_clause(shipped_kb: KnowledgeBase) -> None:
    # "Dak Lak's directive on administrative procedures": "chỉ thị" and "thủ tục hành chính" are
    # in the directive's title; the clause about the system running 24/7 answers, not a clause
    # that repeats the words of the title.
    q = shipped_kb.read("Under Dak Lak's directive on administrative procedures, which system must run stably "
                        "around the clock?")
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    title = frozenset({"chi_thi", "thu_tuc", "hanh_chinh", "thu_tuc_hanh_chinh", "cai_cach"})
    assert {"chi_thi", "thu_tuc", "hanh_chinh"} <= q.naming
    restating = _candidate(1, {"chi_thi", "thu_tuc", "hanh_chinh", "he_thong"}, title=title)
    answer = _candidate(2, {"he_thong", "hoat_dong", "on_dinh", "thong_suot", "24/7"}, title=title)
    for c in (restating, answer):
        score(c, q, weights, known)
    assert answer.score > restating.score
    # Coverage, which decides answering or refusing, is the clause's own.
    untitled = _candidate(3, {"he_thong", "hoat_dong", "on_dinh", "thong_suot", "24/7"})
    score(untitled, q, weights, known)
    assert untitled.coverage == answer.coverage and answer.score > untitled.score


def test_a_framing_clause_answers_only_a_basis_question(shipped_kb: KnowledgeBase) -> None:
    ask = shipped_kb.read("mức chi hỗ trợ dịch vụ công trực tuyến tối đa bao nhiêu một tháng")
    weights, known = term_weights(ask, shipped_kb.vocab, shipped_kb.n_clauses)
    words = {"muc_chi", "ho_tro", "dich_vu", "cong", "truc_tuyen", "thang"}
    preamble = _candidate(1, words | {"to_trinh"}, framing=True)
    content = _candidate(2, words)
    for c in (preamble, content):
        score(c, ask, weights, known)
    assert content.score > preamble.score
    basis = shipped_kb.read("nghị quyết về dịch vụ công trực tuyến căn cứ nghị định nào")
    weights, known = term_weights(basis, shipped_kb.vocab, shipped_kb.n_clauses)
    cited = _candidate(3, {"can_cu", "nghi_dinh", "dich_vu", "cong", "truc_tuyen"}, framing=True)
    plain = _candidate(4, {"can_cu", "nghi_dinh", "dich_vu", "cong", "truc_tuyen"})
    for c in (cited, plain):
        c.text_norm = "căn cứ nghị định số 42/2022/nđ-cp về dịch vụ công trực tuyến"  # a citation
        score(c, basis, weights, known)
    assert cited.score > plain.score


def test_which_locality_prefers_places_with_figures(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("địa phương nào có tỷ lệ thủ tục trực tuyến thấp nhất")
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    words = {"ty_le", "thu_tuc", "truc_tuyen", "thap"}
    listing = _candidate(1, words, names_figures=True, has_target=True)
    general = _candidate(2, words, has_target=True)
    for c in (listing, general):
        score(c, q, weights, known)
    assert listing.score > general.score


def test_english_probes_over_the_shipped_plans(shipped_kb: KnowledgeBase) -> None:
    # Deep clauses of the long documents, asked in English the way the unseen sets ask.
    cases = [
        ("Under Dak Lak's directive on administrative procedures, which system must run stably around the clock?",
         "thông suốt 24/7"),
        ("According to the Ministry of Construction's reform plan, what share of unnecessary business investment "
         "conditions must be scrapped?", "điều kiện đầu tư kinh doanh"),
        ("In Bac Ninh's digital economy plan, what share of residents should have an electronic health record?",
         "Sổ sức khỏe điện tử"),
    ]
    for question, expected in cases:
        answer = shipped_kb.search(question)
        assert answer.answered and expected in answer.results[0].text, question


def test_an_english_reply_names_its_source_in_english_on_both_paths(shipped_kb: KnowledgeBase) -> None:
    from handlers.replies import plain_answer

    answer = shipped_kb.search("In Bac Ninh's digital economy plan, what share of residents should have an "
                               "electronic health record?")
    text = plain_answer(answer)
    first = next(line for line in text.splitlines() if line.startswith("🇬🇧"))
    assert first.startswith("🇬🇧 Answer quoted verbatim, in Vietnamese, from ")
    assert answer.results[0].meta.document in first  # the source named, the clause itself Vietnamese
    assert "Sổ sức khỏe điện tử" in text
    refused = shipped_kb.search("How do I renew my passport online?")
    assert not refused.answered
    assert plain_answer(refused).startswith("🇬🇧 The administrative-reform plans the bot holds do not answer")


def test_the_words_naming_the_document() -> None:
    assert {"chi", "thi", "thu", "tuc", "hanh", "chinh"} <= naming_syllables(
        "Under Dak Lak's directive on administrative procedures, which system must run stably?", "en")
    # Words before the kind ("the Ministry of Construction's reform plan") name it too; the question's
    # own words after a boundary ("what share …") do not.
    named = naming_syllables("According to the Ministry of Construction's reform plan, what share of conditions", "en")
    assert {"cai", "cach", "ke", "hoach"} <= named and "ty" not in named
    assert naming_syllables("Theo dự thảo khâu đột phá của Thanh Hóa, bao nhiêu phần trăm hồ sơ", "vi") == {
        "du", "thao", "khau", "dot", "pha"}
    # A document a task makes is what is asked about, not the source named.
    assert not naming_syllables("Hạn chót để các bộ ban hành kế hoạch hành động phát triển Chính phủ số là ngày nào",
                                "vi")
    assert not naming_syllables("By when must ministries issue action plans on digital government?", "en")


def test_a_vietnamese_question_naming_a_draft_gets_the_clause_not_the_draft(shipped_kb: KnowledgeBase) -> None:
    answer = shipped_kb.search("Theo dự thảo khâu đột phá của Thanh Hóa, bao nhiêu phần trăm hồ sơ thủ tục hành "
                               "chính được giải quyết trực tuyến?")
    assert answer.answered and "100% hồ sơ thủ tục hành chính được giải quyết trực tuyến" in answer.results[0].text


def test_an_english_question_may_name_a_province_with_its_marks(shipped_kb: KnowledgeBase) -> None:
    # The marks test leaves out the places named: "Bắc Ninh" with its marks in an English question.
    from knowledge.reader import is_english
    find = shipped_kb.gazetteer.find
    assert is_english("Is Hà Nội planning to cut fees for online services?", places=find)
    assert not is_english("Hà Nội có kế hoạch giảm phí dịch vụ công trực tuyến không", places=find)
    # Marks outside a place name are Vietnamese, whatever English words sit beside them.
    assert not is_english("Is Hà Nội có giảm phí for the online services?", places=find)
    answer = shipped_kb.search("What is Hà Nội's target for the share of online public services?")
    assert answer.answered and answer.notes[0]["kind"] == "english"
    answer = shipped_kb.search("Is Bắc Ninh going to pilot a data exchange for trading data?")
    assert answer.answered and "sàn giao dịch dữ liệu" in answer.results[0].text
