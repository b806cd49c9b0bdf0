"""Admin-only commands (ADMIN_IDS): the guard every admin action goes through, the shared
Confirm / Cancel handling of admin buttons, /thongke usage statistics and /chuatraloi
unanswered questions.

Reloading, uploads and the trash live in `admin_reload`, `admin_upload` and `admin_trash`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers import replies
from handlers.common import reply_html, user_language
from handlers.deps import Deps, PendingAction, get_deps
from knowledge import library
from knowledge.usage import UsageLogError

log = logging.getLogger("cchc.admin")

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True when the update comes from a user listed in ADMIN_IDS."""
    user = update.effective_user
    return user is not None and user.id in get_deps(context).admin_ids


def who(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The acting user for a log line: a short keyed pseudonym, never the raw id, and not a
    prefix of the hash the usage database stores (so the two cannot be joined)."""
    user, usage = update.effective_user, get_deps(context).usage
    if user is None:
        return "unknown"
    return usage.log_tag(user.id) if usage is not None else "user"


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str) -> None:
    """A polite refusal and a log line; the action itself never runs."""
    log.warning("refused admin action %s from a non-admin user (%s)", action, who(update, context))
    lang = user_language(update, context)  # a citizen who tried: their language
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(replies.say("admin_only", replies.PLAIN, lang), show_alert=True)
        return
    await reply_html(update, context, replies.say("admin_only", lang=lang))


def in_private_chat(update: Update) -> bool:
    """True for a private chat with the bot (admin output may hold other people's questions,
    statistics and file names: never for a group's eyes)."""
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


async def private_only_hint(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str) -> None:
    """The one-line answer to an admin action outside a private chat; nothing else runs."""
    log.info("admin action %s outside a private chat: hint only", action)
    lang = user_language(update, context)
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(replies.say("admin_private_only", replies.PLAIN, lang),
                                               show_alert=True)
        return
    await reply_html(update, context, replies.say("admin_private_only", lang=lang))


def admin_only(action: str) -> Callable[[Callback], Callback]:
    """Decorator: run the handler for admins in their private chat only; a group gets a one-line
    hint (whoever typed it), anyone else is refused (and logged)."""
    def wrap(handler: Callback) -> Callback:
        @functools.wraps(handler)
        async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            if not in_private_chat(update):
                await private_only_hint(update, context, action)
                return
            if not is_admin(update, context):
                await refuse(update, context, action)
                return
            await handler(update, context)
        return guarded
    return wrap


# --- Confirm / Cancel buttons ---------------------------------------------------------------------

def confirm_keyboard(prefix: str, key: str, confirm_label: str) -> InlineKeyboardMarkup:
    """[confirm] [cancel] for a pending action; callback_data is "<prefix>:<8-char id>:y|n"."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(confirm_label, callback_data=f"{prefix}:{key}:y"),
        InlineKeyboardButton(replies.CANCEL_BUTTON, callback_data=f"{prefix}:{key}:n"),
    ]])


def choice_keyboard(prefix: str, choices: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One confirming button per (label, pending id), then one cancel button for all of them."""
    rows = [[InlineKeyboardButton(replies.shorten(label, 60), callback_data=f"{prefix}:{key}:y")]
            for label, key in choices]
    cancel = ",".join(key for _, key in choices)
    # callback_data is capped at 64 bytes: cancel lists as many ids as fit, the rest expire.
    while len(f"{prefix}:{cancel}:n".encode()) > 64:
        cancel = cancel.rsplit(",", 1)[0]
    rows.append([InlineKeyboardButton(replies.CANCEL_BUTTON, callback_data=f"{prefix}:{cancel}:n")])
    return InlineKeyboardMarkup(rows)


async def drop_pending(deps: Deps, action: PendingAction) -> None:
    """Forget a pending action; an upload's staged file is deleted (nothing was confirmed)."""
    if action.kind == "upload" and action.path is not None and deps.reloader is not None:
        with contextlib.suppress(OSError, library.LibraryError):
            await asyncio.to_thread(library.discard_upload, deps.reloader.knowledge_dir, action.path)


async def expire_pending(deps: Deps) -> None:
    """Delete staged uploads whose confirmation expired."""
    for action in deps.pending.expired():
        await drop_pending(deps, action)


async def take_pending(update: Update, context: ContextTypes.DEFAULT_TYPE, kinds: set[str],
                       action_name: str) -> PendingAction | None:
    """The pending action behind a tapped Confirm button, ready to run; None when the tap was a
    cancel, a stale button, a non-admin or a moment when another change is running (each
    answered here)."""
    query = update.callback_query
    assert query is not None
    if not in_private_chat(update):
        await private_only_hint(update, context, action_name)
        return None
    if not is_admin(update, context):
        await refuse(update, context, action_name)
        return None
    deps = get_deps(context)
    parts = (query.data or "").split(":")
    if len(parts) != 3:
        await query.answer(replies.UNKNOWN_BUTTON)
        return None
    if parts[2] != "y":
        for key in parts[1].split(","):
            dropped = deps.pending.pop(key)
            if dropped is not None:
                await drop_pending(deps, dropped)
        await query.answer(replies.CANCELLED)
        await edit_plain(query.message, replies.HTML.esc(replies.CANCELLED))
        return None
    action = deps.pending.pop(parts[1])
    if action is None or action.kind not in kinds:
        if action is not None:
            deps.pending.put_back(parts[1], action)
        await query.answer(replies.PENDING_EXPIRED, show_alert=True)
        return None
    if deps.maintenance.locked():
        deps.pending.put_back(parts[1], action)
        await query.answer(replies.BUSY_TOAST, show_alert=True)
        return None
    await query.answer()
    return action


async def edit_plain(message: object, text: str) -> None:
    """Replace a bot message's text and drop its buttons (best effort: cosmetic)."""
    if isinstance(message, Message):
        with contextlib.suppress(TelegramError):
            await message.edit_text(text, reply_markup=None)  # HTML, no preview: Defaults


# --- statistics -----------------------------------------------------------------------------------

@admin_only("/thongke")
async def on_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Questions today/this week, share answered, median latency, top topics, 👎 count."""
    usage = get_deps(context).usage
    if usage is None:
        await reply_html(update, context, replies.HTML.esc(replies.USAGE_LOG_OFF))
        return
    try:
        # Off the event loop: a lock held on the usage file must not stall anyone's answer.
        stats = await asyncio.to_thread(usage.stats)
    except UsageLogError as exc:
        log.warning("usage log unreadable for /thongke: %s", exc.reason)
        await reply_html(update, context, replies.HTML.esc(replies.USAGE_LOG_UNREADABLE))
        return
    await reply_html(update, context, replies.stats_text(stats))


@admin_only("/chuatraloi")
async def on_unanswered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The most frequent questions the plans did not answer, similar ones grouped."""
    usage = get_deps(context).usage
    if usage is None:
        await reply_html(update, context, replies.HTML.esc(replies.USAGE_LOG_OFF))
        return
    try:
        rows = await asyncio.to_thread(usage.unanswered, limit=15)
    except UsageLogError as exc:
        log.warning("usage log unreadable for /chuatraloi: %s", exc.reason)
        await reply_html(update, context, replies.HTML.esc(replies.USAGE_LOG_UNREADABLE))
        return
    await reply_html(update, context, replies.unanswered_text(rows))
