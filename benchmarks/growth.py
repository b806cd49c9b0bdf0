"""How the engine and its peers grow: one generated knowledge base per size, each built and asked
by the engine and by tantivy (bm25s too if asked), in one table with the ratios engine / peer.

    python benchmarks/growth.py --sizes 10000,50000,96000,250000 [--distinct] [--peers tantivy,bm25s]
    python benchmarks/run.py --growth 10000,50000,96000         # the same

A size is a clause count; the knowledge base that comes closest is provinces × years × copies of
the shipped plans, each copy holding as many clauses as the shipped plans' own index (built once
first). Each size runs benchmarks/run.py's measurements without end to end, cold start and the
FTS5 baseline: build, index size, latency, hit@3, out-of-scope refusal, peak RSS answering.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import generate as gen  # noqa: E402
from benchmarks import harness as h  # noqa: E402
from benchmarks.run import DEFAULT_OUT, Options, Report, machine_info, run_benchmarks  # noqa: E402

DEFAULT_SIZES = (10_000, 50_000, 96_000, 250_000)
MAX_PROVINCES = 34  # the current provinces (generate.target_provinces takes them first)
MAX_YEARS = 10
MAX_COPIES = 20


def shape(clauses: int, per_copy: int) -> tuple[int, int, int]:
    """(provinces, years, copies) whose product of copies of `per_copy` clauses comes closest to
    `clauses`: as many provinces as possible, then years, copies last (copies differ least)."""
    want = max(1, round(clauses / max(1, per_copy)))
    best: tuple[int, int, int, int, int] | None = None
    for p in range(1, MAX_PROVINCES + 1):
        for y in range(1, MAX_YEARS + 1):
            for c in range(1, MAX_COPIES + 1):
                key = (abs(p * y * c - want), c, -p, y, p)
                if best is None or key < best:
                    best = key
    assert best is not None
    _, c, _, y, p = best
    return p, y, c


@dataclass
class Step:
    """One size of the growth table."""

    target: int
    provinces: int
    years: int
    copies: int
    report: Report
    load: tuple[float, float]  # 1-minute load average at the start and the end
    seconds: float


def per_copy_clauses(out: Path) -> int:
    """Clauses of one copy: the shipped plans' own index, built in a fresh process."""
    db = out / "shipped.db"
    return h.build(gen.TEMPLATES, db).clauses


def run_growth(sizes: list[int], out: Path, *, distinct: bool = False, peers: tuple[str, ...] = ("tantivy",),
               questions: int = 600, seed: int = 1, keep: bool = False, log: bool = True) -> list[Step]:
    """Generate, build and ask one knowledge base per size (the engine and `peers`)."""
    def say(msg: str) -> None:
        if log:
            print(f"[{time.strftime('%H:%M:%S')}] growth: {msg}", file=sys.stderr, flush=True)

    out.mkdir(parents=True, exist_ok=True)
    per_copy = per_copy_clauses(out)
    say(f"one copy of the shipped plans is {per_copy:,} clauses")
    steps = []
    for size in sizes:
        p, y, c = shape(size, per_copy)
        folder = out / f"size-{size}"
        say(f"~{size:,} clauses: {p} provinces × {y} years × {c} copies")
        load0 = os.getloadavg()[0]
        started = time.perf_counter()
        report = run_benchmarks(Options(out=folder, provinces=p, years=y, copies=c, seed=seed, questions=questions,
                                        e2e=0, cold_runs=0, distinct=distinct, skip={"e2e", "cold", "baseline"},
                                        peers=peers), log=log)
        steps.append(Step(size, p, y, c, report, (load0, os.getloadavg()[0]), time.perf_counter() - started))
        if not keep:  # a 250k base is ~0.5 GB of plans and indexes
            shutil.rmtree(folder, ignore_errors=True)
    return steps


def _num(value: float, fmt: str = ",.0f") -> str:
    return "n/a" if value != value else format(value, fmt)  # NaN check without math


