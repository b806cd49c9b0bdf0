"""Decider: answer, refuse, or say what is missing.

Never another province's or another year's plan silently: a province with no document, a year
no plan covers, a central issuer none of whose documents is held, a question too short to
search each give a note (structured data in `Answer.notes`; the chat layer words it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any

from knowledge.models import DocumentMeta
from knowledge.provinces import Gazetteer
from knowledge.ranker import WEIGHTS, Candidate, Weights, names_place
from knowledge.reader import Query, issuer_scope
from knowledge.store import IndexReader

_YEAR = re.compile(r"(?:19|20)\d\d")
MERGER_DATE = "2025-07-01"  # the 63 provinces became 34 on this day
# In a title, years that are no plan's: a date ("Nghị quyết số 214/NQ-CP ngày 23/7/2025") and a
# document's own year after its number ("Quyết định 3369/QĐ-UBND năm 2025 về Kế hoạch … năm 2026").
_TITLE_DATES = re.compile(r"(?i)\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d\b"
                          r"|\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+(?:19|20)\d\d\b"
                          r"|\d+/[\w-]+\s+năm\s+(?:19|20)\d\d\b")


# How a document states its own dates (read on clause texts, lower-cased): a header field in figures
# ("Ngày có hiệu lực: 27/08/2025", "Ngày ban hành | 31/12/2025"), its date line ("Hà Tĩnh, ngày 31
# tháng 12 năm 2025"), and the article saying when it takes effect — from a date it states ("… có
# hiệu lực kể từ ngày 01 tháng 12 năm 2025") or from its signing ("… kể từ ngày ký").
_DATE_FIELD = re.compile(r"(?P<name>[^:|\d]{3,40})[:|]\s*(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\W*")
_DATE_LINE = re.compile(r"[^\W\d_][^,\n|;:]{1,40},\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})"
                        r"\s+năm\s+(?P<y>\d{4})\W*")
_EFFECT_ARTICLE = re.compile(r"(?:có hiệu lực|áp dụng)(?:\s+thi hành)?\s+(?:kể\s+)?từ\s+ngày")
_FROM_SIGNING = re.compile(r"(?:kể\s+)?từ\s+ngày\s+(?:ký|ban hành)(?!\w)")
_STATED_DATE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\b\d{1,2}/\d{1,2}/\d{4}\b")
_EFFECT_FIELD = "ngày có hiệu lực"
_ISSUE_FIELD = "ngày ban hành"
# Between the verbatim pieces of one answer (the article, then the date it resolves to): the mark
# of an omission in a quotation, so the text stays the document's own words.
PIECES_SEPARATOR = " […] "


def _ymd(m: re.Match[str]) -> tuple[int, int, int]:
    return int(m.group("y")), int(m.group("m")), int(m.group("d"))


def date_role(text: str) -> str:
    """What a clause is among a document's statements of its dates: "field" (a header field in
    figures), "date_line", "article" (when it takes effect), or "" (none of them)."""
    low = text.lower().strip()
    if _DATE_FIELD.fullmatch(low):
        return "field"
    if _DATE_LINE.fullmatch(low):
        return "date_line"
    if _EFFECT_ARTICLE.search(low):
        return "article"
    return ""


def plan_years(title: str) -> list[int]:
    """The years a document's title says it is a plan of ("… năm 2022" → [2022], "giai đoạn
    2026-2030" → 2026..2030), leaving out dates and a document's own year."""
    # Imported here: the clause splitter's module (and the cleaning it imports) is the builder's,
    # and only a question about a year's plans reads titles (issue 14: a cold `ask` loads neither).
    from knowledge.clauses import years_in

    return years_in(_TITLE_DATES.sub(" ", title))


