"""Incoming updates, cleaned once before any handler sees them.

A message, caption, inline query or button may carry a lone UTF-16 surrogate (Telegram's JSON
can hold "\\ud800" on its own; Python decodes it to a code point that cannot be encoded again).
Left in, it breaks the reply (UTF-16 length, splitting, sending) and the usage log. The
Application below replaces such code points in every string of an update, for long polling and
webhooks alike, so no handler has to think about it.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application

from knowledge.text import replace_lone_surrogates


def _clean(value: Any) -> tuple[Any, bool]:
    """(value with lone surrogates replaced in every string, whether anything changed)."""
    if isinstance(value, str):
        cleaned = replace_lone_surrogates(value)
        return cleaned, cleaned != value
    if isinstance(value, dict):
        changed = False
        out: dict[Any, Any] = {}
        for key, item in value.items():
            out[key], did = _clean(item)
            changed |= did
        return out, changed
    if isinstance(value, list):
        items = [_clean(item) for item in value]
        return [item for item, _ in items], any(did for _, did in items)
    return value, False


def _read_text(update: Update) -> str:
    """The strings handlers read from an update (message text or caption, inline query, button
    data), joined: a cheap first look, as serializing every update costs ~0.2 ms."""
    message = update.effective_message
    parts = [message.text, message.caption] if message is not None else []
    if update.inline_query is not None:
        parts.append(update.inline_query.query)
    if update.callback_query is not None:
        parts.append(update.callback_query.data)
    return "".join(p for p in parts if p)


def clean_update(update: Update, bot: Any) -> Update:
    """`update` itself when the text handlers read is sound, else a copy (bound to `bot`) with
    lone surrogates replaced in every string."""
    if replace_lone_surrogates(text := _read_text(update)) == text:
        return update
    data, changed = _clean(update.to_dict())
    if not changed:
        return update
    cleaned = Update.de_json(data, bot)
    return cleaned if cleaned is not None else update


class CleanTextApplication(Application):
    """PTB's Application, with every update's text made encodable before it is processed."""

    async def process_update(self, update: object) -> None:
        """Clean the update's strings, then process it as PTB does."""
        if isinstance(update, Update):
            update = clean_update(update, self.bot)
        await super().process_update(update)
