"""Smoke run of the benchmarks: the generator on 2 provinces × 1 year, then the whole harness
(build, latency beside the FTS5 baseline, end to end on the fake Bot API server, cold start,
peak RSS) with a handful of questions. Checks the table, not the speed: CI machines vary."""

from __future__ import annotations

import math
import re
import sqlite3
import sys
from pathlib import Path

import pytest

from benchmarks import generate as gen
from benchmarks import harness as h
from benchmarks.run import Options, run_benchmarks
from knowledge.documents import split_front_matter
from knowledge.provinces import province_records

pytestmark = pytest.mark.slow  # runs the benchmark harness


def test_generator_writes_realistic_documents(tmp_path: Path) -> None:
    out = tmp_path / "kb"
    report = gen.generate(out, provinces=2, years=1, copies=1, seed=3)
    templates = gen.load_templates()
    files = sorted(p for p in out.rglob("*.txt"))
    assert report.documents == len(files) == 2 * len(templates)
    current = [r.name for r in province_records() if not r.legacy][:2]
    assert report.provinces == current
    numbers = set()
    for path in files:
        fields, body = split_front_matter(path.read_text(encoding="utf-8"), path.name)
        assert fields["province"] in current
        assert re.fullmatch(r"\d+/\S+", fields["document"])
        assert fields["issued"].startswith(str(gen.DEFAULT_LAST_YEAR))
        numbers.add(fields["document"].split("/")[0])
        assert body.strip()
    assert len(numbers) == len(files), "document numbers must be unique"
    # Same seed, same files; a marked folder is replaced, not appended to.
    first = {p.name: p.read_bytes() for p in files}
    gen.generate(out, provinces=2, years=1, copies=1, seed=3)
    assert {p.name: p.read_bytes() for p in out.rglob("*.txt")} == first


def test_generator_rewrites_province_years_and_figures() -> None:
    replace = gen.province_replacer("Thanh Hóa", "Hồ Chí Minh")
    assert replace("UBND tỉnh Thanh Hoá; TỈNH THANH HÓA") == "UBND thành phố Hồ Chí Minh; THÀNH PHỐ HỒ CHÍ MINH"
    assert gen.shift_years("giai đoạn 2021-2025, Nghị quyết 76/2021/NQ-CP", 2) == \
        "giai đoạn 2023-2027, Nghị quyết 76/2021/NQ-CP"
    import random

    varied = gen.vary_percentages("đạt 80% hồ sơ, 2025 năm", random.Random(1))
    assert varied.endswith("% hồ sơ, 2025 năm") and varied != "đạt 80% hồ sơ, 2025 năm"


def test_harness_smoke(tmp_path: Path) -> None:
    kb_dir = tmp_path / "kb"
    gen.generate(kb_dir, provinces=2, years=1, seed=1)
    report = run_benchmarks(Options(out=tmp_path / "out", knowledge=kb_dir, questions=12, e2e=6, cold_runs=1),
                            log=False)
    metrics = [r.metric for r in report.rows]
    for prefix in ("knowledge base", "index build rate", "database size", "question latency median",
                   "question latency p95", "question latency p99", "plain FTS5 latency median",
                   "plain FTS5 latency p99", "engine / baseline, median", "engine / baseline, p99",
                   "end-to-end answered questions/s", "cold start", "peak RSS"):
        assert any(m.startswith(prefix) for m in metrics), (prefix, metrics)

    def number(prefix: str) -> float:
        value = report.row(prefix).number
        assert value is not None and not math.isnan(value), prefix
        return value

    assert 500 < number("knowledge base") < 20000  # clauses: 2 provinces × the shipped plans (26, some long)
    assert number("index build rate") > 0
    assert 0 < number("question latency median") <= number("question latency p99") < 5000
    assert 0 < number("plain FTS5 latency median") < 5000
    assert number("end-to-end answered questions/s") > 0
    assert report.row("end-to-end").value.split("(")[1].startswith("6/6")
    # The bot's CPU per answer (fake server in its own process): the figure load changes least.
    cpu = re.search(r"bot CPU ([\d.]+) ms per answer", report.row("end-to-end").value)
    assert cpu is not None and float(cpu.group(1)) > 0
    assert 0 < number("cold start") < 30
    # Both starts: as installed (the project compiled) and with no bytecode at all.
    assert 0 < number("cold start without any bytecode") < 60
    assert 20 < number("peak RSS") < 4000
    # The goals are for ~100,000 clauses: a tiny run prints figures, not verdicts.
    assert all(r.status == "" for r in report.rows)
    assert any("no verdicts" in n for n in report.notes)

    md = h.render_markdown(report.rows).splitlines()
    assert md[0] == "| metric | value | goal | status |"
    assert len(md) == len(report.rows) + 2
    text = h.render_text(report.rows)
    assert "question latency median" in text


def test_compile_project_writes_the_projects_bytecode() -> None:
    """The cold start measured as installed reads compiled modules, even where the machine sets
    PYTHONDONTWRITEBYTECODE (as this one does) and imports would write none."""
    import importlib.util

    source = h.ROOT / "knowledge" / "base.py"
    cached = Path(importlib.util.cache_from_source(str(source)))
    cached.unlink(missing_ok=True)
    h.compile_project()
    assert cached.exists() and cached.stat().st_mtime >= source.stat().st_mtime


