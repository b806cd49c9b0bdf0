"""Plan documents → index: read, clean, split into clauses, extract targets, write SQLite."""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import logging
import math
import multiprocessing
import os
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from knowledge import store
from knowledge.clauses import split_clauses, years_in
from knowledge.cleaning import clean
from knowledge.documents import document_paths, read_document
from knowledge.limits import LIMITS, MB, Limits, refuse_over
from knowledge.models import Clause, Document, DocumentError, Notice
from knowledge.provinces import Gazetteer, ProvinceRecord, province_records, use_records
from knowledge.store import default_db_path  # noqa: F401  (re-exported: it lives beside the index code)
from knowledge.targets import extract_targets
from knowledge.tasks import extract_tasks, labelled_tasks
from knowledge.text import (
    ALIASES,
    Analyzer,
    compound_forms,
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


def ensure_index(knowledge_dir: Path, db_path: Path, *, limits: Limits = LIMITS) -> BuildReport | None:
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
    return build_index(knowledge_dir, db_path, content_hash=current, limits=limits)


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
    build is large): its clauses with their targets and normalized texts, its tasks, the
    abbreviations it defines and the compound words pyvi finds in it; or the error that keeps
    it out."""

    clauses: list[Clause] = field(default_factory=list)
    norms: list[str] = field(default_factory=list)  # normalize() of each clause's text
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
        c.targets = extract_targets(c.text, lead=c.lead, years=c.years,
                                    context=f"{c.table} › {c.section}" if c.table else c.section)
        out.tasks.append(extract_tasks(c))
        out.norms.append(normalize(c.text))
    out.labelled = labelled_tasks(clauses)
    return out


def _read_and_parse(path: Path, root: Path, limits: Limits) -> tuple[Document | None, _Parsed]:
    """Read one document and parse it; the document comes back without its text (the build
    needs its metadata and warnings only, and the text would cross the process boundary)."""
    try:
        doc = read_document(path, root=root, limits=limits)
    except DocumentError as exc:
        return None, _Parsed(error=exc)
    result = _parse_document(doc, limits)
    doc.text = ""
    return doc, result


# A build below this many characters of documents runs in the calling process: starting worker
# processes (each imports the indexer and loads pyvi's model, ~0.5 s) costs more than it saves.
PARALLEL_MIN_CHARS = 2_000_000
# Index texts sent to a worker at a time (a few ms of work each: pickling stays a small share).
_CHUNK = 256
# Tasks (documents, chunks of texts) given to the workers ahead of the one the build waits for:
# enough to keep every worker busy, few enough that results never pile up in memory.
WINDOW_PER_WORKER = 4
# The worker's analyzer, and the vocabulary file it was made from: the documents and then the
# texts go to one pool (a second pool cost every worker another start: imports, pyvi's model),
# and the vocabulary, known only after the documents, reaches each worker once, as a file.
_worker_analyzer: tuple[str, Analyzer] | None = None


def _init_worker(records: list[ProvinceRecord] | None = None) -> None:
    if records is not None:
        # The parent's province records: importing vietnamadminunits to read them again cost
        # each worker ~0.9 s CPU (README, "Index size and build").
        use_records(records)


def _index_texts(texts: list[str], vocabulary_file: str) -> list[str]:
    global _worker_analyzer
    if _worker_analyzer is None or _worker_analyzer[0] != vocabulary_file:
        words = json.loads(Path(vocabulary_file).read_text(encoding="utf-8"))
        _worker_analyzer = (vocabulary_file, Analyzer(words["vocabulary"], words["defined"]))
    return [_worker_analyzer[1].index_text(t) for t in texts]


def build_workers(chars: int, wanted: int = 0) -> int:
    """How many processes a build of `chars` characters of documents uses: `wanted` (the
    BUILD_WORKERS setting; 0: every core) for a large one, none but the caller for a small one."""
    if chars < PARALLEL_MIN_CHARS:
        return 1
    return wanted if wanted > 0 else max(1, os.cpu_count() or 1)


def _pool(workers: int, *init: Any) -> ProcessPoolExecutor:
    # spawn, not fork: the caller may be the bot (threads, an event loop, open databases), and a
    # forked copy of those is undefined; a spawned child inherits the caller's RLIMIT_AS (the
    # reload worker's memory cap applies to each child too, knowledge/limits.py).
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=init)


def bounded_map(pool: Executor | None, fn: Callable[..., Any], items: Iterable[tuple[Any, ...]],
                window: int) -> Iterator[Any]:
    """fn(*item) for each item, in order, run by `pool` (in this thread when None) with at most
    `window` items taken from `items` and not yet yielded: `Executor.map` takes every item (and
    keeps every result) at once, which is what made a large build's memory grow."""
    if pool is None:
        for item in items:
            yield fn(*item)
        return
    pending: deque[Future[Any]] = deque()
    for item in items:
        pending.append(pool.submit(fn, *item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _vocabulary_file(db_path: Path, vocabulary: list[str], defined: dict[str, str]) -> Path:
    """The vocabulary and abbreviations the workers analyse texts with, in a hidden file beside
    the index being built (removed when the build ends)."""
    fd, name = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".words.json", dir=db_path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"vocabulary": vocabulary, "defined": defined}, out, ensure_ascii=False)
    return Path(name)


