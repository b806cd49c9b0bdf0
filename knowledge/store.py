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

# Bump when the way documents become rows changes, so existing indexes are rebuilt.
INDEX_VERSION = "5"

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
                targets: Iterable[dict[str, Any]], meta: dict[str, Any],
                tasks: Iterable[dict[str, Any]] = ()) -> None:
    """Write every table of an index into an empty database."""
    # Tables are created up front: an empty plans folder still gives a valid (empty) index.
    doc_table = db.table("documents")
    doc_table.create({"id": int, "file": str, "sha256": str, "title": str, "province": str,
                      "province_current": str, "document": str, "issued": str, "signer": str,
                      "source_url": str, "extra": str, "years": str, "clauses": int}, pk="id")
    doc_table.insert_all(documents, pk="id")
    clause_table = db.table("clauses")
    clause_table.create({"id": int, "doc_id": int, "ordinal": int, "text": str, "norm": str, "section": str,
                         "lead": str, "years": str, "targets": int, "body": str, "context": str}, pk="id",
                        foreign_keys=[("doc_id", "documents", "id")])
    clause_table.insert_all(clauses, pk="id", batch_size=2000)
    target_table = db.table("targets")
    # Created up front: a knowledge base may hold no target at all, and insert_all creates nothing then.
    target_table.create({"id": int, "clause_id": int, "doc_id": int, "value": float, "value_text": str, "unit": str,
                         "qualifier": str, "deadline": str, "level": str, "topic": str, "kind": str}, pk="id")
    target_table.insert_all(targets, pk="id", batch_size=2000)
    # Tasks a document assigns (appendix rows, "giao … chủ trì … hoàn thành trước …" sentences);
    # deadline is sortable: "2025-12-31", "2025-12", "2025-Q3", "2026", "2025/2030".
    task_table = db.table("tasks")
    task_table.create({"id": int, "clause_id": int, "doc_id": int, "task": str, "agency": str, "partners": str,
                       "deadline": str, "deadline_text": str, "product": str}, pk="id")
    task_table.insert_all(tasks, pk="id", batch_size=2000)
    task_table.create_index(["doc_id"])
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


def _read_only(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to an index file, or None when there is no usable index there."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.execute("SELECT 1 FROM documents LIMIT 1").fetchall()
    except sqlite3.DatabaseError:
        return None
    return conn


def read_documents(path: Path) -> list[dict[str, Any]]:
    """One row per indexed document (file, sha256, document, title, province, clauses, targets, tasks);
    [] when the file is missing or not an index. Used to diff two builds by content hash."""
    conn = _read_only(path)
    if conn is None:
        return []
    try:
        targets = dict(conn.execute("SELECT doc_id, COUNT(*) FROM targets GROUP BY doc_id").fetchall())
        tasks = dict(conn.execute("SELECT doc_id, COUNT(*) FROM tasks GROUP BY doc_id").fetchall())
        rows = conn.execute("SELECT id, file, sha256, document, title, province, clauses FROM documents"
                            " ORDER BY file").fetchall()
    except sqlite3.DatabaseError:
        return []
    finally:
        conn.close()
    return [{"file": f, "sha256": sha, "document": number, "title": title, "province": province,
             "clauses": n or 0, "targets": int(targets.get(doc_id, 0)), "tasks": int(tasks.get(doc_id, 0))}
            for doc_id, f, sha, number, title, province, n in rows]


def read_document_contents(path: Path, files: Iterable[str]) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """For each of `files`: its clause texts in document order and its targets (value, unit,
    qualifier, deadline, level, topic) in order; {} for an unusable index."""
    wanted = list(dict.fromkeys(files))
    conn = _read_only(path) if wanted else None
    if conn is None:
        return {}
    out: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    try:
        for name in wanted:
            row = conn.execute("SELECT id FROM documents WHERE file = ?", (name,)).fetchone()
            if row is None:
                continue
            clauses = [t for (t,) in conn.execute(
                "SELECT text FROM clauses WHERE doc_id = ? ORDER BY ordinal", (row[0],))]
            targets = [tuple(r) for r in conn.execute(
                "SELECT value_text, unit, qualifier, deadline, level, topic FROM targets WHERE doc_id = ?"
                " ORDER BY id", (row[0],))]
            out[name] = (clauses, targets)
    except sqlite3.DatabaseError:
        return {}
    finally:
        conn.close()
    return out