def growth_markdown(steps: list[Step]) -> str:
    """One table: per size a row for the engine, one per peer, and the ratios engine / peer."""
    out = ["| clauses | system | build clauses/s | index MB | median / p95 / p99 ms | hit@3 | out-of-scope refused"
           " | peak RSS answering |",
           "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in steps:
        e = s.report.engine
        assert e is not None
        lat = e.latency.engine
        size = f"{e.clauses:,}"
        out.append(f"| {size} | engine | {_num(e.clauses_per_second)} | {_num(e.index_bytes / 1e6, '.1f')}"
                   f" | {lat.median:.2f} / {lat.p95:.2f} / {lat.p99:.2f} | {h.share(e.latency.hit_at_3)}"
                   f" | {h.share(e.latency.refused_out_of_scope)} | {_num(e.rss_mb)} MB |")
        for p in s.report.peers:
            pl = p.latency
            out.append(f"| {size} | {p.peer} | {_num(p.clauses_per_second)} | {_num(p.index_bytes / 1e6, '.1f')}"
                       f" | {pl.median:.2f} / {pl.p95:.2f} / {pl.p99:.2f} | {h.share(p.hit_at_3)}"
                       f" | {h.share(p.refused_out_of_scope)} | {_num(p.rss_mb)} MB |")
        for p in s.report.peers:
            pl = p.latency
            r = h.ratio
            out.append(f"| {size} | engine / {p.peer} | {r(e.clauses_per_second, p.clauses_per_second)}"
                       f" | {r(e.index_bytes, p.index_bytes)}"
                       f" | {r(lat.median, pl.median)} / {r(lat.p95, pl.p95)} / {r(lat.p99, pl.p99)}"
                       f" | {r(e.latency.hit_at_3, p.hit_at_3)} | | {r(e.rss_mb, p.rss_mb)} |")
    return "\n".join(out)


def steps_json(steps: list[Step]) -> list[dict[str, object]]:
    """The figures of every step, for --json."""
    rows: list[dict[str, object]] = []
    for s in steps:
        e = s.report.engine
        assert e is not None
        rows.append({
            "target": s.target, "provinces": s.provinces, "years": s.years, "copies": s.copies,
            "clauses": e.clauses, "load": s.load, "seconds": s.seconds,
            "engine": {"build_per_s": e.clauses_per_second, "index_bytes": e.index_bytes,
                       "median": e.latency.engine.median, "p95": e.latency.engine.p95, "p99": e.latency.engine.p99,
                       "hit_at_3": e.latency.hit_at_3, "refused": e.latency.refused_out_of_scope,
                       "rss_mb": e.rss_mb},
            "peers": {p.peer: {"build_per_s": p.clauses_per_second, "index_bytes": p.index_bytes,
                               "median": p.latency.median, "p95": p.latency.p95, "p99": p.latency.p99,
                               "hit_at_3": p.hit_at_3, "refused": p.refused_out_of_scope, "rss_mb": p.rss_mb}
                      for p in s.report.peers},
        })
    return rows


def print_growth(steps: list[Step]) -> None:
    """The machine, each size's shape and load, then the table."""
    m = machine_info()
    print(f"machine: {m['nproc']} cores, {m['cpu']}, Python {m['python']}, SQLite {m['sqlite']}; code {m['code']}")
    for s in steps:
        print(f"~{s.target:,}: {s.provinces} provinces × {s.years} years × {s.copies} copies, "
              f"load average {s.load[0]:.1f} → {s.load[1]:.1f}, {s.seconds:.0f} s")
        for note in s.report.notes:
            if "not installed" in note:
                print(f"  note: {note}")
    print()
    print(growth_markdown(steps))


def parse_sizes(text: str) -> list[int]:
    """"10000,50k,96000" → [10000, 50000, 96000]."""
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        if part:
            sizes.append(int(float(part[:-1]) * 1000) if part.endswith("k") else int(part))
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES), help="clause counts, comma-separated")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT / "growth")
    p.add_argument("--distinct", action="store_true", help="generate text that does not repeat its templates")
    p.add_argument("--peers", default="tantivy", help="comma-separated, of: " + ", ".join(h.PEERS))
    p.add_argument("--questions", type=int, default=600)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", action="store_true", help="keep each size's plans and indexes")
    p.add_argument("--json", type=Path, help="also write the figures as JSON here")
    a = p.parse_args(argv)
    peers = tuple(x.strip() for x in a.peers.split(",") if x.strip())
    unknown = set(peers) - set(h.PEERS)
    if unknown:
        p.error(f"unknown peer(s): {', '.join(sorted(unknown))}")
    steps = run_growth(parse_sizes(a.sizes), a.out, distinct=a.distinct, peers=peers, questions=a.questions,
                       seed=a.seed, keep=a.keep)
    print_growth(steps)
    if a.json:
        a.json.write_text(json.dumps({"machine": machine_info(), "steps": steps_json(steps)}, indent=1),
                          encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
