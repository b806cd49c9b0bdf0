"""Every word the bot says and every piece of HTML it sends, in one place.

Telegram messages use HTML parse mode; the console chat and `bot.py ask` use plain text. Both are
rendered by the same functions through a small formatter (`HTML` / `PLAIN`), so the wording has a
single source. Every piece of document or user text goes through `fmt.esc()` before it is placed
in a message: a clause containing `<`, `&` or `>` must reach the user intact.

Nothing here talks to Telegram or the database; these are pure functions, easy to unit test.
"""

from __future__ import annotations

import base64
import binascii
import errno
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from handlers.lang import text as _t
from knowledge import numbers
from knowledge.base import Overview, TaskRow
from knowledge.models import Answer, DocumentError, DocumentMeta, Result, Target
from knowledge.tasks import deadline_end
from knowledge.text import fold

if TYPE_CHECKING:
    # Named in signatures only. Imported for real, the library (and through it the index
    # builder), the reloader and the usage log would load with every answer's wording: a cold
    # `bot.py ask` paid 0.2 s for them; /sosanh's and /hanchot's modules load with their first
    # reply (issue 14: ~25 ms of a cold start).
    from knowledge.compare import Bar, Comparison, Group, Line, Scope
    from knowledge.deadlines import Deadlines
    from knowledge.library import Found, LibraryError, Preview
    from knowledge.reload import Change, DocSummary, ReloadResult
    from knowledge.usage import UsageStats

# Telegram's limit is 4,096 characters of message text after entity parsing, counted in UTF-16
# code units. The HTML source is always at least as long as the parsed text, so measuring the
# source in UTF-16 units is a safe upper bound.
MAX_MESSAGE = 4096
# Clauses longer than this are quoted in an expandable blockquote so three results stay readable
# (the engine caps clauses near 320 characters, so this catches the longest third or so).
EXPANDABLE_FROM = 240
# Inline results: title/description are shown in a narrow list.
INLINE_TITLE = 80
INLINE_DESCRIPTION = 160

# --- commands ------------------------------------------------------------------------------------

# The public commands, in menu order; their menu line and /help usage come from the catalogs
# ("cmd.<name>", "cmd.<name>.usage_html"). The menu set at start-up, /help and the README all
# come from these lists; a test checks they agree.
PUBLIC_COMMANDS = ("start", "help", "muctieu", "sosanh", "nhiemvu", "hanchot", "theodoi", "huytheodoi", "xuat",
                   "tinh", "vanban", "privacy", "lang")
# Commands the console chat answers (a citizen's commands that need no Telegram).
CONSOLE_COMMANDS = ("start", "help", "muctieu", "sosanh", "nhiemvu", "hanchot", "xuat", "tinh", "vanban", "privacy")


def commands(lang: str = "vi", names: Sequence[str] = PUBLIC_COMMANDS) -> list[tuple[str, str, str]]:
    """(command, menu description, /help usage as HTML) in `lang`."""
    return [(n, _t(lang, f"cmd.{n}"), _t(lang, f"cmd.{n}.usage_html")) for n in names]


COMMANDS: list[tuple[str, str, str]] = commands("vi")
ADMIN_COMMANDS: list[tuple[str, str, str]] = [
    ("thongke", "Thống kê sử dụng (quản trị)", "/thongke — số câu hỏi, tỷ lệ trả lời được, độ trễ, chủ đề"),
    ("chuatraloi", "Câu hỏi chưa trả lời được (quản trị)",
     "/chuatraloi — các câu hỏi chưa trả lời được, hay gặp nhất (gộp câu giống nhau)"),
    ("reload", "Cập nhật dữ liệu từ thư mục kế hoạch (quản trị)",
     "/reload — cập nhật dữ liệu từ thư mục kế hoạch, báo văn bản thêm/sửa/bỏ; "
     "/reload force — cập nhật và bỏ qua các tệp lỗi"),
    ("xoa", "Xoá một văn bản (quản trị)",
     "/xoa &lt;số hiệu&gt; — chuyển văn bản vào thùng rác (trash/) rồi cập nhật, ví dụ: /xoa 4168/QĐ-UBND"),
    ("khoiphuc", "Khôi phục văn bản đã xoá (quản trị)",
     "/khoiphuc &lt;số hiệu&gt; — lấy lại văn bản từ thùng rác rồi cập nhật"),
]
# Shown under the admin commands in /help: adding a document needs no command.
ADMIN_UPLOAD_HINT = ("Gửi tệp .txt, .md, .docx, .doc hoặc .pdf cho bot để thêm hoặc thay một văn bản "
                     "(xem trước, rồi bấm xác nhận).")

# Shown as buttons on /start and as tips in inline mode; each is answered by the shipped plans.
EXAMPLE_QUESTIONS: list[str] = [
    "Tỷ lệ thanh toán trực tuyến phải đạt bao nhiêu?",
    "Mục tiêu về dịch vụ công trực tuyến toàn trình?",
    "Chỉ số hài lòng của người dân cần đạt bao nhiêu?",
]


# --- formatters ----------------------------------------------------------------------------------

class Html:
    """Telegram HTML: escaped text, real tags."""

    plain = False

    def esc(self, text: str) -> str:
        """Escape user or document text for HTML parse mode."""
        return html.escape(text, quote=False)

    def b(self, text: str) -> str:
        """Bold (text already escaped)."""
        return f"<b>{text}</b>"

    def i(self, text: str) -> str:
        """Italic (text already escaped)."""
        return f"<i>{text}</i>"

    def code(self, text: str) -> str:
        """Monospace (text already escaped)."""
        return f"<code>{text}</code>"

    def link(self, text: str, url: str | None) -> str:
        """A link when the URL is usable, else the text alone (text already escaped)."""
        if not url or not re.match(r"https?://", url):
            return text
        return f'<a href="{html.escape(url, quote=True)}">{text}</a>'

    def quote(self, text: str, *, expandable: bool = False) -> str:
        """A blockquote (text already escaped); long ones collapse so the answer stays short."""
        tag = "<blockquote expandable>" if expandable else "<blockquote>"
        return f"{tag}{text}</blockquote>"


class Plain(Html):
    """Plain text for the console chat and `bot.py ask`: same wording, no markup."""

    plain = True

    def esc(self, text: str) -> str:
        return text

    def b(self, text: str) -> str:
        return text

    def i(self, text: str) -> str:
        return text

    def code(self, text: str) -> str:
        return text

    def link(self, text: str, url: str | None) -> str:
        if not url or not re.match(r"https?://", url):
            return text
        return f"{text}\n   {url}"

    def quote(self, text: str, *, expandable: bool = False) -> str:
        return "\n".join("   │ " + line for line in text.splitlines() or [""])


HTML = Html()
PLAIN = Plain()


# --- documents and sources -----------------------------------------------------------------------

# The type code inside a document number ("1256/QĐ-UBND" → "QĐ"), folded (đ → d), to its name.
DOC_TYPES: dict[str, str] = {
    "qd": "Quyết định",
    "kh": "Kế hoạch",
    "nq": "Nghị quyết",
    "ct": "Chỉ thị",
    "ctr": "Chương trình",
    "tb": "Thông báo",
    "hd": "Hướng dẫn",
    "bc": "Báo cáo",
    "ttr": "Tờ trình",
    "cv": "Công văn",
    "da": "Đề án",
    "qc": "Quy chế",
    "qydd": "Quy định",
    "qyd": "Quy định",
    "nd": "Nghị định",
    "tt": "Thông tư",
    "ttlt": "Thông tư liên tịch",
    "l": "Luật",
}


def document_type(number: str | None) -> str | None:
    """The document type named by its number: "1256/QĐ-UBND" → "Quyết định", "76/2021/NQ-CP" →
    "Nghị quyết"; None when the number carries no known code."""
    if not number:
        return None
    last = number.rsplit("/", 1)[-1]
    code = re.split(r"[-–\s]", last.strip(), maxsplit=1)[0]
    return DOC_TYPES.get(fold(code))


def format_date(issued: str | None, lang: str = "vi") -> str:
    """'2021-12-22' → 'ngày 22/12/2021', '2021' → 'năm 2021', else ''."""
    if not issued:
        return ""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", issued.strip())
    if m:
        return _t(lang, "date.day", day=f"{int(m.group(3)):02d}", month=f"{int(m.group(2)):02d}",
                    year=m.group(1))
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", issued.strip())
    if m:
        if m.group(2):
            return _t(lang, "date.month", month=f"{int(m.group(2)):02d}", year=m.group(1))
        return _t(lang, "date.year", year=m.group(1))
    return issued


def province_label(meta: DocumentMeta, lang: str = "vi") -> str:
    """"Quảng Ngãi", or "Bắc Giang, nay là Bắc Ninh" when the province was merged since."""
    then, now = meta.province, meta.province_current
    if then and now and fold(then) != fold(now):
        return _t(lang, "province.now", then=then, now=now)
    return then or now or ""


def document_name(meta: DocumentMeta) -> str:
    """"Quyết định 1256/QĐ-UBND", or the title / file name when the number is unknown."""
    if meta.document:
        kind = document_type(meta.document)
        return f"{kind} {meta.document}" if kind else f"Văn bản {meta.document}"
    return meta.title or meta.file


def source_text(meta: DocumentMeta, lang: str = "vi", *, key: str = "source.line") -> str:
    """The unformatted source line: "Theo Quyết định 1256/QĐ-UBND ngày 22/12/2021 (Quảng Ngãi)"
    (in English: "Quoted verbatim from Quyết định 1256/QĐ-UBND of 22/12/2021 (Quảng Ngãi):");
    `key="source.of"` for a line that follows the text, or names a file ("From …" in English)."""
    return _t(lang, key, document=source_document(meta, lang))


def source_document(meta: DocumentMeta, lang: str = "vi") -> str:
    """The document as a source line names it: "Quyết định 1256/QĐ-UBND ngày 22/12/2021 (Quảng Ngãi)"."""
    parts = [document_name(meta)]
    date = format_date(meta.issued, lang)
    if date:
        parts.append(date)
    where = province_label(meta, lang)
    return " ".join(parts) + (f" ({where})" if where else "")


def source_line(meta: DocumentMeta, fmt: Html = HTML, lang: str = "vi") -> str:
    """The source line, linked to the document's public URL."""
    return "📌 " + fmt.link(fmt.esc(source_text(meta, lang)), meta.source_url)


# --- clauses ------------------------------------------------------------------------------------

