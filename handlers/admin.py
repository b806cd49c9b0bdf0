"""Admin-only commands (ADMIN_IDS): /thongke usage statistics, /chuatraloi unanswered questions."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers import replies
from handlers.common import reply_html
from handlers.deps import get_deps


def _is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return user is not None and user.id in get_deps(context).admin_ids


async def on_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Questions today/this week, share answered, median latency, top topics, 👎 count."""
    usage = get_deps(context).usage
    if not _is_admin(update, context) or usage is None:
        await reply_html(update, context, replies.HTML.esc(replies.ADMIN_ONLY))
        return
    await reply_html(update, context, replies.stats_text(usage.stats()))


async def on_unanswered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The most frequent questions the plans did not answer."""
    usage = get_deps(context).usage
    if not _is_admin(update, context) or usage is None:
        await reply_html(update, context, replies.HTML.esc(replies.ADMIN_ONLY))
        return
    await reply_html(update, context, replies.unanswered_text(usage.unanswered(limit=15)))