class Decider:
    """What a question's filters leave, and whether the ranked clauses answer it."""

    def __init__(self, index: IndexReader, docs: Mapping[int, DocumentMeta], gazetteer: Gazetteer,
                 by_province: Mapping[str, set[int]], by_current: Mapping[str, set[int]], central: set[int],
                 issuer_code: Mapping[int, str], doc_named: Mapping[int, set[int]],
                 doc_years: Mapping[int, list[int]], w: Weights = WEIGHTS) -> None:
        self.index = index
        self.docs = docs
        self.gazetteer = gazetteer
        self.by_province = by_province
        self.by_current = by_current
        self.central = central
        self.issuer_code = issuer_code
        self.doc_named = doc_named
        self.doc_years = doc_years
        self.w = w
        # Provinces that hold a document, for "hiện có: …" (computed once: thousands of documents).
        self.held = sorted({m.province for i, m in docs.items() if m.province and i not in central})
        # The years each document is a plan of, for "có: 2022": those its title names (ranges
        # expanded), else its years. Not its issue year: a plan "năm 2022" signed in
        # December 2021 is no plan of 2021. Computed lazily: only a year no plan covers needs it.
        self._plan_years: dict[int, list[int]] = {}

    @cached_property
    def annual(self) -> dict[int, int]:
        """An annual plan's one year, by document: the title names that year and no other ("… NĂM
        2022"). Read on first use (a year's figure question), not at every open: ~40 ms of a cold
        start at 95k clauses, each distinct title read once (copies of a plan share theirs)."""
        of_title: dict[str, list[int]] = {}
        out: dict[int, int] = {}
        for d, m in self.docs.items():
            title = m.title or ""
            ys = of_title.get(title)
            if ys is None:
                ys = of_title[title] = plan_years(title)
            if len(ys) == 1:
                out[d] = ys[0]
        return out

    def own_docs(self, q: Query) -> set[int]:
        """The named provinces' own documents: those of the province as named and, for a province
        that merged into another, the receiving province's documents issued since the merger
        (a pre-merger plan of the receiving province does not cover the merged one), unless
        the question says the old province merged ("Kon Tum (nay thuộc Quảng Ngãi)", "Đắk Nông
        cũ") and none of its own plans is held: it then asks about the receiving province,
        whose every plan may answer."""
        found: set[int] = set()
        for name in q.provinces:
            found |= self._own(q, name)
        return found

    def _own(self, q: Query, name: str) -> set[int]:
        """One named province's own documents (see own_docs)."""
        own = set(self.by_province.get(name, set()))
        current = self.gazetteer.current(name) or name
        if current != name:
            whole = name in q.merged and not own
            # Said to have merged ("Bắc Giang (nay là Bắc Ninh) … năm 2022"), the receiving
            # province's plan of the year asked covers the old one's ground too; not for its
            # date, signer or number: those asked are the old province's own plan's.
            years = set(q.years) if name in q.merged and not q.intent.metadata else set()
            own |= {d for d in self.by_current.get(current, set())
                    if whole or (self.docs[d].issued or "") >= MERGER_DATE or self.docs[d].province == name
                    or years and not years.isdisjoint(self._years_of((d,)))}
        return own

    def stand_in_docs(self, q: Query) -> dict[str, set[int]]:
        """For each old province named alone ("Kon Tum: …", not "Kon Tum (nay thuộc Quảng Ngãi)")
        that has no document of its own: the receiving province's documents, by that province.
        They are searched, and shown as the receiving province's own, with the note that the old
        province has none (`no_document` gains `instead`): a user asking by the old name would
        rather read the merged province's clause than nothing, told whose it is."""
        found: dict[str, set[int]] = {}
        for name in q.provinces:
            current = self.gazetteer.current(name) or name
            if current != name and not self._own(q, name) and self.by_current.get(current):
                found.setdefault(current, set()).update(self.by_current[current])
        return found

    def unheld(self, q: Query) -> tuple[str, ...]:
        """The named provinces with no document of their own, nor a receiving province's to
        answer in their stead (stand_in_docs): only other documents' clauses naming them (a
        central document's table of provinces, a comparison in another province's plan) can be
        about them (Query.unheld)."""
        if q.doc_numbers:
            return ()
        stand_ins = self.stand_in_docs(q)
        return tuple(p for p in q.provinces
                     if not self._own(q, p) and (self.gazetteer.current(p) or p) not in stand_ins)

    @staticmethod
    def label_named(notes: list[dict[str, Any]], unheld: tuple[str, ...], shown: list[str]) -> None:
        """Say, in the `no_document` note, that the clauses shown are other documents' naming the
        province (`named_in`: Query.unheld): it has no plan, yet they speak of it."""
        named = [p for p in unheld if any(names_place(p, text) for text in shown)]
        for n in notes:
            if named and n["kind"] == "no_document" and n.get("provinces") and not n.get("numbers"):
                n["named_in"] = named

    @staticmethod
    def label_stand_ins(notes: list[dict[str, Any]], shown: list[int], stand_ins: Mapping[str, set[int]]) -> None:
        """Say, in the `no_document` note, whose documents answer instead (see stand_in_docs):
        the receiving provinces one of whose documents is among those shown."""
        instead = [p for p, docs in stand_ins.items() if any(d in docs for d in shown)]
        for n in notes:
            if instead and n["kind"] == "no_document" and n.get("provinces") and not n.get("numbers"):
                n["instead"] = instead

    def issuer_docs(self, q: Query) -> set[int]:
        """Central documents of the issuers the question names as the document's owner."""
        scope = issuer_scope()
        codes = set(q.owners).union(*(scope.get(o, ()) for o in q.owners))
        return {d for d, code in self.issuer_code.items() if code in codes}

    def notes(self, q: Query) -> list[dict[str, Any]]:
        """What to explain beside the answer: old province names, a province, issuer or year with
        no plan, an English question."""
        notes: list[dict[str, Any]] = []
        for name in q.provinces:
            current = self.gazetteer.current(name)
            if current and current != name:
                notes.append({"kind": "old_province", "province": name, "current": current, "since": MERGER_DATE})
        held = self.held
        if q.provinces and not q.doc_numbers:
            own = self.own_docs(q)
            # An old province with no document of its own is answered from the province it merged
            # into (stand_in_docs), but not from a plan of another year: that year is said missing.
            stand_ins = set().union(*self.stand_in_docs(q).values()) if q.years and not own else set()
            if q.years and (own or stand_ins) and not self._years_held(own or stand_ins, q.years, q.intent.exists):
                notes.append(self._no_year(q))
            elif not own:
                notes.append({"kind": "no_document", "provinces": list(q.provinces), "available": held})
        if q.missing_numbers:
            notes.append({"kind": "no_document", "provinces": [], "numbers": list(q.missing_numbers),
                          "available": []})
        if q.owners and not q.provinces and not q.doc_numbers and not self.issuer_docs(q):
            notes.append({"kind": "no_document", "provinces": list(q.owner_names), "available": held})
        if q.language == "en":
            notes.insert(0, {"kind": "english"})
        return notes

    def no_match(self, q: Query) -> dict[str, Any] | None:
        """For a question asking whether a plan exists ("Lào Cai có kế hoạch cải thiện chỉ số PAPI
        không") that no clause answers: the named provinces' own documents, number and title,
        so the asker learns what is held on other subjects ("Chưa có văn bản … về nội dung này;
        hiện có: …"); None for another question, or when they hold none (the `no_document` note
        says so)."""
        if not (q.intent.exists and q.provinces):
            return None
        held = [" ".join(part for part in (self.docs[d].document, self.docs[d].title) if part)
                for d in sorted(self.own_docs(q))]
        return {"kind": "no_match", "provinces": list(q.provinces), "held": held} if held else None

    def _no_year(self, q: Query) -> dict[str, Any]:
        """The note for a year none of the named provinces' plans covers: the years their own
        plans are of and, for an old province, those of the province it merged into ("Chưa có kế
        hoạch năm 2023 của Bắc Giang; có: 2022" and what Bắc Ninh holds), each said of its own
        province: a pre-merger plan of the receiving province is not the old one's."""
        note: dict[str, Any] = {"kind": "no_year", "provinces": list(q.provinces), "years": list(q.years),
                                "available": self._years_of(d for name in q.provinces
                                                            for d in self.by_province.get(name, ()))}
        merged_into = [{"province": current, "available": self._years_of(self.by_province.get(current, ()))}
                       for name in q.provinces
                       if (current := self.gazetteer.current(name)) and current != name
                       and current not in q.provinces]
        if merged_into:
            note["current"] = merged_into
        return note

    def _years_of(self, docs: Iterable[int]) -> list[int]:
        """The years some documents are plans of (see __init__), sorted."""
        found: set[int] = set()
        for d in docs:
            if d not in self._plan_years:
                self._plan_years[d] = plan_years(self.docs[d].title or "") or list(self.doc_years[d])
            found.update(self._plan_years[d])
        return sorted(found)

    def _years_held(self, docs: set[int], years: tuple[int, ...], plans: bool = False) -> bool:
        """Does one of the documents cover, or one of its clauses name, one of the years? With
        `plans` (the question asks whether a plan of that year exists, Intent.exists): is one
        of them a plan of one of the years by its title — a clause of the 2025 plan naming
        "đến năm 2030" is no plan of 2030."""
        if plans:
            return bool(set(self._years_of(docs)) & set(years))
        if any(y in self.doc_named[d] or y in self.doc_years[d] for d in docs for y in years):
            return True
        return any(self.index.names_year(sorted(docs), y) for y in years)

    def date_pieces(self, q: Query, clause_id: int, doc_id: int, text: str) -> list[tuple[int, str, str]]:
        """For a question asking when a document was issued or takes effect whose best clause is
        one statement of that date: the clauses of the same document that together show the
        date and what it rests on, in the order to quote them — (clause id, text, role) — or []
        when the clause alone answers (an article stating its own date, a news sentence).

        - the article "… có hiệu lực thi hành kể từ ngày ký", then the date it resolves to: the
          header field "Ngày có hiệu lực: 27/08/2025" when it gives the signing date, else the
          date line "Hải Phòng, ngày 27 tháng 8 năm 2025";
        - the header field "Ngày có hiệu lực: …" ranked first: the article it comes from, then it;
        - the date line "Hà Tĩnh, ngày 31 tháng 12 năm 2025", then the field "Ngày ban hành:
          31/12/2025" giving the same date (or that field first: the date line, then it)."""
        i = q.intent
        if not (i.issued or i.effective) or i.signer or i.number or i.agency or i.basis or i.deadline:
            return []
        role = date_role(text)
        low = text.lower()
        issued = self._issued(doc_id)
        if i.effective:
            if role == "article" and _FROM_SIGNING.search(low) and not _STATED_DATE.search(low):
                field = self._field(doc_id, _EFFECT_FIELD, issued)
                dated = field or self._date_line(doc_id, issued)
                return [(clause_id, text, "article"), dated] if dated else []
            if role == "field" and low.startswith(_EFFECT_FIELD):
                article = self._effect_article(doc_id)
                return [article, (clause_id, text, "field")] if article else []
            return []
        m = _DATE_FIELD.fullmatch(low.strip()) or _DATE_LINE.fullmatch(low.strip())
        date = _ymd(m) if m else None
        if role == "date_line":
            field = self._field(doc_id, _ISSUE_FIELD, date)
            return [(clause_id, text, "date_line"), field] if field else []
        if role == "field" and low.startswith(_ISSUE_FIELD):
            line = self._date_line(doc_id, date)
            return [line, (clause_id, text, "field")] if line else []
        return []

    def _issued(self, doc_id: int) -> tuple[int, int, int] | None:
        """The date a document was issued (signed), from its metadata."""
        iso = self.docs[doc_id].issued or ""
        return (int(iso[:4]), int(iso[5:7]), int(iso[8:10])) if len(iso) == 10 else None

    def _field(self, doc_id: int, name: str, date: tuple[int, int, int] | None) -> tuple[int, str, str] | None:
        """A document's header field `name` ("ngày có hiệu lực") giving `date` (any date when None)."""
        for r in self.index.clauses_containing(doc_id, name, 4):
            m = _DATE_FIELD.fullmatch(r["text"].lower().strip())
            if m and m.group("name").strip() == name and (date is None or _ymd(m) == date):
                return r["id"], r["text"], "field"
        return None

    def _date_line(self, doc_id: int, date: tuple[int, int, int] | None) -> tuple[int, str, str] | None:
        """A document's date line giving `date` ("Hà Tĩnh, ngày 31 tháng 12 năm 2025")."""
        if date is None:
            return None
        y, mo, d = date
        for key in (f"ngày {d} tháng {mo} năm {y}", f"ngày {d:02d} tháng {mo:02d} năm {y}",
                    f"ngày {d:02d} tháng {mo} năm {y}", f"ngày {d} tháng {mo:02d} năm {y}"):
            for r in self.index.clauses_containing(doc_id, key, 4):
                m = _DATE_LINE.fullmatch(r["text"].lower().strip())
                if m and _ymd(m) == date:
                    return r["id"], r["text"], "date_line"
        return None

    def _effect_article(self, doc_id: int) -> tuple[int, str, str] | None:
        """The article of a document saying when it takes effect, the first that does."""
        for key in ("có hiệu lực", "áp dụng"):
            for r in self.index.clauses_containing(doc_id, key, 20):
                if date_role(r["text"]) == "article":
                    return r["id"], r["text"], "article"
        return None

    @staticmethod
    def refuses_before_search(q: Query, allowed: set[int] | None, notes: list[dict[str, Any]]) -> bool:
        """Filters that leave nothing (or a year no plan covers): refuse and say so."""
        return allowed is not None and not allowed or any(n["kind"] == "no_year" for n in notes)

    def shown(self, ranked: list[Candidate], searched: bool, q: Query | None = None) -> list[Candidate] | None:
        """The clauses to show, best first, or None when the best does not answer. `searched` is
        False when the question had only filters (a document number, a province). A question
        asking a year's figure ("năm 2023 xếp thứ mấy", "năm 2024 đạt bao nhiêu điểm") is not
        answered by clauses none of which states a figure: they only share its topic, and a target
        asked of a province with no plan (`Query.unheld`) not by clauses stating only results."""
        w = self.w
        if searched and q is not None and q.unheld and q.intent.target and not q.intent.result:
            # A province with no plan asked its target: another document reporting its results
            # ("TP. Hồ Chí Minh (87,73%), …" in a central document's footnote) sets it none.
            ranked = [c for c in ranked if c.target_kinds != {"result"}]
        # Answerable when one of the best few holds enough of the question: the first may hold a
        # little less, ranked up by words naming its document (Weights.title_word). Within a
        # document the question names by number, a little less is enough (Weights.named_document)
        # when what matched is a topic of the plans: "KH 308 cách nấu phở" stays refused.
        relax = w.named_document if q is not None and q.doc_numbers and any(
            c.topical for c in ranked[:w.exact_among]) else 1.0
        if not ranked or searched and (max(max(c.coverage, c.topic_coverage) for c in ranked[:w.exact_among])
                                       < w.min_coverage * relax
                                       or max(c.exact for c in ranked[:w.exact_among]) < w.min_exact * relax):
            return None
        if searched and q is not None and q.general and not (q.provinces or q.doc_numbers or q.issuers) and not any(
                c.topical for c in ranked[:w.exact_among] if c.coverage >= w.min_coverage):
            # Only everyday words and bare numbers matched ("cách nấu phở cho 4 người"): the
            # question is about something else (lang/general.txt).
            return None
        # Not for a yes/no question ("năm 2022 có lấy kết quả CCHC để xét thi đua không": the
        # clause stating it answers), nor when a document is named by number: its year then names
        # the document ("Kế hoạch 897/KH-UBND năm 2022 … thuộc nhóm nào"), not a year's figure.
        # Nor by the annual plan of the year asked: what the plan of 2022 says of an index
        # ("từng bước nâng cao Chỉ số CCHC (PAR INDEX)") is that year's answer, figure or not.
        if searched and q is not None and q.wants_figure and q.years and not q.intent.metadata \
                and not q.intent.yes_no and not q.doc_numbers and not any(
                c.figures - {str(y) for y in q.years} or self.annual.get(c.doc_id) in q.years
                for c in ranked[:w.exact_among] if c.coverage >= w.min_coverage):
            return None
        seen: set[tuple[int, str]] = set()
        out: list[Candidate] = []
        for c in ranked:
            # The same clause text twice in one document (a target repeated in an appendix) once.
            key = (c.doc_id, c.text_norm)
            if key in seen or searched and c.coverage < w.min_coverage * relax * w.shown:
                continue
            seen.add(key)
            twin = None
            if len(out) < w.similar_top:  # near the top only: that is what is shown
                twin = next((i for i, o in enumerate(out) if o.doc_id == c.doc_id and _restates(o, c, w)), None)
            if twin is not None:
                # The same figure stated twice in one document (a sentence, and its table row with
                # column names): shown once, in the shorter, more direct wording, at the better rank.
                # The one stating what the question asks wins ("… 45% GRDP. | Sở Tài chính" for
                # "sở nào chủ trì"), else the one stating content rather than framing the
                # document (the title line restating the purpose clause), else the shorter.
                if (c.states, not c.framing, -c.length) > (out[twin].states, not out[twin].framing, -out[twin].length):
                    out[twin] = c
                continue
            out.append(c)
        return out


def _restates(a: Candidate, b: Candidate, w: Weights) -> bool:
    """Do two clauses of one document state the same figures in mostly the same words?"""
    if a.doc_id != b.doc_id or not a.figures or a.figures != b.figures:
        return False
    if all(_YEAR.fullmatch(f) for f in a.figures):
        # Only years in common: the rows of one task table share their deadline and agency
        # ("… | Bộ Công an | … | Năm 2025-2026"), yet each states a task of its own.
        return False
    small, large = sorted((a.plain_words, b.plain_words), key=len)
    return bool(small) and len(small & large) / len(small) >= w.restated
