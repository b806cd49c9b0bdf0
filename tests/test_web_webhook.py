"""Webhook mode end to end: `bot.serve_bot` runs the real Application (no Updater) and one
aiohttp server on 127.0.0.1; updates posted with the right secret are answered through the fake
Bot API, a wrong or missing secret is refused, /healthz answers for a load balancer, and the web
chat shares the server and the usage log."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from conftest import TOKEN
from fakebotapi import FakeBotAPI

import bot

pytestmark = pytest.mark.slow
SECRET = "s3cret-token_for-the-webhook"
QUESTION = "Tỷ lệ thanh toán trực tuyến phải đạt bao nhiêu?"


@asynccontextmanager
async def served(api: FakeBotAPI, deps: Any, env: dict[str, str]) -> AsyncIterator[str]:
    """serve_bot on a free port until the block ends; yields the server's base URL."""
    settings = bot.read_settings({"TELEGRAM_BOT_TOKEN": TOKEN, **env})
    application = bot.build_application(TOKEN, deps, base_url=api.base_url, base_file_url=api.base_file_url,
                                        throttle=False, backoff=0.05, polling=not settings.webhook_url)
    stop = asyncio.Event()
    started: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(bot.serve_bot(application, deps, settings, host="127.0.0.1", port=0, stop=stop,
                                             on_started=started.set_result))
    done, _ = await asyncio.wait([task, started], timeout=30, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        task.result()  # raises what went wrong
    try:
        yield f"http://127.0.0.1:{started.result()}"
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


def update(api: FakeBotAPI, text: str) -> dict[str, Any]:
    return {"update_id": 9001, "message": api.message(text)}


async def test_webhook_answers_with_the_right_secret_and_refuses_others(
        fake_api: FakeBotAPI, make_deps: Callable[..., Any]) -> None:
    deps = make_deps()
    env = {"WEBHOOK_URL": "https://bot.example.gov.vn/tg/hook", "WEBHOOK_SECRET": SECRET}
    async with served(fake_api, deps, env) as base, aiohttp.ClientSession() as http:
        registered = fake_api.calls_to("setWebhook")[-1].params
        assert registered["url"] == env["WEBHOOK_URL"] and registered["secret_token"] == SECRET
        for headers in ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {}):
            async with http.post(f"{base}/tg/hook", json=update(fake_api, "Chỉ số hài lòng cần đạt bao nhiêu?"),
                                 headers=headers) as resp:
                assert resp.status == 403
        await fake_api.idle(0.3)
        assert fake_api.calls_to("sendMessage") == []
        mark = len(fake_api.calls)
        async with http.post(f"{base}/tg/hook", json=update(fake_api, QUESTION),
                             headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as resp:
            assert resp.status == 200
        sent = await fake_api.wait_for("sendMessage", after=mark)
        assert "Kết quả" in sent[0].text and "Theo " in sent[0].text
        async with http.get(f"{base}/healthz") as resp:
            health = await resp.json()
            assert resp.status == 200
            assert health["generation"] == deps.kb.generation and health["documents"] == len(deps.kb.docs)
        async with http.get(f"{base}/") as resp:
            assert resp.status == 404  # the web chat only with WEB_CHAT


async def test_webhook_without_a_secret_setting_registers_a_random_one(
        fake_api: FakeBotAPI, make_deps: Callable[..., Any]) -> None:
    async with served(fake_api, make_deps(), {"WEBHOOK_URL": "https://bot.example.gov.vn/hook"}) as base, \
            aiohttp.ClientSession() as http:
        secret = fake_api.calls_to("setWebhook")[-1].params["secret_token"]
        assert len(secret) >= 32
        async with http.post(f"{base}/hook", json=update(fake_api, "xin chào")) as resp:
            assert resp.status == 403


async def test_web_chat_beside_the_webhook_shares_the_usage_log(
        fake_api: FakeBotAPI, make_deps: Callable[..., Any]) -> None:
    deps = make_deps()
    env = {"WEBHOOK_URL": "https://bot.example.gov.vn/tg/hook", "WEBHOOK_SECRET": SECRET, "WEB_CHAT": "1"}
    async with served(fake_api, deps, env) as base, aiohttp.ClientSession() as http:
        mark = len(fake_api.calls)
        async with http.post(f"{base}/tg/hook", json=update(fake_api, QUESTION),
                             headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as resp:
            assert resp.status == 200
        await fake_api.wait_for("sendMessage", after=mark)
        async with http.post(f"{base}/api/ask", json={"question": "Chỉ số hài lòng cần đạt bao nhiêu?"}) as resp:
            assert resp.status == 200 and (await resp.json())["answered"]
    assert deps.usage.stats().by_frontend == {"telegram": 1, "web": 1}
    from handlers.replies import PLAIN, stats_text
    assert "Theo kênh (7 ngày): Telegram 1, Web 1" in stats_text(deps.usage.stats(), PLAIN)


async def test_polling_beside_the_web_chat(fake_api: FakeBotAPI, make_deps: Callable[..., Any]) -> None:
    async with served(fake_api, make_deps(), {"WEB_CHAT": "1"}) as base, aiohttp.ClientSession() as http:
        async with http.get(f"{base}/") as resp:
            assert resp.status == 200
        mark = len(fake_api.calls)
        fake_api.push_text(QUESTION)
        sent = await fake_api.wait_for("sendMessage", after=mark)
        assert "Kết quả" in sent[0].text
        fake_api.release_polls()


async def test_bot_py_web_serves_until_sigterm(web_plans: Any, tmp_path: Any) -> None:
    """`python bot.py web --port 0` as an operator runs it: says where it listens, answers
    /healthz, and stops cleanly on SIGTERM (exit 0)."""
    import os
    import re
    import signal
    import sys

    from conftest import ROOT

    plans, db = web_plans
    env = {**os.environ, "KNOWLEDGE_DIR": str(plans), "DB_PATH": str(db),
           "USAGE_DB": str(tmp_path / "usage.sqlite")}
    proc = await asyncio.create_subprocess_exec(sys.executable, str(ROOT / "bot.py"), "web", "--port", "0",
                                                cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found, line
        async with aiohttp.ClientSession() as http, \
                http.get(f"http://127.0.0.1:{found.group(1)}/healthz") as resp:
            assert resp.status == 200 and (await resp.json())["documents"] == 2
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 30) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
