"""The SQLite index through sqlite-utils: documents, clauses, targets, FTS5, and metadata.

sqlite-utils is imported by this module only. An index is always written to a new file and
moved over the old one in one `os.replace`, so a reader never sees half an index and a build
killed midway leaves the previous index intact.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

# FTS5 never folds đ → d, and remove_diacritics 1 keeps letters with two marks: the searchable
# columns hold already folded text; '_' joins compound words into one token.
TOKENIZE = "unicode61 remove_diacritics 2 tokenchars '_%'"


@contextmanager
def new_index(final: Path) -> Iterator[sqlite_utils.Database]:
    """A fresh database in a temporary file beside `final`, moved over it only on success."""
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".building", dir=final.parent)
    os.close(fd)
    conn = sqlite3.connect(tmp)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    try:
        yield db
        conn.commit()
        db.execute("VACUUM")
        conn.close()
        os.replace(tmp, final)
    except BaseException:
        conn.close()
        Path(tmp).unlink(missing_ok=True)
        raise


def write_index(db: sqlite_utils.Database, *, documents: list[dict[str, Any]], clauses: Iterable[dict[str, Any]],
                targets: Iterable[dict[str, Any]], meta: dict[str, Any]) -> None:
    """Write every table of an index into an empty database."""
    db.table("documents").insert_all(documents, pk="id")
    clause_table = db.table("clauses")
    clause_table.insert_all(clauses, pk="id", batch_size=2000, foreign_keys=[("doc_id", "documents", "id")])
    target_table = db.table("targets")
    # Created up front: a knowledge base may hold no target at all, and insert_all creates nothing then.
    target_table.create({"id": int, "clause_id": int, "doc_id": int, "value": float, "value_text": str, "unit": str,
                         "qualifier": str, "deadline": str, "level": str, "topic": str}, pk="id")
    target_table.insert_all(targets, pk="id", batch_size=2000)
    clause_table.enable_fts(["body", "context"], tokenize=TOKENIZE, create_triggers=False)
    target_table.create_index(["clause_id"])
    target_table.create_index(["topic"])
    clause_table.create_index(["doc_id", "ordinal"])
    db.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(clauses_fts, 'row')")
    db.table("meta").insert_all(({"key": k, "value": json.dumps(v, ensure_ascii=False)} for k, v in meta.items()),
                          pk="key")


def read_meta(path: Path) -> dict[str, Any]:
    """The index's metadata table, or {} when the file is missing or not an index."""
    if not path.exists():
        return {}
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT key, value FROM meta").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return {}
    return {k: json.loads(v) for k, v in rows}


def connect(path: Path) -> sqlite3.Connection:
    """A read-only connection to a built index (usable from the bot's threads)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn
