"""Who may administer: refusals (logged, nothing run) for everyone outside ADMIN_IDS; /thongke,
/chuatraloi with similar questions grouped; `bot.py stats`; the admin menu."""

from __future__ import annotations

import hashlib
import logging
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from fakebotapi import USER, visible

from handlers import replies
from knowledge.usage import UsageLog

pytestmark = pytest.mark.slow  # admin end to end over a private copy of the plans

ROOT = Path(__file__).resolve().parent.parent
# A long id: a short one ("42") can turn up inside a hex hash by chance.
STRANGER = {"id": 7_350_912_648, "is_bot": False, "first_name": "Nam"}


def state(root: Path, db: Path) -> dict[str, str]:
    """Every file under the plans folder and the index, by content hash."""
    out = {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
           for p in sorted(root.rglob("*")) if p.is_file()}
    out["<index>"] = hashlib.sha256(db.read_bytes()).hexdigest()
    return out


async def test_non_admins_are_refused_logged_and_nothing_runs(admin_bot: Any,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    api, deps = admin_bot.api, admin_bot.deps
    root, db = deps.reloader.knowledge_dir, deps.reloader.db_path
    (root / "new.txt").write_text("---\nprovince: Quảng Trị\ndocument: 9001/KH-UBND\n---\n"
                                  "1. Tối thiểu 93% hồ sơ được số hóa.\n", encoding="utf-8")
    before, served = state(root, db), deps.kb
    # An admin's pending removal, whose button a stranger then taps.
    [ask] = await admin_bot.send("/xoa 4168")
    confirm = next(b["callback_data"] for b in ask.buttons if b["callback_data"].endswith(":y"))
    caplog.set_level(logging.WARNING, logger="cchc.admin")
    for command in ("/reload", "/reload force", "/xoa 4168", "/khoiphuc 4168", "/thongke", "/chuatraloi"):
        [reply] = await admin_bot.send(command, user=STRANGER)
        assert reply.text == replies.ADMIN_ONLY, command
        assert not reply.buttons
    mark = len(api.calls)
    api.push_callback(confirm, ask.result, user=STRANGER)
    api.push_callback("ar:zzzzzzzz:y", ask.result, user=STRANGER)
    acks = await api.wait_for("answerCallbackQuery", count=2, after=mark)
    assert all(a.params["text"] == replies.ADMIN_ONLY for a in acks)
    await api.idle(0.5)
    refusals = [r for r in caplog.records if "refused admin action" in r.getMessage()]
    assert len(refusals) == 8
    assert all(str(STRANGER["id"]) not in r.getMessage() for r in refusals)   # hashed, not the raw id
    assert api.calls_to("editMessageText") == [] and api.calls_to("getFile") == []
    assert state(root, db) == before and deps.kb is served
    # The admin's own button still works afterwards: the stranger's tap did not consume it.
    mark = len(api.calls)
    api.push_callback(confirm, ask.result)
    await api.wait_for("editMessageText", lambda c: "Đã cập nhật" in c.text, after=mark, timeout=20)
    assert (root / "trash" / "off_cantho_4168-QD-UBND_2021.txt").exists()


async def test_admin_tools_off_without_a_reloader(running_bot: Any) -> None:
    for command in ("/reload", "/xoa 4168", "/khoiphuc 4168"):
        [reply] = await running_bot.send(command)
        assert visible(reply.text) == replies.ADMIN_UNAVAILABLE


def log_questions(usage: UsageLog) -> None:
    now = time.time()
    for i, (question, answered) in enumerate([
        ("Giá vàng hôm nay?", False), ("hôm nay giá vàng", False), ("gia vang hom nay", False),
        ("giá vàng  hôm nay?", False), ("gia vag hom nay", False), ("Thời tiết Huế", False),
        ("lịch nghỉ tết 2026", False), ("lich nghi tet nam 2026", False),
        ("thanh toán trực tuyến", True), ("dịch vụ công trực tuyến", True),
    ]):
        usage.log_question(1000 + i, question, answered=answered, latency_ms=10 + i, ts=now - i,
                           topic="thanh toán trực tuyến" if answered else None)
    usage.log_feedback(1000, "thanh toán trực tuyến", [1], -1, ts=now)


async def test_thongke_and_chuatraloi_group_similar_questions(admin_bot: Any) -> None:
    log_questions(admin_bot.deps.usage)
    [stats] = await admin_bot.send("/thongke")
    seen = visible(stats.text)
    assert "Câu hỏi hôm nay: 10" in seen and "Câu hỏi 7 ngày qua: 10" in seen
    assert "Tỷ lệ trả lời được (7 ngày): 20%" in seen and "👎 1" in seen
    assert "Độ trễ trung vị (7 ngày): 14 ms" in seen and "thanh toán trực tuyến (2)" in seen
    [unanswered] = await admin_bot.send("/chuatraloi")
    lines = visible(unanswered.text).splitlines()[1:]
    assert lines[0] in ("5× giá vàng  hôm nay?", "5× Giá vàng hôm nay?", "5× giá vàng hôm nay?"), lines
    assert lines[1].startswith("2× ") and "2026" in lines[1]
    assert lines[2] == "1× Thời tiết Huế" and len(lines) == 3


def test_stats_command_prints_the_figures_and_unanswered_questions(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite"
    usage = UsageLog.open(path)
    log_questions(usage)
    usage.close()
    out = subprocess.run([sys.executable, str(ROOT / "bot.py"), "stats", "--usage", str(path), "--top", "2"],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "Câu hỏi hôm nay: 10" in out.stdout and "Tỷ lệ trả lời được (7 ngày): 20%" in out.stdout
    assert "5× " in out.stdout and "2× " in out.stdout and "Thời tiết" not in out.stdout
    assert "<b>" not in out.stdout
    missing = subprocess.run([sys.executable, str(ROOT / "bot.py"), "stats", "--usage", str(tmp_path / "no.sqlite")],
                             capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert missing.returncode == 1 and "no usage log" in missing.stderr
    assert not (tmp_path / "no.sqlite").exists()


async def test_admin_menu_lists_every_admin_command(running_bot: Any) -> None:
    menus = running_bot.api.calls_to("setMyCommands")
    admin = [m for m in menus if m.params.get("scope", {}).get("chat_id") == USER["id"]]
    names = [c["command"] for c in admin[0].params["commands"]]
    assert {"thongke", "chuatraloi", "reload", "xoa", "khoiphuc"} <= set(names)
    public = [m for m in menus if "scope" not in m.params][0]
    assert "reload" not in [c["command"] for c in public.params["commands"]]
    [help_call] = await running_bot.send("/help")
    assert "/reload" in help_call.text and "/xoa" in help_call.text and ".docx" in help_call.text


def test_max_upload_setting() -> None:
    import bot

    assert bot.read_settings({}).max_upload_mb == 10
    assert bot.read_settings({"MAX_UPLOAD_MB": "2,5"}).max_upload_mb == 2.5
    assert bot.read_settings({"MAX_UPLOAD_MB": "-1"}).max_upload_mb == 10
