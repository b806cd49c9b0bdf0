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


# --- holding a real build at a chosen point until the test releases it ---------------------------
# A gate is a FIFO the test made with os.mkfifo: the build writes `<gate>.entered`, then opens the
# FIFO for reading, which blocks until the test opens it for writing (`release`). The test thus
# knows the build has started and is still running for as long as it keeps the gate shut.

def wait_at(gate: Path) -> None:
    """Say "entered" (the marker file beside the gate), then block until the gate is released."""
    Path(f"{gate}.entered").write_text(str(os.getpid()), encoding="utf-8")
    with open(gate, encoding="utf-8") as fh:
        fh.read()


def release(gate: Path) -> None:
    """Open the gate (blocks until the build is waiting at it, so call it in a thread)."""
    with open(gate, "w", encoding="utf-8") as fh:
        fh.write("go")


def gated_build(knowledge_dir: Path, stage: Path, *, gates: dict[str, Path], progress: Any = None,
                **kwargs: Any) -> Any:
    """`build_index` held at the first progress report of each stage named in `gates` (after
    passing that report on) until that stage's gate is released. Use with
    `Reloader(build=functools.partial(gated_build, gates=…))`: it pickles into the worker."""
    from knowledge.build import build_index

    waiting = dict(gates)

    def report(name: str, done: int, total: int) -> None:
        if progress is not None:
            progress(name, done, total)
        gate = waiting.pop(name, None)
        if gate is not None:
            wait_at(Path(gate))

    return build_index(knowledge_dir, stage, progress=report, **kwargs)


def hold_index_write(gate: Path) -> None:
    """In a process about to run `bot.py index`: hold its build inside the write of the new
    index (its temporary file exists, the old index not yet replaced) at `gate`."""
    from knowledge import store

    real = store.IndexWriter.finish

    def held(*args: Any, **kwargs: Any) -> Any:
        wait_at(gate)
        return real(*args, **kwargs)

    store.IndexWriter.finish = held  # type: ignore[method-assign]
