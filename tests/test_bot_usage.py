"""knowledge/usage.py: the question log and feedback, hashed users, admin summaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.usage import UsageLog, default_usage_path

RAW_ID = 987_654_321_123


def test_users_are_stored_only_as_salted_hashes(tmp_path: Path) -> None:
    path = tmp_path / "u.sqlite"
    log = UsageLog.open(path)
    log.log_question(RAW_ID, "thanh toán trực tuyến", answered=True, latency_ms=12.3, clause_ids=[1, 2])
    log.log_feedback(RAW_ID, "thanh toán trực tuyến", [1, 2], -1)
    h = log.hash_user(RAW_ID)
    written = b"".join(p.read_bytes() for p in tmp_path.glob("u.sqlite*"))  # with the WAL, while open
    assert "thanh toán".encode() in written and str(RAW_ID).encode() not in written
    log.close()
    assert str(RAW_ID).encode() not in path.read_bytes()
    assert len(h) == 64 and str(RAW_ID) not in h
    # The salt is per database and persists: same user, same hash after reopening...
    again = UsageLog.open(path)
    assert again.hash_user(RAW_ID) == h
    assert again.feedback_rows() == [(h, "thanh toán trực tuyến", [1, 2], -1)]
    again.close()
    # ...but another database hashes the same id differently.
    other = UsageLog.open(tmp_path / "other.sqlite")
    assert other.hash_user(RAW_ID) != h
    other.close()


def test_stats_today_week_share_median_topics_votes(tmp_path: Path) -> None:
    log = UsageLog.open(tmp_path / "u.sqlite", salt="s")
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
    log = UsageLog.open(":memory:", salt="s")
    for q in ("Giá vàng", "giá  vàng", "GIÁ VÀNG", "thời tiết"):
        log.log_question(1, q, answered=False, latency_ms=1)
    log.log_question(1, "thanh toán", answered=True, latency_ms=1)
    assert log.unanswered(limit=5) == [("Giá vàng", 3), ("thời tiết", 1)]
    log.close()


def test_vote_must_be_plus_or_minus_one() -> None:
    log = UsageLog.open(":memory:")
    with pytest.raises(ValueError):
        log.log_feedback(1, "q", [1], 0)
    log.close()


def test_usage_db_lives_beside_the_index() -> None:
    assert default_usage_path(Path("/data/cchc/knowledge.db")) == Path("/data/cchc/knowledge.usage.sqlite")
