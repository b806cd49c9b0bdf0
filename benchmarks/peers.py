"""The engines a user would pick instead, on the same clauses and questions: tantivy and bm25s.

Run as its own process (benchmarks/run.py starts it through benchmarks/rss.py, so its peak RSS
is its own, not the benchmark parent's):

    python benchmarks/peers.py build tantivy --db out/kb.db --workdir out/peer-tantivy
    python benchmarks/peers.py ask tantivy --workdir out/peer-tantivy --questions out/questions.json

`build` reads every clause of a built index (text, its document's provinces and year), folds it
the way the engine folds (NFC, lower case, marks removed, đ → d) and indexes it; `ask`, in a
process of its own (its peak RSS is that of answering, as the engine's `bot.py ask --batch`),
opens that index and asks every question (folded the same way) for the top 3. Each prints one
JSON object: clauses, build seconds and index bytes; or per question its latency and the ids of
its top 3 (a peer "refuses" only when nothing matches).

Deliberately imports nothing of `knowledge` (whose imports would count in this process's RSS)
and no third-party module but the peer measured. tantivy and bm25s are benchmark-only
dependencies: `pip install -e ".[bench]"`.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

PEERS = ("tantivy", "bm25s")
# Field boosts of the tantivy query: a word of the question that names the document's province
# or year counts this much more than one in the clause text (what the engine's filters do).
PROVINCE_BOOST = 2.0
YEAR_BOOST = 2.0
_TERM = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """NFC, lower case, every combining mark removed, đ → d (the engine's folding, stdlib only)."""
    text = unicodedata.normalize("NFC", text).lower().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def terms(text: str) -> list[str]:
    """Folded words of a text, as both peers are given them."""
    return _TERM.findall(fold(text))


def load_clauses(db: Path) -> list[tuple[int, str, str, str]]:
    """(id, text, provinces, year) of every clause of the index at `db`."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT c.id, c.text, trim(coalesce(d.province, '') || ' ' || coalesce(d.province_current, '')),"
            " substr(coalesce(d.issued, ''), 1, 4) FROM clauses c JOIN documents d ON d.id = c.doc_id"
            " ORDER BY c.id").fetchall()
    finally:
        conn.close()
    return [(int(i), t, p, y) for i, t, p, y in rows]


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


Search = Callable[[str], list[int]]


def build_tantivy(clauses: list[tuple[int, str, str, str]], workdir: Path) -> None:
    """A tantivy index (BM25 on the folded text; province and year fields, boosted at query time)."""
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=False, fast=False)
    sb.add_text_field("body", stored=False)
    sb.add_text_field("province", stored=False)
    sb.add_text_field("year", stored=False)
    # The clause text as written, stored (not indexed): a bot built on tantivy must show it, as
    # the engine's index holds it, so the sizes compare like with like.
    sb.add_bytes_field("text", stored=True, indexed=False)
    index = tantivy.Index(sb.build(), path=str(workdir))
    writer = index.writer(heap_size=100_000_000, num_threads=2)
    for cid, text, provinces, year in clauses:
        writer.add_document(tantivy.Document(id=cid, body=fold(text), province=fold(provinces), year=year,
                                             text=text.encode("utf-8")))
    writer.commit()
    writer.wait_merging_threads()


def open_tantivy(workdir: Path) -> Search:
    """Search a built tantivy index: every folded word of the question in the text, province
    and year fields, OR-ed, BM25, top 3."""
    import tantivy

    index = tantivy.Index.open(str(workdir))
    searcher = index.searcher()
    boosts = {"province": PROVINCE_BOOST, "year": YEAR_BOOST}

    def search(question: str) -> list[int]:
        words = list(dict.fromkeys(terms(question)))
        if not words:
            return []
        query = index.parse_query(" ".join(words), ["body", "province", "year"], field_boosts=boosts)
        return [searcher.doc(address)["id"][0] for _, address in searcher.search(query, 3).hits]

    return search


def build_bm25s(clauses: list[tuple[int, str, str, str]], workdir: Path) -> None:
    """A bm25s index of the folded clause text (bm25s has no fields, so no boosts)."""
    import bm25s

    retriever = bm25s.BM25()
    retriever.index([terms(text) for _, text, _, _ in clauses], show_progress=False)
    retriever.save(str(workdir), corpus=[text for _, text, _, _ in clauses])  # the text shown, as above
    (workdir / "clause_ids.json").write_text(json.dumps([cid for cid, _, _, _ in clauses]))


def open_bm25s(workdir: Path) -> Search:
    """Search a saved bm25s index: the question's folded words it knows, top 3 with a score."""
    import bm25s

    retriever = bm25s.BM25.load(str(workdir))
    ids: list[int] = json.loads((workdir / "clause_ids.json").read_text())
    vocab: dict[str, int] = retriever.vocab_dict

    def search(question: str) -> list[int]:
        words = [w for w in dict.fromkeys(terms(question)) if w in vocab]
        if not words:
            return []
        docs, scores = retriever.retrieve([words], k=min(3, len(ids)), show_progress=False, n_threads=1)
        return [ids[int(d)] for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    return search


PEER_FUNCTIONS: dict[str, tuple[Callable[[list[tuple[int, str, str, str]], Path], None], Callable[[Path], Search]]] = {
    "tantivy": (build_tantivy, open_tantivy), "bm25s": (build_bm25s, open_bm25s)}


def build(peer: str, db: Path, workdir: Path) -> dict[str, Any]:
    """Index the clauses of `db` with `peer` into `workdir` (replaced): clauses, seconds, bytes."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    clauses = load_clauses(db)
    started = time.perf_counter()
    PEER_FUNCTIONS[peer][0](clauses, workdir)
    return {"peer": peer, "clauses": len(clauses), "build_seconds": time.perf_counter() - started,
            "index_bytes": _size(workdir)}


def ask(peer: str, workdir: Path, questions: list[str], warmup: int = 20) -> dict[str, Any]:
    """Open `peer`'s index in `workdir` and ask every question: per question its latency (ms)
    and the clause ids of its top 3."""
    started = time.perf_counter()
    search = PEER_FUNCTIONS[peer][1](workdir)
    open_seconds = time.perf_counter() - started
    for q in questions[:warmup]:
        search(q)
    clock = time.perf_counter_ns
    out = []
    for q in questions:
        t0 = clock()
        found = search(q)
        t1 = clock()
        out.append({"ms": (t1 - t0) / 1e6, "ids": found})
    return {"peer": peer, "open_seconds": open_seconds, "questions": out}


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: prints the figures as one JSON line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("action", choices=("build", "ask"))
    p.add_argument("peer", choices=PEERS)
    p.add_argument("--workdir", type=Path, required=True, help="the peer's index folder")
    p.add_argument("--db", type=Path, help="build: the engine's index, whose clauses are indexed")
    p.add_argument("--questions", type=Path, help="ask: a JSON list of question texts")
    a = p.parse_args(argv)
    if a.action == "build":
        if a.db is None:
            p.error("build needs --db")
        result = build(a.peer, a.db, a.workdir)
    else:
        if a.questions is None:
            p.error("ask needs --questions")
        result = ask(a.peer, a.workdir, json.loads(a.questions.read_text(encoding="utf-8")))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
