"""The error handler: log with context, tell the user something went wrong, keep serving."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, NetworkError, TelegramError
from telegram.ext import ContextTypes

from handlers import replies
from handlers.common import user_language

log = logging.getLogger("cchc.errors")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception; apologise in private chats and stop a tapped button from spinning."""
    error = context.error
    if isinstance(error, Forbidden):
        # The user blocked the bot: nothing to tell them, nothing to fix.
        log.info("forbidden: %s", error)
        return
    if isinstance(error, NetworkError) and not isinstance(update, Update):
        # Polling hiccups are retried by the updater itself; one line is enough.
        log.warning("network error while polling: %s", error)
        return
    kind = type(update).__name__ if update is not None else "none"
    log.error("error while handling %s update", kind, exc_info=error)
    if not isinstance(update, Update):
        return
    lang = user_language(update, context)
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await update.callback_query.answer(replies.say("error", replies.PLAIN, lang))
        chat = update.effective_chat
        if chat is not None and chat.type == ChatType.PRIVATE:
            # HTML and no link preview come from the Application's Defaults.
            await context.bot.send_message(chat.id, replies.say("error", lang=lang))
