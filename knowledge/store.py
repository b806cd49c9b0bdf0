"""The SQLite index through sqlite-utils: documents, clauses, targets, FTS5, and metadata.

sqlite-utils is imported by this module only. An index is always written to a new file and
moved over the old one in one `os.replace`, so a reader never sees half an index and a build
killed midway leaves the previous index intact.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

# Bump when the way documents become rows changes, so existing indexes are rebuilt.
# 13: wraps joined in blank-line paragraphs and bold spans over lines, an agency's heading opens its
# first duty, news datelines and captions dropped; 12: a sentence cut at ";" keeps its head as its
# pieces' lead-in; 11: a bold line carried on in plain lines joins a wrap before a capital.
# 14: a news page's header menus and related-links lists are no clauses; 10: a numbered table row
# is the lead-in of the unnumbered rows under it; 9: each clause text stored once (`texts`),
# dictionary forms precomputed
INDEX_VERSION = "16"

# FTS5 never folds đ → d, and remove_diacritics 1 keeps letters with two marks: the searchable
# columns hold already folded text; '_' joins compound words into one token.
TOKENIZE = "unicode61 remove_diacritics 2 tokenchars '_%'"
# The page size a finished index is vacuumed into. 8 KB pages make it 4-5 % smaller but cost
# ~2 µs more per clause row read (the ranker reads ~40 a question) at SQLite's default 2 MB page
# cache: measured at 95k clauses (README, Build), 4 KB stays.
PAGE_SIZE = 4096
# FTS5's `hashsize` while a build writes the full-text index (see IndexWriter.finish).
FTS_HASH_BYTES = 16 * 1024 * 1024


@contextmanager
def new_index(final: Path) -> Iterator[sqlite_utils.Database]:
    """A fresh database in a temporary file beside `final`, moved over it only on success."""
    # Imported here: only a build writes through sqlite-utils, and importing it costs a
    # question-answering process (bot.py ask, a cold start) 0.4 s.
    import sqlite_utils

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
        # Written once, in order, into a fresh file: pages are free only when FTS5 merged segments
        # (a build larger than FTS_HASH_BYTES), and a VACUUM that frees none gains nothing (8 KB of
        # 66 MB at 95k clauses) for a copy of the whole file (~0.5 s CPU).
        if db.execute("PRAGMA freelist_count").fetchone()[0] or \
                db.execute("PRAGMA page_size").fetchone()[0] != PAGE_SIZE:
            db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            db.execute("VACUUM")
        conn.close()
        os.replace(tmp, final)
    except BaseException:
        conn.close()
        Path(tmp).unlink(missing_ok=True)
        raise


# Columns of the tables a build writes, in order (the schema sqlite-utils creates from them).
_DOCUMENT_COLUMNS = {"id": int, "file": str, "sha256": str, "title": str, "province": str, "province_current": str,
                     "document": str, "issued": str, "signer": str, "source_url": str, "extra": str, "years": str,
                     "clauses": int}
_CLAUSE_COLUMNS = {"id": int, "doc_id": int, "ordinal": int, "text_id": int, "years": str, "targets": int,
                   "context_id": int}
_TARGET_COLUMNS = {"id": int, "clause_id": int, "doc_id": int, "value": float, "value_text": str, "unit": str,
                   "qualifier": str, "deadline": str, "level": str, "topic": str, "kind": str}
_TASK_COLUMNS = {"id": int, "clause_id": int, "doc_id": int, "task": str, "agency": str, "partners": str,
                 "deadline": str, "deadline_text": str, "product": str}
# Task columns stored as labels (they repeat: 7,504 tasks, 621 distinct texts at 95k clauses).
_TASK_LABELS = ("task", "agency", "partners", "product")


def _insert_sql(table: str, columns: Iterable[str]) -> str:
    names = list(columns)
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})"


class IndexWriter:
    """Writes an index into an empty database as a build goes, one document at a time, so a
    build holds one document's rows, never the whole folder's (issue 14: a 695k-clause folder
    peaked at 3.6 GB when every row waited for one final write).

    A clause's analysed text (`body`, and its context's) needs the vocabulary of every document,
    known only at the end: until then the rows wait in temporary tables (SQLite's temporary
    file, not memory), `texts()` lists each distinct text to analyse once, `add_analysed()`
    takes the results, and `finish()` writes each distinct text once (`texts`, `labels`), the
    clauses, their contexts and the tasks pointing to them, the full-text index and the
    vocabulary. Targets are final as they come; tasks wait for their labels."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.conn: sqlite3.Connection = db.conn
        # Tables are created up front: an empty plans folder still gives a valid (empty) index.
        db.table("documents").create(_DOCUMENT_COLUMNS, pk="id")
        db.table("clause_data").create(_CLAUSE_COLUMNS, pk="id", foreign_keys=[("doc_id", "documents", "id")])
        # A clause's text, normalized text and analysed text, once per distinct text: generated
        # bases repeat 72-87 % of their clause texts, real folders a few per cent (README, Build).
        db.table("texts").create({"id": int, "text": str, "norm": str, "body": str}, pk="id")
        db.table("contexts").create({"id": int, "section_id": int, "lead_id": int, "text": str}, pk="id")
        # Short strings that repeat row after row (section headings, lead sentences, a task's text,
        # agency, partners and product), each once: `contexts` and `tasks` point to them.
        db.table("labels").create({"id": int, "text": str}, pk="id")
        db.table("targets").create(_TARGET_COLUMNS, pk="id")
        # Tasks a document assigns (appendix rows, "giao … chủ trì … hoàn thành trước …" sentences);
        # deadline is sortable: "2025-12-31", "2025-12", "2025-Q3", "2026", "2025/2030".
        db.table("task_data").create({k: (int if k in _TASK_LABELS else v) for k, v in _TASK_COLUMNS.items()},
                                     pk="id")
        # Tasks as they come, until finish() gives their strings their labels.
        self.conn.execute(f"CREATE TEMP TABLE raw_task (id INTEGER PRIMARY KEY, {', '.join(list(_TASK_COLUMNS)[1:])})")
        # A clause as split, its context as a raw string (lead, section, title, places, number) with
        # its province tokens; contexts repeat within a section, each raw one is kept once.
        self.conn.execute("CREATE TEMP TABLE raw_clause (id INTEGER PRIMARY KEY, doc_id INTEGER, ordinal INTEGER,"
                          " text TEXT, norm TEXT, years TEXT, targets INTEGER, raw_context INTEGER)")
        # Not deduplicated across documents: a raw context holds its document's title and number, so
        # only copies of one document share one, and finish() merges contexts that analyse alike.
        self.conn.execute("CREATE TEMP TABLE raw_context (id INTEGER PRIMARY KEY, section TEXT, lead TEXT, raw TEXT,"
                          " tokens TEXT)")
        self.conn.execute("CREATE TEMP TABLE analysed (text TEXT PRIMARY KEY, body TEXT) WITHOUT ROWID")
        self._sql = {
            "documents": _insert_sql("documents", _DOCUMENT_COLUMNS),
            "targets": _insert_sql("targets", [c for c in _TARGET_COLUMNS if c != "id"]),
            "tasks": _insert_sql("raw_task", [c for c in _TASK_COLUMNS if c != "id"]),
        }
        self._clause_id = 0
        self._context_id = 0

    def add_document(self, document: dict[str, Any], clauses: list[dict[str, Any]],
                     targets: list[dict[str, Any]], tasks: list[dict[str, Any]]) -> int:
        """Write one document: its row, its clauses (text, norm, years, targets, ordinal; section,
        lead, raw_context and context_tokens for its context), and its targets and tasks, whose
        `clause` is the index of their clause in `clauses`. Returns the id of its first clause."""
        conn = self.conn
        conn.execute(self._sql["documents"], document)
        first = self._clause_id + 1
        rows = []
        # This document's raw contexts (its sections share them), numbered here and written in one
        # statement: a look-up per context in a string-keyed unique index cost ~0.9 s at 95k clauses.
        contexts: dict[tuple[str, str, str, str], int] = {}
        for i, c in enumerate(clauses):
            key = (c["section"], c["lead"], c["raw_context"], c["context_tokens"])
            context = contexts.get(key)
            if context is None:
                context = contexts[key] = self._context_id + len(contexts) + 1
            rows.append((first + i, document["id"], c["ordinal"], c["text"], c["norm"], c["years"], c["targets"],
                         context))
        conn.executemany("INSERT INTO raw_context VALUES (?, ?, ?, ?, ?)",
                         ((i, *key) for key, i in contexts.items()))
        self._context_id += len(contexts)
        conn.executemany("INSERT INTO raw_clause VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._clause_id += len(clauses)
        for table, items in (("targets", targets), ("tasks", tasks)):
            conn.executemany(self._sql[table], ({**{k: v for k, v in t.items() if k != "clause"},
                                                 "clause_id": first + t["clause"], "doc_id": document["id"]}
                                                for t in items))
        return first

    def _write_labelled(self) -> None:
        """Write the labels, then the contexts and tasks pointing to them (temporary rows read)."""
        conn = self.conn
        strings = " UNION ".join(["SELECT section FROM context_row", "SELECT lead FROM context_row",
                                  *(f"SELECT {k} FROM raw_task WHERE {k} IS NOT NULL" for k in _TASK_LABELS)])
        conn.execute("CREATE TEMP TABLE label_of (id INTEGER PRIMARY KEY, text TEXT UNIQUE)")
        conn.execute(f"INSERT INTO label_of (text) {strings}")
        conn.execute("INSERT INTO labels (id, text) SELECT id, text FROM label_of ORDER BY id")
        conn.execute("INSERT INTO contexts (id, section_id, lead_id, text) SELECT c.id, s.id, l.id, c.text"
                     " FROM context_row c JOIN label_of s ON s.text = c.section JOIN label_of l ON l.text = c.lead"
                     " ORDER BY c.id")
        columns = ", ".join(f"{k}.id" if k in _TASK_LABELS else f"t.{k}" for k in _TASK_COLUMNS)
        conn.execute(f"INSERT INTO task_data ({', '.join(_TASK_COLUMNS)}) SELECT {columns} FROM raw_task t"
                     + "".join(f" LEFT JOIN label_of {k} ON {k}.text = t.{k}" for k in _TASK_LABELS)
                     + " ORDER BY t.id")

    def texts(self) -> tuple[int, Iterator[str]]:
        """How many distinct texts (clause texts and raw contexts) there are to analyse, and
        an iterator over them."""
        # Gathered once (a UNION sorts every text: counting it and then reading it did that twice).
        self.conn.execute("CREATE TEMP TABLE to_analyse AS"
                          " SELECT text FROM raw_clause UNION SELECT raw FROM raw_context")
        (count,) = self.conn.execute("SELECT count(*) FROM to_analyse").fetchone()
        # A second connection would not see the temporary tables: this one's cursor is read while
        # add_analysed() writes another table, which SQLite allows.
        return count, (text for (text,) in self.conn.execute("SELECT text FROM to_analyse ORDER BY rowid"))

    def add_analysed(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Take (text, analysed text) pairs for texts of `texts()`."""
        self.conn.executemany("INSERT INTO analysed VALUES (?, ?)", pairs)

    def finish(self, meta: dict[str, Any]) -> None:
        """Write the clauses and their contexts with their analysed texts, the full-text index, the
        vocabulary, the secondary indexes and `meta`."""
        db, conn = self.db, self.conn
        # A clause's context (its lead, section, document title, places, number: analysed) is shared
        # by every clause of its section, and was most of the index when stored per clause: it is
        # stored once in `contexts`, and `clauses` is a view giving every clause its context back,
        # so every reader (and the full-text index's external content) sees one table as before.
        # Its section heading and lead sentence go with it: they are what the context is made of.
        # Raw contexts analysing alike are one context; ids in order of first use.
        conn.execute("CREATE TEMP TABLE context_of AS SELECT r.id AS raw_id, r.section, r.lead,"
                     " a.body || ' ' || r.tokens AS text FROM raw_context r JOIN analysed a ON a.text = r.raw")
        conn.execute("CREATE TEMP TABLE context_row (id INTEGER PRIMARY KEY, section TEXT, lead TEXT, text TEXT)")
        conn.execute("INSERT INTO context_row (id, section, lead, text) SELECT row_number() OVER"
                     " (ORDER BY min(raw_id)), section, lead, text FROM context_of GROUP BY section, lead, text")
        conn.execute("CREATE INDEX temp.context_key ON context_of (raw_id)")
        conn.execute("CREATE TEMP TABLE context_id AS SELECT o.raw_id, x.id FROM context_of o JOIN context_row x"
                     " ON x.section = o.section AND x.lead = o.lead AND x.text = o.text")
        conn.execute("CREATE UNIQUE INDEX temp.context_id_key ON context_id (raw_id)")
        # Each distinct clause text once, ids in order of first use (`norm` is a function of `text`).
        conn.execute("CREATE TEMP TABLE text_of (id INTEGER PRIMARY KEY, text TEXT UNIQUE, norm TEXT)")
        conn.execute("INSERT INTO text_of (text, norm) SELECT text, min(norm) FROM raw_clause GROUP BY text"
                     " ORDER BY min(id)")
        conn.execute("INSERT INTO texts (id, text, norm, body) SELECT o.id, o.text, o.norm, a.body"
                     " FROM text_of o JOIN analysed a ON a.text = o.text ORDER BY o.id")
        conn.execute("INSERT INTO clause_data (id, doc_id, ordinal, text_id, years, targets, context_id)"
                     " SELECT c.id, c.doc_id, c.ordinal, o.id, c.years, c.targets, m.id"
                     " FROM raw_clause c JOIN text_of o ON o.text = c.text"
                     " JOIN context_id m ON m.raw_id = c.raw_context"
                     " ORDER BY c.id")
        self._write_labelled()
        # The temporary tables stay: their file goes with the connection (dropping them one by one
        # cost ~0.4 s of the build's serial end at 95k clauses).
        db.execute("CREATE VIEW clauses AS SELECT d.id, d.doc_id, d.ordinal, t.text, t.norm, s.text AS section,"
                   " l.text AS lead, d.years, d.targets, t.body, x.text AS context"
                   " FROM clause_data d JOIN texts t ON t.id = d.text_id JOIN contexts x ON x.id = d.context_id"
                   # LEFT: a query that reads neither skips both lookups (SQLite omits such joins).
                   " LEFT JOIN labels s ON s.id = x.section_id LEFT JOIN labels l ON l.id = x.lead_id")
        # The tasks as they were written, in their columns' order.
        shown = ", ".join(f"{k}.text AS {k}" if k in _TASK_LABELS else f"t.{k}" for k in _TASK_COLUMNS)
        db.execute(f"CREATE VIEW tasks AS SELECT {shown} FROM task_data t"
                   + "".join(f" LEFT JOIN labels {k} ON {k}.id = t.{k}" for k in _TASK_LABELS))
        db.table("task_data").create_index(["doc_id"])
        # External content: the texts are those of the clauses view, the full-text index holds
        # postings only. The context comes first: every posting list of a column after the first
        # carries that column's number, and a clause's context has more distinct words than its
        # body (the other order is 5 MB more at 95k clauses). Column weights follow this order.
        db.execute(f"CREATE VIRTUAL TABLE clauses_fts USING fts5(context, body, content='clauses', content_rowid='id',"
                   f" tokenize=\"{TOKENIZE}\")")
        # The terms FTS5 gathers in memory before it writes a segment: at its default (1 MB) a large
        # build writes many small segments and merges them again (at 95k clauses 16 MB took 25-30 %
        # off the insert's CPU, freed no pages and wrote 0.09 MB less; README, "Index size and
        # build"); the memory is the build process's, bounded by this.
        db.execute("INSERT INTO clauses_fts (clauses_fts, rank) VALUES ('hashsize', ?)", (FTS_HASH_BYTES,))
        db.execute("INSERT INTO clauses_fts (rowid, context, body) SELECT id, context, body FROM clauses")
        # Only the indexes a query of IndexReader uses (EXPLAIN QUERY PLAN; none looks targets up by topic).
        db.table("targets").create_index(["clause_id"])
        db.table("clause_data").create_index(["doc_id", "ordinal"])
        # Every indexed term with its clause count, read at every open: a plain table written here
        # (an fts5vocab table walks the whole full-text index on each read, ~0.2 s at 96k clauses).
        db.execute("CREATE VIRTUAL TABLE temp.vocab_scan USING fts5vocab(main, clauses_fts, 'row')")
        db.execute("CREATE TABLE vocab (term TEXT PRIMARY KEY, doc INTEGER NOT NULL) WITHOUT ROWID")
        db.execute("INSERT INTO vocab SELECT term, doc FROM temp.vocab_scan")
        db.execute("DROP TABLE temp.vocab_scan")
        db.table("meta").insert_all(({"key": k, "value": json.dumps(v, ensure_ascii=False)} for k, v in meta.items()),
                                    pk="key")


DatabaseError = sqlite3.DatabaseError


def default_db_path(data_home: Path, knowledge_dir: Path) -> Path:
    """The default index of a plans folder, in the data directory `data_home` (the caller reads
    XDG_DATA_HOME): `cchc-bot/knowledge-<folder>-<hash>.db`, the hash that of the folder's
    resolved path. Two checkouts, or two folders of plans, each get their own index instead of
    rebuilding one shared file over each other; the folder's name keeps the file recognisable."""
    resolved = Path(knowledge_dir).expanduser().resolve()
    key = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:10]
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in resolved.name)[:40] or "plans"
    return Path(data_home) / "cchc-bot" / f"knowledge-{name}-{key}.db"


