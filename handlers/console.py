"""`python bot.py chat`: the bot in a terminal, on the local index, no token, no network.

Same answers and wording as Telegram (rendered by `handlers.replies` with the plain formatter);
the citizen's commands, in plain text. Reads lines until EOF or /quit. In a terminal, lines
can be edited and earlier questions recalled with the arrow keys (`readline`, where Python has
it: not on Windows), and that history is kept between sessions when a history file is given.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from handlers import replies
from handlers.targets import parse_targets_args
from knowledge.base import KnowledgeBase
from knowledge.models import MAX_QUESTION

PLAIN = replies.PLAIN
PROMPT = "Bạn: "
QUIT = {"/quit", "/exit", "/thoat"}


class ConsoleChat:
    """One console conversation: remembers the last question for "+" (more results)."""

    def __init__(self, kb: KnowledgeBase, *, top: int = 3) -> None:
        self.kb = kb
        self.top = top
        self._last: str | None = None
        self._offset = 0
        self._commands: dict[str, Callable[[list[str]], str]] = {
            "start": self._start,
            "help": lambda _args: replies.help_text(PLAIN, console=True),
            "privacy": lambda _args: replies.privacy_text(PLAIN),
            "muctieu": self._targets,
            "tinh": lambda _args: replies.provinces_text(self.kb.documents(), PLAIN),
            "vanban": self._document,
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
        if not args:
            return replies.MUCTIEU_USAGE
        names = set(self.kb.overview().provinces)
        for meta in self.kb.documents():
            names.update(n for n in (meta.province, meta.province_current) if n)
        topic, province, year = parse_targets_args(args, names)
        if not topic:
            return replies.MUCTIEU_USAGE
        rows = self.kb.targets(topic, province=province, year=year, limit=20)
        return replies.targets_text(topic, rows, province=province, year=year, fmt=PLAIN)

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
