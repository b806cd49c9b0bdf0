"""Retriever: the FTS5 candidates worth ranking for a read question (the SQL is in `store`).

A clause is shown only when it holds enough of the question's weight, so the retriever asks the
full-text index only for clauses holding one of the rarest words that together outweigh the
rest — short posting lists — within the documents the question's filters allow.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from knowledge.ranker import WEIGHTS, Weights, idf
from knowledge.reader import Query
from knowledge.store import IndexReader
from knowledge.text import fold, province_token, words


def fts_terms(units: list[str]) -> list[str]:
    """Quoted FTS5 terms for search units: a single syllable also as part of longer words."""
    out: list[str] = []
    for u in units:
        out.append(f'"{u}"')
        if "_" not in u:
            out.append(f'"_{u}"')
    return out


def place_match(name: str) -> str:
    """FTS5 terms for a province named in a clause: as one word or as its syllables in a row."""
    sylls = words(fold(name))
    return f'"{"_".join(sylls)}" OR "{" ".join(sylls)}"'


def place_names(q: Query) -> list[str]:
    """Every province a question names, as named and as it is today."""
    return list(dict.fromkeys([*q.provinces, *q.currents]))


class Retriever:
    """Candidate clauses from one index."""

    def __init__(self, index: IndexReader, vocab: Mapping[str, int], doc_rows: Mapping[int, tuple[int, int]],
                 central: set[int], w: Weights = WEIGHTS, n: int = 0) -> None:
        self.index = index
        self.n = n or index.count("clauses")  # clauses in the index, for a term's IDF
        self.vocab = vocab
        self.doc_rows = doc_rows
        self.central = central
        self.w = w

    def _known(self, units: tuple[str, ...]) -> bool:
        return all(self.vocab.get(u) for u in units)

    def fts_units(self, q: Query, term: str) -> list[str]:
        """Units FTS searches for a term: the term, or the rarest unit of each known spelling."""
        alts = [a for a in q.alternatives.get(term, ()) if a and self._known(a)]
        if not alts:
            return [term]
        return list(dict.fromkeys(min(a, key=lambda u: self.vocab.get(u, 0)) for a in alts))

    def central_mentions(self, q: Query) -> bool:
        """Does any central document name one of the question's provinces?"""
        if not self.central:
            return False
        match = " OR ".join(place_match(p) for p in place_names(q))
        lo = min(self.doc_rows[d][0] for d in self.central)
        hi = max(self.doc_rows[d][1] for d in self.central)
        return self.index.any_hit(f"body : ({match})", (lo, hi))

    def candidates(self, q: Query, weights: dict[str, float], known: set[str],
                   allowed: set[int] | None) -> list[sqlite3.Row]:
        """The clauses worth re-ranking, fetched with as little work in SQLite as possible."""
        if not weights:
            # Only filters (a document number, a province): the documents' opening clauses.
            docs = sorted((allowed or set()) - (self.central if q.provinces else set()) or (allowed or ()))
            return self.index.opening_clauses(docs, self.w.candidates)
        found = self.match(q, weights, known)
        if found is None:
            return []
        match, ranked, narrow = found
        if allowed is not None and not allowed:
            return []
        # The allowed documents restrict the query itself: filtered after the cap, the 40 best
        # of the whole index may hold few of theirs (an issuer's one plan among 26 documents).
        spans = self.spans(allowed) if allowed is not None else ()
        rows: list[sqlite3.Row] = []
        if narrow:
            # Enough clauses hold every searched word: those outrank any holding some of them, and
            # ranking them alone spares bm25 the thousands of clauses holding one common word.
            rows = self.index.fts_hits(narrow, rowids=None, spans=spans, ranked=True, limit=self.w.candidates)
            if len(rows) < self.w.candidates:
                rows = []
        if not rows:
            rows = self.index.fts_hits(match, rowids=None, spans=spans, ranked=ranked, limit=self.w.candidates)
            cut = self.w.wider and ranked and len(rows) >= self.w.candidates
            rest = self.scored_too(q, weights, known) if cut else []
            if rest:
                # The cap cut the matches, ranked by the searched words alone: a clause holding
                # two of them and four lighter words fell below clauses repeating one. bm25
                # scores every phrase of a query, so "M AND (L)" ranks the matches holding a
                # lighter word by those too; its best join the candidates (the ranker decides).
                seen = {r["id"] for r in rows}
                wide = f"({match}) AND ({' OR '.join(fts_terms(rest))})"
                rows += [r for r in self.index.fts_hits(wide, rowids=None, spans=spans, ranked=True, limit=self.w.wider)
                         if r["id"] not in seen]
        if len(rows) < min(self.w.plain, self.w.candidates):
            # Few or no clauses hold the heaviest words: they may be the user's own, the
            # answer's clause holding the lighter ones.
            rows += self.plain_hits(q, weights, known, spans, {r["id"] for r in rows})
        return rows

    def spans(self, docs: set[int]) -> tuple[tuple[int, int], ...]:
        """The rowid ranges of some documents' clauses, neighbouring documents joined."""
        out: list[tuple[int, int]] = []
        for lo, hi in sorted(self.doc_rows[d] for d in docs if d in self.doc_rows):
            if out and lo <= out[-1][1] + 1:
                out[-1] = (out[-1][0], max(hi, out[-1][1]))
            else:
                out.append((lo, hi))
        return tuple(out)

    def plain_hits(self, q: Query, weights: dict[str, float], known: set[str],
                   spans: tuple[tuple[int, int], ...], seen: set[int]) -> list[sqlite3.Row]:
        """A second, plain candidate source: the best bm25 matches of the question's known words
        as one OR query (heaviest first, their posting lists within `Weights.rank_budget`), in the
        places the question names. The first source searches only the heaviest words (`must`),
        so a clause holding many lighter ones and none of those, or one ranked below the cap by
        those alone, is found here; the ranker decides between both."""
        units = self.within_budget(q, weights, known)
        if not units:
            return []
        match = " OR ".join(fts_terms(units))
        places = self.places(q)
        if places:
            match = f"({match}) AND ({places})"
        return [r for r in self.index.fts_hits(match, rowids=None, spans=spans, ranked=True, limit=self.w.plain)
                if r["id"] not in seen]

    def places(self, q: Query) -> str:
        """FTS5 terms for the provinces a question names (none when a document number names its
        document): a clause of their documents, or a central document's clause naming one."""
        if not q.currents or q.doc_numbers:
            return ""
        places = " OR ".join(f'"{province_token(p)}"' for p in q.currents)
        if self.central:
            # A central document's clause that names the province (its appendix row).
            places += " OR " + " OR ".join(place_match(p) for p in place_names(q))
        return places

    def must(self, q: Query, weights: dict[str, float], known: set[str]) -> list[str]:
        """The heaviest known words, one of which every clause that could be shown holds."""
        w = self.w
        need = sum(weights.values()) * (1.0 - w.min_coverage * w.shown)
        must: list[str] = []
        acc = 0.0
        stated = q.stated_terms
        named = self.subject_words(q)
        for t in sorted(known, key=lambda t: (-(self.rarity(q, t, weights[t]) if t in named else weights[t]), t)):
            if weights[t] < w.useless_weight:
                continue  # in (nearly) every clause: it cannot tell clauses apart
            must.append(t)
            # "được 75 điểm thì …": the clause answering may state a range, not the figure; the
            # figure is searched, but the words beside it must find the clause too.
            acc += 0.0 if t in stated else weights[t]
            if acc > need or len(must) >= w.fts_terms:
                break
        return must

    @staticmethod
    def subject_words(q: Query) -> frozenset[str]:
        """The question's words of several syllables that name an issuer it asks about, not the
        document's owner ("Công điện của Thủ tướng … yêu cầu Bộ Nội vụ …": "nội vụ")."""
        sylls = {p for name in q.subject_issuers if not name.startswith("-") for p in words(fold(name))}
        return frozenset(t for t in q.terms if "_" in t and all(p in sylls for p in t.split("_"))) if sylls \
            else frozenset()

    def rarity(self, q: Query, t: str, weight: float) -> float:
        """How well a term naming the issuer asked about tells clauses apart in the full-text
        search: its weight, or the IDF of its searched units' postings when higher. A word weighs
        at most a little more than its rarest syllable (`ranker.weight`), so "Bộ Nội vụ", "Bộ Tư
        pháp" — rare words of common syllables — weighed less than a long central document's
        topic words ("cắt giảm", "sản xuất", "liên quan") and were left unsearched: bm25 over the
        topic words then ranked the one clause stating that ministry's task below the cap. Only
        the search's order changes; the coverage an answer needs still reads the weight."""
        postings = sum(self.vocab.get(u, 0) for u in self.fts_units(q, t))
        return max(weight, idf(postings, self.n)) if postings else weight

    def scored_too(self, q: Query, weights: dict[str, float], known: set[str]) -> list[str]:
        """Units of the known words not searched (heaviest first) that a second ranking also
        scores: their posting lists together within `Weights.rank_budget`."""
        return self.within_budget(q, weights, known - set(self.must(q, weights, known)))

    def within_budget(self, q: Query, weights: dict[str, float], terms: set[str]) -> list[str]:
        """Units of some known words, heaviest first, their posting lists together within
        `Weights.rank_budget` (a word whose lists would exceed it is left out)."""
        out: list[str] = []
        budget = self.w.rank_budget
        for t in sorted(terms, key=lambda t: (-weights[t], t)):
            if weights[t] < self.w.useless_weight:
                break
            units = [u for u in self.fts_units(q, t) if u not in out]
            cost = sum(self.vocab.get(u, 0) for u in units)
            if cost > budget:
                continue
            budget -= cost
            out += units
        return out

    def match(self, q: Query, weights: dict[str, float], known: set[str]) -> tuple[str, bool, str | None] | None:
        """The FTS5 query that finds every clause that could be shown, and few others, whether to
        rank it by bm25, and when it matches many clauses (`Weights.all_words_first`) the query
        for the clauses holding every searched word (one word searched alone: and the next
        heaviest), tried first. None when even all known words together cannot make an answer."""
        w = self.w
        total = sum(weights.values())
        must = self.must(q, weights, known)
        if sum(weights[t] for t in known) < total * w.min_coverage * w.shown:
            return None
        if not must:
            return None
        postings = sum(self.vocab.get(u, 0) for t in must for u in self.fts_units(q, t))
        places = self.places(q)
        if places:
            postings = min(postings, sum(self.vocab.get(province_token(p), 0) for p in q.currents))
        narrow = None
        if postings <= w.rank_budget or q.doc_numbers:
            match = " OR ".join(fts_terms([u for t in must for u in self.fts_units(q, t)]))
            ranked = True
            if postings > w.all_words_first:
                # One word outweighing the rest: with the next heaviest, the clauses it ranks first.
                both = must if len(must) > 1 else [t for t in sorted(known, key=lambda t: (-weights[t], t))
                                                   if weights[t] >= w.useless_weight][:2]
                if len(both) > 1:
                    narrow = " AND ".join(f"({' OR '.join(fts_terms(self.fts_units(q, t)))})" for t in both)
        else:
            # Only words found in most clauses ("cải cách hành chính"): ranking every match costs
            # more than it tells. Clauses holding all of them are taken as they come instead.
            match = " AND ".join(f"({' OR '.join(fts_terms(self.fts_units(q, t)))})"
                                 for t in sorted(known, key=lambda t: -weights[t]) if weights[t] >= w.useless_weight)
            ranked = False
        if places:
            match = f"({match}) AND ({places})"
            narrow = narrow and f"({narrow}) AND ({places})"
        return match, ranked, narrow
