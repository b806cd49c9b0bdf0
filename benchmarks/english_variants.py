"""Issue 8, English questions: does an English question find the same clause however its names and
spellings are typed?

    python benchmarks/english_variants.py --db kb.db FILE.jsonl… [--score DIR] [-v]

For every in-scope English question (`kind: english`) of the evaluation files, four variants are
asked beside it, each only when it differs from the question: its Vietnamese place names with
their marks ("Bac Ninh" → "Bắc Ninh"), without them, in British spelling (programme, centre,
digitise, labour, analyse) and in American spelling. Prints, per variant: questions, variants
refused where the question is answered, first result differing, and hit@1 of the question and of
the variant (the matcher of `score.py` in DIR when given, else `benchmarks/unmarked.py`'s). English
out-of-scope questions are asked in every variant too: how many are still refused. -v lists the
variants refused or moved.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.unmarked import Ranker, arguments, strip_marks  # noqa: E402
from knowledge import KnowledgeBase  # noqa: E402

_TO_BRITISH = ((re.compile(r"\b(\w{3,})iz(e|es|ed|ing|ation|ations)\b"), r"\1is\2"),
               (re.compile(r"\bprogram(s)?\b"), r"programme\1"), (re.compile(r"\bcenter(s)?\b"), r"centre\1"),
               (re.compile(r"\blabor\b"), "labour"), (re.compile(r"\banalyz(e|es|ed|ing)\b"), r"analys\1"))
_TO_AMERICAN = ((re.compile(r"\b(\w{3,})is(e|es|ed|ing|ation|ations)\b"), r"\1iz\2"),
                (re.compile(r"\bprogramme(s)?\b"), r"program\1"), (re.compile(r"\bcentre(s)?\b"), r"center\1"),
                (re.compile(r"\blabour\b"), "labor"), (re.compile(r"\banalys(e|es|ed|ing)\b"), r"analyz\1"))
# Words the -ise rule would wrongly respell ("raise", "advise" are English either way).
_NOT_SPELLINGS = frozenset({"raise", "raises", "raised", "raising", "advise", "advised", "advising", "otherwise",
                            "promise", "promised", "exercise", "exercised", "expertise", "enterprise",
                            "enterprises", "premise", "premises", "surprise", "revise", "revised", "revising",
                            "supervise", "supervised", "supervising", "comprise", "comprises", "devise"})


def respelled(text: str, rules: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    """`text` with every word a rule rewrites respelled, words of `_NOT_SPELLINGS` kept."""
    def one(word: re.Match[str]) -> str:
        w = word.group(0)
        if w.lower() in _NOT_SPELLINGS:
            return w
        for pattern, repl in rules:
            w = pattern.sub(repl, w)
        return w
    return re.sub(r"[A-Za-z]+", one, text)


def with_names(kb: KnowledgeBase, text: str, marked: bool) -> str:
    """`text` with the place names the gazetteer finds written with their marks, or without."""
    for name, start, end in sorted(kb.reader.gazetteer.find(text), key=lambda p: -p[1]):
        text = text[:start] + (name if marked else strip_marks(text[start:end])) + text[end:]
    return text


def variants(kb: KnowledgeBase, q: str) -> dict[str, str]:
    """The four variants of a question (see the module docstring)."""
    return {"names marked": with_names(kb, q, True), "names unmarked": with_names(kb, q, False),
            "british": respelled(q, _TO_BRITISH), "american": respelled(q, _TO_AMERICAN)}


def measure(kb: KnowledgeBase, items: list[dict[str, Any]],
            ranker: Ranker) -> tuple[dict[str, dict[str, int]], list[str]]:
    """Per variant: n, refused, first_differs, hit1 (question), hit1_v (variant), oos, oos_refused."""
    c: dict[str, dict[str, int]] = {}
    notes: list[str] = []
    for it in items:
        if it.get("kind") != "english" and not (it.get("expect_none") and _is_english(kb, it["q"])):
            continue
        q = it["q"]
        base = kb.search(q).to_json()
        for name, v in variants(kb, q).items():
            if v == q:
                continue
            row = c.setdefault(name, dict.fromkeys(("n", "refused", "first_differs", "hit1", "hit1_v", "oos",
                                                     "oos_refused"), 0))
            got = kb.search(v).to_json()
            if it.get("expect_none"):
                row["oos"] += 1
                row["oos_refused"] += not got["answered"]
                continue
            if not it.get("expect_any"):
                continue
            ra, rb = ranker(it, base), ranker(it, got)
            row["n"] += 1
            row["refused"] += base["answered"] and not got["answered"]
            row["first_differs"] += _first(base) != _first(got)
            row["hit1"] += ra == 1
            row["hit1_v"] += rb == 1
            if ra != rb:
                notes.append(f"  {name} {it.get('id')}: rank {ra} -> {rb if got['answered'] else 'refused'}: {v}")
    return c, notes


def _first(answer: dict[str, Any]) -> list[Any]:
    return [r.get("clause_id") for r in answer["results"][:1]] if answer["answered"] else []


def _is_english(kb: KnowledgeBase, q: str) -> bool:
    return kb.read(q).language == "en"


def main(argv: list[str] | None = None) -> int:
    """Print the table over all files."""
    args, ranker = arguments(__doc__ or "", argv)
    kb = KnowledgeBase.open(args.db)
    try:
        items = [json.loads(x) for f in args.files for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
        c, notes = measure(kb, items, ranker)
    finally:
        kb.close()
    print(f"{'variant':15} {'n':>4} {'refused':>7} {'1st≠':>5} {'hit@1 q/v':>10} {'oos ok':>8}")
    for name, row in c.items():
        print(f"{name:15} {row['n']:>4} {row['refused']:>7} {row['first_differs']:>5} "
              f"{row['hit1']:>4}/{row['hit1_v']:<5} {row['oos_refused']:>3}/{row['oos']:<4}")
    if args.v:
        print("\n".join(notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
