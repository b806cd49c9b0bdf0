"""Logging set-up: the bot token (and webhook secret) never reach a log line."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterable
from urllib.parse import quote

REDACTED = "[REDACTED]"


class RedactSecretsFilter(logging.Filter):
    """Replace secrets in the message, its arguments and any formatted traceback.

    Attached to handlers (not loggers) so records propagated from library loggers such as
    httpx, telegram.ext and aiohttp pass through it too. Besides the raw token it removes its
    URL-encoded form and its secret half (after ':'), the forms it takes inside request URLs.
    """

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        needles: set[str] = set()
        for secret in secrets:
            if not secret or len(secret) < 6:
                continue
            needles.update({secret, quote(secret, safe=""), quote(secret)})
            if ":" in secret:
                tail = secret.split(":", 1)[1]
                if len(tail) >= 8:
                    needles.add(tail)
        # Longest first, so a secret containing another is replaced whole.
        self._needles = sorted(needles, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """`text` with every secret replaced."""
        for needle in self._needles:
            if needle in text:
                text = text.replace(needle, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._needles:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = self.redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = self.redact(text)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def setup_logging(secrets: Iterable[str | None] = (), level: int = logging.INFO) -> RedactSecretsFilter:
    """Log to stderr with secrets redacted; quiet httpx, which logs every request URL (and the
    URL contains the token)."""
    root = logging.getLogger()
    if not root.handlers:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(stream)
    root.setLevel(level)
    redactor = RedactSecretsFilter(secrets)
    for handler in root.handlers:
        handler.addFilter(redactor)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return redactor
