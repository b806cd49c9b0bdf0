"""Document work in a separate process, with a time and a memory limit.

Reading a document is CPU work in `re`, python-docx and pypdf, which hold the GIL: in a thread of
the bot's process even a linear step on a large file stops every citizen's answer for seconds,
and a step that never ends stops them for good. `run(target, …)` calls `target` in a fresh
Python process (`python -c …` importing this module: nothing of the bot's state — event loop,
sockets, open databases — is copied into it, and unlike multiprocessing's "spawn" the caller's
main script is never re-run), streams its progress back over a pipe, returns its result or raises
its exception, and:

- kills it when it runs over `seconds` (WorkerError, code "timeout"), or when it stays in a
  per-document stage (`stall_stages`, e.g. reading one file) for more than `stall_seconds`
  without reporting progress — one hostile document among thousands is then stopped within
  `stall_seconds`, not within the whole folder's budget;
- caps its address space at `memory_bytes` with RLIMIT_AS, so a document that would need more
  fails with MemoryError inside the worker (WorkerError, code "memory") instead of the bot
  growing to GBs;
- reports a worker that died on its own (WorkerError, code "crashed", e.g. killed by the OS).

A worker whose parent dies is killed by the kernel (Linux PR_SET_PDEATHSIG), and otherwise
stops at its next progress report (the pipe is broken). `target` and
its arguments must be picklable (a module-level function), and so must its result; the worker
gets the caller's `sys.path`, so a function the caller can import, the worker can too.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Collection
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


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the bot dies (a worker must not outlive it and keep
    writing beside the index); elsewhere a broken pipe at the next report stops it."""
    parent = os.getppid()
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        # 1 = PR_SET_PDEATHSIG. It fires when the *thread* that started us ends; that thread is
        # blocked in `run` until we are done, so only the bot's death triggers it.
        libc.prctl(1, int(signal.SIGKILL))
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _main(fd: int) -> None:
    """The worker process: read the job from stdin, run it, send ("progress", …)* and then
    ("done", result) or ("error", exception) on the pipe `fd`."""
    _die_with_parent()
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
        progress: Callable[[str, int, int], None] | None = None, stall_seconds: float | None = None,
        stall_stages: Collection[str] = (), **kwargs: Any) -> T:
    """`target(*args, **kwargs)` in a separate process, at most `seconds` long and
    `memory_bytes` big, and at most `stall_seconds` between two progress reports while the last
    one was of a stage in `stall_stages`; `progress`, when given, is passed to `target` as its
    `progress` keyword and called here with each of its reports. Blocking (run it in a thread)."""
    job = pickle.dumps((memory_bytes, target, args, kwargs, progress is not None))
    read_fd, write_fd = os.pipe()
    try:
        process = subprocess.Popen([sys.executable, "-c", _BOOT, str(write_fd)], stdin=subprocess.PIPE,
                                   pass_fds=(write_fd,), close_fds=True)
    finally:
        os.close(write_fd)  # the worker holds the only writer: EOF here means it is gone
    receiver = Connection(read_fd, writable=False)
    deadline = time.monotonic() + seconds
    stall_deadline: float | None = None   # set while the worker is inside a per-document stage
    try:
        assert process.stdin is not None
        try:
            pickle.dump(list(sys.path), process.stdin)
            process.stdin.write(job)
            process.stdin.close()
        except BrokenPipeError:
            pass  # it died at start: reported below as crashed
        while True:
            now = time.monotonic()
            if now >= deadline:
                raise WorkerError("timeout", seconds)
            if stall_deadline is not None and stall_seconds is not None and now >= stall_deadline:
                raise WorkerError("timeout", stall_seconds)
            if not receiver.poll(min(deadline, stall_deadline or deadline) - now):
                continue
            try:
                message = receiver.recv()
            except EOFError:
                raise WorkerError("crashed", float(process.wait(10))) from None
            if message[0] == "progress":
                stalls = stall_seconds is not None and message[1] in stall_stages
                stall_deadline = time.monotonic() + stall_seconds if stalls and stall_seconds else None
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
