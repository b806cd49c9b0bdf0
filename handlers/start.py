"""/start (with deep links), /help and /privacy."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers import replies
from handlers.common import examples_keyboard, reply_html
from handlers.deps import get_deps
from handlers.questions import answer_question


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot knows and three example questions; `t.me/<bot>?start=<payload>` asks the
    question in the payload directly."""
    if context.args:
        question = replies.decode_start_payload(context.args[0])
        if question:
            await answer_question(update, context, question)
            return
    overview = get_deps(context).kb.overview()
    await reply_html(update, context, replies.start_text(overview), reply_markup=examples_keyboard())


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every command with its usage."""
    await reply_html(update, context, replies.help_text())


async def on_privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What is stored about users."""
    await reply_html(update, context, replies.privacy_text())
