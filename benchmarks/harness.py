"""The measurements behind benchmarks/run.py and benchmarks/bench_search.py.

Each function measures one thing and returns plain numbers; `Row`, `render_text` and
`render_markdown` turn them into the table. Everything runs on this machine only: the end-to-end
figure talks to the fake Bot API server (tests/fakebotapi.py) on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
for _p in (ROOT, TESTS):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from knowledge import KnowledgeBase  # noqa: E402
from knowledge.text import fold  # noqa: E402

# Questions the plans cannot answer: the bot must refuse them (fixed, mixed accents).
OUT_OF_SCOPE = [
    "thời tiết Hà Nội ngày mai thế nào", "giá vàng hôm nay bao nhiêu", "cách nấu phở bò ngon",
    "kết quả bóng đá ngoại hạng Anh", "lịch chiếu phim cuối tuần", "gia xang dau hom nay",
    "cach lam banh chung ngay tet", "tỷ giá đô la Mỹ hôm nay", "bài hát mới nhất của Sơn Tùng",
    "mua điện thoại iphone ở đâu rẻ", "cong thuc nau bun bo", "xổ số miền Bắc hôm nay",
    "lich thi dau world cup", "cách chữa đau đầu nhanh", "du lich da lat mua nao dep",
    "giá nhà đất quận 7", "hướng dẫn chơi cờ vua cho người mới", "review xe máy vision",
    "thoi tiet sai gon hom nay", "cách trồng hoa hồng leo", "phim hàn quốc hay nhất",
    "lãi suất tiết kiệm ngân hàng", "cach giam can nhanh", "mẹo học tiếng anh giao tiếp",
    "what is the weather today", "how to cook pasta", "ai vô địch euro", "giá bitcoin bây giờ",
    "nhà hàng hải sản ngon ở Đà Nẵng", "bảng xếp hạng v-league",
]
PREFIXES = ["", "", "", "mục tiêu ", "kế hoạch nói gì về ", "cho tôi hỏi ", "chỉ tiêu ", "muc tieu "]
# The goals are set for a knowledge base of about 100,000 clauses; smaller runs print no verdict.
GOAL_SCALE = 50_000
KINDS = ("accents", "no_accents", "typo", "province", "year", "out_of_scope")
_WORD = re.compile(r"\w+(?:[.,]\d+)*%?")
TOKEN = "123456789:AAH-bench-token-0123456789abcdef"


# --- questions -----------------------------------------------------------------------------------

@dataclass
class Question:
    """One benchmark question and where it came from (clause text None for out-of-scope)."""

    text: str
    kind: str
    clause_text: str | None = None


def typo(word: str, rng: random.Random) -> str:
    """`word` with one slip of the keyboard: a letter dropped, doubled, swapped or replaced."""
    i = rng.randint(1, len(word) - 2)
    op = rng.choice(("drop", "double", "swap", "replace"))
    if op == "drop":
        out = word[:i] + word[i + 1:]
    elif op == "double":
        out = word[:i] + word[i] + word[i:]
    elif op == "swap":
        out = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    else:
        out = word[:i] + rng.choice("aeioudhnt".replace(word[i], "")) + word[i + 1:]
    return out if out != word else word[:i] + word[i + 1:]


def _span(text: str, rng: random.Random) -> str | None:
    """4-7 consecutive words of a clause (at least three with letters), as the clause has them."""
    ws = _WORD.findall(text)
    if len(ws) < 5:
        return None
    for _ in range(8):
        k = rng.randint(4, min(7, len(ws)))
        start = rng.randint(0, max(0, min(len(ws) - k, int(len(ws) * 0.6))))
        chunk = ws[start:start + k]
        if sum(1 for w in chunk if w.isalpha()) >= 3:
            return " ".join(chunk)
    return None


def make_questions(db: Path, n: int, *, seed: int = 7) -> list[Question]:
    """A mixed question set: spans of real clause text of the index at `db`, asked with accents,
    without, with a typo, with the document's province or year, plus fixed out-of-scope ones;
    the six kinds in equal shares, shuffled."""
    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        ids = [r[0] for r in conn.execute("SELECT id FROM clauses WHERE length(text) >= 60 ORDER BY id")]
        if not ids:
            ids = [r[0] for r in conn.execute("SELECT id FROM clauses ORDER BY id")]
        picks = rng.sample(ids, min(len(ids), n)) if len(ids) >= n else [rng.choice(ids) for _ in range(n)]
        rows = {}
        for i in range(0, len(picks), 500):
            chunk = picks[i:i + 500]
            rows.update({r[0]: r[1:] for r in conn.execute(
                f"SELECT c.id, c.text, d.province, d.issued FROM clauses c JOIN documents d ON d.id = c.doc_id "
                f"WHERE c.id IN ({','.join('?' * len(chunk))})", chunk)})
    finally:
        conn.close()
    out: list[Question] = []
    oos = 0
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        if kind == "out_of_scope":
            out.append(Question(OUT_OF_SCOPE[oos % len(OUT_OF_SCOPE)], kind))
            oos += 1
            continue
        text, province, issued = rows[picks[i % len(picks)]]
        span = _span(text, rng)
        if span is None:
            span = " ".join(_WORD.findall(text)) or text
        prefix = rng.choice(PREFIXES)
        if kind == "accents":
            q = prefix + span
        elif kind == "no_accents":
            q = fold(prefix + span)
        elif kind == "typo":
            words = fold(span).split()
            long = [j for j, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
            if long:
                j = rng.choice(long)
                words[j] = typo(words[j], rng)
            q = f"{fold(prefix)} {' '.join(words)}"
        elif kind == "province":
            where = province or "Hà Nội"
            q = f"{prefix}{span} {where}" if rng.random() < 0.5 else fold(f"{where} {prefix}{span}")
        else:
            year = (issued or "2025")[:4]
            q = f"{prefix}{span} năm {year}" if rng.random() < 0.5 else fold(f"{prefix}{span} nam {year}")
        out.append(Question(" ".join(q.split()), kind, text))
    rng.shuffle(out)
    return out


# --- statistics and table ------------------------------------------------------------------------

def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of `values`."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


@dataclass
class Stats:
    """Latency summary in milliseconds."""

    n: int
    median: float
    p95: float
    p99: float
    mean: float
    max: float

    @classmethod
    def of(cls, ms: Sequence[float]) -> Stats:
        """Summarize a list of latencies (ms)."""
        if not ms:
            nan = float("nan")
            return cls(0, nan, nan, nan, nan, nan)
        return cls(len(ms), statistics.median(ms), percentile(ms, 95), percentile(ms, 99),
                   statistics.fmean(ms), max(ms))


@dataclass
class Row:
    """One line of the result table."""

    metric: str
    value: str
    goal: str = ""
    met: bool | None = None  # None: no goal
    number: float | None = None  # the headline figure, for JSON and tests (ms, MB, s, /s…)

    @property
    def status(self) -> str:
        """"met", "MISSED" or "" (no goal)."""
        return "" if self.met is None else ("met" if self.met else "MISSED")


def _cells(rows: Sequence[Row]) -> list[list[str]]:
    return [["metric", "value", "goal", "status"]] + [[r.metric, r.value, r.goal, r.status] for r in rows]


def render_text(rows: Sequence[Row]) -> str:
    """The table in aligned plain text."""
    cells = _cells(rows)
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    lines = ["  ".join(c[i].ljust(widths[i]) for i in range(4)).rstrip() for c in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_markdown(rows: Sequence[Row]) -> str:
    """The table as GitHub Markdown (for the README)."""
    cells = _cells(rows)
    out = ["| " + " | ".join(cells[0]) + " |", "| --- | ---: | --- | --- |"]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells[1:]]
    return "\n".join(out)


# --- subprocesses with their own peak RSS ----------------------------------------------------------

@dataclass
class Measured:
    """A finished subprocess: exit code, wall time, peak RSS and what it printed."""

    returncode: int
    seconds: float
    max_rss_mb: float
    stdout: str
    stderr: str


def run_measured(cmd: Sequence[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None,
                 keep_stdout: bool = True) -> Measured:
    """Run `cmd` and return its wall time and its own peak RSS. It is started by a small fresh
    launcher (benchmarks/rss.py), not by this process: Linux hands a parent's high-water mark to
    what it forks, even across exec, so a child of the benchmark (which holds a built index and
    a question set) would report the benchmark's peak instead of its own."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "rss.json"
        launcher = [sys.executable, "-I", str(ROOT / "benchmarks" / "rss.py"), str(report), "--"]
        proc = subprocess.run([*launcher, *cmd], cwd=cwd, env=env, stdout=out if keep_stdout else subprocess.DEVNULL,
                              stderr=err, stdin=subprocess.DEVNULL, check=False)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
        if not report.exists():
            return Measured(proc.returncode, float("nan"), float("nan"), stdout, stderr)
        r = json.loads(report.read_text())
        # ru_maxrss is in KiB on Linux.
        return Measured(r["returncode"], r["seconds"], r["max_rss_kb"] / 1024, stdout, stderr)


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


# --- index build ----------------------------------------------------------------------------------

@dataclass
class BuildResult:
    """One index build, in a fresh process."""

    documents: int
    clauses: int
    targets: int
    seconds: float  # build_index's own time
    wall_seconds: float  # process start to exit
    max_rss_mb: float
    db_bytes: int

    @property
    def clauses_per_second(self) -> float:
        """Build throughput."""
        return self.clauses / self.seconds if self.seconds else 0.0


_BUILD = """
import json, sys
from pathlib import Path
from knowledge import build_index
r = build_index(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps({"documents": r.documents, "clauses": r.clauses, "targets": r.targets, "seconds": r.seconds}))
"""


def build(knowledge: Path, db: Path) -> BuildResult:
    """Build the index of `knowledge` into `db` with `knowledge.build_index` in a new process."""
    m = run_measured([sys.executable, "-c", _BUILD, str(knowledge), str(db)], env=_child_env())
    if m.returncode != 0:
        raise RuntimeError(f"index build failed:\n{m.stderr[-2000:]}")
    r = json.loads(m.stdout.strip().splitlines()[-1])
    return BuildResult(r["documents"], r["clauses"], r["targets"], r["seconds"], m.seconds, m.max_rss_mb,
                       db.stat().st_size)


# --- the plain FTS5 baseline ------------------------------------------------------------------------

