"""Helpers shared by the handler modules: sending HTML safely, keyboards, group addressing."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Sequence

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes, Defaults, filters

from handlers import replies
from handlers.lang import LANGUAGES, language_for
from knowledge.models import MAX_QUESTION, Answer

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# Every message, edit and inline article is HTML without a link preview (a source link would
# otherwise unfold a portal's banner under each answer). Set once on the Application, so no call
# site can forget one of them.
DEFAULTS = Defaults(parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)
LANG_KEY = "lang"  # user_data: the language chosen with /lang (persisted with user_data)


def user_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The interface language of the update's user: their /lang choice, else their Telegram
    language ("en…" → English), else Vietnamese."""
    chosen = context.user_data.get(LANG_KEY) if context.user_data is not None else None
    if chosen in LANGUAGES:
        return str(chosen)
    user = update.effective_user
    return language_for(user.language_code if user is not None else None)
# Questions are searched on their first characters only: a pasted page must not cost a
# full-text query over thousands of words, and the opening is what identifies the clause.


async def send_html(context: ContextTypes.DEFAULT_TYPE, chat_id: int, chunks: Sequence[str], *,
                    reply_markup: InlineKeyboardMarkup | None = None,
                    reply_to: int | None = None) -> Message | None:
    """Send pre-split HTML chunks in order; the keyboard goes on the last one."""
    last: Message | None = None
    for i, chunk in enumerate(chunks):
        is_last = i == len(chunks) - 1
        last = await context.bot.send_message(
            chat_id=chat_id,
            text=chunk,
            reply_markup=reply_markup if is_last else None,
            reply_parameters=quoting(reply_to) if i == 0 else None,
        )
    return last


def quoting(reply_to: int | None) -> ReplyParameters | None:
    """Reply parameters quoting message `reply_to` (sent anyway if it is gone); None for none."""
    return ReplyParameters(message_id=reply_to, allow_sending_without_reply=True) if reply_to else None


async def reply_html(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, *,
                     reply_markup: InlineKeyboardMarkup | None = None) -> Message | None:
    """Reply to the update's chat with one HTML text, split at the 4,096 limit if needed.

    In groups the reply quotes the asker's message so the thread stays readable.
    """
    chat = update.effective_chat
    if chat is None:
        return None
    return await send_html(context, chat.id, replies.split_html(text), reply_markup=reply_markup,
                           reply_to=reply_to_id(update))


def reply_to_id(update: Update) -> int | None:
    """The message to quote in a reply: the asker's, in groups only (a private chat needs no
    thread), and never for a button tap (the message there is the bot's own)."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or chat.type == ChatType.PRIVATE or update.callback_query:
        return None
    return message.message_id


async def edit_html(message: Message, context: ContextTypes.DEFAULT_TYPE, chunks: Sequence[str],
                    reply_markup: InlineKeyboardMarkup | None) -> None:
    """Replace a message's text in place; overflow chunks follow as new messages."""
    try:
        await message.edit_text(chunks[0], reply_markup=reply_markup if len(chunks) == 1 else None)
    except BadRequest as exc:
        # A double tap edits to identical content; Telegram rejects that and nothing is lost.
        if "not modified" not in str(exc).lower():
            raise
    if len(chunks) > 1:
        await send_html(context, message.chat_id, chunks[1:], reply_markup=reply_markup)


async def typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    """Show "typing…"; purely cosmetic, so failures are ignored."""
    with contextlib.suppress(TelegramError):
        await context.bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)


def answer_keyboard(key: str, answer: Answer, offset: int, top: int, generation: str,
                    lang: str = "vi") -> InlineKeyboardMarkup:
    """Sources (one per result), paging and feedback buttons for an answer page.

    callback_data stays far below 64 bytes: a kind letter, the 8-char state id, a number.
    A sources button names its clause by id and the index generation it came from: ids change
    when documents are added or removed, so a button from before a reload must not open another
    clause.
    """
    rows: list[list[InlineKeyboardButton]] = []
    n = len(answer.results)
    rows.append([
        InlineKeyboardButton(replies.sources_button_label(None if n == 1 else offset + i + 1, lang),
                             callback_data=f"s:{generation}:{r.clause_id}")
        for i, r in enumerate(answer.results)
    ])
    paging = []
    if offset > 0:
        back = max(0, offset - top)
        paging.append(InlineKeyboardButton(replies.say("button.back", replies.PLAIN, lang),
                                           callback_data=f"m:{key}:{back}"))
    if answer.more:
        paging.append(InlineKeyboardButton(replies.say("button.more", replies.PLAIN, lang),
                                           callback_data=f"m:{key}:{offset + top}"))
    if paging:
        rows.append(paging)
    rows.append([
        InlineKeyboardButton(replies.FEEDBACK_UP, callback_data=f"f:{key}:1"),
        InlineKeyboardButton(replies.FEEDBACK_DOWN, callback_data=f"f:{key}:-1"),
    ])
    return InlineKeyboardMarkup(rows)


def suggestions_keyboard(key: str, suggestions: Sequence[str]) -> InlineKeyboardMarkup | None:
    """One button per suggested topic (the topic text lives server-side under `key`)."""
    if not suggestions:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(replies.shorten(s, 60), callback_data=f"q:{key}:{i}")]
        for i, s in enumerate(suggestions)
    ])


def examples_keyboard() -> InlineKeyboardMarkup:
    """The example questions of /start as buttons."""
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(label, callback_data=f"x:{i}")] for i, label in enumerate(replies.EXAMPLE_BUTTONS)
    ])


class AddressedToBot(filters.MessageFilter):
    """Private chats always; in groups only messages that mention the bot or reply to it."""

    def filter(self, message: Message) -> bool:
        if message.chat.type == ChatType.PRIVATE:
            return True
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
            return True
        username = (bot.username or "").lower()
        kinds: list[str | None] = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
        # A document or photo names the bot in its caption.
        entities = {**message.parse_entities(kinds), **message.parse_caption_entities(kinds)}
        for entity, text in entities.items():
            if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot.id:
                return True
            if username and text.lower() == f"@{username}":
                return True
        return False


ADDRESSED_TO_BOT = AddressedToBot(name="AddressedToBot")


def question_text(message: Message) -> str:
    """The question in a message: the bot's @mention removed, white space collapsed, capped."""
    text = message.text or message.caption or ""
    try:
        username = message.get_bot().username
    except RuntimeError:
        username = None
    if username:
        text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
    text = " ".join(text.split())
    if len(text) > MAX_QUESTION:
        text = replies.shorten(text, MAX_QUESTION).rstrip("…")
    return text


def pager_keyboard(prefix: str, key: str, page: int, pages: int,
                   extra: Sequence[InlineKeyboardButton] = ()) -> InlineKeyboardMarkup | None:
    """◀ ▶ under one page of a listing (callback "<prefix>:<key>:<page>", the listing's
    arguments kept server-side under `key`), then the `extra` buttons on their own row."""
    rows: list[list[InlineKeyboardButton]] = []
    paging = []
    if page > 0:
        paging.append(InlineKeyboardButton(replies.PAGE_PREV, callback_data=f"{prefix}:{key}:{page - 1}"))
    if page + 1 < pages:
        paging.append(InlineKeyboardButton(replies.PAGE_NEXT, callback_data=f"{prefix}:{key}:{page + 1}"))
    if paging:
        rows.append(paging)
    if extra:
        rows.append(list(extra))
    return InlineKeyboardMarkup(rows) if rows else None
