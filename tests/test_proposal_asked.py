"""Issue 8, metadata: whose proposal a document was issued on ("theo đề nghị của ai", "ai
trình", "ai đề xuất") asks for its preamble's "Theo đề nghị của … (tại Tờ trình …)": read as a
basis question (lang/intents.tsv), so that framing line is not ranked down as framing, and the
proposer is a slot (lang/thesaurus.tsv): a clause stating none ranks lower."""

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


def test_the_preamble_naming_the_proposer_answers(shipped_kb: Any) -> None:
    answer = shipped_kb.search("QĐ 2629/QĐ-TTg phê duyệt chương trình Chính phủ số là theo đề nghị của ai")
    assert answer.answered
    assert "Theo đề nghị của Bộ trưởng Bộ Khoa học và Công nghệ." in [r.text for r in answer.results[:3]]
