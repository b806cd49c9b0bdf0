"""One way for the ranking tests to make a clause a candidate: its text as one document's clause,
its words folded as the index folds them, every other field neutral."""

from __future__ import annotations

from knowledge import KnowledgeBase
from knowledge.ranker import WEIGHTS, Candidate, Weights, score, term_weights, token_set
from knowledge.text import fold, words


def clause_candidate(ordinal: int, text: str, *, context: str = "", text_norm: str | None = None,
                     title: frozenset[str] = frozenset(), has_target: bool = False) -> Candidate:
    """`text` as clause `ordinal` of document 1 (`text_norm` defaults to the text as given)."""
    return Candidate(clause_id=ordinal, doc_id=1, body=frozenset(words(fold(text))), context_text=context,
                     text_norm=text if text_norm is None else text_norm, years_json="[]", doc_years=[],
                     doc_named=set(), doc_province=None, doc_current=None, has_target=has_target, length=80,
                     ordinal=ordinal, title=title)


def indexed_candidate(ordinal: int, body: str) -> Candidate:
    """A clause whose FTS column is `body` as the index writes it (its units in order, compounds
    joined by "_"), for the signals that read the column's order."""
    c = clause_candidate(ordinal, body.replace("_", " "))
    c.body, c.body_text = token_set(body), body
    return c


def scored_candidates(kb: KnowledgeBase, question: str, *texts: str, indexed: bool = False,
                      w: Weights = WEIGHTS) -> list[Candidate]:
    """The texts as clauses 1, 2, … of one document, scored for the question as `kb` reads it
    (`indexed`: the texts are FTS columns, see indexed_candidate)."""
    q = kb.read(question)
    weights, known = term_weights(q, kb.vocab, kb.n_clauses)
    out = [(indexed_candidate if indexed else clause_candidate)(i, t) for i, t in enumerate(texts, 1)]
    for c in out:
        score(c, q, weights, known, w)
    return out
