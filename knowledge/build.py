"""Plan documents → index: read, clean, split into clauses, extract targets, write SQLite."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from knowledge import store
from knowledge.clauses import split_clauses, years_in
from knowledge.cleaning import clean
from knowledge.documents import document_paths, load_documents
from knowledge.limits import LIMITS, MB, Limits, refuse_over
from knowledge.models import Clause, Document, DocumentError, Notice
from knowledge.provinces import Gazetteer, province_records
from knowledge.store import default_db_path  # noqa: F401  (re-exported: it lives beside the index code)
from knowledge.targets import extract_targets
from knowledge.tasks import extract_tasks, labelled_tasks
from knowledge.text import (
    ALIASES,
    Analyzer,
    compounds,
    defined_abbreviations,
    dictionary_words,
    normalize,
    province_token,
)

INDEX_VERSION = store.INDEX_VERSION

log = logging.getLogger("cchc.index")

# Bytes of index per character of clause text (text, normalized text, index text, context and the
# FTS5 tables; the shipped plans give about 5), and the VACUUM at the end writes a second copy.
_INDEX_BYTES_PER_CHAR = 6


class DiskFullError(RuntimeError):
    """The disk filled up while the index was written (ENOSPC, SQLITE_FULL); nothing was replaced.

    `needed_bytes` is roughly what a build of these documents writes, `free_bytes` what the disk
    had left when it failed; `missing_mb` is what to free before trying again."""

    code = "disk_full"

    def __init__(self, needed_bytes: int, free_bytes: int) -> None:
        super().__init__(needed_bytes, free_bytes)
        self.needed_bytes = needed_bytes
        self.free_bytes = free_bytes

    @property
    def missing_mb(self) -> int:
        """Megabytes to free (at least 1): what the build needs beyond what is free."""
        return max(1, math.ceil((self.needed_bytes - self.free_bytes) / MB))

    def __str__(self) -> str:
        return f"disk full: free about {self.missing_mb} MB and build again"


@dataclass
class BuildReport:
    """What a build did."""

    documents: int = 0
    clauses: int = 0
    targets: int = 0
    tasks: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    errors: list[DocumentError] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    # Per document file: clauses, targets, tasks and signer, for `bot.py index`.
    per_document: dict[str, dict[str, Any]] = field(default_factory=dict)


def knowledge_hash(knowledge_dir: Path) -> str:
    """A content hash of every document in the folder (and of the indexing code's version)."""
    h = hashlib.sha256(INDEX_VERSION.encode())
    paths, _ = document_paths(knowledge_dir)  # the loader's selection: no links
    for path in paths:
        h.update(path.relative_to(knowledge_dir).as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def is_stale(knowledge_dir: Path, db_path: Path) -> bool:
    """True when the index is missing, unreadable or built from other documents."""
    meta = store.read_meta(db_path)
    return meta.get("knowledge_hash") != knowledge_hash(knowledge_dir)


def ensure_index(knowledge_dir: Path, db_path: Path) -> BuildReport | None:
    """Build the index if it is missing, stale or damaged; None when it was already current.

    A current index is checked page by page first (`store.check`): a file damaged in the middle
    still reads its `meta` row, and would only fail on the first question — or at start-up, in
    a crash loop under a supervisor. A damaged one is rebuilt, and the log says so."""
    current = knowledge_hash(knowledge_dir)
    if store.read_meta(db_path).get("knowledge_hash") == current:
        problem = store.check(db_path)
        if problem is None:
            return None
        log.warning("index %s is damaged (%s): rebuilding it", db_path, problem)
    # The hash just taken is the build's own: every file is read and hashed once, not twice.
    return build_index(knowledge_dir, db_path, content_hash=current)


def _document_years(doc: Document) -> list[int]:
    years = set(years_in(doc.meta.title or ""))
    if doc.meta.year:
        years.add(doc.meta.year)
    return sorted(years)


def _segment_texts(parsed: list[tuple[int, Document, list[Any]]]) -> Iterator[str]:
    """The texts to find compound words in: a table row's column names and values apart, so the
    names its every row repeats are segmented once (compounds() reads each distinct text once)."""
    for _, _, clauses in parsed:
        for c in clauses:
            if c.cells:
                for name, value in c.cells:
                    if name:
                        yield name
                    yield value
            else:
                yield c.text


# Called as progress(stage, done, total) from the building thread; stages in order:
# "read", "split", "words", "index", "write".
Progress = Callable[[str, int, int], None]


def document_clauses(doc: Document, limits: Limits = LIMITS) -> list[Clause]:
    """A document's clauses as the index holds them; DocumentError ("too_many_clauses") when
    there are more than `limits.max_clauses`."""
    clauses = split_clauses(clean(doc.text))
    refuse_over(doc.meta.file, "too_many_clauses", len(clauses), limits.max_clauses, "clauses")
    return clauses


@dataclass
class _Parsed:
    """One document's share of a build, worked out on its own (in a worker process when the
    build is large): its clauses with their targets, its tasks, the abbreviations it defines and
    the compound words pyvi finds in it; or the error that keeps it out."""

    clauses: list[Clause] = field(default_factory=list)
    tasks: list[list[Any]] = field(default_factory=list)  # per clause, in order
    labelled: list[tuple[int, Any]] = field(default_factory=list)
    defined: dict[str, str] = field(default_factory=dict)
    compounds: set[str] = field(default_factory=set)
    error: DocumentError | None = None


def _parse_document(doc: Document, limits: Limits) -> _Parsed:
    """Everything of a build that needs one document only (no shared vocabulary)."""
    try:
        clauses = document_clauses(doc, limits)
    except DocumentError as exc:
        return _Parsed(error=exc)
    out = _Parsed(clauses=clauses)
    out.defined = {k: v for k, v in defined_abbreviations(doc.text).items() if k not in ALIASES}
    out.compounds = compounds(_segment_texts([(0, doc, clauses)]))
    for c in clauses:
        c.targets = extract_targets(c.text, lead=c.lead, years=c.years)
        out.tasks.append(extract_tasks(c))
    out.labelled = labelled_tasks(clauses)
    return out


# A build below this many characters of documents runs in the calling process: starting worker
# processes (each imports the indexer and loads pyvi's model, ~0.5 s) costs more than it saves.
PARALLEL_MIN_CHARS = 2_000_000
# Index texts sent to a worker at a time (a few ms of work each: pickling stays a small share).
_CHUNK = 256
_worker_analyzer: Analyzer | None = None


def _init_worker(vocabulary: list[str] | None, defined: dict[str, str] | None) -> None:
    global _worker_analyzer
    if vocabulary is not None:
        _worker_analyzer = Analyzer(vocabulary, defined)


def _index_texts(texts: list[str]) -> list[str]:
    assert _worker_analyzer is not None
    return [_worker_analyzer.index_text(t) for t in texts]


def build_workers(chars: int) -> int:
    """How many processes a build of `chars` characters of documents uses: every core for a
    large one, none but the caller for a small one."""
    return max(1, os.cpu_count() or 1) if chars >= PARALLEL_MIN_CHARS else 1


def _pool(workers: int, *init: Any) -> ProcessPoolExecutor:
    # spawn, not fork: the caller may be the bot (threads, an event loop, open databases), and a
    # forked copy of those is undefined; a spawned child inherits the caller's RLIMIT_AS (the
    # reload worker's memory cap applies to each child too, knowledge/limits.py).
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=init or (None, None))


def _index_all(vocabulary: list[str], defined: dict[str, str], texts: list[str], workers: int,
               progress: Callable[[int, int], None]) -> dict[str, str]:
    """index_text of every distinct text, computed once each, across `workers` processes (each
    with its own Analyzer of the same vocabulary); progress(done, total) after each chunk."""
    distinct = list(dict.fromkeys(texts))
    chunks = [distinct[i:i + _CHUNK] for i in range(0, len(distinct), _CHUNK)]
    out: dict[str, str] = {}
    if workers <= 1:
        analyzer = Analyzer(vocabulary, defined)
        results: Iterator[list[str]] = ([analyzer.index_text(t) for t in chunk] for chunk in chunks)
        for done, (chunk, got) in enumerate(zip(chunks, results, strict=True), start=1):
            out.update(zip(chunk, got, strict=True))
            progress(done, len(chunks))
        return out
    with _pool(workers, vocabulary, defined) as pool:
        for done, (chunk, got) in enumerate(zip(chunks, pool.map(_index_texts, chunks), strict=True), start=1):
            out.update(zip(chunk, got, strict=True))
            progress(done, len(chunks))
    return out


# One pass: read, check, then index inside one transaction; splitting it would scatter the shared state.
def build_index(knowledge_dir: Path, db_path: Path, *, skip_bad: bool = False,  # noqa: C901
                progress: Progress | None = None, content_hash: str | None = None,
                limits: Limits = LIMITS) -> BuildReport:
    """Index every document under `knowledge_dir` into `db_path` (atomically replaced).

    An unreadable document (or one over `limits`) raises DocumentError and leaves the existing
    index untouched, unless `skip_bad` (then it is left out and reported in `errors`). Symbolic
    links in the folder are never read; each is named in `warnings`. `progress`, when given, is
    told how far the build is (for an admin's progress message). A full disk raises
    DiskFullError, the existing index untouched.
    """
    started = time.perf_counter()
    if not knowledge_dir.is_dir():
        raise FileNotFoundError(f"no plans folder at {knowledge_dir}")

    def step(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(stage, done, total)

    # Hashed before reading: a file added or edited while the build runs then makes this index
    # stale (and rebuilt later) instead of being recorded as indexed when it is not.
    if content_hash is None:
        content_hash = knowledge_hash(knowledge_dir)
    skipped: list[str] = []
    docs, errors = load_documents(knowledge_dir, limits=limits, skipped=skipped,
                                  progress=lambda done, total: step("read", done, total))
    if errors and not skip_bad:
        raise errors[0]
    report = BuildReport(errors=list(errors), warnings=skipped)
    records = province_records()
    gazetteer = Gazetteer(records)

    workers = build_workers(sum(len(d.text) for d in docs))
    doc_rows: list[dict[str, Any]] = []
    parsed: list[tuple[int, Document, list[Any]]] = []
    analyses: list[_Parsed] = []
    defined: dict[str, str] = {}
    found: set[str] = set()

    def _take(position: int, doc: Document, result: _Parsed) -> None:
        if result.error is not None:
            if not skip_bad:
                raise result.error
            report.errors.append(result.error)
            return
        clauses = result.clauses
        doc_id = len(parsed) + 1
        report.warnings.extend((w if isinstance(w, Notice) else Notice(w)).about(doc.meta.file)
                               for w in doc.warnings)
        if not clauses:
            report.warnings.append(Notice("không tìm thấy đoạn trích nào", "no_clauses").about(doc.meta.file))
        defined.update(result.defined)
        found.update(result.compounds)
        parsed.append((doc_id, doc, clauses))
        analyses.append(result)
        step("split", position, len(docs))
        m = doc.meta
        doc_rows.append({
            "id": doc_id, "file": m.file, "sha256": doc.sha256, "title": m.title, "province": m.province,
            "province_current": m.province_current, "document": m.document, "issued": m.issued,
            "signer": m.signer, "source_url": m.source_url, "extra": json.dumps(m.extra, ensure_ascii=False),
            "years": json.dumps(_document_years(doc)), "clauses": len(clauses),
        })
        report.files[m.file] = doc.sha256

    pool = _pool(workers) if workers > 1 else None
    try:
        # In document order as they complete, so progress is told after each document.
        results = pool.map(_parse_document, docs, [limits] * len(docs), chunksize=4) if pool else \
            (_parse_document(doc, limits) for doc in docs)
        for position, (doc, result) in enumerate(zip(docs, results, strict=True), start=1):
            _take(position, doc, result)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)

    # One dictionary and one alias table for every document and every question.
    step("words", 0, 1)
    vocabulary = sorted(found | dictionary_words())

    # Contexts and clause texts repeat (a section's clauses share one context; plans repeat
    # their wording year after year): each distinct text is analysed once.
    context_of: list[list[tuple[str, str]]] = []
    wanted: list[str] = []
    for _, doc, clauses in parsed:
        m = doc.meta
        places = [p for p in (m.province, m.province_current) if p]
        if m.province_current:
            places += gazetteer.old_names(m.province_current)
        context_head = " ".join(dict.fromkeys([m.title or "", *places, m.document or ""]))
        # One token per province the document belongs to (as written and today's), so a
        # question's province filter runs inside the full-text index.
        context_tokens = " ".join(dict.fromkeys(province_token(p) for p in (m.province, m.province_current) if p))
        pairs = [(f"{c.lead} {c.section} {context_head}", context_tokens) for c in clauses]
        context_of.append(pairs)
        wanted += [c.text for c in clauses]
        wanted += [context for context, _ in pairs]
    indexed = _index_all(vocabulary, defined, wanted, workers, lambda done, total: step("words", done, total))

    clause_rows: list[dict[str, Any]] = []
    target_rows: list[dict[str, Any]] = []
    task_rows: list[dict[str, Any]] = []
    clause_id = 0
    for (doc_id, doc, clauses), result, pairs in zip(parsed, analyses, context_of, strict=True):
        m = doc.meta
        n_tasks = 0
        for c, tasks, (context, context_tokens) in zip(clauses, result.tasks, pairs, strict=True):
            clause_id += 1
            clause_rows.append({
                "id": clause_id, "doc_id": doc_id, "ordinal": c.ordinal, "text": c.text, "norm": normalize(c.text),
                "section": c.section, "lead": c.lead, "years": json.dumps(c.years), "targets": len(c.targets),
                "body": indexed[c.text], "context": f"{indexed[context]} {context_tokens}",
            })
            for t in c.targets:
                target_rows.append({"clause_id": clause_id, "doc_id": doc_id, **asdict(t)})
            for task in tasks:
                task_rows.append({"clause_id": clause_id, "doc_id": doc_id, **asdict(task)})
                n_tasks += 1
        first_id = clause_id - len(clauses) + 1
        for index, task in result.labelled:
            task_rows.append({"clause_id": first_id + index, "doc_id": doc_id, **asdict(task)})
            n_tasks += 1
        report.per_document[m.file] = {"clauses": len(clauses), "targets": sum(len(c.targets) for c in clauses),
                                       "tasks": n_tasks, "signer": m.signer}
        step("index", doc_id, len(parsed))
    report.documents = len(doc_rows)
    report.clauses = len(clause_rows)
    report.targets = len(target_rows)
    report.tasks = len(task_rows)

    topics = Counter(t["topic"] for t in target_rows if t["topic"])
    meta = {
        "knowledge_hash": content_hash,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "index_version": INDEX_VERSION,
        "compounds": vocabulary,
        "abbreviations": defined,
        "provinces": [asdict(r) for r in records],
        "topics": topics.most_common(),
    }
    step("write", 0, 1)
    try:
        with store.new_index(db_path) as db:
            store.write_index(db, documents=doc_rows, clauses=clause_rows, targets=target_rows, meta=meta,
                              tasks=task_rows)
    except (OSError, store.DatabaseError) as exc:
        if not store.disk_full(exc):
            raise
        chars = sum(len(row["text"]) for row in clause_rows)
        raise DiskFullError(2 * _INDEX_BYTES_PER_CHAR * chars + 8 * MB,
                            store.free_bytes(db_path.parent)) from exc
    report.seconds = time.perf_counter() - started
    return report
