"""KnowledgeBase: the read side of the index, what the bot and the command line call."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge import ranker, store
from knowledge.models import Answer, DocumentMeta, Result, Target, Task
from knowledge.provinces import Gazetteer, ProvinceRecord
from knowledge.ranker import WEIGHTS, Candidate, idf, score
from knowledge.reader import Query, Reader
from knowledge.tasks import deadline_end, normalize_deadline
from knowledge.text import Analyzer, fold, normalize, province_token, words

W = WEIGHTS
MERGER_DATE = "2025-07-01"  # the 63 provinces became 34 on this day


class OutdatedIndexError(RuntimeError):
    """The index file was written by another version of the indexer and must be rebuilt."""


@dataclass
class Overview:
    """What the knowledge base holds, for /start and /tinh."""

    documents: int
    clauses: int
    targets: int
    provinces: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    built_at: str = ""


@dataclass
class TargetRow:
    """One structured target with the clause and document it comes from."""

    target: Target
    clause_id: int
    clause_text: str
    meta: DocumentMeta


@dataclass
class TaskRow:
    """One task with the clause and document it comes from."""

    task: Task
    clause_id: int
    clause_text: str
    meta: DocumentMeta


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _fts_terms(units: list[str]) -> list[str]:
    """Quoted FTS5 terms for search units: a single syllable also as part of longer words."""
    out: list[str] = []
    for u in units:
        out.append(f'"{u}"')
        if "_" not in u:
            out.append(f'"_{u}"')
    return out


def _place_match(name: str) -> str:
    """FTS5 terms for a province named in a clause: as one word or as its syllables in a row."""
    sylls = words(fold(name))
    return f'"{"_".join(sylls)}" OR "{" ".join(sylls)}"'


def _number_key(number: str | None) -> str:
    """"01256/QĐ-UBND" → "1256": how people refer to a document."""
    m = re.match(r"\s*0*(\d+)", number or "")
    return m.group(1) if m else ""


class KnowledgeBase:
    """An open index. Loads the small tables (documents, vocabulary) once; clauses stay on disk."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.Lock()
        meta = {r["key"]: json.loads(r["value"]) for r in conn.execute("SELECT key, value FROM meta")}
        if meta.get("index_version") != store.INDEX_VERSION:
            conn.close()
            raise OutdatedIndexError(f"{path} was built by another version of the indexer: "
                                     "rebuild it with `python bot.py index`")
        self.built_at: str = meta.get("built_at", "")
        # Clause ids are stable only within one set of documents: this names that set.
        self.generation: str = str(meta.get("knowledge_hash", ""))[:8] or "0"
        self.analyzer = Analyzer(meta.get("compounds", []), meta.get("abbreviations", {}))
        self.gazetteer = Gazetteer([ProvinceRecord(**r) for r in meta.get("provinces", [])])
        self.topics: list[str] = [t for t, _ in meta.get("topics", [])]
        self.docs: dict[int, DocumentMeta] = {}
        self.doc_years: dict[int, list[int]] = {}
        self.doc_named: dict[int, set[int]] = {}
        for row in conn.execute("SELECT * FROM documents"):
            self.docs[row["id"]] = DocumentMeta(
                file=row["file"], title=row["title"], province=row["province"],
                province_current=row["province_current"], document=row["document"], issued=row["issued"],
                signer=row["signer"], source_url=row["source_url"], extra=json.loads(row["extra"] or "{}"),
            )
            self.doc_years[row["id"]] = json.loads(row["years"] or "[]")
            meta_ = self.docs[row["id"]]
            # Years a plan is "of": its issue year and those its title names (not all of a range).
            self.doc_named[row["id"]] = {y for y in (meta_.year, *map(int, _YEAR.findall(meta_.title or ""))) if y}
        self.numbers = {_number_key(m.document): i for i, m in self.docs.items() if m.document}
        self.by_province: dict[str, set[int]] = defaultdict(set)
        self.by_current: dict[str, set[int]] = defaultdict(set)
        for i, m in self.docs.items():
            if m.province:
                self.by_province[m.province].add(i)
            if m.province_current:
                self.by_current[m.province_current].add(i)
        self.vocab: dict[str, int] = {}
        for term, df in conn.execute("SELECT term, doc FROM vocab"):
            # "_x" (x inside a longer word) counts towards x: the word is known, and as common.
            key = term[1:] if term.startswith("_") else term
            self.vocab[key] = self.vocab.get(key, 0) + df
        self.by_length: dict[int, list[str]] = defaultdict(list)
        for term in self.vocab:
            if "_" not in term and term.isalpha():
                self.by_length[len(term)].append(term)
        self.n_clauses = conn.execute("SELECT count(*) FROM clauses").fetchone()[0]
        # Clause ids of one document are consecutive (written in order): its id range.
        self.doc_rows: dict[int, tuple[int, int]] = {}
        first = 1
        for row in conn.execute("SELECT id, clauses FROM documents ORDER BY id"):
            self.doc_rows[row[0]] = (first, first + (row[1] or 0) - 1)
            first += row[1] or 0
        self.n_targets = conn.execute("SELECT count(*) FROM targets").fetchone()[0]
        # Documents of no province (central government, ministries): named provinces do not
        # exclude them, but only their clauses that name the province can answer for it.
        self.central = {i for i, m in self.docs.items() if not m.province or not self.gazetteer.canonical(m.province)}
        # How each central document's issuer signs its numbers ("664/QĐ-BXD" → "bxd").
        self.issuer_code = {i: fold(self.docs[i].document or "").rsplit("-", 1)[-1] for i in self.central
                            if "-" in (self.docs[i].document or "")}
        self.reader = Reader(self.analyzer, self.gazetteer, self.vocab, self.by_length, self.numbers.keys())

    @classmethod
    def open(cls, path: Path) -> KnowledgeBase:
        """Open an index built by `build_index`."""
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"no index at {path}: run `python bot.py index`")
        return cls(path, store.connect(path))

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def _rows(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # --- search ------------------------------------------------------------------------------

    def read(self, question: str) -> Query:
        """The question as the engine reads it (filters, intent and terms), for logs and tests."""
        return self.reader.read(question)

    def _weight(self, unit: str) -> float:
        """IDF of a search unit. A word weighs at most a little more than its rarest syllable:
        a rare spelling ("xếp hạng" once) must not outweigh the meaning ("hạng" everywhere)."""
        w = idf(self.vocab.get(unit, 0), self.n_clauses)
        if "_" in unit:
            cap = max(idf(self.vocab.get(s, 0), self.n_clauses) for s in unit.split("_"))
            # A word the plans never use still weighs a lot ("thời tiết" is not their subject),
            # but not more than its rarest syllable and a bit: typed without diacritics, a
            # "word" can be two words that merely fold alike ("cũ đạt" → "cu dat").
            w = min(w, cap * W.known_cap if self.vocab.get(unit) else cap + W.unknown_extra)
        return w

    def _known(self, units: tuple[str, ...]) -> bool:
        return all(self.vocab.get(u) for u in units)

    def _term_weights(self, q: Query) -> tuple[dict[str, float], set[str]]:
        """Weight of each term, and the terms the plans use. A thesaurus term weighs what its
        most common known spelling weighs (the concept, not the user's rare wording)."""
        weights: dict[str, float] = {}
        known: set[str] = set()
        for t in q.terms:
            alts = [a for a in q.alternatives.get(t, ()) if a and self._known(a)]
            if alts:
                weights[t] = min(max(self._weight(u) for u in a) for a in alts)
                known.add(t)
            else:
                weights[t] = self._weight(t)
                if self.vocab.get(t):
                    known.add(t)
        strong = sorted((weights[t] for t in known), reverse=True)
        if len(strong) >= W.unknown_cap_after:
            # One word the plans never use ("so sánh", "trả lời") cannot outweigh a question
            # that several of their words already describe; a question mostly of such words
            # ("giá vàng hôm nay") still falls under the coverage an answer needs.
            cap = strong[0] * W.unknown_cap
            for t in weights:
                if t not in known:
                    weights[t] = min(weights[t], cap)
        return weights, known

    def _fts_units(self, q: Query, term: str) -> list[str]:
        """Units FTS searches for a term: the term, or the rarest unit of each known spelling."""
        alts = [a for a in q.alternatives.get(term, ()) if a and self._known(a)]
        if not alts:
            return [term]
        return list(dict.fromkeys(min(a, key=lambda u: self.vocab.get(u, 0)) for a in alts))

    def _allowed_docs(self, q: Query) -> set[int] | None:
        """Documents a question is restricted to (by number, else by province); None = all."""
        if q.doc_numbers:
            return {self.numbers[n] for n in q.doc_numbers if n in self.numbers}
        if q.owners and not q.provinces:
            return {d for d, code in self.issuer_code.items() if code in q.owners}
        if q.provinces:
            found = self._own_docs(q)
            return found | self.central if found or self._central_mentions(q) else found
        return None

    def _own_docs(self, q: Query) -> set[int]:
        """The named provinces' own documents: those of the province as named and, for a province
        that merged into another, the receiving province's documents issued since the merger
        (a pre-merger plan of the receiving province does not cover the merged one)."""
        found: set[int] = set()
        for name in q.provinces:
            found |= self.by_province.get(name, set())
            current = self.gazetteer.current(name) or name
            if current != name:
                found |= {d for d in self.by_current.get(current, set())
                          if (self.docs[d].issued or "") >= MERGER_DATE or self.docs[d].province == name}
        return found

    def _place_names(self, q: Query) -> list[str]:
        return list(dict.fromkeys([*q.provinces, *q.currents]))

    def _central_mentions(self, q: Query) -> bool:
        """Does any central document name one of the question's provinces?"""
        if not self.central:
            return False
        match = " OR ".join(_place_match(p) for p in self._place_names(q))
        lo, hi = min(self.doc_rows[d][0] for d in self.central), max(self.doc_rows[d][1] for d in self.central)
        rows = self._rows("SELECT rowid FROM clauses_fts WHERE clauses_fts MATCH ? AND rowid BETWEEN ? AND ? LIMIT 1",
                          (f"body : ({match})", lo, hi))
        return bool(rows)

    def _notes(self, q: Query) -> list[dict[str, Any]]:
        """What to explain beside the answer: old province names, a province or a year with no plan."""
        notes: list[dict[str, Any]] = []
        for name in q.provinces:
            current = self.gazetteer.current(name)
            if current and current != name:
                notes.append({"kind": "old_province", "province": name, "current": current, "since": MERGER_DATE})
        if q.provinces and not q.doc_numbers:
            own = self._own_docs(q)
            if not own:
                notes.append({"kind": "no_document", "provinces": list(q.provinces),
                              "available": sorted({m.province for i, m in self.docs.items()
                                                   if m.province and i not in self.central})})
            elif q.years and not self._years_held(own, q.years):
                years = sorted({y for d in own for y in (*self.doc_named[d], *self.doc_years[d])})
                notes.append({"kind": "no_year", "provinces": list(q.provinces), "years": list(q.years),
                              "available": years})
        if q.owners and not q.provinces and not q.doc_numbers and not any(
                code in q.owners for code in self.issuer_code.values()):
            notes.append({"kind": "no_document", "provinces": list(q.owner_names),
                          "available": sorted({self.docs[d].province or "" for d in self.docs if d not in self.central}
                                              - {""})})
        if q.language == "en":
            notes.insert(0, {"kind": "english"})
        return notes

    def _years_held(self, docs: set[int], years: tuple[int, ...]) -> bool:
        """Does one of the documents cover, or one of its clauses name, one of the years?"""
        if any(y in self.doc_named[d] or y in self.doc_years[d] for d in docs for y in years):
            return True
        marks = ",".join("?" * len(docs))
        for y in years:
            if self._rows(f"SELECT 1 FROM clauses WHERE doc_id IN ({marks}) AND instr(years, ?) LIMIT 1",
                          [*sorted(docs), str(y)]):
                return True
        return False

    def search(self, question: str, *, top: int = 3, offset: int = 0) -> Answer:
        """Ranked clauses for a question; `answered` False when nothing is relevant."""
        q = self.read(question)
        top = max(1, min(int(top), 50))
        offset = max(0, int(offset))
        allowed = self._allowed_docs(q)
        notes = self._notes(q)
        if allowed is not None and not allowed or any(n["kind"] == "no_year" for n in notes):
            # Never another province's or another year's plan silently: say what is missing.
            return Answer(question=q.text, answered=False, results=[], notes=notes)
        # Words the plans never use keep their full weight: a question mostly about them
        # ("thời tiết", "giá vàng") cannot reach the coverage an answer needs.
        if q.reduced:
            return Answer(question=q.text, answered=False, results=[],
                          notes=[{"kind": "too_short", "terms": list(q.terms)}])
        weights, known = self._term_weights(q)
        if not known and (allowed is None or weights):
            return Answer(question=q.text, answered=False, results=[], notes=notes)
        ranked = self._rank(q, weights, known, allowed)
        answered = bool(ranked) and (ranked[0].coverage >= W.min_coverage or not weights)
        if not answered:
            return Answer(question=q.text, answered=False, results=[], notes=notes)
        seen: set[tuple[int, str]] = set()
        cut = []
        for c in ranked:
            # The same clause text twice in one document (a target repeated in an appendix) once.
            key = (c.doc_id, c.text_norm)
            if key in seen or not (c.coverage >= W.min_coverage * W.shown or not weights):
                continue
            seen.add(key)
            cut.append(c)
        page = cut[offset:offset + top]
        results = self._results([c.clause_id for c in page], {c.clause_id: c.score for c in page})
        for r in results:
            r.targets = _by_relevance(r.text, r.targets, list(q.terms))
        return Answer(question=q.text, answered=True, results=results, more=len(cut) > offset + top, notes=notes)

    def _rank(self, q: Query, weights: dict[str, float], known: set[str],
              allowed: set[int] | None) -> list[Candidate]:
        rows = self._candidates(q, weights, known, allowed)
        if not rows:
            return []
        kinds = self._target_kinds([r["id"] for r in rows if r["targets"]]) if q.wants_figure else {}
        query_folded = " ".join(t for t in q.terms if "_" not in t)
        out: list[Candidate] = []
        for r in rows:
            out.append(self._candidate(r, q, weights, known, kinds.get(r["id"], frozenset())))
        if query_folded:
            # Similarity only separates near equals: computed for the leaders, not for all.
            out.sort(key=lambda c: -c.score)
            for c in out[:W.similar_top]:
                c.score += W.similarity * ranker.similarity(query_folded, c.body_text)
        if q.intent.metadata:
            # A metadata question ("ai ký", "ban hành ngày nào") is answered by a clause that states
            # it, in the document the rest of the question points to.
            doc_best: dict[int, float] = defaultdict(float)
            for c in out:
                doc_best[c.doc_id] = max(doc_best[c.doc_id], c.coverage)
            # The clause stating the document's own signer or date (its signature block, its
            # date line) joins the candidates of the documents the question points to.
            seen = {c.clause_id for c in out}
            for doc_id in sorted(doc_best, key=lambda d: -doc_best[d])[:2]:
                for r in self._statement_rows(q, doc_id):
                    if r["id"] not in seen:
                        seen.add(r["id"])
                        out.append(self._candidate(r, q, weights, known))
            for c in out:
                own = self._statements(q, c.doc_id)
                if own and (q.intent.signer or q.intent.issued) and not (q.intent.agency or q.intent.number):
                    # The document's own signer or date is known: only a clause that states it
                    # answers ("Căn cứ Nghị quyết … ngày 15/7/2021" dates another document).
                    if any(k in c.text_norm for k in own):
                        c.coverage = max(c.coverage, doc_best[c.doc_id])
                        c.score += W.metadata + W.own_statement + doc_best[c.doc_id]
                elif q.satisfied_by(c.text_norm, self.docs[c.doc_id].signer):
                    c.coverage = max(c.coverage, doc_best[c.doc_id])
                    c.score += W.metadata + doc_best[c.doc_id]
        out.sort(key=lambda c: (-c.score, c.clause_id))
        return out

    def _target_kinds(self, ids: list[int]) -> dict[int, frozenset[str]]:
        """Whether each clause's figures are targets or results."""
        if not ids:
            return {}
        found: dict[int, set[str]] = defaultdict(set)
        for r in self._rows(f"SELECT clause_id, kind FROM targets WHERE clause_id IN ({','.join('?' * len(ids))})", ids):
            found[r["clause_id"]].add(r["kind"] or "target")
        return {i: frozenset(k) for i, k in found.items()}

    def _candidate(self, r: sqlite3.Row, q: Query, weights: dict[str, float], known: set[str],
                   target_kinds: frozenset[str] = frozenset()) -> Candidate:
        m = self.docs[r["doc_id"]]
        c = Candidate(
            clause_id=r["id"], doc_id=r["doc_id"], body=set(r["body"].split()), context_text=r["context"],
            text_norm=r["norm"], years_json=r["years"], doc_years=self.doc_years[r["doc_id"]],
            doc_named=self.doc_named[r["doc_id"]],
            doc_province=m.province, doc_current=m.province_current, has_target=bool(r["targets"]),
            length=len(r["text"]), ordinal=r["ordinal"], central=r["doc_id"] in self.central,
            issuer=self.issuer_code.get(r["doc_id"], ""), target_kinds=target_kinds,
        )
        score(c, q, weights, known)
        if not weights:
            c.score -= 0.01 * c.ordinal
        c.body_text = r["body"]
        return c

    def _statements(self, q: Query, doc_id: int) -> list[str]:
        """How a document states what a metadata question asks: its signer's name, its date."""
        m = self.docs[doc_id]
        out: list[str] = []
        if q.intent.signer and m.signer:
            out.append(normalize(m.signer))
        if q.intent.issued and m.issued and len(m.issued) == 10:
            y, mo, d = m.issued.split("-")
            out += [f"ngày {int(d)} tháng {int(mo)} năm {y}", f"ngày {d} tháng {mo} năm {y}",
                    f"ngày {d} tháng {int(mo)} năm {y}", f"{int(d)}/{int(mo)}/{y}", f"{d}/{mo}/{y}"]
        return out

    def _statement_rows(self, q: Query, doc_id: int) -> list[sqlite3.Row]:
        rows: list[sqlite3.Row] = []
        for key in self._statements(q, doc_id):
            rows += self._rows(f"SELECT {self._COLUMNS} FROM clauses c WHERE c.doc_id = ? AND instr(c.norm, ?) "
                               "ORDER BY c.ordinal LIMIT 2", (doc_id, key))
        return rows

    _COLUMNS = "c.id, c.doc_id, c.body, c.context, c.norm, c.text, c.years, c.ordinal, c.targets"

    def _candidates(self, q: Query, weights: dict[str, float], known: set[str],
                    allowed: set[int] | None) -> list[sqlite3.Row]:
        """The clauses worth re-ranking, fetched with as little work in SQLite as possible."""
        ranges = [self.doc_rows[d] for d in sorted(allowed)] if q.doc_numbers and allowed else []
        if not weights:
            # Only filters (a document number, a province): the documents' opening clauses.
            docs = sorted((allowed or set()) - (self.central if q.provinces else set()) or (allowed or ()))
            return self._rows(f"SELECT {self._COLUMNS} FROM clauses c WHERE c.doc_id IN "
                              f"({','.join('?' * len(docs))}) ORDER BY c.doc_id, c.ordinal LIMIT ?",
                              [*docs, W.candidates])
        found = self._match(q, weights, known)
        if found is None:
            return []
        match, ranked = found
        where = "clauses_fts MATCH ?"
        params: list[Any] = [match]
        if len(ranges) == 1:
            where += " AND rowid BETWEEN ? AND ?"  # FTS5 narrows its own scan to the document
            params += list(ranges[0])
        # Top ids first, then the clause rows: joining before LIMIT would read every match.
        order = " ORDER BY bm25(clauses_fts, 1.0, 0.4)" if ranked else ""
        rows = self._rows(f"SELECT {self._COLUMNS} FROM (SELECT rowid AS hit FROM clauses_fts WHERE {where}"
                          f"{order} LIMIT ?) JOIN clauses c ON c.id = hit", [*params, W.candidates])
        if allowed is not None and (len(ranges) > 1 or not ranges):
            rows = [r for r in rows if r["doc_id"] in allowed]
        return rows

    def _match(self, q: Query, weights: dict[str, float], known: set[str]) -> tuple[str, bool] | None:
        """The FTS5 query that finds every clause that could be shown, and few others.

        A clause is shown only when it holds enough of the question's weight, so it must
        contain at least one of the rarest words that together outweigh the rest: only those
        are searched (short posting lists), not every word of the question. None when even all
        known words together cannot make an answer."""
        total = sum(weights.values())
        need = total * (1.0 - W.min_coverage * W.shown)
        must: list[str] = []
        acc = 0.0
        for t in sorted(known, key=lambda t: (-weights[t], t)):
            if weights[t] < W.useless_weight:
                break  # in (nearly) every clause: it cannot tell clauses apart
            must.append(t)
            acc += weights[t]
            if acc > need or len(must) >= W.fts_terms:
                break
        if sum(weights[t] for t in known) < total * W.min_coverage * W.shown:
            return None
        if not must:
            return None
        postings = sum(self.vocab.get(u, 0) for t in must for u in self._fts_units(q, t))
        places = ""
        if q.currents and not q.doc_numbers:
            places = " OR ".join(f'"{province_token(p)}"' for p in q.currents)
            if self.central:
                # A central document's clause that names the province (its appendix row).
                places += " OR " + " OR ".join(_place_match(p) for p in self._place_names(q))
            postings = min(postings, sum(self.vocab.get(province_token(p), 0) for p in q.currents))
        if postings <= W.rank_budget or q.doc_numbers:
            match = " OR ".join(_fts_terms([u for t in must for u in self._fts_units(q, t)]))
            ranked = True
        else:
            # Only words found in most clauses ("cải cách hành chính"): ranking every match costs
            # more than it tells. Clauses holding all of them are taken as they come instead.
            match = " AND ".join(f"({' OR '.join(_fts_terms(self._fts_units(q, t)))})"
                                 for t in sorted(known, key=lambda t: -weights[t]) if weights[t] >= W.useless_weight)
            ranked = False
        if places:
            match = f"({match}) AND ({places})"
        return match, ranked

    def _results(self, ids: list[int], scores: dict[int, float] | None = None) -> list[Result]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = {r["id"]: r for r in self._rows(f"SELECT id, doc_id, text, section FROM clauses WHERE id IN ({marks})",
                                                ids)}
        targets: dict[int, list[Target]] = defaultdict(list)
        for t in self._rows(f"SELECT * FROM targets WHERE clause_id IN ({marks}) ORDER BY id", ids):
            targets[t["clause_id"]].append(_target(t))
        out = []
        for i in ids:
            r = rows.get(i)
            if r is None:
                continue
            out.append(Result(clause_id=i, text=r["text"], score=(scores or {}).get(i, 0.0),
                              meta=self.docs[r["doc_id"]], section=r["section"] or "", targets=targets[i]))
        return out

    # --- browsing ----------------------------------------------------------------------------

    def overview(self) -> Overview:
        """Counts, provinces, years and build time."""
        provinces = sorted({m.province for m in self.docs.values() if m.province})
        years = sorted({y for y in (m.year for m in self.docs.values()) if y})
        return Overview(documents=len(self.docs), clauses=self.n_clauses, targets=self.n_targets,
                        provinces=provinces, years=years, built_at=self.built_at)

    def documents(self) -> list[DocumentMeta]:
        """Every indexed document's metadata, by province then date."""
        return sorted(self.docs.values(), key=lambda m: (fold(m.province or "~"), m.issued or "", m.file))

    def find_document(self, number: str) -> DocumentMeta | None:
        """A document by its number, as typed ("1256", "1256/QĐ-UBND", "1256/qd-ubnd")."""
        key = _number_key(fold(number))
        if key in self.numbers:
            return self.docs[self.numbers[key]]
        return None

    def clause(self, clause_id: int) -> Result | None:
        """One clause with its source."""
        found = self._results([int(clause_id)])
        return found[0] if found else None

    def neighbours(self, clause_id: int, *, before: int = 1, after: int = 1) -> list[Result]:
        """The clauses around one clause in its document, in document order (itself excluded)."""
        row = self._rows("SELECT doc_id, ordinal FROM clauses WHERE id = ?", (int(clause_id),))
        if not row:
            return []
        doc_id, ordinal = row[0]["doc_id"], row[0]["ordinal"]
        ids = [r["id"] for r in self._rows(
            "SELECT id FROM clauses WHERE doc_id = ? AND ordinal BETWEEN ? AND ? AND ordinal != ? ORDER BY ordinal",
            (doc_id, ordinal - before, ordinal + after, ordinal))]
        return self._results(ids)

    def targets(self, topic: str, *, province: str | None = None, year: int | None = None,
                limit: int = 20) -> list[TargetRow]:
        """Structured targets on a topic (free text), optionally one province (old or new name) / year."""
        question = " ".join(p for p in (topic, province or "", str(year or "")) if p)
        answer = self.search(question, top=max(limit, 10))
        terms = list(self.read(topic).terms)
        rows: list[TargetRow] = []
        for r in answer.results:
            scored = _target_overlap(r.text, r.targets, terms) if terms else [(1, t) for t in r.targets]
            # Only the figures the topic is about: "thanh toán trực tuyến" keeps "30% of payments
            # made online" and drops "90% of staff qualified" that shares the clause.
            best = max((n for n, _ in scored), default=0)
            for n, t in scored:
                if best and n < best / 2:
                    continue
                if year and t.deadline and not t.deadline.endswith(str(year)) and r.meta.year != year:
                    continue
                rows.append(TargetRow(target=t, clause_id=r.clause_id, clause_text=r.text, meta=r.meta))
        return rows[:limit]

    def tasks(self, *, agency: str | None = None, province: str | None = None, due_before: str | None = None,
              document: str | None = None, limit: int = 100) -> list[TaskRow]:
        """Tasks the documents assign, by deadline (undated last): `agency` matches inside the lead
        agency or the partners, accents and case aside ("so noi vu" finds "Sở Nội vụ"); `province`
        is a province's old or new name (or "Trung ương"); `due_before` a deadline ("2025-12-31",
        "2026", "31/12/2025") — a task is kept when it is due by then (a "2025-Q3" task is due by
        "2025-09-30"); `document` a document number."""
        docs: set[int] | None = None
        if province:
            canonical = self.gazetteer.canonical(province) or province
            current = self.gazetteer.current(canonical) if self.gazetteer.canonical(province) else None
            docs = {i for i, m in self.docs.items()
                    if fold(m.province or "") in (fold(canonical), fold(province))
                    or (current and m.province_current == current)}
        if document:
            key = _number_key(document)
            named = {i for i, m in self.docs.items() if m.document and _number_key(m.document) == key}
            docs = named if docs is None else docs & named
        rows = self._rows("SELECT t.*, c.text AS clause_text FROM tasks t JOIN clauses c ON c.id = t.clause_id"
                          " ORDER BY t.deadline IS NULL, t.deadline, t.id")
        wanted = fold(agency) if agency else ""
        limit_day = deadline_end(normalize_deadline(due_before) or due_before) if due_before else None
        out: list[TaskRow] = []
        for r in rows:
            if docs is not None and r["doc_id"] not in docs:
                continue
            if wanted and wanted not in fold(f"{r['agency'] or ''} | {r['partners'] or ''}"):
                continue
            if limit_day and ((deadline_end(r["deadline"] or "") or "9999") > limit_day):
                continue
            task = Task(task=r["task"], agency=r["agency"], partners=r["partners"], deadline=r["deadline"],
                        deadline_text=r["deadline_text"], product=r["product"])
            out.append(TaskRow(task=task, clause_id=r["clause_id"], clause_text=r["clause_text"],
                               meta=self.docs[r["doc_id"]]))
            if len(out) >= limit:
                break
        return out

    def suggestions(self, question: str, *, limit: int = 3) -> list[str]:
        """Closest topics the plans do cover, for a question they do not answer."""
        if not self.topics:
            return []
        q = self.read(question)
        text = " ".join(q.terms) or fold(question)
        return ranker.closest(text, self.topics, limit=limit) if text.strip() else self.topics[:limit]


def _target(row: sqlite3.Row) -> Target:
    return Target(value=row["value"], value_text=row["value_text"], unit=row["unit"], qualifier=row["qualifier"],
                  deadline=row["deadline"], level=row["level"], topic=row["topic"], kind=row["kind"] or "target")


def _by_relevance(text: str, targets: list[Target], terms: list[str]) -> list[Target]:
    """A clause's targets, the one the question is about first: "tỷ lệ giao dịch thanh toán
    trực tuyến" puts "30%" before the clause's opening "80%" of procedures."""
    if len(targets) < 2 or not terms:
        return targets
    scored = _target_overlap(text, targets, terms)
    return [t for _, t in sorted(scored, key=lambda p: -p[0])]


def _target_overlap(text: str, targets: list[Target], terms: list[str]) -> list[tuple[int, Target]]:
    """How many of the question's words stand in the phrase of each target."""
    wanted = {p for t in terms for p in t.split("_")}
    folded = fold(text)

    # The phrase a figure stands in ("tỷ lệ giao dịch thanh toán trực tuyến đạt từ 30% trở lên")
    # says what it measures; phrases end at punctuation (not at a decimal comma).
    phrases = re.split(r"[,;:.](?!\d)| va ", folded)

    def overlap(t: Target) -> int:
        number = fold(t.value_text.split("/")[0].split("-")[0].rstrip("%").strip().split(" ")[0])
        for phrase in phrases:
            if number and re.search(rf"(?<![\d,.]){re.escape(number)}(?![\d,])", phrase):
                return len(wanted & set(re.findall(r"\w+", phrase)))
        return 0

    return [(overlap(t), t) for t in targets]