def _figure_spans(text: str, targets: Sequence[Target]) -> list[tuple[int, int]]:
    """Non-overlapping spans of each target's figure inside the clause (first occurrence each)."""
    spans: list[tuple[int, int]] = []
    for t in targets:
        needle = (t.value_text or "").strip()
        if not needle:
            continue
        start = 0
        while True:
            pos = text.find(needle, start)
            if pos < 0:
                break
            end = pos + len(needle)
            # Don't bold "80" inside "180" or "2080": the figure must stand alone.
            before = text[pos - 1] if pos > 0 else " "
            after = text[end] if end < len(text) else " "
            standalone = not (before.isalnum() and needle[0].isalnum()) and not (
                after.isalnum() and needle[-1].isalnum()
            )
            if standalone and all(end <= s or pos >= e for s, e in spans):
                spans.append((pos, end))
                break
            start = pos + 1
    return sorted(spans)


def highlight_pieces(text: str, targets: Sequence[Target]) -> list[tuple[str, bool]]:
    """The clause as (piece, is_figure) pairs in order, each target figure its own piece: the
    web page draws them as text nodes, Telegram as escaped text and <b>."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for s, e in _figure_spans(text, targets):
        if s > pos:
            out.append((text[pos:s], False))
        out.append((text[s:e], True))
        pos = e
    if pos < len(text) or not out:
        out.append((text[pos:], False))
    return out


def highlight(text: str, targets: Sequence[Target], fmt: Html = HTML) -> str:
    """The clause escaped, each target figure in bold (escaping each piece, so no tag is ever
    built from document text)."""
    return "".join(fmt.b(fmt.esc(piece)) if bold else fmt.esc(piece)
                   for piece, bold in highlight_pieces(text, targets))


def with_qualifier(target: Target) -> str:
    """The figure with its qualifier: "tối thiểu 80%", "từ 30% trở lên" (qualifier "từ … trở lên")."""
    q = (target.qualifier or "").strip()
    if "…" in q:
        return q.replace("…", target.value_text, 1)
    return f"{q} {target.value_text}".strip()


def target_summary(target: Target, lang: str = "vi") -> str:
    """"tối thiểu 80% (đến năm 2025)" — the figure with its qualifier and deadline, unformatted."""
    summary = with_qualifier(target)
    if target.deadline:
        key = "target.until_year" if target.deadline[:1].isdigit() else "target.until"
        summary += f" ({_t(lang, key, deadline=target.deadline)})"
    return summary


def _bold_figure(escaped: str, value_text: str, fmt: Html) -> str:
    """Bold the first occurrence of the (escaped) figure inside already-escaped text."""
    needle = fmt.esc(value_text or "")
    return escaped.replace(needle, fmt.b(needle), 1) if needle else escaped


def result_block(result: Result, number: int | None, fmt: Html = HTML, lang: str = "vi") -> str:
    """One result: heading with the figure, the clause quoted, the source line (after the clause,
    or introducing it where the catalog says so: the English line before the Vietnamese clause)."""
    head = fmt.b(f"{number}.") if number is not None else ""
    # 🎯 marks a figure to reach; a result already reached ("năm 2024 đạt 75%") is never one.
    figures = [t for t in result.targets if t.value_text and t.kind != "result"]
    if figures:
        first = figures[0]
        summary = _bold_figure(fmt.esc(target_summary(first, lang)), first.value_text, fmt)
        head = f"{head} 🎯 {summary}".strip()
    body = _pieces_quoted(result, fmt, lang) if len(result.parts) > 1 else fmt.quote(
        highlight(result.text, result.targets, fmt), expandable=len(result.text) > EXPANDABLE_FROM)
    source = source_line(result.meta, fmt, lang)
    order = (head, source, body) if _t(lang, "source.first") == "yes" else (head, body, source)
    return "\n".join(line for line in order if line)


def _pieces_quoted(result: Result, fmt: Html, lang: str) -> str:
    """A result joining verbatim pieces of one document (an article, then the date it resolves
    to): each piece quoted on its own, a line saying what the next one is between them."""
    out: list[str] = []
    for i, part in enumerate(result.parts):
        if i:
            key = "answer.part.resolves" if result.parts[i - 1].get("role") == "article" else "answer.part.also"
            out.append(fmt.esc(_t(lang, key)))
        text = str(part.get("text", ""))
        out.append(fmt.quote(highlight(text, result.targets, fmt), expandable=len(text) > EXPANDABLE_FROM))
    return "\n".join(out)


# --- answers -------------------------------------------------------------------------------------

def _date_vi(iso: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    return f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m else iso


def note_lines(notes: Sequence[dict[str, Any]], fmt: Html = HTML, lang: str = "vi") -> list[str]:
    """The engine's explanations (Answer.notes) in the user's words: old province names, a
    province or a year with no plan, the English intro line, a question too short to search."""
    lines: list[str] = []
    for n in notes:
        kind = n.get("kind")
        provinces = ", ".join(n.get("provinces", []))
        if kind == "old_province":
            lines.append(fmt.esc(_t(lang, "note.old_province", province=n["province"], current=n["current"],
                                    since=_date_vi(str(n.get("since", ""))))))
        elif kind == "no_document" and n.get("numbers"):
            lines.append(fmt.esc(_t(lang, "note.no_number", numbers=", ".join(n["numbers"]))))
        elif kind == "no_document" and n.get("instead"):
            # An old province with no document of its own, answered from the province it merged
            # into: whose documents those are, never presented as the old province's.
            lines.append(fmt.esc(_t(lang, "note.no_document_instead", provinces=provinces,
                                    instead=_join_names([str(p) for p in n["instead"]], lang=lang))))
        elif kind == "no_document" and n.get("named_in"):
            # A province with no plan, answered from other documents' clauses that name it.
            lines.append(fmt.esc(_t(lang, "note.no_document_named", provinces=provinces,
                                    named=_join_names([str(p) for p in n["named_in"]], lang=lang))))
        elif kind == "no_document":
            listed = _join_names([str(p) for p in n.get("available", [])], lang=lang)
            lines.append(fmt.esc(_t(lang, "note.no_document_held" if listed else "note.no_document",
                                    provinces=provinces, available=listed)))
        elif kind == "no_year":
            years = _year_runs(n.get("available", []))
            asked = ", ".join(str(y) for y in n.get("years", []))
            line = _t(lang, "note.no_year_held" if years else "note.no_year",
                      years=asked, provinces=provinces, available=years)
            # An old province's years, then those of the province it merged into, each its own.
            for merged in n.get("current", []):
                if merged.get("available"):
                    line += " " + _t(lang, "note.no_year_current", current=merged["province"], provinces=provinces,
                                     available=_year_runs(merged["available"]))
            lines.append(fmt.esc(line))
        elif kind == "no_match":
            # "Is there a plan on …?" that no held document answers: what the province holds.
            lines.append(fmt.esc(_t(lang, "note.no_match", provinces=provinces,
                                    held="; ".join(str(t) for t in n.get("held", [])))))
        elif kind == "too_short":
            lines.append(fmt.esc(_t(lang, "note.too_short")) + " " + fmt.i(fmt.esc(EXAMPLE_QUESTIONS[0])))
        elif kind == "english":
            lines.append(fmt.esc(_t(lang, "note.english")))
    return lines


def answer_blocks(answer: Answer, offset: int = 0, fmt: Html = HTML, *,
                  more_hint: bool = False, lang: str = "vi") -> list[str]:
    """The answer as separate blocks (header, one per clause, footer) so a long answer can be
    split between clauses rather than inside one."""
    if not answer.answered or not answer.results:
        return [not_answered_text(answer.question, [], fmt, notes=answer.notes, lang=lang)]
    first, last = offset + 1, offset + len(answer.results)
    rng = f"{first}" if first == last else f"{first}–{last}"
    blocks = [f"🔎 {fmt.b(fmt.esc(_t(lang, 'answer.header', range=rng)))} {fmt.esc(_t(lang, 'answer.for'))} "
              f"{fmt.i(fmt.esc(shorten(answer.question, 200)))}"]
    if offset == 0 and answer.notes:
        lines = note_lines(answer.notes, fmt, lang)
        if any(n.get("kind") == "english" for n in answer.notes):
            # An English question: its one English line names the source of the first clause.
            lines[lines.index(fmt.esc(_t(lang, "note.english")))] = fmt.esc(
                _t(lang, "note.english_source", document=source_document(answer.results[0].meta, "en")))
        blocks.append("\n".join(lines))
    blocks += [result_block(r, offset + i + 1, fmt, lang) for i, r in enumerate(answer.results)]
    if answer.more and more_hint:
        blocks.append(fmt.esc(_t(lang, "answer.more_hint")))
    return blocks


def answer_html(answer: Answer, offset: int = 0, lang: str = "vi") -> list[str]:
    """The answer as Telegram HTML messages, each at most 4,096 characters."""
    return pack_blocks(answer_blocks(answer, offset, HTML, lang=lang))


def plain_answer(answer: Answer, offset: int = 0, *, more_hint: bool = False, lang: str = "vi") -> str:
    """The readable plain-text answer (`bot.py ask`, console chat): same wording as Telegram.

    `more_hint` adds the console's "type + for more" line when more results exist."""
    if not answer.answered or not answer.results:
        return not_answered_text(answer.question, [], PLAIN, notes=answer.notes, lang=lang)
    return "\n\n".join(answer_blocks(answer, offset, PLAIN, more_hint=more_hint, lang=lang))


def not_answered_text(question: str, suggestions: Sequence[str], fmt: Html = HTML, *,
                      notes: Sequence[dict[str, Any]] = (), lang: str = "vi") -> str:
    """The plans do not answer this; never a loosely related clause instead. The engine's notes
    (what is missing, a question too short) come first when it gave any."""
    said = note_lines([n for n in notes if n.get("kind") != "english"], fmt, lang)
    if any(n.get("kind") == "english" for n in notes):
        # An English question is told in English that the plans do not answer it, whatever
        # the interface's language.
        said.insert(0, fmt.esc(_t(lang, "note.english_none")))
    if said:
        return "\n".join(said)
    reply = fmt.esc(_t(lang, "not_answered")) + f" ({fmt.i(fmt.esc(shorten(question, 200)))})."
    if suggestions:
        if fmt.plain:
            reply += f"\n{_t(lang, 'not_answered.topics')}\n" + "\n".join(f" • {s}" for s in suggestions)
        else:
            reply += "\n" + fmt.esc(_t(lang, "not_answered.buttons"))
    else:
        reply += "\n" + fmt.esc(_t(lang, "not_answered.rephrase")) + " " + fmt.i(fmt.esc(EXAMPLE_QUESTIONS[0]))
    return reply


# Vietnamese wording under the names callers used before the catalogs (tests, the console).
MORE_BUTTON = _t("vi", "button.more")
MORE_HINT = _t("vi", "answer.more_hint")
BACK_BUTTON = _t("vi", "button.back")


def sources_button_label(number: int | None, lang: str = "vi") -> str:
    """Label of the document-card button for result `number` (None when only one result)."""
    return _t(lang, "button.sources") if number is None else _t(lang, "button.sources_n", number=number)


