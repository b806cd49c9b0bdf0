"""Do two versions of the engine answer the same? Dump what one version answers, compare two dumps.

    python benchmarks/same_answers.py dump --db kb.db OUT.json [--questions 2000] [--seed 1] [--eval FILE…]
    python benchmarks/same_answers.py compare BEFORE.json AFTER.json

`dump` asks every benchmark harness question (`harness.make_questions`, the mix `bench_search.py`
times) and, with --eval, every question of evaluation files, and writes for each: answered or
not, the top-3 clause ids, their scores and the notes. Run it once with each version's code (the
script imports the `knowledge` package beside it) on the same index. `compare` lists the
questions whose answer or top-3 ids differ (exit 1 when any does) and the largest score change.
A speed change must leave the ids identical.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness as h  # noqa: E402
from knowledge import KnowledgeBase  # noqa: E402


def dump(db: Path, out: Path, *, questions: int, seed: int, eval_files: list[Path]) -> int:
    """Write what the engine at ROOT answers to every question, as JSON."""
    asked = [q.text for q in h.make_questions(db, questions, seed=seed)]
    for f in eval_files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                asked.append(json.loads(line)["q"])
    kb = KnowledgeBase.open(db)
    try:
        rows = []
        for text in asked:
            a = kb.search(text, top=3)
            rows.append({"q": text, "answered": a.answered, "ids": [r.clause_id for r in a.results],
                         "scores": [round(r.score, 9) for r in a.results], "more": a.more,
                         "notes": a.notes})
    finally:
        kb.close()
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(rows)} questions → {out}")
    return 0


def compare(before: Path, after: Path) -> int:
    """Print the questions two dumps answer differently; 1 when any does."""
    a = json.loads(before.read_text(encoding="utf-8"))
    b = json.loads(after.read_text(encoding="utf-8"))
    if [r["q"] for r in a] != [r["q"] for r in b]:
        print("the dumps hold different questions (another --questions, --seed or index?)")
        return 2
    differ = 0
    drift = 0.0
    for x, y in zip(a, b, strict=True):
        same = (x["answered"], x["ids"], x["more"], x["notes"]) == (y["answered"], y["ids"], y["more"], y["notes"])
        if not same:
            differ += 1
            print(f"DIFFERS: {x['q']!r}\n  before {x['answered']} {x['ids']}\n  after  {y['answered']} {y['ids']}")
        elif x["scores"] != y["scores"]:
            drift = max(drift, *(abs(p - q) for p, q in zip(x["scores"], y["scores"], strict=True)))
    print(f"{len(a)} questions, {differ} answered differently (answered, top-3 ids, notes); "
          f"largest score change {drift:.2g}")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="what this version answers")
    d.add_argument("--db", type=Path, required=True)
    d.add_argument("out", type=Path)
    d.add_argument("--questions", type=int, default=2000)
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("--eval", type=Path, nargs="*", default=[], help="evaluation files (JSON Lines with 'q')")
    c = sub.add_parser("compare", help="two dumps side by side")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = p.parse_args(argv)
    if args.command == "dump":
        return dump(args.db, args.out, questions=args.questions, seed=args.seed, eval_files=args.eval)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
