"""/start (with deep links), /help, /privacy and /lang."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers import replies
from handlers.common import LANG_KEY, examples_keyboard, reply_html, user_language
from handlers.deps import get_deps
from handlers.lang import LANGUAGES
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
    await reply_html(update, context, replies.start_text(overview, lang=user_language(update, context)),
                     reply_markup=examples_keyboard())


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every command with its usage."""
    await reply_html(update, context, replies.help_text(lang=user_language(update, context)))


async def on_privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What is stored about users."""
    await reply_html(update, context, replies.privacy_text(lang=user_language(update, context)))


async def on_lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lang vi|en: switch the interface language; remembered in user_data (persisted)."""
    wanted = (context.args[0].lower() if context.args else "").strip()
    if wanted in LANGUAGES and context.user_data is not None:
        context.user_data[LANG_KEY] = wanted
        await reply_html(update, context, replies.lang_reply(wanted, changed=True))
        return
    await reply_html(update, context, replies.lang_reply(user_language(update, context), changed=False))
