"""Rebuilding the index while the old one keeps serving, and what changed.

`Reloader.reload()` (blocking; the bot runs it in a worker thread) builds the plans folder into
a staging file beside the index — in a separate process with a time and a memory limit
(`knowledge.worker`, bounds in `knowledge.limits`), so no document can stall the bot's answers —,
compares it with the current index by content hash, and only then moves it over the index in one
`os.replace`:

- a document that cannot be read keeps the old index in place (unless `force`, which leaves the
  bad files out);
- a process killed at any point leaves the old index intact: the build writes its own temporary
  file, the staging file is only renamed when complete, and rename is atomic;
- one reload at a time, across processes too (an exclusive `flock` beside the index, also taken
  by `bot.py index`): a second one is refused with `ReloadBusy`, or waits if asked to.

The caller swaps the returned `KnowledgeBase` in; readers still holding the old one keep reading
the replaced file (an open SQLite connection reads its inode even after the rename).
"""

from __future__ import annotations

import contextlib
import difflib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge import store, worker
from knowledge.base import KnowledgeBase
from knowledge.build import BuildReport, Progress, build_index
from knowledge.limits import LIMITS, Limits
from knowledge.models import DocumentError

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux/macOS: the in-process lock still holds
    fcntl = None  # type: ignore[assignment]


# The build's stages that report after each document (knowledge.build.Progress).
PER_DOCUMENT_STAGES = frozenset({"read", "split", "index"})


class ReloadBusy(RuntimeError):
    """Another reload (in this process, or `bot.py index` in another) is running."""


def lock_path(db_path: Path) -> Path:
    """The lock file beside an index: `knowledge.db` → `.knowledge.db.lock`."""
    return db_path.with_name(f".{db_path.name}.lock")


def staging_path(db_path: Path) -> Path:
    """Where a reload builds before it replaces the index: `.knowledge.db.next`."""
    return db_path.with_name(f".{db_path.name}.next")


_process_locks: dict[Path, threading.Lock] = {}
_process_locks_guard = threading.Lock()


