"""Issue 8: a question typed without marks is read, and answered, like the same question typed
with them. Unit tests of each reading mechanism (representative forms), then the whole-set check:
every in-scope Vietnamese question of the shipped evaluation sets, its marks stripped, must find
the same clauses as typed."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from knowledge import KnowledgeBase

DATA = Path(__file__).parent / "data"


def strip_marks(text: str) -> str:
    """The question as typed on a keyboard without Vietnamese input: NFD, combining marks dropped, đ → d."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def test_a_chat_form_inside_a_name_or_word_is_kept(shipped_kb: KnowledgeBase) -> None:
    # "ha" is the chat filler "hả" only where it is no syllable of a province or a plan word.
    assert shipped_kb.read("ke hoach cua Ha Tinh nam 2026").provinces == ("Hà Tĩnh",)
    assert shipped_kb.read("ha giang co ke hoach gi").provinces == ("Hà Giang",)
    assert "ha_tang" in shipped_kb.read("nang cap ha tang so").terms
    assert "ha" not in shipped_kb.read("the la sao ha").terms  # the filler alone still goes


def test_a_plan_word_of_function_like_syllables_is_content(shipped_kb: KnowledgeBase) -> None:
    # "cải cách", "hồ sơ", "tối đa" fold like "cái cách", "hồ số", "tối đà": typed without marks
    # they were dropped as function words.
    assert "cai_cach" in shipped_kb.read("cai cach hanh chinh tinh nam 2025").terms
    assert "toi_da" in shipped_kb.read("ho tro toi da bao nhieu").terms
    assert shipped_kb.read("cai cach hanh chinh").terms == shipped_kb.read("cải cách hành chính").terms


def test_unmarked_segmentation_ignores_the_marks_of_replaced_words(shipped_kb: KnowledgeBase) -> None:
    # "online" becomes "trực tuyến" (with marks): the user still typed none, so "phi le phi" is
    # "phí | lệ phí", not the dictionary's "phi lê | phí".
    q = shipped_kb.read("le phi lam online co phai tra khong, phi le phi bao nhieu")
    assert "le_phi" in q.terms and "phi_le" not in q.terms


def test_a_thesaurus_phrase_never_ends_inside_a_word(shipped_kb: KnowledgeBase) -> None:
    # "bao nhiêu phần" (→ tỷ lệ) would cut "phần trăm", leaving "trăm" a content word.
    q = shipped_kb.read("giam bao nhieu phan tram don vi su nghiep")
    assert "tram" not in q.terms and "bao_nhieu_phan" not in q.terms


def test_known_names_bound_the_words_of_an_unmarked_question(shipped_kb: KnowledgeBase) -> None:
    # "cua so noi vu": "của Sở Nội vụ", not "cửa sổ | nội vụ".
    q = shipped_kb.read("to trinh cua so noi vu ve ke hoach")
    assert "cua_so" not in q.terms and {"so", "noi_vu"} <= set(q.terms)


def test_asking_words_bound_the_words_of_an_unmarked_question(shipped_kb: KnowledgeBase) -> None:
    # "chiem bao nhieu": "chiếm | bao nhiêu", not the dictionary's "chiêm bao" (a dream).
    assert "chiem_bao" not in shipped_kb.read("kinh te so nam 2030 chiem bao nhieu").terms
    # "số" before a year is the plans' digital "số"; before another number it numbers it.
    assert "so" in shipped_kb.read("kế hoạch chuyển đổi số 2025 của Hà Nội").terms
    assert "so" not in shipped_kb.read("phong so 3 o dau").terms


def test_a_place_name_asks_nothing(shipped_kb: KnowledgeBase) -> None:
    # "Bắc Ninh", "bac giang" hold "bậc" folded: no ranking, no result, asked with marks or without.
    for question in ("Bắc Ninh đến năm 2030 có bao nhiêu tập dữ liệu mở", "bac giang nam 2022 muc tieu gi"):
        intent = shipped_kb.read(question).intent
        assert not intent.ranking and not intent.result, question
    assert shipped_kb.read("Bắc Ninh tụt mấy bậc PAR INDEX").intent.ranking


def test_the_copula_never_ends_a_word(shipped_kb: KnowledgeBase) -> None:
    # "kỹ năng số là gì": the dictionary's "số là" took the subject's last syllable.
    for question in ("kỹ năng số là gì", "ky nang so la gi", "tỷ lệ người dân có kỹ năng số là bao nhiêu"):
        q = shipped_kb.read(question)
        assert "so" in q.terms and "so_la" not in q.terms, question


