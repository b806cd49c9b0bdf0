"""/reload end to end through the fake Bot API (progress, report, bad files, /reload force, 50 users
asking meanwhile), and nothing lost when a build is killed (SIGKILL at chosen points)."""

from __future__ import annotations

import asyncio
import functools
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import workerhooks
from fakebotapi import USER, Call, visible

from handlers import replies
from knowledge import KnowledgeBase
from knowledge.reload import staging_path

pytestmark = pytest.mark.slow  # reloads in worker processes, builds killed

PLANS = Path(__file__).resolve().parent.parent / "knowledge" / "plans"
SHIPPED = sum(1 for p in PLANS.iterdir() if p.suffix == ".txt")

ROOT = Path(__file__).resolve().parent.parent

NEW_PLAN = """---
title: Kế hoạch cải cách hành chính tỉnh Quảng Trị năm 2027
province: Quảng Trị
document: 9001/KH-UBND
issued: 2027-01-05
---
I. MỤC TIÊU
1. Tối thiểu 93% hồ sơ đăng ký kinh doanh được tiếp nhận qua bưu chính công ích.
"""
NEW_QUESTION = "hồ sơ đăng ký kinh doanh qua bưu chính công ích"


def button(call: Call, prefix: str) -> str:
    for b in call.buttons:
        if b.get("callback_data", "").startswith(prefix):
            return str(b["callback_data"])
    raise AssertionError(f"no {prefix!r} button in {call.buttons}")


async def reload_report(bot: Any, *, text: str = "/reload", timeout: float = 20) -> Call:
    """Send /reload (or tap nothing) and wait for the edited final report."""
    api = bot.api
    mark = len(api.calls)
    api.push_text(text)
    [progress] = await api.wait_for("sendMessage", lambda c: "Đang cập nhật" in c.text, after=mark)
    [report] = await api.wait_for(
        "editMessageText",
        lambda c: c.params.get("message_id") == progress.result["message_id"] and "Đang cập nhật" not in c.text,
        after=mark, timeout=timeout)
    return report


# --- through Telegram ---------------------------------------------------------------------------------

async def test_reload_edits_a_progress_message_then_reports_and_serves_the_new_plan(admin_bot: Any) -> None:
    plans: Path = admin_bot.deps.reloader.knowledge_dir
    before = admin_bot.deps.kb
    not_yet = await admin_bot.ask(NEW_QUESTION)
    assert "9001/KH-UBND" not in not_yet.text
    (plans / "quangtri_9001.txt").write_text(NEW_PLAN, encoding="utf-8")
    (plans / "off_cantho_4168-QD-UBND_2021.txt").unlink()
    report = await reload_report(admin_bot)
    seen = visible(report.text)
    assert "✅ Đã cập nhật dữ liệu" in seen
    assert f"Văn bản: {SHIPPED} (+1 mới, 0 sửa đổi, −1 bỏ)" in seen
    assert "quangtri_9001.txt (9001/KH-UBND)" in seen and "off_cantho_4168-QD-UBND_2021.txt" in seen
    assert re.search(r"Chỉ tiêu: \d+ \(\+1 mới", seen)
    assert admin_bot.deps.kb is not before
    answer = await admin_bot.ask(NEW_QUESTION)
    assert "9001/KH-UBND" in visible(answer.text) and "93%" in answer.text
    [card] = await admin_bot.send("/vanban 4168")
    assert "Không tìm thấy" in card.text


async def test_bad_file_keeps_the_old_index_serving_then_force_after_confirmation(admin_bot: Any) -> None:
    api, deps = admin_bot.api, admin_bot.deps
    plans: Path = deps.reloader.knowledge_dir
    db: Path = deps.reloader.db_path
    served, on_disk = deps.kb, db.read_bytes()
    (plans / "quangtri_9001.txt").write_text(NEW_PLAN, encoding="utf-8")
    (plans / "cp1258.txt").write_bytes("Kế hoạch cải cách".encode("cp1258", errors="replace") + b"\xd2\xde")
    (plans / "binary.md").write_bytes(b"\x00\x01PK\x03\x04" * 40)
    report = await reload_report(admin_bot)
    seen = visible(report.text)
    assert "⛔ Chưa cập nhật: 2 tệp không đọc được" in seen
    assert "cp1258.txt: không phải văn bản UTF-8" in seen and "binary.md: là tệp nhị phân" in seen
    assert deps.kb is served and db.read_bytes() == on_disk
    assert "9001/KH-UBND" not in (await admin_bot.ask(NEW_QUESTION)).text   # still the old index
    force = button(report, "ar:")
    assert len(force.encode()) <= 64

    # The force button under the report is the confirmation.
    mark = len(api.calls)
    api.push_callback(force, report.result)
    [done] = await api.wait_for("editMessageText", lambda c: "Đã cập nhật" in c.text, after=mark, timeout=20)
    assert "bỏ qua tệp lỗi" in visible(done.text) and "cp1258.txt" in visible(done.text)
    assert deps.kb is not served and deps.kb.overview().documents == SHIPPED + 1
    assert "9001/KH-UBND" in visible((await admin_bot.ask(NEW_QUESTION)).text)
    # The same button again does nothing: one tap acts once.
    mark = len(api.calls)
    api.push_callback(force, report.result)
    [ack] = await api.wait_for("answerCallbackQuery", after=mark)
    assert ack.params["text"] == replies.PENDING_EXPIRED


