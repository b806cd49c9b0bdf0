"""`python bot.py chat`: the bot in a terminal, on the local index, no token, no network.

Same answers and wording as Telegram (rendered by `handlers.replies` with the plain formatter);
the citizen's commands, in plain text. Reads lines until EOF or /quit. In a terminal, lines
can be edited and earlier questions recalled with the arrow keys (`readline`, where Python has
it: not on Windows), and that history is kept between sessions when a history file is given.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

from handlers import replies
from handlers.compare import draw
from handlers.deps import local_today
from handlers.export import build_export
from handlers.targets import targets_reply
from handlers.tasks import hanchot_reply, tasks_reply
from knowledge.base import KnowledgeBase
from knowledge.compare import compare, parse_scope, province_names
from knowledge.models import MAX_QUESTION

PLAIN = replies.PLAIN
PROMPT = "Bạn: "
QUIT = {"/quit", "/exit", "/thoat"}


class ConsoleChat:
    """One console conversation: remembers the last question for "+" (more results). Charts and
    spreadsheets are saved as files in `out_dir` (a new temporary folder when not given) and
    their paths printed."""

    def __init__(self, kb: KnowledgeBase, *, top: int = 3, out_dir: Path | None = None,
                 today: Callable[[], date] = local_today) -> None:
        self.kb = kb
        self.top = top
        self._out_dir = out_dir
        self._today = today
        self._last: str | None = None
        self._offset = 0
        self._commands: dict[str, Callable[[list[str]], str]] = {
            "start": self._start,
            "help": lambda _args: replies.help_text(PLAIN, console=True),
            "privacy": lambda _args: replies.privacy_text(PLAIN),
            "muctieu": self._targets,
            "tinh": lambda _args: replies.provinces_text(self.kb.documents(), PLAIN),
            "vanban": self._document,
            "sosanh": self._compare,
            "nhiemvu": self._tasks,
            "hanchot": lambda args: hanchot_reply(self.kb, args, self._today(), PLAIN),
            "xuat": self._export,
            "theodoi": lambda _args: replies.NOT_IN_CONSOLE,
            "huytheodoi": lambda _args: replies.NOT_IN_CONSOLE,
        }

    def respond(self, line: str) -> str:
        """The reply to one input line (a command, "+", small talk or a question)."""
        text = " ".join(line.split())
        if not text:
            return ""
        if text == "+":
            return self._more()
        if text.startswith("/"):
            name, *args = text[1:].split()
            name = name.split("@", 1)[0].lower()
            handler = self._commands.get(name)
            return handler(args) if handler else replies.UNKNOWN_COMMAND
        kind = replies.small_talk_kind(text)
        if kind == "greeting":
            return replies.greeting_reply(PLAIN)
        if kind == "thanks":
            return replies.thanks_reply(PLAIN)
        return self._ask(text[:MAX_QUESTION])

    def _ask(self, question: str) -> str:
        answer = self.kb.search(question, top=self.top)
        if not (answer.answered and answer.results):
            self._last = None
            return replies.not_answered_text(question, self.kb.suggestions(question, limit=3), PLAIN,
                                             notes=answer.notes)
        self._last, self._offset = question, 0
        return replies.plain_answer(answer, more_hint=True)

    def _more(self) -> str:
        if self._last is None:
            return replies.EMPTY_QUESTION
        offset = self._offset + self.top
        answer = self.kb.search(self._last, top=self.top, offset=offset)
        if not answer.results:
            return replies.NO_MORE
        self._offset = offset
        return replies.plain_answer(answer, offset, more_hint=True)

    def _start(self, args: list[str]) -> str:
        if args:
            question = replies.decode_start_payload(args[0])
            if question:
                return self._ask(question)
        return replies.start_text(self.kb.overview(), PLAIN)

    def _targets(self, args: list[str]) -> str:
        scope = parse_scope(args, province_names(self.kb)) if args else None
        if scope is None or not scope.topic:
            return replies.MUCTIEU_USAGE
        # No buttons here: every line on one page.
        return targets_reply(self.kb, scope, size=10_000, fmt=PLAIN)[0]

    def _compare(self, args: list[str]) -> str:
        scope = parse_scope(args, province_names(self.kb)) if args else None
        if scope is None or not scope.topic:
            return replies.SOSANH_USAGE
        comparison = compare(self.kb, scope)
        text = replies.comparison_text(comparison, PLAIN)
        if comparison.bars:
            path = self.out_dir() / f"so-sanh-{len(list(self.out_dir().glob('so-sanh-*.png'))) + 1}.png"
            path.write_bytes(draw(comparison).png)
            text += "\n" + replies.chart_saved(str(path))
        return text

    def _tasks(self, args: list[str]) -> str:
        found = tasks_reply(self.kb, args, 0, self._today(), size=10_000, fmt=PLAIN) if args else None
        return found[0] if found else replies.NHIEMVU_USAGE

    def _export(self, args: list[str]) -> str:
        if not args:
            return replies.XUAT_USAGE
        found = build_export(self.kb, args)
        if found is None:
            return replies.export_nothing(" ".join(args), PLAIN)
        path = self.out_dir() / found.name
        path.write_bytes(found.data)
        return replies.export_saved(str(path), found.rows)

    def out_dir(self) -> Path:
        """Where charts and spreadsheets are saved (created on first use)."""
        if self._out_dir is None:
            self._out_dir = Path(tempfile.mkdtemp(prefix="cchc-bot-"))
        self._out_dir.mkdir(parents=True, exist_ok=True)
        return self._out_dir

    def _document(self, args: list[str]) -> str:
        number = " ".join(args).strip()
        if not number:
            return replies.VANBAN_USAGE
        found = [meta for _, meta in self.kb.find_documents(number[:80])]
        if len(found) > 1:
            return replies.documents_to_choose(number, found, shown=len(found), fmt=PLAIN)
        return replies.document_card(found[0], fmt=PLAIN) if found else replies.document_not_found(number, PLAIN)


HISTORY_LENGTH = 500


def line_editing(history: Path | None) -> Callable[[], None] | None:
    """Turn on `readline` line editing and history for `input()`; returns the function that
    saves the history at the end, or None when this Python has no readline (Windows)."""
    try:
        import readline
    except ImportError:
        return None
    readline.set_history_length(HISTORY_LENGTH)
    if history is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(history)

    def save() -> None:
        if history is not None:
            with contextlib.suppress(OSError):
                history.parent.mkdir(parents=True, exist_ok=True)
                readline.write_history_file(history)
    return save


def run_console(kb: KnowledgeBase, stdin: TextIO, stdout: TextIO, *, interactive: bool = False,
                history: Path | None = None, read_line: Callable[[str], str] | None = None) -> int:
    """Chat on stdin/stdout until EOF or /quit; returns the exit code (0).

    `interactive` (a terminal): a prompt, and lines read with `input()` under readline, so they
    can be edited and recalled (`history`: the file keeping them between sessions).
    `read_line` replaces `input` (tests)."""
    chat = ConsoleChat(kb)
    print(chat.respond("/start"), file=stdout)
    print("\n(Gõ câu hỏi rồi Enter; + để xem thêm; /help để xem lệnh; /quit để thoát.)\n", file=stdout)
    save_history = line_editing(history) if interactive else None
    prompt = read_line or input
    try:
        while True:
            if interactive:
                try:
                    line = prompt(PROMPT)
                except EOFError:
                    break
            else:
                line = stdin.readline()
                if not line:
                    break
            if line.strip().lower() in QUIT:
                break
            reply = chat.respond(line)
            if reply:
                print(reply + "\n", file=stdout, flush=True)
    finally:
        if save_history is not None:
            save_history()
    return 0
