"""What the web chat says and shows, in one place: the page's own Vietnamese wording, and the
answer and document card as data the page draws with DOM text nodes.

The wording of answers is Telegram's (`handlers.replies`, pure functions that never import
`telegram`), rendered through `WebText`, a formatter that marks nothing up: the page never
receives HTML built from document or user text, only strings it puts in `textContent`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from handlers import replies
from knowledge.base import KnowledgeBase
from knowledge.models import MAX_QUESTION, Answer, DocumentMeta, Result

# --- the page's own wording (everything else comes from handlers.replies) ------------------------

PAGE_TITLE = "Trợ lý cải cách hành chính"
PAGE_INTRO = ("Hỏi về kế hoạch cải cách hành chính của các tỉnh, thành phố và bộ, ngành. "
              "Câu trả lời là nguyên văn điều khoản trong văn bản, kèm số hiệu, ngày ban hành và đường dẫn.")
QUESTION_LABEL = "Câu hỏi của bạn"
QUESTION_PLACEHOLDER = "Ví dụ: tỷ lệ hồ sơ trực tuyến phải đạt bao nhiêu?"
SEND_BUTTON = "Gửi"
EXAMPLES_HEADING = "Câu hỏi mẫu"
ANSWERS_LABEL = "Các câu trả lời"
WAITING = "Đang tìm trong các văn bản…"
CLOSE_BUTTON = "Đóng"
FILE_LINK = "📥 Tải tệp văn bản"
OPEN_CHAT = "Hỏi trợ lý CCHC"
PRIVACY_NOTE = ("Trang này không dùng cookie. Câu hỏi được lưu để cải thiện trợ lý; "
                "địa chỉ máy của bạn chỉ được lưu dưới dạng mã băm, không thể lần ra bạn.")
NETWORK_ERROR = "Không kết nối được với máy chủ. Bạn vui lòng thử lại sau ít phút."
CARD_HEADING = "Thông tin văn bản"
UP_LABEL = "👍 Câu trả lời hữu ích"
DOWN_LABEL = "👎 Câu trả lời chưa hữu ích"

# Errors of the JSON API: code → what the user reads.
ERRORS: dict[str, str] = {
    "bad_json": "Nội dung gửi lên không đúng định dạng JSON.",
    "bad_request": "Yêu cầu thiếu hoặc sai thông tin.",
    "empty_question": replies.EMPTY_QUESTION,
    "too_large": "Nội dung gửi lên quá lớn.",
    "rate_limited": "Bạn đang hỏi hơi nhanh 🙏 — vui lòng đợi khoảng {seconds} giây rồi hỏi tiếp nhé.",
    "stale": replies.STALE_BUTTON,
    "not_found": "Không tìm thấy nội dung này.",
    "no_document": "Không tìm thấy văn bản này. Danh sách văn bản: /api/documents.",
    "no_file": "Văn bản này không có tệp lưu trên máy chủ.",
    "method_not_allowed": "Phương thức này không được hỗ trợ ở địa chỉ này.",
    "forbidden": "Không có quyền truy cập.",
    "origin_not_allowed": "Trang nhúng này chưa được phép gọi trợ lý.",
    "no_usage_log": replies.USAGE_LOG_OFF,
    "reload_busy": replies.RELOAD_BUSY,
    "reload_unavailable": replies.ADMIN_UNAVAILABLE,
    "error": replies.ERROR_REPLY,
}


def error_message(code: str, **figures: Any) -> str:
    """The Vietnamese sentence for an API error code."""
    return ERRORS.get(code, ERRORS["error"]).format(**figures)


def page_texts(title: str | None = None) -> dict[str, Any]:
    """Every label the page's script shows, handed to it as JSON data (never as markup)."""
    return {
        "title": title or PAGE_TITLE,
        "send": SEND_BUTTON,
        "waiting": WAITING,
        "more": replies.MORE_BUTTON,
        "back": replies.BACK_BUTTON,
        "source": replies.sources_button_label(None),
        "up": replies.FEEDBACK_UP,
        "down": replies.FEEDBACK_DOWN,
        "up_label": UP_LABEL,
        "down_label": DOWN_LABEL,
        "thanks": replies.FEEDBACK_THANKS,
        "already": replies.FEEDBACK_ALREADY,
        "no_more": replies.NO_MORE,
        "close": CLOSE_BUTTON,
        "full_text": replies.FULL_TEXT_LINK,
        "file": FILE_LINK,
        "excerpt": replies.EXCERPT_HEADING,
        "network_error": NETWORK_ERROR,
        "card_heading": CARD_HEADING,
        "max_question": MAX_QUESTION,
    }


# --- answers and cards as data -------------------------------------------------------------------

