"""Checks shared by the language-data tests: the plan phrases a section of a `knowledge/lang/`
file gives occur in the shipped plans (so an entry leads somewhere), and the plan wordings a
question is searched with."""

from __future__ import annotations

from pathlib import Path

from knowledge import KnowledgeBase
from knowledge.text import fold, words

ROOT = Path(__file__).resolve().parent.parent


def phrases_not_in_plans(data_file: str, section: str) -> tuple[int, list[str]]:
    """How many plan phrases (second column, "|"-separated) the lines of `data_file` from the
    comment naming `section` on give, and those no shipped plan contains."""
    plans = " " + fold(" ".join(" ".join(words(p.read_text(encoding="utf-8")))
                                for p in sorted((ROOT / "knowledge/plans").glob("*.txt")))) + " "
    lines = (ROOT / "knowledge/lang" / data_file).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("#") and section in line)
    checked, missing = 0, []
    for line in lines[start:]:
        if line.startswith("#") or "\t" not in line:
            continue
        for phrase in line.split("\t")[1].split("|"):
            checked += 1
            if f" {' '.join(words(fold(phrase)))} " not in plans:
                missing.append(phrase)
    return checked, missing


def alternatives(kb: KnowledgeBase, question: str) -> set[str]:
    """Every alternative of every term of `question` as `kb` reads it, as folded words joined by spaces."""
    q = kb.read(question)
    return {" ".join(p for u in alt for p in u.split("_")) for alts in q.alternatives.values() for alt in alts}
