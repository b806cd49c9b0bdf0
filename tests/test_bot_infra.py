"""Pieces of the chat layer that need neither the network nor the index: log redaction, the
retry policy, the flood guard, settings, /muctieu argument parsing, the no-token start."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from handlers.deps import FloodGuard, FloodVerdict, QuestionState, QuestionStore
from handlers.logs import REDACTED, RedactSecretsFilter
from handlers.resilience import ResilientRateLimiter
from knowledge.compare import parse_scope

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:AAH-test-secret-token-0123456789abcdef"


# --- logs ------------------------------------------------------------------------------------------

def test_token_is_redacted_from_messages_args_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecretsFilter([TOKEN, None]))
    logger = logging.getLogger("test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("POST https://api.telegram.org/bot%s/sendMessage", TOKEN)
        logger.warning("url-encoded: %s", TOKEN.replace(":", "%3A"))
        logger.warning("secret half only: %s", TOKEN.split(":", 1)[1])
        try:
            raise RuntimeError(f"connect failed for /bot{TOKEN}/getMe")
        except RuntimeError:
            logger.exception("boom")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert TOKEN.split(":", 1)[1] not in out
    assert out.count(REDACTED) >= 4
    assert "RuntimeError" in out            # the traceback itself is kept


# --- retries ---------------------------------------------------------------------------------------

class Flaky:
    """A request callback failing with the given errors before succeeding."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> dict[str, Any]:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return {"ok": True}


async def run(limiter: ResilientRateLimiter, callback: Flaky, endpoint: str) -> Any:
    await limiter.initialize()
    try:
        return await limiter.process_request(callback, (), {}, endpoint, {"chat_id": 1}, None)
    finally:
        await limiter.shutdown()


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_retry_after_and_bad_gateway_are_retried() -> None:
    cb = Flaky(RetryAfter(0), NetworkError("Bad Gateway"))
    assert await run(ResilientRateLimiter(throttle=True, backoff=0.01), cb, "sendMessage") == {"ok": True}
    assert cb.calls == 3


async def test_timeout_is_retried_only_when_repeating_is_harmless() -> None:
    cb = Flaky(TimedOut())
    assert await run(ResilientRateLimiter(throttle=False, backoff=0.01), cb, "answerCallbackQuery")
    with pytest.raises(TimedOut):
        await run(ResilientRateLimiter(throttle=False, backoff=0.01), Flaky(TimedOut()), "sendMessage")


async def test_bad_request_is_not_retried_and_retries_are_bounded() -> None:
    cb = Flaky(BadRequest("can't parse entities"))
    with pytest.raises(BadRequest):
        await run(ResilientRateLimiter(throttle=False), cb, "sendMessage")
    assert cb.calls == 1
    cb = Flaky(*[NetworkError("Bad Gateway")] * 10)
    with pytest.raises(NetworkError):
        await run(ResilientRateLimiter(throttle=False, max_retries=2, backoff=0.0), cb, "sendMessage")
    assert cb.calls == 3


# --- flood guard, question store -------------------------------------------------------------------

def test_flood_guard_allows_limit_then_warns_once_then_recovers() -> None:
    now = [0.0]
    guard = FloodGuard(limit=20, window=60, clock=lambda: now[0])
    assert all(guard.check(7) is FloodVerdict.ALLOW for _ in range(20))
    assert guard.check(7) is FloodVerdict.WARN
    assert guard.check(7) is FloodVerdict.DROP
    assert guard.check(8) is FloodVerdict.ALLOW          # other users are not affected
    assert 1 <= guard.retry_in(7) <= 60
    now[0] = 61.0
    assert guard.check(7) is FloodVerdict.ALLOW


def test_question_store_is_bounded_and_ids_fit_callback_data() -> None:
    store = QuestionStore(capacity=3)
    keys = [store.add(QuestionState(f"q{i}")) for i in range(5)]
    assert len(store) == 3
    assert store.get(keys[0]) is None and store.get(keys[4]) is not None
    assert all(len(f"f:{k}:-1".encode()) <= 64 for k in keys)


# --- /muctieu arguments ----------------------------------------------------------------------------

PROVINCES = ["Hà Tĩnh", "Cần Thơ", "Bắc Giang", "Lào Cai"]


