"""Functions the document worker process runs in tests (module level, so they pickle by name):
each first writes a marker file the test waits for, then misbehaves."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

MARKER = "worker-entered"


def _entered(folder: Path) -> None:
    (folder / MARKER).write_text(str(os.getpid()), encoding="utf-8")


def spin_forever() -> None:
    """A regular expression that backtracks for longer than any test runs, holding the GIL the
    whole time: in a thread of the bot it would stop every answer."""
    re.match(r"(a*)*b", "a" * 40)


def spin_build(knowledge_dir: Path, stage: Path, **kwargs: Any) -> None:
    """In place of `build_index` (the same arguments)."""
    _entered(Path(knowledge_dir).parent)
    spin_forever()


def spin_preview(staged: Path, **kwargs: Any) -> None:
    """In place of `library.preview_document`: the marker goes beside `.incoming/`."""
    _entered(Path(staged).parent.parent)
    spin_forever()


def wait_for_fifo(folder: Path, fifo: Path) -> str:
    """Block on a FIFO the test controls (opening it for reading waits for a writer)."""
    _entered(Path(folder))
    with open(fifo, encoding="utf-8") as fh:
        return fh.read()


def report_progress(steps: int, progress: Any = None) -> int:
    """Report `steps` progress steps, then return how many."""
    for i in range(steps):
        progress("read", i + 1, steps)
    return steps


def allocate(megabytes: int) -> int:
    """Allocate (and touch) `megabytes` of memory."""
    return len(bytearray(megabytes * 1024 * 1024))


def refuse(name: str) -> None:
    """Raise a DocumentError with a reason code, as a limit does."""
    from knowledge.limits import refuse_over

    refuse_over(name, "too_long", 10, 5, "characters")


def report_then_spin(folder: Path, stage: str, progress: Any = None) -> None:
    """One progress report in `stage`, then a regular expression that never ends."""
    progress(stage, 1, 2)
    _entered(Path(folder))
    spin_forever()
