"""Question latency only: the engine beside a plain SQLite FTS5 query, same questions, same run.

    python benchmarks/bench_search.py --knowledge knowledge/plans        # the shipped plans
    python benchmarks/bench_search.py --db benchmarks/out/kb.db          # an index already built

With --knowledge the folder is indexed first (into --out, default a temporary folder). Prints
median / p95 / p99 for both, their ratio, and the same per question kind.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness as h  # noqa: E402
from knowledge import KnowledgeBase  # noqa: E402


def bench(db: Path, *, questions: int = 600, seed: int = 1, workdir: Path, cpu: bool = False,
          serving: bool = False) -> tuple[list[h.Row], h.LatencyResult]:
    """Latency rows (engine, baseline, ratio, quality) for the index at `db`: wall time, or CPU
    time with `cpu`; `serving` settles memory after the open as the serving commands do
    (`bot.settle_memory`: the collector's freeze and thresholds)."""
    qs = h.make_questions(db, questions, seed=seed)
    baseline = h.Baseline(db, workdir / "baseline.db")
    kb = KnowledgeBase.open(db)
    if serving:
        import bot

        bot.settle_memory()
    try:
        clauses = kb.n_clauses
        lat = h.measure_latency(kb, baseline, qs, clock=time.process_time_ns if cpu else time.perf_counter_ns)
    finally:
        kb.close()
        baseline.close()
    rows = [h.Row("clauses", f"{clauses:,}", number=clauses)] + h.latency_rows(lat, goals=clauses >= h.GOAL_SCALE)
    return rows, lat


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--knowledge", type=Path, help="plans folder to index and measure")
    src.add_argument("--db", type=Path, help="an index built by `bot.py index`")
    p.add_argument("--out", type=Path, help="working folder (default: a temporary folder)")
    p.add_argument("--questions", type=int, default=600, help="how many questions (default 600)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--cpu", action="store_true", help="CPU time per question instead of wall time")
    p.add_argument("--serving", action="store_true",
                   help="after the open, settle memory as `bot.py run`/`web` do (garbage collector)")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        work = args.out or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        db = args.db
        if db is None:
            db = work / "kb.db"
            b = h.build(args.knowledge, db)
            print(f"indexed {b.documents} documents, {b.clauses:,} clauses in {b.seconds:.1f} s", file=sys.stderr)
        rows, lat = bench(db, questions=args.questions, seed=args.seed, workdir=work, cpu=args.cpu,
                          serving=args.serving)
    print(h.render_text(rows))
    print()
    print(f"median {lat.engine.median:.2f} ms, p99 {lat.engine.p99:.2f} ms "
          f"(plain FTS5: median {lat.baseline.median:.2f} ms, p99 {lat.baseline.p99:.2f} ms)")
    print()
    print(h.render_markdown(rows))
    print()
    print(h.kind_table(lat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
