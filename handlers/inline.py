"""Inline mode for staff: `@bot <query>` in any chat lists matching clauses (target + source)."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.ext import ContextTypes

from handlers import replies
from handlers.common import user_language
from handlers.deps import get_deps, searched
from knowledge.models import MAX_QUESTION, Answer

log = logging.getLogger("cchc.questions")


def _article(id_: str, title: str, description: str, html_text: str) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=id_, title=title, description=description,
        # HTML, no link preview: the Application's Defaults.
        input_message_content=InputTextMessageContent(html_text),
    )


async def on_inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Up to 10 articles for a query; tips for an empty one; a single "not found" article when
    the plans do not answer (never an unrelated clause)."""
    query = update.inline_query
    if query is None:
        return
    deps = get_deps(context)
    lang = user_language(update, context)
    text = " ".join(query.query.split())[:MAX_QUESTION]
    if not text:
        tips = [_article(f"tip{i}", title, desc, replies.HTML.esc(f"{title}. {desc}"))
                for i, (title, desc) in enumerate(replies.inline_tips(lang))]
        # Personal: the tips are in the asker's language.
        await query.answer(tips, cache_time=300, is_personal=True)
        return
    kb = deps.kb

    def search() -> tuple[Answer, Sequence[str]]:
        answer = kb.search(text, top=deps.inline_results)
        return answer, kb.read(text).terms if answer.answered and answer.results else ()

    (answer, terms), searching = await searched(deps, search)
    started = time.perf_counter()
    answered = bool(answer.answered and answer.results)
    if answered:
        results = [_article(str(r.clause_id), replies.inline_title(r, terms), replies.inline_description(r),
                            replies.inline_message(r, lang)) for r in answer.results[: deps.inline_results]]
    else:
        results = [_article("none", replies.say("inline.nothing", replies.PLAIN, lang), replies.shorten(text, 100),
                            replies.inline_nothing_text(text, lang))]
    # Logged (queued) before sending, as chat answers are: the record stays if sending fails.
    latency_ms = (searching + time.perf_counter() - started) * 1000
    log.info("question answered=%s results=%d latency_ms=%.0f chat=inline chars=%d",
             "yes" if answered else "no", len(answer.results) if answered else 0, latency_ms, len(text))
    if deps.usage is not None:
        deps.usage.log_question(query.from_user.id, text, answered=answered, latency_ms=latency_ms,
                                clause_ids=[r.clause_id for r in answer.results] if answered else [],
                                channel="inline")
    await query.answer(results, cache_time=60, is_personal=lang != "vi")
