#!/usr/bin/env python3
"""The most frequent multi-word terms of the shipped plans that a lexicon does not cover yet: where
to grow `knowledge/lang/english.tsv` (English renderings) or `thesaurus.tsv` (everyday wordings)
from (issue 8, English and paraphrase questions).

    python scripts/plan_terms.py [--plans knowledge/plans] [--lexicon english|thesaurus] [--top 400] [--all]

Counts 2- to 4-syllable sequences of the plans' clauses (no number, no function word at either
end) in how many clauses they occur, and prints those the lexicon's plan side does not contain
(with `--all`, every one), most frequent first: COUNT<TAB>TERM. A reviewer writes the entries; the
list is syllable n-grams without word segmentation, so it is noisy ("ngành địa").
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.reader import STOPWORDS, _data_lines  # noqa: E402
from knowledge.text import fold, normalize, words  # noqa: E402


def plan_terms(plans: Path, sizes: tuple[int, ...] = (2, 3, 4)) -> Counter[str]:
    """Terms (lower case, with their marks) of the plans in `plans` → the number of lines
    (clauses) holding them."""
    counts: Counter[str] = Counter()
    for path in sorted(plans.rglob("*")):
        if path.suffix not in (".txt", ".md") or not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            syl = words(normalize(line).lower())
            seen: set[str] = set()
            for n in sizes:
                for i in range(len(syl) - n + 1):
                    gram = syl[i:i + n]
                    if fold(gram[0]) in STOPWORDS or fold(gram[-1]) in STOPWORDS or any(not s.isalpha() for s in gram):
                        continue
                    seen.add(" ".join(gram))
            counts.update(seen)
    return counts


def covered_text(lexicon: str) -> str:
    """The folded plan side of a lexicon file (column 2 of english.tsv or thesaurus.tsv), joined."""
    return " | ".join(fold(p) for r in _data_lines(f"{lexicon}.tsv") if len(r) > 1 for p in r[1].split("|"))


def main() -> None:
    """Print the frequent plan terms (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plans", type=Path, default=Path(__file__).resolve().parent.parent / "knowledge" / "plans")
    ap.add_argument("--lexicon", choices=("english", "thesaurus"), default="english")
    ap.add_argument("--top", type=int, default=400)
    ap.add_argument("--all", action="store_true", help="also terms the lexicon already covers")
    args = ap.parse_args()
    rendered = covered_text(args.lexicon)
    shown = 0
    for term, n in plan_terms(args.plans).most_common():
        if n < 2 or shown >= args.top:
            break
        if args.all or fold(term) not in rendered:
            print(f"{n}\t{term}")
            shown += 1


if __name__ == "__main__":
    main()
