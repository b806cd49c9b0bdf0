"""/tinh (provinces and their documents), /vanban <số hiệu> (one document's card; when several
provinces have a document with that number, buttons to pick one) and "📎 Văn bản" (the stored
file of a document, under a sources card)."""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from handlers import replies
from handlers.common import quoting, reply_html, send_html, user_language
from handlers.deps import Deps, get_deps
from knowledge import numbers
from knowledge.originals import original

PREFIX = "vb"
MAX_CHOICES = 20   # buttons under one "which document?" reply; more: type a province or a year too


async def on_provinces(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Each province with its documents."""
    lang = user_language(update, context)
    await reply_html(update, context, replies.provinces_text(get_deps(context).kb.documents(), lang=lang))


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One document's card, found by its number as typed ("4168", "4168/QĐ-UBND", "101 Cần Thơ");
    several documents with that number: which one? (a button each)."""
    typed = " ".join(context.args or []).strip()
    lang = user_language(update, context)
    if not typed:
        await reply_html(update, context, replies.say("vanban.usage", lang=lang))
        return
    kb = get_deps(context).kb
    found = kb.find_documents(typed[:80])
    if not found:
        await reply_html(update, context, replies.document_not_found(typed, lang=lang))
        return
    if len(found) == 1:
        await reply_html(update, context, replies.document_card(found[0][1], lang=lang),
                         reply_markup=file_keyboard(get_deps(context), found[0][0], lang))
        return
    shown = found[:MAX_CHOICES]
    # The index generation rides along: after a reload the ids mean other documents.
    keyboard = InlineKeyboardMarkup([
        [InlineKeyboardButton(replies.shorten(numbers.label(meta), 60), callback_data=f"{PREFIX}:{kb.generation}:{i}")]
        for i, meta in shown])
    await reply_html(update, context, replies.documents_to_choose(typed, [m for _, m in found], shown=len(shown),
                                                                 lang=lang),
                     reply_markup=keyboard)


async def on_document_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A document picked under a "which one?" reply: its card, as a new message (the buttons stay
    for the others)."""
    query = update.callback_query
    assert query is not None
    kb = get_deps(context).kb
    parts = (query.data or "").split(":")
    meta = kb.docs.get(int(parts[2])) if len(parts) == 3 and parts[1] == kb.generation and parts[2].isdigit() \
        else None
    lang = user_language(update, context)
    if meta is None:
        await query.answer(replies.say("button.stale", replies.PLAIN, lang))
        return
    await query.answer()
    chat = update.effective_chat
    if chat is None:
        return
    reply_to = query.message.message_id if query.message is not None else None
    await send_html(context, chat.id, replies.split_html(replies.document_card(meta, lang=lang)), reply_to=reply_to,
                    reply_markup=file_keyboard(get_deps(context), int(parts[2]), lang))


FILE_PREFIX = "vf"   # "📎 Văn bản": vf:<generation>:<document id>


def file_keyboard(deps: Deps, doc_id: int, lang: str = "vi") -> InlineKeyboardMarkup | None:
    """The "📎 Văn bản" button under a sources card, when the document's file is still stored.
    It names the document by id and index generation, never by path."""
    meta = deps.kb.docs.get(doc_id)
    if meta is None or original(deps.knowledge_dir, meta) is None:
        return None
    label = replies.say("button.file", replies.PLAIN, lang)
    return InlineKeyboardMarkup([[InlineKeyboardButton(
        label, callback_data=f"{FILE_PREFIX}:{deps.kb.generation}:{doc_id}")]])


async def on_file_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"📎 Văn bản": the stored original under a readable name, its link in the caption. A button
    from before a reload (another generation) is refused: its id may name another document now."""
    query = update.callback_query
    assert query is not None
    deps = get_deps(context)
    lang = user_language(update, context)
    parts = (query.data or "").split(":")
    meta = deps.kb.docs.get(int(parts[2])) if len(parts) == 3 and parts[1] == deps.kb.generation \
        and parts[2].isdigit() else None
    if meta is None:
        await query.answer(replies.say("button.stale", replies.PLAIN, lang))
        return
    stored = original(deps.knowledge_dir, meta)
    if stored is None:
        await query.answer(replies.say("file.missing", replies.PLAIN, lang), show_alert=True)
        return
    await query.answer(replies.say("file.sending", replies.PLAIN, lang))
    chat = update.effective_chat
    if chat is None:
        return
    data = await asyncio.to_thread(stored.path.read_bytes)
    await context.bot.send_document(
        chat_id=chat.id, document=data, filename=stored.name, caption=replies.file_caption(meta, lang=lang),
        parse_mode=ParseMode.HTML,
        reply_parameters=quoting(query.message.message_id if query.message is not None else None))
