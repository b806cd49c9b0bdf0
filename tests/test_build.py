"""Index building: atomic replacement, staleness by content hash, bad documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from knowledge import DocumentError, KnowledgeBase, build_index, ensure_index
from knowledge.build import is_stale

PLAN = """---
title: Kế hoạch cải cách hành chính tỉnh Quảng Trị năm 2024
province: Quảng Trị
document: 77/KH-UBND
issued: 2024-01-05
---
I. MỤC TIÊU
Các chỉ tiêu chủ yếu năm 2024:
1. Tối thiểu 95% hồ sơ thủ tục hành chính được giải quyết đúng hạn.
2. 100% cơ quan hành chính cấp tỉnh áp dụng chữ ký số chuyên dùng.
"""


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    d = tmp_path / "plans"
    d.mkdir()
    (d / "quangtri.txt").write_text(PLAN, encoding="utf-8")
    return d


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_build_and_search_a_new_document(plans: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    report = build_index(plans, db)
    assert (report.documents, report.targets) == (1, 2) and report.clauses >= 2
    kb = KnowledgeBase.open(db)
    hit = kb.search("ho so thu tuc hanh chinh giai quyet dung han").results[0]
    assert "95%" in hit.text and hit.meta.document == "77/KH-UBND" and hit.meta.province == "Quảng Trị"
    assert hit.targets[0].value == 95.0 and hit.targets[0].deadline == "2024"
    kb.close()


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_staleness_follows_content(plans: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    assert ensure_index(plans, db) is not None
    assert ensure_index(plans, db) is None  # unchanged: nothing to do
    (plans / "quangtri.txt").write_text(PLAN.replace("95%", "97%"), encoding="utf-8")
    assert is_stale(plans, db)
    ensure_index(plans, db)
    assert "97%" in KnowledgeBase.open(db).search("giải quyết đúng hạn").results[0].text


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
@pytest.mark.parametrize(("name", "content"), [
    ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 50),
    ("cp1258.txt", "Kế hoạch cải cách hành chính".encode("cp1258", errors="replace") + b"\xd2\xde"),
    ("empty.txt", b""),
    ("broken.md", b"---\ntitle: no end\n\nText"),
])
def test_bad_document_leaves_the_old_index_untouched(plans: Path, tmp_path: Path, name: str, content: bytes) -> None:
    db = tmp_path / "kb.db"
    build_index(plans, db)
    before = db.read_bytes()
    (plans / name).write_bytes(content)
    with pytest.raises(DocumentError) as err:
        build_index(plans, db)
    assert name in str(err.value) and err.value.reason
    assert db.read_bytes() == before  # the old index still serves
    assert not list(tmp_path.glob("*.building"))
    report = build_index(plans, db, skip_bad=True)
    assert report.documents == 1 and [e.path for e in report.errors][0].endswith(name)


def test_shipped_plans_build(shipped_build: tuple[Path, Any]) -> None:
    src = Path(__file__).resolve().parent.parent / "knowledge" / "plans"
    _, report = shipped_build   # the session's one build of the shipped plans
    shipped = len([p for p in src.iterdir() if p.suffix in (".txt", ".md", ".docx", ".pdf")])
    assert report.documents == shipped >= 26 and report.clauses > 1000 and report.targets > 200 and report.tasks > 100


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_plans_without_any_target_still_build(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "a.txt").write_text("---\nprovince: Quảng Trị\ndocument: 5/KH-UBND\n---\n"
                                 "Tăng cường công tác tuyên truyền về cải cách hành chính trên địa bàn tỉnh.\n",
                                 encoding="utf-8")
    report = build_index(plans, tmp_path / "kb.db")
    assert report.targets == 0 and report.clauses == 1
    assert KnowledgeBase.open(tmp_path / "kb.db").search("tuyên truyền cải cách hành chính").answered


def _index_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return {q: conn.execute(q).fetchall() for q in (
            "SELECT * FROM clauses ORDER BY id", "SELECT * FROM targets ORDER BY id", "SELECT * FROM tasks ORDER BY id",
            "SELECT * FROM documents ORDER BY id", "SELECT term, doc FROM vocab ORDER BY term",
            "SELECT key, value FROM meta WHERE key != 'built_at' ORDER BY key",
            "SELECT rowid, bm25(clauses_fts) FROM clauses_fts WHERE clauses_fts MATCH 'hanh_chinh' ORDER BY rowid")}
    finally:
        conn.close()


SHIPPED = Path(__file__).resolve().parent.parent / "knowledge" / "plans"


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_a_build_in_worker_processes_writes_the_same_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from knowledge import build

    steps: list[str] = []
    build_index(SHIPPED, tmp_path / "serial.db")
    monkeypatch.setattr(build, "PARALLEL_MIN_CHARS", 0)  # the shipped plans are small: force the pool
    assert build.build_workers(1) == max(1, os.cpu_count() or 1)
    report = build_index(SHIPPED, tmp_path / "pool.db", progress=lambda stage, done, total: steps.append(stage))
    # The vocabulary file the workers read is gone with the build: only the two indexes are left.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pool.db", "serial.db"]
    assert report.clauses > 100
    serial, pooled = _index_rows(tmp_path / "serial.db"), _index_rows(tmp_path / "pool.db")
    for query in serial:
        assert pooled[query] == serial[query], query
    assert steps.count("split") == report.documents  # progress after every document, as before


def test_build_workers_comes_from_the_setting_and_one_means_no_pool(
        plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 14: BUILD_WORKERS (read in bot.py) sets how many processes a large build uses, for
    `bot.py index`, the start-up build and /reload alike; unset or not a positive number, one per
    core (with a warning for the latter); 1 builds in the calling process, no pool started."""
    import os

    import bot
    from knowledge import build
    from knowledge.limits import Limits

    assert bot.build_limits({"BUILD_WORKERS": "3"}).build_workers == 3
    assert bot.build_limits({}).build_workers == 0
    assert bot.build_limits({"BUILD_WORKERS": "nhiều"}).build_workers == 0
    assert "BUILD_WORKERS" in capsys.readouterr().err
    assert bot.read_settings({"BUILD_WORKERS": "1"}).limits.build_workers == 1
    monkeypatch.setattr(build, "PARALLEL_MIN_CHARS", 0)  # every build is "large"
    assert build.build_workers(1, 3) == 3 and build.build_workers(1, 0) == max(1, os.cpu_count() or 1)
    started: list[int] = []
    monkeypatch.setattr(build, "_pool", lambda workers, *init: started.append(workers))
    report = build_index(plans, tmp_path / "one.db", limits=Limits(build_workers=1))
    assert report.clauses > 0 and started == []
    # Two asked for: one pool of two, for the documents and then the texts (each worker starts
    # once; the stand-in gives none, so the build then goes on in this process).
    build_index(plans, tmp_path / "two.db", limits=Limits(build_workers=2))
    assert started == [2]


