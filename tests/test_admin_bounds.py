"""Issue 10, the document side, through Telegram: a citizen is answered while a reload or an
upload preview is stuck in the worker process (which is then stopped and reported), a zip bomb
upload is refused with the figure and the limit, a link in the plans folder is named in the reload
report and never quoted, a full disk is reported with what to free."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
import workerhooks
from fakebotapi import Call, visible
from test_document_bounds import SECRET, SECRET_QUESTION, bomb_docx, plan

from knowledge import store
from knowledge.limits import MB, Limits

pytestmark = pytest.mark.slow  # stuck worker processes, killed

CITIZEN = {"id": 7_001, "is_bot": False, "first_name": "Dân"}
QUESTION = "tỷ lệ thanh toán trực tuyến"


async def entered(folder: Path, timeout: float = 60) -> None:
    """Wait until the worker process has started misbehaving (it writes the marker first)."""
    marker = folder / workerhooks.MARKER
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert time.monotonic() < deadline, "the worker never started"
        await asyncio.sleep(0.02)


async def citizen_asks(bot: Any) -> tuple[Call, float]:
    """A citizen's question and its answer, with how long it took."""
    mark = len(bot.api.calls)
    asked = time.monotonic()
    bot.api.push_text(QUESTION, user=CITIZEN)
    [answer] = await bot.api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == CITIZEN["id"],
                                      after=mark, timeout=20)
    return answer, answer.at - asked


async def test_a_citizen_is_answered_while_a_reload_is_stuck_then_it_is_stopped(
        admin_bot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    api, deps = admin_bot.api, admin_bot.deps
    plans: Path = deps.reloader.knowledge_dir
    before = deps.kb
    deps.reloader.limits = Limits(reload_seconds=12)
    # The build holds the GIL forever in one regular expression: in a thread, nobody is answered.
    monkeypatch.setattr("knowledge.reload.build_index", workerhooks.spin_build)
    mark = len(api.calls)
    api.push_text("/reload")
    [progress] = await api.wait_for("sendMessage", lambda c: "Đang cập nhật" in c.text, after=mark)
    await entered(plans.parent)
    answer, waited = await citizen_asks(admin_bot)
    assert "Theo " in visible(answer.text), answer.text
    [report] = await api.wait_for(
        "editMessageText", lambda c: c.params.get("message_id") == progress.result["message_id"]
        and "Đang cập nhật" not in c.text, after=mark, timeout=40)
    assert answer.at < report.at, waited                 # answered while the worker was stuck
    assert waited < 5, waited                            # generous: about 0.05 s on this machine
    assert visible(report.text) == ("❌ Cập nhật thất bại: quá thời gian xử lý (12 s). "
                                    "Bot vẫn dùng dữ liệu cũ.")
    assert deps.kb is before
    assert not list(deps.reloader.db_path.parent.glob(".*.next*"))


async def test_a_citizen_is_answered_while_an_upload_preview_is_stuck_then_it_is_refused(
        admin_bot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    api, deps = admin_bot.api, admin_bot.deps
    plans: Path = deps.reloader.knowledge_dir
    deps.reloader.limits = Limits(preview_seconds=12)
    monkeypatch.setattr("knowledge.library.preview_document", workerhooks.spin_preview)
    mark = len(api.calls)
    msg = api.push_document("ke-hoach.txt", plan("5/KH-UBND").encode())
    await entered(plans)
    answer, waited = await citizen_asks(admin_bot)
    assert "Theo " in visible(answer.text), answer.text
    [reply] = await api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == msg["chat"]["id"],
                                 after=mark, timeout=40)
    assert answer.at < reply.at and waited < 5, waited
    assert visible(reply.text) == ("❌ Không đọc được tệp “ke-hoach.txt”: quá thời gian xử lý (12 s). "
                                   "Không có gì được lưu.")
    assert list((plans / ".incoming").iterdir()) == []


async def test_a_zip_bomb_upload_is_refused_with_the_figure_and_the_limit(admin_bot: Any) -> None:
    api, deps = admin_bot.api, admin_bot.deps
    plans: Path = deps.reloader.knowledge_dir
    data = bomb_docx(100)
    assert len(data) < deps.max_upload_bytes
    mark = len(api.calls)
    msg = api.push_document("KH bom.docx", data)
    [reply] = await api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == msg["chat"]["id"],
                                 after=mark, timeout=60)
    text = visible(reply.text)
    assert text.startswith("❌ Không đọc được tệp “KH bom.docx”: tệp giải nén ra 100"), text
    assert "vượt giới hạn 64 MB. Không có gì được lưu." in text
    assert list((plans / ".incoming").iterdir()) == []


async def test_a_link_in_the_plans_folder_is_named_in_the_report_and_never_quoted(
        admin_bot: Any, tmp_path: Path) -> None:
    plans: Path = admin_bot.deps.reloader.knowledge_dir
    outside = tmp_path / "private.txt"
    outside.write_text(plan("99/KH-UBND", "3. " + SECRET + "\n"), encoding="utf-8")
    (plans / "bi-mat.txt").symlink_to(outside)
    mark = len(admin_bot.api.calls)
    admin_bot.api.push_text("/reload")
    [report] = await admin_bot.api.wait_for(
        "editMessageText", lambda c: "Đang cập nhật" not in c.text and "cập nhật" in c.text.lower(),
        after=mark, timeout=30)
    seen = visible(report.text)
    assert "bi-mat.txt: là liên kết (symlink), bỏ qua" in seen, seen
    answer = await admin_bot.ask(SECRET_QUESTION, user=CITIZEN)
    assert "chín chín" not in visible(answer.text)     # the clause itself (the refusal echoes the question)
    [card] = await admin_bot.send("/vanban 99/KH-UBND")
    assert "Không tìm thấy" in card.text


async def test_a_full_disk_during_reload_says_how_much_to_free(admin_bot: Any,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    deps = admin_bot.deps
    before = deps.kb
    (deps.reloader.knowledge_dir / "moi.txt").write_text(plan("8/KH-UBND"), encoding="utf-8")
    deps.reloader.isolated = False       # the injected failure must happen in this process

    def full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store.IndexWriter, "finish", full)
    monkeypatch.setattr(store, "free_bytes", lambda folder: 1 * MB)
    mark = len(admin_bot.api.calls)
    admin_bot.api.push_text("/reload")
    [report] = await admin_bot.api.wait_for(
        "editMessageText", lambda c: "Đang cập nhật" not in c.text, after=mark, timeout=30)
    seen = visible(report.text)
    assert re.fullmatch(r"❌ Hết dung lượng đĩa: cần giải phóng khoảng \d+ MB rồi /reload\. "
                        r"Bot vẫn dùng dữ liệu cũ\.", seen), seen
    assert deps.kb is before
