"""KnowledgeBase: the read side of the index, what the bot and the command line call."""

from __future__ import annotations

import functools
import gc
import json
import re
import sqlite3
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from knowledge import numbers, ranker, store
from knowledge.decider import PIECES_SEPARATOR, Decider
from knowledge.models import Answer, DocumentMeta, Result, Target, Task
from knowledge.originals import document_kind
from knowledge.provinces import Gazetteer, ProvinceRecord
from knowledge.ranker import WEIGHTS, Candidate, metadata_bonus, score, term_weights
from knowledge.reader import YEAR, Query, Reader, frames_document, names_with_figures, number_kind, sanitize
from knowledge.retriever import Retriever
from knowledge.tasks import agency_label, deadline_end, normalize_deadline
from knowledge.text import Analyzer, fold, normalize

W = WEIGHTS
# Questions whose reading a KnowledgeBase keeps (a Query is a few KB): every page of an answer, a
# question asked again (inline mode reads the terms of the question it just searched), and the
# questions many people ask are read once. Per open index, so a reload reads afresh.
READ_CACHE_QUESTIONS = 2_048
# The longest answer text that joins pieces (an article and its date): longer is no quotable answer.
MAX_JOINED = 600
# Questions whose shown clauses (id, document, score: a few KB at most) a KnowledgeBase keeps, so
# the next page of an answer, or the question asked again, is neither retrieved nor ranked again:
# they depend only on the question and the open index (the weights are a frozen `ranker.Weights`).
SHOWN_CACHE_QUESTIONS = 1_024
# The function behind Candidate.context, called once per clause without the property's lock.
_CONTEXT = Candidate.__dict__["context"]


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




