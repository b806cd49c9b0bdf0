"""The shortcuts that make answering and starting fast give what the plain way gives: batched
normalization, the clause-row cache, the typo-fix and province memos (per index, so a reload's
new vocabulary is seen), and a command line that imports only what answering needs."""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from knowledge import KnowledgeBase, build_index, provinces, ranker, store
from knowledge.text import (
    Analyzer,
    _fold_normalized,
    _fold_normalized_many,
    _word_tuples,
    fold,
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
            # Columns (context, body), weighed 0.4 and 1.0 as the engine ranks.
            expected = [i for (i,) in plain.execute(
                "SELECT rowid FROM clauses_fts WHERE clauses_fts MATCH ? ORDER BY bm25(clauses_fts, 0.4, 1.0)"
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


def test_full_text_queries_are_run_once_bounded_and_give_the_same_rows(shipped_db: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A full-text query asked again (a shared pair of rare words, a question paged or asked
    twice) is answered from the reader's memo without SQLite, with the rows a fresh reader gives;
    the memo keeps the most recently asked queries within its bound."""
    monkeypatch.setattr(store, "FTS_CACHE_QUERIES", 2)
    reader = store.IndexReader(store.connect(shipped_db))
    run: list[str] = []
    reader._conn.set_trace_callback(lambda sql: run.append(sql) if "MATCH" in sql else None)
    a, b, c = ('"truc_tuyen"', None, True), ('"ho_so" OR "giai_quyet"', None, True), ('"hanh_chinh"', (1, 400), False)
    queries = [a, b, a, c, a, b]
    try:
        for match, rowids, ranked in queries:
            fresh = store.IndexReader(store.connect(shipped_db))
            try:
                expected = [tuple(r) for r in fresh.fts_hits(match, rowids=rowids, ranked=ranked, limit=10)]
            finally:
                fresh.close()
            assert [tuple(r) for r in reader.fts_hits(match, rowids=rowids, ranked=ranked, limit=10)] == expected
            assert expected and len(reader._fts_cache) <= 2
        # Run: a, b, then c (pushing out b, since a was asked again after it), b again; not a.
        assert [sql.count("bm25") for sql in run] == [1, 1, 0, 1] and "hanh_chinh" in run[2]
    finally:
        reader.close()


def test_token_sets_of_cached_clauses_share_their_words() -> None:
    """Thousands of cached candidates hold a token set each: one string per word among them,
    not a copy per clause (peak RSS answering, issue 14); the sets are the plain split's."""
    first, second = "ho_so giai_quyet dung_han 95%", " ".join(["tiep_nhan", "ho_so", "truc_tuyen"])
    a, b = ranker.token_set(first), ranker.token_set(second)
    assert a == frozenset(first.split()) and b == frozenset(second.split())
    assert next(t for t in a if t == "ho_so") is next(t for t in b if t == "ho_so")


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
    document readers, the clause splitter and cleaning, /sosanh's and /hanchot's modules, the
    library, the reloader, the usage log, asyncio or Telegram; what the
    open made is frozen out of the cyclic collector's passes (it lives until the command ends)."""
    code = (
        "import gc, sys, bot\n"
        f"assert bot.main(['ask', '--db', {str(shipped_db)!r}, 'dịch vụ công trực tuyến']) == 0\n"
        "heavy = ['knowledge.build', 'knowledge.documents', 'knowledge.library', 'knowledge.reload',"
        " 'knowledge.usage', 'asyncio', 'telegram', 'sqlite_utils', 'knowledge.clauses', 'knowledge.cleaning',"
        " 'knowledge.compare', 'knowledge.deadlines']\n"
        "print('LOADED', [m for m in heavy if m in sys.modules])\n"
        "print('FROZEN', gc.get_freeze_count() > 10_000)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "LOADED []" in out.stdout and "FROZEN True" in out.stdout
    # The package's names still resolve, each from its own module, on first use.
    import knowledge

    assert knowledge.build_index is build_index and knowledge.default_db_path is store.default_db_path
    with pytest.raises(AttributeError):
        _ = knowledge.no_such_name


def test_answers_from_warm_caches_are_those_of_a_fresh_index(shipped_db: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Clause rows and candidate fields cached by earlier questions (and evicted: small bounds
    here) change nothing: each answer equals the one a freshly opened index gives."""
    from knowledge import base

    monkeypatch.setattr(store, "CLAUSE_CACHE_ROWS", 30)
    monkeypatch.setattr(base, "SHOWN_CACHE_QUESTIONS", 0)  # every question ranked again, from the warm caches
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


def test_cached_candidate_fields_are_stored_compactly(shipped_db: Path) -> None:
    """A clause's cached candidate fields take a few hundred bytes, not a dict of their own: a
    Candidate has more attributes than CPython's key-sharing dicts hold, so a copy of its dict
    was a 1.6 KB table per cached clause (31 MB of the answering peak at 24,000, issue 14). A
    candidate built from the cache holds every attribute a fresh one has, with the same values."""
    kb = KnowledgeBase.open(shipped_db)
    try:
        kb.search("dịch vụ công trực tuyến toàn trình", top=5)
        assert kb._fields
        sizes = [sys.getsizeof(v) + sys.getsizeof(getattr(v, "__dict__", None)) for v in kb._fields.values()]
        assert max(sizes) < 600
        cid, values = next(iter(kb._fields.items()))
        assert len(kb._field_names) == len(values)
        fields = dict(zip(kb._field_names, values, strict=True))
        assert fields["clause_id"] == cid and "context" in fields and "body" in fields
    finally:
        kb.close()


def _reference_features(seg: Any, sent: list[str]) -> list[dict[str, Any]]:
    """pyvi's ViTokenizer.word2features, as the segmenter passed them before (a dict per syllable)."""
    low = [w.lower() for w in sent]
    out: list[dict[str, Any]] = []
    for i, w in enumerate(sent):
        f: dict[str, Any] = {"bias": 1.0, "word.lower()": low[i], "word.isupper()": w.isupper(),
                             "word.istitle()": w.istitle(), "word.isdigit()": w.isdigit()}
        if i > 0:
            f.update({"-1:word.lower()": low[i - 1], "-1:word.istitle()": sent[i - 1].istitle(),
                      "-1:word.isupper()": sent[i - 1].isupper(),
                      "-1:word.bi_gram()": f"{low[i - 1]} {low[i]}" in seg._bi})
            if i > 1:
                f["-2:word.tri_gram()"] = f"{low[i - 2]} {low[i - 1]} {low[i]}" in seg._tri
        if i < len(sent) - 1:
            f.update({"+1:word.lower()": low[i + 1], "+1:word.istitle()": sent[i + 1].istitle(),
                      "+1:word.isupper()": sent[i + 1].isupper(),
                      "+1:word.bi_gram()": f"{low[i]} {low[i + 1]}" in seg._bi})
            if i < len(sent) - 2:
                f["+2:word.tri_gram()"] = f"{low[i]} {low[i + 1]} {low[i + 2]}" in seg._tri
        out.append(f)
    return out


@functools.cache
def _crfsuite_model() -> tuple[Any, bytes]:
    """python-crfsuite's tagger on pyvi's model, the reference the segmenter must agree with, and
    the model's bytes (the tagger reads them for its whole life: they stay referenced here)."""
    import importlib.util

    import pycrfsuite

    from knowledge.text import _Unpickler

    spec = importlib.util.find_spec("pyvi")
    assert spec is not None and spec.submodule_search_locations
    with open(Path(next(iter(spec.submodule_search_locations))) / "models" / "pyvi3.pkl", "rb") as fh:
        data = _Unpickler(fh).load().__dict__["modelfile"].__dict__["__FILE_RESOURCE_DATA__"]
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(data)
    return tagger, data


@pytest.mark.parametrize("sentence", [
    "Tối thiểu 80% hồ sơ giải quyết thủ tục hành chính được luân chuyển trong nội bộ",
    "UBND tỉnh Quảng Ngãi ban hành Kế hoạch CCHC năm 2025 theo Quyết định số 05/QĐ-UBND",
    "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026", "một", "Hà Nội 2025", "Lưu: VT, PVHCC (B_04b).",
])
def test_the_segmenters_crf_labels_are_python_crfsuites(sentence: str) -> None:
    """Issue 14: the segmenter scores pyvi's CRF itself (weights read from the model file, added
    in the tagger's order, the tagger's Viterbi); its labels are those python-crfsuite's tagger
    gives pyvi's own feature dicts, and the per-syllable memo gives them again the second time."""
    from knowledge.text import segmenter

    seg = segmenter()
    sent = words(sentence)
    expected = [label == "I_W" for label in _crfsuite_model()[0].tag(_reference_features(seg, sent))]
    assert seg.inside(sent) == expected and seg.inside(sent) == expected


def test_the_segmenters_crf_labels_are_python_crfsuites_on_every_shipped_sentence() -> None:
    """Issue 14: the same on every text a build of the shipped plans segments (thousands of
    sentences, capitals, digits, unknown syllables): not one label differs."""
    from knowledge.build import _segment_texts, document_clauses
    from knowledge.documents import document_paths, read_document
    from knowledge.text import segmenter

    seg = segmenter()
    tagger = _crfsuite_model()[0]
    plans = Path(__file__).resolve().parent.parent / "knowledge" / "plans"
    paths, _ = document_paths(plans)
    texts: dict[str, None] = {}
    for path in paths:
        doc = read_document(path, root=plans)
        texts.update(dict.fromkeys(_segment_texts([(0, doc, document_clauses(doc))])))
    sentences = [s for s in (words(t) for t in texts) if s]
    assert len(sentences) > 1000
    differ = [s for s in sentences
              if seg.inside(s) != [label == "I_W" for label in tagger.tag(_reference_features(seg, s))]]
    assert not differ


def _reference_spans(a: Analyzer, sylls: list[str], typed: list[str] | None) -> list[tuple[str, int, int]]:
    """The longest match as it was written before issue 14: a tuple and a call per tried range."""
    out: list[tuple[str, int, int]] = []
    i, n = 0, len(sylls)
    if typed is not None and len(typed) != n:
        typed = None
    while i < n:
        for size in range(min(a._longest.get(sylls[i], 1), n - i), 1, -1):
            f, t = tuple(sylls[i:i + size]), tuple(typed[i:i + size]) if typed else None
            if (t in a.accented) if t is not None and t != f else (f in a.compounds):
                out.append(("_".join(f), i, i + size))
                i += size
                break
        else:
            out.append((sylls[i], i, i + 1))
            i += 1
    return out


def test_longest_match_is_the_reference_one_on_every_mix_of_marks() -> None:
    """Issue 14: the faster longest match (space-joined keys, marks looked at once per text) picks
    the same words as the plain one, with and without diacritics, on many shuffled texts."""
    import random

    listed = ["thủ tục", "thủ tục hành chính", "hành chính", "cụ thể", "cư dân", "dịch vụ công trực tuyến",
              "dịch vụ", "dịch vụ công", "công chức", "cải cách", "cải cách hành chính", "kinh tế - xã hội"]
    a = Analyzer(listed, {"TTPVHCC": "trung tâm phục vụ hành chính công"})
    pool = ["thủ", "tục", "hành", "chính", "cụ", "thể", "cũ", "cư", "dân", "dịch", "vụ", "công", "trực", "tuyến",
            "chức", "cải", "cách", "kinh", "tế", "xã", "hội", "par", "index", "cu", "the", "thu", "tuc"]
    rng = random.Random(14)
    for _ in range(3000):
        text = " ".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        sylls, typed = a.syllables(text), a.typed(text)
        for t in (typed, None, typed[:-1]):
            assert a.spans(sylls, t) == _reference_spans(a, sylls, t), (text, t)


def _reference_index_text(a: Analyzer, text: str) -> str:
    """index_text() as it was before issue 14's single split: syllables() and typed() apart."""
    sylls = a.syllables(text)
    units = a.segment(sylls, a.typed(text))
    tokens = a._with_parts(units)
    present = set(sylls) | set(units)
    joined = f" {' '.join(sylls)} "
    for key, phrase, padded in a._padded:
        if key in present:
            tokens.extend(a._with_parts(a.segment(list(phrase))))
        elif padded in joined:
            tokens.append(key)
    return " ".join(tokens)


def test_index_text_splits_once_and_analyses_as_before() -> None:
    """Issue 14: index_text() takes the folded syllables from the typed ones when folding maps
    letter to letter (most texts), else splits both texts as before; either way its tokens are the
    reference's — marks or none, quotes and dashes, short forms to join (KT-XH, PAR INDEX), other
    scripts, a stray combining mark, figures."""
    import random

    listed = ["thủ tục", "thủ tục hành chính", "hành chính", "cụ thể", "cư dân", "dịch vụ công trực tuyến",
              "dịch vụ", "dịch vụ công", "công chức", "cải cách", "kinh tế - xã hội", "trung tâm"]
    a = Analyzer(listed, {"TTPVHCC": "trung tâm phục vụ hành chính công"})
    pool = ["thủ", "tục", "Hành", "chính", "cụ", "thể", "cũ", "cư", "dân", "dịch", "vụ", "công", "trực", "tuyến",
            "KT-XH", "kt xh", "PAR", "index", "TTHC", "tthc", "“đúng", "hạn”", "–", "80,5%", "2025.", "т",
            "xã\u0301", "a\u0323b", "ＡＢ", "ƕ", "(TTPVHCC)", "trung", "tâm", "phục"]
    rng = random.Random(14)
    for _ in range(3000):
        text = " ".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        assert a.index_text(text) == _reference_index_text(a, text), text


def test_substring_prechecks_change_no_topic_and_no_short_form(shipped_db: Path) -> None:
    """Issue 14: topic_of() and the short-form join try their patterns only where a key is a
    substring; on every clause and lead-in of the shipped plans (and forms people type) they give
    what the patterns alone give."""
    import sqlite3

    from knowledge import targets
    from knowledge.text import _JOINED_COMPACT, _JOINED_RE, fold

    conn = sqlite3.connect(shipped_db)
    try:
        texts = [t for row in conn.execute("SELECT text, lead FROM clauses") for t in row if t]
    finally:
        conn.close()
    texts += ["Chỉ số PAR INDEX năm 2025", "phát triển KT-XH", "kt xh", "par-index", "giá vàng hôm nay"]
    for text in texts:
        folded = fold(text)
        plain = next((topic for topic, _, pattern in targets._TOPIC_RES if pattern.search(folded)), None)
        assert targets.topic_of(text) == plain, text
        joined = _JOINED_RE.sub(lambda m: _JOINED_COMPACT[m.group(0).replace(" ", "").replace("-", "")], folded)
        assert Analyzer._joined(folded) == joined, text
def _bm25_top(db: Path, match: str, limit: int) -> list[int]:
    plain = store.connect(db)
    try:
        return [i for (i,) in plain.execute("SELECT rowid FROM clauses_fts WHERE clauses_fts MATCH ?"
                                            " ORDER BY bm25(clauses_fts, 0.4, 1.0) LIMIT ?", (match, limit))]
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
        assert warm.reader._segmented and warm.reader._usage_of and warm.reader._heads
        for q, before in zip(asked, first, strict=True):
            # As if opened anew: nothing remembered.
            fresh.reader._segmented.clear()
            fresh.reader._usage_of.clear()
            fresh.reader._heads = None
            reader._fold_word.cache_clear()
            assert fresh.read(q) == before == warm.read(q), q
        assert any(r.language == "en" and r.alternatives for r in first)
    finally:
        warm.close()
        fresh.close()


def _run_python(code: str, tmp_path: Path, **env: str) -> str:
    """Run `code` in a fresh interpreter (the collector's settings are process-wide)."""
    import os

    full = {**os.environ, "USAGE_DB": str(tmp_path / "usage.sqlite"), "STATE_DB": str(tmp_path / "state.sqlite"),
            **env}
    full.pop("KNOWLEDGE_DIR", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=240,
                         env=full)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_the_serving_commands_freeze_the_index_and_set_the_collector(shipped_db: Path, tmp_path: Path) -> None:
    """`bot.py web` (and `run`) freeze what the open made before serving, run the collector at
    `bot.GC_THRESHOLDS`, and give their reloader the same settling step for each new index."""
    code = (
        "import gc, bot, web, telegram.ext\n"
        "from knowledge import reload\n"
        "gc.set_threshold(700, 10, 10)\n"
        "seen = {}\n"
        "async def fake_serve(app, host, port, **kw):\n"
        "    seen['web'] = (gc.get_threshold(), gc.get_freeze_count())\n"
        "def fake_polling(self, **kw):\n"
        "    seen['run'] = (gc.get_threshold(), gc.get_freeze_count())\n"
        "hooks = []\n"
        "class Recording(reload.Reloader):\n"
        "    def __init__(self, *a, **kw):\n"
        "        super().__init__(*a, **kw)\n"
        "        hooks.append(self.after_open)\n"
        "web.serve = fake_serve\n"
        "telegram.ext.Application.run_polling = fake_polling\n"
        "reload.Reloader = Recording\n"
        "assert bot.main(['web', '--port', '0']) == 0\n"
        "gc.unfreeze(); gc.set_threshold(700, 10, 10)\n"
        "assert bot.main(['run']) == 0\n"
        "for name in ('web', 'run'):\n"
        "    th, frozen = seen[name]\n"
        "    print(name, th == bot.GC_THRESHOLDS, frozen > 10_000)\n"
        "print('HOOKS', [h is bot.settle_memory for h in hooks])\n"
    )
    out = _run_python(code, tmp_path, DB_PATH=str(shipped_db), TELEGRAM_BOT_TOKEN="123:abc",
                      TELEGRAM_API_URL="http://127.0.0.1:9/bot")
    assert "web True True" in out and "run True True" in out
    assert "HOOKS [True, True]" in out


def test_each_reload_refreezes_and_memory_stays_bounded(tmp_path: Path) -> None:
    """A reload settles the new index (`Reloader(after_open=bot.settle_memory)`): frozen again, and
    the indexes it replaced are not kept: over eight reloads the frozen objects stay within 10 %
    of the first reload's count and the peak RSS within 10 MB of the first replacement's (measured:
    +1–2 MB; each replaced index kept alive would add ~22 MB)."""
    plans = tmp_path / "plans"
    plans.mkdir()
    text = ("---\ntitle: Kế hoạch cải cách hành chính tỉnh Quảng Trị năm 2025\nprovince: Quảng Trị\n"
            "document: 1/KH-UBND\nissued: 2025-01-05\n---\nI. MỤC TIÊU\n"
            "1. Tối thiểu {n}% hồ sơ thủ tục hành chính được giải quyết đúng hạn.\n")
    code = (
        "import gc, pathlib, bot\n"
        "from knowledge.reload import Reloader\n"
        f"root = pathlib.Path({str(plans)!r})\n"
        f"doc = root / 'a.txt'\n"
        f"text = {text!r}\n"
        "doc.write_text(text.format(n=90), encoding='utf-8')\n"
        f"r = Reloader(root, pathlib.Path({str(tmp_path / 'kb.db')!r}), isolated=False, after_open=bot.settle_memory)\n"
        "gc.unfreeze()\n"
        "kb = r.reload().kb\n"
        "kb.search('hồ sơ đúng hạn')\n"
        "first = gc.get_freeze_count()\n"
        "counts, rss = [], []\n"
        "import resource\n"
        "for n in range(91, 99):\n"
        "    doc.write_text(text.format(n=n), encoding='utf-8')\n"
        "    new = r.reload().kb\n"
        "    kb.close()\n"
        "    kb = new\n"
        "    kb.search('hồ sơ đúng hạn')\n"
        "    counts.append(gc.get_freeze_count())\n"
        "    rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        "print('FIRST', first, 'MAX', max(counts), 'TH', gc.get_threshold() == bot.GC_THRESHOLDS,"
        " 'RSS', rss[0], rss[-1])\n"
    )
    out = _run_python(code, tmp_path).split()
    first, most = int(out[1]), int(out[3])
    assert first > 10_000 and out[5] == "True"
    assert most <= first * 1.1
    assert int(out[8]) <= int(out[7]) + 10 * 1024  # KB


def test_a_question_is_read_and_ranked_once_per_index_within_a_bound(shipped_db: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A question asked again (a page of its answer, the same words with other spacing) is neither
    read nor retrieved and ranked again, its answer is the one a fresh index gives, what is kept is
    bounded, and an index opened anew (a reload) reads and ranks for itself."""
    from knowledge import base

    monkeypatch.setattr(base, "READ_CACHE_QUESTIONS", 3)
    monkeypatch.setattr(base, "SHOWN_CACHE_QUESTIONS", 2)
    kb = KnowledgeBase.open(shipped_db)
    fresh = KnowledgeBase.open(shipped_db)
    try:
        read = kb.reader.read
        calls: list[str] = []

        def counted(question: str) -> Any:
            calls.append(question)
            return read(question)

        monkeypatch.setattr(kb.reader, "read", counted)
        retrieve = kb.retriever.candidates
        retrieved: list[str] = []

        def counted_retrieval(q: Any, *args: Any) -> Any:
            retrieved.append(q.text)
            return retrieve(q, *args)

        monkeypatch.setattr(kb.retriever, "candidates", counted_retrieval)
        first = kb.search("dịch vụ công trực tuyến toàn trình", top=2)
        again = kb.search("  dịch vụ công   trực tuyến toàn trình ", top=2, offset=2)
        assert calls == ["dịch vụ công trực tuyến toàn trình"] and retrieved == calls
        assert first.answered and first.more and again.results
        assert first.to_json() == fresh.search("dịch vụ công trực tuyến toàn trình", top=2).to_json()
        assert again.to_json() == fresh.search("dịch vụ công trực tuyến toàn trình", top=2, offset=2).to_json()
        for q in ["ho so giai quyet dung han", "thanh toan truc tuyen", "ai ký kế hoạch cải cách"]:
            assert kb.search(q).to_json() == fresh.search(q).to_json()
        assert len(kb._reads) == 3 and len(calls) == 4 and len(kb._shown) == 2 and len(retrieved) == 4
        assert kb.search("ai ký kế hoạch cải cách", offset=1).to_json() == \
            fresh.search("ai ký kế hoạch cải cách", offset=1).to_json() and len(retrieved) == 4
        kb.read("dịch vụ công trực tuyến toàn trình")  # the oldest, pushed out: read again
        assert len(calls) == 5
        assert kb.read("thanh toan truc tuyen") is kb.read("thanh toan truc tuyen") and len(calls) == 5
    finally:
        kb.close()
        fresh.close()
    reloaded = KnowledgeBase.open(shipped_db)
    try:
        assert not reloaded._reads and not reloaded._shown
    finally:
        reloaded.close()


def _restated_title_reference(norm: str, title: str) -> bool:
    """frames_document's title test as it was: the whole clause folded at once."""
    from knowledge import reader

    clause = words(_fold_normalized(reader._NUMBER_PARTS.sub(" ", norm)))
    return len(clause) >= 3 and set(clause) <= reader._title_words(title) | set(reader.YEAR.findall(norm))


def test_a_title_restated_is_found_a_piece_at_a_time_as_when_folded_whole(shipped_db: Path) -> None:
    """The title test folds a clause piece by piece and stops at the first word not in the title:
    the same verdict as folding the whole clause, on every shipped clause and on the edge cases
    (a document number inside, a year, a word not in the title at the end, two words only)."""
    import sqlite3

    from knowledge import reader

    title = "Kế hoạch cải cách hành chính tỉnh Bắc Ninh năm 2025"
    cases = [(normalize("KẾ HOẠCH Cải cách hành chính 144/KH-UBND năm 2025"), True),
             (normalize("Kế hoạch cải cách hành chính tỉnh Bắc Ninh năm 2025 và Hà Nội"), False),
             (normalize("Cải cách hành chính tỉnh năm 2026"), True),  # a year the clause names
             (normalize("Cải cách hành chính tỉnh Bắc Ninh đạt 99%"), False),
             (normalize("Cải cách"), False),  # two words only
             (normalize("Kế hoạch\ncải cách\u00a0hành chính"), True)]
    for norm, expected in cases:
        assert reader._restates_title(norm, title) is expected == _restated_title_reference(norm, title), norm
    conn = sqlite3.connect(shipped_db)
    try:
        rows = conn.execute("SELECT c.norm, d.title FROM clauses c JOIN documents d ON d.id = c.doc_id").fetchall()
    finally:
        conn.close()
    assert len(rows) > 1000
    found = 0
    for norm, doc_title in rows:
        verdict = reader._restates_title(norm, doc_title or "")
        assert verdict == _restated_title_reference(norm, doc_title or ""), norm
        found += verdict
    assert found  # some shipped clauses do restate their title


def test_the_table_of_words_typed_with_marks_is_the_one_folded_word_by_word(shipped_kb: Any) -> None:
    """The reader's table of the plans' words by their folded syllables (built on the first
    question typed with marks) folds each dictionary syllable once, in a batch: the table is the
    one folding every word's syllables one by one gives."""
    from knowledge import reader

    r = reader.Reader(shipped_kb.analyzer, shipped_kb.gazetteer, shipped_kb.vocab, shipped_kb.by_length, {},
                      lambda digits, kind: False)
    assert r._toned is None
    r._retoned(["thu", "tuc"], ["thủ", "tục"])
    reference: dict[str, list[tuple[str, ...]]] = {}
    for word in shipped_kb.analyzer.accented:
        key = " ".join(map(fold, word))
        if len(word) >= 2 and shipped_kb.vocab.get(key.replace(" ", "_")):
            reference.setdefault(key, []).append(word)
    assert r._toned is not None and len(r._toned) > 100
    assert {k: set(v) for k, v in r._toned.items()} == {k: set(v) for k, v in reference.items()}
    assert r._retoned(["chuyen", "doi", "so"], ["chuyễn", "đổi", "số"]) == ["chuyển", "đổi", "số"]


def test_annual_plans_are_read_on_first_use_as_at_the_open(shipped_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An open reads no document title for its annual plans (`Decider.annual`, needed only by a
    year's figure question): the first use reads them, each distinct title once, and gives what
    reading every document's title gives."""
    from knowledge import decider

    def unread(title: str) -> list[int]:
        raise AssertionError("a title read at the open")

    monkeypatch.setattr(decider, "plan_years", unread)
    kb = KnowledgeBase.open(shipped_db)
    try:
        monkeypatch.undo()
        read: list[str] = []
        real = decider.plan_years

        def counted(title: str) -> list[int]:
            read.append(title)
            return real(title)

        monkeypatch.setattr(decider, "plan_years", counted)
        annual = kb.decider.annual
        assert annual == {d: ys[0] for d, m in kb.docs.items() if len(ys := real(m.title or "")) == 1}
        assert annual and len(read) == len({m.title or "" for m in kb.docs.values()})
        assert kb.decider.annual is annual  # kept
    finally:
        kb.close()


def test_everyday_subjects_are_those_a_scan_of_every_unit_finds() -> None:
    """`reader._subjects` looks each listed subject up in one set of the question's units, their
    runs and their syllable runs: the subjects found are those the scan of every unit for every
    subject found, in the same order, over every subject in a unit of its own, inside longer
    units, split over two units, straddling two, and typed with marks."""
    from knowledge import reader

    listed = reader.subject_words()

    def reference(content: list[str], text: str) -> tuple[str, ...]:
        typed = f" {' '.join(words(text.lower()))} "
        runs = {"_".join(content[i:j]) for i in range(len(content))
                for j in range(i + 2, min(len(content), i + 4) + 1)}
        return tuple(p for s, p in listed.items() if f" {p} " in typed or s in runs or any(
            s == u or "_" in s and f"_{s}_" in f"_{u}_" for u in content))

    cases: list[tuple[list[str], str]] = [([], ""), (["thu_tuc", "hanh_chinh"], "thủ tục hành chính")]
    for s, p in listed.items():
        parts = s.split("_")
        cases += [([s], ""), (["xin", s, "o_dau"], ""), ([f"dang_{s}_moi"], ""), ([f"{s}_xe"], ""),
                  ([f"x{s}"], ""), (["co", "gi"], f"hỏi {p} nhé")]
        if len(parts) > 1:
            head, tail = parts[0], "_".join(parts[1:])
            cases += [([head, tail], ""), ([f"a_{head}", f"{tail}_b"], "")]
    found = 0
    for content, text in cases:
        got = reader._subjects(content, text)
        assert got == reference(content, text), (content, text)
        found += bool(got)
    assert found > len(listed)  # the cases name subjects, not only miss them


def test_unmarked_readings_try_only_the_lengths_a_word_can_have(shipped_kb: Any,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A question typed without marks is segmented trying at each syllable only the lengths of
    the dictionary's words and the thesaurus phrases starting with it: every evaluation
    question's reading is the one trying every length gives."""
    import json

    from knowledge import reader

    asked = [json.loads(line)["q"] for f in ("dev.jsonl", "dev_v2.jsonl", "heldout.jsonl")
             for line in (ROOT / "tests" / "data" / f).read_text(encoding="utf-8").splitlines() if line.strip()]
    r = reader.Reader(shipped_kb.analyzer, shipped_kb.gazetteer, shipped_kb.vocab, shipped_kb.by_length, {},
                      lambda digits, kind: False)
    texts = [words(fold(q)) for q in asked]
    texts += [t[i:] for t in texts for i in (1, 2)]
    bounded = [r._unmarked_spans(t) for t in texts]

    class Every(dict[str, int]):
        def get(self, key: Any, default: Any = None) -> Any:
            return 99

    monkeypatch.setattr(r, "_phrase_reach", Every())
    monkeypatch.setattr(r.analyzer, "_longest", Every())
    assert [r._unmarked_spans(t) for t in texts] == bounded
    assert sum(len(s) for s in bounded) > 1000


def test_clause_words_are_split_once_per_text_within_a_bound(shipped_kb: Any) -> None:
    """The ranker's whole-word test of a word typed with marks splits a clause into its words
    once per text (`ranker.padded_words`, cached like its token sets, within a bound): the cached
    words are those splitting the text again gives, and asking questions typed with marks fills
    the cache no further than its bound."""
    ranker.padded_words.cache_clear()
    for q in ("dịch vụ công trực tuyến toàn trình", "cũ", "hồ sơ giải quyết đúng hạn", "cải cách thủ tục hành chính",
              "tỷ lệ hài lòng của người dân", "chuyển đổi số"):
        shipped_kb.search(q, top=3)
        shipped_kb.search(q, top=3, offset=3)
    info = ranker.padded_words.cache_info()
    assert info.currsize > 0 and info.maxsize is not None and info.maxsize <= 4_096
    texts = [r[0] for r in shipped_kb.index._rows("SELECT norm FROM clauses LIMIT 300")]
    for t in texts:
        assert ranker.padded_words(t) == ranker.padded_words.__wrapped__(t) == f" {' '.join(words(t))} "