def test_questions_mix_every_kind(tmp_path: Path) -> None:
    from knowledge import build_index

    kb_dir = tmp_path / "kb"
    gen.generate(kb_dir, provinces=1, years=1, copies=1, seed=2)
    db = tmp_path / "kb.db"
    build_index(kb_dir, db)
    questions = h.make_questions(db, 30, seed=5)
    assert len(questions) == 30
    assert {q.kind for q in questions} == set(h.KINDS)
    assert all(q.text.strip() for q in questions)
    assert all(q.clause_text is None for q in questions if q.kind == "out_of_scope")
    assert h.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert h.percentile([1.0, 2.0, 3.0, 4.0], 99) == 4.0


def test_peak_rss_is_the_childs_own_not_the_parents(tmp_path: Path) -> None:
    # The parent holds 300 MB when it starts the child: a child forked from it would report at
    # least that (Linux carries the high-water mark through fork and exec).
    ballast = bytearray(300 * 1024 * 1024)
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    m = h.run_measured([sys.executable, "-c", "x = bytearray(40 * 1024 * 1024); print(len(x))"])
    del ballast
    assert m.returncode == 0 and m.stdout.strip() == str(40 * 1024 * 1024)
    assert 40 <= m.max_rss_mb < 150, m.max_rss_mb
    assert m.seconds > 0


def test_distinct_generator_does_not_repeat_clauses(tmp_path: Path) -> None:
    from knowledge import build_index

    shares = {}
    for distinct in (False, True):
        kb_dir = tmp_path / f"kb-{distinct}"
        gen.generate(kb_dir, provinces=2, years=1, copies=2, seed=4, distinct=distinct)
        db = tmp_path / f"kb-{distinct}.db"
        build_index(kb_dir, db)
        conn = sqlite3.connect(db)
        total, unique = conn.execute("SELECT count(*), count(DISTINCT text) FROM clauses").fetchone()
        conn.close()
        shares[distinct] = unique / total
    assert shares[False] < 0.8
    assert shares[True] > 0.8


@pytest.mark.skipif(not (h.peer_installed("tantivy") and h.peer_installed("bm25s")),
                    reason="benchmark-only peers not installed (pip install -e '.[bench]')")
def test_peers_answer_the_same_questions(tmp_path: Path) -> None:
    from knowledge import build_index

    kb_dir = tmp_path / "kb"
    gen.generate(kb_dir, provinces=1, years=1, copies=1, seed=2)
    db = tmp_path / "kb.db"
    build_index(kb_dir, db)
    questions = h.make_questions(db, 36, seed=5)
    for peer in h.PEERS:
        r = h.run_peer(peer, db, questions, tmp_path)
        assert r.clauses > 100 and r.build_seconds > 0 and r.index_bytes > 0
        assert r.latency.n == len(questions)
        assert 0 < r.hit_at_3 <= 1  # questions are spans of clause text: a BM25 engine finds some
        assert r.refused_out_of_scope < 1  # a peer answers whatever shares a word
        assert 5 < r.rss_mb < 1000 and set(r.hits_by_kind) == set(h.KINDS) - {"out_of_scope"}


def test_growth_shapes_sizes_from_one_copy() -> None:
    from benchmarks.growth import parse_sizes, shape

    assert parse_sizes("10000, 50k,96000") == [10_000, 50_000, 96_000]
    # As many provinces as there are (34), then years, copies last; the product comes closest.
    assert shape(10_000, 1703) == (6, 1, 1)
    assert shape(96_000, 1703) == (28, 2, 1)
    p, y, c = shape(250_000, 1703)
    assert p <= 34 and c == 1 and abs(p * y * c * 1703 - 250_000) < 1703
    assert shape(10, 1703) == (1, 1, 1)


def test_growth_table_smoke(tmp_path: Path) -> None:
    from benchmarks.growth import growth_markdown, run_growth, steps_json

    peers = ("tantivy",) if h.peer_installed("tantivy") else ()
    steps = run_growth([1, 3000], tmp_path / "growth", peers=peers, questions=12, log=False)
    assert [(s.provinces, s.years, s.copies) for s in steps] == [(1, 1, 1), (2, 1, 1)]
    engines = [s.report.engine for s in steps]
    assert all(e is not None for e in engines)
    small, large = (e.clauses for e in engines if e is not None)
    assert large == 2 * small  # two provinces: twice the clauses of one
    table = growth_markdown(steps).splitlines()
    assert table[0].startswith("| clauses | system | build clauses/s")
    rows = [line for line in table[2:] if "| engine |" in line]
    assert len(rows) == 2 and all("n/a" not in r for r in rows)
    assert len(table) == 2 + len(steps) * (1 + 2 * len(peers))  # engine, each peer, each ratio
    assert all(len(s["peers"]) == len(peers) for s in steps_json(steps))  # type: ignore[arg-type]
    assert not (tmp_path / "growth" / "size-1").exists()  # a size's plans and index are removed
