"""Issue 8, the right clause first (hit@1) for metadata, basis, period, ranking and figure
questions: the document's own date line before a web copy's header field, and never the
effective date for "ký ngày nào"; names that exclude each other (lang/contrasts.tsv: indexes,
kinds of document, issuers); a plan year's figure before another year's target in the same plan;
a clause stating a period for "giai đoạn nào"; the content clause, not the title line restating
it. Unit tests on representative forms, then one probe per mechanism on the shipped plans."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeBase
from knowledge.ranker import WEIGHTS, Candidate, metadata_bonus, score, term_weights
from knowledge.reader import frames_document
from knowledge.text import fold, words


def _candidate(clause_id: int, text: str, *, years: str = "[]", doc_named: set[int] | None = None,
               has_target: bool = False, framing: bool = False, kind: str = "") -> Candidate:
    body = frozenset(words(fold(text)))
    return Candidate(clause_id=clause_id, doc_id=1, body=body, context_text="", text_norm=text,
                     years_json=years, doc_years=[], doc_named=doc_named or set(), doc_province=None,
                     doc_current=None, has_target=has_target, length=80, ordinal=clause_id, framing=framing,
                     kind=kind)


# --- dates -------------------------------------------------------------------------------------

def test_the_documents_own_date_line_before_a_header_field_and_never_the_effective_date(
        shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("văn bản này được ký ngày nào")
    assert q.intent.issued and not q.intent.effective
    own = ["ngày 5 tháng 3 năm 2024", "ngày 05 tháng 03 năm 2024", "5/3/2024", "05/03/2024"]
    line = _candidate(1, "quảng ninh, ngày 5 tháng 3 năm 2024")
    header = _candidate(2, "ngày ban hành | 05/03/2024")
    effective = _candidate(3, "ngày có hiệu lực | 05/03/2024")
    for c in (line, header, effective):
        metadata_bonus(c, q, own, None, 1.0)
    assert line.score > header.score > effective.score == 0.0
    # "có hiệu lực từ ngày nào" is answered by the effective date, not by the date of issue.
    asks_effect = shipped_kb.read("văn bản này có hiệu lực từ ngày nào")
    assert asks_effect.intent.effective
    assert asks_effect.satisfied_by("ngày có hiệu lực | 05/03/2024")
    assert not asks_effect.satisfied_by("ngày ban hành | 05/03/2024")
    assert not q.dates_other_event("ngày ban hành: 05/03/2024 ngày hiệu lực: đã biết")


def test_signed_when_probe(shipped_kb: KnowledgeBase) -> None:
    answer = shipped_kb.search("Kế hoạch CCHC Hải Phòng giai đoạn 2026-2030 ký ngày nào")
    assert answer.results[0].text.startswith("Hải Phòng, ngày 27 tháng 8 năm 2025")


# --- names that exclude each other -------------------------------------------------------------

def test_an_index_asked_and_a_clause_naming_only_another(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("chi so sipas nam 2023 cua tinh xep thu may")
    assert q.contrasts
    assert q.contrasted("chỉ số cchc (par-index) xếp hạng 40/63, tăng 02 bậc") == 1
    assert q.contrasted("chỉ số pci đạt 65,2 điểm") == 1
    assert q.contrasted("chỉ số hài lòng của người dân (sipas) xếp hạng 12/63") == 0
    assert q.contrasted("par index xếp thứ 40, sipas xếp thứ 12") == 0  # names the one asked too
    assert q.contrasted("tỷ lệ hồ sơ trực tuyến đạt 80%") == 0  # names none of them
    # A field of the PAR INDEX is not the whole index.
    field = shipped_kb.read("chỉ số thành phần cải cách thể chế giảm bao nhiêu bậc")
    assert field.contrasted("chỉ số cchc (par-index) giảm 03 bậc") == 1
    assert field.contrasted("cải cách thể chế giảm 10 bậc (xếp 50/63)") == 0
    # Only a figure question asks which index: "PAPI là gì" wants no rank.
    assert not shipped_kb.read("papi là gì").contrasts


def test_the_kind_and_issuer_of_the_document_cited(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("kế hoạch này căn cứ chỉ thị nào của tỉnh ủy")
    assert q.intent.basis
    other = "căn cứ quyết định số 06/qđ-ttg ngày 06/01/2022 của thủ tướng chính phủ"
    assert q.contrasted(other, "kế hoạch") == 2  # another kind, another issuer
    assert q.contrasted("căn cứ chỉ thị số 37-ct/tu ngày 05/5/2023 của tỉnh ủy", "kế hoạch") == 0
    assert q.contrasted("căn cứ chỉ thị số 05/ct-ttg của thủ tướng chính phủ", "kế hoạch") == 1
    # The party committee signs "-NQ/TU": its code names it as well as its name.
    assert q.contrasted("nghị quyết số 12-nq/tu ngày 26/5/2022 của ban chấp hành đảng bộ tỉnh", "kế hoạch") == 1
    # Naming its own document ("kế hoạch này … căn cứ vào đâu") asks for no kind of document.
    own = shipped_kb.read("kế hoạch này căn cứ vào văn bản nào")
    assert own.contrasted("căn cứ quyết định số 06/qđ-ttg", "kế hoạch") == 0
    # A province's department signs with its code ("6204/SNV-CCHC").
    letter = shipped_kb.read("quyết định này ban hành theo đề nghị tại công văn số mấy của Sở Nội vụ")
    assert letter.contrasted("theo đề nghị của giám đốc sở nội vụ tại công văn số 6204/snv-cchc", "quyết định") == 0
    assert letter.contrasted("căn cứ nghị quyết số 76/nq-cp của chính phủ", "quyết định") == 2
    # A number question asks for a document of the kind it names, its own kind too.
    number = shipped_kb.read("tỉnh có kế hoạch cải cách hành chính giai đoạn 2021-2030 không, số hiệu là gì")
    assert number.intent.number
    assert number.contrasted("thực hiện nghị quyết số 76/nq-cp của chính phủ", "kế hoạch") == 1
    assert number.contrasted("kế hoạch số 402/kh-ubnd ngày 21/8/2021 của ubnd tỉnh", "kế hoạch") == 0
    # "Chính phủ số" is a programme, not the government; "Chỉ thị số 23" is a directive.
    programme = shipped_kb.read("chương trình chính phủ số căn cứ nghị quyết nào")
    assert programme.contrasted("căn cứ nghị quyết số 57-nq/tw của bộ chính trị", "quyết định") == 0
    assert programme.contrasted("căn cứ chỉ thị số 23/ct-ttg", "quyết định") == 1
    # Only a question asking which document: a task question naming "kế hoạch" is not contrasted.
    assert not shipped_kb.read("kế hoạch giao sở nội vụ chủ trì việc gì").contrasts


def test_a_contrasted_clause_ranks_lower(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("chỉ số papi năm 2024 xếp hạng bao nhiêu")
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    other = _candidate(1, "chỉ số papi và par-index: chỉ số cchc xếp hạng 63/63", has_target=True)
    other.text_norm = "chỉ số cchc (par-index) xếp hạng 63/63"  # the words, but another index's rank
    asked = _candidate(2, "chỉ số papi và par-index: chỉ số cchc xếp hạng 63/63", has_target=True)
    asked.text_norm = "chỉ số papi xếp hạng 51/63"
    for c in (other, asked):
        score(c, q, weights, known)
    assert asked.coverage == other.coverage and asked.score - other.score > -WEIGHTS.contrast * 0.9


def test_contrast_probes(shipped_kb: KnowledgeBase) -> None:
    first = shipped_kb.search("Cao Bằng năm 2024 chỉ số SIPAS xếp thứ mấy").results[0].text
    assert "(SIPAS) xếp hạng 57/63" in first
    cited = shipped_kb.search("Kế hoạch 395 của Lào Cai căn cứ chỉ thị nào của Thủ tướng").results[0].text
    assert cited.startswith("Căn cứ Chỉ thị số 05/CT-TTg")


# --- years ---------------------------------------------------------------------------------------

def test_the_plan_years_figure_before_another_years_target(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("kế hoạch năm 2022 đặt chỉ tiêu bao nhiêu % hồ sơ trực tuyến")
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    text = "80% hồ sơ trực tuyến"
    later = _candidate(1, text, years="[2025]", doc_named={2022}, has_target=True)
    own = _candidate(2, text, doc_named={2022}, has_target=True)
    for c in (later, own):
        score(c, q, weights, known)
    assert own.score - later.score == pytest.approx(-WEIGHTS.year_other_figure)
    # A date in a clause is no figure of another year: only figure clauses are concerned.
    dated = _candidate(3, text, years="[2021]", doc_named={2022})
    undated = _candidate(4, text, doc_named={2022})
    for c in (dated, undated):
        score(c, q, weights, known)
    assert dated.score == undated.score


def test_plan_year_probe(shipped_kb: KnowledgeBase) -> None:
    first = shipped_kb.search("Kế hoạch năm 2021 của Thanh Hóa đề ra chỉ tiêu bao nhiêu % TTHC trực tuyến "
                              "mức độ 3 và 4").results[0].text
    assert first.startswith("40% TTHC được cung cấp trực tuyến")


# --- periods -------------------------------------------------------------------------------------

def test_a_period_question_prefers_a_clause_stating_a_period(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("kế hoạch này áp dụng cho giai đoạn nào")
    assert q.intent.period
    for stated in ("giai đoạn 2026 - 2030", "năm 2023 và các năm tiếp theo", "thực hiện 2021-2025",
                   "phấn đấu đến năm 2030"):
        assert q.states_period(stated), stated
    assert not q.states_period("ngày 15/7/2021 của chính phủ")
    assert not shipped_kb.read("kế hoạch này giao ai chủ trì").states_period("giai đoạn 2026 - 2030")
    weights, known = term_weights(q, shipped_kb.vocab, shipped_kb.n_clauses)
    period = _candidate(1, "kế hoạch áp dụng giai đoạn 2026 - 2030")
    plain = _candidate(2, "kế hoạch áp dụng giai đoạn mới")
    for c in (period, plain):
        score(c, q, weights, known)
    assert period.score > plain.score


def test_period_probe_gets_the_content_clause_not_the_title_restating_it(shipped_kb: KnowledgeBase) -> None:
    # The title line restates the purpose clause ("… năm 2022 và các năm tiếp theo"): the two are
    # shown once, as the clause of the plan's content.
    first = shipped_kb.search("Lâm Đồng khắc phục hạn chế CCHC trong những năm nào").results[0].text
    assert first.startswith("Để khắc phục những tồn tại, hạn chế")
    assert "những năm tiếp theo" in first


def test_which_year_prefers_a_year_in_words_not_a_documents_date(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("kết quả này làm cơ sở chấm điểm năm nào")
    assert q.intent.year
    assert q.states_period("làm cơ sở đánh giá chỉ số năm 2025 và các năm tiếp theo")
    assert not q.states_period("theo quyết định số 766/qđ-ttg ngày 23/6/2022")
    assert not q.states_period("hà tĩnh, ngày 31 tháng 12 năm 2025")


def test_on_the_grounds_of_a_fact_is_no_citation() -> None:
    title = "Kế hoạch cải cách hành chính năm 2025"
    assert not frames_document("căn cứ kết quả đánh giá, xem xét mức độ hoàn thành nhiệm vụ", title)
    assert not frames_document("3. Căn cứ vào quy mô, tính chất của nhiệm vụ", title)
    assert frames_document("Căn cứ Luật Tổ chức chính quyền địa phương", title)
    assert frames_document("Căn cứ các Quyết định của Thủ tướng Chính phủ: số 749/QĐ-TTg", title)


def test_an_english_question_asks_no_kind_of_document(shipped_kb: KnowledgeBase) -> None:
    # "Which decisions does it cite" is said of decrees too: the kind is not held against a clause;
    # the issuer still is.
    q = shipped_kb.read("Which decisions of the Prime Minister does the plan cite as its basis?")
    assert q.language == "en" and q.intent.basis
    assert q.contrasted("căn cứ nghị định số 45/2020/nđ-cp của chính phủ", "kế hoạch") == 1  # the issuer only
    assert q.contrasted("căn cứ nghị định số 45/2020/nđ-ttg của thủ tướng", "kế hoạch") == 0


def test_a_thesaurus_phrase_that_folds_to_itself_is_still_searched(shipped_kb: KnowledgeBase) -> None:
    # "hàng tháng" → "hằng tháng" has no other spelling: it is a word of the question like any
    # other, not a phrase that only asks ("ai ký").
    # (searched alone or inside a longer phrase the thesaurus knows, "báo cáo hàng tháng")
    assert any("hang_thang" in t for t in shipped_kb.read("báo cáo hàng tháng gửi ai").terms)
    assert any("hang_thang" in t for t in shipped_kb.read("bao cao truoc ngay may hang thang").terms)
    first = shipped_kb.search("Theo kế hoạch 308 của Hà Nội, các đơn vị gửi báo cáo kết quả về Sở Khoa học và "
                              "Công nghệ trước ngày mấy hằng tháng?").results[0].text
    assert "trước ngày 15 hằng tháng" in first
