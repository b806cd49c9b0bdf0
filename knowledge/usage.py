"""Usage log: the questions people ask and their 👍/👎, in a small SQLite file of its own.

Kept apart from the search index so rebuilding the index never touches it. Users are stored only
as an HMAC-SHA256 of their Telegram id under a secret key that is never in the usage database:
the key comes from the caller (the `USAGE_KEY` setting) or from a key file beside the database
(`<usage db>.key`, mode 0600, created on first start). Whoever holds the usage file alone cannot
tell whether a given Telegram id asked anything. Log lines that name an actor use a second keyed
value (`log_tag`) that matches nothing stored in the database.

Writing never blocks the caller: rows go to a bounded queue and one background thread writes
them, a burst in one transaction (the writer waits LINGER seconds after a burst's first row;
`flush()` and `close()` write at once, so nothing queued is lost on shutdown). When the
database cannot take them (locked by a backup or another process, disk full…) they are
dropped and counted, and the first loss is logged once; the bot keeps answering.

SQLite through the standard library; questions are grouped with `knowledge.text` folding and
`knowledge.ranker` similarity. The chat layer writes here, admin commands read the summaries.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import queue
import secrets
import sqlite3
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from knowledge import ranker
from knowledge.text import fold, words

log = logging.getLogger("cchc.usage")

# Users are in Vietnam (UTC+7, no daylight saving): "today" and "this week" follow local time.
LOCAL_TZ = timezone(timedelta(hours=7))
# Rows waiting for the writer; beyond this (the database stuck for a long time) they are dropped.
QUEUE_LIMIT = 10_000
# How long the writer waits for a lock held elsewhere before dropping a row (seconds).
WRITE_TIMEOUT = 5.0
# After the first row of a burst, how long the writer waits for more before committing (seconds):
# one transaction per LINGER instead of one per question (and the writer thread, which competes
# with the event loop for the interpreter, wakes that much less). flush() and close() cut it short.
LINGER = 0.25
# Rows per transaction at most.
BATCH = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,               -- unix time
    user_hash TEXT NOT NULL,        -- HMAC-SHA256 of the Telegram user id (key outside this file)
    question TEXT NOT NULL,
    answered INTEGER NOT NULL,      -- 0/1
    latency_ms INTEGER NOT NULL,
    clause_ids TEXT NOT NULL,       -- JSON list of clause ids shown
    topic TEXT,                     -- topic of the best clause's target, when it has one
    channel TEXT NOT NULL DEFAULT 'chat',  -- chat | inline
    frontend TEXT NOT NULL DEFAULT 'telegram'  -- telegram | web (see FRONTENDS)
);
CREATE INDEX IF NOT EXISTS questions_ts ON questions (ts);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    user_hash TEXT NOT NULL,
    question TEXT NOT NULL,
    clause_ids TEXT NOT NULL,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    frontend TEXT NOT NULL DEFAULT 'telegram'
);
CREATE INDEX IF NOT EXISTS feedback_ts ON feedback (ts);
"""