class Baseline:
    """What a plain SQLite FTS5 search would do: clauses.text in an FTS5 table with the stock
    `unicode61 remove_diacritics 2` tokenizer, the question's words OR-ed, bm25 order, top 3."""

    def __init__(self, index_db: Path, path: Path) -> None:
        started = time.perf_counter()
        path.unlink(missing_ok=True)
        conn = sqlite3.connect(path)
        conn.execute("CREATE VIRTUAL TABLE plain USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')")
        conn.execute("ATTACH DATABASE ? AS kb", (f"file:{index_db}?mode=ro",))
        conn.execute("INSERT INTO plain (rowid, text) SELECT id, text FROM kb.clauses")
        conn.commit()
        conn.execute("DETACH DATABASE kb")
        self.build_seconds = time.perf_counter() - started
        self.path = path
        self.conn = conn

    @staticmethod
    def match(question: str) -> str:
        """The FTS5 query: every word of the question, quoted, OR-ed."""
        return " OR ".join(f'"{w}"' for w in dict.fromkeys(_WORD.findall(question.lower())))

    def search(self, question: str, top: int = 3) -> list[str]:
        """Texts of the top clauses."""
        query = self.match(question)
        if not query:
            return []
        rows = self.conn.execute("SELECT text FROM plain WHERE plain MATCH ? ORDER BY rank LIMIT ?",
                                 (query, top)).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        """Close and delete the baseline database."""
        self.conn.close()
        self.path.unlink(missing_ok=True)


# --- in-process latency ---------------------------------------------------------------------------

@dataclass
class LatencyResult:
    """Per-question latencies of the engine and the baseline over the same questions."""

    engine: Stats
    baseline: Stats
    by_kind: dict[str, tuple[Stats, Stats]] = field(default_factory=dict)
    answered_in_scope: float = 0.0  # share of in-scope questions answered
    hit_at_3: float = 0.0  # share of in-scope questions with the source clause's text in the top 3
    baseline_hit_at_3: float = 0.0
    refused_out_of_scope: float = 0.0
    slowest: list[tuple[float, str, str]] = field(default_factory=list)  # (ms, kind, question)
    hits_by_kind: dict[str, float] = field(default_factory=dict)  # engine: hit@3 per question kind


def _norm(text: str) -> str:
    return " ".join(text.split())


