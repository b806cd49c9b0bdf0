"""Issue 8, paraphrase from the documents' side: `scripts/plan_terms.py` lists the field's
vocabulary — terms found in several plans, not made of everyday syllables only — with the number
of plans and clauses holding each."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("plan_terms", ROOT / "scripts" / "plan_terms.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_function_word_is_told_by_its_marks() -> None:
    script = _script()
    # "chủ trì", "kết nối", "minh bạch" are terms of the field: their "chủ", "nối", "minh" fold
    # like the function words "chứ", "nói", "mình", and were dropped with them.
    assert not script.function_word("chủ") and not script.function_word("nối")
    assert script.function_word("chứ") and script.function_word("nói") and script.function_word("các")


def test_terms_are_counted_by_plan_and_by_clause(tmp_path: Path) -> None:
    script = _script()
    (tmp_path / "a.txt").write_text("Áp dụng hậu kiểm.\nĐơn vị chủ trì: Sở Nội vụ.\nChủ trì, hậu kiểm.\n", "utf-8")
    (tmp_path / "b.txt").write_text("Cơ quan chủ trì thực hiện hậu kiểm.\n", "utf-8")
    (tmp_path / "c.txt").write_text("Đơn vị chủ trì báo cáo.\n", "utf-8")
    documents: Counter[str] = Counter()
    clauses = script.plan_terms(tmp_path, documents=documents)
    assert (clauses["hậu kiểm"], documents["hậu kiểm"]) == (3, 2)
    assert (clauses["chủ trì"], documents["chủ trì"]) == (4, 3)


def test_the_listing_leaves_out_everyday_terms_and_those_in_few_plans(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    script = _script()
    for i in range(3):
        (tmp_path / f"p{i}.txt").write_text("Áp dụng hậu kiểm.\nGia đình.\nHỗ trợ gia đình.\n"
                                           + ("Trung tâm dữ liệu.\nTrung tâm dữ liệu xanh.\n" if i else ""), "utf-8")
    monkeypatch.setattr(sys, "argv", ["plan_terms.py", "--plans", str(tmp_path), "--lexicon", "thesaurus",
                                      "--min-docs", "3", "--specific", "--all"])
    script.main()
    listed = {line.split("\t")[2]: line.split("\t")[:2] for line in capsys.readouterr().out.splitlines()}
    assert listed["hậu kiểm"] == ["3", "3"]
    assert "trung tâm dữ liệu" not in listed  # in 2 plans of 3
    assert "gia đình" not in listed  # an everyday word (lang/general.txt)
    assert "hỗ trợ gia đình" in listed  # a term holding one is no everyday word
