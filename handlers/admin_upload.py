"""An admin sends a plan document (.txt, .md, .docx, .doc, .pdf) in a private chat: it is checked
(type, size), downloaded, kept in `.incoming/` under a safe name and previewed (title, number,
province, date, clauses, targets) with Confirm / Cancel. Confirm moves it into the plans folder
(the same document — number, issuer and year — moves to the trash) and reloads; Cancel deletes it. A file
that cannot be read is refused with the reason and nothing is kept.

Documents from anyone else get the usual "text only" hint, as any other media.
"""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers import replies
from handlers.admin import (
    confirm_keyboard,
    expire_pending,
    in_private_chat,
    is_admin,
    private_only_hint,
    take_pending,
    who,
)
from handlers.admin_reload import run_maintenance
from handlers.common import reply_html, typing
from handlers.deps import PendingAction, get_deps
from handlers.questions import on_media
from knowledge import library, numbers, worker
from knowledge.models import DocumentError

log = logging.getLogger("cchc.admin")

PREFIX = "au"


# A chain of guards, each with its own reply to the sender; splitting it would scatter the early returns.
async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:  # noqa: C901
    """A document message: an admin's upload, or media like any other from everyone else."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    if not in_private_chat(update):
        # Only documents addressed to the bot in a group get here; uploads are private-only.
        if is_admin(update, context):
            await private_only_hint(update, context, "upload")
        return
    if not is_admin(update, context):
        await on_media(update, context)
        return
    deps = get_deps(context)
    if deps.reloader is None:
        await reply_html(update, context, replies.HTML.esc(replies.ADMIN_UNAVAILABLE))
        return
    document = message.document
    name = document.file_name or library.DEFAULT_STEM
    if not library.suffix_allowed(name):
        log.info("upload refused (type): %s", library.safe_filename(name))
        await reply_html(update, context, replies.upload_bad_type(name))
        return
    limit = deps.max_upload_bytes
    if document.file_size is not None and document.file_size > limit:
        log.info("upload refused (size %d bytes)", document.file_size)
        await reply_html(update, context, replies.upload_too_big(name, document.file_size, limit))
        return
    chat = update.effective_chat
    if chat is not None:
        # Downloading and reading a document can take seconds: show that the bot is on it.
        context.application.create_task(typing(context, chat.id), update=update)
    try:
        telegram_file = await context.bot.get_file(document.file_id)
        buffer = io.BytesIO()
        await telegram_file.download_to_memory(buffer)
    except TelegramError as exc:
        log.warning("upload download failed: %s", exc)
        await reply_html(update, context, replies.HTML.esc(replies.UPLOAD_DOWNLOAD_FAILED))
        return
    data = buffer.getvalue()
    if len(data) > limit:  # file_size is optional in the Bot API; the bytes are what counts
        await reply_html(update, context, replies.upload_too_big(name, len(data), limit))
        return

    root = deps.reloader.knowledge_dir
    await expire_pending(deps)
    await asyncio.to_thread(library.purge_incoming, root)
    staged, safe = await asyncio.to_thread(library.stage_upload, root, name, data)
    limits = deps.reloader.limits
    try:
        if deps.reloader.isolated:
            # In a separate process, bounded: whatever the file does, the bot keeps answering.
            preview = await asyncio.to_thread(worker.run, library.preview_document, staged, limits=limits,
                                              seconds=limits.preview_seconds,
                                              memory_bytes=limits.preview_memory_bytes)
        else:  # tests that inject a reader (fake OCR, no converters) into this process
            preview = await asyncio.to_thread(library.preview_document, staged, limits=limits)
    except (DocumentError, worker.WorkerError) as exc:
        await asyncio.to_thread(library.discard_upload, root, staged)
        if isinstance(exc, DocumentError):
            problem = replies.document_problem(exc)
        else:
            problem = replies.worker_problem(exc.code, exc.limit)
        log.info("upload refused: %s: %s", safe, exc)
        await reply_html(update, context, replies.upload_broken(name, problem))
        return
    identical = await asyncio.to_thread(library.identical_file, root, preview.sha256)
    if identical is not None:
        await asyncio.to_thread(library.discard_upload, root, staged)
        await reply_html(update, context, replies.upload_identical(name, identical.relative_to(root).as_posix()))
        return
    number = preview.meta.document
    same_number = await asyncio.to_thread(library.find_documents, root, number) if number else []
    # Only the same document (number, issuer and year) is replaced: every province has a "101/KH-UBND".
    same = [f for f in same_number if numbers.same_document(preview.meta, f.meta)]
    others = [f.meta.file for f in same_number if f not in same]
    replaces = [f.path for f in same]
    if len(replaces) == 1 and replaces[0].suffix.lower() == Path(safe).suffix and replaces[0].parent == root:
        # A new version of one document keeps its file name, so the report reads "changed".
        safe = replaces[0].name
    saved_as = library.planned_name(root, safe, replaces=replaces)
    user = update.effective_user
    key = deps.pending.add(PendingAction("upload", user.id if user else 0, path=staged, name=safe,
                                         replaces=replaces))
    log.info("upload staged by %s: %s (%d bytes, %d clauses, replaces %d)", who(update, context), safe,
             len(data), preview.clauses, len(replaces))
    label = replies.REPLACE_BUTTON if replaces else replies.ADD_BUTTON
    await reply_html(update, context,
                     replies.upload_preview(name, saved_as, preview, [f.meta.file for f in same], others),
                     reply_markup=confirm_keyboard(PREFIX, key, label))


async def on_upload_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirm: move the upload in (the document it replaces to the trash) and reload.
    Cancel: delete the waiting file."""
    action = await take_pending(update, context, {"upload"}, "upload confirmation")
    if action is None or action.path is None:
        return
    deps = get_deps(context)
    assert deps.reloader is not None
    root, staged, replaces = deps.reloader.knowledge_dir, action.path, list(action.replaces)

    def operation() -> str:
        replaced = [p.name for p in replaces if p.exists()]
        target = library.commit_upload(root, staged, action.name, replaces=replaces)
        log.info("upload confirmed: %s (replaced %s)", target.name, replaced)
        return replies.upload_saved(target.relative_to(root.resolve()).as_posix(), replaced)

    query = update.callback_query
    message = query.message if query is not None and isinstance(query.message, Message) else None
    await run_maintenance(update, context, message=message, operation=operation)
