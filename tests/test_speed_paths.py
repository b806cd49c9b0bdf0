"""The shortcuts that make answering and starting fast give what the plain way gives: batched
normalization, the clause-row cache, the typo-fix and province memos (per index, so a reload's
new vocabulary is seen), and a command line that imports only what answering needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import KnowledgeBase, build_index, provinces, store
from knowledge.text import (
    Analyzer,
    _fold_normalized,
    _fold_normalized_many,
    _word_tuples,
    normalize,
    normalize_many,
    words,
)

ROOT = Path(__file__).resolve().parent.parent

# Tone marks to move and not to move ("quý", "guỳ"), full-width letters, capitals, a mark typed
# alone, punctuation and figures, blank and doubled spaces, a line break inside one text.
TRICKY = ["hoà bình", "Thuỷ  lợi", "quý III", "guỳ", "x2oà", "ＣＣＨＣ hoá", "KHOẺ mạnh", "a\u0301 b", "",
          "  kinh tế - xã hội ", "99,5% hồ sơ", "uỷ ban", "tab\tvà\u00a0nbsp", "dòng\nhai", "Σ hoá"]


def test_normalize_many_is_normalize_of_each() -> None:
    assert normalize_many(TRICKY) == [normalize(t) for t in TRICKY]
    assert normalize_many(TRICKY[:-2]) == [normalize(t) for t in TRICKY[:-2]]  # no line break: one pass
    assert normalize_many(["thủ tục", "hành chính"]) == ["thủ tục", "hành chính"]  # nothing to collapse
    assert normalize_many([]) == []
    plain = [normalize(t) for t in TRICKY if "\n" not in t]
    assert _fold_normalized_many(plain) == [_fold_normalized(t) for t in plain]
    assert _word_tuples(plain) == [tuple(words(t)) for t in plain]
    simple = ["thu tuc", "hanh chinh", "dich vu cong"]  # the split-at-spaces path
    assert _word_tuples(simple) == [tuple(words(t)) for t in simple]


def test_analyzer_tables_are_those_of_one_word_at_a_time() -> None:
    listed = ["thủ tục", "hành chính", "Hoà Bình", "quý III", "kinh tế - xã hội", "dịch vụ công trực tuyến",
              "dịch vụ", "một"]
    a = Analyzer(listed, {"TTPVHCC": "trung tâm phục vụ hành chính công"})
    spaced = [normalize(c) for c in listed if " " in c]
    assert a.accented == {tuple(words(c)) for c in spaced}
    folded = {tuple(words(_fold_normalized(c))) for c in spaced}
    assert a.known_syllables == frozenset(p for c in folded for p in c)
    folded |= {tuple(k.split("_")) for k in a.aliases if "_" in k}
    assert a.compounds == folded
    longest: dict[str, int] = {}
    for c in folded:
        if len(c) > longest.get(c[0], 1):
            longest[c[0]] = len(c)
    assert a._longest == longest and a.max_len == max(len(c) for c in folded)


def _ranked(reader: store.IndexReader, match: str) -> list[int]:
    return [r["id"] for r in reader.fts_hits(match, rowids=None, ranked=True, limit=10)]


def test_clause_rows_come_back_in_rank_order_from_the_cache(shipped_db: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "CLAUSE_CACHE_ROWS", 12)  # smaller than two questions' rows
    reader = store.IndexReader(store.connect(shipped_db))
    plain = store.connect(shipped_db)
    try:
        for match in ['"truc_tuyen"', '"ho_so" OR "giai_quyet"', '"truc_tuyen"', '"dung_han" OR "truc_tuyen"']:
            expected = [i for (i,) in plain.execute(
                "SELECT rowid FROM clauses_fts WHERE clauses_fts MATCH ? ORDER BY bm25(clauses_fts, 1.0, 0.4)"
                " LIMIT 10", (match,))]
            rows = reader.fts_hits(match, rowids=None, ranked=True, limit=10)
            assert [r["id"] for r in rows] == expected and len(expected) == 10
            for r in rows:  # the whole row, as the clauses view has it
                fresh = plain.execute(f"SELECT {store.CLAUSE_COLUMNS} FROM clauses c WHERE c.id = ?",
                                      (r["id"],)).fetchone()
                assert tuple(r) == tuple(fresh)
            assert len(reader._clause_cache) <= 12
    finally:
        reader.close()
        plain.close()


PLAN = """---
title: Kế hoạch cải cách hành chính tỉnh Quảng Trị năm 2025
province: Quảng Trị
document: 12/KH-UBND
issued: 2025-01-05
---
I. MỤC TIÊU
1. Tối thiểu 95% hồ sơ được giải quyết đúng hạn tại {place}.
"""


@pytest.mark.slow  # two small builds
def test_a_reloaded_index_corrects_typos_against_its_own_vocabulary(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    db = tmp_path / "kb.db"
    (plans / "a.txt").write_text(PLAN.format(place="kho bạc"), encoding="utf-8")
    build_index(plans, db)
    before = KnowledgeBase.open(db)
    assert "kho" in before.read("ho so khoo").terms
    # The plans change and the index is rebuilt (as /reload does): a new KnowledgeBase.
    (plans / "a.txt").write_text(PLAN.format(place="khoa học"), encoding="utf-8")
    build_index(plans, db)
    after = KnowledgeBase.open(db)
    try:
        assert "khoa" in after.read("ho so khoo").terms
        assert "kho" in before.read("ho so khoo").terms  # each open index keeps its own
    finally:
        before.close()
        after.close()


def test_province_memo_is_bounded_and_gives_the_same_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(provinces, "_MEMO_MAX", 3)
    g = provinces.Gazetteer.default()
    fresh = provinces.Gazetteer(g.records)
    names = ["quang ngai", "TP.HCM", "Thừa Thiên Huế", "không phải tỉnh", "quang ngai", "Sóc Trăng"] * 2
    assert [fresh.canonical(n) for n in names] == [provinces.Gazetteer(g.records).canonical(n) for n in names]
    assert len(fresh._memo) <= 3


def test_answering_from_the_command_line_imports_no_builder(shipped_db: Path) -> None:
    """`bot.py ask` (a cold start) loads the search side only: not the index builder, the
    document readers, the library, the reloader, the usage log, asyncio or Telegram."""
    code = (
        "import sys, bot\n"
        f"assert bot.main(['ask', '--db', {str(shipped_db)!r}, 'dịch vụ công trực tuyến']) == 0\n"
        "heavy = ['knowledge.build', 'knowledge.documents', 'knowledge.library', 'knowledge.reload',"
        " 'knowledge.usage', 'asyncio', 'telegram', 'sqlite_utils']\n"
        "print('LOADED', [m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "LOADED []" in out.stdout
    # The package's names still resolve, each from its own module, on first use.
    import knowledge

    assert knowledge.build_index is build_index and knowledge.default_db_path is store.default_db_path
    with pytest.raises(AttributeError):
        _ = knowledge.no_such_name


def test_answers_from_warm_caches_are_those_of_a_fresh_index(shipped_db: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Clause rows and candidate fields cached by earlier questions (and evicted: small bounds
    here) change nothing: each answer equals the one a freshly opened index gives."""
    monkeypatch.setattr(store, "CLAUSE_CACHE_ROWS", 30)
    questions = ["dịch vụ công trực tuyến toàn trình", "ho so giai quyet dung han", "ai ký kế hoạch cải cách",
                 "muc tieu chuyen doi so nam 2025", "thanh toan truc tuyen", "dịch vụ công trực tuyến toàn trình"]
    warm = KnowledgeBase.open(shipped_db)
    try:
        for q in questions * 2:
            fresh = KnowledgeBase.open(shipped_db)
            try:
                assert warm.search(q, top=5).to_json() == fresh.search(q, top=5).to_json()
            finally:
                fresh.close()
        assert 0 < len(warm._fields) <= 30 and len(warm.index._clause_cache) <= 30
    finally:
        warm.close()


