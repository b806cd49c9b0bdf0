"""Do two index schemas give the reader the same rows? Dump what every `IndexReader` method
returns on one index, then compare two dumps.

    python benchmarks/same_rows.py dump --db kb.db OUT.json
    python benchmarks/same_rows.py compare BEFORE.json AFTER.json

Run `dump` with each version's code (the script imports the `knowledge` package beside it) on
an index that version built from the same folder; `compare` names the calls whose rows differ
(exit 1 when any does). `meta()` is left out: the metadata a build stores is the schema's own.
The calls: documents, vocabulary, counts, full-text hits (several queries, ranked or not, with
and without a rowid range), the clause and target queries on a sample of documents and ids,
the tasks, `read_documents` and `read_document_contents`. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from knowledge import store  # noqa: E402

# Queries in the forms the retriever writes: words, OR, AND, a phrase, a column, a part token.
MATCHES = ("cai_cach", "hanh_chinh OR ho_so", '"can tho"', "body : (thu_tuc)", "dich_vu_cong AND truc_tuyen",
           "_cach")


def _rows(rows: list[Any]) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in rows]


def dump(db: Path, out: Path) -> int:
    """Write what every IndexReader method returns on `db`, as JSON."""
    reader = store.IndexReader(store.connect(db))
    got: dict[str, Any] = {}
    try:
        got["documents"] = _rows(reader.documents())
        got["vocabulary"] = sorted(_rows(reader.vocabulary()))
        got["count"] = [reader.count(t) for t in ("clauses", "targets", "tasks", "documents")]
        n, docs = got["count"][0], got["count"][3]
        for m in MATCHES:
            for ranked in (True, False):
                for span in (None, (1, min(n, 400))):
                    got[f"fts_hits {m} {ranked} {span}"] = _rows(reader.fts_hits(m, rowids=span, ranked=ranked,
                                                                                limit=40))
            got[f"any_hit {m}"] = reader.any_hit(m, (1, min(n, 900)))
        sample = sorted({1, 2, 5, 12, docs // 2, docs} - {0})
        for d in sample:
            got[f"opening_clauses {d}"] = _rows(reader.opening_clauses([d, 1], 7))
            got[f"clauses_containing {d}"] = _rows(reader.clauses_containing(d, "ngày", 3))
            got[f"clauses_after {d}"] = _rows(reader.clauses_after(d, 3, 5))
            got[f"names_year {d}"] = [reader.names_year([d], y) for y in (2024, 2025, 2026, 2030)]
            got[f"clause_ids_between {d}"] = reader.clause_ids_between(d, 2, 9, 4)
        ids = list(range(1, n + 1, max(1, n // 2000)))
        got["target_kinds"] = sorted(_rows(reader.target_kinds(ids)))
        got["clause_rows"] = sorted(_rows(reader.clause_rows(ids)))
        got["target_rows"] = _rows(reader.target_rows(ids))
        got["clause_place"] = [reader.clause_place(i) for i in [*ids, n + 5]]
        got["task_rows"] = _rows(reader.task_rows())
    finally:
        reader.close()
    got["read_documents"] = store.read_documents(db)
    files = [d["file"] for d in got["read_documents"]]
    got["read_document_contents"] = store.read_document_contents(db, files[::max(1, len(files) // 30)])
    out.write_text(json.dumps(got, ensure_ascii=False, default=str, sort_keys=True), encoding="utf-8")
    print(f"{len(got)} calls → {out}")
    return 0


def compare(before: Path, after: Path) -> int:
    """Print the calls two dumps answer differently; 1 when any does."""
    a = json.loads(before.read_text(encoding="utf-8"))
    b = json.loads(after.read_text(encoding="utf-8"))
    differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    for k in differ:
        print(f"differs: {k}")
    print(f"{len(a)} calls, {len(differ)} differ")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--db", type=Path, required=True)
    d.add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.cmd == "dump":
        return dump(args.db, args.out)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
