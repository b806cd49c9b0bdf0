"""The knowledge base: plan documents → clauses and targets → SQLite index → search.

This package never imports `telegram`; the chat layer (`handlers/`) calls it.
"""

from knowledge.base import KnowledgeBase, Overview, TargetRow
from knowledge.build import BuildReport, build_index, default_db_path, ensure_index
from knowledge.models import Answer, Clause, Document, DocumentError, DocumentMeta, Result, Target

__all__ = [
    "Answer",
    "BuildReport",
    "Clause",
    "Document",
    "DocumentError",
    "DocumentMeta",
    "KnowledgeBase",
    "Overview",
    "Result",
    "Target",
    "TargetRow",
    "build_index",
    "default_db_path",
    "ensure_index",
]