@pytest.mark.parametrize(("args", "expected"), [
    ("dịch vụ công trực tuyến", ("dịch vụ công trực tuyến", None, None)),
    ("dịch vụ công Hà Tĩnh 2026", ("dịch vụ công", "Hà Tĩnh", 2026)),
    ("thanh toan truc tuyen tinh ha tinh", ("thanh toan truc tuyen", "Hà Tĩnh", None)),
    ("hồ sơ trực tuyến 2025", ("hồ sơ trực tuyến", None, 2025)),
    ("chỉ số PAR INDEX thành phố Cần Thơ", ("chỉ số PAR INDEX", "Cần Thơ", None)),
    ("Lào Cai", ("", "Lào Cai", None)),
])
def test_parse_targets_args(args: str, expected: tuple[str, str | None, int | None]) -> None:
    scope = parse_scope(args.split(), PROVINCES)
    assert (scope.topic, scope.province, scope.year) == expected


# --- settings and start-up without a token -------------------------------------------------------

def test_settings_come_from_the_environment() -> None:
    import bot

    s = bot.read_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": "http://127.0.0.1:8081/bot",
                           "ADMIN_IDS": "1, 2,x", "DB_PATH": "/tmp/k.db", "PORT": "9000",
                           "WEBHOOK_URL": "https://example.org/hook", "WEBHOOK_SECRET": "s3cret"})
    assert s.token == TOKEN
    assert s.file_url == "http://127.0.0.1:8081/file/bot"
    assert s.admin_ids == frozenset({1, 2})
    assert s.usage_db == Path("/tmp/k.usage.sqlite")
    assert (s.port, s.webhook_url, s.webhook_secret) == (9000, "https://example.org/hook", "s3cret")
    assert bot.read_settings({"USAGE_DB": "/x/u.sqlite"}).usage_db == Path("/x/u.sqlite")


@pytest.mark.slow
def test_without_a_token_it_explains_and_exits_zero(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "WEBHOOK_URL")}
    env["DB_PATH"] = str(tmp_path / "never-built.db")
    proc = subprocess.run([sys.executable, str(ROOT / "bot.py")], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, env=env, timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "BotFather" in proc.stdout
    # A command that works on a fresh machine (it creates the venv); `python bot.py` does not.
    assert "./scripts/run chat" in proc.stdout and "python bot.py" not in proc.stdout
    assert not (tmp_path / "never-built.db").exists()


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_run_wires_polling_or_webhook_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                            shipped_db: Path, tmp_path: Path) -> None:
    from telegram.ext import Application

    import bot
    from handlers.deps import get_deps

    seen: dict[str, Any] = {}

    def fake_run(mode: str) -> Any:
        def run(self: Any, **kwargs: Any) -> None:
            seen.update(mode=mode, kwargs=kwargs, app=self)
        return run

    async def fake_serve(application: Any, deps: Any, settings: Any, **kwargs: Any) -> None:
        seen.update(mode="webhook", kwargs={**kwargs, "settings": settings}, app=application)

    monkeypatch.setattr(Application, "run_polling", fake_run("polling"))
    monkeypatch.setattr(bot, "serve_bot", fake_serve)
    for name in ("KNOWLEDGE_DIR", "WEBHOOK_URL", "WEBHOOK_SECRET", "TELEGRAM_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DB_PATH", str(shipped_db))
    monkeypatch.setenv("USAGE_DB", str(tmp_path / "usage.sqlite"))
    monkeypatch.setenv("ADMIN_IDS", "42,43")
    root = logging.getLogger()
    level, filters = root.level, {h: list(h.filters) for h in root.handlers}
    try:
        assert bot.main(["run"]) == 0
        assert seen["mode"] == "polling"
        assert set(seen["kwargs"]["allowed_updates"]) == {"message", "callback_query", "inline_query"}
        assert seen["app"].bot.base_url.startswith("https://api.telegram.org/bot")
        assert get_deps(seen["app"]).admin_ids == frozenset({42, 43})
        assert (tmp_path / "usage.sqlite").exists()

        monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/hook/abc")
        monkeypatch.setenv("WEBHOOK_SECRET", "webhook-secret-123")
        monkeypatch.setenv("PORT", "8443")
        monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/bot")
        assert bot.main([]) == 0
        assert seen["mode"] == "webhook"
        # Our own aiohttp server (tests/test_web_webhook.py runs it): no Updater, PORT, all interfaces.
        kwargs = seen["kwargs"]
        assert (kwargs["host"], kwargs["port"]) == ("0.0.0.0", 8443) and seen["app"].updater is None
        assert kwargs["settings"].webhook_secret == "webhook-secret-123"
        assert kwargs["settings"].webhook_url == "https://bot.example.org/hook/abc"
        assert seen["app"].bot.base_url.startswith("http://127.0.0.1:8081/bot")
        assert seen["app"].bot.base_file_url.startswith("http://127.0.0.1:8081/file/bot")
    finally:
        root.setLevel(level)
        for handler, kept in filters.items():
            handler.filters[:] = kept