def measure_latency(kb: KnowledgeBase, baseline: Baseline | None, questions: Sequence[Question], *,
                    warmup: int = 20, clock: Callable[[], int] = time.perf_counter_ns) -> LatencyResult:
    """Time `kb.search(q, top=3)` for every question, then the baseline query for every question
    (two passes, each after its own warm-up: interleaving them let the baseline's scans of whole
    posting lists evict the engine's cache lines and pages, which no production bot would pay).
    `clock` in nanoseconds: wall time, or `time.process_time_ns` for CPU time on a loaded machine."""
    eng: dict[str, list[float]] = {k: [] for k in KINDS}
    base: dict[str, list[float]] = {k: [] for k in KINDS}
    answered = hits = base_hits = in_scope = refused = oos = 0
    kind_hits: dict[str, list[bool]] = {k: [] for k in KINDS}
    slowest: list[tuple[float, str, str]] = []
    for q in questions[:warmup]:
        kb.search(q.text, top=3)
    for q in questions:
        t0 = clock()
        answer = kb.search(q.text, top=3)
        t1 = clock()
        ms = (t1 - t0) / 1e6
        eng[q.kind].append(ms)
        slowest.append((ms, q.kind, q.text))
        if q.clause_text is None:
            oos += 1
            refused += not answer.answered
            continue
        in_scope += 1
        answered += answer.answered
        want = _norm(q.clause_text)
        hit = any(_norm(r.text) == want for r in answer.results)
        hits += hit
        kind_hits[q.kind].append(hit)
    if baseline is not None:
        for q in questions[:warmup]:
            baseline.search(q.text)
        for q in questions:
            t0 = clock()
            texts = baseline.search(q.text)
            t1 = clock()
            base[q.kind].append((t1 - t0) / 1e6)
            if q.clause_text is not None:
                want = _norm(q.clause_text)
                base_hits += any(_norm(t) == want for t in texts)
    all_eng = [x for v in eng.values() for x in v]
    all_base = [x for v in base.values() for x in v]
    slowest.sort(reverse=True)
    return LatencyResult(
        engine=Stats.of(all_eng), baseline=Stats.of(all_base),
        by_kind={k: (Stats.of(eng[k]), Stats.of(base[k])) for k in KINDS if eng[k]},
        answered_in_scope=answered / in_scope if in_scope else float("nan"),
        hit_at_3=hits / in_scope if in_scope else float("nan"),
        baseline_hit_at_3=base_hits / in_scope if in_scope and baseline is not None else float("nan"),
        refused_out_of_scope=refused / oos if oos else float("nan"),
        slowest=slowest[:10],
        hits_by_kind={k: sum(v) / len(v) for k, v in kind_hits.items() if v},
    )


# --- peers: tantivy and bm25s on the same clauses and questions -------------------------------------

PEERS = ("tantivy", "bm25s")


@dataclass
class PeerResult:
    """One peer engine, built and asked in processes of its own (benchmarks/peers.py)."""

    peer: str
    clauses: int
    build_seconds: float
    index_bytes: int
    build_rss_mb: float
    rss_mb: float  # peak RSS of the process answering the questions
    latency: Stats
    by_kind: dict[str, Stats] = field(default_factory=dict)
    hits_by_kind: dict[str, float] = field(default_factory=dict)
    hit_at_3: float = float("nan")
    refused_out_of_scope: float = float("nan")

    @property
    def clauses_per_second(self) -> float:
        """Build throughput."""
        return self.clauses / self.build_seconds if self.build_seconds else 0.0


def peer_installed(peer: str) -> bool:
    """Is the peer's package importable (`pip install -e ".[bench]"`)?"""
    import importlib.util

    return importlib.util.find_spec(peer) is not None


