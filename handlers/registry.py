"""Every handler of the chat layer in order, and the bot's command menus (imported by `handlers`
when `register` or `set_commands` is first used).

The chat layer: python-telegram-bot handlers on top of `knowledge`.

One module per feature; all wording and HTML in `handlers.replies`. `register()` adds every
handler in order (commands, buttons, inline, then the free-text catch-all last), as in PTB's
examples; `bot.py` builds the Application and calls it.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from handlers import (
    admin,
    admin_reload,
    admin_trash,
    admin_upload,
    documents,
    errors,
    inline,
    questions,
    replies,
    start,
    targets,
)
from handlers.common import ADDRESSED_TO_BOT
from handlers.deps import get_deps

log = logging.getLogger(__name__)

# Messages that carry no text to answer.
MEDIA = (
    filters.Sticker.ALL | filters.PHOTO | filters.VOICE | filters.AUDIO | filters.VIDEO
    | filters.VIDEO_NOTE | filters.ANIMATION | filters.Document.ALL | filters.LOCATION
    | filters.CONTACT
)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every handler, in the order PTB tries them."""
    # Only new messages: edits of old questions and channel posts are not conversations.
    new = filters.UpdateType.MESSAGE
    add = application.add_handler
    add(CommandHandler("start", start.on_start, filters=new))
    add(CommandHandler("help", start.on_help, filters=new))
    add(CommandHandler("privacy", start.on_privacy, filters=new))
    add(CommandHandler("muctieu", targets.on_targets, filters=new))
    add(CommandHandler("tinh", documents.on_provinces, filters=new))
    add(CommandHandler("vanban", documents.on_document, filters=new))
    add(CommandHandler("thongke", admin.on_stats, filters=new))
    add(CommandHandler("chuatraloi", admin.on_unanswered, filters=new))
    add(CommandHandler("reload", admin_reload.on_reload, filters=new))
    add(CommandHandler("xoa", admin_trash.on_remove, filters=new))
    add(CommandHandler("khoiphuc", admin_trash.on_restore, filters=new))

    add(CallbackQueryHandler(questions.on_more, pattern=r"^m:"))
    add(CallbackQueryHandler(questions.on_sources, pattern=r"^s:"))
    add(CallbackQueryHandler(questions.on_feedback, pattern=r"^f:"))
    add(CallbackQueryHandler(questions.on_suggestion, pattern=r"^q:"))
    add(CallbackQueryHandler(questions.on_example, pattern=r"^x:"))
    add(CallbackQueryHandler(documents.on_document_button, pattern=r"^vb:"))
    add(CallbackQueryHandler(admin_reload.on_reload_button, pattern=r"^ar:"))
    add(CallbackQueryHandler(admin_upload.on_upload_button, pattern=r"^au:"))
    add(CallbackQueryHandler(admin_trash.on_trash_button, pattern=r"^at:"))
    add(CallbackQueryHandler(questions.on_unknown_button))  # every callback gets an answer

    add(InlineQueryHandler(inline.on_inline_query))

    private = filters.ChatType.PRIVATE
    add(MessageHandler(new & private & filters.COMMAND, questions.on_unknown_command))
    # Before the media catch-all: an admin's document is an upload (others get the media hint);
    # one addressed to the bot in a group gets the "private chat only" hint.
    add(MessageHandler(new & filters.Document.ALL & ADDRESSED_TO_BOT, admin_upload.on_document))
    add(MessageHandler(new & private & MEDIA, questions.on_media))
    add(MessageHandler(new & filters.TEXT & ~filters.COMMAND & ADDRESSED_TO_BOT, questions.on_text))

    application.add_error_handler(errors.on_error)


def registered_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> list[str]:
    """Every command name a CommandHandler answers (for tests and docs checks)."""
    names: list[str] = []
    for group in application.handlers.values():
        for handler in group:
            if isinstance(handler, CommandHandler):
                names.extend(sorted(handler.commands))
    return names


async def set_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The commands menu (setMyCommands) with Vietnamese descriptions; admins also see theirs.

    Used as the Application's post_init. Failures are logged, not fatal (an admin who never
    opened the bot has no chat yet, so their scoped menu fails until they do).
    """
    public = [BotCommand(name, description) for name, description, _ in replies.COMMANDS]
    try:
        await application.bot.set_my_commands(public)
    except TelegramError as exc:
        # The menu is a convenience; a hiccup at start-up must not keep the bot from serving.
        log.warning("commands menu not set: %s", exc)
    admin_menu = public + [BotCommand(name, description) for name, description, _ in replies.ADMIN_COMMANDS]
    for admin_id in sorted(get_deps(application).admin_ids):
        try:
            await application.bot.set_my_commands(admin_menu, scope=BotCommandScopeChat(admin_id))
        except TelegramError as exc:
            log.info("admin menu not set for one admin: %s", exc)
