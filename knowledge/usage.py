"""Usage log: the questions people ask and their 👍/👎, in a small SQLite file of its own.

Kept apart from the search index so rebuilding the index never touches it. Users are stored only
as a salted SHA-256 of their Telegram id: never the raw id, never a name. The salt is random per
usage database (kept in its `meta` table) unless the caller passes one, so the hashes cannot be
matched against another deployment's.

SQLite through the standard library; questions are grouped with `knowledge.text` folding and
`knowledge.ranker` similarity. The chat layer writes here, admin commands read the summaries.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from knowledge import ranker
from knowledge.text import fold, words

# Users are in Vietnam (UTC+7, no daylight saving): "today" and "this week" follow local time.
LOCAL_TZ = timezone(timedelta(hours=7))

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,               -- unix time
    user_hash TEXT NOT NULL,        -- salted sha256 of the Telegram user id
    question TEXT NOT NULL,
    answered INTEGER NOT NULL,      -- 0/1
    latency_ms INTEGER NOT NULL,
    clause_ids TEXT NOT NULL,       -- JSON list of clause ids shown
    topic TEXT,                     -- topic of the best clause's target, when it has one
    channel TEXT NOT NULL DEFAULT 'chat'   -- chat | inline
);
CREATE INDEX IF NOT EXISTS questions_ts ON questions (ts);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    user_hash TEXT NOT NULL,
    question TEXT NOT NULL,
    clause_ids TEXT NOT NULL,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1))
);
CREATE INDEX IF NOT EXISTS feedback_ts ON feedback (ts);
"""


def default_usage_path(index_db: Path) -> Path:
    """The usage database beside the index: `index.sqlite` → `index.usage.sqlite`."""
    return index_db.with_name(index_db.stem + ".usage.sqlite")


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


class UsageLog:
    """Append-only question and feedback log."""

    def __init__(self, conn: sqlite3.Connection, salt: str) -> None:
        self._conn = conn
        self._salt = salt

    @classmethod
    def open(cls, path: Path | str, *, salt: str | None = None) -> UsageLog:
        """Open (creating if needed) the usage database at `path`; ":memory:" works for tests."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # One connection, used from the bot's event loop thread only; autocommit keeps each
        # logged row durable without holding a transaction open between updates.
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        if str(path) != ":memory:":
            # A row per question: with WAL and synchronous=NORMAL a commit no longer waits for the
            # disk (a power cut may lose the last rows of a log; a killed process loses none).
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(_SCHEMA)
        if salt is None:
            row = conn.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
            if row:
                salt = str(row[0])
            else:
                salt = secrets.token_hex(16)
                conn.execute("INSERT INTO meta (key, value) VALUES ('salt', ?)", (salt,))
        return cls(conn, salt)

    def hash_user(self, user_id: int | str | None) -> str:
        """Salted SHA-256 of a user id ("" for no user, e.g. an anonymous channel post)."""
        if user_id is None:
            return ""
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()

    def log_question(self, user_id: int | str | None, question: str, *, answered: bool,
                     latency_ms: float, clause_ids: Sequence[int] = (), topic: str | None = None,
                     channel: str = "chat", ts: float | None = None) -> int:
        """Record one question; returns its row id."""
        cur = self._conn.execute(
            "INSERT INTO questions (ts, user_hash, question, answered, latency_ms, clause_ids, topic,"
            " channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (time.time() if ts is None else ts, self.hash_user(user_id), question, int(answered),
             round(latency_ms), json.dumps(list(clause_ids)), topic, channel),
        )
        return int(cur.lastrowid or 0)

    def log_feedback(self, user_id: int | str | None, question: str, clause_ids: Sequence[int],
                     vote: int, *, ts: float | None = None) -> int:
        """Record a 👍 (+1) or 👎 (-1) on an answer; returns its row id."""
        if vote not in (-1, 1):
            raise ValueError("vote must be +1 or -1")
        cur = self._conn.execute(
            "INSERT INTO feedback (ts, user_hash, question, clause_ids, vote) VALUES (?, ?, ?, ?, ?)",
            (time.time() if ts is None else ts, self.hash_user(user_id), question,
             json.dumps(list(clause_ids)), vote),
        )
        return int(cur.lastrowid or 0)

    def stats(self, *, now: float | None = None, topics: int = 5) -> UsageStats:
        """Questions today and in the last 7 days, share answered, median latency, top topics,
        👍/👎 counts (all over the last 7 days, "today" in Vietnam time)."""
        now = time.time() if now is None else now
        local = datetime.fromtimestamp(now, LOCAL_TZ)
        day_start = local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
        week_start = now - 7 * 86400
        c = self._conn
        today = c.execute("SELECT COUNT(*) FROM questions WHERE ts >= ? AND ts <= ?",
                          (day_start, now)).fetchone()[0]
        rows = c.execute("SELECT answered, latency_ms FROM questions WHERE ts >= ? AND ts <= ?",
                         (week_start, now)).fetchall()
        week = len(rows)
        answered = sum(1 for a, _ in rows if a)
        latencies = [float(ms) for _, ms in rows]
        top = c.execute(
            "SELECT topic, COUNT(*) AS n FROM questions WHERE ts >= ? AND ts <= ? AND topic IS NOT NULL"
            " AND topic != '' GROUP BY topic ORDER BY n DESC, topic LIMIT ?",
            (week_start, now, topics)).fetchall()
        votes = dict(c.execute("SELECT vote, COUNT(*) FROM feedback WHERE ts >= ? AND ts <= ? GROUP BY vote",
                               (week_start, now)).fetchall())
        return UsageStats(
            questions_today=int(today),
            questions_week=week,
            answered_share=answered / week if week else 0.0,
            median_latency_ms=statistics.median(latencies) if latencies else 0.0,
            top_topics=[(str(t), int(n)) for t, n in top],
            downvotes=int(votes.get(-1, 0)),
            upvotes=int(votes.get(1, 0)),
        )

    def unanswered(self, *, limit: int = 10, since: float | None = None,
                   recent: int = 5000) -> list[tuple[str, int]]:
        """Most frequent unanswered questions, most frequent first, similar ones counted together:
        case, accents, spacing, punctuation and word order are ignored ("Giá vàng hôm nay?" ~
        "hom nay gia vang") and near-identical spellings join ("gia vag" ~ "gia vang").
        Each group is shown in its most common wording. Looks at the `recent` latest rows."""
        rows = self._conn.execute(
            "SELECT question FROM questions WHERE answered = 0 AND ts >= ? ORDER BY id DESC LIMIT ?",
            (since or 0, recent)).fetchall()
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
        return int(self._conn.execute("SELECT COUNT(*) FROM questions").fetchone()[0])

    def recent_questions(self, limit: int = 20) -> list[dict[str, object]]:
        """The latest questions, newest first (no user hash: for admin views and tests)."""
        rows = self._conn.execute(
            "SELECT ts, question, answered, latency_ms, clause_ids, topic, channel FROM questions"
            " ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [{"ts": ts, "question": q, "answered": bool(a), "latency_ms": ms,
                 "clause_ids": json.loads(ids), "topic": topic, "channel": channel}
                for ts, q, a, ms, ids, topic, channel in rows]

    def feedback_rows(self) -> list[tuple[str, str, list[int], int]]:
        """All feedback as (user_hash, question, clause_ids, vote), oldest first."""
        return [(h, q, json.loads(ids), v) for h, q, ids, v in self._conn.execute(
            "SELECT user_hash, question, clause_ids, vote FROM feedback ORDER BY id")]

    def close(self) -> None:
        """Close the database."""
        self._conn.close()
