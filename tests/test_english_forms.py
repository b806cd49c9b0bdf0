"""Issue 8, English questions: one morphological normaliser for the glossary and the question
(plural, -ing, -ed, British spelling, irregular forms as data), and a glossary grown from the
plans' own vocabulary, every Vietnamese side of which the plans use."""

from __future__ import annotations

from pathlib import Path

import pytest
from planwords import phrases_not_in_plans

from knowledge import KnowledgeBase
from knowledge.reader import EnglishForms, english_parts, is_english, language, translate_english

ROOT = Path(__file__).resolve().parent.parent
SECTION = "Grown from the plans' vocabulary"


def _forms(*known: str) -> EnglishForms:
    return EnglishForms({"fell": "fall", "news": "news"}, frozenset({"does", "this"}), frozenset(known),
                        frozenset(known))


@pytest.mark.parametrize(("word", "base"), [
    ("procedures", "procedure"), ("agencies", "agency"), ("dispatches", "dispatch"),
    ("digitised", "digitize"), ("digitising", "digitize"), ("digitisation", "digitization"),
    ("programmes", "program"), ("centres", "center"), ("labour", "labor"), ("analysed", "analyze"),
    ("running", "run"), ("stated", "state"), ("applied", "apply"), ("fell", "fall"),
])
def test_a_form_reaches_the_base_the_glossary_knows(word: str, base: str) -> None:
    forms = _forms("procedure", "agency", "dispatch", "digitize", "digitization", "program", "center",
                   "labor", "analyze", "run", "state", "apply", "fall")
    assert forms.base(word) == base


def test_a_form_whose_base_the_glossary_does_not_know_stays_as_typed() -> None:
    forms = _forms("procedure")
    # Not in the glossary: kept as typed (an unknown word is searched as the user wrote it).
    assert forms.base("redesigns") == "redesigns" and forms.base("blockchains") == "blockchains"
    # Function words, short words and words that only look inflected are never reduced.
    assert forms.base("does") == "does" and forms.base("has") == "has" and forms.base("news") == "news"
    assert forms.base("process") == "process" and forms.base("status") == "status"
    assert forms.base_text("the procedures, this news") == "the procedure, this news"
    # A three-letter base only when the glossary lists it alone: "named" is not "nam" (Viet Nam).
    assert EnglishForms({}, frozenset(), frozenset({"nam"}), frozenset()).base("named") == "named"


def test_a_changed_normaliser_forgets_the_bases_it_looked_up() -> None:
    from dataclasses import replace

    forms = _forms("state")
    assert forms.base("states") == "state"
    # Words protected afterwards (a form with a sense of its own) are not answered from the memo.
    assert replace(forms, irregular={"states": "states"}).base("states") == "states"


def test_the_shipped_glossary_is_reached_by_every_form() -> None:
    t = translate_english
    assert t("digitised records") == t("digitized record") == t("digitize records")
    assert t("the programmes") == t("the program")
    assert "công văn" in t("Which official letters") and "xin lỗi" in t("they apologised")
    assert "năm liên tiếp" in t("for the second year running") and "liên tiếp" in t("three years in a row")
    assert "trễ hẹn" in t("results returned late") and "chuỗi khối" in t("blockchain platforms")
    # A target's horizon for any year, not a line per year.
    assert "đến năm 2027" in t("what share by 2027") and "đến năm 2030" in t("by 2030")
    # A form listed with a sense of its own keeps it ("provinces" → localities, "staffing"; a
    # civil servant "rated" is graded, data "shared" is common, neither a "rate" nor a "share").
    assert t("provinces") != t("province") and "biên chế" in t("staffing")
    assert t("rated") == "xếp loại" and t("shared") == "dùng chung" and t("rate") == "tỷ lệ"
    # Words no entry renders are kept as typed, for the untranslated weight.
    assert english_parts("which gizmos")[1] == frozenset({"gizmos"})


def test_english_is_told_by_inflected_field_words_too() -> None:
    # One function word: the glossary's words decide, in any form.
    assert is_english("what fees apply to hiring consultants")