def _bm25_top(db: Path, match: str, limit: int) -> list[int]:
    plain = store.connect(db)
    try:
        return [i for (i,) in plain.execute("SELECT rowid FROM clauses_fts WHERE clauses_fts MATCH ?"
                                            " ORDER BY bm25(clauses_fts, 1.0, 0.4) LIMIT ?", (match, limit))]
    finally:
        plain.close()


@pytest.mark.parametrize("limit", [5, 400])
def test_many_matches_rank_the_clauses_holding_every_word_first(shipped_db: Path, limit: int) -> None:
    """Above `Weights.all_words_first` matches, the clauses holding every searched word (and the
    next heaviest, when one word is searched alone) are ranked alone when there are enough of
    them; otherwise the question's OR query is ranked as before."""
    from dataclasses import replace

    from knowledge.ranker import WEIGHTS, term_weights

    kb = KnowledgeBase.open(shipped_db)
    try:
        kb.retriever.w = replace(WEIGHTS, all_words_first=0, candidates=limit)
        q = kb.read("thủ tục hành chính cắt giảm")
        weights, known = term_weights(q, kb.vocab, kb.n_clauses)
        found = kb.retriever.match(q, weights, known)
        assert found is not None
        match, ranked, narrow = found
        assert ranked and narrow == '("cat_giam") AND ("thu_tuc")' and match == '"cat_giam" OR "thu_tuc"'
        ids = [r["id"] for r in kb.retriever.candidates(q, weights, known, None)]
        holding_all = _bm25_top(shipped_db, narrow, limit)
        if len(holding_all) == limit:
            assert limit == 5 and ids == holding_all
        else:
            assert limit == 400 and ids == _bm25_top(shipped_db, match, limit) and len(ids) > len(holding_all)
        # One word outweighing the rest is searched alone; the clauses ranked first also hold the next.
        heavy = kb.read("lưu trữ hồ sơ")
        wh, kh = term_weights(heavy, kb.vocab, kb.n_clauses)
        assert kb.retriever.match(heavy, wh, kh)[::2] == ('"luu_tru"', '("luu_tru") AND ("ho_so" OR "giay_to")')  # type: ignore[index]
        # One word (however many spellings it has): nothing narrower to try.
        one = kb.read("cắt giảm")
        w1, k1 = term_weights(one, kb.vocab, kb.n_clauses)
        assert kb.retriever.match(one, w1, k1)[2] is None  # type: ignore[index]
    finally:
        kb.close()