async def test_reload_force_command_asks_first_and_cancel_changes_nothing(admin_bot: Any) -> None:
    api, deps = admin_bot.api, admin_bot.deps
    plans: Path = deps.reloader.knowledge_dir
    (plans / "empty.txt").write_bytes(b"")
    served = deps.kb
    [ask] = await admin_bot.send("/reload force")
    assert visible(ask.text) == replies.RELOAD_FORCE_CONFIRM
    mark = len(api.calls)
    api.push_callback(button(ask, "ar:").replace(":y", ":n"), ask.result)
    [cancelled] = await api.wait_for("editMessageText", after=mark)
    assert cancelled.text == replies.CANCELLED and deps.kb is served
    [ask] = await admin_bot.send("/reload force")
    mark = len(api.calls)
    api.push_callback(button(ask, "ar:"), ask.result)
    [done] = await api.wait_for("editMessageText", lambda c: "Đã cập nhật" in c.text, after=mark, timeout=20)
    assert "empty.txt: là tệp rỗng" in visible(done.text)  # worded from the reason code, in Vietnamese
    assert deps.kb is not served


def add_copies(plans: Path, copies: int) -> None:
    """More documents, so a reload takes a few seconds (the shipped plans under other names)."""
    originals = sorted(p for p in plans.glob("*.txt"))
    for i in range(copies):
        src = originals[i % len(originals)]
        (plans / f"copy{i:03d}_{src.name}").write_text(src.read_text(encoding="utf-8") + f"\nBản sao {i}.\n",
                                                       encoding="utf-8")


async def test_every_one_of_50_users_is_answered_while_a_reload_runs(admin_bot: Any, tmp_path: Path) -> None:
    api, deps = admin_bot.api, admin_bot.deps
    add_copies(deps.reloader.knowledge_dir, 20)
    # The build is held at two of its stages (tests/workerhooks.py) until this test lets it go:
    # every answer that arrives before the first release came while the build was running.
    gates = {stage: tmp_path / f"gate-{stage}" for stage in ("words", "write")}
    for gate in gates.values():
        os.mkfifo(gate)
    deps.reloader.build = functools.partial(workerhooks.gated_build, gates=gates)
    mark = len(api.calls)
    api.push_text("/reload")
    [progress] = await api.wait_for("sendMessage", lambda c: "Đang cập nhật" in c.text, after=mark)

    def shows(stage: str) -> Callable[[Call], bool]:
        return lambda c: (c.params.get("message_id") == progress.result["message_id"]
                          and replies.reload_progress(stage).splitlines()[0] in c.text)

    await api.wait_for("editMessageText", shows("words"), after=mark, timeout=60)   # held there now
    api.push_text("/reload")          # a second reload meanwhile is refused, not queued
    await api.wait_for("sendMessage", lambda c: visible(c.text) == replies.RELOAD_BUSY, after=mark)
    users = [{"id": 5_000 + i, "is_bot": False, "first_name": f"Dân {i}"} for i in range(50)]
    ids = {u["id"] for u in users}
    for i, user in enumerate(users):
        api.push_text(replies.EXAMPLE_QUESTIONS[i % len(replies.EXAMPLE_QUESTIONS)], user=user)
    answers = await api.wait_for("sendMessage", lambda c: c.params.get("chat_id") in ids, count=50,
                                 after=mark, timeout=30)
    assert {a.params["chat_id"] for a in answers} == ids
    assert all("Theo " in visible(a.text) for a in answers)
    # All fifty answered while the build is provably still held: nothing was queued behind it.
    assert Path(f"{gates['words']}.entered").exists() and not Path(f"{gates['write']}.entered").exists()
    assert not [c for c in api.calls[mark:] if "Đã cập nhật" in c.text]
    await asyncio.to_thread(workerhooks.release, gates["words"])
    await api.wait_for("editMessageText", shows("write"), after=mark, timeout=60)
    await asyncio.to_thread(workerhooks.release, gates["write"])
    [report] = await api.wait_for(
        "editMessageText", lambda c: c.params.get("message_id") == progress.result["message_id"]
        and "Đã cập nhật" in c.text, after=mark, timeout=60)
    assert all(a.at < report.at for a in answers)
    assert "+20 mới" in visible(report.text)
    busy = [c for c in api.calls[mark:] if c.method == "sendMessage" and c.params.get("chat_id") == USER["id"]
            and visible(c.text) == replies.RELOAD_BUSY]
    assert len(busy) == 1
    assert deps.kb.overview().documents == SHIPPED + 20