class KnowledgeBase:
    """An open index. Loads the small tables (documents, vocabulary) once; clauses stay on disk.

    `search()` runs the stages: reader (question → Query), retriever (FTS5 candidates), ranker
    (one scoring function, weights in `ranker.Weights`), decider (answer, refuse, say what is
    missing)."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.index = store.IndexReader(conn)
        meta = self.index.meta()
        if meta.get("index_version") != store.INDEX_VERSION:
            self.index.close()
            raise OutdatedIndexError(f"{path} was built by another version of the indexer: "
                                     "rebuild it with `python bot.py index`")
        self.built_at: str = meta.get("built_at", "")
        # Clause ids are stable only within one set of documents: this names that set.
        self.generation: str = str(meta.get("knowledge_hash", ""))[:8] or "0"
        self.analyzer = Analyzer(meta.get("compounds", []), meta.get("abbreviations", {}), meta.get("compound_forms"))
        self.gazetteer = Gazetteer([ProvinceRecord(**r) for r in meta.get("provinces", [])])
        self.topics: list[str] = [t for t, _ in meta.get("topics", [])]
        self.docs: dict[int, DocumentMeta] = {}
        self.doc_years: dict[int, list[int]] = {}
        self.doc_named: dict[int, set[int]] = {}
        documents = self.index.documents()
        # Thousands of documents share a few year lists: each decoded once (read only after).
        # Their extras, titles, numbers and provinces repeat too (copies of a plan, a province's
        # plans year after year): each distinct value is read once per open (issue 14, cold start).
        years_of: dict[str, list[int]] = {}
        extra_of = functools.cache(json.loads)  # copied per document below: each its own dict
        title_years = functools.cache(lambda title: tuple(map(int, YEAR.findall(title))))
        for row in documents:
            self.docs[row["id"]] = meta_ = DocumentMeta(
                file=row["file"], title=row["title"], province=row["province"],
                province_current=row["province_current"], document=row["document"], issued=row["issued"],
                signer=row["signer"], source_url=row["source_url"],
                extra=dict(extra_of(row["extra"])) if row["extra"] not in (None, "", "{}") else {},
            )
            years = row["years"] or "[]"
            if years not in years_of:
                years_of[years] = json.loads(years)
            self.doc_years[row["id"]] = years_of[years]
            # Years a plan is "of": its issue year and those its title names (not all of a range).
            self.doc_named[row["id"]] = {y for y in (meta_.year, *title_years(meta_.title or "")) if y}
        # Number ("1256") → every document with it: each province issues its own "101/KH-UBND".
        self.numbers: dict[str, set[int]] = defaultdict(set)
        digits_of = functools.cache(numbers.number_digits)
        for i, m in self.docs.items():
            if m.document:
                self.numbers[digits_of(m.document)].add(i)
        self.by_province: dict[str, set[int]] = defaultdict(set)
        self.by_current: dict[str, set[int]] = defaultdict(set)
        for i, m in self.docs.items():
            if m.province:
                self.by_province[m.province].add(i)
            if m.province_current:
                self.by_current[m.province_current].add(i)
        self.vocab: dict[str, int] = {}
        for term, df in self.index.vocabulary():
            # "_x" (x inside a longer word) counts towards x: the word is known, and as common.
            key = term[1:] if term.startswith("_") else term
            self.vocab[key] = self.vocab.get(key, 0) + df
        self.by_length: dict[int, list[str]] = defaultdict(list)
        for term in self.vocab:
            if "_" not in term and term.isalpha():
                self.by_length[len(term)].append(term)
        self.n_clauses = self.index.count("clauses")
        # Clause ids of one document are consecutive (written in order): its id range.
        self.doc_rows: dict[int, tuple[int, int]] = {}
        first = 1
        for row in documents:
            self.doc_rows[row["id"]] = (first, first + (row["clauses"] or 0) - 1)
            first += row["clauses"] or 0
        self.n_targets = self.index.count("targets")
        # Documents of no province (central government, ministries): named provinces do not
        # exclude them, but only their clauses that name the province can answer for it.
        provincial = {p: bool(self.gazetteer.canonical(p)) for p in self.by_province}
        self.central = {i for i, m in self.docs.items() if not m.province or not provincial[m.province]}
        # How each central document's issuer signs its numbers ("664/QĐ-BXD" → "bxd").
        codes = {n: fold(n).rsplit("-", 1)[-1] for n in {self.docs[i].document or "" for i in self.central} if "-" in n}
        self.issuer_code = {i: codes[self.docs[i].document or ""] for i in self.central
                            if "-" in (self.docs[i].document or "")}
        self._fields: OrderedDict[int, tuple[Any, ...]] = OrderedDict()  # clause id → Candidate values (_candidate)
        self._field_names: tuple[str, ...] = ()  # their names, in that order: the same for every clause
        self._titles: dict[int, frozenset[str]] = {}  # document id → its title's words (_title_words)
        self._title_texts: dict[str, frozenset[str]] = {}  # a document's kind and title → its words
        self._kinds: dict[int, str] = {}  # document id → its kind, normalized (_candidate)
        # Number → the kinds of the documents with it ("kh", "qd"): "kh 12" is not directive 12/CT.
        kind_of = {n: number_kind(n) for n in {m.document or "" for m in self.docs.values()}}
        kinds = {n: frozenset(kind_of[self.docs[d].document or ""] for d in ds) for n, ds in self.numbers.items()}
        self.reader = Reader(self.analyzer, self.gazetteer, self.vocab, self.by_length, kinds, self._cites)
        # Sanitized question → its Query, least recently asked first (read); a lock, since the
        # bot's search thread and other callers (inline mode, /sosanh) share one KnowledgeBase.
        self._reads: OrderedDict[str, Query] = OrderedDict()
        self._shown: OrderedDict[str, tuple[tuple[int, int, float], ...] | None] = OrderedDict()  # (search)
        self._reads_lock = threading.Lock()
        self.retriever = Retriever(self.index, self.vocab, self.doc_rows, self.central, n=self.n_clauses)
        self.decider = Decider(self.index, self.docs, self.gazetteer, self.by_province, self.by_current, self.central,
                               self.issuer_code, self.doc_named, self.doc_years)

    @classmethod
    def open(cls, path: Path) -> KnowledgeBase:
        """Open an index built by `build_index`."""
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"no index at {path}: run `python bot.py index`")
        # An open makes ~100,000 small objects that live as long as the index (the dictionary's
        # word tuples, the language data, document rows) and frees none: the cyclic collector's
        # passes over them were a quarter of an open's CPU (issue 14, cold start). Paused for the
        # open only; reference counting frees as always, and the collector runs again after.
        paused = gc.isenabled()
        gc.disable()
        try:
            return cls(path, store.connect(path))
        finally:
            if paused:
                gc.enable()

    def close(self) -> None:
        """Close the database connection."""
        self.index.close()

    # --- search ------------------------------------------------------------------------------

    def _cites(self, digits: str, kind: str) -> bool:
        """Does a clause cite document `digits` of `kind` ("1234/QĐ-UBND" is indexed "1234 qd ubnd")?"""
        return digits.isdigit() and kind.isalnum() and self.index.any_hit(f'"{digits} {kind}"', (0, 1 << 62))

    def read(self, question: str) -> Query:
        """The question as the engine reads it (filters, intent and terms), for logs and tests.
        Kept by its sanitized text (READ_CACHE_QUESTIONS): reading depends only on the text and
        this index, and a Query is never changed once made."""
        key = sanitize(question)
        with self._reads_lock:
            q = self._reads.get(key)
            if q is not None:
                self._reads.move_to_end(key)
                return q
        q = self.reader.read(key)
        with self._reads_lock:
            self._reads[key] = q
            if len(self._reads) > READ_CACHE_QUESTIONS:
                self._reads.popitem(last=False)
        return q

    def _allowed_docs(self, q: Query) -> set[int] | None:
        """Documents a question is restricted to (by number, else by province or issuer); None = all."""
        if q.doc_numbers:
            return self._by_number(q)
        if q.missing_numbers:
            return set()
        if q.owners and not q.provinces:
            return self.decider.issuer_docs(q)
        if q.provinces:
            found = self.decider.own_docs(q)
            for docs in self.decider.stand_in_docs(q).values():
                found |= docs
            return found | self.central if found or self.retriever.central_mentions(q) else found
        return None

    def _by_number(self, q: Query) -> set[int]:
        """The documents a question's numbers name; when several share a number, the province
        and then the year the question names pick among them (a filter that would leave none
        is not applied: the number alone still counts)."""
        found: set[int] = set()
        for n in q.doc_numbers:
            found |= self.numbers.get(n, set())
        if len(found) > 1 and q.provinces:
            place = {d for d in found if self.docs[d].province in q.provinces
                     or self.docs[d].province_current in q.currents}
            found = place or found
        if len(found) > 1 and q.years:
            named = {d for d in found if self.doc_named[d] & set(q.years)}
            found = named or found
        return found

    def search(self, question: str, *, top: int = 3, offset: int = 0) -> Answer:
        """Ranked clauses for a question; `answered` False when nothing is relevant."""
        q = self.read(question)
        if q.provinces and (unheld := self.decider.unheld(q)):
            q = replace(q, unheld=unheld)
        top = max(1, min(int(top), 50))
        offset = max(0, int(offset))
        allowed = self._allowed_docs(q)
        notes = self.decider.notes(q)
        if self.decider.refuses_before_search(q, allowed, notes):
            return Answer(question=q.text, answered=False, results=[], notes=notes)
        if q.reduced:
            return Answer(question=q.text, answered=False, results=[],
                          notes=[{"kind": "too_short", "terms": list(q.terms)}])
        # Words the plans never use keep (most of) their weight: a question mostly about them
        # ("thời tiết", "giá vàng") cannot reach the coverage an answer needs.
        weights, known = term_weights(q, self.vocab, self.n_clauses)
        if not known and (allowed is None or weights):
            return Answer(question=q.text, answered=False, results=[], notes=notes)
        shown: tuple[tuple[int, int, float], ...] | None = None
        with self._reads_lock:
            cached = q.text in self._shown
            if cached:
                shown = self._shown[q.text]
                self._shown.move_to_end(q.text)
        if not cached:
            # What is shown depends only on the question and this index: kept (ids, documents and
            # scores, not the candidates) for the next page and the same question asked again.
            ranked = self.decider.shown(self._rank(q, weights, known, allowed), searched=bool(weights), q=q)
            shown = None if ranked is None else tuple((c.clause_id, c.doc_id, c.score) for c in ranked)
            with self._reads_lock:
                self._shown[q.text] = shown
                if len(self._shown) > SHOWN_CACHE_QUESTIONS:
                    self._shown.popitem(last=False)
        if shown is None:
            if (missing := self.decider.no_match(q)) is not None:
                notes.append(missing)
            return Answer(question=q.text, answered=False, results=[], notes=notes)
        page = shown[offset:offset + top]
        if q.provinces:
            self.decider.label_stand_ins(notes, [doc_id for _, doc_id, _ in page], self.decider.stand_in_docs(q))
        results = self._results([cid for cid, _, _ in page], {cid: score for cid, _, score in page})
        for r in results:
            r.targets = _by_relevance(r.text, r.targets, list(q.terms))
        if q.unheld:
            self.decider.label_named(notes, q.unheld, [r.text for r in results])
        if offset == 0 and results and q.intent.metadata and results[0].clause_id == page[0][0]:
            results = self._with_date_basis(q, results, page[0][1])
        return Answer(question=q.text, answered=True, results=results, more=len(shown) > offset + top, notes=notes)

    def _rank(self, q: Query, weights: dict[str, float], known: set[str],
              allowed: set[int] | None) -> list[Candidate]:
        """Candidates from the retriever, scored by the ranker, best first."""
        rows = self.retriever.candidates(q, weights, known, allowed)
        if not rows:
            return []
        kinds = self._target_kinds([r["id"] for r in rows if r["targets"]]) \
            if q.wants_figure or q.unheld and q.intent.target else {}
        out = [self._candidate(r, q, weights, known, kinds.get(r["id"], frozenset())) for r in rows]
        pairs = ranker.continue_items(out, q, weights, known) if weights else []
        query_folded = " ".join(t for t in q.terms if "_" not in t)
        if query_folded:
            # Similarity only separates near equals: computed for the leaders, not for all.
            out.sort(key=lambda c: -c.score)
            for c in out[:W.similar_top]:
                c.score += W.similarity * ranker.similarity(query_folded, c.body_text)
        ranker.item_details(pairs, q)
        if q.intent.metadata:
            doc_best: dict[int, float] = defaultdict(float)
            for c in out:
                doc_best[c.doc_id] = max(doc_best[c.doc_id], c.coverage)
            # The clause stating the document's own signer or date (its signature block, its
            # date line) joins the candidates of the documents the question points to.
            seen = {c.clause_id for c in out}
            for doc_id in sorted(doc_best, key=lambda d: -doc_best[d])[:2]:
                for key in self._statements(q, doc_id):
                    for r in self.index.clauses_containing(doc_id, key):
                        if r["id"] not in seen:
                            seen.add(r["id"])
                            out.append(self._candidate(r, q, weights, known))
            if q.intent.agency:
                out.extend(self._task_agencies(q, weights, known, out, seen))
            for c in out:
                metadata_bonus(c, q, self._statements(q, c.doc_id), self.docs[c.doc_id].signer, doc_best[c.doc_id])
        out.sort(key=lambda c: (-c.score, c.clause_id))
        return out

    def _task_agencies(self, q: Query, weights: dict[str, float], known: set[str], ranked: list[Candidate],
                       seen: set[int]) -> list[Candidate]:
        """For "đơn vị nào chủ trì <task>": the item stating the lead agency (or partners) right
        after each of the best few task clauses that do not state it themselves, scored as its
        task (see Weights.agency_after). Only a labelled item ("Đơn vị chủ trì: …") counts, and
        the search stops at the next task: an agency further on leads another task."""
        found: list[Candidate] = []
        by_id = {c.clause_id: c for c in ranked}
        tasks = [c for c in sorted(ranked, key=lambda c: -c.score)[:W.agency_tasks] if not q.satisfied_by(c.text_norm)]
        for task in tasks:
            for r in self.index.clauses_after(task.doc_id, task.ordinal, W.agency_after):
                label = agency_label(r["norm"])
                if label is None:
                    continue
                if label == "task":
                    break
                if not q.satisfied_by(r["norm"]):
                    continue
                c = by_id.get(r["id"])
                if c is None:
                    c = by_id[r["id"]] = self._candidate(r, q, weights, known)
                    seen.add(r["id"])
                    found.append(c)
                if task.score > c.score:
                    c.coverage, c.exact, c.score = task.coverage, task.exact, task.score
                break
        return found

    def _target_kinds(self, ids: list[int]) -> dict[int, frozenset[str]]:
        """Whether each clause's figures are targets or results."""
        if not ids:
            return {}
        found: dict[int, set[str]] = defaultdict(set)
        for r in self.index.target_kinds(ids):
            found[r["clause_id"]].add(r["kind"] or "target")
        return {i: frozenset(k) for i, k in found.items()}

    def _candidate(self, r: sqlite3.Row, q: Query, weights: dict[str, float], known: set[str],
                   target_kinds: frozenset[str] = frozenset()) -> Candidate:
        # What a candidate takes from its row and document does not change between questions:
        # gathered once per clause (per open index, so a reload starts afresh), within a bound,
        # as the attributes of a fresh Candidate, copied into each new one (no __init__, no row
        # lookups by name: most of a candidate's cost before it is scored).
        cid = r["id"]
        proto = self._fields.get(cid)
        if proto is None:
            doc_id, body, text, norm = r["doc_id"], r["body"], r["text"], r["norm"]
            m = self.docs[doc_id]
            kind = self._kinds.get(doc_id)
            if kind is None:  # per document, not per clause: thousands of its clauses are candidates
                kind = self._kinds[doc_id] = normalize(document_kind(m.document))
            built = Candidate(
                clause_id=cid, doc_id=doc_id, body=ranker.token_set(body), context_text=r["context"],
                text_norm=norm, years_json=r["years"], doc_years=self.doc_years[doc_id],
                doc_named=self.doc_named[doc_id],
                doc_province=m.province, doc_current=m.province_current, has_target=bool(r["targets"]),
                length=len(text), ordinal=r["ordinal"], central=doc_id in self.central,
                issuer=self.issuer_code.get(doc_id, ""), body_text=body,
                framing=frames_document(text, m.title or "", norm), blank=ranker.blank_form(text),
                kind=kind,
            )
            # Its lead-in's words are read by nearly every question: parsed here, once, and stored
            # where the cached_property keeps its value (reading it first takes the property's
            # lock); its years only when asked.
            built.__dict__["context"] = _CONTEXT.func(built)
            # Kept as a tuple of the values, their names once per index: a Candidate has 30
            # attributes, past what CPython's key-sharing dicts hold, so a copy of its dict is a
            # 1.6 KB table of its own (24,000 of them were 31 MB of the answering peak, issue 14).
            self._field_names = tuple(vars(built))
            proto = tuple(vars(built).values())
            if len(self._fields) >= store.CLAUSE_CACHE_ROWS:
                self._fields.popitem(last=False)  # the oldest
            self._fields[cid] = proto
        c = object.__new__(Candidate)
        c.__dict__.update(zip(self._field_names, proto, strict=True))
        c.target_kinds = target_kinds
        # The title's words count only for a question naming its document (Query.naming): read
        # for those alone, so most questions never analyse the titles of the documents they touch;
        # and for one asking whether a document exists: its title restated answers (Weights.issuing).
        c.title = self._title_words(c.doc_id) if q.naming or q.doc_numbers or q.intent.exists else frozenset()
        # Whether the clause names places with figures matters only to a "which … lowest" question.
        c.names_figures = q.intent.extreme and names_with_figures(r["text"], self._is_place)
        score(c, q, weights, known)
        if not weights:
            c.score -= 0.01 * c.ordinal
        return c

    def _title_words(self, doc_id: int) -> frozenset[str]:
        """Index words of a document's title and of its kind ("Kế hoạch" for "144/KH-UBND"): the
        words a question names the document by (see Weights.title_word). Analysed when first
        ranked, then kept: thousands of documents, few of them ever asked about."""
        found = self._titles.get(doc_id)
        if found is None:
            m = self.docs[doc_id]
            named = f"{document_kind(m.document)} {m.title or ''}"
            # By the text too: copies of a plan (one per province or year) share their title's words.
            found = self._title_texts.get(named)
            if found is None:
                found = self._title_texts[named] = frozenset(self.analyzer.index_text(named).split())
            self._titles[doc_id] = found
        return found

    def _is_place(self, name: str) -> bool:
        return self.gazetteer.canonical(name) is not None

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

    def _with_date_basis(self, q: Query, results: list[Result], doc_id: int) -> list[Result]:
        """The first result of a question asking a document's date, joined with the clause of the
        same document it rests on or resolves to (Decider.date_pieces): one result quoting both,
        verbatim, separated by PIECES_SEPARATOR; the partner not shown again below it."""
        first = results[0]
        pieces = self.decider.date_pieces(q, first.clause_id, doc_id, first.text)
        if not pieces or sum(len(t) for _, t, _ in pieces) + len(PIECES_SEPARATOR) * (len(pieces) - 1) > MAX_JOINED:
            return results
        joined = Result(clause_id=first.clause_id, text=PIECES_SEPARATOR.join(t for _, t, _ in pieces),
                        score=first.score, meta=first.meta, section=first.section, targets=first.targets,
                        parts=[{"clause_id": cid, "text": t, "role": role} for cid, t, role in pieces])
        used = {cid for cid, _, _ in pieces}
        return [joined, *(r for r in results[1:] if r.clause_id not in used)]

    def _results(self, ids: list[int], scores: dict[int, float] | None = None) -> list[Result]:
        if not ids:
            return []
        rows = {r["id"]: r for r in self.index.clause_rows(ids)}
        targets: dict[int, list[Target]] = defaultdict(list)
        for t in self.index.target_rows(ids):
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

    def find_documents(self, typed: str) -> list[tuple[int, DocumentMeta]]:
        """(id, metadata) of every document `typed` names ("1256", "1256/QĐ-UBND", "101 Cần Thơ",
        a file name), by `knowledge.numbers.matches`; by province then date."""
        digits, name = numbers.read(typed).digits, fold(typed.strip())
        ids = set(self.numbers.get(digits, ())) if digits else set()
        ids |= {i for i, m in self.docs.items() if name in (fold(m.file), fold(Path(m.file).name))}
        found = [(i, self.docs[i]) for i in ids if numbers.matches(typed, self.docs[i])]
        return sorted(found, key=lambda im: (fold(im[1].province or "~"), im[1].issued or "", im[1].file))

    def find_document(self, number: str) -> DocumentMeta | None:
        """The document `number` names when it names exactly one (see `find_documents`)."""
        found = self.find_documents(number)
        return found[0][1] if len(found) == 1 else None

    def clause(self, clause_id: int) -> Result | None:
        """One clause with its source."""
        found = self._results([int(clause_id)])
        return found[0] if found else None

    def neighbours(self, clause_id: int, *, before: int = 1, after: int = 1) -> list[Result]:
        """The clauses around one clause in its document, in document order (itself excluded)."""
        place = self.index.clause_place(int(clause_id))
        if place is None:
            return []
        doc_id, ordinal = place
        return self._results(self.index.clause_ids_between(doc_id, ordinal - before, ordinal + after, ordinal))

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
            named = {i for i, _ in self.find_documents(document)}  # the one number matcher
            docs = named if docs is None else docs & named
        rows = self.index.task_rows()
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