def test_a_worker_takes_the_parents_province_records(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14: a build's workers get the parent's province records through the pool's
    initializer instead of importing vietnamadminunits again (~0.9 s CPU each)."""
    from knowledge import build, provinces
    from knowledge.provinces import ProvinceRecord, province_records

    monkeypatch.setattr(provinces, "_GIVEN_RECORDS", ())

    def library() -> tuple[ProvinceRecord, ...]:
        raise AssertionError("the library was read again")

    monkeypatch.setattr(provinces, "_library_records", library)
    given = [ProvinceRecord(name="Nghệ An", current="Nghệ An", legacy=False, aliases="")]
    build._init_worker(given)
    assert province_records() == given


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_a_context_is_stored_once_for_its_section(tmp_path: Path) -> None:
    import sqlite3

    build_index(SHIPPED, tmp_path / "kb.db")
    conn = sqlite3.connect(tmp_path / "kb.db")
    try:
        clauses, contexts = conn.execute("SELECT (SELECT count(*) FROM clause_data), (SELECT count(*) FROM contexts)"
                                         ).fetchone()
        shown = conn.execute("SELECT count(DISTINCT section || lead || context) FROM clauses").fetchone()[0]
        kinds = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE name IN ('clauses', 'vocab')"))
    finally:
        conn.close()
    assert contexts == shown < clauses  # one row per distinct context, every clause still has its own
    assert kinds == {"clauses": "view", "vocab": "table"}  # vocab: written at build, no fts5vocab scan


def test_a_build_holds_a_bounded_number_of_documents_at_once(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14: rows are written document by document, so the analysed documents alive at any
    moment stay at one or two however many the folder holds (a 695k-clause folder peaked at
    3.6 GB when every document's rows waited for one final write)."""
    import weakref

    from knowledge import build

    plans = tmp_path / "plans"
    plans.mkdir()
    for i in range(30):
        (plans / f"p{i:02}.txt").write_text(PLAN.replace("77/KH-UBND", f"{i + 1}/KH-UBND"), encoding="utf-8")
    alive: list[int] = []
    most = [0, 0]  # [most alive at once, parsed in all]
    real = build._read_and_parse

    def counted(*args: Any) -> Any:
        doc, result = real(*args)
        alive.append(1)
        weakref.finalize(result, alive.pop)
        most[0], most[1] = max(most[0], len(alive)), most[1] + 1
        return doc, result

    monkeypatch.setattr(build, "_read_and_parse", counted)
    report = build_index(plans, tmp_path / "kb.db")
    assert report.documents == most[1] == 30 and report.clauses == 90
    assert most[0] <= 2


def test_bounded_map_keeps_order_and_never_runs_more_than_its_window_ahead() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from knowledge.build import bounded_map

    taken = [0]

    def items() -> Any:
        for i in range(50):
            taken[0] += 1
            yield (i,)

    ahead: list[int] = []
    with ThreadPoolExecutor(3) as pool:
        got = []
        for done, value in enumerate(bounded_map(pool, lambda x: x * x, items(), window=5), start=1):
            got.append(value)
            ahead.append(taken[0] - done)
    assert got == [i * i for i in range(50)]
    assert max(ahead) <= 4 and taken[0] == 50  # Executor.map would have taken all 50 at once
    assert list(bounded_map(None, lambda x: x + 1, [(1,), (2,)], window=5)) == [2, 3]


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_the_full_text_write_gives_the_same_index_however_it_is_segmented(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14 (build): FTS5 gathers `store.FTS_HASH_BYTES` of terms before it writes a segment.
    A build flushing after every 4 KB (many segments, merged as it goes) and one writing a single
    segment give the same rows, bm25 scores and vocabulary; copies of one document (raw contexts
    alike across files, no longer deduplicated as they are written) share their contexts."""
    import shutil
    import sqlite3

    from knowledge import store

    plans = tmp_path / "plans"
    shutil.copytree(SHIPPED, plans)
    first = sorted(plans.rglob("*.txt"))[0]
    copy = first.with_name("copy-" + first.name)
    shutil.copy(first, copy)
    found = {}
    for hash_bytes in (store.FTS_HASH_BYTES, 4096):
        monkeypatch.setattr(store, "FTS_HASH_BYTES", hash_bytes)
        build_index(plans, tmp_path / f"{hash_bytes}.db")
        found[hash_bytes] = _index_rows(tmp_path / f"{hash_bytes}.db")
    for query, rows in found[4096].items():
        assert rows == found[store.FTS_HASH_BYTES][query], query
    with sqlite3.connect(tmp_path / "4096.db") as conn:
        a, b = (conn.execute("SELECT group_concat(context_id) FROM (SELECT c.context_id FROM clause_data c"
                             " JOIN documents d ON d.id = c.doc_id WHERE d.file = ? ORDER BY c.ordinal)",
                             (f.relative_to(plans).as_posix(),)).fetchone()[0] for f in (first, copy))
    assert a and a == b


def test_a_new_index_is_vacuumed_only_when_pages_were_freed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14 (build): a fresh index written in order has no free page, and a VACUUM of it copied
    the whole file for nothing; one that freed pages (FTS5 merging segments of a large build) is
    still vacuumed, so no finished index keeps free pages."""
    import sqlite3

    from knowledge import store

    real_connect = sqlite3.connect
    statements: list[str] = []

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(store.sqlite3, "connect", traced)
    ran = {}
    for freed in (False, True):
        statements.clear()
        path = tmp_path / f"{freed}.db"
        with store.new_index(path) as db:
            db.execute("CREATE TABLE t (x TEXT)")
            db.conn.executemany("INSERT INTO t VALUES (?)", (("x" * 2000,) for _ in range(200)))
            if freed:
                db.execute("DELETE FROM t WHERE rowid > 20")
        ran[freed] = "VACUUM" in statements
        with real_connect(path) as conn:
            assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
            assert conn.execute("PRAGMA page_size").fetchone()[0] == store.PAGE_SIZE
            assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == (20 if freed else 200)
    assert ran == {False: False, True: True}