def _clause_texts(db: Path, ids: set[int]) -> dict[int, str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        wanted = sorted(ids)
        out: dict[int, str] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            out.update(conn.execute(f"SELECT id, text FROM clauses WHERE id IN ({','.join('?' * len(chunk))})",
                                    chunk).fetchall())
    finally:
        conn.close()
    return out


def run_peer(peer: str, db: Path, questions: Sequence[Question], workdir: Path) -> PeerResult:
    """Build `peer` over the clauses of `db` in one fresh process, ask it every question in
    another, and score its answers the way the engine's are scored (source clause's exact text
    in the top 3; out of scope refused when nothing comes back)."""
    script = str(ROOT / "benchmarks" / "peers.py")
    folder = workdir / f"peer-{peer}"
    b = run_measured([sys.executable, script, "build", peer, "--db", str(db), "--workdir", str(folder)])
    if b.returncode != 0:
        raise RuntimeError(f"{peer} build failed:\n{b.stderr[-2000:]}")
    built = json.loads(b.stdout.strip().splitlines()[-1])
    qpath = workdir / f"peer-{peer}-questions.json"
    qpath.write_text(json.dumps([q.text for q in questions], ensure_ascii=False), encoding="utf-8")
    a = run_measured([sys.executable, script, "ask", peer, "--workdir", str(folder), "--questions", str(qpath)])
    if a.returncode != 0:
        raise RuntimeError(f"{peer} failed answering:\n{a.stderr[-2000:]}")
    answers = json.loads(a.stdout.strip().splitlines()[-1])["questions"]
    texts = _clause_texts(db, {i for ans in answers for i in ans["ids"]})
    lat: dict[str, list[float]] = {k: [] for k in KINDS}
    kind_hits: dict[str, list[bool]] = {k: [] for k in KINDS}
    refused: list[bool] = []
    for q, ans in zip(questions, answers, strict=True):
        lat[q.kind].append(ans["ms"])
        if q.clause_text is None:
            refused.append(not ans["ids"])
            continue
        want = _norm(q.clause_text)
        kind_hits[q.kind].append(any(_norm(texts.get(i, "")) == want for i in ans["ids"]))
    in_scope = [x for k, v in kind_hits.items() for x in v]
    return PeerResult(
        peer=peer, clauses=built["clauses"], build_seconds=built["build_seconds"], index_bytes=built["index_bytes"],
        build_rss_mb=b.max_rss_mb, rss_mb=a.max_rss_mb, latency=Stats.of([x for v in lat.values() for x in v]),
        by_kind={k: Stats.of(v) for k, v in lat.items() if v},
        hits_by_kind={k: sum(v) / len(v) for k, v in kind_hits.items() if v},
        hit_at_3=sum(in_scope) / len(in_scope) if in_scope else float("nan"),
        refused_out_of_scope=sum(refused) / len(refused) if refused else float("nan"),
    )


@dataclass
class EngineFigures:
    """The engine's side of the peers table, from the rest of the run."""

    clauses: int
    clauses_per_second: float
    index_bytes: int
    build_rss_mb: float
    rss_mb: float
    latency: LatencyResult


def ratio(a: float, b: float) -> str:
    """a / b as "1.23×" ("n/a" when either is missing or b is 0)."""
    return "n/a" if not b or math.isnan(a) or math.isnan(b) else f"{a / b:.2f}×"


def peers_markdown(engine: EngineFigures, peers: Sequence[PeerResult]) -> str:
    """Side by side: build rate, index size, latency, peak RSS, quality, refusal; then the
    ratios engine / peer; then hit@3 and median latency per question kind."""
    e = engine.latency.engine
    mb = 1e6
    out = ["| system | build clauses/s | build peak RSS | index size | median / p95 / p99 | peak RSS (answering)"
           " | hit@3 (in scope) | out-of-scope refused |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
           f"| this project | {engine.clauses_per_second:,.0f} | {engine.build_rss_mb:.0f} MB |"
           f" {engine.index_bytes / mb:.1f} MB | {ms(e.median)} / {ms(e.p95)} / {ms(e.p99)} |"
           f" {engine.rss_mb:.0f} MB | {share(engine.latency.hit_at_3)} |"
           f" {share(engine.latency.refused_out_of_scope)} |"]
    for p in peers:
        s = p.latency
        out.append(f"| {p.peer} | {p.clauses_per_second:,.0f} | {p.build_rss_mb:.0f} MB | {p.index_bytes / mb:.1f} MB"
                   f" | {ms(s.median)} / {ms(s.p95)} / {ms(s.p99)} | {p.rss_mb:.0f} MB | {share(p.hit_at_3)}"
                   f" | {share(p.refused_out_of_scope)} |")
    out += ["", "| engine / peer | build rate | index size | median | p99 | peak RSS | hit@3 |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for p in peers:
        out.append(f"| engine / {p.peer} | {ratio(engine.clauses_per_second, p.clauses_per_second)}"
                   f" | {ratio(engine.index_bytes, p.index_bytes)} | {ratio(e.median, p.latency.median)}"
                   f" | {ratio(e.p99, p.latency.p99)} | {ratio(engine.rss_mb, p.rss_mb)}"
                   f" | {ratio(engine.latency.hit_at_3, p.hit_at_3)} |")
    head = "| question kind | engine hit@3 | " + " | ".join(f"{p.peer} hit@3" for p in peers)
    head += " | engine median | " + " | ".join(f"{p.peer} median" for p in peers) + " |"
    out += ["", head, "| --- |" + " ---: |" * (2 + 2 * len(peers))]
    for kind in KINDS:
        if kind not in engine.latency.by_kind:
            continue
        if kind == "out_of_scope":
            quality = [share(engine.latency.refused_out_of_scope)] + [share(p.refused_out_of_scope) for p in peers]
            label = "out_of_scope (refused)"
        else:
            quality = [share(engine.latency.hits_by_kind.get(kind, float("nan")))]
            quality += [share(p.hits_by_kind.get(kind, float("nan"))) for p in peers]
            label = kind
        speed = [ms(engine.latency.by_kind[kind][0].median)]
        speed += [ms(p.by_kind[kind].median) if kind in p.by_kind else "n/a" for p in peers]
        out.append(f"| {label} | " + " | ".join(quality + speed) + " |")
    return "\n".join(out)


# --- end to end through PTB and the fake Bot API server ---------------------------------------------

@dataclass
class E2EResult:
    """Questions pushed as Telegram updates and answered through the real Application."""

    questions: int
    replied: int
    seconds: float
    messages: int
    server: str  # "own process" or "bot process"
    cpu_seconds: float = float("nan")  # the bot process's CPU time meanwhile (own-process server only)
    calls: dict[str, int] = field(default_factory=dict)  # Bot API calls per method during the run
    search_cpu_seconds: float = float("nan")  # of cpu_seconds: inside KnowledgeBase.search/suggestions
    loop_cpu_seconds: float = float("nan")  # of cpu_seconds: the event loop's thread (the rest: other threads)

    @property
    def cpu_ms_per_answer(self) -> float:
        """The bot's CPU per answered question: what load on a shared machine changes least."""
        return self.cpu_seconds * 1000 / self.replied if self.replied else float("nan")

    @property
    def per_second(self) -> float:
        """Answered questions per second."""
        return self.replied / self.seconds if self.seconds else 0.0


async def _push_and_wait(api: Any, batch: Sequence[str], first_user: int, timeout: float,
                         ) -> tuple[int, float, int, dict[str, int]]:
    """Push every question at once, each from its own user (private chat), and wait until every
    chat has its reply: (questions replied, seconds, sendMessage calls, calls per method)."""
    mark = len(api.calls)
    pending: set[int] = set()
    t0 = time.perf_counter()
    for i, text in enumerate(batch):
        user = {"id": first_user + i, "is_bot": False, "first_name": f"U{i}"}
        api.push_text(text, user=user)
        pending.add(first_user + i)
    seen = mark
    deadline = t0 + timeout
    while pending and time.perf_counter() < deadline:
        await asyncio.sleep(0.002)
        calls = api.calls
        for c in calls[seen:]:
            if c.method == "sendMessage" and c.status == 200:
                pending.discard(c.params.get("chat_id"))
        seen = len(calls)
    seconds = time.perf_counter() - t0
    messages = sum(1 for c in api.calls[mark:] if c.method == "sendMessage")
    per_method: dict[str, int] = {}
    for c in api.calls[mark:]:
        per_method[c.method] = per_method.get(c.method, 0) + 1
    per_method["getUpdates"] = api.get_updates_calls  # over the whole run, warm-up included
    return len(batch) - len(pending), seconds, messages, per_method


def _server_main(conn: Any, token: str, questions: list[str], timeout: float) -> None:
    """The fake Bot API server in a process of its own (multiprocessing target)."""
    asyncio.run(_server(conn, token, questions, timeout))


async def _server(conn: Any, token: str, questions: list[str], timeout: float) -> None:
    from fakebotapi import FakeBotAPI  # tests/fakebotapi.py

    loop = asyncio.get_running_loop()
    async with FakeBotAPI(token) as api:
        conn.send(api.port)
        await loop.run_in_executor(None, conn.recv)  # "go": the bot is polling
        await _push_and_wait(api, questions[:10], 1_000_000, timeout)  # warm-up
        conn.send(await _push_and_wait(api, questions, 2_000_000, timeout))
        await loop.run_in_executor(None, conn.recv)  # "stop": the bot has stopped polling


def _recv(conn: Any, proc: Any, timeout: float) -> Any:
    """The next message from the server process; RuntimeError if it died or went silent."""
    deadline = time.monotonic() + timeout
    while not conn.poll(0.1):
        if not proc.is_alive():
            raise RuntimeError(f"the fake Bot API server process exited (code {proc.exitcode})")
        if time.monotonic() > deadline:
            raise RuntimeError("the fake Bot API server process did not answer in time")
    return conn.recv()


class _SearchClock:
    """CPU time spent inside the knowledge base's search calls (thread time of the caller)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        clock = time.thread_time

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += clock() - t0

        return timed


async def _e2e(db: Path, questions: Sequence[str], usage_path: Path | None, timeout: float,
               separate: bool, profiler: Any = None, app_options: dict[str, Any] | None = None,
               deps_options: dict[str, Any] | None = None) -> E2EResult:
    import multiprocessing

    from fakebotapi import FakeBotAPI  # tests/fakebotapi.py

    import bot
    from handlers.deps import Deps, FloodGuard
    from knowledge.usage import UsageLog

    loop = asyncio.get_running_loop()
    kb = KnowledgeBase.open(db)
    clock = _SearchClock()
    kb.search = clock.wrap(kb.search)  # type: ignore[method-assign]
    kb.suggestions = clock.wrap(kb.suggestions)  # type: ignore[method-assign]
    usage = UsageLog.open(usage_path) if usage_path is not None else None
    # The flood guard stays in the path but cannot trigger: each question comes from its own user.
    deps = Deps(kb=kb, usage=usage, flood=FloodGuard(limit=1_000_000, window=60), **(deps_options or {}))
    api: Any = None
    proc: Any = None
    conn: Any = None
    cpu = search = loop_cpu = float("nan")
    calls: dict[str, int] = {}
    try:
        if separate:
            ctx = multiprocessing.get_context("spawn")
            conn, child = ctx.Pipe()
            proc = ctx.Process(target=_server_main, args=(child, TOKEN, list(questions), timeout), daemon=True)
            proc.start()
            port = await loop.run_in_executor(None, _recv, conn, proc, 60.0)
            base_url = f"http://127.0.0.1:{port}/bot"
        else:
            api = await FakeBotAPI(TOKEN).start()
            base_url = api.base_url
        app = bot.build_application(TOKEN, deps, base_url=base_url, throttle=False, backoff=0.05,
                                    **(app_options or {}))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=1)
            try:
                if profiler is not None:
                    profiler.enable()
                if separate:
                    # The warm-up questions are included: a rounding error.
                    cpu0, search0, loop0 = time.process_time(), clock.seconds, time.thread_time()
                    conn.send("go")
                    replied, seconds, messages, calls = await loop.run_in_executor(
                        None, _recv, conn, proc, timeout + 60)
                    cpu, search = time.process_time() - cpu0, clock.seconds - search0
                    loop_cpu = time.thread_time() - loop0
                else:
                    await _push_and_wait(api, questions[:10], 1_000_000, timeout)  # warm-up
                    replied, seconds, messages, calls = await _push_and_wait(api, questions, 2_000_000, timeout)
                if profiler is not None:
                    profiler.disable()
            finally:
                await app.updater.stop()
                await app.stop()
    finally:
        if conn is not None and proc is not None and proc.is_alive():
            conn.send("stop")
        if proc is not None:
            proc.join(10)
            if proc.is_alive():
                proc.kill()
        if api is not None:
            await api.stop()
        if usage is not None:
            usage.close()
        kb.close()
    return E2EResult(len(questions), replied, seconds, messages, "own process" if separate else "bot process",
                     cpu if separate else float("nan"), calls, search if separate else float("nan"),
                     loop_cpu if separate else float("nan"))


def end_to_end(db: Path, questions: Sequence[str], *, usage_path: Path | None = None,
               timeout: float = 300.0, separate: bool = True, profiler: Any = None,
               app_options: dict[str, Any] | None = None, deps_options: dict[str, Any] | None = None) -> E2EResult:
    """Push every question at once as a message from its own user to the real PTB Application
    (bot.build_application, rate limiter off) polling the fake Bot API server on 127.0.0.1, and
    time until every question has its reply. `separate`: the fake server runs in a process of
    its own (as Telegram does not share the bot's CPU); else in the bot's event loop, as the
    chat-layer tests run it. `usage_path`: log every question like production does. `profiler`
    (a cProfile.Profile): enabled on the bot's event loop thread for the measured part only.
    `app_options`, `deps_options`: extra keyword arguments for `bot.build_application` and
    `Deps` (settings to compare)."""
    return asyncio.run(_e2e(db, questions, usage_path, timeout, separate, profiler, app_options, deps_options))


# --- cold start and memory ------------------------------------------------------------------------

PROJECT_SOURCES = ("bot.py", "knowledge", "handlers", "web")


def compile_project() -> None:
    """Write the project's bytecode, as `scripts/setup` does for an install (pip compiles the
    dependencies; an editable install leaves the project's own modules to the first import, which
    writes nothing where PYTHONDONTWRITEBYTECODE is set, as on the measuring machine)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", *(str(ROOT / p) for p in PROJECT_SOURCES)],
                   check=True, stdout=subprocess.DEVNULL)


def cold_start(db: Path, question: str, *, runs: int = 3, bytecode: bool = True) -> list[float]:
    """Seconds from process start to exit of `python bot.py ask --db DB QUESTION` (one answer).
    `bytecode`: the project compiled first (a deployed start); otherwise every module, the
    dependencies' too, compiled from source on the way (an empty PYTHONPYCACHEPREFIX, nothing
    written), the worst first start."""
    env = _child_env()
    with tempfile.TemporaryDirectory() as empty:
        if bytecode:
            compile_project()
        else:
            env.update(PYTHONPYCACHEPREFIX=empty, PYTHONDONTWRITEBYTECODE="1")
        times = []
        for _ in range(runs):
            m = run_measured([sys.executable, str(ROOT / "bot.py"), "ask", "--db", str(db), question], env=env)
            if m.returncode != 0:
                raise RuntimeError(f"bot.py ask failed:\n{m.stderr[-2000:]}")
            times.append(m.seconds)
    return times


def peak_rss(db: Path, questions: Sequence[str], workdir: Path) -> Measured:
    """`python bot.py ask --db DB --batch FILE` over the question set; its own peak RSS."""
    path = workdir / "questions.txt"
    path.write_text("\n".join(questions) + "\n", encoding="utf-8")
    m = run_measured([sys.executable, str(ROOT / "bot.py"), "ask", "--db", str(db), "--batch", str(path)],
                     env=_child_env(), keep_stdout=False)
    if m.returncode != 0:
        raise RuntimeError(f"bot.py ask --batch failed:\n{m.stderr[-2000:]}")
    return m


# --- formatting helpers ----------------------------------------------------------------------------

def ms(value: float) -> str:
    """A latency in milliseconds for the table."""
    if math.isnan(value):
        return "n/a"
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"


def share(value: float) -> str:
    """A 0..1 share as a percentage."""
    return "n/a" if math.isnan(value) else f"{value * 100:.0f}%"


def latency_rows(lat: LatencyResult, *, goals: bool = True) -> list[Row]:
    """Engine and baseline latency rows, with ratios and quality shares."""
    e, b = lat.engine, lat.baseline
    rows = [
        Row(f"question latency median (engine, {e.n} questions)", ms(e.median), "≤ 2 ms" if goals else "",
            e.median <= 2 if goals else None, e.median),
        Row("question latency p95 (engine)", ms(e.p95), number=e.p95),
        Row("question latency p99 (engine)", ms(e.p99), "≤ 10 ms" if goals else "", e.p99 <= 10 if goals else None,
            e.p99),
    ]
    if b.n:
        ratio_med = e.median / b.median if b.median else float("nan")
        ratio_p99 = e.p99 / b.p99 if b.p99 else float("nan")
        rows += [
            Row("plain FTS5 latency median (baseline)", ms(b.median), number=b.median),
            Row("plain FTS5 latency p95 (baseline)", ms(b.p95), number=b.p95),
            Row("plain FTS5 latency p99 (baseline)", ms(b.p99), number=b.p99),
            Row("engine / baseline, median", f"{ratio_med:.2f}×", "≤ 3×" if goals else "",
                ratio_med <= 3 if goals else None, ratio_med),
            Row("engine / baseline, p99", f"{ratio_p99:.2f}×", "≤ 3×" if goals else "",
                ratio_p99 <= 3 if goals else None, ratio_p99),
        ]
    rows += [
        Row("in-scope questions answered (engine)", share(lat.answered_in_scope), number=lat.answered_in_scope),
        Row("source clause (exact text) in top 3 (engine / baseline)",
            f"{share(lat.hit_at_3)} / {share(lat.baseline_hit_at_3)}", number=lat.hit_at_3),
        Row("out-of-scope questions refused (engine)", share(lat.refused_out_of_scope),
            number=lat.refused_out_of_scope),
    ]
    return rows


def kind_table(lat: LatencyResult) -> str:
    """Median / p99 per question kind, engine and baseline, as Markdown."""
    out = ["| question kind | n | engine median | engine p99 | baseline median | baseline p99 |",
           "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for kind, (e, b) in lat.by_kind.items():
        out.append(f"| {kind} | {e.n} | {ms(e.median)} | {ms(e.p99)} | {ms(b.median)} | {ms(b.p99)} |")
    return "\n".join(out)


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """(fn(), seconds)."""
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started