_INSERT_QUESTION = ("INSERT INTO questions (ts, user_hash, question, answered, latency_ms, clause_ids, topic,"
                    " channel, frontend) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
_INSERT_FEEDBACK = ("INSERT INTO feedback (ts, user_hash, question, clause_ids, vote, frontend)"
                    " VALUES (?, ?, ?, ?, ?, ?)")
# The front ends a question can come through, in the order summaries list them.
FRONTENDS = ("telegram", "web")


class UsageLogError(Exception):
    """The usage database (or its key file) cannot be opened; the bot runs without a log."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


def default_usage_path(index_db: Path) -> Path:
    """The usage database beside the index: `index.sqlite` → `index.usage.sqlite`."""
    return index_db.with_name(index_db.stem + ".usage.sqlite")


def key_path(usage_db: Path | str) -> Path:
    """The key file beside a usage database: `knowledge.usage.sqlite` → `knowledge.usage.sqlite.key`."""
    path = Path(usage_db)
    return path.with_name(path.name + ".key")


def load_or_create_key(path: Path) -> bytes:
    """The secret in `path` (hex), created with mode 0600 on first use; a readable-by-others
    file is tightened to 0600. Raises OSError / ValueError when it cannot be read or made."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
            log.warning("usage key %s was readable by others: set to mode 0600", path)
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(key) < 16:
            raise ValueError("the key file holds fewer than 16 bytes") from None
        return key
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")
    return key


@dataclass
class UsageStats:
    """Summary for the admin /thongke command."""

    questions_today: int = 0
    questions_week: int = 0
    answered_share: float = 0.0         # over the last 7 days, 0..1
    median_latency_ms: float = 0.0      # over the last 7 days
    top_topics: list[tuple[str, int]] = field(default_factory=list)
    downvotes: int = 0                  # 👎 in the last 7 days
    upvotes: int = 0
    dropped: int = 0                    # rows lost since start (database locked, disk full)
    by_frontend: dict[str, int] = field(default_factory=dict)  # questions in 7 days per front end


_STOP = object()


class UsageLog:
    """Append-only question and feedback log, written by a background thread.

    `log_question` and `log_feedback` only hash the user and queue the row: they never wait for
    the database and never raise because of it. Reads (`stats`, `unanswered`, …) first wait for
    the rows queued before them, so a summary includes everything logged so far; they may wait
    for a lock held elsewhere and are meant to run off the event loop.
    """

    def __init__(self, conn: sqlite3.Connection, key: bytes, *, write_timeout: float = WRITE_TIMEOUT,
                 linger: float = LINGER) -> None:
        self._conn = conn
        self._key = key
        # A second key for log lines, so an actor named in the app log matches nothing stored.
        self._log_key = hmac.new(key, b"cchc-bot log tag", hashlib.sha256).digest()
        self._lock = threading.Lock()           # one connection, shared by the writer and readers
        self._queue: queue.Queue[Any] = queue.Queue(QUEUE_LIMIT)
        self._count_lock = threading.Lock()
        self._dropped = 0
        self._warned = False
        self._closed = False
        self._linger = linger
        self._wake = threading.Event()          # set by flush()/close(): write what is queued now
        conn.execute(f"PRAGMA busy_timeout = {int(write_timeout * 1000)}")
        self._writer = threading.Thread(target=self._write_loop, name="usage-log-writer", daemon=True)
        self._writer.start()

    @classmethod
    def open(cls, path: Path | str, *, key: bytes | None = None,
             write_timeout: float = WRITE_TIMEOUT, linger: float = LINGER) -> UsageLog:
        """Open (creating if needed) the usage database at `path`; ":memory:" works for tests.

        Without `key` the secret is read from (or created in) the key file beside the database
        (an in-memory log gets a random one). A database from before keyed hashes loses its salt
        here: its old user hashes can no longer be linked to anyone. Raises `UsageLogError` when
        the database or the key cannot be opened (read-only, not a database, locked, …).
        """
        memory = str(path) == ":memory:"
        conn: sqlite3.Connection | None = None
        try:
            if not memory:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            if key is None:
                key = secrets.token_bytes(32) if memory else load_or_create_key(key_path(path))
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                                   timeout=write_timeout)
            if not memory:
                # With WAL and synchronous=NORMAL a commit no longer waits for the disk (a power
                # cut may lose the last rows of a log; a killed process loses none).
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            _add_frontend(conn)
            _drop_salt(conn)
        except (sqlite3.Error, OSError, ValueError) as exc:
            if conn is not None:
                conn.close()
            raise UsageLogError(path, str(exc) or type(exc).__name__) from exc
        return cls(conn, key, write_timeout=write_timeout, linger=linger)

    # --- pseudonyms ---

    def hash_user(self, user_id: int | str | None) -> str:
        """HMAC-SHA256 of a user id under the secret key ("" for no user, e.g. a channel post)."""
        if user_id is None:
            return ""
        return hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()

    def log_tag(self, user_id: int | str | None) -> str:
        """A short pseudonym for app log lines: stable per user, but a different keyed value from
        the stored hash, so the log and the usage database cannot be joined on it."""
        if user_id is None:
            return "unknown"
        return hmac.new(self._log_key, str(user_id).encode(), hashlib.sha256).hexdigest()[:12]

    # --- writing (never blocks, never raises for the database) ---

    def log_question(self, user_id: int | str | None, question: str, *, answered: bool,
                     latency_ms: float, clause_ids: Sequence[int] = (), topic: str | None = None,
                     channel: str = "chat", frontend: str = "telegram", ts: float | None = None) -> None:
        """Queue one question for the log; `frontend` is where it came from (FRONTENDS)."""
        self._enqueue(_INSERT_QUESTION, (time.time() if ts is None else ts, self.hash_user(user_id), question,
                                         int(answered), round(latency_ms), json.dumps(list(clause_ids)),
                                         topic, channel, frontend))

    def log_feedback(self, user_id: int | str | None, question: str, clause_ids: Sequence[int],
                     vote: int, *, frontend: str = "telegram", ts: float | None = None) -> None:
        """Queue a 👍 (+1) or 👎 (-1) on an answer."""
        if vote not in (-1, 1):
            raise ValueError("vote must be +1 or -1")
        self._enqueue(_INSERT_FEEDBACK, (time.time() if ts is None else ts, self.hash_user(user_id), question,
                                         json.dumps(list(clause_ids)), vote, frontend))

    @property
    def dropped(self) -> int:
        """Rows that could not be written since the log was opened."""
        return self._dropped

    def flush(self) -> None:
        """Wait until every row queued so far is written (or dropped)."""
        if not self._closed:
            self._wake.set()
            self._queue.join()

    def _enqueue(self, sql: str, params: tuple[Any, ...]) -> None:
        if self._closed:
            self._lost(1, "the log is closed")
            return
        try:
            self._queue.put_nowait((sql, params))
        except queue.Full:
            self._lost(1, f"{QUEUE_LIMIT} rows already waiting")

    def _write_loop(self) -> None:
        while True:
            batch = [self._queue.get()]
            if batch[0] is not _STOP and self._linger > 0:
                # Let the rest of a burst arrive: it goes in the same transaction.
                self._wake.wait(self._linger)
                self._wake.clear()
            while len(batch) < BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            rows = [item for item in batch if item is not _STOP]
            if rows:
                self._write(rows)
            for _ in batch:
                self._queue.task_done()
            if len(rows) < len(batch):
                return

    def _write(self, rows: list[tuple[str, tuple[Any, ...]]]) -> None:
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                for sql, params in rows:
                    self._conn.execute(sql, params)
                self._conn.execute("COMMIT")
            except Exception as exc:  # whatever the database says, the rows are lost, not the bot
                if self._conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                self._lost(len(rows), str(exc) or type(exc).__name__)

    def _lost(self, n: int, reason: str) -> None:
        with self._count_lock:
            self._dropped += n
            first, self._warned = not self._warned, True
        if first:
            log.warning("usage log: %d row(s) could not be written (%s); dropping and counting such rows,"
                        " answers are not affected", n, reason)

    # --- reading (admin summaries) ---

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Rows of a query, after the rows queued so far; UsageLogError when the database
        cannot be read (locked longer than the busy timeout, damaged…)."""
        self.flush()
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise UsageLogError(":usage:", str(exc)) from exc

    def stats(self, *, now: float | None = None, topics: int = 5) -> UsageStats:
        """Questions today and in the last 7 days, share answered, median latency, top topics,
        👍/👎 counts (all over the last 7 days, "today" in Vietnam time), rows dropped."""
        now = time.time() if now is None else now
        local = datetime.fromtimestamp(now, LOCAL_TZ)
        day_start = local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
        week_start = now - 7 * 86400
        today = self._read("SELECT COUNT(*) FROM questions WHERE ts >= ? AND ts <= ?", (day_start, now))[0][0]
        rows = self._read("SELECT answered, latency_ms, frontend FROM questions WHERE ts >= ? AND ts <= ?",
                          (week_start, now))
        week = len(rows)
        answered = sum(1 for a, _, _ in rows if a)
        latencies = [float(ms) for _, ms, _ in rows]
        by_frontend: dict[str, int] = {}
        for _, _, frontend in rows:
            by_frontend[frontend] = by_frontend.get(frontend, 0) + 1
        top = self._read(
            "SELECT topic, COUNT(*) AS n FROM questions WHERE ts >= ? AND ts <= ? AND topic IS NOT NULL"
            " AND topic != '' GROUP BY topic ORDER BY n DESC, topic LIMIT ?",
            (week_start, now, topics))
        votes = dict(self._read("SELECT vote, COUNT(*) FROM feedback WHERE ts >= ? AND ts <= ? GROUP BY vote",
                                (week_start, now)))
        return UsageStats(
            questions_today=int(today),
            questions_week=week,
            answered_share=answered / week if week else 0.0,
            median_latency_ms=statistics.median(latencies) if latencies else 0.0,
            top_topics=[(str(t), int(n)) for t, n in top],
            downvotes=int(votes.get(-1, 0)),
            upvotes=int(votes.get(1, 0)),
            dropped=self._dropped,
            by_frontend={f: by_frontend[f] for f in sorted(by_frontend, key=_frontend_order)},
        )

    def unanswered(self, *, limit: int = 10, since: float | None = None,
                   recent: int = 5000) -> list[tuple[str, int]]:
        """Most frequent unanswered questions, most frequent first, similar ones counted together:
        case, accents, spacing, punctuation and word order are ignored ("Giá vàng hôm nay?" ~
        "hom nay gia vang") and near-identical spellings join ("gia vag" ~ "gia vang").
        Each group is shown in its most common wording. Looks at the `recent` latest rows."""
        rows = self._read(
            "SELECT question FROM questions WHERE answered = 0 AND ts >= ? ORDER BY id DESC LIMIT ?",
            (since or 0, recent))
        # Exact groups first (folded, sorted words), oldest wording first for stable ties.
        wordings: dict[str, dict[str, int]] = {}
        for (q,) in reversed(rows):
            shown = " ".join(q.split())
            key = " ".join(sorted(set(words(fold(shown)))))
            if not key:
                continue
            forms = wordings.setdefault(key, {})
            forms[shown] = forms.get(shown, 0) + 1
        keys = sorted(wordings, key=lambda k: -sum(wordings[k].values()))
        merged: dict[int, dict[str, int]] = {}
        for key, leader in zip(keys, ranker.group_similar(keys), strict=True):
            forms = merged.setdefault(leader, {})
            for shown, n in wordings[key].items():
                forms[shown] = forms.get(shown, 0) + n
        ranked = [(max(forms, key=lambda f: forms[f]), sum(forms.values())) for forms in merged.values()]
        ranked.sort(key=lambda qn: (-qn[1], qn[0]))
        return ranked[:limit]

    def question_count(self) -> int:
        """Total questions logged."""
        return int(self._read("SELECT COUNT(*) FROM questions")[0][0])

    def recent_questions(self, limit: int = 20) -> list[dict[str, object]]:
        """The latest questions, newest first (no user hash: for admin views and tests)."""
        rows = self._read(
            "SELECT ts, question, answered, latency_ms, clause_ids, topic, channel, frontend FROM questions"
            " ORDER BY id DESC LIMIT ?", (limit,))
        return [{"ts": ts, "question": q, "answered": bool(a), "latency_ms": ms,
                 "clause_ids": json.loads(ids), "topic": topic, "channel": channel, "frontend": frontend}
                for ts, q, a, ms, ids, topic, channel, frontend in rows]

    def feedback_rows(self) -> list[tuple[str, str, list[int], int]]:
        """All feedback as (user_hash, question, clause_ids, vote), oldest first."""
        return [(h, q, json.loads(ids), v) for h, q, ids, v in self._read(
            "SELECT user_hash, question, clause_ids, vote FROM feedback ORDER BY id")]

    def close(self) -> None:
        """Write what is queued, stop the writer and close the database."""
        if self._closed:
            return
        self._queue.put(_STOP)
        self._wake.set()
        self._writer.join()
        self._closed = True
        with self._lock:
            self._conn.close()


def _frontend_order(name: str) -> tuple[int, str]:
    return (FRONTENDS.index(name) if name in FRONTENDS else len(FRONTENDS), name)


def _add_frontend(conn: sqlite3.Connection) -> None:
    """Give a log from before the web chat its `frontend` column: every row it holds came
    through Telegram, so that is the default the existing rows take (none is rewritten or lost)."""
    for table in ("questions", "feedback"):
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if "frontend" not in columns:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN frontend TEXT NOT NULL DEFAULT 'telegram'")
            log.info("usage log: added the front-end column to %s (existing rows: telegram)", table)


def _drop_salt(conn: sqlite3.Connection) -> None:
    """Remove the salt an older version kept beside the hashes (and its bytes from the file):
    with it anyone holding the file could recover every Telegram id. The old hashes stay but
    can no longer be linked to anyone."""
    if conn.execute("SELECT 1 FROM meta WHERE key = 'salt'").fetchone() is None:
        return
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("DELETE FROM meta WHERE key = 'salt'")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("VACUUM")
    log.warning("usage log: removed the stored salt; pseudonyms logged before now can no longer be linked")
