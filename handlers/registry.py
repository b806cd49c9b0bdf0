"""Every handler of the chat layer in order, and the bot's command menus and descriptions
(imported by `handlers` when `register`, `on_startup` or `set_commands` is first used).

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
    compare,
    documents,
    errors,
    export,
    inline,
    questions,
    replies,
    start,
    targets,
    tasks,
)
from handlers.common import ADDRESSED_TO_BOT
from handlers.deps import bind_state, get_deps
from handlers.lang import DEFAULT, LANGUAGES, text

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
    add(CommandHandler("lang", start.on_lang, filters=new))
    add(CommandHandler("muctieu", targets.on_targets, filters=new))
    add(CommandHandler("sosanh", compare.on_compare, filters=new))
    add(CommandHandler("nhiemvu", tasks.on_tasks, filters=new))
    add(CommandHandler("hanchot", tasks.on_deadlines, filters=new))
    add(CommandHandler("theodoi", tasks.on_subscribe, filters=new))
    add(CommandHandler("huytheodoi", tasks.on_unsubscribe, filters=new))
    add(CommandHandler("xuat", export.on_export, filters=new))
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
    add(CallbackQueryHandler(documents.on_file_button, pattern=rf"^{documents.FILE_PREFIX}:"))
    add(CallbackQueryHandler(targets.on_targets_page, pattern=rf"^{targets.PREFIX}:"))
    add(CallbackQueryHandler(targets.on_targets_chart, pattern=rf"^{targets.CHART_PREFIX}:"))
    add(CallbackQueryHandler(tasks.on_tasks_page, pattern=rf"^{tasks.PREFIX}:"))
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

    # The weekly deadline digest (/theodoi); without the job-queue extra there is no digest.
    if application.job_queue is not None:
        application.job_queue.run_daily(tasks.on_digest, time=tasks.DIGEST_TIME, days=tasks.DIGEST_DAYS,
                                        name="digest")
    else:
        log.warning("no JobQueue: the /theodoi digest will not be sent")


def registered_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> list[str]:
    """Every command name a CommandHandler answers (for tests and docs checks)."""
    names: list[str] = []
    for group in application.handlers.values():
        for handler in group:
            if isinstance(handler, CommandHandler):
                names.extend(sorted(handler.commands))
    return names


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The Application's post_init (after persistence has restored `bot_data`): link the saved
    button state and pending confirmations to Deps, then set the menus and the profile texts."""
    bind_state(application)
    await set_commands(application)
    await set_descriptions(application)


def _telegram_language(lang: str) -> str | None:
    """The `language_code` a menu or description is set for: none for the default language
    (what every user without a more specific one sees), else the catalog's code."""
    return None if lang == DEFAULT else lang


async def set_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The commands menu (setMyCommands), one per catalog language (`language_code` "en" for
    English; Vietnamese for everyone else); admins also see theirs, in Vietnamese.

    Failures are logged, not fatal (an admin who never opened the bot has no chat yet, so their
    scoped menu fails until they do).
    """
    for lang in LANGUAGES:
        menu = [BotCommand(name, description) for name, description, _ in replies.commands(lang)]
        try:
            await application.bot.set_my_commands(menu, language_code=_telegram_language(lang))
        except TelegramError as exc:
            # The menu is a convenience; a hiccup at start-up must not keep the bot from serving.
            log.warning("commands menu (%s) not set: %s", lang, exc)
    public = [BotCommand(name, description) for name, description, _ in replies.commands(DEFAULT)]
    admin_menu = public + [BotCommand(name, description) for name, description, _ in replies.ADMIN_COMMANDS]
    for admin_id in sorted(get_deps(application).admin_ids):
        try:
            await application.bot.set_my_commands(admin_menu, scope=BotCommandScopeChat(admin_id))
        except TelegramError as exc:
            log.info("admin menu not set for one admin: %s", exc)


async def set_descriptions(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """What the chat shows before /start (setMyDescription) and on the bot's profile and in
    shares (setMyShortDescription), in every catalog language. Failures are logged only."""
    for lang in LANGUAGES:
        code = _telegram_language(lang)
        try:
            await application.bot.set_my_description(text(lang, "bot.description"), language_code=code)
            await application.bot.set_my_short_description(text(lang, "bot.short_description"),
                                                           language_code=code)
        except TelegramError as exc:
            log.warning("bot description (%s) not set: %s", lang, exc)
