"""End to end only: answered questions/s and the bot process's CPU per answer, with its split.

    python benchmarks/e2e.py --db kb.db [--questions 1000] [--runs 2] [--no-usage-log]
                             [--profile [--top 30]] [--in-process] [--concurrent-updates N]

The same measurement as `run.py`'s end-to-end row (`harness.end_to_end`: the real
`bot.build_application` polling the fake Bot API server, every question pushed at once from its
own user), without building or timing anything else, so settings and code can be compared in a
few seconds. Prints per run: answered/s, the bot process's CPU per answer (user+sys of every
thread: event loop, usage-log writer, executor), the part of it inside the knowledge base's
search, Bot API calls per answer by method, and the load average. `--profile` runs cProfile on
the bot's event loop thread during the measured part (the fake server is in its own process,
so none of its CPU is in the profile) and prints the time per answer grouped by layer (search,
handlers and rendering, PTB, httpx/httpcore, asyncio, JSON, logging, usage log) and the top
functions by own time. A profiled run is slower: its answers/s is not a figure to report.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness as h  # noqa: E402

# Layers of the bot process, by the path of a function's file (first match wins).
LAYERS = (
    ("search (knowledge/)", ("/knowledge/",)),
    ("handlers + rendering", ("/handlers/", "bot.py")),
    ("PTB: telegram/_bot, request", ("telegram/_bot.py", "telegram/request/", "telegram/_utils/")),
    ("PTB: de_json (Update objects)", ("telegram/_", )),
    ("PTB: ext (dispatch, updater)", ("telegram/ext/",)),
    ("httpx + httpcore + h11", ("/httpx/", "/httpcore/", "/h11/", "/anyio/", "/sniffio/")),
    ("json", ("json/",)),
    ("logging", ("logging/",)),
    ("asyncio + selectors + ssl", ("asyncio/", "selectors.py", "socket.py")),
)


def layer_of(filename: str) -> str:
    """The layer a function's file belongs to (see LAYERS), else "other"."""
    for name, needles in LAYERS:
        if any(n in filename for n in needles):
            return name
    if filename.startswith("~") or filename == "":
        return "builtins (C)"
    return "other"


def print_profile(profiler: cProfile.Profile, answers: int, top: int) -> None:
    """Own time per answer grouped by layer, then the top functions by own time."""
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    per_layer: dict[str, float] = {}
    calls_per_layer: dict[str, int] = {}
    total = 0.0
    for (filename, _line, _name), (_cc, nc, tt, _ct, _callers) in raw.items():
        layer = layer_of(filename)
        per_layer[layer] = per_layer.get(layer, 0.0) + tt
        calls_per_layer[layer] = calls_per_layer.get(layer, 0) + nc
        total += tt
    # Calls per answer do not depend on the machine's load: the figure to compare between runs.
    print(f"\nprofile (event loop thread, own time): {total * 1000 / answers:.2f} ms and "
          f"{sum(calls_per_layer.values()) / answers:,.0f} function calls per answer")
    for name, seconds in sorted(per_layer.items(), key=lambda kv: -kv[1]):
        print(f"  {name:34s} {seconds * 1000 / answers:6.3f} ms  {seconds / total:5.1%}"
              f"  {calls_per_layer[name] / answers:7,.0f} calls")
    print(f"\ntop {top} functions by own time (ms per answer, calls per answer):")
    rows = sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]
    for (filename, line, name), (_cc, nc, tt, ct, _callers) in rows:
        where = f"{Path(filename).name}:{line}" if line else filename
        print(f"  {tt * 1000 / answers:6.3f} own {ct * 1000 / answers:6.3f} cum {nc / answers:7.2f}×  {name}  {where}")
    for needle in ("connect_tcp", "_connect", "create_connection"):
        n = sum(v[1] for k, v in raw.items() if k[2] == needle)
        if n:
            print(f"  calls to {needle}: {n}")


def main(argv: list[str] | None = None) -> int:
    """Run the end-to-end measurement `--runs` times and print what it found."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", type=Path, required=True, help="an index built by `bot.py index`")
    p.add_argument("--questions", type=int, default=1000, help="questions per run (default 1000)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--no-usage-log", action="store_true", help="answer without logging questions")
    p.add_argument("--in-process", action="store_true", help="the fake server in the bot's event loop")
    p.add_argument("--profile", action="store_true", help="cProfile the bot's event loop thread")
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--concurrent-updates", type=int, default=None, help="build_application's setting")
    p.add_argument("--search-on-loop", action="store_true", help="search on the event loop (Deps.searcher=None)")
    a = p.parse_args(argv)
    questions = [q.text for q in h.make_questions(a.db, a.questions, seed=a.seed)]
    options: dict[str, Any] = {}
    if a.concurrent_updates is not None:
        options["concurrent_updates"] = a.concurrent_updates
    with tempfile.TemporaryDirectory(prefix="cchc-e2e-") as tmp:
        for run in range(a.runs):
            usage = None if a.no_usage_log else Path(tmp) / f"usage{run}.sqlite"
            profiler = cProfile.Profile() if a.profile else None
            load = os.getloadavg()
            e = h.end_to_end(a.db, questions, usage_path=usage, separate=not a.in_process, profiler=profiler,
                             app_options=options, deps_options={"searcher": None} if a.search_on_loop else None)
            load_after = os.getloadavg()
            calls = ", ".join(f"{m} {n / max(1, e.replied):.2f}" for m, n in sorted(e.calls.items()))
            n = max(1, e.replied)
            print(f"run {run + 1}: {e.per_second:,.0f} answered/s ({e.replied}/{e.questions} in {e.seconds:.2f} s), "
                  f"bot CPU {e.cpu_ms_per_answer:.2f} ms/answer (search {e.search_cpu_seconds * 1000 / n:.2f},"
                  f" event loop thread {e.loop_cpu_seconds * 1000 / n:.2f}),"
                  f" load {load[0]:.2f}→{load_after[0]:.2f}")
            print(f"  Bot API calls per answer: {calls}")
            if profiler is not None:
                print_profile(profiler, max(1, e.replied), a.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
