"""Questions in free text and the buttons under an answer: more results, sources, feedback,
suggested topics; plus small talk, non-text messages and unknown commands."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from handlers import replies
from handlers.common import (
    answer_keyboard,
    edit_html,
    question_text,
    reply_html,
    reply_to_id,
    send_html,
    suggestions_keyboard,
    user_language,
)
from handlers.deps import Deps, FloodVerdict, QuestionState, get_deps, searched
from handlers.documents import file_keyboard
from knowledge.models import Answer

log = logging.getLogger("cchc.questions")


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Search the plans and reply: the top clauses with buttons, or "the plans don't say" with the
    closest topics. Shared by free text, deep links, example and suggestion buttons."""
    deps = get_deps(context)
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    lang = user_language(update, context)
    question = " ".join(question.split())
    if not question:
        await reply_html(update, context, replies.say("empty_question", lang=lang))
        return
    if user is not None:
        verdict = deps.flood.check(user.id)
        if verdict is FloodVerdict.WARN:
            log.info("flood guard: user over %d questions/%.0fs", deps.flood.limit, deps.flood.window)
            await reply_html(update, context, replies.flood_wait(deps.flood.retry_in(user.id), lang=lang))
            return
        if verdict is FloodVerdict.DROP:
            return
    # No "typing…" here: the answer is ready in milliseconds, and the extra request per question
    # cost a third of the bot's throughput (benchmarks/).
    kb = deps.kb  # one index for the search and the buttons, even if a reload swaps it meanwhile
    top = deps.top

    def search() -> tuple[Answer, list[str]]:
        answer = kb.search(question, top=top)
        return answer, [] if answer.answered and answer.results else kb.suggestions(question, limit=3)

    (answer, suggestions), searching = await searched(deps, search)
    started = time.perf_counter()
    answered = bool(answer.answered and answer.results)
    markup: InlineKeyboardMarkup | None
    if answered:
        state = QuestionState(question, 0, [r.clause_id for r in answer.results])
        key = deps.questions.add(state)
        chunks = replies.answer_html(answer, lang=lang)
        markup = answer_keyboard(key, answer, 0, top, kb.generation, lang)
    else:
        state = QuestionState(question, suggestions=suggestions)
        key = deps.questions.add(state)
        chunks = replies.split_html(replies.not_answered_text(question, suggestions, notes=answer.notes,
                                                                 lang=lang))
        markup = suggestions_keyboard(key, suggestions)
    # Latency is the bot's own work (search and formatting); Telegram's round trip is not ours
    # to measure, and logging before sending keeps the record even if sending fails.
    latency_ms = (searching + time.perf_counter() - started) * 1000
    # One line per question: enough to watch quality and speed, no user identity.
    log.info("question answered=%s results=%d latency_ms=%.0f chat=%s chars=%d",
             "yes" if answered else "no", len(answer.results) if answered else 0, latency_ms,
             chat.type, len(question))
    if deps.usage is not None:
        topics = (t.topic for r in answer.results for t in r.targets if t.topic) if answered else iter(())
        deps.usage.log_question(user.id if user else None, question, answered=answered,
                                latency_ms=latency_ms, clause_ids=state.clause_ids,
                                topic=next(topics, None), channel="chat")
    await send_html(context, chat.id, chunks, reply_markup=markup, reply_to=reply_to_id(update))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text (the catch-all): small talk gets a short reply, anything else is a question."""
    message = update.effective_message
    if message is None:
        return
    text = question_text(message)
    kind = replies.small_talk_kind(text)
    lang = user_language(update, context)
    if kind == "greeting":
        await reply_html(update, context, replies.greeting_reply(lang=lang))
        return
    if kind == "thanks":
        await reply_html(update, context, replies.thanks_reply(lang=lang))
        return
    await answer_question(update, context, text)


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice…: the bot reads text only, say so."""
    await reply_html(update, context, replies.media_hint(lang=user_language(update, context)))


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have."""
    await reply_html(update, context, replies.say("unknown_command", lang=user_language(update, context)))


# --- buttons -------------------------------------------------------------------------------------

def voter_tag(deps: Deps, user_id: int) -> str:
    """Who voted on an answer, as kept with it: the usage log's keyed tag (HMAC), else a hash."""
    if deps.usage is not None:
        return deps.usage.log_tag(user_id)
    return hashlib.sha256(f"cchc-voter:{user_id}".encode()).hexdigest()[:12]


def _toast(update: Update, context: ContextTypes.DEFAULT_TYPE, key: str) -> str:
    """A button's toast (plain text) in the user's language."""
    return replies.say(key, replies.PLAIN, user_language(update, context))


