"""/muctieu <chủ đề> [tỉnh] [năm]: the targets on a topic, grouped by province and document,
one page at a time (◀ ▶ edit the message), with a "📊 Biểu đồ" button for the /sosanh chart."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from handlers import replies
from handlers.common import edit_html, pager_keyboard, reply_html, user_language
from handlers.compare import send_comparison
from handlers.deps import QuestionState, get_deps
from knowledge.base import KnowledgeBase
from knowledge.compare import Scope, grouped, listing, page_of, parse_scope, province_names

PREFIX = "mt"        # page buttons: mt:<key>:<page>
CHART_PREFIX = "mc"  # chart button: mc:<key>
PAGE_LINES = 8


def targets_reply(kb: KnowledgeBase, scope: Scope, page: int = 0, *, size: int = PAGE_LINES,
                  fmt: replies.Html = replies.HTML, lang: str = "vi") -> tuple[str, int, int]:
    """(one page of /muctieu, that page, the number of pages — 0 when nothing was found);
    shared with the console chat."""
    lines = listing(kb, scope, kinds=(scope.kind,))
    shown, page, pages = page_of(lines, page, size)
    text = replies.targets_page(scope, grouped(shown), page=page, pages=pages, total=len(lines), fmt=fmt,
                                 lang=lang)
    return text, page, pages if lines else 0


def _keyboard(key: str, page: int, pages: int, lang: str) -> InlineKeyboardMarkup | None:
    if not pages:
        return None  # nothing found: no pages, nothing to draw
    label = replies.say("button.chart", replies.PLAIN, lang)
    chart = InlineKeyboardButton(label, callback_data=f"{CHART_PREFIX}:{key}")
    return pager_keyboard(PREFIX, key, page, pages, [chart])


async def on_targets(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Targets on a topic, optionally for one province and/or year: the first page."""
    deps = get_deps(context)
    args = context.args or []
    lang = user_language(update, context)
    scope = parse_scope(args, province_names(deps.kb)) if args else None
    if scope is None or not scope.topic:
        await reply_html(update, context, replies.say("muctieu.usage", lang=lang))
        return
    text, page, pages = targets_reply(deps.kb, scope, lang=lang)
    # The arguments live server-side; buttons carry only their id and a page number.
    key = deps.questions.add(QuestionState(" ".join(args)[:300]))
    await reply_html(update, context, text, reply_markup=_keyboard(key, page, pages, lang))


async def _state(update: Update, context: ContextTypes.DEFAULT_TYPE, parts: int) -> tuple[Scope, list[str]] | None:
    query = update.callback_query
    assert query is not None
    deps = get_deps(context)
    data = (query.data or "").split(":")
    state = deps.questions.get(data[1]) if len(data) == parts else None
    if state is None or (parts == 3 and not data[2].isdigit()):
        await query.answer(replies.STALE_BUTTON)
        return None
    return parse_scope(state.question.split(), province_names(deps.kb)), data


async def on_targets_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """◀ / ▶: the same message shows another page."""
    found = await _state(update, context, 3)
    if found is None:
        return
    scope, data = found
    query = update.callback_query
    assert query is not None
    await query.answer()
    lang = user_language(update, context)
    text, page, pages = targets_reply(get_deps(context).kb, scope, int(data[2]), lang=lang)
    if isinstance(query.message, Message):
        await edit_html(query.message, context, replies.split_html(text), _keyboard(data[1], page, pages, lang))


async def on_targets_chart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """📊 Biểu đồ: the /sosanh chart (and table) of the listing's topic, as new messages."""
    found = await _state(update, context, 2)
    if found is None:
        return
    scope, _ = found
    query = update.callback_query
    assert query is not None
    await query.answer()
    chat = update.effective_chat
    if chat is None:
        return
    reply_to = query.message.message_id if query.message is not None else None
    await send_comparison(context, chat.id, scope, reply_to=reply_to, lang=user_language(update, context))
