"""/nhiemvu (tasks by agency or topic, by deadline, paginated), /hanchot (due in a window and
overdue), /theodoi and /huytheodoi (a weekly digest of tasks due in the next 30 days, sent by
PTB's JobQueue every Monday morning, Vietnam time).

Subscriptions are kept in `bot_data["subscriptions"]` as JSON-able data — {"<chat id>":
["Cần Thơ", "Sở Nội vụ"]} (string keys, as JSON needs) — so PTB persistence of bot_data keeps
them over a restart. The digest's language is the subscriber's at their last /theodoi, kept beside
them in `bot_data["subscription_languages"]` ({"<chat id>": "en"}; Vietnamese when absent).
"""

from __future__ import annotations

import logging
from datetime import date, time
from typing import Any

from telegram import Message, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from handlers import replies
from handlers.common import edit_html, pager_keyboard, reply_html, send_html, user_language
from handlers.deps import LOCAL_TZ, QuestionState, get_deps
from knowledge.base import KnowledgeBase
from knowledge.compare import page_of, parse_scope, province_names
from knowledge.deadlines import deadlines, digest, find_tasks, split_hanchot_args, subject_tasks

log = logging.getLogger(__name__)

PREFIX = "nv"          # page buttons: nv:<key>:<page>
PAGE_TASKS = 5
SUBSCRIPTIONS = "subscriptions"
SUBSCRIPTION_LANGUAGES = "subscription_languages"
MAX_SUBJECTS = 10
# Monday (PTB counts days from 0 = Sunday), 07:30 in Vietnam: the week's deadlines before work.
DIGEST_DAYS = (1,)
DIGEST_TIME = time(7, 30, tzinfo=LOCAL_TZ)


def tasks_reply(kb: KnowledgeBase, args: list[str], page: int, today: date, *, size: int = PAGE_TASKS,
                fmt: replies.Html = replies.HTML, lang: str = "vi") -> tuple[str, int, int] | None:
    """(one page of /nhiemvu, that page, the pages), None when the arguments name nothing;
    shared with the console chat."""
    scope = parse_scope(args, province_names(kb))
    subject = " ".join(p for p in (scope.topic, str(scope.year or "")) if p)
    if not subject:
        return None
    how, rows = find_tasks(kb, subject, scope.province)
    shown, page, pages = page_of(rows, page, size)
    text = replies.tasks_page(subject, scope.province, how, shown, page=page, pages=pages, total=len(rows),
                              today=today, fmt=fmt, lang=lang)
    return text, page, pages


def hanchot_reply(kb: KnowledgeBase, args: list[str], today: date, fmt: replies.Html = replies.HTML, *,
                  lang: str = "vi") -> str:
    """/hanchot's reply (shared with the console chat)."""
    window, province = split_hanchot_args(args, province_names(kb), today)
    if window is None:
        return replies.hanchot_bad_window(" ".join(args), fmt, lang=lang)
    return replies.deadlines_text(deadlines(kb, window, today, province), province, fmt, lang=lang)