def test_a_phrase_the_plans_write_is_cut_only_by_a_word_they_use(shipped_kb: KnowledgeBase) -> None:
    # "người dân", "người đứng đầu" are thesaurus phrases the plans write; the dictionary's "dân
    # dược", "đầu số" (which no plan uses) no longer take their last syllable. A phrase that is
    # only the user's wording still stops before a word ("bao nhieu phan | tram", above).
    q = shipped_kb.read("ty le nguoi dan duoc cap dinh danh dien tu la bao nhieu")
    assert "nguoi_dan" in q.terms and "dan_duoc" not in q.terms
    q = shipped_kb.read("nguoi dung dau so tai chinh chiu trach nhiem gi")
    assert "nguoi_dung_dau" in q.terms and "dau_so" not in q.terms
    # End to end on the shipped plans: the unmarked question finds the marked one's clause.
    marked = shipped_kb.search("Tỷ lệ người dân được cấp định danh điện tử là bao nhiêu")
    unmarked = shipped_kb.search("ty le nguoi dan duoc cap dinh danh dien tu la bao nhieu")
    assert marked.answered and unmarked.answered
    assert unmarked.results[0].clause_id == marked.results[0].clause_id


def test_a_rare_word_holding_a_function_syllable_is_read_as_syllables(shipped_kb: KnowledgeBase) -> None:
    # "thì bộ", "để dân", "ở mọi" fold like dictionary words no plan uses ("thi_bo", "de_dan",
    # "o_moi") of a function syllable and one the plans use alone in many clauses: typed without
    # marks they are read as the syllables, as with marks.
    for unmarked, marked in (("thi bo nao phu trach chuyen doi so", "thì bộ nào phụ trách chuyển đổi số"),
                             ("de dan khong phai di lai nhieu lan thi lam gi",
                              "để dân không phải đi lại nhiều lần thì làm gì"),
                             ("dich vu cong o moi dia ban", "dịch vụ công ở mọi địa bàn")):
        assert shipped_kb.read(unmarked).terms == shipped_kb.read(marked).terms, unmarked
    # A dictionary word whose other syllable the plans rarely use alone stays a word ("căn cước",
    # "xe máy": everyday questions, still refused for lacking them).
    assert "can_cuoc" in shipped_kb.read("cach lam can cuoc cong dan").terms
    # Plan words of such syllables stay words ("đề xuất", "thí điểm", "cơ chế", "tự chủ").
    q = shipped_kb.read("de xuat thi diem co che tu chu")
    assert {"de_xuat", "thi_diem", "co_che", "tu_chu"} <= set(q.terms)


def test_a_gap_bounds_the_words_of_an_unmarked_question(shipped_kb: KnowledgeBase) -> None:
    # A place taken out of a contrasted premise ("của Hà Nội xếp 10/63, còn …") leaves "của | xếp",
    # not the dictionary's "cửa xếp"; a punctuation mark is a word edge too.
    q = shipped_kb.read("PAPI cua Ha Noi xep 10/63, con PAPI cua Da Nang xep hang may")
    assert "cua_xep" not in q.terms and "xep" in q.terms
    assert reader_breaks("ket qua den cuoi nam, hoc sinh", (0, 1, 2, 3, 4, 5, 6)) == frozenset({5})
    assert reader_breaks("nam 2025 the che", (0, 2, 3)) == frozenset({1})


def reader_breaks(text: str, keep: tuple[int, ...]) -> frozenset[int]:
    """`reader._breaks` over plain folded syllables (white space split)."""
    from knowledge.reader import _breaks

    return _breaks(lambda t: t.replace(",", " ").split(), text, keep, len(text.replace(",", " ").split()))


def test_an_unmarked_question_finds_what_the_marked_one_finds(shipped_kb: KnowledgeBase) -> None:
    # A probe of the mechanisms together on the shipped plans: a province whose name starts with
    # a chat form, "cải cách", the Party committee's resolution.
    marked = "Kế hoạch cải cách hành chính năm 2026 của Hà Tĩnh căn cứ nghị quyết nào của Tỉnh ủy về đẩy mạnh CCHC?"
    for question in (marked, strip_marks(marked)):
        answer = shipped_kb.search(question)
        assert answer.answered, question
        assert "12-NQ/TU" in answer.results[0].text, (question, answer.results[0].text)


