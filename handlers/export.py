"""/xuat <chỉ tiêu | cơ quan>: an XLSX file of the targets on a topic, or of the tasks an agency
leads or helps with (one row each, Vietnamese column names, source document and clause)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from handlers import replies
from handlers.common import quoting, reply_html, reply_to_id, user_language
from handlers.deps import get_deps
from knowledge.base import KnowledgeBase
from knowledge.compare import listing, parse_scope, province_names
from knowledge.deadlines import find_tasks
from knowledge.export import xlsx


@dataclass
class Export:
    """A spreadsheet ready to send or save."""

    name: str
    data: bytes
    rows: int
    kind: str      # "targets" | "tasks"
    subject: str

    @property
    def what(self) -> str:
        """ "chỉ tiêu" | "nhiệm vụ" (Vietnamese: the console's and the file's word)."""
        return replies.unit_name(self.kind)


def build_export(kb: KnowledgeBase, args: list[str]) -> Export | None:
    """The spreadsheet /xuat sends: an agency's tasks when some task names that agency, else the
    targets (and results, marked) on the topic, else the tasks whose words match it; None when
    nothing matches. Shared with the console chat."""
    scope = parse_scope(args, province_names(kb))
    subject = scope.topic
    if not subject:
        return None
    how, tasks = find_tasks(kb, subject, scope.province)
    if how != "agency":
        lines = listing(kb, scope, kinds=("target", "result"), limit=80)
        if lines:
            data = xlsx(replies.TARGET_SHEET, replies.TARGET_COLUMNS, [replies.target_row_cells(ln) for ln in lines])
            return Export(replies.export_name(subject, "chi-tieu"), data, len(lines), "targets", subject)
    if not tasks:
        return None
    data = xlsx(replies.TASK_SHEET, replies.TASK_COLUMNS, [replies.task_row_cells(r) for r in tasks])
    return Export(replies.export_name(subject, "nhiem-vu"), data, len(tasks), "tasks", subject)


async def on_export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/xuat: the spreadsheet as a document (built in a worker thread)."""
    chat = update.effective_chat
    args = list(context.args or [])
    if chat is None:
        return
    lang = user_language(update, context)
    if not args:
        await reply_html(update, context, replies.say("xuat.usage", lang=lang))
        return
    found = await asyncio.to_thread(build_export, get_deps(context).kb, args)
    if found is None:
        await reply_html(update, context, replies.export_nothing(" ".join(args), lang=lang))
        return
    await context.bot.send_document(
        chat_id=chat.id, document=found.data, filename=found.name,
        caption=replies.export_caption(found.subject, found.rows, found.kind, lang=lang), parse_mode=ParseMode.HTML,
        reply_parameters=quoting(reply_to_id(update)),
    )
