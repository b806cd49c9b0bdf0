"""Document work in a separate process, with a time and a memory limit.

Reading a document is CPU work in `re`, python-docx and pypdf, which hold the GIL: in a thread of
the bot's process even a linear step on a large file stops every citizen's answer for seconds,
and a step that never ends stops them for good. `run(target, …)` calls `target` in a fresh
Python process (`python -c …` importing this module: nothing of the bot's state — event loop,
sockets, open databases — is copied into it, and unlike multiprocessing's "spawn" the caller's
main script is never re-run), streams its progress back over a pipe, returns its result or raises
its exception, and:

- kills it when it runs over `seconds` (WorkerError, code "timeout");
- caps its address space at `memory_bytes` with RLIMIT_AS, so a document that would need more
  fails with MemoryError inside the worker (WorkerError, code "memory") instead of the bot
  growing to GBs;
- reports a worker that died on its own (WorkerError, code "crashed", e.g. killed by the OS).

A worker whose parent dies stops at its next progress report (the pipe is broken). `target` and
its arguments must be picklable (a module-level function), and so must its result; the worker
gets the caller's `sys.path`, so a function the caller can import, the worker can too.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

try:
    import resource
except ImportError:  # pragma: no cover - not on Linux/macOS: the time limit still holds
    resource = None  # type: ignore[assignment]

T = TypeVar("T")

# The worker's first words: the caller's import path (so `target` unpickles), then this module.
_BOOT = ("import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); "
         "from knowledge.worker import _main; _main(int(sys.argv[1]))")


class WorkerError(RuntimeError):
    """Document work that did not finish: `code` is "timeout" (`limit` = seconds), "memory"
    (`limit` = bytes) or "crashed" (`limit` = the process's exit code)."""

    def __init__(self, code: str, limit: float) -> None:
        super().__init__(code, limit)
        self.code = code
        self.limit = limit

    def __str__(self) -> str:
        if self.code == "timeout":
            return f"document work ran over its time limit ({self.limit:g} s) and was stopped"
        if self.code == "memory":
            return f"document work ran over its memory limit ({self.limit / 2**20:.0f} MB)"
        return f"document worker died (exit code {self.limit:g})"


def _limit_memory(memory_bytes: int | None) -> None:
    if resource is None or not memory_bytes:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _main(fd: int) -> None:
    """The worker process: read the job from stdin, run it, send ("progress", …)* and then
    ("done", result) or ("error", exception) on the pipe `fd`."""
    conn = Connection(fd, readable=False)
    try:
        memory_bytes, target, args, kwargs, with_progress = pickle.load(sys.stdin.buffer)
        _limit_memory(memory_bytes)
        if with_progress:
            def progress(stage: str, done: int, total: int) -> None:
                conn.send(("progress", stage, done, total))
            kwargs = {**kwargs, "progress": progress}
        try:
            result = target(*args, **kwargs)
        except MemoryError:
            conn.send(("error", WorkerError("memory", float(memory_bytes or 0))))
            return
        except Exception as exc:  # sent back and raised in the caller, whatever it is
            try:
                conn.send(("error", exc))
            except Exception:  # an exception that cannot be pickled: its words at least
                conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
            return
        conn.send(("done", result))
    except (BrokenPipeError, EOFError):  # the caller is gone: nobody wants the result
        pass
    finally:
        conn.close()


def run(target: Callable[..., T], *args: Any, seconds: float, memory_bytes: int | None = None,
        progress: Callable[[str, int, int], None] | None = None, **kwargs: Any) -> T:
    """`target(*args, **kwargs)` in a separate process, at most `seconds` long and
    `memory_bytes` big; `progress`, when given, is passed to `target` as its `progress`
    keyword and called here with each of its reports. Blocking (run it in a thread)."""
    job = pickle.dumps((memory_bytes, target, args, kwargs, progress is not None))
    read_fd, write_fd = os.pipe()
    try:
        process = subprocess.Popen([sys.executable, "-c", _BOOT, str(write_fd)], stdin=subprocess.PIPE,
                                   pass_fds=(write_fd,), close_fds=True)
    finally:
        os.close(write_fd)  # the worker holds the only writer: EOF here means it is gone
    receiver = Connection(read_fd, writable=False)
    deadline = time.monotonic() + seconds
    try:
        assert process.stdin is not None
        try:
            pickle.dump(list(sys.path), process.stdin)
            process.stdin.write(job)
            process.stdin.close()
        except BrokenPipeError:
            pass  # it died at start: reported below as crashed
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerError("timeout", seconds)
            if not receiver.poll(remaining):
                continue
            try:
                message = receiver.recv()
            except EOFError:
                raise WorkerError("crashed", float(process.wait(10))) from None
            if message[0] == "progress":
                if progress is not None:
                    progress(*message[1:])
            elif message[0] == "done":
                result: T = message[1]
                return result
            else:
                raise message[1]
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        receiver.close()