FEEDBACK_UP, FEEDBACK_DOWN = "👍", "👎"
FEEDBACK_THANKS = _t("vi", "feedback.thanks")
FEEDBACK_ALREADY = _t("vi", "feedback.already")
STALE_BUTTON = _t("vi", "button.stale")
NO_MORE = _t("vi", "button.no_more")
UNKNOWN_BUTTON = _t("vi", "button.unknown")


# --- small talk, hints, errors -------------------------------------------------------------------

_GREETINGS = {
    "xin chao", "chao", "chao bot", "chao ban", "chao em", "chao anh", "chao chi", "hello", "hi",
    "hey", "alo", "xin chao bot", "hello bot", "hi bot", "chao buoi sang", "chao buoi chieu",
}
_THANKS = {
    "cam on", "cam on bot", "cam on ban", "cam on nhe", "cam on nhieu", "xin cam on", "thanks",
    "thank you", "thank", "tks", "thanks bot", "ok cam on", "cam on em", "camon", "thank u", "ty",
}


def small_talk_kind(text: str) -> str | None:
    """"greeting", "thanks" or None: short social messages, with or without diacritics."""
    key = " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())
    if key in _GREETINGS:
        return "greeting"
    if key in _THANKS:
        return "thanks"
    return None


# Vietnamese wording under the names callers used before the catalogs.
ERROR_REPLY = _t("vi", "error")
UNKNOWN_COMMAND = _t("vi", "unknown_command")
ADMIN_ONLY = _t("vi", "admin_only")
ADMIN_PRIVATE_ONLY = _t("vi", "admin_private_only")
EMPTY_QUESTION = _t("vi", "empty_question")


def say(key: str, fmt: Html = HTML, lang: str = "vi") -> str:
    """A catalog message without placeholders, escaped for `fmt` (toasts, hints, usage lines)."""
    return fmt.esc(_t(lang, key))


def greeting_reply(fmt: Html = HTML, lang: str = "vi") -> str:
    """Reply to "xin chào"."""
    return fmt.esc(_t(lang, "greeting", example=EXAMPLE_QUESTIONS[0]))


def thanks_reply(fmt: Html = HTML, lang: str = "vi") -> str:
    """Reply to "cảm ơn"."""
    return fmt.esc(_t(lang, "thanks"))


def media_hint(fmt: Html = HTML, lang: str = "vi") -> str:
    """Reply to a sticker, photo, voice message..."""
    return fmt.esc(_t(lang, "media", example=EXAMPLE_QUESTIONS[0]))


def flood_wait(seconds: int, fmt: Html = HTML, lang: str = "vi") -> str:
    """Reply when a user asks more than the flood limit allows."""
    return fmt.esc(_t(lang, "flood", seconds=max(1, seconds)))


def lang_reply(lang: str, *, changed: bool, fmt: Html = HTML) -> str:
    """/lang: the confirmation in the new language, or how to use it (in the current one)."""
    return fmt.esc(_t(lang, "lang.set" if changed else "lang.usage"))


# --- /start, /help, /privacy ---------------------------------------------------------------------

def _year_runs(years: Sequence[int]) -> str:
    """Years as the plans write them: a run of three or more as a period ("2022, 2026–2030")."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) >= 3 else ", ".join(map(str, r)) for r in runs)


def _join_names(names: Sequence[str], limit: int = 12, *, lang: str = "vi") -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return _t(lang, "names.more", names=", ".join(names[:limit]), more=len(names) - limit)


def _years_text(years: Sequence[int]) -> str:
    ys = sorted(set(years))
    if not ys:
        return ""
    return str(ys[0]) if len(ys) == 1 else f"{ys[0]}–{ys[-1]}"


def _built_text(built_at: str) -> str:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", built_at or "")
    return f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m else (built_at or "")


def start_text(overview: Overview, fmt: Html = HTML, lang: str = "vi") -> str:
    """What the bot knows: plans, provinces, years, last update; then how to ask."""
    lines = [
        fmt.b(fmt.esc(_t(lang, "start.hello"))),
        "",
        fmt.esc(_t(lang, "start.intro")),
        fmt.esc(_t(lang, "start.counts", documents=overview.documents, clauses=overview.clauses,
                   targets=overview.targets)),
    ]
    if overview.provinces:
        lines.append(fmt.esc(_t(lang, "start.provinces", count=len(overview.provinces),
                                names=_join_names(overview.provinces, lang=lang))))
    if overview.years:
        lines.append(fmt.esc(_t(lang, "start.years", years=_years_text(overview.years))))
    if overview.built_at:
        lines.append(fmt.esc(_t(lang, "start.updated", date=_built_text(overview.built_at))))
    lines += ["", fmt.esc(_t(lang, "start.ask"))]
    if fmt.plain:
        lines += [f" • {q}" for q in EXAMPLE_QUESTIONS]
    lines.append(fmt.esc(_t(lang, "start.help_hint")))
    return "\n".join(lines)


def help_text(fmt: Html = HTML, *, console: bool = False, lang: str = "vi") -> str:
    """Every command with its usage (the README lists the same ones). The console chat lists
    only what a citizen can use there: no admin commands, no groups or inline mode."""
    def usage(line: str) -> str:
        # Usage strings are written as HTML (with &lt; &gt;); plain output unescapes them.
        return html.unescape(line) if fmt.plain else line

    lines = [
        fmt.b(fmt.esc(_t(lang, "help.title"))),
        fmt.esc(_t(lang, "help.how")),
        fmt.i(fmt.esc(EXAMPLE_QUESTIONS[0])),
        fmt.esc(_t(lang, "help.results")),
        "",
        fmt.b(fmt.esc(_t(lang, "help.commands"))),
        *[usage(u) for _, _, u in commands(lang, CONSOLE_COMMANDS if console else PUBLIC_COMMANDS)],
    ]
    if console:
        lines += ["", fmt.esc(_t(lang, "help.console"))]
        return "\n".join(lines)
    lines += [
        "",
        fmt.b(fmt.esc(_t(lang, "help.admin"))),
        *[usage(u) for _, _, u in ADMIN_COMMANDS],
        fmt.esc(ADMIN_UPLOAD_HINT),
        "",
        fmt.b(fmt.esc(_t(lang, "help.groups_title"))),
        fmt.esc(_t(lang, "help.groups")),
        fmt.b(fmt.esc(_t(lang, "help.inline_title"))),
        fmt.esc(_t(lang, "help.inline")),
    ]
    return "\n".join(lines)


def privacy_text(fmt: Html = HTML, lang: str = "vi") -> str:
    """What is kept about users, and why (exactly what `knowledge.usage` and the state file store)."""
    lines = [fmt.b(fmt.esc(_t(lang, "privacy.title")))]
    lines += [fmt.esc(_t(lang, f"privacy.{part}"))
              for part in ("questions", "feedback", "pseudonym", "state", "use")]
    return "\n".join(lines)


def start_deep_link(question: str) -> str | None:
    """The /start payload for a question (base64url, no padding), or None when over 64 chars."""
    payload = base64.urlsafe_b64encode(question.encode("utf-8")).decode("ascii").rstrip("=")
    return payload if 0 < len(payload) <= 64 else None


# Telegram allows A-Z a-z 0-9 _ - in start payloads; trailing "=" padding is tolerated.
_PAYLOAD_RE = re.compile(r"[A-Za-z0-9_-]{1,64}={0,2}")


def decode_start_payload(payload: str) -> str | None:
    """The question in a deep link: base64url-encoded UTF-8 text, else '_'-separated words.

    Never raises: anything odd yields None. Base64 is accepted only when it decodes to readable
    text with a space or a Vietnamese letter, since plain words ("thanh_toan") are also valid
    base64 alphabet and would decode to noise.
    """
    payload = (payload or "").strip()
    if not _PAYLOAD_RE.fullmatch(payload):
        return None
    payload = payload.rstrip("=")
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        text = ""
    if text and all(c.isprintable() for c in text) and any(c.isalpha() for c in text) and (
            " " in text or any(ord(c) > 127 for c in text)):
        text = " ".join(text.split())
        return text[:500] or None
    words = " ".join(w for w in payload.replace("-", " ").split("_") if w)
    return words if any(c.isalpha() for c in words) else None


# --- documents, provinces, targets ---------------------------------------------------------------

FULL_TEXT_LINK = _t("vi", "card.full_text")
EXCERPT_HEADING = _t("vi", "card.excerpt")


def section_label(section: str, lang: str = "vi") -> str:
    """The section a clause sits in, as the document card names it."""
    return _t(lang, "card.section", section=section)


def document_card(meta: DocumentMeta, clause: Result | None = None,
                  neighbours: Sequence[Result] = (), fmt: Html = HTML, lang: str = "vi") -> str:
    """A document's card: title, number, date, signer, province then and now, link; with the
    clause in its context when one is given."""
    lines = [f"📄 {fmt.b(fmt.esc(meta.title or document_name(meta)))}"]
    if meta.document:
        kind = document_type(meta.document)
        lines.append(fmt.esc(_t(lang, "card.number", number=meta.document) + (f" ({kind})" if kind else "")))
    date = format_date(meta.issued, lang)
    if date:
        lines.append(fmt.esc(_t(lang, "card.issued", date=date)))
    if meta.signer:
        lines.append(fmt.esc(_t(lang, "card.signer", signer=meta.signer)))
    if meta.province:
        lines.append(fmt.esc(_t(lang, "card.province", province=meta.province)))
    if meta.province_current and (not meta.province or fold(meta.province_current) != fold(meta.province)):
        lines.append(fmt.esc(_t(lang, "card.now", province=meta.province_current)))
    if meta.source_url:
        lines.append(fmt.link(fmt.esc(_t(lang, "card.full_text")), meta.source_url))
    if clause is not None:
        before = [n for n in neighbours if n.clause_id < clause.clause_id]
        after = [n for n in neighbours if n.clause_id > clause.clause_id]
        lines.append("")
        if clause.section:
            lines.append(fmt.i(fmt.esc(_t(lang, "card.section", section=clause.section))))
        lines.append(fmt.esc(_t(lang, "card.excerpt")))
        for n in before:
            lines.append(fmt.quote(fmt.esc(shorten(n.text, 700)), expandable=len(n.text) > EXPANDABLE_FROM))
        lines.append(fmt.quote("▶ " + highlight(clause.text, clause.targets, fmt),
                               expandable=len(clause.text) > EXPANDABLE_FROM))
        for n in after:
            lines.append(fmt.quote(fmt.esc(shorten(n.text, 700)), expandable=len(n.text) > EXPANDABLE_FROM))
    return "\n".join(lines)


def document_not_found(number: str, fmt: Html = HTML, lang: str = "vi") -> str:
    """/vanban with a number that is not in the data."""
    return fmt.esc(_t(lang, "document.not_found", number=shorten(number, 60)))


def documents_to_choose(typed: str, found: Sequence[DocumentMeta], *, shown: int, fmt: Html = HTML,
                        lang: str = "vi") -> str:
    """/vanban with a number several documents share (each province has its "101/KH-UBND")."""
    example = f"/vanban {shorten(typed, 30)} {found[0].province or found[0].province_current or ''}".rstrip()
    lines = [fmt.esc(_t(lang, "document.choose", count=len(found), number=shorten(typed, 60), example=example))]
    lines += [" • " + fmt.esc(numbers.label(m)) for m in found[:shown]]
    if len(found) > shown:
        lines.append(fmt.esc(_t(lang, "document.more", count=len(found) - shown)))
    return "\n".join(lines)


VANBAN_USAGE = _t("vi", "vanban.usage")


def provinces_text(documents: Sequence[DocumentMeta], fmt: Html = HTML, lang: str = "vi") -> str:
    """/tinh: each province and its documents."""
    if not documents:
        return fmt.esc(_t(lang, "provinces.none"))
    by_province: dict[str, list[DocumentMeta]] = {}
    for meta in documents:
        by_province.setdefault(province_label(meta, lang) or _t(lang, "provinces.unknown"), []).append(meta)
    lines = [fmt.b(fmt.esc(_t(lang, "provinces.header", provinces=len(by_province), documents=len(documents)))),
             ""]
    for province, metas in by_province.items():
        lines.append(fmt.b(fmt.esc(province)))
        for meta in metas:
            parts = [document_name(meta)]
            date = format_date(meta.issued, lang)
            if date:
                parts.append(date)
            line = " ".join(parts)
            if meta.title and meta.document:
                line += f" — {shorten(meta.title, 140)}"
            lines.append(" • " + fmt.esc(line))
        lines.append("")
    lines.append(fmt.esc(_t(lang, "provinces.footer")))
    return "\n".join(lines)


# --- admin ---------------------------------------------------------------------------------------

# How /thongke names the front ends the usage log records (knowledge.usage.FRONTENDS).
FRONTEND_NAMES = {"telegram": "Telegram", "web": "Web"}


def stats_text(stats: UsageStats, fmt: Html = HTML) -> str:
    """/thongke: the usage summary."""
    s = stats
    lines = [
        fmt.b("📊 Thống kê sử dụng"),
        fmt.esc(f"Câu hỏi hôm nay: {s.questions_today}"),
        fmt.esc(f"Câu hỏi 7 ngày qua: {s.questions_week}"),
        *([fmt.esc("Theo kênh (7 ngày): " + ", ".join(f"{FRONTEND_NAMES.get(f, f)} {n}"
                                                    for f, n in s.by_frontend.items()))]
          if s.by_frontend else []),
        fmt.esc(f"Tỷ lệ trả lời được (7 ngày): {s.answered_share * 100:.0f}%"),
        fmt.esc(f"Độ trễ trung vị (7 ngày): {s.median_latency_ms:.0f} ms"),
        fmt.esc(f"Góp ý 7 ngày: 👎 {s.downvotes}, 👍 {s.upvotes}"),
    ]
    if s.top_topics:
        lines.append(fmt.esc("Chủ đề hỏi nhiều: " + ", ".join(f"{t} ({n})" for t, n in s.top_topics)))
    if s.dropped:
        lines.append(fmt.esc(f"⚠️ {s.dropped} lượt không ghi được vào nhật ký (cơ sở dữ liệu bị khoá hoặc đầy) "
                             "kể từ khi bot khởi động."))
    return "\n".join(lines)


def unanswered_text(rows: Sequence[tuple[str, int]], fmt: Html = HTML) -> str:
    """/chuatraloi: most frequent unanswered questions."""
    if not rows:
        return fmt.esc("Chưa có câu hỏi nào không trả lời được. 🎉")
    lines = [fmt.b("❓ Câu hỏi chưa trả lời được (hay gặp nhất)")]
    lines += [f"{n}× {fmt.esc(shorten(q, 200))}" for q, n in rows]
    return "\n".join(lines)


# --- admin: reload, upload, remove, restore -------------------------------------------------------

ADMIN_UNAVAILABLE = ("Chức năng này chưa được bật: bot chạy mà không có thư mục kế hoạch để cập nhật "
                     "(KNOWLEDGE_DIR).")
USAGE_LOG_OFF = ("Nhật ký sử dụng đang tắt (chưa bật USAGE_DB, hoặc không mở được tệp nhật ký khi khởi "
                 "động — xem log), chưa có số liệu.")
USAGE_LOG_UNREADABLE = "Chưa đọc được nhật ký sử dụng (tệp đang bị khoá hoặc hỏng). Vui lòng thử lại sau."
RELOAD_BUSY = "⏳ Đang có một lần cập nhật dữ liệu khác. Vui lòng đợi xong rồi thử lại."
RELOAD_FAILED = "❌ Cập nhật thất bại do lỗi không mong đợi; bot vẫn dùng dữ liệu cũ. Xem nhật ký (log)."
RELOAD_FORCE_CONFIRM = ("Cập nhật dữ liệu và bỏ qua các tệp không đọc được? Các văn bản lỗi sẽ không có "
                        "trong dữ liệu cho đến khi được sửa.")
FORCE_BUTTON = "⚠️ Cập nhật, bỏ qua tệp lỗi"
CONFIRM_BUTTON = "✅ Xác nhận"
ADD_BUTTON = "✅ Thêm vào dữ liệu"
REPLACE_BUTTON = "✅ Thay bản cũ"
REMOVE_BUTTON = "🗑 Chuyển vào thùng rác"
RESTORE_BUTTON = "♻️ Khôi phục"
CANCEL_BUTTON = "✖ Huỷ"
CANCELLED = "Đã huỷ. Không có gì thay đổi."
PENDING_EXPIRED = "Yêu cầu này đã hết hạn hoặc đã được xử lý. Vui lòng làm lại."
BUSY_TOAST = "Đang cập nhật dữ liệu, vui lòng bấm lại sau ít giây."
XOA_USAGE = "Gõ /xoa kèm số hiệu văn bản (hoặc tên tệp), ví dụ: /xoa 4168/QĐ-UBND."
KHOIPHUC_USAGE = "Gõ /khoiphuc kèm số hiệu văn bản đã xoá (hoặc tên tệp), ví dụ: /khoiphuc 4168/QĐ-UBND."
UPLOAD_DOWNLOAD_FAILED = "❌ Không tải được tệp từ Telegram. Vui lòng gửi lại."
UPLOAD_PRIVATE_ONLY = "Hãy gửi tệp văn bản cho bot trong cuộc trò chuyện riêng."

_STAGES = {
    "start": "chuẩn bị", "read": "đọc văn bản", "split": "tách đoạn trích", "words": "lập từ điển",
    "index": "lập chỉ mục", "write": "ghi cơ sở dữ liệu", "compare": "so sánh với dữ liệu cũ",
}
_MAX_LISTED = 10  # documents / problems listed by name in one report before "và N … khác"


def _mb(size: float) -> str:
    """"12,5 MB", or "850 KB" below one megabyte (Vietnamese decimal comma)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    text = f"{size / 1024 / 1024:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + " MB"


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f}".replace(".", ",") + " giây"