def test_every_vietnamese_side_of_the_grown_glossary_occurs_in_the_shipped_plans() -> None:
    checked, missing = phrases_not_in_plans("english.tsv", SECTION)
    assert checked >= 300
    assert missing == []


def test_no_two_forms_of_one_entry_disagree_silently() -> None:
    # Two glossary lines whose English reduces to one key either agree on the first
    # translation or the inflected one keeps its own sense (it is not reduced).
    lang = language()
    rows = [line.split("\t") for line in (ROOT / "knowledge/lang/english.tsv").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#") and "\t" in line and line.split("\t")[1].strip()]
    for en, vi in ((r[0].lower(), r[1].split("|")[0].strip()) for r in rows):
        key = lang.english_forms.base_text(en)
        if key != en and " " not in en:
            assert lang.english[key] == vi or lang.english.get(en) == vi, en


@pytest.mark.parametrize(("question", "expected"), [
    # A British/plural form reaching the entry of its base ("programmes", "digitised").
    ("Must all still-valid procedure results in the construction sector be digitised?",
     "100% kết quả giải quyết TTHC còn hiệu lực được số hóa"),
    # Field words grown from the plans: blockchain, behind time/apologise, in a row.
    ("Does the Digital Government Programme build a national blockchain platform?", "chuỗi khối"),
    ("Which official letter of the Ministry of Home Affairs guided Nghe An's 2025 reform plan?",
     "Công văn số 4625/BNV-CCHC"),
])
def test_english_questions_with_inflected_and_field_words_over_the_shipped_plans(
        shipped_kb: KnowledgeBase, question: str, expected: str) -> None:
    answer = shipped_kb.search(question, top=3)
    assert answer.answered and any(expected in r.text for r in answer.results), question


@pytest.mark.parametrize("question", [
    "How do I open a bank account online?",
    "How can I apply for a job at a tech company?",
    "How do I get a work permit for foreign experts?",
    "How do I renew my passport online?",
    "How many people live in Can Tho city?",
    "What are the best restaurants in Hanoi?",
])
def test_everyday_english_questions_stay_refused_with_the_grown_glossary(
        shipped_kb: KnowledgeBase, question: str) -> None:
    # Words of the field that also name everyday subjects (bank, job, foreign, renew) are left
    # out of the glossary or the subject is translated (lang/english.tsv, everyday subjects).
    assert not shipped_kb.search(question).answered, question


def test_english_question_shapes_get_the_vietnamese_intent(shipped_kb: KnowledgeBase) -> None:
    # "When must … be completed?" asks for a deadline, "what score" for a figure, "achieved" for a
    # result, "ranked last" for the lowest: the intents the Vietnamese wording gets.
    assert shipped_kb.read("When must the national data centre be completed?").intent.deadline
    assert shipped_kb.read("What score did Cao Bang get in PAPI 2024?").intent.figure
    assert shipped_kb.read("What was achieved in 2024?").intent.result
    q = shipped_kb.read("Which province ranked last in the PAR Index?")
    assert q.intent.extreme and q.intent.ranking
    answer = shipped_kb.search("When must the national data centre and the unified cloud platform be completed "
                               "under the Digital Government Programme?")
    assert answer.answered
    assert "Trung tâm Dữ liệu quốc gia và nền tảng điện toán đám mây thống nhất" in answer.results[0].text


def test_british_spelling_shortcut_changes_no_word() -> None:
    """A word with no ending the spelling patterns rewrite skips them (cold start): every
    glossary word and some edge cases spell exactly as all six patterns applied would."""
    from knowledge.reader import _EN_SPELLING, _american, _data_lines

    def slow(word: str) -> str:
        for pattern, repl in _EN_SPELLING:
            word = pattern.sub(repl, word)
        return word

    glossary = {w for row in _data_lines("english.tsv") for w in row[0].lower().split()}
    edge = {"organise", "organisations", "analyses", "theatre", "colours", "catalogue", "programmes", "rise",
            "our", "tre", "is", "organise\n", "programme", "x", ""}
    assert {w for w in glossary | edge if _american(w) != slow(w)} == set()
    assert _american("organisations") == "organizations" and _american("centre") == "center"