class WebText(replies.Plain):
    """The replies' wording without markup, and without inline URLs: links are their own field."""

    plain = False  # suggestions are buttons on the page, as on Telegram

    def link(self, text: str, url: str | None) -> str:
        return text

    def quote(self, text: str, *, expandable: bool = False) -> str:
        return text


TEXT = WebText()


def cap_question(text: str) -> str:
    """White space collapsed and cut at the limit Telegram questions are cut at."""
    text = " ".join(text.split())
    if len(text) > MAX_QUESTION:
        text = replies.shorten(text, MAX_QUESTION).rstrip("…")
    return text


def pieces(text: str, result: Result) -> list[dict[str, Any]]:
    """A clause as [{"text", "bold"}] pieces, the target figures bold (as on Telegram)."""
    return [{"text": piece, "bold": bold} for piece, bold in replies.highlight_pieces(text, result.targets)]


def _figure(result: Result) -> list[dict[str, Any]] | None:
    """The "🎯 tối thiểu **80%** (đến năm 2025)" heading of a result, as pieces; None without one."""
    figures = [t for t in result.targets if t.value_text and t.kind != "result"]
    if not figures:
        return None
    summary = replies.target_summary(figures[0])
    value = figures[0].value_text
    at = summary.find(value)
    if at < 0:
        return [{"text": "🎯 " + summary, "bold": False}]
    out = [{"text": "🎯 " + summary[:at], "bold": False}, {"text": value, "bold": True}]
    if summary[at + len(value):]:
        out.append({"text": summary[at + len(value):], "bold": False})
    return out


def public_url(url: str | None) -> str | None:
    """A document's link when it is an http(s) URL (anything else, e.g. javascript:, is dropped)."""
    return url if url and re.match(r"https?://", url, re.IGNORECASE) else None


def doc_ids(kb: KnowledgeBase) -> dict[str, int]:
    """Document file → its id in this index (ids are the API's; paths never are)."""
    return {meta.file: doc_id for doc_id, meta in kb.docs.items()}


def answer_view(kb: KnowledgeBase, answer: Answer, offset: int, suggestions: Sequence[str]) -> dict[str, Any]:
    """What the page shows for one answer page: the same blocks as Telegram's, as text pieces."""
    if not answer.answered or not answer.results:
        small_talk = replies.small_talk_kind(answer.question)
        if small_talk == "greeting":
            said = replies.greeting_reply(TEXT)
        elif small_talk == "thanks":
            said = replies.thanks_reply(TEXT)
        else:
            said = replies.not_answered_text(answer.question, suggestions, TEXT, notes=answer.notes)
        return {"header": None, "notes": [], "results": [], "not_answered": said,
                "suggestions": list(suggestions) if not small_talk else []}
    ids = doc_ids(kb)
    blocks = replies.answer_blocks(answer, offset, TEXT)
    results = []
    for i, r in enumerate(answer.results):
        results.append({
            "number": offset + i + 1,
            "clause_id": r.clause_id,
            "doc_id": ids.get(r.meta.file),
            "figure": _figure(r),
            "pieces": pieces(r.text, r),
            "source": "📌 " + replies.source_text(r.meta),
            "url": public_url(r.meta.source_url),
        })
    return {"header": blocks[0], "notes": replies.note_lines(answer.notes, TEXT) if offset == 0 else [],
            "results": results, "not_answered": None, "suggestions": []}


def meta_json(doc_id: int, meta: DocumentMeta) -> dict[str, Any]:
    """One document in the API's list (no server path: the file is fetched by id)."""
    return {
        "id": doc_id,
        "name": replies.document_name(meta),
        "title": meta.title,
        "document": meta.document,
        "type": replies.document_type(meta.document),
        "issued": meta.issued,
        "province": meta.province,
        "province_current": meta.province_current,
        "signer": meta.signer,
        "source_url": public_url(meta.source_url),
        "file_url": f"/api/documents/{doc_id}/file",
    }


def card_json(kb: KnowledgeBase, doc_id: int, clause: Result | None) -> dict[str, Any]:
    """The document card: its lines as Telegram words them, links apart, the clause in context."""
    meta = kb.docs[doc_id]
    lines = [line for line in replies.document_card(meta, fmt=TEXT).split("\n")
             if line and line != replies.FULL_TEXT_LINK]
    card: dict[str, Any] = {**meta_json(doc_id, meta), "lines": lines, "excerpt": None}
    if clause is not None:
        around = kb.neighbours(clause.clause_id)
        card["excerpt"] = {
            "section": replies.section_label(clause.section) if clause.section else None,
            "before": [replies.shorten(n.text, 700) for n in around if n.clause_id < clause.clause_id],
            "clause": pieces(clause.text, clause),
            "after": [replies.shorten(n.text, 700) for n in around if n.clause_id > clause.clause_id],
        }
    return card
