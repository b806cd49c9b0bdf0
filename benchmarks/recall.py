"""Candidate recall: where an expected clause is lost between the index and the answer.

For every in-scope item of the evaluation files (`expect_any`, `src`: the scorer's rules,
`knowledge.quality.rank_of_hit`), this follows the question through the stages and says where
the first clause that would hit stands:

- ``index``: no clause of the index hits at all (the clause is cut or worded otherwise);
- ``retrieval``: some clause hits, but none is among the retriever's candidates;
- ``ranking``: a hitting candidate ranks below 3 after the ranker;
- ``refused``: it ranks in the top 3 but the decider refuses (the best coverage is printed);
- ``ok``: answered with a hit in the top 3 (``first``: of those, the ones hit first).

Usage (from the repository root)::

    python benchmarks/recall.py [--db PATH] [-v] [--wider N] FILE.jsonl …

The index is that of ``bot.py`` (``--db``; built from ``knowledge/plans`` when missing).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.base import KnowledgeBase  # noqa: E402
from knowledge.quality import load_items, rank_of_hit  # noqa: E402
from knowledge.ranker import term_weights  # noqa: E402

STAGES = ("first", "ok", "index", "retrieval", "ranking", "refused")


def _hits(item: dict[str, Any], kb: KnowledgeBase, ids: list[int]) -> list[bool]:
    """Whether each clause of `ids` hits the item (its text and its source, as the scorer reads them)."""
    results = kb._results(ids)
    return [rank_of_hit(item, {"results": [r.to_json()]}) == 1 for r in results]


def _first(flags: list[bool]) -> int | None:
    return next((i + 1 for i, f in enumerate(flags) if f), None)


def diagnose(kb: KnowledgeBase, item: dict[str, Any], holders: list[int]) -> dict[str, Any]:
    """Where the item's expected clause stands: stage, candidate rank, final rank, coverage."""
    answer = kb.search(item["q"], top=3)
    q = kb.read(item["q"])
    allowed = kb._allowed_docs(q)
    weights, known = term_weights(q, kb.vocab, kb.n_clauses)
    rows = kb.retriever.candidates(q, weights, known, allowed) if (known or weights) else []
    cand = _first(_hits(item, kb, [r["id"] for r in rows])) if rows else None
    ranked = kb._rank(q, weights, known, allowed) if rows else []
    final = _first(_hits(item, kb, [c.clause_id for c in ranked])) if ranked else None
    best = max((c.coverage for c in ranked), default=0.0)
    got = rank_of_hit(item, answer.to_json())
    if got is not None and got <= 3:
        stage = "ok"
    elif not holders:
        stage = "index"
    elif final is None:
        stage = "retrieval"
    elif final > 3:
        stage = "ranking"
    else:
        stage = "refused" if not answer.answered else "ranking"
    return {"stage": stage, "candidates": len(rows), "cand_rank": cand, "final_rank": final,
            "coverage": best, "holders": len(holders), "first": got == 1}


def holders_of(kb: KnowledgeBase, item: dict[str, Any], texts: list[tuple[int, str]]) -> list[int]:
    """Ids of every clause of the index that would hit the item."""
    from knowledge.quality import _norm

    expected = [_norm(e) for e in item["expect_any"]]
    ids = [i for i, t in texts if any(e in t for e in expected)]
    return [i for i, ok in zip(ids, _hits(item, kb, ids), strict=True) if ok] if ids else []


def main(argv: list[str] | None = None) -> int:
    """Print, per file and kind, how many items are lost at each stage (and each loss with -v)."""
    from bot import _ensure_db, db_path
    from knowledge.quality import _norm

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("files", nargs="+")
    p.add_argument("--db", default=str(db_path()))
    p.add_argument("-v", "--verbose", action="store_true", help="one line per item not ok")
    p.add_argument("--wider", type=int, default=None,
                   help="Weights.wider for this run: candidates a second ranking adds when the cap cut the matches")
    args = p.parse_args(argv)
    path = Path(args.db)
    if not path.exists() or path == db_path():
        _ensure_db(path)
    kb = KnowledgeBase.open(path)
    if args.wider is not None:
        kb.retriever.w = replace(kb.retriever.w, wider=args.wider)
    texts = [(r["id"], _norm(r["text"])) for r in kb.index._rows("SELECT id, text FROM clauses")]
    total: Counter[str] = Counter()
    for name in args.files:
        items = [i for i in load_items([name]) if i.get("expect_any")]
        by_kind: dict[str, Counter[str]] = defaultdict(Counter)
        lines = []
        for item in items:
            d = diagnose(kb, item, holders_of(kb, item, texts))
            by_kind[item.get("kind", "?")][d["stage"]] += 1
            total[d["stage"]] += 1
            if d["first"]:
                by_kind[item.get("kind", "?")]["first"] += 1
                total["first"] += 1
            if d["stage"] != "ok":
                lines.append(f"  {item['id']:8} {d['stage']:9} cands={d['candidates']:3} "
                             f"cand_rank={d['cand_rank']} final={d['final_rank']} cov={d['coverage']:.2f} "
                             f"holders={d['holders']}  {item['q'][:70]}")
        print(f"## {Path(name).name}  (n={len(items)})")
        print(f"  {'kind':13} " + " ".join(f"{s:>9}" for s in STAGES))
        for kind in sorted(by_kind):
            print(f"  {kind:13} " + " ".join(f"{by_kind[kind][s]:>9}" for s in STAGES))
        if args.verbose:
            print("\n".join(lines))
    print("## all  " + "  ".join(f"{s}={total[s]}" for s in STAGES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