@contextlib.contextmanager
def index_lock(db_path: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the index's build lock: one builder at a time, in this process and across processes.

    `wait=False` raises ReloadBusy at once when it is taken. The kernel drops an flock when its
    process dies, so a killed build never leaves the index locked.
    """
    key = db_path.resolve()
    with _process_locks_guard:
        local = _process_locks.setdefault(key, threading.Lock())
    if not local.acquire(blocking=wait):
        raise ReloadBusy(f"a reload of {db_path} is already running")
    try:
        if fcntl is None:
            yield
            return
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path(db_path), "a+b") as fh:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                raise ReloadBusy(f"another process is building {db_path}") from None
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    finally:
        local.release()


def remove_leftovers(db_path: Path) -> list[Path]:
    """Delete temporary files of builds that were killed midway (call only holding the lock)."""
    stage = staging_path(db_path)
    removed: list[Path] = []
    for pattern in (f".{db_path.name}.*.building", f".{stage.name}.*.building", stage.name):
        for path in db_path.parent.glob(pattern):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


# --- what changed ---------------------------------------------------------------------------------

@dataclass
class DocSummary:
    """One document as an index holds it."""

    file: str
    document: str | None
    title: str | None
    sha256: str
    clauses: int
    targets: int


@dataclass
class Change:
    """Added, changed and removed counts of one kind of thing (documents, clauses, targets)."""

    added: int = 0
    changed: int = 0
    removed: int = 0

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass
class ReloadDiff:
    """The difference between the index in service and a new build."""

    documents: Change = field(default_factory=Change)
    clauses: Change = field(default_factory=Change)
    targets: Change = field(default_factory=Change)
    added: list[DocSummary] = field(default_factory=list)
    changed: list[tuple[DocSummary, DocSummary]] = field(default_factory=list)  # (before, after)
    removed: list[DocSummary] = field(default_factory=list)
    before: tuple[int, int, int] = (0, 0, 0)    # documents, clauses, targets
    after: tuple[int, int, int] = (0, 0, 0)

    @property
    def empty(self) -> bool:
        """Nothing added, changed or removed."""
        return not (self.documents or self.clauses or self.targets)


def _summaries(rows: list[dict[str, Any]]) -> dict[str, DocSummary]:
    return {r["file"]: DocSummary(file=r["file"], document=r["document"], title=r["title"],
                                  sha256=r["sha256"], clauses=r["clauses"], targets=r["targets"])
            for r in rows}


def _sequence_change(old: list[Any], new: list[Any]) -> Change:
    """Added / changed / removed between two ordered sequences (a replaced run counts as changed
    up to the shorter side, the rest as added or removed)."""
    change = Change()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "insert":
            change.added += j2 - j1
        elif op == "delete":
            change.removed += i2 - i1
        elif op == "replace":
            both = min(i2 - i1, j2 - j1)
            change.changed += both
            change.added += (j2 - j1) - both
            change.removed += (i2 - i1) - both
    return change


def diff_indexes(old_db: Path, new_db: Path) -> ReloadDiff:
    """What a new build adds, changes and removes, compared with the old index: documents by file
    and content hash (sha256), clauses and targets within changed documents by their text."""
    old = _summaries(store.read_documents(old_db))
    new = _summaries(store.read_documents(new_db))
    diff = ReloadDiff(
        before=(len(old), sum(d.clauses for d in old.values()), sum(d.targets for d in old.values())),
        after=(len(new), sum(d.clauses for d in new.values()), sum(d.targets for d in new.values())),
    )
    diff.added = [new[f] for f in sorted(new.keys() - old.keys())]
    diff.removed = [old[f] for f in sorted(old.keys() - new.keys())]
    diff.changed = [(old[f], new[f]) for f in sorted(old.keys() & new.keys()) if old[f].sha256 != new[f].sha256]
    diff.documents = Change(len(diff.added), len(diff.changed), len(diff.removed))
    diff.clauses = Change(added=sum(d.clauses for d in diff.added), removed=sum(d.clauses for d in diff.removed))
    diff.targets = Change(added=sum(d.targets for d in diff.added), removed=sum(d.targets for d in diff.removed))
    if diff.changed:
        files = [after.file for _, after in diff.changed]
        before_contents = store.read_document_contents(old_db, files)
        after_contents = store.read_document_contents(new_db, files)
        for name in files:
            old_clauses, old_targets = before_contents.get(name, ([], []))
            new_clauses, new_targets = after_contents.get(name, ([], []))
            for total, part in ((diff.clauses, _sequence_change(old_clauses, new_clauses)),
                                (diff.targets, _sequence_change(old_targets, new_targets))):
                total.added += part.added
                total.changed += part.changed
                total.removed += part.removed
    return diff


# --- reloading ------------------------------------------------------------------------------------

@dataclass
class ReloadResult:
    """What a reload did. `kb` is the newly opened index when it was swapped in, else None."""

    report: BuildReport
    diff: ReloadDiff
    swapped: bool
    kb: KnowledgeBase | None = None
    seconds: float = 0.0

    @property
    def errors(self) -> list[DocumentError]:
        """Documents that could not be read (left out of the build)."""
        return self.report.errors


class Reloader:
    """Rebuilds `db_path` from `knowledge_dir`, one reload at a time, the build in a worker
    process bounded by `limits` (`isolated=False`: in the calling thread, for tools and tests
    that patch the build). `build` is `build_index` or a picklable stand-in with its signature
    (tests hold a build at a chosen stage with it, tests/workerhooks.py)."""

    def __init__(self, knowledge_dir: Path, db_path: Path, *, limits: Limits = LIMITS,
                 isolated: bool = True, build: Callable[..., BuildReport] | None = None,
                 after_open: Callable[[], None] | None = None) -> None:
        self.knowledge_dir = Path(knowledge_dir)
        self.db_path = Path(db_path)
        self.limits = limits
        self.isolated = isolated
        self.build = build
        # Called once the new index is open, before it is returned to be swapped in: the serving
        # process settles its memory there (bot.settle_memory: the collector's frozen objects).
        self.after_open = after_open

    def _build(self, stage: Path, progress: Progress | None) -> BuildReport:
        build = self.build or build_index   # looked up now: tests may patch this module's build_index
        if not self.isolated:
            return build(self.knowledge_dir, stage, skip_bad=True, progress=progress, limits=self.limits)
        # Folder-wide stages ("words", "write") have only the whole reload's limit.
        return worker.run(build, self.knowledge_dir, stage, skip_bad=True, limits=self.limits,
                          seconds=self.limits.reload_seconds, memory_bytes=self.limits.reload_memory_bytes,
                          progress=progress, stall_seconds=self.limits.document_seconds,
                          stall_stages=PER_DOCUMENT_STAGES)

    def reload(self, *, force: bool = False, progress: Progress | None = None,
               wait: bool = False) -> ReloadResult:
        """Build, compare with the current index, and replace it unless a document is unreadable
        (`force`: replace anyway, without the unreadable documents).

        Blocking: run it in a worker thread. Raises ReloadBusy when another reload holds the lock
        (unless `wait`), FileNotFoundError when the plans folder is missing, DiskFullError when
        the disk fills up, WorkerError when the build runs over its time or memory limit; the
        old index is untouched in every one of these cases.
        """
        started = time.perf_counter()
        with index_lock(self.db_path, wait=wait):
            remove_leftovers(self.db_path)
            stage = staging_path(self.db_path)
            try:
                report = self._build(stage, progress)
                if progress is not None:
                    progress("compare", 0, 1)
                diff = diff_indexes(self.db_path, stage)
                if report.errors and not force:
                    return ReloadResult(report, diff, swapped=False, seconds=time.perf_counter() - started)
                # The one step that changes what is served: atomic, and a kill before it changes nothing.
                stage.replace(self.db_path)
            finally:
                # A worker killed over time leaves its half-written temporary file too.
                remove_leftovers(self.db_path)
            kb = KnowledgeBase.open(self.db_path)
        if self.after_open is not None:
            self.after_open()
        return ReloadResult(report, diff, swapped=True, kb=kb, seconds=time.perf_counter() - started)
