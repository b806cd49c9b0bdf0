"""Issue 8, metadata: whose proposal a document was issued on ("theo đề nghị của ai", "ai
trình", "ai đề xuất") asks for its preamble's "Theo đề nghị của … (tại Tờ trình …)": read as a
basis question (lang/intents.tsv), so that framing line is not ranked down as framing, and the
proposer is a slot (lang/thesaurus.tsv): a clause stating none ranks lower. An appendix's covering
line ("PHỤ LỤC II … (Kèm theo Quyết định số …)") frames the document but cites no basis
(lang/framing.txt "cover")."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("question", [
    "kế hoạch này ban hành theo đề nghị của ai",
    "quyết định được ký theo đề nghị của ai vậy",
    "ai trình kế hoạch cải cách hành chính",
    "ai đề xuất ban hành chương trình này",
])
def test_whose_proposal_is_a_basis_question_with_a_slot(shipped_kb: Any, question: str) -> None:
    q = shipped_kb.read(question)
    assert q.intent.basis
    assert q.slots


@pytest.mark.parametrize(("text", "cites"), [
    ("căn cứ luật tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", True),
    ("theo đề nghị của giám đốc sở nội vụ tại tờ trình số 38/ttr-snv.", True),
    ("phụ lục ii danh mục các nhiệm vụ (kèm theo quyết định số 2629/qđ-ttg)", False),
    ("(ban hành kèm theo quyết định số 212/2025/qđ-ubnd)", False),
])
def test_a_covering_line_cites_no_basis(shipped_kb: Any, text: str, cites: bool) -> None:
    q = shipped_kb.read("kế hoạch căn cứ vào văn bản nào")
    assert q.cites_basis(text) is cites


def test_the_preamble_naming_the_proposer_answers(shipped_kb: Any) -> None:
    answer = shipped_kb.search("QĐ 2629/QĐ-TTg phê duyệt chương trình Chính phủ số là theo đề nghị của ai")
    assert answer.answered
    assert answer.results[0].text == "Theo đề nghị của Bộ trưởng Bộ Khoa học và Công nghệ."
