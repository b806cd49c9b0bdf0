"""Issue 8, metadata answers that show the date and its basis: a question asking when a document
takes effect or was issued is answered by one result quoting, verbatim and from the same
document, the statement ranked first and the one it rests on or resolves to — the article "…
có hiệu lực thi hành kể từ ngày ký" and the header field "Ngày có hiệu lực: 27/08/2025", the
date line and the field "Ngày ban hành: …" — while an article stating its own date answers
alone. The JSON keeps `text` the document's words (pieces joined by " […] ") and lists the
pieces in `parts`; the Telegram reply and the command line quote each piece."""

from __future__ import annotations

from typing import Any

import pytest
from fakebotapi import visible

from handlers import replies
from knowledge import KnowledgeBase
from knowledge.decider import PIECES_SEPARATOR, date_role


@pytest.mark.parametrize(("text", "role"), [
    ("Ngày có hiệu lực: 27/08/2025", "field"),
    ("Ngày ban hành | 31/12/2025", "field"),
    ("Quảng Ninh, ngày 30 tháng 10 năm 2023", "date_line"),
    ("Điều 2. Quyết định có hiệu lực thi hành kể từ ngày ký.", "article"),
    ("Nghị quyết này áp dụng từ ngày 01 tháng 01 năm 2026.", "article"),
    ("Nâng cao hiệu lực, hiệu quả hoạt động của bộ máy hành chính nhà nước.", ""),
    ("Ngày 30/12/2025, Văn phòng UBND tỉnh Lai Châu ban hành Kế hoạch số 1888/KH-VPUBND.", ""),
])
def test_what_a_clause_is_among_a_documents_statements_of_its_dates(text: str, role: str) -> None:
    assert date_role(text) == role


def test_an_article_taking_effect_on_signing_is_joined_with_the_date_it_resolves_to(
        shipped_kb: KnowledgeBase) -> None:
    answer = shipped_kb.search("Quyết định 3470/QĐ-UBND của Hải Phòng có hiệu lực từ ngày nào?")
    first = answer.results[0]
    assert [p["role"] for p in first.parts] == ["article", "field"]
    assert first.parts[0]["text"] == "Điều 2. Quyết định có hiệu lực thi hành kể từ ngày ký."
    assert first.parts[1]["text"] == "Ngày có hiệu lực: 27/08/2025"
    assert first.text == PIECES_SEPARATOR.join(p["text"] for p in first.parts)
    # Both pieces are the document's own clauses, and the field is not shown again below.
    assert all(first.meta.document == "3470/QĐ-UBND" for _ in first.parts)
    assert all(r.text != "Ngày có hiệu lực: 27/08/2025" for r in answer.results[1:])
    as_json = answer.to_json()["results"][0]
    assert as_json["parts"][1] == {"clause_id": first.parts[1]["clause_id"], "text": "Ngày có hiệu lực: 27/08/2025",
                                   "role": "field"}


def test_the_header_field_ranked_first_is_preceded_by_its_article(shipped_kb: KnowledgeBase) -> None:
    first = shipped_kb.search("Kế hoạch CCHC năm 2025 của tỉnh Nghệ An có hiệu lực từ ngày nào?").results[0]
    assert [p["role"] for p in first.parts] == ["article", "field"]
    assert first.parts[0]["text"].startswith("Điều 3. Quyết định này có hiệu lực thi hành kể từ ngày ký")
    assert "15/07/2025" in first.text


def test_an_article_stating_its_own_date_answers_alone(shipped_kb: KnowledgeBase) -> None:
    first = shipped_kb.search("Quyết định 212/2025/QĐ-UBND của Hải Phòng có hiệu lực từ ngày nào?").results[0]
    assert first.parts == []
    assert first.text == "Điều 2. Quyết định này có hiệu lực kể từ ngày 01 tháng 12 năm 2025."


def test_the_date_line_is_joined_with_the_field_giving_the_same_date(shipped_kb: KnowledgeBase) -> None:
    first = shipped_kb.search("Hà Tĩnh ban hành kế hoạch CCHC năm 2026 ngày nào?").results[0]
    assert [p["role"] for p in first.parts] == ["date_line", "field"]
    assert first.parts[0]["text"] == "Hà Tĩnh, ngày 31 tháng 12 năm 2025"
    assert first.parts[1]["text"] == "Ngày ban hành: 31/12/2025"


def test_other_metadata_questions_keep_one_clause(shipped_kb: KnowledgeBase) -> None:
    for question in ("Ai ký Quyết định 3369/QĐ-UBND của Hà Tĩnh?", "Kế hoạch 1888 ở Lai Châu ban hành ngày nào?"):
        answer = shipped_kb.search(question)
        assert answer.answered
        assert all(r.parts == [] for r in answer.results)


def test_the_command_line_quotes_both_pieces(shipped_kb: KnowledgeBase) -> None:
    text = replies.plain_answer(shipped_kb.search("QĐ 3470 Hải Phòng có hiệu lực từ ngày nào"))
    article = text.index("Điều 2. Quyết định có hiệu lực thi hành kể từ ngày ký.")
    label = text.index("Ngày cụ thể, theo văn bản:")
    field = text.index("Ngày có hiệu lực: 27/08/2025")
    assert article < label < field
    assert PIECES_SEPARATOR not in text  # each piece quoted on its own, not the joined text


async def test_the_telegram_reply_quotes_the_article_then_the_date(running_bot: Any) -> None:
    call = await running_bot.ask("Quyết định 3470 của Hải Phòng có hiệu lực từ lúc nào?")
    assert call.text.count("<blockquote") >= 2
    shown = visible(call.text)
    article = shown.index("Điều 2. Quyết định có hiệu lực thi hành kể từ ngày ký.")
    label = shown.index("📅 Ngày cụ thể, theo văn bản:")
    field = shown.index("Ngày có hiệu lực: 27/08/2025")
    assert article < label < field
    assert "Quyết định 3470/QĐ-UBND" in shown
