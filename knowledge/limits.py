"""What one plan document may be, and what document work may cost — every bound in one place.

A document over a bound is refused with `DocumentError` carrying a reason `code` and the
`figures` (what it is, what the limit is), so the chat layer can word it for admins:

| code               | bound                                   | default        |
| ------------------ | --------------------------------------- | -------------- |
| `too_big_unpacked` | bytes a .docx unpacks to (all members)  | 64 MB          |
| `too_long`         | characters of text in one document      | 2,000,000      |
| `too_many_clauses` | clauses in one document                 | 20,000         |

The shipped plans are 2–9 KB; a 300-page plan is about 600,000 characters and 3,000 clauses, so
the bounds leave ample room for real documents and stop the hostile ones (a 298 KB .docx that
unpacks to 100 MB, a text of tens of millions of characters) before they cost minutes and GBs.

Document work (an upload's preview, a reload's build) runs in a separate process
(`knowledge.worker`) with a time and an address-space limit; it is killed when over time:

| bound                 | preview (one uploaded document) | reload (the whole plans folder) |
| --------------------- | ------------------------------- | ------------------------------- |
| wall-clock seconds    | 60                              | 600, and 60 per document        |
| address space (bytes) | 1 GB                            | 2 GB                            |

The reload's figures are for the whole folder: building 6,120 generated plans (96k clauses) takes
about 50 s on an idle 2-core machine (benchmarks/README.md). The build streams document by document,
so its memory does not grow with the folder: ~160 MB in the building process at 97k clauses, ~110 MB
at 232k, plus ~60-115 MB per worker (README, Performance: "Build"). Within it, reading, splitting or
indexing any one document may take at most `document_seconds` (the build reports progress after
each document; a stall longer than that stops the reload).

A large build (`knowledge.build.PARALLEL_MIN_CHARS`) analyses documents in worker processes of
its own (`build_workers`, the BUILD_WORKERS setting; one per core by default), started with
"spawn" from the reload worker: each inherits the same RLIMIT_AS (the
limit is per process, so a reload may use up to cores + 1 times it in all), and each exits when
the reload worker is killed (its task pipe closes).
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.models import DocumentError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on one document and on the worker process that reads it (see the module docstring)."""

    max_unpacked_bytes: int = 64 * MB
    max_chars: int = 2_000_000
    max_clauses: int = 20_000
    preview_seconds: float = 60.0
    document_seconds: float = 60.0
    preview_memory_bytes: int = 1024 * MB
    reload_seconds: float = 600.0
    reload_memory_bytes: int = 2048 * MB
    # Processes a large build analyses documents in (`knowledge.build.build_workers`); 0: one per
    # core. Each is a process of its own under the reload's address-space limit.
    build_workers: int = 0


LIMITS = Limits()


def refuse_over(name: str, code: str, value: int, limit: int, what: str) -> None:
    """Raise DocumentError(code) when `value` is over `limit`; `what` names the unit in the
    plain-words reason ("characters", "clauses", "bytes unpacked")."""
    if value > limit:
        raise DocumentError(name, f"is too large: {value:,} {what}, the limit is {limit:,}",
                            code=code, figures={"value": value, "limit": limit})
