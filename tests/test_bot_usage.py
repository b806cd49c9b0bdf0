"""knowledge/usage.py: the question log and feedback, hashed users, admin summaries."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import sqlite3
import stat
from pathlib import Path

import pytest

from knowledge.usage import UsageLog, UsageLogError, default_usage_path, key_path

RAW_ID = 987_654_321_123


def test_users_are_stored_only_as_keyed_hashes(tmp_path: Path) -> None:
    path = tmp_path / "u.sqlite"
    log = UsageLog.open(path)
    log.log_question(RAW_ID, "thanh toán trực tuyến", answered=True, latency_ms=12.3, clause_ids=[1, 2])
    log.log_feedback(RAW_ID, "thanh toán trực tuyến", [1, 2], -1)
    log.flush()
    h = log.hash_user(RAW_ID)
    written = b"".join(p.read_bytes() for p in tmp_path.glob("u.sqlite*"))  # with the WAL, while open
    assert "thanh toán".encode() in written and str(RAW_ID).encode() not in written
    log.close()
    assert str(RAW_ID).encode() not in path.read_bytes()
    assert len(h) == 64 and str(RAW_ID) not in h
    # The key lives in the key file beside the database: same user, same hash after reopening...
    again = UsageLog.open(path)
    assert again.hash_user(RAW_ID) == h
    assert again.feedback_rows() == [(h, "thanh toán trực tuyến", [1, 2], -1)]
    again.close()
    # ...but another database (another key file) hashes the same id differently.
    other = UsageLog.open(tmp_path / "other.sqlite")
    assert other.hash_user(RAW_ID) != h
    other.close()


def test_stats_today_week_share_median_topics_votes(tmp_path: Path) -> None:
    log = UsageLog.open(tmp_path / "u.sqlite", key=b"k" * 16)
    now = 1_750_000_000.0                     # a fixed instant; "today" is Vietnam time
    log.log_question(1, "a", answered=True, latency_ms=10, topic="thanh toán trực tuyến", ts=now - 60)
    log.log_question(2, "b", answered=True, latency_ms=30, topic="thanh toán trực tuyến", ts=now - 120)
    log.log_question(3, "c", answered=False, latency_ms=20, ts=now - 3 * 86400)
    log.log_question(3, "old", answered=False, latency_ms=999, ts=now - 30 * 86400)
    log.log_feedback(1, "a", [1], -1, ts=now - 10)
    log.log_feedback(2, "b", [2], 1, ts=now - 10)
    stats = log.stats(now=now)
    assert stats.questions_today == 2
    assert stats.questions_week == 3
    assert stats.answered_share == pytest.approx(2 / 3)
    assert stats.median_latency_ms == 20
    assert stats.top_topics == [("thanh toán trực tuyến", 2)]
    assert (stats.downvotes, stats.upvotes) == (1, 1)
    log.close()


def test_unanswered_groups_case_and_spacing(tmp_path: Path) -> None:
    log = UsageLog.open(":memory:", key=b"k" * 16)
    for q in ("Giá vàng", "giá  vàng", "GIÁ VÀNG", "thời tiết"):
        log.log_question(1, q, answered=False, latency_ms=1)
    log.log_question(1, "thanh toán", answered=True, latency_ms=1)
    assert log.unanswered(limit=5) == [("Giá vàng", 3), ("thời tiết", 1)]
    log.close()


def test_vote_must_be_plus_or_minus_one() -> None:
    log = UsageLog.open(":memory:")
    with pytest.raises(ValueError, match="vote must be"):
        log.log_feedback(1, "q", [1], 0)
    log.close()


def test_usage_db_lives_beside_the_index() -> None:
    assert default_usage_path(Path("/data/cchc/knowledge.db")) == Path("/data/cchc/knowledge.usage.sqlite")


# --- issue 10: pseudonyms that the usage file alone cannot reverse; a log that never blocks ------

def _stored(path: Path) -> tuple[set[str], list[str]]:
    """(every user hash, every meta value) in a usage database, read with sqlite3 alone."""
    conn = sqlite3.connect(path)
    try:
        hashes = {h for (h,) in conn.execute("SELECT user_hash FROM questions UNION SELECT user_hash FROM feedback")}
        secrets_ = [str(v) for (v,) in conn.execute("SELECT value FROM meta")]
    finally:
        conn.close()
    return hashes, secrets_


def _guesses(candidate: int, secrets_: list[str]) -> set[str]:
    """Every hash of `candidate` one could compute from what the database holds."""
    out = {hashlib.sha256(str(candidate).encode()).hexdigest()}
    for s in [*secrets_, ""]:
        out.add(hashlib.sha256(f"{s}:{candidate}".encode()).hexdigest())
        out.add(hashlib.sha256(f"{candidate}:{s}".encode()).hexdigest())
        out.add(hmac.new(s.encode(), str(candidate).encode(), hashlib.sha256).hexdigest())
        with contextlib.suppress(ValueError):
            out.add(hmac.new(bytes.fromhex(s), str(candidate).encode(), hashlib.sha256).hexdigest())
    return out


def test_the_usage_file_alone_cannot_confirm_an_id(tmp_path: Path) -> None:
    path = tmp_path / "u.sqlite"
    log = UsageLog.open(path)
    log.log_question(RAW_ID, "thanh toán", answered=True, latency_ms=1)
    log.log_feedback(RAW_ID, "thanh toán", [1], 1)
    log.close()
    hashes, secrets_ = _stored(path)
    assert hashes
    # The attacker knows the id to confirm (and a few neighbours): nothing in the file matches.
    for candidate in (RAW_ID, RAW_ID - 1, RAW_ID + 1, 42):
        assert not hashes & _guesses(candidate, secrets_)
    # With the key (kept outside the database) it does match: the test is not vacuous.
    key = bytes.fromhex(key_path(path).read_text().strip())
    assert hmac.new(key, str(RAW_ID).encode(), hashlib.sha256).hexdigest() in hashes


def test_key_file_is_private_and_an_explicit_key_needs_no_file(tmp_path: Path) -> None:
    path = tmp_path / "u.sqlite"
    UsageLog.open(path).close()
    assert stat.S_IMODE(key_path(path).stat().st_mode) == 0o600
    key_path(path).chmod(0o644)                       # loosened by hand: tightened on the next start
    UsageLog.open(path).close()
    assert stat.S_IMODE(key_path(path).stat().st_mode) == 0o600
    other = tmp_path / "v.sqlite"
    a, b = UsageLog.open(other, key=b"x" * 16), UsageLog.open(tmp_path / "w.sqlite", key=b"x" * 16)
    assert a.hash_user(RAW_ID) == b.hash_user(RAW_ID)
    a.close()
    b.close()
    assert not key_path(other).exists()


def test_log_tag_is_not_a_prefix_of_the_stored_hash() -> None:
    log = UsageLog.open(":memory:", key=b"k" * 16)
    tag, stored = log.log_tag(RAW_ID), log.hash_user(RAW_ID)
    assert len(tag) == 12 and tag == log.log_tag(RAW_ID)
    assert tag not in stored and stored[:12] != tag
    log.close()


def test_an_old_database_loses_its_salt(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    salt = "5a17" * 8
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                       "CREATE TABLE questions (id INTEGER PRIMARY KEY, ts REAL NOT NULL, user_hash TEXT NOT NULL,"
                       " question TEXT NOT NULL, answered INTEGER NOT NULL, latency_ms INTEGER NOT NULL,"
                       " clause_ids TEXT NOT NULL, topic TEXT, channel TEXT NOT NULL DEFAULT 'chat');")
    old_hash = hashlib.sha256(f"{salt}:{RAW_ID}".encode()).hexdigest()
    conn.execute("INSERT INTO meta VALUES ('salt', ?)", (salt,))
    conn.execute("INSERT INTO questions (ts, user_hash, question, answered, latency_ms, clause_ids)"
                 " VALUES (1, ?, 'cũ', 1, 1, '[]')", (old_hash,))
    conn.commit()
    conn.close()
    log = UsageLog.open(path)
    assert log.question_count() == 1                  # the rows are kept...
    log.close()
    hashes, secrets_ = _stored(path)
    assert salt not in secrets_                       # ...the salt is gone, from the file's bytes too
    assert salt.encode() not in b"".join(p.read_bytes() for p in tmp_path.glob("old.sqlite*"))
    assert not hashes & _guesses(RAW_ID, secrets_)


def test_a_locked_database_drops_counts_and_warns_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "u.sqlite"
    log = UsageLog.open(path, write_timeout=0.0)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")                 # a backup, an sqlite3 shell, a second instance
    caplog.set_level(logging.WARNING, logger="cchc.usage")
    for i in range(3):
        log.log_question(i, "q", answered=True, latency_ms=1)   # returns at once, never raises
        log.flush()
    assert log.dropped == 3
    assert len([r for r in caplog.records if "could not be written" in r.getMessage()]) == 1
    holder.execute("COMMIT")
    holder.close()
    log.log_question(9, "sau", answered=True, latency_ms=1)
    assert log.question_count() == 1 and log.stats().dropped == 3
    log.close()


def test_an_unopenable_database_is_a_clear_error(unopenable_usage_path: Path) -> None:
    with pytest.raises(UsageLogError) as raised:
        UsageLog.open(unopenable_usage_path)
    assert raised.value.path == unopenable_usage_path and raised.value.reason


def test_a_burst_is_one_transaction_and_close_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "u.sqlite"
    # A linger longer than the test: the writer commits only when flush() or close() asks.
    log = UsageLog.open(path, linger=600)
    statements: list[str] = []
    log._conn.set_trace_callback(statements.append)  # noqa: SLF001
    for i in range(50):
        log.log_question(i, f"câu hỏi {i}", answered=i % 2 == 0, latency_ms=i, clause_ids=[i])
    log.log_feedback(1, "câu hỏi 1", [1], -1)
    log.flush()
    assert statements.count("BEGIN IMMEDIATE") == 1 and statements.count("COMMIT") == 1
    assert log.question_count() == 50 and len(log.feedback_rows()) == 1
    for i in range(300):  # queued while the writer waits for more: written by close()
        log.log_question(1000 + i, f"sau {i}", answered=True, latency_ms=1)
    log.close()
    reopened = UsageLog.open(path)
    assert reopened.question_count() == 350 and reopened.dropped == 0
    assert [r["question"] for r in reopened.recent_questions(2)] == ["sau 299", "sau 298"]
    reopened.close()