def _in_scope_vietnamese() -> list[str]:
    out = []
    for name in ("dev_v2.jsonl", "heldout.jsonl", "dev.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            item = json.loads(line) if line.strip() else {}
            if item.get("expect_any") and item.get("kind") != "english" and strip_marks(item["q"]) != item["q"]:
                out.append(item["q"])
    return out


def test_marked_and_unmarked_questions_agree(shipped_kb: KnowledgeBase) -> None:
    # Measured over the 133 questions: the first clause the same for 128 (main before this work:
    # 122), all three the same for 90 (71). The floors sit a little below, so other ranking
    # changes can move a question or two.
    questions = _in_scope_vietnamese()
    first = top3 = 0
    for question in questions:
        a, b = shipped_kb.search(question), shipped_kb.search(strip_marks(question))
        ids_a = [r.clause_id for r in a.results[:3]] if a.answered else []
        ids_b = [r.clause_id for r in b.results[:3]] if b.answered else []
        first += ids_a[:1] == ids_b[:1]
        top3 += ids_a == ids_b
    assert len(questions) >= 120
    assert first / len(questions) >= 0.94, (first, len(questions))
    assert top3 / len(questions) >= 0.62, (top3, len(questions))


def test_a_phrase_read_as_one_unit_searches_its_own_words(shipped_kb: KnowledgeBase) -> None:
    # Typed without marks, "co hieu luc" is read as one unit (a thesaurus phrase), a word no
    # clause holds: its own wording is searched as the clauses segment it, as the marked one's is.
    for marked in ("Văn bản này có hiệu lực từ ngày nào", "đánh giá cuối năm thế nào",
                   "người làm nhà nước nghỉ sinh con thì sao"):
        m, u = shipped_kb.read(marked), shipped_kb.read(strip_marks(marked))
        assert u.terms == m.terms
        assert {k: v[0] for k, v in u.alternatives.items()} == {k: v[0] for k, v in m.alternatives.items()}


def test_effective_date_probe_unmarked(shipped_kb: KnowledgeBase) -> None:
    # Its own words lost, "co_hieu_luc" matched no clause and the question was refused.
    answer = shipped_kb.search("Quy dinh danh gia xep loai can bo cong chuc o Hai Phong co hieu luc khi nao?")
    assert answer.answered
    assert "có hiệu lực" in answer.results[0].text


def test_an_unmarked_question_phrase_inside_a_word_is_not_asked(shipped_kb: KnowledgeBase) -> None:
    # "chi so nao" holds "so nao" (sở nào), but "chỉ số" is a word the plans use: no agency
    # question, and no "sở nào" phrase either; after a function word it still asks.
    which = shipped_kb.read("ke hoach nang nhung chi so nao")
    assert not which.intent.agency
    assert "chi_so" in which.terms
    assert shipped_kb.read("ke hoach giao so nao chu tri").intent.agency
    assert shipped_kb.read("co so nao phu trach khong").intent.agency
    assert shipped_kb.read("hn thi so nao phai lam").intent.agency


def test_a_province_after_its_kind_word_is_read(shipped_kb: KnowledgeBase) -> None:
    # "tinh Thanh Hoa": "tinh thanh" folds like "tỉnh thành" (provinces), but after "tỉnh",
    # "thành phố", "TP" a name starts; a straddle elsewhere is still no name ("truc tuyen quang").
    assert shipped_kb.read("ke hoach cua tinh Thanh Hoa nam 2025").provinces == ("Thanh Hóa",)
    assert shipped_kb.read("Pho Chu tich tinh Thanh Hoa luu y gi").provinces == ("Thanh Hóa",)
    assert shipped_kb.read("tinh lang son co ke hoach gi").provinces == ("Lạng Sơn",)
    assert shipped_kb.read("dich vu truc tuyen quang ninh").provinces == ("Quảng Ninh",)


def test_a_province_without_plans_after_its_kind_word_is_refused(shipped_kb: KnowledgeBase) -> None:
    # Read as "tỉnh thành | ... Nam", the province filter was lost and another plan answered.
    assert not shipped_kb.search("ke hoach cai cach hanh chinh cua tinh Quang Nam nam 2025 dat muc tieu gi").answered


def test_an_asking_word_bounds_an_unmarked_reading(shipped_kb: KnowledgeBase) -> None:
    # "so do ai ky" is "số | do ai ký" (by whom), not the everyday subject "sổ đỏ" before "ai".
    signed = shipped_kb.read("van ban nay so do ai ky")
    assert "so_do" not in signed.terms
    assert signed.subjects == ()
    assert shipped_kb.read("cap so do o dau").subjects == ("sổ đỏ",)  # elsewhere still the subject


def test_an_unmarked_reading_is_not_joined_again_by_the_thesaurus(shipped_kb: KnowledgeBase) -> None:
    # The unmarked reading weighed "so do" and left "so", "do" single: the thesaurus does not
    # join them again; read with marks (not `segmented`) the units are joined as before.
    reader = shipped_kb.reader
    assert reader._thesaurus(["so", "do", "ai_ky"], {}, segmented=True)[0] == ["so", "do", "ai_ky"]
    assert reader._thesaurus(["so", "do", "ai_ky"], {})[0][0] == "so_do"
    # A phrase over words of the reading is still joined ("hoàn thành | xuất sắc").
    assert reader._thesaurus(["hoan_thanh", "xuat_sac"], {}, segmented=True)[0] == ["hoan_thanh_xuat_sac"]


def test_a_word_the_reading_would_not_take_cuts_no_phrase(shipped_kb: KnowledgeBase) -> None:
    # "noi minh o | moi": "o moi" is a dictionary word no plan uses, read as "ở mọi/mới".
    assert "noi_minh_o" in shipped_kb.read("co phai ve dung noi minh o moi duoc lam thu tuc khong").terms


def test_signer_probe_unmarked(shipped_kb: KnowledgeBase) -> None:
    # Read "sổ đỏ", the everyday subject missing from every clause sank the signature block.
    answer = shipped_kb.search("Ke hoach phat trien kinh te so va xa hoi so do ai ky?")
    assert answer.answered
    assert "Mai Sơn" in answer.results[0].text
