"""Where an index build's time goes: CPU seconds per stage, and a cProfile of every process.

    python benchmarks/profile_build.py --knowledge DIR [--db PATH] [--top 15] [--workers N]

Builds the index of DIR (into a temporary file unless --db) with `knowledge.build_index` and
prints: clauses, wall seconds, CPU seconds (user + sys) of this process and of its worker
processes, clauses per CPU second and per wall second, the stages as the build reports them
(read + parse, words, write: wall and this process's CPU), and the top functions by own time —
of this process, and of the worker processes added up (each worker profiles itself and writes
its statistics when it exits). --workers forces the number of processes (1: all in this one).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import tempfile
import time
from multiprocessing import util
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from knowledge import build  # noqa: E402

_STATS_DIR_ENV = "CCHC_PROFILE_BUILD_DIR"


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def _profiled_init(*args: Any) -> None:
    """The workers' initializer, profiling the worker from here until it exits."""
    profile = cProfile.Profile()
    out = Path(os.environ[_STATS_DIR_ENV]) / f"worker-{os.getpid()}-{time.monotonic_ns()}.prof"
    util.Finalize(None, profile.dump_stats, args=(str(out),), exitpriority=100)
    build_init(*args)
    profile.enable()


build_init = build._init_worker


def main() -> None:
    """Run one profiled build and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--knowledge", type=Path, required=True)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--workers", type=int)
    ap.add_argument("--no-profile", action="store_true", help="CPU and stages only")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    stats_dir = Path(tmp.name) / "stats"
    stats_dir.mkdir()
    os.environ[_STATS_DIR_ENV] = str(stats_dir)
    db = args.db or Path(tmp.name) / "kb.db"
    if args.workers is not None:
        build.build_workers = lambda chars, wanted=0: args.workers
    if not args.no_profile:
        build._init_worker = _profiled_init  # type: ignore[assignment]

    stages: dict[str, list[float]] = {}  # stage → [first wall, last wall, first cpu, last cpu]

    def progress(stage: str, done: int, total: int) -> None:
        now, cpu = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
        got = stages.setdefault(stage, [now, now, cpu, cpu])
        got[1], got[3] = now, cpu

    profile = cProfile.Profile()
    started, cpu0 = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
    if not args.no_profile:
        profile.enable()
    report = build.build_index(args.knowledge, db, progress=progress)
    progress("(end)", 0, 0)
    if not args.no_profile:
        profile.disable()
    wall = time.perf_counter() - started
    own = _cpu(resource.RUSAGE_SELF) - cpu0
    children = _cpu(resource.RUSAGE_CHILDREN)
    total = own + children
    load = os.getloadavg()
    print(f"{report.clauses:,} clauses from {report.documents:,} documents; load {load[0]:.2f} {load[1]:.2f}")
    print(f"wall {wall:.2f} s; CPU {total:.2f} s (this process {own:.2f}, workers {children:.2f})")
    print(f"{report.clauses / total:,.0f} clauses per CPU second; {report.clauses / wall:,.0f} per wall second")
    print("stage  wall s  main-process CPU s")
    # Each stage runs from its first report to the next stage's first ("write": VACUUM and all).
    order = list(stages)
    for name, after in zip(order, order[1:], strict=False):
        (wall0, _, cpu0_, _), (wall1, _, cpu1, _) = stages[name], stages[after]
        print(f"{name:6} {wall1 - wall0:7.2f} {cpu1 - cpu0_:7.2f}")
    if args.no_profile:
        return
    print(f"\n--- this process: top {args.top} by own time")
    pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)
    files = sorted(stats_dir.glob("*.prof"))
    if files:
        print(f"\n--- {len(files)} worker process runs added up: top {args.top} by own time")
        pstats.Stats(*map(str, files)).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