def _count(n: float) -> str:
    """"2.000.000" (Vietnamese thousands separator)."""
    return f"{int(n):,}".replace(",", ".")


def document_problem(error: DocumentError) -> str:
    """Why a document is refused, in Vietnamese when the engine gave a reason code (a bound of
    `knowledge.limits`, a link, a reader's problem: see `_DOCUMENT_ERRORS`), else the engine's own
    words. The one place document errors are worded for admins."""
    value, limit = error.figures.get("value", 0), error.figures.get("limit", 0)
    if error.code == "too_big_unpacked":
        return f"tệp giải nén ra {_mb(value)}, vượt giới hạn {_mb(limit)}"
    if error.code == "too_long":
        return f"văn bản dài {_count(value)} ký tự, vượt giới hạn {_count(limit)} ký tự"
    if error.code == "too_many_clauses":
        return f"văn bản có {_count(value)} đoạn trích, vượt giới hạn {_count(limit)} đoạn"
    if error.code == "link":
        return ("là liên kết (symlink) hoặc nằm ngoài thư mục kế hoạch; chỉ tệp thật trong thư mục "
                "kế hoạch mới là văn bản")
    line = int(error.figures.get("line", 0))
    if error.code == "front_matter_unclosed":
        return f"phần đầu tệp mở bằng '---' ở dòng {line} nhưng không có dòng '---' đóng lại"
    if error.code == "front_matter_line":
        return f"dòng {line} của phần đầu tệp không có dạng 'khoá: giá trị'"
    if error.code == "unreadable":
        return "không đọc được tệp (" + os_problem(int(error.figures.get("errno", 0))) + ")"
    # Without a code (a reader added later): the engine's own words, rather than nothing.
    return _DOCUMENT_ERRORS.get(error.code, error.reason)


# Why a file operation (upload, /xoa, /khoiphuc) could not be done: LibraryError.code, about the
# file named in the placeholder.
_LIBRARY_ERRORS = {
    "link": "“{name}” là liên kết (symlink), không phải văn bản; không có gì được di chuyển",
    "outside": "“{name}” nằm ngoài thư mục kế hoạch",
    "bad_name": "“{name}” không dùng được làm tên tệp văn bản",
    "exists": "đã có tệp “{name}”",
    "unsupported_type": "chỉ nhận tệp .txt, .md, .docx, .doc hoặc .pdf",
    "not_pending": "“{name}” không phải tệp đang chờ xác nhận",
    "upload_gone": "tệp gửi lên không còn chờ xác nhận (đã huỷ hoặc hết hạn)",
    "already_trashed": "“{name}” đã ở trong thùng rác (trash/)",
    "missing": "không còn tệp “{name}”",
    "not_in_trash": "“{name}” không có trong thùng rác (trash/)",
}
# OSError.errno → the admin's words; anything else is named by its number.
_OS_ERRORS = {
    errno.ENOENT: "tệp hoặc thư mục không tồn tại",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không có quyền truy cập",
    errno.ENOSPC: "hết dung lượng đĩa",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.EISDIR: "là một thư mục",
    errno.ENOTDIR: "đường dẫn không phải thư mục",
    errno.EEXIST: "đã tồn tại",
    errno.EIO: "lỗi đọc/ghi đĩa",
}


def library_problem(error: LibraryError) -> str:
    """A refused file operation in the admin's words (never the library's English text)."""
    return _LIBRARY_ERRORS.get(error.code, "thao tác với tệp không thực hiện được").format(name=error.name)


