"""The knowledge base: plan documents → clauses and targets → SQLite index → search.

This package never imports `telegram`; the chat layer (`handlers/`) calls it.

The names below are imported on first use (PEP 562): answering a question needs
`knowledge.base` only, and importing the index builder with it (cleaning, clause splitting,
document readers, worker pools) cost every cold start about 0.15 s.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names as type checkers see them
    from knowledge.base import KnowledgeBase, Overview, TargetRow  # noqa: F401
    from knowledge.build import BuildReport, build_index, ensure_index  # noqa: F401
    from knowledge.models import Answer, Clause, Document, DocumentError, DocumentMeta, Result, Target  # noqa: F401
    from knowledge.store import default_db_path  # noqa: F401

# Public name → the module defining it.
_WHERE = {
    "KnowledgeBase": "knowledge.base", "Overview": "knowledge.base", "TargetRow": "knowledge.base",
    "BuildReport": "knowledge.build", "build_index": "knowledge.build", "default_db_path": "knowledge.store",
    "ensure_index": "knowledge.build",
    "Answer": "knowledge.models", "Clause": "knowledge.models", "Document": "knowledge.models",
    "DocumentError": "knowledge.models", "DocumentMeta": "knowledge.models", "Result": "knowledge.models",
    "Target": "knowledge.models",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    """Import a public name's module when the name is first asked for."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'knowledge' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # asked once: later lookups are plain attribute reads
    return value
