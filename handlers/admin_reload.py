"""/reload (and /reload force): rebuild the index in a worker process (time and memory limits,
`knowledge.worker`) while questions keep being answered from the current one; a progress message
edited as it goes, then the report — or why it stopped (over time, disk full).

`run_maintenance` is shared by every admin change (upload, /xoa, /khoiphuc): the file operation
and the reload that follows run under one lock, so two changes never interleave.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers import replies
from handlers.admin import admin_only, confirm_keyboard, take_pending, who
from handlers.common import edit_html, reply_html
from handlers.deps import Deps, PendingAction, get_deps
from knowledge.base import KnowledgeBase
from knowledge.build import DiskFullError
from knowledge.library import LibraryError
from knowledge.reload import ReloadBusy, ReloadResult
from knowledge.worker import WorkerError

log = logging.getLogger("cchc.admin")

PREFIX = "ar"


class _Progress:
    """Where the build is, written by the worker thread and read by the event loop (a single
    tuple assignment, so no lock is needed)."""

    def __init__(self) -> None:
        self.state: tuple[str, int, int] = ("start", 0, 0)

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.state = (stage, done, total)


def _retire(kb: KnowledgeBase) -> None:
    with contextlib.suppress(Exception):
        kb.close()


def swap_in(deps: Deps, kb: KnowledgeBase) -> None:
    """Serve `kb` from now on. The old index stays open for `retire_after` seconds so a reader
    still holding it finishes; only an index the reloader itself manages is ever closed."""
    old, deps.kb = deps.kb, kb
    if old is not kb and deps.reloader is not None and old.path == deps.reloader.db_path:
        asyncio.get_running_loop().call_later(deps.retire_after, _retire, old)


async def _show(message: Message, text: str) -> None:
    """Edit the progress message; a failed edit (e.g. a 429) only delays the next one."""
    with contextlib.suppress(TelegramError):
        await message.edit_text(text)  # HTML, no preview: the Application's Defaults


# One critical section under the maintenance lock; each failure needs its own reply, so splitting it would
# scatter the lock and the progress message.
async def run_maintenance(update: Update, context: ContextTypes.DEFAULT_TYPE, *, message: Message | None,  # noqa: C901
                          operation: Callable[[], str] | None = None, force: bool = False) -> ReloadResult | None:
    """Under the maintenance lock: `operation` (a file change in a worker thread, returning the
    report's first line as HTML), then the reload with its progress message (`message` is edited,
    else a new one is sent); ends with the report. Returns the reload's result, if it ran."""
    deps = get_deps(context)
    reloader = deps.reloader
    if reloader is None:
        await reply_html(update, context, replies.HTML.esc(replies.ADMIN_UNAVAILABLE))
        return None
    async with deps.maintenance:
        intro = ""
        if operation is not None:
            try:
                intro = await asyncio.to_thread(operation)
            except (LibraryError, OSError) as exc:
                log.warning("admin file operation failed: %s", exc)
                text = replies.file_error(replies.file_problem(exc))
                if message is not None:
                    await _show(message, text)
                else:
                    await reply_html(update, context, text)
                return None
        progress = _Progress()
        if message is None:
            message = await reply_html(update, context, replies.reload_progress("start", intro=intro))
        else:
            await _show(message, replies.reload_progress("start", intro=intro))
        log.info("reload started by %s (force=%s)", who(update, context), force)
        task = asyncio.ensure_future(asyncio.to_thread(reloader.reload, force=force, progress=progress))
        shown = progress.state
        while True:
            done, _ = await asyncio.wait({task}, timeout=deps.progress_every)
            if done:
                break
            if progress.state != shown and message is not None:
                shown = progress.state
                await _show(message, replies.reload_progress(*shown, intro=intro))
        try:
            result = task.result()
        except ReloadBusy:
            text, result = (intro + "\n" if intro else "") + replies.HTML.esc(replies.RELOAD_BUSY), None
        except FileNotFoundError as exc:
            text, result = replies.file_error(replies.file_problem(exc)), None
        except DiskFullError as exc:
            log.error("reload failed, the old index kept: %s", exc)
            text, result = replies.reload_disk_full(exc.missing_mb, intro=intro), None
        except WorkerError as exc:
            log.error("reload stopped, the old index kept: %s", exc)
            text, result = replies.reload_stopped(replies.worker_problem(exc.code, exc.limit), intro=intro), None
        except Exception:
            log.exception("reload failed")
            text, result = (intro + "\n" if intro else "") + replies.HTML.esc(replies.RELOAD_FAILED), None
        if result is None:
            if message is not None:
                await _show(message, text)
            return None
        if result.swapped and result.kb is not None:
            swap_in(deps, result.kb)
        d = result.diff
        log.info("reload %s: %d documents (+%d ~%d -%d), %d errors, %.1f s",
                 "swapped" if result.swapped else "kept the old index", d.after[0], d.documents.added,
                 d.documents.changed, d.documents.removed, len(result.errors), result.seconds)
        markup = None
        if result.errors and not result.swapped:
            user = update.effective_user
            key = deps.pending.add(PendingAction("force", user.id if user else 0))
            markup = confirm_keyboard(PREFIX, key, replies.FORCE_BUTTON)
        chunks = replies.split_html(replies.reload_report(result, intro=intro))
        if message is not None:
            try:
                await edit_html(message, context, chunks, markup)
            except TelegramError:
                await reply_html(update, context, "\n\n".join(chunks), reply_markup=markup)
        return result


@admin_only("/reload")
async def on_reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload: rebuild now. /reload force: after a confirmation, rebuild without unreadable files."""
    deps = get_deps(context)
    if deps.reloader is None:
        await reply_html(update, context, replies.HTML.esc(replies.ADMIN_UNAVAILABLE))
        return
    if [a.lower() for a in context.args or []][:1] == ["force"]:
        user = update.effective_user
        key = deps.pending.add(PendingAction("force", user.id if user else 0))
        await reply_html(update, context, replies.HTML.esc(replies.RELOAD_FORCE_CONFIRM),
                         reply_markup=confirm_keyboard(PREFIX, key, replies.FORCE_BUTTON))
        return
    if deps.maintenance.locked():
        await reply_html(update, context, replies.HTML.esc(replies.RELOAD_BUSY))
        return
    await run_maintenance(update, context, message=None)


async def on_reload_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The confirmation of a forced reload (from /reload force, or under a failed reload's report)."""
    action = await take_pending(update, context, {"force"}, "/reload force")
    if action is None:
        return
    query = update.callback_query
    message = query.message if query is not None and isinstance(query.message, Message) else None
    await run_maintenance(update, context, message=message, force=True)
