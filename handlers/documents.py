"""/tinh (provinces and their documents) and /vanban <số hiệu> (one document's card)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers import replies
from handlers.common import reply_html
from handlers.deps import get_deps


async def on_provinces(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Each province with its documents."""
    await reply_html(update, context, replies.provinces_text(get_deps(context).kb.documents()))


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One document's card, found by its number as typed ("4168", "4168/QĐ-UBND")."""
    number = " ".join(context.args or []).strip()
    if not number:
        await reply_html(update, context, replies.HTML.esc(replies.VANBAN_USAGE))
        return
    meta = get_deps(context).kb.find_document(number[:80])
    if meta is None:
        await reply_html(update, context, replies.document_not_found(number))
        return
    await reply_html(update, context, replies.document_card(meta))
