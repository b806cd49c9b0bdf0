"""The dev sample of questions, scored against the shipped knowledge base with the project's scorer.

The product is judged on many more unseen questions; this guards against regressions."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from knowledge import KnowledgeBase

DATA = Path(__file__).parent / "data"


def _scorer():
    spec = importlib.util.spec_from_file_location("score", DATA / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_set_quality(shipped_kb: KnowledgeBase) -> None:
    scorer = _scorer()
    items = scorer.load_items([DATA / "dev.jsonl"])
    answers = [json.loads(json.dumps(shipped_kb.search(i["q"], top=3).to_json())) for i in items]
    metrics = scorer.score(items, answers)
    assert metrics["hit@1"] >= 0.9, metrics
    assert metrics["hit@3"] == 1.0, metrics
    n_none = sum(1 for i in items if i.get("expect_none"))
    n_rob = sum(1 for i in items if i.get("robust"))
    assert metrics["out_of_scope_rejected"] == f"{n_none}/{n_none}", metrics
    assert metrics["hostile_ok"] == f"{n_rob}/{n_rob}", metrics
