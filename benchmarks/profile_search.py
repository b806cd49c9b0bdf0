"""Where a question's time goes: `KnowledgeBase.search` per stage, and a cProfile of the whole run.

    python benchmarks/profile_search.py --db kb.db [--questions 1000] [--seed 1] [--top 15] [--cprofile] [--cpu]

Asks the benchmark harness questions (`harness.make_questions`, as bench_search.py does) and
times each stage of every question, exclusive of the stages it calls: reading the question
(reader), the filters and notes (decider before the search), term weights, building the FTS5
query, SQLite (the FTS5 hits, the targets' kinds), the candidates' clause rows (from the row
cache or one query), scoring candidates, string similarity, deciding what is shown, and building
the results. Prints the mean per stage for the median questions and for the slowest 1 %, what
those slowest questions are, and with --cprofile the top functions by own time over the whole
run. --cpu times the process's CPU (`time.process_time`) instead of wall time: on a machine other
work shares. Timings wrap methods of one open KnowledgeBase, so they add a little overhead of
their own.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness as h  # noqa: E402
from knowledge import KnowledgeBase, base, ranker  # noqa: E402


class Stages:
    """Exclusive time per stage of the question being asked (nested stages are subtracted)."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.now: dict[str, float] = defaultdict(float)
        self.stack: list[list[float]] = []  # per open stage: [start, time spent in nested stages]
        self.clock = clock

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """`fn`, its own time added to stage `name`."""
        clock = self.clock

        def timed(*args: Any, **kwargs: Any) -> Any:
            self.stack.append([clock(), 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                start, nested = self.stack.pop()
                spent = clock() - start
                self.now[name] += spent - nested
                if self.stack:
                    self.stack[-1][1] += spent

        return timed


def instrument(kb: KnowledgeBase, st: Stages) -> None:
    """Wrap the stages of `kb.search` (instance attributes and the module functions it calls)."""
    kb.reader.read = st.wrap("read", kb.reader.read)  # type: ignore[method-assign]
    kb._allowed_docs = st.wrap("filters", kb._allowed_docs)  # type: ignore[method-assign]
    kb.decider.notes = st.wrap("filters", kb.decider.notes)  # type: ignore[method-assign]
    base.term_weights = st.wrap("weights", ranker.term_weights)
    kb.retriever.match = st.wrap("fts query", kb.retriever.match)  # type: ignore[method-assign]
    for name in ("fts_hits", "opening_clauses", "any_hit", "target_kinds", "clauses_containing", "clauses_after"):
        setattr(kb.index, name, st.wrap("sql candidates", getattr(kb.index, name)))
    # Within fts_hits: the clause rows of the ids found (from the row cache or one query).
    kb.index._clauses_by_id = st.wrap("candidate rows", kb.index._clauses_by_id)  # type: ignore[method-assign]
    kb._candidate = st.wrap("score", kb._candidate)  # type: ignore[method-assign]
    base.ranker = type(ranker)("ranker_timed")  # a stand-in module: similarity timed, the rest as is
    base.ranker.__dict__.update(ranker.__dict__)
    base.ranker.similarity = st.wrap("similarity", ranker.similarity)
    kb._rank = st.wrap("rank other", kb._rank)  # type: ignore[method-assign]
    kb.decider.shown = st.wrap("decide", kb.decider.shown)  # type: ignore[method-assign]
    kb._results = st.wrap("results", kb._results)  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--questions", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--top", type=int, default=15, help="functions listed from cProfile")
    p.add_argument("--cprofile", action="store_true", help="also profile the run with cProfile")
    p.add_argument("--cpu", action="store_true",
                   help="CPU time of the process (time.process_time) instead of wall time: on a shared machine")
    args = p.parse_args(argv)
    qs = h.make_questions(args.db, args.questions, seed=args.seed)
    kb = KnowledgeBase.open(args.db)
    for q in qs[:20]:
        kb.search(q.text, top=3)
    clock = time.process_time if args.cpu else time.perf_counter
    st = Stages(clock)
    instrument(kb, st)
    per: list[tuple[float, dict[str, float], h.Question, Any]] = []
    total = st.wrap("search other", kb.search)
    for q in qs:
        st.now = defaultdict(float)
        t0 = clock()
        answer = total(q.text, top=3)
        per.append(((clock() - t0) * 1000, dict(st.now), q, answer))
    if args.cprofile:
        prof = cProfile.Profile()
        prof.enable()
        for q in qs:
            kb.search(q.text, top=3)
        prof.disable()
    per.sort(key=lambda r: r[0])
    n = len(per)
    mid = per[int(n * 0.4):int(n * 0.6)]
    tail = per[int(n * 0.99):] or per[-1:]
    names = sorted({k for _, s, _, _ in per for k in s}, key=lambda k: -sum(s.get(k, 0) for _, s, _, _ in per))
    print(f"{n} questions: median {statistics.median(r[0] for r in per):.2f} ms, "
          f"p99 {per[min(n - 1, int(n * 0.99))][0]:.2f} ms (timing wrappers included)\n")
    print(f"| stage | median questions (40-60 %), ms | slowest 1 % ({len(tail)}), ms | all, share |")
    print("| --- | ---: | ---: | ---: |")
    grand = sum(sum(s.values()) for _, s, _, _ in per) or 1.0
    for k in names:
        m = statistics.mean(s.get(k, 0.0) for _, s, _, _ in mid) * 1000
        t = statistics.mean(s.get(k, 0.0) for _, s, _, _ in tail) * 1000
        share = sum(s.get(k, 0.0) for _, s, _, _ in per) / grand
        print(f"| {k} | {m:.3f} | {t:.3f} | {share:.0%} |")
    print("\nslowest questions:")
    for ms_, s, q, answer in per[::-1][:max(len(tail), 10)]:
        parts = ", ".join(f"{k} {v * 1000:.1f}" for k, v in sorted(s.items(), key=lambda kv: -kv[1])[:4])
        print(f"  {ms_:6.2f} ms [{q.kind}] {'answered' if answer.answered else 'refused'} "
              f"{len(q.text.split())} words: {q.text[:90]!r}\n           {parts}")
    if args.cprofile:
        print()
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.top)
    kb.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
