#!/usr/bin/env python3
"""The field's terms — words of two or more syllables the shipped plans use in many clauses and
everyday Vietnamese does not make up alone — and whether the English glossary translates each
(issue 8, English questions): where `knowledge/lang/english.tsv` has a gap, from the documents' side.

    python scripts/field_terms.py [--db kb.db | --plans knowledge/plans] [--top 500] [--missing]

Words are the index's own (its segmenter and vocabulary, as a clause is searched); a word is a field
term when it has two or more syllables, is not an everyday word (`lang/general.txt`) and not every
syllable of it is a function or everyday word (`stopwords.txt`, `general_freq.txt`: "hiện nay",
"một số" are no terms) unless it is one of the field's compounds (`lang/compounds.txt`: "một
cửa"). Prints COUNT<TAB>TERM<TAB>the glossary's English for it (or "-"), most clauses first, then on
stderr how many of the top terms the glossary covers. A term is covered when
it is a Vietnamese side of the glossary (a whole alternative, or one of its comma-separated parts).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge import KnowledgeBase  # noqa: E402
from knowledge.build import build_index  # noqa: E402
from knowledge.reader import STOPWORDS, _data_lines, general_words  # noqa: E402
from knowledge.text import field_words, fold, normalize, words  # noqa: E402


def clause_terms(kb: KnowledgeBase) -> Counter[str]:
    """Each multi-syllable word of the index's clauses (lower case, with its marks) → the number
    of clauses holding it."""
    analyzer = kb.reader.analyzer
    counts: Counter[str] = Counter()
    for row in kb.index.clause_rows(list(range(1, kb.n_clauses + 1))):
        typed = words(normalize(row["text"]).lower())
        sylls = [fold(s) for s in typed]
        counts.update({" ".join(typed[a:b]) for _unit, a, b in analyzer.spans(sylls, typed)
                       if b - a >= 2 and all(s.isalpha() for s in sylls[a:b])})
    return counts


def field_terms(counts: Counter[str]) -> list[tuple[str, int]]:
    """The field's terms among `counts` (see the module docstring), by folded form, most clauses first."""
    general = general_words()
    everyday = STOPWORDS | {w for w in general if "_" not in w}
    # The field's own compounds are terms though their syllables fold like function words ("một cửa").
    own = {fold(w) for w in field_words()}
    by_fold: Counter[str] = Counter()
    shown: dict[str, tuple[int, str]] = {}
    for form, n in counts.items():
        key = fold(form)
        if key.replace(" ", "_") in general or key not in own and all(s in everyday for s in key.split()):
            continue
        by_fold[key] += n
        if n > shown.get(key, (0, ""))[0]:
            shown[key] = (n, form)
    return [(shown[key][1], n) for key, n in by_fold.most_common()]


def glossary_by_term() -> dict[str, str]:
    """Each Vietnamese side of the glossary (folded; every alternative of a row, the parts of one
    joined by a comma too: "theo dõi, đôn đốc") → one English phrase for it. A term only inside a
    longer side ("hành chính" in "thủ tục hành chính") is not covered: no English word reaches it alone."""
    out: dict[str, str] = {}
    for row in _data_lines("english.tsv"):
        for side in row[1].split("|") if len(row) > 1 else ():
            for part in (side, *side.split(",")):
                out.setdefault(" ".join(words(fold(part))), row[0])
    return out


def main() -> None:
    """Print the field's terms and the glossary's coverage of them (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="an index already built (else the plans are indexed)")
    ap.add_argument("--plans", type=Path, default=Path(__file__).resolve().parent.parent / "knowledge" / "plans")
    ap.add_argument("--top", type=int, default=500)
    ap.add_argument("--missing", action="store_true", help="print only the terms the glossary lacks")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "kb.db"
        if args.db is None:
            build_index(args.plans, db)
        kb = KnowledgeBase.open(db)
        # Place names are the gazetteer's, not the glossary's.
        terms = [(t, n) for t, n in field_terms(clause_terms(kb))
                 if not any(e - s >= len(t) for _name, s, e in kb.reader.gazetteer.find(t))][:args.top]
        kb.close()
    glossary = glossary_by_term()
    covered = 0
    for term, n in terms:
        english = glossary.get(fold(term))
        covered += english is not None
        if english is None or not args.missing:
            print(f"{n}\t{term}\t{english or '-'}")
    print(f"covered {covered} of the top {len(terms)} field terms", file=sys.stderr)


if __name__ == "__main__":
    main()
