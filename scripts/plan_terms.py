#!/usr/bin/env python3
"""The most frequent multi-word terms of the shipped plans that a lexicon does not cover yet: where
to grow `knowledge/lang/english.tsv` (English renderings) or `thesaurus.tsv` (everyday wordings)
from (issue 8, English and paraphrase questions).

    python scripts/plan_terms.py [--plans knowledge/plans] [--lexicon english|thesaurus] [--top 400] [--all]
    python scripts/plan_terms.py --lexicon thesaurus --min-docs 5 --specific   # the field's own terms

Counts 2- to 4-syllable sequences of the plans' clauses (no number, no function word at either
end) in how many clauses they occur, and prints those the lexicon's plan side does not contain
(with `--all`, every one), most frequent first: COUNT<TAB>TERM. A reviewer writes the entries; the
list is syllable n-grams without word segmentation, so it is noisy ("ngành địa").

With `--min-docs N` only terms found in at least N of the plans are listed (the field's vocabulary,
not one plan's subject), most plans first, and each row gives DOCUMENTS<TAB>CLAUSES<TAB>TERM.
`--specific` leaves out everyday words (lang/general.txt, and lang/general_freq.txt generated from
wordfreq's Vietnamese list by scripts/general_words.py) and runs of function words, told by their
marks (lang/stopword_forms.txt: "chủ trì" is no "chứ"). It judges whole terms: a compound of
everyday syllables ("hậu kiểm") is the field's own word.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.reader import STOPWORDS, _data_lines  # noqa: E402
from knowledge.text import fold, normalize, words  # noqa: E402


def _function_forms() -> tuple[frozenset[str], frozenset[str]]:
    """The function words' spellings with their marks (lang/stopword_forms.txt), and the folded
    function words that file gives spellings for."""
    forms = frozenset(w for r in _data_lines("stopword_forms.txt") for w in r[0].split())
    return forms, frozenset(fold(w) for w in forms)


def function_word(syllable: str) -> bool:
    """Whether a syllable (lower case, with its marks) is a function word: by its spelling where
    lang/stopword_forms.txt lists the word's ("chủ" in "chủ trì" is no "chú", "nối" no "nói"),
    else by its folded form."""
    forms, listed = _FUNCTION_FORMS
    key = fold(syllable)
    return syllable in forms if key in listed else key in STOPWORDS


_FUNCTION_FORMS = _function_forms()


def plan_terms(plans: Path, sizes: tuple[int, ...] = (2, 3, 4), documents: Counter[str] | None = None) -> Counter[str]:
    """Terms (lower case, with their marks) of the plans in `plans` → the number of lines
    (clauses) holding them; `documents`, when given, is filled with the number of plans holding each."""
    counts: Counter[str] = Counter()
    for path in sorted(plans.rglob("*")):
        if path.suffix not in (".txt", ".md") or not path.is_file():
            continue
        in_doc: set[str] = set()
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            syl = words(normalize(line).lower())
            seen: set[str] = set()
            for n in sizes:
                for i in range(len(syl) - n + 1):
                    gram = syl[i:i + n]
                    if function_word(gram[0]) or function_word(gram[-1]) or any(not s.isalpha() for s in gram):
                        continue
                    seen.add(" ".join(gram))
            counts.update(seen)
            in_doc |= seen
        if documents is not None:
            documents.update(in_doc)
    return counts


def everyday_words() -> frozenset[str]:
    """Folded everyday words that are no topic of the plans (lang/general.txt, lang/general_freq.txt)."""
    return frozenset(" ".join(words(fold(r[0]))) for name in ("general.txt", "general_freq.txt")
                     for r in _data_lines(name))


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
    ap.add_argument("--min-docs", type=int, default=0, help="only terms in at least this many plans")
    ap.add_argument("--specific", action="store_true", help="leave out everyday words and runs of function words")
    args = ap.parse_args()
    rendered = covered_text(args.lexicon)
    everyday = everyday_words() if args.specific else frozenset()
    documents: Counter[str] = Counter()
    counts = plan_terms(args.plans, documents=documents)
    ranked = sorted(counts.items(), key=lambda kv: (-documents[kv[0]], -kv[1], kv[0])) if args.min_docs else \
        counts.most_common()
    shown = 0
    for term, n in ranked:
        if n < 2 or shown >= args.top or documents[term] < args.min_docs:
            break
        # Whole terms only: "hậu" and "kiểm" are each everyday syllables, "hậu kiểm" is no everyday word.
        if everyday and (fold(term) in everyday or all(function_word(s) for s in term.split())):
            continue
        if args.all or fold(term) not in rendered:
            print(f"{documents[term]}\t{n}\t{term}" if args.min_docs else f"{n}\t{term}")
            shown += 1


if __name__ == "__main__":
    main()
