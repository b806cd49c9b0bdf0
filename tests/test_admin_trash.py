"""/xoa and /khoiphuc end to end: confirm, move to trash/ (never deleted), reload, restore."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fakebotapi import Call, tap, visible

from handlers import replies

pytestmark = pytest.mark.slow  # admin end to end over a private copy of the plans

PLANS = Path(__file__).resolve().parent.parent / "knowledge" / "plans"
SHIPPED = sum(1 for p in PLANS.iterdir() if p.suffix == ".txt")

OLD_NAME = "off_cantho_4168-QD-UBND_2021.txt"


def buttons(call: Call, prefix: str, verb: str = "y") -> list[str]:
    return [str(b["callback_data"]) for b in call.buttons
            if str(b.get("callback_data", "")).startswith(prefix) and str(b["callback_data"]).endswith(f":{verb}")]


async def test_remove_after_confirmation_then_restore(admin_bot: Any) -> None:
    root: Path = admin_bot.deps.reloader.knowledge_dir
    content = (root / OLD_NAME).read_bytes()
    [ask] = await admin_bot.send("/xoa 4168/QĐ-UBND")
    seen = visible(ask.text)
    assert "Chuyển văn bản này vào thùng rác" in seen and OLD_NAME in seen and "Cần Thơ" in seen
    assert (root / OLD_NAME).exists()                          # nothing happens before confirming
    report = await tap(admin_bot, buttons(ask, "at:")[0], ask)
    seen = visible(report.text)
    assert f"🗑 Đã chuyển “{OLD_NAME}” vào thùng rác" in seen
    assert f"Văn bản: {SHIPPED - 1} (+0 mới, 0 sửa đổi, −1 bỏ)" in seen
    assert not (root / OLD_NAME).exists() and (root / "trash" / OLD_NAME).read_bytes() == content
    [card] = await admin_bot.send("/vanban 4168")
    assert "Không tìm thấy" in card.text

    mark = len(admin_bot.api.calls)
    admin_bot.api.push_text("/khoiphuc 4168")
    [progress] = await admin_bot.api.wait_for("sendMessage", lambda c: "Đang cập nhật" in c.text, after=mark)
    [report] = await admin_bot.api.wait_for(
        "editMessageText", lambda c: c.params.get("message_id") == progress.result["message_id"]
        and "Đã cập nhật" in c.text, after=mark, timeout=20)
    seen = visible(report.text)
    assert f"♻️ Đã khôi phục “{OLD_NAME}”" in seen and f"Văn bản: {SHIPPED} (+1 mới" in seen
    assert (root / OLD_NAME).read_bytes() == content and not any((root / "trash").iterdir())
    [card] = await admin_bot.send("/vanban 4168")
    assert "4168/QĐ-UBND" in visible(card.text)


async def test_cancel_and_usage_and_not_found_change_nothing(admin_bot: Any) -> None:
    root: Path = admin_bot.deps.reloader.knowledge_dir
    before = sorted(p.name for p in root.iterdir())
    [usage] = await admin_bot.send("/xoa")
    assert visible(usage.text) == replies.XOA_USAGE
    [usage] = await admin_bot.send("/khoiphuc")
    assert visible(usage.text) == replies.KHOIPHUC_USAGE
    [missing] = await admin_bot.send("/xoa 99999/QĐ-UBND")
    assert "Không có văn bản số “99999/QĐ-UBND” trong thư mục kế hoạch" in visible(missing.text)
    [missing] = await admin_bot.send("/khoiphuc 4168")
    assert "thùng rác" in visible(missing.text)
    [ask] = await admin_bot.send("/xoa 4168")
    edit = await tap(admin_bot, buttons(ask, "at:", "n")[0], ask, until=replies.CANCELLED)
    assert edit.text == replies.CANCELLED
    assert sorted(p.name for p in root.iterdir()) == before
    # The confirm button of a cancelled request no longer works.
    mark = len(admin_bot.api.calls)
    admin_bot.api.push_callback(buttons(ask, "at:")[0], ask.result)
    [ack] = await admin_bot.api.wait_for("answerCallbackQuery", after=mark)
    assert ack.params["text"] == replies.PENDING_EXPIRED
    assert sorted(p.name for p in root.iterdir()) == before


async def test_several_matches_are_listed_and_one_is_chosen(admin_bot: Any) -> None:
    root: Path = admin_bot.deps.reloader.knowledge_dir
    (root / "qt.txt").write_text("---\nprovince: Quảng Trị\ndocument: 4168/KH-UBND\n---\n"
                                 "1. Tối thiểu 90% hồ sơ được giải quyết đúng hạn.\n", encoding="utf-8")
    [choose] = await admin_bot.send("/xoa 4168")
    seen = visible(choose.text)
    assert "Có 2 văn bản khớp “4168”" in seen and OLD_NAME in seen and "qt.txt" in seen
    picks = buttons(choose, "at:")
    assert len(picks) == 2 and all(len(p.encode()) <= 64 for p in picks)
    label = next(b["text"] for b in choose.buttons if b["callback_data"] == picks[0])
    await tap(admin_bot, picks[0], choose)
    gone = "qt.txt" if "qt.txt" in label else OLD_NAME
    assert (root / "trash" / gone).exists()
    assert {p.name for p in root.glob("*.txt")} >= {"qt.txt", OLD_NAME} - {gone}


async def test_restoring_over_a_newer_version_asks_to_swap(admin_bot: Any) -> None:
    root: Path = admin_bot.deps.reloader.knowledge_dir
    old = (root / OLD_NAME).read_bytes()
    (root / "trash").mkdir()
    (root / OLD_NAME).rename(root / "trash" / OLD_NAME)
    (root / "cantho-2022.txt").write_bytes(old.replace("năm 2021".encode(), "năm 2022".encode()))
    [ask] = await admin_bot.send("/khoiphuc 4168/QĐ-UBND")
    seen = visible(ask.text)
    assert "Thay nó bằng bản trong thùng rác?" in seen and "cantho-2022.txt" in seen
    report = await tap(admin_bot, buttons(ask, "at:")[0], ask)
    assert "Đã chuyển vào trash/: cantho-2022.txt" in visible(report.text)
    assert (root / OLD_NAME).read_bytes() == old and (root / "trash" / "cantho-2022.txt").exists()
