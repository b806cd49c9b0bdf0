"""Issue 14: the index stores each text once and what an open would compute every time.

The reader's answers are compared before/after by `benchmarks/same_answers.py` (indexes of two
versions cannot be opened by one); these tests check the schema's promises on small folders."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from knowledge import KnowledgeBase, build_index, store, text
from knowledge.text import Analyzer, compound_forms, dictionary_words

SHIPPED = Path(__file__).resolve().parent.parent / "knowledge" / "plans"

# Words as documents give them: marks, capitals, the old tone placement, doubled spaces, one syllable.
_WORDS = ["cải cách", "Hành  Chính", "hoá đơn", "thuỷ lợi", "dịch vụ công trực tuyến", "xã", "Đắk Lắk",
          "kt-xh", "par index", "80 %"]


def _state(a: Analyzer) -> tuple[object, ...]:
    return a.accented, a.compounds, a.known_syllables, a.max_len, a._longest


def test_an_analyzer_from_stored_forms_is_the_one_built_from_the_words() -> None:
    words = sorted(set(_WORDS) | set(list(dictionary_words())[:3000]))
    abbreviations = {"tthc": "thủ tục hành chính"}
    built = Analyzer(words, abbreviations)
    stored = Analyzer((), abbreviations, compound_forms(words))
    assert _state(stored) == _state(built)
    for sample in ("Cải cách hành chính, dịch vụ công trực tuyến 80 %", "hoa don thuy loi dak lak", "KT-XH"):
        assert stored.units(sample) == built.units(sample)
        assert stored.index_text(sample) == built.index_text(sample)
    assert _state(Analyzer((), None, compound_forms([]))) == _state(Analyzer([], None))


def _plans(tmp_path: Path, copies: int) -> Path:
    """One shipped plan under `copies` names: the same clause texts in several documents."""
    plans = tmp_path / "plans"
    plans.mkdir()
    source = (SHIPPED / "kehoach_hanoi_308-KH-UBND_2025.txt").read_text(encoding="utf-8")
    for i in range(copies):
        (plans / f"copy{i}.txt").write_text(source, encoding="utf-8")
    return plans


@pytest.mark.slow  # builds an index: out of the inner loop (-m "not slow")
def test_a_clause_text_is_stored_once_however_many_clauses_repeat_it(tmp_path: Path) -> None:
    build_index(_plans(tmp_path, 3), tmp_path / "kb.db")
    conn = sqlite3.connect(tmp_path / "kb.db")
    try:
        clauses, texts, distinct = conn.execute(
            "SELECT (SELECT count(*) FROM clause_data), (SELECT count(*) FROM texts),"
            " (SELECT count(DISTINCT text) FROM clauses)").fetchone()
        per_doc = conn.execute("SELECT doc_id, group_concat(text, '|') FROM (SELECT doc_id, text FROM clauses"
                               " ORDER BY id) GROUP BY doc_id").fetchall()
        columns = {r[1] for r in conn.execute("PRAGMA table_info(clause_data)")}
        labels, strings = conn.execute(
            "SELECT (SELECT count(*) FROM labels), (SELECT count(*) FROM (SELECT section FROM clauses UNION"
            " SELECT lead FROM clauses UNION SELECT task FROM tasks UNION SELECT agency FROM tasks"
            " UNION SELECT partners FROM tasks UNION SELECT product FROM tasks) WHERE section IS NOT NULL)").fetchone()
        tasks = conn.execute("SELECT count(*), count(DISTINCT task), count(DISTINCT doc_id) FROM tasks").fetchone()
        task_columns = {r[1]: r[2] for r in conn.execute("PRAGMA table_info(task_data)")}
    finally:
        conn.close()
    assert texts == distinct and 3 * texts <= clauses  # three documents, one copy of each text
    assert labels == strings  # headings, leads and task strings once each
    assert tasks[0] >= 3 * tasks[1] > 0 and tasks[2] == 3 and task_columns["task"] == "INTEGER"
    assert len(per_doc) == 3 and len({t for _, t in per_doc}) == 1  # every clause still reads its own text
    assert not columns & {"text", "norm", "body"}
    kb = KnowledgeBase.open(tmp_path / "kb.db")
    try:
        rows = kb.index.clauses_after(per_doc[1][0], -1, 100)
        assert [r["text"] for r in rows] == per_doc[1][1].split("|")
        assert {r["doc_id"] for r in rows} == {per_doc[1][0]}
    finally:
        kb.close()


@pytest.mark.slow  # builds an index: out of the inner loop (-m "not slow")
def test_opening_an_index_does_not_normalize_the_dictionary_again(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    build_index(_plans(tmp_path, 1), tmp_path / "kb.db")
    reference = KnowledgeBase.open(tmp_path / "kb.db")

    def refuse(texts: object) -> list[str]:
        raise AssertionError("the dictionary words were normalized at open")

    monkeypatch.setattr(text, "normalize_many", refuse)
    monkeypatch.setattr(text, "_fold_normalized_many", refuse)
    kb = KnowledgeBase.open(tmp_path / "kb.db")
    try:
        assert _state(kb.analyzer) == _state(reference.analyzer)
        assert len(kb.analyzer.compounds) > 1000  # pyvi's dictionary is there
        question = "kế hoạch cải cách hành chính năm 2025"
        assert [r.clause_id for r in kb.search(question).results] == \
            [r.clause_id for r in reference.search(question).results]
    finally:
        kb.close()
        reference.close()
    assert "compounds" not in store.read_meta(tmp_path / "kb.db")  # the forms replace the word list


@pytest.mark.slow  # builds an index: out of the inner loop (-m "not slow")
def test_a_word_in_the_clause_outranks_the_same_word_in_its_context(tmp_path: Path) -> None:
    """The full-text index's columns are (context, body) and bm25 weighs them 0.4 and 1.0: a
    clause saying the word itself ranks above one whose title alone says it."""
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "a.txt").write_text("---\ntitle: Kế hoạch công tác năm 2025\nprovince: Quảng Trị\ndocument: 5/KH-UBND\n"
                                 "---\nTăng cường công tác tuyên truyền về cải cách hành chính trên địa bàn tỉnh.\n",
                                 encoding="utf-8")
    (plans / "b.txt").write_text("---\ntitle: Kế hoạch tuyên truyền năm 2025\nprovince: Quảng Bình\n"
                                 "document: 6/KH-UBND\n---\nTăng cường công tác kiểm tra về cải cách hành chính trên"
                                 " địa bàn tỉnh.\n", encoding="utf-8")
    build_index(plans, tmp_path / "kb.db")
    reader = store.IndexReader(store.connect(tmp_path / "kb.db"))
    try:
        hits = reader.fts_hits("tuyen_truyen", rowids=None, ranked=True, limit=5)
        assert [r["text"] for r in hits][0].startswith("Tăng cường công tác tuyên truyền")
        assert len(hits) == 2 and "tuyen_truyen" in hits[1]["context"] and "tuyen_truyen" not in hits[1]["body"]
    finally:
        reader.close()


def test_same_rows_compares_every_reader_call(shipped_db: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """benchmarks/same_rows.py: what a schema change is checked with (README, Build)."""
    import json

    from benchmarks import same_rows

    assert same_rows.dump(shipped_db, tmp_path / "a.json") == 0
    assert same_rows.compare(tmp_path / "a.json", tmp_path / "a.json") == 0
    rows = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert rows["count"][0] > 1000 and rows["task_rows"] and rows["fts_hits cai_cach True None"]
    rows["task_rows"] = rows["task_rows"][1:]
    (tmp_path / "b.json").write_text(json.dumps(rows), encoding="utf-8")
    capsys.readouterr()
    assert same_rows.compare(tmp_path / "a.json", tmp_path / "b.json") == 1
    assert "differs: task_rows" in capsys.readouterr().out


@pytest.mark.parametrize("enabled", [True, False])
def test_an_open_pauses_the_cyclic_collector_and_restores_it(shipped_db: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch, enabled: bool) -> None:
    """Issue 14, cold start: the collector does not scan an open's ~100,000 new objects; after the
    open (or a failed one) it is as the caller had it."""
    import gc

    seen: list[bool] = []
    built = text.Analyzer.__init__

    def analyzer(self: Analyzer, *args: object, **kwargs: object) -> None:
        seen.append(gc.isenabled())
        built(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(text.Analyzer, "__init__", analyzer)
    outdated = tmp_path / "old.db"
    conn = sqlite3.connect(outdated)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('index_version', '\"1\"')")
    conn.commit()
    conn.close()
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        kb = KnowledgeBase.open(shipped_db)
        after = gc.isenabled()
        assert kb.search("dịch vụ công trực tuyến").answered
        kb.close()
        with pytest.raises(Exception, match="another version"):
            KnowledgeBase.open(outdated)
        after_failure = gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False] and after is enabled and after_failure is enabled