def os_problem(number: int) -> str:
    """An operating-system error (errno) in the admin's words."""
    return _OS_ERRORS.get(number, f"lỗi hệ thống tệp (mã {number})" if number else "lỗi hệ thống tệp")


def file_problem(error: Exception) -> str:
    """Why a file operation failed: a LibraryError's code, an OSError's errno, worded."""
    from knowledge.library import LibraryError

    if isinstance(error, LibraryError):
        return library_problem(error)
    if isinstance(error, OSError):
        return os_problem(error.errno or 0)
    return "lỗi không mong đợi"


def worker_problem(code: str, limit: float) -> str:
    """Document work stopped by its bound: "quá thời gian xử lý (60 s)", or memory, or a crash."""
    if code == "timeout":
        return f"quá thời gian xử lý ({limit:g} s)"
    if code == "memory":
        return f"vượt giới hạn bộ nhớ khi xử lý ({_mb(limit)})"
    return "tiến trình xử lý văn bản dừng đột ngột"


def reload_stopped(problem: str, *, intro: str = "", fmt: Html = HTML) -> str:
    """A reload whose build was stopped (time, memory): the old index keeps serving."""
    text = f"❌ Cập nhật thất bại: {problem}. Bot vẫn dùng dữ liệu cũ."
    return (intro + "\n" if intro else "") + fmt.esc(text)


def reload_disk_full(missing_mb: int, *, intro: str = "", fmt: Html = HTML) -> str:
    """A reload that filled the disk: how much to free, then /reload."""
    text = (f"❌ Hết dung lượng đĩa: cần giải phóng khoảng {_count(missing_mb)} MB rồi /reload. "
            "Bot vẫn dùng dữ liệu cũ.")
    return (intro + "\n" if intro else "") + fmt.esc(text)


def reload_progress(stage: str, done: int = 0, total: int = 0, *, intro: str = "", fmt: Html = HTML) -> str:
    """The progress message of a reload, edited as the build goes."""
    count = f" ({done}/{total})" if total > 1 else ""
    lines = [intro] if intro else []
    lines.append(fmt.esc(f"🔄 Đang cập nhật dữ liệu: {_STAGES.get(stage, stage)}{count}…"))
    lines.append(fmt.i(fmt.esc("Bot vẫn trả lời câu hỏi bằng dữ liệu hiện tại trong lúc này.")))
    return "\n".join(lines)


def _change_text(label: str, total: int, change: Change) -> str:
    return f"{label}: {total} (+{change.added} mới, {change.changed} sửa đổi, −{change.removed} bỏ)"


def _doc_label(doc: DocSummary) -> str:
    return f"{doc.file} ({doc.document})" if doc.document else doc.file


def _listed(items: Sequence[str], fmt: Html, what: str) -> list[str]:
    lines = [" • " + fmt.esc(shorten(item, 300)) for item in items[:_MAX_LISTED]]
    if len(items) > _MAX_LISTED:
        lines.append(fmt.esc(f" … và {len(items) - _MAX_LISTED} {what} khác"))
    return lines


# Warnings the engine gives a code for (knowledge.models.Notice.code), in the admin's words; a
# warning without a known code keeps the engine's own (Vietnamese) sentence.
_WARNINGS = {
    "ocr": "đọc bằng OCR (bản quét), nên kiểm tra lại nội dung",
    "unreadable": "không đọc được tệp: {problem}",
    "link": "là liên kết (symlink), bỏ qua: chỉ tệp thật trong thư mục kế hoạch mới là văn bản",
    "link_folder": "là liên kết (symlink) tới một thư mục, bỏ qua: chỉ tệp thật trong thư mục kế hoạch mới là văn bản",
    "not_regular": "không phải tệp thường (thiết bị, ống dẫn…), bỏ qua",
    "outside": "nằm ngoài thư mục kế hoạch (qua một thư mục liên kết), bỏ qua",
    "issued_format": ("ngày ban hành “{value}” không theo dạng YYYY-MM-DD, YYYY hoặc DD/MM/YYYY; "
                      "giữ nguyên như đã ghi"),
    "unknown_province": "tỉnh “{value}” không phải tên tỉnh, thành phố đã biết; sửa 'province:' ở phần đầu tệp",
    "no_province": "không tìm thấy tỉnh ban hành (thêm 'province:' vào phần đầu tệp)",
    "no_number": "không tìm thấy số hiệu văn bản (thêm 'document:' vào phần đầu tệp)",
    "no_clauses": "không tìm thấy đoạn trích nào (văn bản không có câu nào đủ dài để trả lời)",
}


def warning_text(warning: str) -> str:
    """A reload-report or upload-preview warning in the admin's words: by its reason code when the
    engine gave one (with the file it is about), else the engine's own sentence."""
    code = getattr(warning, "code", "")
    template = _WARNINGS.get(code) if code else None
    if template is None:
        return str(warning)
    figures: dict[str, str] = dict(getattr(warning, "figures", {}))
    if code == "unreadable":
        figures["problem"] = os_problem(int(figures.get("errno") or 0))
    text = template.format_map({"value": "", **figures})
    return f"{figures['file']}: {text}" if figures.get("file") else text


# Reasons the document readers give a code for (DocumentError.code), in the admin's words; other
# errors keep their own reason.
_DOCUMENT_ERRORS = {
    "binary": "là tệp nhị phân, không phải văn bản (văn bản UTF-16 cần có dấu BOM)",
    "bad_utf16": "có dấu BOM UTF-16 nhưng nội dung không phải UTF-16 hợp lệ; hãy lưu lại dạng UTF-8",
    "not_utf8": ("không phải văn bản UTF-8 (có thể đang ở bảng mã cũ như Windows-1258 hay TCVN3); "
                 "hãy lưu lại dạng UTF-8"),
    "docx_corrupt": "không mở được như tệp Word .docx (tệp hỏng hoặc không thật là .docx)",
    "pdf_corrupt": "không đọc được như tệp PDF (tệp hỏng hoặc không phải PDF)",
    "pdf_password": "là PDF có mật khẩu; hãy lưu một bản không khoá rồi gửi lại",
    "pdf_no_text_layer": ("là PDF bản quét (không có lớp chữ) và máy chủ chưa cài Tesseract có dữ liệu tiếng Việt "
                          "để đọc bằng OCR (cài: apt-get install tesseract-ocr tesseract-ocr-vie); hoặc gửi "
                          "bản .docx/.txt"),
    "ocr_failed": "là PDF bản quét nhưng OCR không đọc được chữ; hãy gửi bản .docx/.txt",
    "doc_no_converter": ("là tệp Word .doc cũ và máy chủ chưa cài công cụ chuyển đổi (antiword hoặc LibreOffice); "
                         "hãy lưu thành .docx rồi gửi lại"),
    "doc_unreadable": "không đọc được như tệp Word .doc (hỏng hoặc không phải .doc); hãy lưu thành .docx rồi gửi lại",
    "unsupported_type": "không phải loại tệp được nhận (chỉ .txt, .md, .docx, .doc, .pdf)",
    "empty": "là tệp rỗng",
    "no_text": "không có chữ nào",
    "front_matter_only": "chỉ có phần đầu tệp (---) mà không có nội dung văn bản sau đó",
    "no_clauses": "không có đoạn văn bản nào để tách thành đoạn trích",
}


def reload_report(result: ReloadResult, *, intro: str = "", fmt: Html = HTML) -> str:
    """The end of a reload: swapped or not, what was added / changed / removed (documents,
    clauses, targets), every unreadable file with its reason, warnings per file."""
    r, d = result, result.diff
    lines = [intro] if intro else []
    if r.swapped:
        head = "✅ Đã cập nhật dữ liệu" + (", bỏ qua tệp lỗi" if r.errors else "") + f" ({_seconds(r.seconds)})."
    else:
        head = (f"⛔ Chưa cập nhật: {len(r.errors)} tệp không đọc được. "
                "Bot vẫn trả lời bằng dữ liệu cũ.")
    lines.append(fmt.b(fmt.esc(head)))
    if d.empty:
        lines.append(fmt.esc("Không có văn bản nào thêm, sửa hay bỏ so với dữ liệu trước."))
    else:
        if not r.swapped:
            lines.append(fmt.i(fmt.esc("Thay đổi sẽ áp dụng khi cập nhật (bỏ qua tệp lỗi):")))
        documents, clauses, targets = d.after
        lines.append(fmt.esc(_change_text("Văn bản", documents, d.documents)))
        lines.append(fmt.esc(_change_text("Đoạn trích", clauses, d.clauses)))
        lines.append(fmt.esc(_change_text("Chỉ tiêu", targets, d.targets)))
        for mark, docs in (("➕ Thêm", d.added), ("✏️ Sửa", [after for _, after in d.changed]),
                           ("➖ Bỏ", d.removed)):
            if docs:
                lines.append(fmt.esc(f"{mark}:"))
                lines += _listed([f"{_doc_label(x)} — {x.clauses} đoạn, {x.targets} chỉ tiêu" for x in docs],
                                 fmt, "văn bản")
    if r.errors:
        lines.append(fmt.b(fmt.esc(f"❌ Tệp không đọc được ({len(r.errors)}):")))
        lines += _listed([f"{e.path}: {document_problem(e)}" for e in r.errors], fmt, "tệp")
        if not r.swapped:
            lines.append(fmt.esc("Sửa hoặc xoá các tệp này rồi gõ /reload; hoặc bấm nút dưới đây "
                                 "(/reload force) để cập nhật mà không có chúng."))
    if r.report.warnings:
        lines.append(fmt.esc(f"⚠️ Cảnh báo ({len(r.report.warnings)}):"))
        lines += _listed([warning_text(w) for w in r.report.warnings], fmt, "cảnh báo")
    return "\n".join(lines)


def upload_bad_type(name: str, fmt: Html = HTML) -> str:
    """An upload of a type the loader does not read."""
    return fmt.esc(f"❌ Không nhận tệp “{shorten(name, 80)}”: chỉ nhận tệp .txt, .md, .docx, .doc hoặc .pdf. "
                   "Không có gì được lưu.")


def upload_too_big(name: str, size: int, limit: int, fmt: Html = HTML) -> str:
    """An upload over MAX_UPLOAD_MB."""
    return fmt.esc(f"❌ Tệp “{shorten(name, 80)}” quá lớn ({_mb(size)}); giới hạn là {_mb(limit)}. "
                   "Không có gì được lưu.")


def upload_broken(name: str, reason: str, fmt: Html = HTML) -> str:
    """An upload that cannot be read as a plan document, with the reason."""
    return fmt.esc(f"❌ Không đọc được tệp “{shorten(name, 80)}”: {reason}. Không có gì được lưu.")


