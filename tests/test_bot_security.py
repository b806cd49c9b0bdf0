"""Issue 10, the chat side, end to end through the real Application and the fake Bot API: a
locked or unopenable usage log never stops an answer; the app log cannot be joined with the usage
file; admin commands in a group only get a hint; a lone UTF-16 surrogate still gets an answer."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fakebotapi import BOT_USERNAME, GROUP, USER
from test_admin_access import STRANGER, state, visible

import bot
from handlers import replies
from knowledge.usage import UsageLog

# --- 2. the usage log can no longer take the bot down ---------------------------------------------

async def test_a_locked_usage_db_does_not_delay_answers(make_deps: Callable[..., Any],
                                                        start_bot: Callable[[Any], Any],
                                                        tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite"
    # A writer that would wait a minute for the lock: the answer must not wait with it.
    usage = UsageLog.open(path, write_timeout=60)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        async with start_bot(make_deps(usage=usage)) as running:
            holder.execute("BEGIN EXCLUSIVE")         # a backup, an sqlite3 shell, a second instance
            call = await running.ask("thanh toán trực tuyến")
            # The real answer, while the lock is still held (before this fix: 5 s, then the apology).
            assert "Theo " in visible(call.text) and call.buttons
            down = next(b for b in call.buttons if b["text"] == replies.FEEDBACK_DOWN)
            mark = len(running.api.calls)
            running.api.push_callback(down["callback_data"], call.result)
            [ack] = await running.api.wait_for("answerCallbackQuery", after=mark)
            assert ack.params.get("text") == replies.FEEDBACK_THANKS
            inline_id = running.api.push_inline("thanh toán trực tuyến")
            await running.api.wait_for("answerInlineQuery",
                                       lambda c: c.params.get("inline_query_id") == inline_id)
            holder.execute("COMMIT")
            # Released in time: nothing was lost, the rows waited in the writer's queue.
            assert usage.question_count() == 2 and usage.stats().downvotes == 1
            assert usage.dropped == 0
    finally:
        holder.close()
        usage.close()


async def test_an_unopenable_usage_db_the_bot_starts_without_a_log(
        unopenable_usage_path: Path, tmp_path: Path, make_deps: Callable[..., Any],
        start_bot: Callable[[Any], Any], caplog: pytest.LogCaptureFixture) -> None:
    path = unopenable_usage_path
    before = path.read_bytes() if path.is_file() else None
    settings = bot.read_settings({"USAGE_DB": str(path), "DB_PATH": str(tmp_path / "k.db")})
    caplog.set_level(logging.WARNING, logger="cchc")
    usage = bot.open_usage(settings)                 # what `bot.py run` does at start
    assert usage is None
    assert any("usage log OFF" in r.getMessage() and str(path) in r.getMessage() for r in caplog.records)
    async with start_bot(make_deps(usage=usage)) as running:
        call = await running.ask("thanh toán trực tuyến")
        assert "Theo " in visible(call.text)
        [stats] = await running.send("/thongke")
        assert visible(stats.text) == replies.USAGE_LOG_OFF
    if before is not None:
        assert path.read_bytes() == before           # nothing that was there is lost


# --- 6. the app log names nobody the usage file can match ------------------------------------------

async def test_app_log_holds_no_prefix_of_a_stored_hash(admin_bot: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await admin_bot.ask("thanh toán trực tuyến", user=STRANGER)
    await admin_bot.ask("thanh toán trực tuyến")
    [refused] = await admin_bot.send("/thongke", user=STRANGER)    # logged with the actor's tag
    assert refused.text == replies.ADMIN_ONLY
    [ask] = await admin_bot.send("/xoa 4168")                      # an admin action, logged too
    assert ask.buttons
    usage = admin_bot.deps.usage
    usage.flush()
    conn = sqlite3.connect(admin_bot.usage_path)
    hashes = {h for (h,) in conn.execute("SELECT user_hash FROM questions")}
    conn.close()
    assert usage.hash_user(STRANGER["id"]) in hashes and usage.hash_user(USER["id"]) in hashes
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert usage.log_tag(STRANGER["id"]) in logged                 # the refusal names its actor...
    for h in hashes:                                               # ...by nothing the DB holds
        assert all(h[i:i + 8] not in logged for i in range(len(h) - 7))


# --- 5. admin commands in a group: a one-line hint, nothing else -----------------------------------

@pytest.mark.parametrize("command", ["/chuatraloi", "/thongke", "/reload", "/reload force", "/xoa 4168",
                                     "/khoiphuc 4168", f"/thongke@{BOT_USERNAME}"])
@pytest.mark.parametrize("who", ["admin", "stranger"])
async def test_admin_commands_in_a_group_get_only_a_hint(admin_bot: Any, command: str, who: str) -> None:
    api, deps = admin_bot.api, admin_bot.deps
    root, db = deps.reloader.knowledge_dir, deps.reloader.db_path
    deps.usage.log_question(1, "số điện thoại của tôi là 0912345678", answered=False, latency_ms=1)
    before = state(root, db)
    mark = len(api.calls)
    [reply] = await admin_bot.send(command, chat=GROUP, user=USER if who == "admin" else STRANGER)
    assert reply.text == replies.ADMIN_PRIVATE_ONLY and not reply.buttons
    await api.idle(0.3)
    sent = [c for c in api.calls[mark:] if c.method in ("sendMessage", "editMessageText", "sendDocument")]
    assert sent == [reply]
    assert "0912345678" not in reply.text
    assert state(root, db) == before and len(deps.pending) == 0


async def test_an_upload_in_a_group_gets_only_a_hint(admin_bot: Any) -> None:
    api, deps = admin_bot.api, admin_bot.deps
    root, db = deps.reloader.knowledge_dir, deps.reloader.db_path
    before = state(root, db)
    mark = len(api.calls)
    api.push_document("moi.txt", "---\nprovince: Quảng Trị\ndocument: 9001/KH-UBND\n---\n"
                      "1. Tối thiểu 93% hồ sơ được số hóa.\n".encode(), chat=GROUP, caption=f"@{BOT_USERNAME}")
    [reply] = await api.wait_for("sendMessage", after=mark)
    assert reply.text == replies.ADMIN_PRIVATE_ONLY and reply.params["chat_id"] == GROUP["id"]
    await api.idle(0.3)
    assert [c.method for c in api.calls[mark:] if c.method != "getUpdates"] == ["sendMessage"]
    assert api.calls_to("getFile") == []
    assert state(root, db) == before          # nothing staged in .incoming/ either


async def test_the_same_admin_commands_still_work_in_private(admin_bot: Any) -> None:
    [stats] = await admin_bot.send("/thongke")
    assert "Thống kê" in stats.text
    [ask] = await admin_bot.send("/xoa 4168")
    assert ask.buttons


# --- 8b. a lone UTF-16 surrogate ---------------------------------------------------------------------

@pytest.mark.parametrize("text", ["thanh toán trực tuyến \ud800", "\udfff thanh toán \ud83d trực tuyến"])
async def test_a_lone_surrogate_still_gets_an_answer(running_bot: Any, text: str) -> None:
    call = await running_bot.ask(text)
    assert "Theo " in visible(call.text) and call.buttons
    running_bot.deps.usage.flush()
    [logged] = running_bot.deps.usage.recent_questions(1)
    assert "\ufffd" in str(logged["question"]) and running_bot.deps.usage.dropped == 0


async def test_a_lone_surrogate_in_an_unanswered_question_and_inline(running_bot: Any) -> None:
    [reply] = await running_bot.send("giá vàng \ud800 hôm nay")
    assert "không đề cập" in reply.text and "\ufffd" in reply.text
    api = running_bot.api
    inline_id = api.push_inline("thanh toán trực tuyến \udc00")
    [answer] = await api.wait_for("answerInlineQuery", lambda c: c.params.get("inline_query_id") == inline_id)
    assert answer.params["results"]