def _chunks(texts: Iterator[str], size: int) -> Iterator[list[str]]:
    while chunk := list(itertools.islice(texts, size)):
        yield chunk


def _analyse_with(analyzer: Analyzer, texts: list[str]) -> list[str]:
    return [analyzer.index_text(t) for t in texts]


def _document_row(doc_id: int, doc: Document, clauses: int) -> dict[str, Any]:
    m = doc.meta
    return {
        "id": doc_id, "file": m.file, "sha256": doc.sha256, "title": m.title, "province": m.province,
        "province_current": m.province_current, "document": m.document, "issued": m.issued,
        "signer": m.signer, "source_url": m.source_url, "extra": json.dumps(m.extra, ensure_ascii=False),
        "years": json.dumps(_document_years(doc)), "clauses": clauses,
    }


def _clause_rows(doc: Document, result: _Parsed, gazetteer: Gazetteer) -> list[dict[str, Any]]:
    """A document's clauses as IndexWriter.add_document takes them: each with its raw context
    (lead, section, title, places, number: analysed later) and its province tokens."""
    m = doc.meta
    places = [p for p in (m.province, m.province_current) if p]
    if m.province_current:
        places += gazetteer.old_names(m.province_current)
    context_head = " ".join(dict.fromkeys([m.title or "", *places, m.document or ""]))
    # One token per province the document belongs to (as written and today's), so a
    # question's province filter runs inside the full-text index.
    context_tokens = " ".join(dict.fromkeys(province_token(p) for p in (m.province, m.province_current) if p))
    return [{"ordinal": c.ordinal, "text": c.text, "norm": norm, "years": _years_json(tuple(c.years)),
             "targets": len(c.targets), "section": c.section, "lead": c.lead,
             "raw_context": f"{c.lead} {c.section} {context_head}", "context_tokens": context_tokens}
            for c, norm in zip(result.clauses, result.norms, strict=True)]


@functools.cache
def _years_json(years: tuple[int, ...]) -> str:
    """`json.dumps(years)`: 144 distinct lists at 95k clauses, and a dumps per clause showed in the
    build process's profile (97,839 calls)."""
    return json.dumps(years)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclass_fields(cls))
    return names


def _row(clause: int, item: Any) -> dict[str, Any]:
    """`{"clause": clause, **asdict(item)}` for a dataclass of plain values (Target, Task):
    asdict() copies every value recursively, the largest cost of the build's own process."""
    row: dict[str, Any] = {"clause": clause}
    for name in _field_names(type(item)):
        row[name] = getattr(item, name)
    return row