def upload_identical(name: str, existing: str, fmt: Html = HTML) -> str:
    """An upload byte-for-byte equal to a document already in the folder."""
    return fmt.esc(f"Tệp “{shorten(name, 80)}” giống hệt văn bản đã có ({existing}). Không có gì thay đổi.")


def upload_preview(name: str, saved_as: str, preview: Preview, replaces: Sequence[str],
                   others: Sequence[str] = (), fmt: Html = HTML) -> str:
    """What an upload would add, before the admin confirms it."""
    m = preview.meta
    lines = [fmt.b(fmt.esc(f"📄 Xem trước: {shorten(name, 120)}"))]
    lines.append(fmt.esc(f"Tiêu đề: {shorten(m.title, 200) if m.title else '(không tìm thấy)'}"))
    lines.append(fmt.esc(f"Số hiệu: {m.document or '(không tìm thấy)'}"))
    lines.append(fmt.esc(f"Tỉnh, thành phố: {province_label(m) or '(không tìm thấy)'}"))
    lines.append(fmt.esc(f"Ban hành: {format_date(m.issued) or '(không tìm thấy)'}"))
    lines.append(fmt.esc(f"Đoạn trích: {preview.clauses} — chỉ tiêu: {preview.targets}"))
    if preview.first_targets:
        lines.append(fmt.esc("Chỉ tiêu đầu tiên:"))
        for target, clause in preview.first_targets:
            summary = _bold_figure(fmt.esc(target_summary(target)), target.value_text, fmt)
            lines.append(f" • {summary} — {fmt.esc(shorten(clause, 160))}")
    for warning in preview.warnings:
        lines.append(fmt.esc(f"⚠️ {warning_text(warning)}"))
    lines.append(fmt.esc(f"Sẽ lưu thành: {saved_as}"))
    if replaces:
        lines.append(fmt.esc("♻️ Thay văn bản cùng số hiệu, cùng nơi ban hành và năm (bản cũ chuyển vào trash/, "
                             "không bị xoá): " + ", ".join(replaces)))
    if others:
        lines.append(fmt.esc("Văn bản cùng số hiệu của nơi khác hoặc năm khác được giữ nguyên: " + ", ".join(others)))
    lines.append(fmt.esc("Bấm xác nhận để thêm vào dữ liệu và cập nhật, hoặc huỷ."))
    return "\n".join(lines)


def upload_saved(saved_as: str, replaced: Sequence[str], fmt: Html = HTML) -> str:
    """First line of the reload report after a confirmed upload."""
    text = f"📥 Đã lưu “{saved_as}” vào thư mục kế hoạch."
    if replaced:
        text += " Bản cũ đã chuyển vào trash/: " + ", ".join(replaced) + "."
    return fmt.esc(text)


def found_label(found: Found) -> str:
    """One document file as listed to an admin: "file (number, province, year)"."""
    m = found.meta
    extra = ", ".join(x for x in (m.document, m.province or m.province_current, str(m.year or "")) if x)
    return f"{found.meta.file} ({extra})" if extra else found.meta.file


def not_found_in_folder(number: str, *, trash: bool = False, fmt: Html = HTML) -> str:
    """/xoa or /khoiphuc with a number that matches nothing."""
    where = "thùng rác (trash/)" if trash else "thư mục kế hoạch"
    return fmt.esc(f"Không có văn bản số “{shorten(number, 60)}” trong {where}.")


def choose_document(number: str, found: Sequence[Found], *, trash: bool = False, fmt: Html = HTML) -> str:
    """Several documents match: the admin picks one."""
    verb = "khôi phục" if trash else "xoá"
    lines = [fmt.esc(f"Có {len(found)} văn bản khớp “{shorten(number, 60)}”. Chọn văn bản cần {verb}:")]
    lines += [" • " + fmt.esc(found_label(f)) for f in found]
    return "\n".join(lines)


def remove_confirm(found: Found, fmt: Html = HTML) -> str:
    """/xoa: what will move to the trash."""
    return "\n".join([
        fmt.b(fmt.esc("Chuyển văn bản này vào thùng rác (trash/) và cập nhật dữ liệu?")),
        fmt.esc(f"📄 {found_label(found)}"),
        fmt.esc(f"Tiêu đề: {shorten(found.meta.title or '', 200) or '(không có)'}"),
        fmt.i(fmt.esc("Tệp không bị xoá hẳn: gõ /khoiphuc để lấy lại.")),
    ])


def removed_intro(name: str, fmt: Html = HTML) -> str:
    """First line of the reload report after /xoa."""
    return fmt.esc(f"🗑 Đã chuyển “{name}” vào thùng rác (trash/).")


def restore_confirm(found: Found, live: Sequence[Found], fmt: Html = HTML) -> str:
    """/khoiphuc when a document with the same number is in the folder: swap them?"""
    return "\n".join([
        fmt.b(fmt.esc("Đang có văn bản cùng số hiệu trong dữ liệu. Thay nó bằng bản trong thùng rác?")),
        fmt.esc(f"♻️ Khôi phục: {found_label(found)}"),
        fmt.esc("🗑 Chuyển vào trash/: " + ", ".join(found_label(f) for f in live)),
    ])


def restored_intro(name: str, replaced: Sequence[str], fmt: Html = HTML) -> str:
    """First line of the reload report after /khoiphuc."""
    text = f"♻️ Đã khôi phục “{name}” vào thư mục kế hoạch."
    if replaced:
        text += " Đã chuyển vào trash/: " + ", ".join(replaced) + "."
    return fmt.esc(text)


def file_error(reason: str, fmt: Html = HTML) -> str:
    """A file operation that could not be done."""
    return fmt.esc(f"❌ Không thực hiện được: {reason}. Không có gì thay đổi.")


# --- inline mode ---------------------------------------------------------------------------------

def inline_tips(lang: str = "vi") -> list[tuple[str, str]]:
    """(title, description) of the tips shown for an empty inline query."""
    return [(_t(lang, f"inline.tip{i}"), _t(lang, f"inline.tip{i}.example")) for i in (1, 2, 3)]


INLINE_TIPS = inline_tips("vi")
INLINE_NOTHING_TITLE = _t("vi", "inline.nothing")



def inline_message(result: Result, lang: str = "vi") -> str:
    """The message an inline article inserts: the clause with figures bold and the source line.

    Clauses are cut (at a word, before escaping) so the message fits Telegram's limit.
    """
    clipped = Result(result.clause_id, shorten(result.text, 3500), result.score, result.meta,
                     result.section, result.targets)
    return result_block(clipped, None, HTML, lang)


def inline_nothing_text(query: str, lang: str = "vi") -> str:
    """The message of the single "not found" inline article."""
    return not_answered_text(query, [], HTML, lang=lang)


# --- utilities -----------------------------------------------------------------------------------

def shorten(text: str, limit: int) -> str:
    """Collapse white space and cut at a word boundary, marking the cut with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


_TAG_RE = re.compile(r"(<[^<>]*>)")
_TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")


@dataclass
class _OpenTag:
    name: str
    source: str  # the opening tag exactly as written, to reopen it in the next chunk


def _closing(stack: Sequence[_OpenTag]) -> str:
    return "".join(f"</{t.name}>" for t in reversed(stack))


def _opening(stack: Sequence[_OpenTag]) -> str:
    return "".join(t.source for t in stack)


def _split_text_token(token: str, room: int) -> int:
    """Where to cut an escaped text token so its head fits `room` UTF-16 units: at a newline or a
    space when possible, never inside an entity such as "&amp;". Returns a character index > 0."""
    # Largest prefix that fits.
    n = 0
    used = 0
    for ch in token:
        w = 2 if ord(ch) > 0xFFFF else 1
        if used + w > room:
            break
        used += w
        n += 1
    n = max(n, 1)
    if n >= len(token):
        return len(token)
    head = token[:n]
    for sep in ("\n", " "):
        pos = head.rfind(sep)
        if pos > n // 3:
            return pos + 1
    amp = head.rfind("&")
    if amp >= 0 and ";" not in head[amp:]:
        return max(amp, 1)
    return n


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split one HTML message into chunks of at most `limit` UTF-16 units.

    Prefers paragraph breaks ("\\n\\n") outside any tag; a paragraph that is still too long is
    cut between words, closing the tags open at the cut and reopening them in the next chunk, so
    every chunk is balanced and no cut falls inside a tag or an entity.
    """
    if utf16_len(text) <= limit:
        return [text]
    # Paragraphs at depth 0.
    paragraphs: list[str] = []
    depth, start, pos = 0, 0, 0
    for token in _TAG_RE.split(text):
        if _TAG_RE.fullmatch(token):
            m = _TAG_NAME_RE.match(token)
            if m:
                depth += -1 if m.group(1) else 1
        elif depth == 0:
            idx = token.find("\n\n")
            while idx >= 0:
                paragraphs.append(text[start:pos + idx])
                start = pos + idx + 2
                idx = token.find("\n\n", idx + 2)
        pos += len(token)
    paragraphs.append(text[start:])
    return pack_blocks([p for p in paragraphs if p.strip()], limit)


