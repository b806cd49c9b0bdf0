"""The usage log's front-end column (telegram / web): a log from before it keeps every row;
summaries count both front ends. And the web settings read by `bot.py`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import bot
from handlers.replies import PLAIN, stats_text
from knowledge.usage import UsageLog

# The schema of a usage log written before the web chat (no frontend column).
OLD_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE questions (id INTEGER PRIMARY KEY, ts REAL NOT NULL, user_hash TEXT NOT NULL,
    question TEXT NOT NULL, answered INTEGER NOT NULL, latency_ms INTEGER NOT NULL,
    clause_ids TEXT NOT NULL, topic TEXT, channel TEXT NOT NULL DEFAULT 'chat');
CREATE TABLE feedback (id INTEGER PRIMARY KEY, ts REAL NOT NULL, user_hash TEXT NOT NULL,
    question TEXT NOT NULL, clause_ids TEXT NOT NULL, vote INTEGER NOT NULL CHECK (vote IN (-1, 1)));
"""


def test_old_log_keeps_its_rows_as_telegram_and_counts_web_beside(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(OLD_SCHEMA)
    now = 1_800_000_000.0
    conn.executemany("INSERT INTO questions (ts, user_hash, question, answered, latency_ms, clause_ids, topic,"
                     " channel) VALUES (?, 'h', ?, 1, 5, '[1]', NULL, ?)",
                     [(now - 60, "câu cũ một", "chat"), (now - 30, "câu cũ hai", "inline")])
    conn.execute("INSERT INTO feedback (ts, user_hash, question, clause_ids, vote) VALUES (?, 'h', 'x', '[1]', 1)",
                 (now - 20,))
    conn.commit()
    conn.close()

    log = UsageLog.open(path, key=b"k" * 32)
    try:
        log.log_question("web:203.0.113.9", "câu mới", answered=False, latency_ms=3, frontend="web", ts=now - 10)
        log.log_feedback("web:203.0.113.9", "câu mới", [], -1, frontend="web", ts=now - 5)
        rows = log.recent_questions()
        assert [(r["question"], r["channel"], r["frontend"]) for r in rows] == [
            ("câu mới", "chat", "web"), ("câu cũ hai", "inline", "telegram"), ("câu cũ một", "chat", "telegram")]
        stats = log.stats(now=now)
        assert stats.questions_week == 3 and stats.by_frontend == {"telegram": 2, "web": 1}
        assert (stats.upvotes, stats.downvotes) == (1, 1)
        assert "Theo kênh (7 ngày): Telegram 2, Web 1" in stats_text(stats, PLAIN)
    finally:
        log.close()
    # Opening again changes nothing (the column is added once).
    UsageLog.open(path, key=b"k" * 32).close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT frontend, COUNT(*) FROM feedback GROUP BY frontend ORDER BY 1").fetchall() == \
        [("telegram", 1), ("web", 1)]
    conn.close()


def test_web_settings_from_the_environment(capsys: object) -> None:
    s = bot.read_settings({
        "WEB_HOST": "0.0.0.0", "WEB_PORT": "9000",
        "WEB_ALLOWED_ORIGINS": "https://dichvucong.quangtri.gov.vn/, https://kiosk.local",
        "WEB_RATE_LIMIT": "12", "WEB_ADMIN_TOKEN": "a" * 20, "WEB_TRUST_PROXY": "1", "WEB_CHAT": "yes",
    })
    got = (s.web_host, s.web_port, s.web_rate_limit, s.web_trust_proxy, s.web_chat)
    assert got == ("0.0.0.0", 9000, 12, True, True)
    assert s.web_origins == ("https://dichvucong.quangtri.gov.vn", "https://kiosk.local")
    assert s.web_admin_token == "a" * 20
    config = bot.web_config(s)
    assert config.rate_limit == 12 and config.allowed_origins == s.web_origins and config.trust_proxy


def test_web_settings_defaults_and_bad_values(capsys: object) -> None:
    s = bot.read_settings({"WEB_PORT": "http", "WEB_RATE_LIMIT": "0", "WEB_ADMIN_TOKEN": "short"})
    assert (s.web_host, s.web_port, s.web_rate_limit, s.web_admin_token, s.web_chat) == (None, None, 30, None, False)
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "WEB_PORT" in err and "WEB_RATE_LIMIT" in err and "WEB_ADMIN_TOKEN" in err
