"""`python bot.py chat` and `bot.py ask`: the same answers as Telegram, in plain text."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from handlers import replies
from handlers.console import ConsoleChat, run_console

ROOT = Path(__file__).resolve().parent.parent


def test_console_answers_pages_and_runs_every_command(shipped_kb: Any) -> None:
    chat = ConsoleChat(shipped_kb)
    answer = chat.respond("thanh toán trực tuyến")
    assert "thanh toán trực tuyến" in answer.lower()
    assert "Theo " in answer and replies.MORE_HINT in answer
    assert "<b>" not in answer and "&lt;" not in answer and "<blockquote" not in answer
    more = chat.respond("+")
    assert "Kết quả 4" in more and more != answer
    assert "không đề cập" in chat.respond("giá vàng SJC hôm nay")
    assert chat.respond("+") == replies.EMPTY_QUESTION
    assert chat.respond("xin chào") == replies.greeting_reply(replies.PLAIN)
    overview = shipped_kb.overview()
    assert f"{overview.documents} văn bản" in chat.respond("/start")
    help_text = chat.respond("/help")
    # Only what a citizen can use here: every console command, no admin command, no groups.
    assert all(f"/{name}" in help_text for name in replies.CONSOLE_COMMANDS)
    assert not any(f"/{name} " in help_text for name, _, _ in replies.ADMIN_COMMANDS)
    assert "quản trị" not in help_text and "nhóm" not in help_text.lower()
    assert "/quit" in help_text
    assert "1256/QĐ-UBND" in chat.respond("/tinh")
    assert "Quảng Ngãi" in chat.respond("/vanban 1256")
    assert "•" in chat.respond("/muctieu thanh toán trực tuyến")
    assert chat.respond("/khong") == replies.UNKNOWN_COMMAND


def test_console_loop_stops_at_quit(shipped_kb: Any) -> None:
    out = io.StringIO()
    code = run_console(shipped_kb, io.StringIO("thanh toán trực tuyến\n/quit\ngiá vàng\n"), out)
    assert code == 0
    text = out.getvalue()
    assert "Theo " in text
    assert "không đề cập" not in text            # the line after /quit was never read


@pytest.mark.slow
def test_bot_py_chat_runs_on_the_shipped_plans_without_token_or_network(shipped_db: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "KNOWLEDGE_DIR")}
    env["DB_PATH"] = str(shipped_db)
    proc = subprocess.run([sys.executable, str(ROOT / "bot.py"), "chat"], input="ty le thanh toan truc tuyen\n/tinh\n",
                          capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "thanh toán trực tuyến" in proc.stdout.lower()
    assert "Theo " in proc.stdout and "Quảng Ngãi" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_console_edits_lines_and_keeps_history_with_readline(shipped_kb: Any, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from handlers import console

    readline = pytest.importorskip("readline")
    history = tmp_path / "data" / "chat_history"
    typed = iter(["thanh toán trực tuyến", "/quit"])
    prompts: list[str] = []

    def fake_input(prompt: str) -> str:
        prompts.append(prompt)
        line = next(typed)
        readline.add_history(line)  # what input() under readline does with each line
        return line

    out = io.StringIO()
    assert run_console(shipped_kb, io.StringIO(), out, interactive=True, history=history,
                       read_line=fake_input) == 0
    assert prompts == [console.PROMPT, console.PROMPT] and "Kết quả" in out.getvalue()
    assert "thanh toán trực tuyến" in history.read_text(encoding="utf-8")  # kept for the next session
    # The next session starts with it.
    readline.clear_history()
    console.line_editing(history)
    assert readline.get_history_item(readline.get_current_history_length()) == "/quit"
    # Without readline (Windows) the console still runs.
    monkeypatch.setitem(sys.modules, "readline", None)
    assert console.line_editing(history) is None
    typed = iter(["xin chào"])

    def ends(prompt: str) -> str:
        try:
            return next(typed)
        except StopIteration:
            raise EOFError from None

    out = io.StringIO()
    assert run_console(shipped_kb, io.StringIO(), out, interactive=True, read_line=ends) == 0
    assert replies.greeting_reply(replies.PLAIN) in out.getvalue()
