"""The dev sample of questions, scored against the shipped knowledge base with the project's scorer.

The product is judged on many more unseen questions; this guards against regressions."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

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
    assert metrics["hit@1"] >= 0.85, metrics  # 0.9 with 15 documents; 26 since corpus2
    assert metrics["hit@3"] == 1.0, metrics
    n_none = sum(1 for i in items if i.get("expect_none"))
    n_rob = sum(1 for i in items if i.get("robust"))
    assert metrics["out_of_scope_rejected"] == f"{n_none}/{n_none}", metrics
    assert metrics["hostile_ok"] == f"{n_rob}/{n_rob}", metrics


def _metrics(kb: KnowledgeBase, name: str) -> dict:
    scorer = _scorer()
    items = scorer.load_items([DATA / name])
    answers = [json.loads(json.dumps(kb.search(i["q"], top=3).to_json())) for i in items]
    return scorer.score(items, answers)


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_dev_v2_no_regression(shipped_kb: KnowledgeBase) -> None:
    """Floor at what the engine reaches today (0.913 / 0.981), so a change can only move it up."""
    m = _metrics(shipped_kb, "dev_v2.jsonl")
    assert m["hit@1"] >= 0.91 and m["hit@3"] >= 0.98, m
    assert m["hostile_ok"] == "8/8" and m["out_of_scope_rejected"] == "12/12", m


@pytest.mark.slow
def test_english_probes_no_regression(shipped_kb: KnowledgeBase) -> None:
    """English probes over deep clauses of the long documents (issue 8, English): 0.39 / 0.61
    before the naming-word, framing and glossary work, 0.857 / 1.0 after (written during that work:
    a seen set, a floor against regressions, not a measure of unseen questions). Probes pe-29…pe-52
    (24 over other documents, written before the next English pass: word forms, the grown glossary,
    framing, issuer verbs) 0.667 / 0.75 alone before it, 0.792 / 1.0 after; all 52: 0.769 / 0.885 →
    0.846 / 1.0. Probes pe-53…pe-72 (20 over the shipped plans, written before the third English
    pass: keyword English, best cover, English dates and intents, the plans' frequent words) 0.75 /
    0.90 alone before it, 0.95 / 1.0 after (some glossary lines and "whose proposal" were added
    after seeing them: seen now); all 72: 0.889 / 1.0. Probes pe-73…pe-83 (11: local agencies'
    tasks, cited decrees, hourly rates, rating grades, hiring abroad; written after the agency
    mechanism of the fourth pass, before its glossary rows for rates and grades) 0.545 / 0.818 on
    main (e9fcaf3), 0.818 / 1.0 after; all 83: 0.892 / 1.0 (74/83)."""
    m = _metrics(shipped_kb, "probes_english.jsonl")
    assert m["hit@1"] >= 0.87 and m["hit@3"] == 1.0, m


def test_heldout_no_regression(shipped_kb: KnowledgeBase) -> None:
    """The held-out set (written before tuning) must stay where it is (0.947 / 1.0)."""
    m = _metrics(shipped_kb, "heldout.jsonl")
    assert m["hit@1"] >= 0.94 and m["hit@3"] == 1.0, m
    assert m["out_of_scope_rejected"] == "4/4", m


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_dev_v2_issue_targets(shipped_kb: KnowledgeBase) -> None:
    """Issue 8's targets on dev_v2: hit@1 ≥ 0.85, hit@3 ≥ 0.95, every kind hit@3 ≥ 0.80."""
    from knowledge.quality import evaluate, load_items

    m = _metrics(shipped_kb, "dev_v2.jsonl")
    assert m["hit@1"] >= 0.85 and m["hit@3"] >= 0.95, m
    assert m["out_of_scope_rejected"] == "12/12" and m["hostile_ok"] == "8/8", m
    scores = evaluate(load_items([DATA / "dev_v2.jsonl"]), lambda q: shipped_kb.search(q, top=3).to_json())
    per_kind = {k: s.row()["hit@3"] for k, s in scores.items() if k != "all" and s.n}
    assert len(per_kind) >= 10, per_kind
    assert all(v >= 0.80 for v in per_kind.values()), per_kind


@pytest.mark.parametrize("question", ["1", "số", "1/1", "  1  "])
def test_a_lone_common_unit_is_refused_with_a_request_for_more_words(shipped_kb: KnowledgeBase,
                                                                      question: str) -> None:
    answer = shipped_kb.search(question)
    assert not answer.answered and not answer.results
    assert [n["kind"] for n in answer.notes] == ["too_short"]
    from handlers.replies import plain_answer
    assert "quá ngắn" in plain_answer(answer)


def test_old_province_is_explained_and_missing_year_said(shipped_kb: KnowledgeBase) -> None:
    answer = shipped_kb.search("Kon Tum (nay thuộc Quảng Ngãi) năm 2023 xếp hạng SIPAS thứ mấy?")
    # Said to have merged, Kon Tum is asked about as Quảng Ngãi, whose 2021-2025 plan states no
    # rank of 2023: refused, with the merger explained.
    assert not answer.answered
    assert [n["kind"] for n in answer.notes] == ["old_province"]
    # Named alone, Quảng Ngãi's pre-merger plan does not cover Kon Tum.
    answer = shipped_kb.search("Kon Tum năm 2023 xếp hạng SIPAS thứ mấy?")
    kinds = [n["kind"] for n in answer.notes]
    assert not answer.answered and "old_province" in kinds and "no_document" in kinds
    answer = shipped_kb.search("Cao Bằng năm 2018 chỉ số PAR INDEX xếp hạng thứ mấy?")
    assert not answer.answered
    note = next(n for n in answer.notes if n["kind"] == "no_year")
    assert note["years"] == [2018] and 2024 in note["available"]


def test_chat_forms_and_english_are_read(shipped_kb: KnowledgeBase) -> None:
    q = shipped_kb.read("bắc ninh tới 2030 bn % dân có tài khoản VNeID z ad")
    assert "z" not in q.terms and "ad" not in q.terms and "bn" not in q.terms
    assert shipped_kb.search("bắc ninh tới 2030 bn % dân có tài khoản VNeID z ad").answered
    q = shipped_kb.read("What share of citizens should be satisfied with online public services?")
    assert q.language == "en" and any("hai_long" in t for t in q.terms)
    assert shipped_kb.read("thủ tục cấp giấy phép xây dựng").language == "vi"