def disk_full(exc: BaseException) -> bool:
    """True when `exc` is the disk filling up: ENOSPC (or a quota, EDQUOT) from the OS, SQLITE_FULL
    from SQLite."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    if isinstance(exc, sqlite3.DatabaseError):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
    return False


def free_bytes(folder: Path) -> int:
    """Bytes free on the disk holding `folder` (0 when it cannot be told)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 0


def check(path: Path) -> str | None:
    """What is wrong with an index file, or None when SQLite finds every page sound.

    `PRAGMA quick_check` reads every page and checks the b-trees (not index-to-table
    consistency, which a file written once by `new_index` cannot lose): about 0.1 s per 100 MB
    of index (README, Performance)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [r for (r,) in conn.execute("PRAGMA quick_check(5)")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(str(r) for r in rows)


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


# --- the read side: every query search and browsing run on an index ---------------------------

# Columns of a clause as the retriever and ranker read it.
CLAUSE_COLUMNS = "c.id, c.doc_id, c.body, c.context, c.norm, c.text, c.years, c.ordinal, c.targets"
# Clause rows an IndexReader keeps (about 2 KB each), and candidate fields a KnowledgeBase keeps:
# several hundred questions' candidates. Sized by measurement (README, "Question latency and cold
# start"): at 95k clauses 8,000 missed 66 % of the candidates, 24,000 40 %, for ~3.5 KB a clause.
CLAUSE_CACHE_ROWS = 24_000
# Full-text queries whose ids an IndexReader keeps (at most `Weights.candidates` ids each, well
# under 1 KB): questions that share their rarest words, and a question asked again or paged,
# run the same query, and a ranked one costs 1-10 ms in SQLite.
FTS_CACHE_QUERIES = 4_096


class IndexReader:
    """The queries the search side runs on a built index, behind one lock: the bot's threads share
    one read-only connection. The schema is the one `IndexWriter` creates."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        # Clause rows (CLAUSE_COLUMNS) by id, oldest first: the same clauses come back question
        # after question (about 40 % of candidates over the benchmark's 1,000 questions), and
        # reading a row costs more than finding its id. Per connection: a reloaded index is a
        # new reader with an empty cache.
        # (An OrderedDict: evicting the oldest from a plain dict rescans its deleted slots each time.)
        self._clause_cache: OrderedDict[int, sqlite3.Row] = OrderedDict()
        # The ids each full-text query found (fts_hits), least recently asked first; per reader too.
        self._fts_cache: OrderedDict[tuple[Any, ...], tuple[int, ...]] = OrderedDict()

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def _rows(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # Loading (once per open).
    def meta(self) -> dict[str, Any]:
        """The metadata table, decoded."""
        return {r["key"]: json.loads(r["value"]) for r in self._rows("SELECT key, value FROM meta")}

    def documents(self) -> list[sqlite3.Row]:
        """Every document row, by id."""
        return self._rows("SELECT * FROM documents ORDER BY id")

    def vocabulary(self) -> list[sqlite3.Row]:
        """Every indexed term with the number of clauses holding it."""
        return self._rows("SELECT term, doc FROM vocab")

    def count(self, table: str) -> int:
        """Rows of one of the index's own tables."""
        if table not in {"clauses", "targets", "tasks", "documents"}:
            raise ValueError(table)
        # A view's rows are those of its table (every clause has its context and labels).
        stored = {"clauses": "clause_data", "tasks": "task_data"}.get(table, table)
        return int(self._rows(f"SELECT count(*) FROM {stored}")[0][0])

    # Retrieval.
    def fts_hits(self, match: str, *, rowids: tuple[int, int] | None, ranked: bool, limit: int,
                 spans: tuple[tuple[int, int], ...] = ()) -> list[sqlite3.Row]:
        """Clauses matching an FTS5 query, best bm25 first when `ranked`, within a rowid range
        (`rowids`) or within one of several (`spans`: the documents a question allows)."""
        where = "clauses_fts MATCH ?"
        params: list[Any] = [match]
        if spans and not rowids:
            rowids = (spans[0][0], spans[-1][1])
        if rowids:
            where += " AND rowid BETWEEN ? AND ?"  # FTS5 narrows its own scan to the document
            params += list(rowids)
        if len(spans) > 1:
            # Inside the SQL, so that LIMIT counts only clauses of the allowed documents.
            where += " AND (" + " OR ".join(["rowid BETWEEN ? AND ?"] * len(spans)) + ")"
            params += [i for span in spans for i in span]
        # Top ids first, then the clause rows: joining before LIMIT would read every match.
        order = " ORDER BY bm25(clauses_fts, 0.4, 1.0)" if ranked else ""  # context, body (see finish)
        key = (match, rowids, ranked, limit, spans)
        with self._lock:
            found = self._fts_cache.get(key)
            if found is None:
                found = tuple(i for (i,) in self._conn.execute(
                    f"SELECT rowid FROM clauses_fts WHERE {where}{order} LIMIT ?", [*params, limit]))
                if len(self._fts_cache) >= FTS_CACHE_QUERIES:
                    self._fts_cache.popitem(last=False)  # the least recently asked
                self._fts_cache[key] = found
            else:
                self._fts_cache.move_to_end(key)
            return self._clauses_by_id(list(found))

    def _clauses_by_id(self, ids: list[int]) -> list[sqlite3.Row]:
        """The clause rows of `ids`, in that order, from the cache or in one query (lock held)."""
        cache = self._clause_cache
        found = {i: cache[i] for i in ids if i in cache}
        missing = [i for i in ids if i not in found]
        if missing:
            rows = self._conn.execute(f"SELECT {CLAUSE_COLUMNS} FROM clauses c WHERE c.id IN "
                                      f"({','.join('?' * len(missing))})", missing).fetchall()
            for _ in range(min(len(cache), len(cache) + len(rows) - CLAUSE_CACHE_ROWS)):
                cache.popitem(last=False)  # the oldest first
            for r in rows:
                found[r["id"]] = cache[r["id"]] = r
        return [found[i] for i in ids if i in found]

    def any_hit(self, match: str, rowids: tuple[int, int]) -> bool:
        """Does any clause in the rowid range match the FTS5 query?"""
        return bool(self._rows("SELECT rowid FROM clauses_fts WHERE clauses_fts MATCH ? AND rowid BETWEEN ? AND ?"
                               " LIMIT 1", (match, *rowids)))

    def opening_clauses(self, docs: list[int], limit: int) -> list[sqlite3.Row]:
        """The first clauses of some documents, in document order."""
        return self._rows(f"SELECT {CLAUSE_COLUMNS} FROM clauses c WHERE c.doc_id IN ({','.join('?' * len(docs))})"
                          " ORDER BY c.doc_id, c.ordinal LIMIT ?", [*docs, limit])

    def clauses_containing(self, doc_id: int, text: str, limit: int = 2) -> list[sqlite3.Row]:
        """A document's clauses whose normalized text contains `text` (its signer, its date)."""
        return self._rows(f"SELECT {CLAUSE_COLUMNS} FROM clauses c WHERE c.doc_id = ? AND instr(c.norm, ?)"
                          " ORDER BY c.ordinal LIMIT ?", (doc_id, text, limit))

    def clauses_after(self, doc_id: int, ordinal: int, limit: int) -> list[sqlite3.Row]:
        """The `limit` clauses of a document that follow the clause at `ordinal`, in order."""
        return self._rows(f"SELECT {CLAUSE_COLUMNS} FROM clauses c WHERE c.doc_id = ? AND c.ordinal > ?"
                          " ORDER BY c.ordinal LIMIT ?", (doc_id, ordinal, limit))

    def names_year(self, docs: list[int], year: int) -> bool:
        """Does a clause of one of the documents name the year, in its text or its lead-in? Not
        a range that spans it: "giai đoạn 2021-2030" in a 2022 plan's preamble holds nothing of 2023."""
        y = str(year)
        return bool(self._rows(f"SELECT 1 FROM clauses WHERE doc_id IN ({','.join('?' * len(docs))})"
                               " AND instr(years, ?) AND (instr(text, ?) OR instr(lead, ?)) LIMIT 1",
                               [*docs, y, y, y]))

    def target_kinds(self, ids: list[int]) -> list[sqlite3.Row]:
        """(clause_id, kind) of the targets of some clauses."""
        return self._rows(f"SELECT clause_id, kind FROM targets WHERE clause_id IN ({','.join('?' * len(ids))})", ids)

    # Results and browsing.
    def clause_rows(self, ids: list[int]) -> list[sqlite3.Row]:
        """id, doc_id, text, section of some clauses."""
        return self._rows(f"SELECT id, doc_id, text, section FROM clauses WHERE id IN ({','.join('?' * len(ids))})",
                          ids)

    def target_rows(self, ids: list[int]) -> list[sqlite3.Row]:
        """The targets of some clauses, in order."""
        return self._rows(f"SELECT * FROM targets WHERE clause_id IN ({','.join('?' * len(ids))}) ORDER BY id", ids)

    def clause_place(self, clause_id: int) -> tuple[int, int] | None:
        """(doc_id, ordinal) of a clause."""
        row = self._rows("SELECT doc_id, ordinal FROM clauses WHERE id = ?", (clause_id,))
        return (row[0]["doc_id"], row[0]["ordinal"]) if row else None

    def clause_ids_between(self, doc_id: int, first: int, last: int, skip: int) -> list[int]:
        """Ids of a document's clauses with ordinals first..last, `skip` left out, in order."""
        return [r["id"] for r in self._rows(
            "SELECT id FROM clauses WHERE doc_id = ? AND ordinal BETWEEN ? AND ? AND ordinal != ? ORDER BY ordinal",
            (doc_id, first, last, skip))]

    def task_rows(self) -> list[sqlite3.Row]:
        """Every task with its clause text, by deadline (undated last)."""
        return self._rows("SELECT t.*, c.text AS clause_text FROM tasks t JOIN clauses c ON c.id = t.clause_id"
                          " ORDER BY t.deadline IS NULL, t.deadline, t.id")