# --- killed midway: nothing lost ------------------------------------------------------------------------

HOOK = r"""
import os, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
plans, db, marker, point = Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), sys.argv[5]
real_replace = os.replace

def replace(src, dst, *args, **kwargs):
    # Stop right before the rename that would publish a new index over `db`.
    if Path(dst) == db:
        marker.write_text(str(src))
        time.sleep(120)
    return real_replace(src, dst, *args, **kwargs)

os.replace = replace
if point == "build":
    from knowledge import build_index
    build_index(plans, db)            # its temporary file is complete, the replace hangs
else:
    from knowledge.reload import Reloader
    Reloader(plans, db).reload()      # the staging index is complete, the swap hangs
"""


def old_index_answers(db: Path) -> None:
    kb = KnowledgeBase.open(db)
    try:
        answer = kb.search("tỷ lệ thanh toán trực tuyến")
        assert answer.answered and "Theo" in replies.plain_answer(answer)
        assert kb.overview().documents == SHIPPED
    finally:
        kb.close()


def restart_serves(plans: Path, db: Path) -> None:
    """What the bot does at start: under the lock, clear leftovers, rebuild if stale, open."""
    import bot

    settings = bot.read_settings({"KNOWLEDGE_DIR": str(plans), "DB_PATH": str(db)})
    kb = bot._open_index(settings)
    assert kb is not None
    try:
        assert kb.search(NEW_QUESTION).answered
    finally:
        kb.close()
    assert not list(db.parent.glob(".*.building")) and not staging_path(db).exists()


@pytest.mark.parametrize("point", ["build", "swap"])
def test_killed_after_writing_before_replacing_leaves_the_old_index(plans_copy: tuple[Path, Path],
                                                                  tmp_path: Path, point: str) -> None:
    plans, db = plans_copy
    before = db.read_bytes()
    (plans / "quangtri_9001.txt").write_text(NEW_PLAN, encoding="utf-8")
    marker = tmp_path / "at-replace"
    script = tmp_path / "hook.py"
    script.write_text(HOOK, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(ROOT), str(plans), str(db), str(marker), point],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "the build never reached its replace"
            time.sleep(0.05)
        written = Path(marker.read_text())
        assert written.exists() and written.stat().st_size > 0    # a complete new index, unpublished
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        if proc.stderr:
            proc.stderr.close()
    assert db.read_bytes() == before
    old_index_answers(db)
    restart_serves(plans, db)


def test_index_command_killed_mid_build_leaves_the_old_index(plans_copy: tuple[Path, Path], tmp_path: Path) -> None:
    plans, db = plans_copy
    before = db.read_bytes()
    (plans / "quangtri_9001.txt").write_text(NEW_PLAN, encoding="utf-8")
    gate = tmp_path / "gate-write"
    os.mkfifo(gate)
    # `bot.py index`, held inside the write of its new index (tests/workerhooks.py) until killed.
    launcher = ("import sys; sys.path[:0] = sys.argv[1:3]; import workerhooks, bot; "
                "workerhooks.hold_index_write(sys.argv[3]); sys.exit(bot.main(sys.argv[4:]))")
    proc = subprocess.Popen([sys.executable, "-c", launcher, str(ROOT), str(ROOT / "tests"), str(gate),
                             "index", "--knowledge", str(plans), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    entered = Path(f"{gate}.entered")
    try:
        deadline = time.monotonic() + 60
        while not entered.exists():     # the marker the held build writes; no guess at its speed
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "the build never reached its write"
            time.sleep(0.02)
        assert proc.poll() is None
        assert list(db.parent.glob(f".{db.name}.*.building"))    # mid-build: its temporary index exists
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        if proc.stderr:
            proc.stderr.close()
    assert db.read_bytes() == before
    old_index_answers(db)
    # The lock died with the process: the next build is not blocked, and it clears the leftover.
    restart_serves(plans, db)