async def on_tasks(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/nhiemvu: the first page of tasks."""
    deps = get_deps(context)
    args = context.args or []
    lang = user_language(update, context)
    found = tasks_reply(deps.kb, args, 0, deps.today(), lang=lang) if args else None
    if found is None:
        await reply_html(update, context, replies.say("nhiemvu.usage", lang=lang))
        return
    text, page, pages = found
    key = deps.questions.add(QuestionState(" ".join(args)[:300]))
    await reply_html(update, context, text, reply_markup=pager_keyboard(PREFIX, key, page, pages))


async def on_tasks_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """◀ / ▶ under /nhiemvu: the same message shows another page."""
    query = update.callback_query
    assert query is not None
    deps = get_deps(context)
    data = (query.data or "").split(":")
    state = deps.questions.get(data[1]) if len(data) == 3 and data[2].isdigit() else None
    lang = user_language(update, context)
    found = tasks_reply(deps.kb, state.question.split(), int(data[2]), deps.today(), lang=lang) if state else None
    if found is None:
        await query.answer(replies.STALE_BUTTON)
        return
    await query.answer()
    text, page, pages = found
    if isinstance(query.message, Message):
        await edit_html(query.message, context, replies.split_html(text), pager_keyboard(PREFIX, data[1], page, pages))


async def on_deadlines(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hanchot [tháng | quý | năm] [tỉnh]."""
    deps = get_deps(context)
    text = hanchot_reply(deps.kb, list(context.args or []), deps.today(), lang=user_language(update, context))
    await reply_html(update, context, text)


def subscriptions(bot_data: Any) -> dict[str, list[str]]:
    """The subscriptions in bot_data (created empty on first use)."""
    subs = bot_data.setdefault(SUBSCRIPTIONS, {})
    assert isinstance(subs, dict)
    return subs


def subscription_languages(bot_data: Any) -> dict[str, str]:
    """Each subscribed chat's digest language, from its last /theodoi (created empty on first use)."""
    langs = bot_data.setdefault(SUBSCRIPTION_LANGUAGES, {})
    assert isinstance(langs, dict)
    return langs


def _subject_name(kb: KnowledgeBase, typed: str) -> str | None:
    """The subject as stored: a province's canonical name, else the agency as typed when some
    task names it; None when neither."""
    province = kb.gazetteer.canonical(typed)
    if province:
        return province
    return typed if subject_tasks(kb, typed) else None


async def on_subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/theodoi <tỉnh | cơ quan>: follow it in this chat."""
    chat = update.effective_chat
    typed = " ".join(context.args or []).strip()[:100]
    if chat is None:
        return
    lang = user_language(update, context)
    if not typed:
        await reply_html(update, context, replies.say("theodoi.usage", lang=lang))
        return
    subject = _subject_name(get_deps(context).kb, typed)
    if subject is None:
        await reply_html(update, context, replies.subscribe_unknown(typed, lang=lang))
        return
    subs = subscriptions(context.bot_data)
    followed = subs.setdefault(str(chat.id), [])
    if subject.casefold() not in {s.casefold() for s in followed}:
        if len(followed) >= MAX_SUBJECTS:
            await reply_html(update, context, replies.subscribe_limit(MAX_SUBJECTS, lang=lang))
            return
        followed.append(subject)
    subscription_languages(context.bot_data)[str(chat.id)] = lang
    await reply_html(update, context, replies.subscribed(subject, followed, lang=lang))


async def on_unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/huytheodoi [tỉnh | cơ quan]: stop following one subject, or all."""
    chat = update.effective_chat
    if chat is None:
        return
    typed = " ".join(context.args or []).strip()
    subs = subscriptions(context.bot_data)
    followed = subs.get(str(chat.id), [])
    if typed:
        name = (get_deps(context).kb.gazetteer.canonical(typed) or typed).casefold()
        removed = [s for s in followed if s.casefold() == name]
    else:
        removed = list(followed)
    left = [s for s in followed if s not in removed]
    if left:
        subs[str(chat.id)] = left
    else:
        subs.pop(str(chat.id), None)
        subscription_languages(context.bot_data).pop(str(chat.id), None)
    await reply_html(update, context, replies.unsubscribed(removed, left, lang=user_language(update, context)))


async def on_digest(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The weekly job: each subscribed chat gets the tasks due in the next 30 days of what it
    follows (nothing when none are due). A chat that blocked the bot is unsubscribed."""
    deps = get_deps(context)
    today = deps.today()
    subs = subscriptions(context.bot_data)
    langs = subscription_languages(context.bot_data)
    for chat_id, subjects in list(subs.items()):
        sections = digest(deps.kb, subjects, today)
        if not sections:
            continue
        text = replies.digest_text(sections, today, lang=langs.get(chat_id, "vi"))
        try:
            await send_html(context, int(chat_id), replies.split_html(text))
        except Forbidden:
            log.info("digest: a chat blocked the bot; its subscriptions are dropped")
            subs.pop(chat_id, None)
            langs.pop(chat_id, None)
        except TelegramError as exc:
            # One chat's failure must not keep the digest from the others.
            log.warning("digest not sent to one chat: %s", exc)