def _callback_parts(update: Update) -> list[str]:
    query = update.callback_query
    return (query.data or "").split(":") if query is not None else []


async def _button_state(update: Update, context: ContextTypes.DEFAULT_TYPE, *, valid: Callable[[str], bool],
                        ) -> tuple[CallbackQuery, Deps, list[str], QuestionState] | None:
    """The stored question behind a "kind:key:value" button; None once a stale or malformed
    button has been answered as such."""
    query = update.callback_query
    assert query is not None
    deps = get_deps(context)
    parts = _callback_parts(update)
    state = deps.questions.get(parts[1]) if len(parts) == 3 else None
    if state is None or not valid(parts[2]):
        await query.answer(_toast(update, context, "button.stale"))
        return None
    return query, deps, parts, state


async def on_more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Xem thêm" / "Trước": the next (or previous) page of results, editing the message."""
    found = await _button_state(update, context, valid=str.isdigit)
    if found is None:
        return
    query, deps, parts, state = found
    offset = int(parts[2])
    kb = deps.kb
    answer, _ = await searched(deps, lambda: kb.search(state.question, top=deps.top, offset=offset))
    if not answer.results:
        await query.answer(_toast(update, context, "button.no_more"))
        return
    await query.answer()
    state.offset = offset
    state.clause_ids = [r.clause_id for r in answer.results]
    message = query.message
    if message is None or not hasattr(message, "edit_text"):
        return
    lang = user_language(update, context)
    await edit_html(message, context, replies.answer_html(answer, offset, lang),  # type: ignore[arg-type]
                    answer_keyboard(parts[1], answer, offset, deps.top, kb.generation, lang))


async def on_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"📄 Nguồn": the document card with the clause in its context, as a new message."""
    query = update.callback_query
    assert query is not None
    kb = get_deps(context).kb  # one index for the whole card, even if a reload swaps it meanwhile
    parts = _callback_parts(update)
    if len(parts) == 3 and parts[1] != kb.generation:
        await query.answer(_toast(update, context, "button.stale"))
        return
    clause = kb.clause(int(parts[2])) if len(parts) == 3 and parts[2].isdigit() else None
    if clause is None:
        await query.answer(_toast(update, context, "button.unknown"))
        return
    await query.answer()
    neighbours = kb.neighbours(clause.clause_id, before=1, after=1)
    chat = update.effective_chat
    if chat is None:
        return
    lang = user_language(update, context)
    card = replies.document_card(clause.meta, clause, neighbours, lang=lang)
    reply_to = query.message.message_id if query.message is not None else None
    place = kb.index.clause_place(clause.clause_id)
    markup = file_keyboard(get_deps(context), place[0], lang) if place else None
    await send_html(context, chat.id, replies.split_html(card), reply_to=reply_to, reply_markup=markup)


async def on_feedback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍 / 👎: stored with the question and the clause ids shown, one vote per user and page."""
    found = await _button_state(update, context, valid=lambda v: v in ("1", "-1"))
    if found is None:
        return
    query, deps, parts, state = found
    user = update.effective_user
    # A keyed pseudonym, not the Telegram id: the question states are saved to disk (STATE_DB).
    voter = f"{voter_tag(deps, user.id if user else 0)}:{state.offset}"
    if voter in state.voters:
        await query.answer(_toast(update, context, "feedback.already"))
        return
    state.voters.add(voter)
    if deps.usage is not None:
        deps.usage.log_feedback(user.id if user else None, state.question, state.clause_ids, int(parts[2]))
    await query.answer(_toast(update, context, "feedback.thanks"))


async def on_suggestion(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A suggested topic under a "plans don't say" reply: ask it."""
    query = update.callback_query
    assert query is not None
    deps = get_deps(context)
    parts = _callback_parts(update)
    state = deps.questions.get(parts[1]) if len(parts) == 3 else None
    if state is None or not parts[2].isdigit() or int(parts[2]) >= len(state.suggestions):
        await query.answer(_toast(update, context, "button.stale"))
        return
    await query.answer()
    await answer_question(update, context, state.suggestions[int(parts[2])])


async def on_example(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An example question button from /start."""
    query = update.callback_query
    assert query is not None
    parts = _callback_parts(update)
    if len(parts) != 2 or not parts[1].isdigit() or int(parts[1]) >= len(replies.EXAMPLE_QUESTIONS):
        await query.answer(_toast(update, context, "button.unknown"))
        return
    await query.answer()
    await answer_question(update, context, replies.EXAMPLE_QUESTIONS[int(parts[1])])


async def on_unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any other callback (an old keyboard layout): answer it so the client stops spinning."""
    if update.callback_query is not None:
        await update.callback_query.answer(_toast(update, context, "button.unknown"))