def pack_blocks(blocks: Iterable[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Join balanced HTML blocks with blank lines into as few messages as fit `limit`; a block
    too long on its own is cut by `_hard_split`."""
    chunks: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}\n\n{block}" if current else block
        if utf16_len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
            current = ""
        if utf16_len(block) <= limit:
            current = block
        else:
            pieces = _hard_split(block, limit)
            chunks.extend(pieces[:-1])
            current = pieces[-1]
    if current:
        chunks.append(current)
    return chunks or [""]


def _hard_split(text: str, limit: int) -> list[str]:
    chunks: list[str] = []
    stack: list[_OpenTag] = []
    current = ""
    for token in _TAG_RE.split(text):
        if not token:
            continue
        if _TAG_RE.fullmatch(token):
            m = _TAG_NAME_RE.match(token)
            closing_now = _closing(stack)
            # A tag plus what it takes to close everything must fit; else start a new chunk.
            if utf16_len(current + token + closing_now) + 16 > limit and current.strip():
                chunks.append(current + closing_now)
                current = _opening(stack)
            current += token
            if m and m.group(1):
                if stack and stack[-1].name == m.group(2).lower():
                    stack.pop()
            elif m:
                stack.append(_OpenTag(m.group(2).lower(), token))
            continue
        while token:
            # Room left once the open tags are closed (their names may grow by one when a new tag
            # opens right after; keep a small margin).
            room = limit - utf16_len(current) - utf16_len(_closing(stack)) - 16
            if utf16_len(token) <= room:
                current += token
                break
            if room < 32:
                chunks.append(current + _closing(stack))
                current = _opening(stack)
                continue
            cut = _split_text_token(token, room)
            current += token[:cut]
            token = token[cut:]
            chunks.append(current + _closing(stack))
            current = _opening(stack)
    if current.strip() and current != _opening(stack):
        chunks.append(current)
    return chunks or [text[:limit]]


# --- staff features (issue 12) -------------------------------------------------------------------
# Every word of /sosanh, /muctieu, /nhiemvu, /hanchot, /theodoi, /huytheodoi, /xuat, the
# "📎 Văn bản" button, inline titles and the /start example buttons. Sentences and labels are in
# the catalogs (handlers/lang, keys "sosanh.usage", "compare.*", "tasks.*", …); each function takes
# the user's `lang`. Stay Vietnamese on purpose: the console chat (a staff tool, like admin
# wording), the XLSX sheet and column names (staff reports filed with Vietnamese offices), the
# deadline windows and figures as the documents write them, and the quoted clauses.

# /start buttons: one line on a 390 px phone (≤ 28 characters); each asks EXAMPLE_QUESTIONS[i].
EXAMPLE_BUTTONS: list[str] = [
    "💳 Thanh toán trực tuyến?",
    "🌐 DVC trực tuyến toàn trình?",
    "🙂 Chỉ số hài lòng?",
]
EXAMPLE_BUTTON_CHARS = 28

PAGE_PREV = "◀"
PAGE_NEXT = "▶"
CHART_BUTTON = _t("vi", "button.chart")
FILE_BUTTON = _t("vi", "button.file")
NOT_IN_CONSOLE = "Lệnh này chỉ dùng trên Telegram."

# The console's usage lines (Vietnamese); Telegram replies use say("sosanh.usage", lang=…).
SOSANH_USAGE = _t("vi", "sosanh.usage")
MUCTIEU_USAGE = _t("vi", "muctieu.usage")
NHIEMVU_USAGE = _t("vi", "nhiemvu.usage")
XUAT_USAGE = _t("vi", "xuat.usage")


def deadline_text(deadline: str | None, written: str | None = None, *, lang: str = "vi") -> str:
    """A normalized deadline in words: "31/12/2025", "tháng 12/2025", "quý III/2025",
    "năm 2026", "2025–2030"; the deadline as written when it is not a date; "không ghi hạn"."""
    d = deadline or ""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", d):
        return f"{m.group(3)}/{m.group(2)}/{m.group(1)}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", d):
        return _t(lang, "deadline.month", month=int(m.group(2)), year=m.group(1))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", d):
        quarter = ["I", "II", "III", "IV"][int(m.group(2)) - 1] if lang == "vi" else m.group(2)
        return _t(lang, "deadline.quarter", quarter=quarter, year=m.group(1))
    if m := re.fullmatch(r"(\d{4})/(\d{4})", d):
        return f"{m.group(1)}–{m.group(2)}"
    if re.fullmatch(r"\d{4}", d):
        return _t(lang, "deadline.year", year=d)
    return shorten(written, 40) if written else _t(lang, "deadline.none")


def page_footer(page: int, pages: int, total: int, what: str, fmt: Html = HTML, *,
                lang: str = "vi") -> str:
    """ "Trang 2/5 · 37 chỉ tiêu" (`what`: "targets" | "tasks")."""
    if pages <= 1:
        return ""
    return fmt.i(fmt.esc(_t(lang, "page.footer", page=page + 1, pages=pages, total=total,
                            what=unit_name(what, lang=lang))))


def _scope_text(scope: Scope, lang: str = "vi") -> str:
    parts = [scope.topic]
    if scope.province:
        parts.append(scope.province)
    if scope.period:
        parts.append(_t(lang, "scope.period", start=scope.period[0], end=scope.period[1]))
    elif scope.year:
        parts.append(_t(lang, "scope.year", year=scope.year))
    return ", ".join(p for p in parts if p)


def kind_name(kind: str, *, lang: str = "vi") -> str:
    """ "mục tiêu" or "kết quả đã đạt": a chart and a table always say which they show."""
    return _t(lang, "kind.result" if kind == "result" else "kind.target")


def _value_measure(line: Line, fmt: Html) -> str:
    """ "tối thiểu <b>80%</b> TTHC có yêu cầu nghĩa vụ tài chính …" (the qualifier, then what the
    figure measures in the clause's own words)."""
    t = line.row.target
    q = (t.qualifier or "").replace("từ … trở lên", "từ").strip()
    # The qualifier goes before the figure, when the measure starts with it.
    starts = line.measure.startswith(t.value_text)
    text = f"{q} {line.measure}" if q and starts and not fold(line.measure).startswith(fold(q)) else line.measure
    return _bold_figure(fmt.esc(text), t.value_text, fmt)


def targets_page(scope: Scope, groups: Sequence[Group], *, page: int, pages: int, total: int,
                 fmt: Html = HTML, lang: str = "vi") -> str:
    """/muctieu, one page: grouped by province and document, a line per distinct target naming
    what it measures, by year."""
    if not total:
        return fmt.esc(_t(lang, "targets.none", scope=shorten(_scope_text(scope, lang), 120)))
    scope_text = shorten(_scope_text(scope, lang), 100)
    lines = [fmt.b(fmt.esc(_t(lang, "targets.header", scope=scope_text, count=total)))]
    last_place = None
    for g in groups:
        if g.place != last_place:
            lines += ["", fmt.b(fmt.esc(f"📍 {g.place}"))]
            last_place = g.place
        meta = g.meta
        doc = document_name(meta) + (f" ({format_date(meta.issued)})" if meta.issued else "")
        if meta.province and fold(meta.province) != fold(g.place):
            doc += f" — {meta.province}"
        lines.append("📄 " + fmt.link(fmt.esc(shorten(doc, 90)), meta.source_url))
        for ln in g.lines:
            year = f"{ln.year}: " if ln.year else ""
            lines.append(f" • {fmt.esc(year)}{_value_measure(ln, fmt)}")
    footer = page_footer(page, pages, total, "targets", fmt, lang=lang)
    if footer:
        lines += ["", footer]
    return "\n".join(lines)


def chart_title(comparison: Comparison, *, lang: str = "vi") -> str:
    """The chart's title: what is compared, which kind (targets or results), the scope."""
    scope = comparison.scope
    head = _t(lang, "chart.head.result" if comparison.kind == "result" else "chart.head.target")
    where = _t(lang, "chart.by_year", place=comparison.place_label) if comparison.by_year \
        else _t(lang, "chart.by_province")
    when = ""
    if scope.period:
        when = f", {scope.period[0]}–{scope.period[1]}"
    elif scope.year:
        when = _t(lang, "chart.year", year=scope.year)
    return f"{head}: {shorten(scope.topic, 60)}{where}{when} (%)"


def chart_bar_note(bar: Bar) -> str:
    """The text on a bar: its year (for a province) or nothing more (bars are years already)."""
    return "" if bar.year is None else str(bar.year)


def chart_caption(comparison: Comparison, fmt: Html = HTML, *, lang: str = "vi") -> str:
    """The photo's caption: title and the source documents (≤ 1024 characters, Telegram's limit)."""
    docs = [document_name(m) + (f" ({m.province})" if m.province else "") for m in comparison.documents]
    text = _t(lang, "chart.caption", title=chart_title(comparison, lang=lang), sources="; ".join(docs))
    return fmt.esc(shorten(text, 1000) if len(text) > 1000 else text)


def comparison_text(comparison: Comparison, fmt: Html = HTML, *, limit: int = 25, lang: str = "vi") -> str:
    """/sosanh's table: one line per distinct figure, highest first (province, year, value with
    qualifier, document); the kind is named."""
    from knowledge.compare import place

    scope = comparison.scope
    if not comparison.lines:
        return fmt.esc(_t(lang, "compare.none", scope=shorten(_scope_text(scope, lang), 120)))
    head = _t(lang, "compare.header", kind=kind_name(comparison.kind, lang=lang),
              scope=shorten(_scope_text(scope, lang), 100))
    lines = [fmt.b(fmt.esc(head))]
    if comparison.kind == "result" and scope.kind != "result":
        lines.append(fmt.i(fmt.esc(_t(lang, "compare.results_only"))))
    for ln in comparison.lines[:limit]:
        t = ln.row.target
        where = place(ln.meta)
        if ln.meta.province and fold(ln.meta.province) != fold(where):
            where += _t(lang, "compare.includes", province=ln.meta.province)
        value = fmt.b(fmt.esc(with_qualifier(t)))
        lines.append(f" • {fmt.esc(where)} {fmt.esc(str(ln.year or ''))}: {value} — "
                     f"{fmt.esc(shorten(ln.measure, 80))} ({fmt.esc(ln.meta.document or ln.meta.file)})")
    if len(comparison.lines) > limit:
        lines.append(fmt.esc(_t(lang, "compare.more", count=len(comparison.lines) - limit)))
    return "\n".join(lines)


def chart_saved(path: str) -> str:
    """Console: where the chart was written."""
    return f"📊 Biểu đồ đã lưu: {path}"


def export_saved(path: str, rows: int) -> str:
    """Console: where the spreadsheet was written."""
    return f"📥 Đã xuất {rows} dòng ra tệp: {path}"


def _task_block(row: TaskRow, fmt: Html, *, today: date | None = None, lang: str = "vi") -> str:
    t = row.task
    when = deadline_text(t.deadline, t.deadline_text, lang=lang)
    late = ""
    end = deadline_end(t.deadline or "")
    if today and end and end < today.isoformat():
        late = _t(lang, "task.overdue")
    what = re.sub(r"^(?:[-–+•*]|[a-zđ]\)|\d+(?:\.\d+)*[.)])\s*", "", t.task.strip())  # the list mark is noise here
    due = fmt.b(fmt.esc(_t(lang, "task.deadline", when=when)))
    lines = [f"• {due}{fmt.esc(late)} — {fmt.esc(shorten(what, 220))}"]
    who = []
    if t.agency:
        who.append(_t(lang, "task.lead", agency=shorten(t.agency, 100)))
    if t.partners:
        who.append(_t(lang, "task.partners", partners=shorten(t.partners, 100)))
    if who:
        lines.append("   " + fmt.esc(" · ".join(who)))
    lines.append("   📌 " + fmt.link(fmt.esc(source_text(row.meta, lang, key="source.of")), row.meta.source_url))
    return "\n".join(lines)


def tasks_page(subject: str, province: str | None, how: str, rows: Sequence[TaskRow], *, page: int, pages: int,
               total: int, today: date | None = None, fmt: Html = HTML, lang: str = "vi") -> str:
    """/nhiemvu, one page: tasks by deadline with lead agency, partners and source."""
    scope = subject + (f", {province}" if province else "")
    if not total:
        return fmt.esc(_t(lang, "tasks.none", scope=shorten(scope, 100)))
    header = "tasks.header.agency" if how == "agency" else "tasks.header.topic"
    lines = [fmt.b(fmt.esc(_t(lang, header, scope=shorten(scope, 100), count=total))), ""]
    lines += [_task_block(r, fmt, today=today, lang=lang) for r in rows]
    footer = page_footer(page, pages, total, "tasks", fmt, lang=lang)
    if footer:
        lines += ["", footer]
    return "\n".join(lines)


def deadlines_text(result: Deadlines, province: str | None, fmt: Html = HTML, *, limit: int = 5,
                   lang: str = "vi") -> str:
    """/hanchot: tasks due in the window, then tasks past their deadline (most recent first)."""
    where = f" — {province}" if province else ""
    today = result.today.strftime("%d/%m/%Y")
    window = result.window.label  # as the knowledge layer names it ("quý III/2026"), like the documents
    lines = [fmt.b(fmt.esc(_t(lang, "hanchot.header", window=window, where=where))),
             fmt.i(fmt.esc(_t(lang, "hanchot.today", today=today)))]
    lines += ["", fmt.b(fmt.esc(_t(lang, "hanchot.due", window=window, count=len(result.due))))]
    if result.due:
        lines += [_task_block(r, fmt, lang=lang) for r in result.due[:limit]]
        if len(result.due) > limit:
            lines.append(fmt.esc(_t(lang, "hanchot.more_due", count=len(result.due) - limit)))
    else:
        lines.append(fmt.esc(_t(lang, "hanchot.no_due")))
    lines += ["", fmt.b(fmt.esc(_t(lang, "hanchot.overdue", count=len(result.overdue))))]
    if result.overdue:
        lines.append(fmt.i(fmt.esc(_t(lang, "hanchot.overdue_note"))))
        lines += [_task_block(r, fmt, lang=lang) for r in result.overdue[:limit]]
        if len(result.overdue) > limit:
            lines.append(fmt.esc(_t(lang, "hanchot.more_overdue", count=len(result.overdue) - limit)))
    else:
        lines.append(fmt.esc(_t(lang, "hanchot.no_overdue")))
    return "\n".join(lines)


def hanchot_bad_window(words: str, fmt: Html = HTML, *, lang: str = "vi") -> str:
    """/hanchot with words that name no month, quarter or year."""
    return fmt.esc(_t(lang, "hanchot.bad_window", words=shorten(words, 40)) + _t(lang, "hanchot.usage"))


def subscribed(subject: str, subjects: Sequence[str], fmt: Html = HTML, *, lang: str = "vi") -> str:
    """/theodoi done."""
    return fmt.esc(_t(lang, "theodoi.done", subject=subject, subjects=", ".join(subjects)))


def subscribe_unknown(subject: str, fmt: Html = HTML, *, lang: str = "vi") -> str:
    """/theodoi with a subject that names no province and no agency of any task."""
    return fmt.esc(_t(lang, "theodoi.unknown", subject=shorten(subject, 60)))


def subscribe_limit(n: int, fmt: Html = HTML, *, lang: str = "vi") -> str:
    """/theodoi when the chat already follows `n` subjects, the most it may."""
    return fmt.esc(_t(lang, "theodoi.limit", n=n))


def unsubscribed(removed: Sequence[str], left: Sequence[str], fmt: Html = HTML, *, lang: str = "vi") -> str:
    """/huytheodoi done (or nothing to remove)."""
    if not removed:
        following = _t(lang, "huytheodoi.following", subjects=", ".join(left)) if left else ""
        return fmt.esc(_t(lang, "huytheodoi.none") + following)
    text = _t(lang, "huytheodoi.done", subjects=", ".join(removed))
    if left:
        text += _t(lang, "huytheodoi.left", subjects=", ".join(left))
    return fmt.esc(text)


def digest_text(sections: Sequence[tuple[str, Sequence[TaskRow]]], today: date, fmt: Html = HTML,
                *, limit: int = 10, lang: str = "vi") -> str:
    """The weekly digest: per subject followed, the tasks due in the next 30 days."""
    lines = [fmt.b(fmt.esc(_t(lang, "digest.header", today=today.strftime("%d/%m/%Y"))))]
    for subject, rows in sections:
        lines += ["", fmt.b(fmt.esc(f"📍 {subject} ({len(rows)})"))]
        lines += [_task_block(r, fmt, lang=lang) for r in rows[:limit]]
        if len(rows) > limit:
            lines.append(fmt.esc(_t(lang, "digest.more", count=len(rows) - limit)))
    lines += ["", fmt.i(fmt.esc(_t(lang, "digest.stop")))]
    return "\n".join(lines)


# Spreadsheet columns, in order: Vietnamese in every interface language (a staff report, filed
# with Vietnamese offices; the cells are the documents' own words anyway).
TARGET_COLUMNS = ["Tỉnh, thành phố (hiện nay)", "Tỉnh/cơ quan ban hành", "Năm", "Loại", "Giá trị", "Đơn vị",
                  "Mức", "Nội dung chỉ tiêu", "Văn bản", "Ngày ban hành", "Đoạn trích", "Đường dẫn"]
TASK_COLUMNS = ["Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn", "Thời hạn (theo văn bản)",
                "Sản phẩm", "Tỉnh/cơ quan ban hành", "Văn bản", "Ngày ban hành", "Đoạn trích", "Đường dẫn"]
TARGET_SHEET = "Chỉ tiêu"
TASK_SHEET = "Nhiệm vụ"


def target_row_cells(line: Line) -> list[object]:
    """One spreadsheet row of a target (TARGET_COLUMNS)."""
    from knowledge.compare import place

    t, m = line.row.target, line.meta
    return [place(m), m.province or "Trung ương", line.year, kind_name(t.kind), t.value, t.unit, t.qualifier,
            line.measure, document_name(m), format_date(m.issued), line.row.clause_text, m.source_url]


def task_row_cells(row: TaskRow) -> list[object]:
    """One spreadsheet row of a task (TASK_COLUMNS)."""
    t, m = row.task, row.meta
    return [t.task, t.agency, t.partners, deadline_text(t.deadline, t.deadline_text) if t.deadline else None,
            t.deadline_text, t.product, m.province or "Trung ương", document_name(m), format_date(m.issued),
            row.clause_text, m.source_url]


def export_name(subject: str, what: str) -> str:
    """The spreadsheet's file name: "chi-tieu_thanh-toan-truc-tuyen.xlsx"."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(subject)).strip("-")[:50] or "du-lieu"
    return f"{what}_{slug}.xlsx"


def unit_name(what: str, *, lang: str = "vi") -> str:
    """ "chỉ tiêu" / "nhiệm vụ" (`what`: "targets" | "tasks")."""
    return _t(lang, f"unit.{what}")


def export_caption(subject: str, rows: int, what: str, fmt: Html = HTML, *, lang: str = "vi") -> str:
    """The spreadsheet's caption (`what`: "targets" | "tasks")."""
    return fmt.esc(_t(lang, "export.caption", rows=rows, what=unit_name(what, lang=lang),
                      subject=shorten(subject, 80)))


def export_nothing(subject: str, fmt: Html = HTML, *, lang: str = "vi") -> str:
    """/xuat that found neither targets nor tasks."""
    return fmt.esc(_t(lang, "export.nothing", subject=shorten(subject, 80)))


def file_caption(meta: DocumentMeta, fmt: Html = HTML, *, lang: str = "vi") -> str:
    """The caption of a sent document: its name and, when the document states one, its link."""
    text = fmt.esc(source_text(meta, lang, key="source.of"))
    if meta.source_url and re.match(r"https?://", meta.source_url):
        text += "\n" + fmt.link(fmt.esc(_t(lang, "file.original_link")), meta.source_url)
    return text


def _asked_words(text: str, terms: Sequence[str]) -> str | None:
    """The shortest stretch of `text` holding every one of the question's search words that it
    holds at all ("thanh toán trực tuyến" in a long measure); None when it holds none."""
    # Folded one character at a time, so positions in the folded text are positions in `text`.
    folded = "".join((fold(c) or " ")[:1] for c in text)
    found = sorted((m.start(), m.end(), t) for t in {t for t in terms if len(t) > 1}
                   for m in re.finditer(rf"(?<!\w){re.escape(t.replace('_', ' '))}(?!\w)", folded))
    wanted = {t for _, _, t in found}
    best: tuple[int, int] | None = None
    for i, (start, _, _) in enumerate(found):
        seen: set[str] = set()
        for _, end, term in found[i:]:
            seen.add(term)
            if seen == wanted:
                if best is None or end - start < best[1] - best[0]:
                    best = (start, end)
                break
    return text[best[0]:best[1]] if best else None


def inline_title(result: Result, terms: Sequence[str] = ()) -> str:
    """Title of an inline article: what the figure measures and where it comes from
    ("Thanh toán trực tuyến 80% — Quảng Ngãi 2025": the question's words as the measure states
    them when the whole measure is too long); else the clause opening."""
    figures = [t for t in result.targets if t.value_text and t.kind != "result"]
    if not figures:
        return shorten(result.text, INLINE_TITLE)
    t = figures[0]
    years = re.findall(r"(?:19|20)\d\d", t.deadline or "")
    year = years[-1] if years else (str(result.meta.year) if result.meta.year else "")
    suffix = f" — {result.meta.province or result.meta.province_current or 'Trung ương'} {year}".rstrip()
    room = INLINE_TITLE - len(suffix)
    from knowledge.compare import measure

    what = measure(result.text, t.value_text)
    if len(what) > room:
        asked = _asked_words(what, terms)
        if asked and len(asked) + len(t.value_text) + 1 <= room:
            what = f"{asked[:1].upper()}{asked[1:]} {t.value_text}"
    return shorten(what, room) + suffix


def inline_description(result: Result) -> str:
    """Description of an inline article: the clause's start, then its source."""
    return shorten(f"{result.text} · {source_text(result.meta)}", INLINE_DESCRIPTION)


# --- command line --------------------------------------------------------------------------------

NO_TOKEN_HELP = """\
Chưa có TELEGRAM_BOT_TOKEN — bot Telegram chưa chạy. / No TELEGRAM_BOT_TOKEN set.

Để kết nối Telegram / To connect Telegram:
  1. Mở Telegram, nhắn @BotFather, gõ /newbot, đặt tên → nhận token (dạng 123456:ABC-...).
  2. (Tuỳ chọn) /setinline để bật chế độ inline (@tên_bot câu hỏi);
     /setprivacy → Disable nếu muốn bot trả lời khi được nhắc tên trong nhóm.
  3. export TELEGRAM_BOT_TOKEN=123456:ABC-...   rồi chạy lại / then run again: ./scripts/run

Dùng thử ngay, không cần token và mạng / Try it now, no token or network needed:
  ./scripts/run chat
"""
