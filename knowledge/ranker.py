"""Fuzzy matching with rapidfuzz: typo correction against the index vocabulary, and the
string-similarity part of re-ranking. rapidfuzz is imported by this module only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein


def corrections(term: str, vocabulary: Mapping[str, int], *, by_length: Mapping[int, Sequence[str]]) -> list[str]:
    """Vocabulary words close to a misspelt `term` (one or two wrong, missing or doubled
    letters), closest and most frequent first; empty when nothing is close enough."""
    n = len(term)
    if n < 3 or term.isdigit():
        return []
    max_dist = 1 if n < 7 else 2
    pool: list[str] = []
    for size in range(n - max_dist, n + max_dist + 1):
        pool.extend(by_length.get(size, ()))
    if not pool:
        return []
    hits = process.extract(term, pool, scorer=Levenshtein.distance, score_cutoff=max_dist, limit=12)
    return [str(h[0]) for h in sorted(hits, key=lambda h: (h[1], -vocabulary.get(h[0], 0)))]


def similarity(query: str, text: str) -> float:
    """0..1 similarity of a folded question to a folded clause, tolerant of word order."""
    return float(fuzz.token_set_ratio(query, text)) / 100.0


def closest(query: str, choices: Sequence[str], *, limit: int = 3) -> list[str]:
    """The `limit` choices most similar to `query` (for "did you mean" topic suggestions)."""
    hits = process.extract(query, choices, scorer=fuzz.WRatio, limit=limit)
    return [str(h[0]) for h in hits]


def group_similar(keys: Sequence[str], *, cutoff: float = 90.0) -> list[int]:
    """Greedy grouping of near-identical texts: for each key, the position of the earlier key
    that leads its group (its own position when none is at least `cutoff` similar). Callers pass
    the most frequent first, so a typo joins the common spelling rather than the reverse."""
    leaders: list[str] = []
    leader_pos: list[int] = []
    groups: list[int] = []
    for i, key in enumerate(keys):
        hit = process.extractOne(key, leaders, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff) if leaders else None
        if hit is None:
            leaders.append(key)
            leader_pos.append(i)
            groups.append(i)
        else:
            groups.append(leader_pos[hit[2]])
    return groups
