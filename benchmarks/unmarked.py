"""Issue 8: does a question typed without marks find what the marked question finds?

    python benchmarks/unmarked.py --db kb.db FILE.jsonl… [--score DIR] [-v]

For every in-scope Vietnamese question of the evaluation files (not `kind: english`, and holding
a mark to strip), the question is asked as written and with its marks stripped (NFC, combining
marks dropped, đ → d). Prints, per file and in total: questions, the unmarked form refused where
the marked one is answered, the first result differing, the top 3 differing, and hit@1 / hit@3 of
both forms (the matcher of `score.py` in DIR when given, else the same rule — expected text in a
result of at most 600 characters, and `src` in the result). Out-of-scope questions are asked
unmarked too: how many are still refused. -v lists the unmarked questions refused or moved.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from knowledge import KnowledgeBase  # noqa: E402
from knowledge.quality import rank_of_hit  # noqa: E402  (score.py's rule, as the quality report reads it)


def strip_marks(text: str) -> str:
    """The question as typed without Vietnamese input: NFC, combining marks dropped, đ → d."""
    text = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


Ranker = Callable[[dict[str, Any], dict[str, Any]], int | None]


def measure(kb: KnowledgeBase, items: list[dict[str, Any]], ranker: Ranker) -> tuple[dict[str, int], list[str]]:
    """Count, over the items, how the unmarked questions fare against the marked ones."""
    c = dict.fromkeys(("n", "refused", "first_differs", "top3_differs", "hit1", "hit3", "hit1_u", "hit3_u",
                       "oos", "oos_refused"), 0)
    notes: list[str] = []
    for it in items:
        q = it["q"]
        u = strip_marks(q)
        if it.get("expect_none"):
            c["oos"] += 1
            answered = kb.search(u).answered
            c["oos_refused"] += not answered
            if answered:
                notes.append(f"  OOS answered {it.get('id')}: {u}")
            continue
        if not it.get("expect_any") or it.get("kind") == "english" or u == q:
            continue
        a, b = kb.search(q).to_json(), kb.search(u).to_json()
        ra, rb = ranker(it, a), ranker(it, b)
        # The answer's JSON names no clause id: a clause is told by its text and document.
        ids_a = [(r.get("document"), r.get("text")) for r in a["results"][:3]] if a["answered"] else []
        ids_b = [(r.get("document"), r.get("text")) for r in b["results"][:3]] if b["answered"] else []
        c["n"] += 1
        c["refused"] += a["answered"] and not b["answered"]
        c["first_differs"] += ids_a[:1] != ids_b[:1]
        c["top3_differs"] += ids_a != ids_b
        c["hit1"] += ra == 1
        c["hit3"] += bool(ra and ra <= 3)
        c["hit1_u"] += rb == 1
        c["hit3_u"] += bool(rb and rb <= 3)
        if (a["answered"] and not b["answered"]) or ra and (rb is None or rb > ra):
            why = "refused" if not b["answered"] else f"rank {ra} -> {rb}"
            notes.append(f"  {why} {it.get('id')}: {u}\n    terms {kb.read(u).terms}\n    marked {kb.read(q).terms}")
    return c, notes


def arguments(doc: str, argv: list[str] | None) -> tuple[argparse.Namespace, Ranker]:
    """The command line of a question-variant benchmark (--db, --score, -v, files) and the matcher
    it names (score.py's in --score, else rank_of_hit)."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--score", type=Path, help="directory of score.py, to use its matcher")
    p.add_argument("-v", action="store_true")
    p.add_argument("files", type=Path, nargs="+")
    args = p.parse_args(argv)
    ranker: Ranker = rank_of_hit
    if args.score:
        sys.path.insert(0, str(args.score))
        import score
        ranker = score.rank_of_hit
    return args, ranker


def main(argv: list[str] | None = None) -> int:
    """Print the table per file and in total."""
    args, ranker = arguments(__doc__ or "", argv)
    kb = KnowledgeBase.open(args.db)
    total: dict[str, int] = {}
    print(f"{'set':14} {'n':>4} {'refused':>7} {'1st≠':>5} {'top3≠':>5} {'hit@1 m/u':>10} "
          f"{'hit@3 m/u':>10} {'oos ok':>8}")
    try:
        for f in args.files:
            items = [json.loads(x) for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
            c, notes = measure(kb, items, ranker)
            for k, v in c.items():
                total[k] = total.get(k, 0) + v
            print(_row(f.stem, c))
            if args.v:
                print("\n".join(notes))
        print(_row("total", total))
    finally:
        kb.close()
    return 0


def _row(name: str, c: dict[str, int]) -> str:
    return (f"{name:14} {c['n']:>4} {c['refused']:>7} {c['first_differs']:>5} {c['top3_differs']:>5} "
            f"{c['hit1']:>4}/{c['hit1_u']:<5} {c['hit3']:>4}/{c['hit3_u']:<5} {c['oos_refused']:>3}/{c['oos']:<4}")


if __name__ == "__main__":
    raise SystemExit(main())
