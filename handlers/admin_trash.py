"""/xoa <số hiệu>: after a confirmation, move a document to `trash/` (never deleted) and reload.
/khoiphuc <số hiệu>: bring the most recently removed copy back from the trash and reload (when a
version of that document — same number, issuer and year — is in the folder again, only after
confirming the swap). Documents of other provinces that share the number are never touched."""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update
from telegram.ext import ContextTypes

from handlers import replies
from handlers.admin import admin_only, choice_keyboard, confirm_keyboard, take_pending, who
from handlers.admin_reload import run_maintenance
from handlers.common import reply_html
from handlers.deps import PendingAction, get_deps
from knowledge import library, numbers

log = logging.getLogger("cchc.admin")

PREFIX = "at"


def _typed(context: ContextTypes.DEFAULT_TYPE) -> str:
    return " ".join(context.args or []).strip()[:80]


async def _document_argument(update: Update, context: ContextTypes.DEFAULT_TYPE, usage: str) -> str | None:
    """The document number typed after the command; None once the admin has been told why not
    (no folder to work on, or nothing typed)."""
    if get_deps(context).reloader is None:
        await reply_html(update, context, replies.HTML.esc(replies.ADMIN_UNAVAILABLE))
        return None
    typed = _typed(context)
    if not typed:
        await reply_html(update, context, replies.HTML.esc(usage))
        return None
    return typed


@admin_only("/xoa")
async def on_remove(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Find the document by number (or file name) and ask before moving it to the trash."""
    typed = await _document_argument(update, context, replies.XOA_USAGE)
    deps = get_deps(context)
    if typed is None or deps.reloader is None:
        return
    found = await asyncio.to_thread(library.find_documents, deps.reloader.knowledge_dir, typed)
    if not found:
        await reply_html(update, context, replies.not_found_in_folder(typed))
        return
    user = update.effective_user
    keys = [deps.pending.add(PendingAction("remove", user.id if user else 0, path=f.path, name=f.meta.file))
            for f in found]
    if len(found) == 1:
        await reply_html(update, context, replies.remove_confirm(found[0]),
                         reply_markup=confirm_keyboard(PREFIX, keys[0], replies.REMOVE_BUTTON))
        return
    await reply_html(update, context, replies.choose_document(typed, found),
                     reply_markup=choice_keyboard(PREFIX, [(f"🗑 {f.meta.file}", k) for f, k in zip(found, keys,
                                                                                                  strict=True)]))


@admin_only("/khoiphuc")
async def on_restore(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Restore the newest trashed copy of a document; ask first when it would replace one."""
    typed = await _document_argument(update, context, replies.KHOIPHUC_USAGE)
    deps = get_deps(context)
    if typed is None or deps.reloader is None:
        return
    root = deps.reloader.knowledge_dir
    found = await asyncio.to_thread(library.find_documents, root, typed, in_trash=True)
    if not found:
        await reply_html(update, context, replies.not_found_in_folder(typed, trash=True))
        return
    user = update.effective_user
    user_id = user.id if user else 0
    # Newest copy of each document: older copies of the same one stay in the trash.
    newest: dict[object, library.Found] = {}
    for f in found:
        newest.setdefault(numbers.identity(f.meta) or f.meta.file, f)
    if len(newest) > 1:
        choices = []
        for f in newest.values():
            live = await asyncio.to_thread(library.same_documents, root, f.meta)
            key = deps.pending.add(PendingAction("restore", user_id, path=f.path, name=f.meta.file,
                                                 replaces=[x.path for x in live]))
            choices.append((f"♻️ {f.meta.file}", key))
        await reply_html(update, context, replies.choose_document(typed, list(newest.values()), trash=True),
                         reply_markup=choice_keyboard(PREFIX, choices))
        return
    chosen = next(iter(newest.values()))
    live = await asyncio.to_thread(library.same_documents, root, chosen.meta)
    action = PendingAction("restore", user_id, path=chosen.path, name=chosen.meta.file,
                           replaces=[x.path for x in live])
    if live:
        key = deps.pending.add(action)
        await reply_html(update, context, replies.restore_confirm(chosen, live),
                         reply_markup=confirm_keyboard(PREFIX, key, replies.RESTORE_BUTTON))
        return
    if deps.maintenance.locked():
        await reply_html(update, context, replies.HTML.esc(replies.RELOAD_BUSY))
        return
    await _apply(update, context, action, message=None)


async def on_trash_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirm (or cancel) a removal or a restore."""
    action = await take_pending(update, context, {"remove", "restore"}, "/xoa or /khoiphuc confirmation")
    if action is None:
        return
    query = update.callback_query
    message = query.message if query is not None and isinstance(query.message, Message) else None
    await _apply(update, context, action, message=message)


async def _apply(update: Update, context: ContextTypes.DEFAULT_TYPE, action: PendingAction, *,
                 message: Message | None) -> None:
    deps = get_deps(context)
    assert deps.reloader is not None and action.path is not None
    root, path, replaces = deps.reloader.knowledge_dir, action.path, list(action.replaces)
    actor = who(update, context)

    def operation() -> str:
        if action.kind == "remove":
            trashed = library.move_to_trash(root, path)
            log.info("document removed by %s: %s → %s", actor, action.name, trashed.name)
            return replies.removed_intro(action.name)
        replaced = [p.name for p in replaces if p.exists()]
        restored = library.restore(root, path, replaces=replaces)
        log.info("document restored by %s: %s (replaced %s)", actor, restored.name, replaced)
        return replies.restored_intro(restored.name, replaced)

    await run_maintenance(update, context, message=message, operation=operation)
