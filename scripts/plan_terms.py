#!/usr/bin/env python3
"""List the shipped plans' frequent multi-word terms (2–5 words) and whether the thesaurus
already gives an everyday wording for them: the plans' side of the vocabulary work of issue 8
(paraphrase). Usage: scripts/plan_terms.py [PLANS_DIR] [--min N] [--missing]."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.reader import STOPWORDS  # noqa: E402
from knowledge.text import fold, words  # noqa: E402


def plan_phrases(thesaurus: Path) -> set[str]:
    """Folded plan phrases the thesaurus already maps everyday wording to."""
    out: set[str] = set()
    for line in thesaurus.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        out.update(" ".join(words(fold(p))) for p in line.split("\t")[1].split("|"))
    return out


def main() -> None:
    """Print `count<TAB>term<TAB>covered` for the plans' frequent n-grams, most frequent first."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("plans", nargs="?", default=str(ROOT / "knowledge/plans"))
    ap.add_argument("--min", type=int, default=5, help="least number of occurrences")
    ap.add_argument("--missing", action="store_true", help="only terms no thesaurus entry points to")
    args = ap.parse_args()
    known = plan_phrases(ROOT / "knowledge/lang/thesaurus.tsv")
    counts: Counter[str] = Counter()
    for path in sorted(Path(args.plans).glob("*.txt")):
        toks = [w for w in words(path.read_text(encoding="utf-8").lower()) if any(c.isalpha() for c in w)]
        for n in range(2, 6):
            for i in range(len(toks) - n + 1):
                gram = toks[i:i + n]
                # A term neither starts nor ends with a function word.
                if fold(gram[0]) in STOPWORDS or fold(gram[-1]) in STOPWORDS:
                    continue
                counts[" ".join(gram)] += 1
    for term, c in counts.most_common():
        if c < args.min:
            break
        covered = " ".join(words(fold(term))) in known
        if args.missing and covered:
            continue
        print(f"{c}\t{term}\t{'covered' if covered else ''}")


if __name__ == "__main__":
    main()