def test_candidates_copied_from_the_cache_are_independent_and_equal(shipped_db: Path) -> None:
    """A cached clause gives each question a Candidate of its own: scoring one question's
    changes nothing in the next, and the copy equals a candidate built from the row."""
    from knowledge.ranker import term_weights
    from knowledge.reader import frames_document
    from knowledge.text import normalize

    kb = KnowledgeBase.open(shipped_db)
    fresh = KnowledgeBase.open(shipped_db)
    try:
        q = kb.read("ho so giai quyet dung han nam 2025")
        weights, known = term_weights(q, kb.vocab, kb.n_clauses)
        rows = kb.retriever.candidates(q, weights, known, None)
        first = [kb._candidate(r, q, weights, known) for r in rows]
        for c in first:
            c.score, c.coverage, c.topical = -99.0, -1.0, True  # what ranking does to a candidate
        again = [kb._candidate(r, q, weights, known) for r in rows]
        built = [fresh._candidate(r, q, weights, known) for r in rows]
        assert [vars(a) for a in again] == [vars(b) for b in built] and len(again) > 5
        assert all(a is not b and a.score != -99.0 for a, b in zip(again, first, strict=True))
        for r in rows:  # the clause's own normalized text gives the same verdict
            title = kb.docs[r["doc_id"]].title or ""
            assert frames_document(r["text"], title, r["norm"]) == frames_document(r["text"], title) \
                == frames_document(r["text"], title, normalize(r["text"]))
    finally:
        kb.close()
        fresh.close()


def test_questions_read_with_warm_memos_equal_a_fresh_reading(shipped_db: Path) -> None:
    """The reader's memos (words folded, thesaurus phrases segmented and counted, the phrases'
    first words) change no reading: every evaluation question, read twice by one index, reads
    as a freshly opened index reads it, English questions (their glossary senses) included."""
    import json

    asked = [json.loads(line)["q"] for f in ("dev.jsonl", "dev_v2.jsonl")
             for line in (ROOT / "tests" / "data" / f).read_text(encoding="utf-8").splitlines() if line.strip()]
    from knowledge import reader

    warm = KnowledgeBase.open(shipped_db)
    fresh = KnowledgeBase.open(shipped_db)
    try:
        first = [warm.read(q) for q in asked]
        assert warm.reader._segmented and warm.reader._phrase_df and warm.reader._heads
        for q, before in zip(asked, first, strict=True):
            # As if opened anew: nothing remembered.
            fresh.reader._segmented.clear()
            fresh.reader._phrase_df.clear()
            fresh.reader._heads = None
            reader._fold_word.cache_clear()
            assert fresh.read(q) == before == warm.read(q), q
        assert any(r.language == "en" and r.alternatives for r in first)
    finally:
        warm.close()
        fresh.close()
