"""Outgoing request policy: PTB's AIORateLimiter for Telegram's limits, plus retries.

Retried: RetryAfter (429: Telegram did not process the call; wait as told), 5xx and connection
errors (`NetworkError` proper, raised before or instead of a response), and time-outs for methods
that are safe to repeat. A time-out on sendMessage is not retried: the message may have been
delivered, and a duplicate answer is worse than a log line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter, BaseRateLimiter

log = logging.getLogger(__name__)

# Methods whose repetition changes nothing for the user.
IDEMPOTENT = frozenset({
    "getMe", "deleteWebhook", "setWebhook", "setMyCommands", "getMyCommands", "sendChatAction",
    "answerCallbackQuery", "answerInlineQuery", "editMessageText", "editMessageReplyMarkup",
    "getChat", "getFile", "setMyDescription", "setMyShortDescription",
})
# Never wait longer than this on one 429; longer bans are better surfaced than hidden.
MAX_RETRY_AFTER = 60.0


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds (read from the timedelta PTB keeps, since the
    public `retry_after` attribute warns about its int/timedelta transition)."""
    wait = getattr(exc, "_retry_after", None)
    if isinstance(wait, timedelta):
        return wait.total_seconds()
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class ResilientRateLimiter(BaseRateLimiter[int]):
    """Throttle with AIORateLimiter (unless `throttle=False`, for tests and benchmarks) and retry
    what is safe to retry, with exponential back-off."""

    def __init__(self, *, throttle: bool = True, max_retries: int = 3, backoff: float = 0.5,
                 overall_max_rate: float = 30, group_max_rate: float = 20) -> None:
        self.max_retries = max_retries
        self.backoff = backoff
        # The inner limiter's own RetryAfter loop is disabled (max_retries=0): retries happen
        # here, in one place, for every kind of error.
        self._inner = AIORateLimiter(overall_max_rate=overall_max_rate, group_max_rate=group_max_rate,
                                     max_retries=0) if throttle else None

    async def initialize(self) -> None:
        """Start the inner limiter."""
        if self._inner is not None:
            await self._inner.initialize()

    async def shutdown(self) -> None:
        """Stop the inner limiter."""
        if self._inner is not None:
            await self._inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Run one request through the throttle, retrying as described in the module docstring."""
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        attempt = 0
        while True:
            try:
                if self._inner is not None:
                    return await self._inner.process_request(callback, args, kwargs, endpoint, data, 0)
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                if attempt >= retries or seconds > MAX_RETRY_AFTER:
                    raise
                log.warning("%s: rate limited by Telegram, retrying in %.1f s", endpoint, seconds)
                await asyncio.sleep(seconds + 0.05)
            except NetworkError as exc:
                safe = type(exc) is NetworkError or (isinstance(exc, TimedOut) and endpoint in IDEMPOTENT)
                if not safe or attempt >= retries:
                    raise
                delay = self.backoff * (2 ** attempt)
                log.warning("%s: %s, retrying in %.2f s", endpoint, exc, delay)
                await asyncio.sleep(delay)
            attempt += 1