def _task_rows(result: _Parsed) -> list[dict[str, Any]]:
    """A document's tasks in index order (each clause's, then the labelled items'), with the
    index of their clause."""
    rows = [_row(i, task) for i, tasks in enumerate(result.tasks) for task in tasks]
    return rows + [_row(i, task) for i, task in result.labelled]


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

    Documents are read, parsed and written one at a time (a few per worker when the build is
    large): memory holds a bounded number of documents, whatever the folder's size.
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
    paths, skipped = document_paths(knowledge_dir)
    report = BuildReport(warnings=list(skipped))
    records = province_records()
    gazetteer = Gazetteer(records)
    # File sizes stand for characters (UTF-8 Vietnamese: 1-3 bytes each; .docx/.pdf hold more).
    workers = build_workers(sum(p.stat().st_size for p in paths), limits.build_workers)
    window = WINDOW_PER_WORKER * workers
    defined: dict[str, str] = {}
    found: set[str] = set()
    topics: Counter[str] = Counter()
    chars = 0

    try:
        with store.new_index(db_path) as db:
            writer = store.IndexWriter(db)
            # One pool for the documents and then the texts (each worker starts once).
            pool = _pool(workers, records) if workers > 1 else None
            vocabulary_file: Path | None = None
            try:
                step("read", 0, len(paths))
                results = bounded_map(pool, _read_and_parse, ((p, knowledge_dir, limits) for p in paths), window)
                for position, (doc, result) in enumerate(results, start=1):
                    step("read", position, len(paths))
                    if result.error is not None:
                        if not skip_bad:
                            raise result.error
                        report.errors.append(result.error)
                        continue
                    assert doc is not None
                    doc_id = report.documents + 1
                    report.warnings.extend((w if isinstance(w, Notice) else Notice(w)).about(doc.meta.file)
                                           for w in doc.warnings)
                    clauses = result.clauses
                    if not clauses:
                        report.warnings.append(
                            Notice("không tìm thấy đoạn trích nào", "no_clauses").about(doc.meta.file))
                    defined.update(result.defined)
                    found.update(result.compounds)
                    targets = [_row(i, t) for i, c in enumerate(clauses) for t in c.targets]
                    tasks = _task_rows(result)
                    writer.add_document(_document_row(doc_id, doc, len(clauses)),
                                        _clause_rows(doc, result, gazetteer), targets, tasks)
                    topics.update(t["topic"] for t in targets if t["topic"])
                    chars += sum(len(c.text) for c in clauses)
                    report.documents += 1
                    report.clauses += len(clauses)
                    report.targets += len(targets)
                    report.tasks += len(tasks)
                    report.files[doc.meta.file] = doc.sha256
                    report.per_document[doc.meta.file] = {"clauses": len(clauses), "targets": len(targets),
                                                          "tasks": len(tasks), "signer": doc.meta.signer}
                    step("split", position, len(paths))
                # One dictionary and one alias table for every document and every question.
                step("words", 0, 1)
                vocabulary = sorted(found | dictionary_words())
                # Contexts and clause texts repeat (a section's clauses share one context; plans repeat
                # their wording year after year): each distinct text is analysed once.
                count, texts = writer.texts()
                total = max(1, math.ceil(count / _CHUNK))
                analyse: Callable[..., list[str]] = _index_texts
                extra: tuple[str, ...] = ()
                if pool is None:
                    analyse = functools.partial(_analyse_with, Analyzer(vocabulary, defined))
                else:
                    vocabulary_file = _vocabulary_file(db_path, vocabulary, defined)
                    extra = (str(vocabulary_file),)
                # The chunks given out, oldest first: results come back in the same order.
                sent: deque[list[str]] = deque()

                def feed() -> Iterator[tuple[Any, ...]]:
                    for chunk in _chunks(texts, _CHUNK):
                        sent.append(chunk)
                        yield (chunk, *extra)

                for done, got in enumerate(bounded_map(pool, analyse, feed(), window), start=1):
                    writer.add_analysed(zip(sent.popleft(), got, strict=True))
                    step("words", done, total)
            finally:
                if pool is not None:
                    pool.shutdown(cancel_futures=True)
                if vocabulary_file is not None:
                    vocabulary_file.unlink(missing_ok=True)
            meta = {
                "knowledge_hash": content_hash,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "index_version": INDEX_VERSION,
                # The dictionary as the segmenter reads it at each open (no list of the words alone).
                "compound_forms": compound_forms(vocabulary),
                "abbreviations": defined,
                "provinces": [asdict(r) for r in records],
                "topics": topics.most_common(),
            }
            step("index", report.documents, report.documents)
            step("write", 0, 1)
            writer.finish(meta)
    except (OSError, store.DatabaseError) as exc:
        if not store.disk_full(exc):
            raise
        raise DiskFullError(2 * _INDEX_BYTES_PER_CHAR * chars + 8 * MB,
                            store.free_bytes(db_path.parent)) from exc
    report.seconds = time.perf_counter() - started
    return report
