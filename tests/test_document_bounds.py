"""Issue 10, the document side, without Telegram: links never become documents, front matter
parses in linear time, a document over a bound (knowledge/limits.py) is refused with the figure and
the limit, the worker process is bounded in time and memory, a damaged index is rebuilt, and a
full disk is reported with how much to free."""

from __future__ import annotations

import errno
import io
import logging
import os
import shutil
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest
import workerhooks

from handlers import replies
from knowledge import KnowledgeBase, build_index, ensure_index, store, worker
from knowledge import library as lib
from knowledge.build import DiskFullError, knowledge_hash
from knowledge.documents import load_documents, read_document, split_front_matter
from knowledge.limits import LIMITS, MB, Limits
from knowledge.models import DocumentError
from knowledge.reload import Reloader

SECRET = "Mật khẩu kho lưu trữ tuyệt mật là hoa hồng xanh chín chín."
SECRET_QUESTION = "mật khẩu kho lưu trữ tuyệt mật hoa hồng xanh"


def plan(number: str, extra: str = "") -> str:
    return (f"---\ntitle: Kế hoạch cải cách hành chính tỉnh Quảng Trị năm 2025\nprovince: Quảng Trị\n"
            f"document: {number}\nissued: 2025-01-05\n---\nI. MỤC TIÊU\nCác chỉ tiêu chủ yếu năm 2025:\n"
            "1. Tối thiểu 95% hồ sơ thủ tục hành chính được giải quyết đúng hạn.\n"
            "2. 100% cơ quan hành chính cấp tỉnh áp dụng chữ ký số chuyên dùng.\n" + extra)


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """(plans folder with one plan, a folder outside it holding a private file that reads like a plan)."""
    plans, outside = tmp_path / "plans", tmp_path / "outside"
    plans.mkdir()
    outside.mkdir()
    (plans / "quangtri.txt").write_text(plan("77/KH-UBND"), encoding="utf-8")
    (outside / "secret.txt").write_text(plan("99/KH-UBND", "3. " + SECRET + "\n"), encoding="utf-8")
    return plans, outside


# --- 1. links ---------------------------------------------------------------------------------------

def _indexed_texts(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return "\n".join(t for (t,) in conn.execute("SELECT text FROM clauses"))
    finally:
        conn.close()


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_a_link_to_a_file_outside_is_not_indexed_not_quotable_and_warned(folders: tuple[Path, Path],
                                                                          tmp_path: Path) -> None:
    plans, outside = folders
    hash_before = knowledge_hash(plans)
    (plans / "passwd.txt").symlink_to(outside / "secret.txt")
    db = tmp_path / "kb.db"
    report = build_index(plans, db)
    assert report.documents == 1 and list(report.files) == ["quangtri.txt"]
    assert any(w.startswith("passwd.txt: là liên kết (symlink)") for w in report.warnings), report.warnings
    assert "hoa hồng xanh" not in _indexed_texts(db)
    kb = KnowledgeBase.open(db)
    try:
        answer = kb.search(SECRET_QUESTION)
        assert not any("hoa hồng xanh" in r.text for r in answer.results)
    finally:
        kb.close()
    # The same selection everywhere: the content hash, the admin tools, reading it directly.
    assert knowledge_hash(plans) == hash_before
    assert lib.live_files(plans) == [plans / "quangtri.txt"]
    with pytest.raises(DocumentError) as refused:
        read_document(plans / "passwd.txt", root=plans)
    assert refused.value.code == "link" and "symlink" in replies.document_problem(refused.value)


def test_a_linked_folder_pointing_outside_is_not_walked_and_is_warned(folders: tuple[Path, Path]) -> None:
    plans, outside = folders
    (plans / "2025").symlink_to(outside, target_is_directory=True)
    skipped: list[str] = []
    docs, errors = load_documents(plans, skipped=skipped)
    assert [d.meta.file for d in docs] == ["quangtri.txt"] and errors == []
    assert skipped == ["2025/: là liên kết (symlink) tới một thư mục, bỏ qua: chỉ tệp thật trong thư mục "
                       "kế hoạch mới là văn bản"]
    assert lib.find_documents(plans, "99/KH-UBND") == []


def test_a_link_inside_pointing_inside_is_skipped_too(folders: tuple[Path, Path], tmp_path: Path) -> None:
    """The chosen rule (README): a link is never a document, even to a document of the folder —
    it would be indexed twice, and /xoa would move the link, not the document."""
    plans, _ = folders
    (plans / "copy.txt").symlink_to(plans / "quangtri.txt")
    report = build_index(plans, tmp_path / "kb.db")
    assert report.documents == 1 and report.errors == []
    assert [w.split(":")[0] for w in report.warnings if "liên kết (symlink)" in w] == ["copy.txt"]


def test_trash_and_restore_refuse_links(folders: tuple[Path, Path]) -> None:
    plans, outside = folders
    link = plans / "passwd.txt"
    link.symlink_to(outside / "secret.txt")
    with pytest.raises(lib.LibraryError, match="symbolic link"):
        lib.move_to_trash(plans, link)
    assert link.is_symlink() and (outside / "secret.txt").exists()
    trash = plans / "trash"
    trash.mkdir()
    planted = trash / "planted.txt"
    planted.symlink_to(outside / "secret.txt")
    assert lib.trash_files(plans) == []                   # /khoiphuc never offers it
    with pytest.raises(lib.LibraryError, match="symbolic link"):
        lib.restore(plans, planted)
    assert planted.is_symlink() and not (plans / "planted.txt").exists()
    assert (outside / "secret.txt").exists()


def test_a_pending_upload_that_became_a_link_is_not_previewed(folders: tuple[Path, Path]) -> None:
    plans, outside = folders
    staged, _ = lib.stage_upload(plans, "kh.txt", plan("5/KH-UBND").encode())
    staged.unlink()
    staged.symlink_to(outside / "secret.txt")
    with pytest.raises(DocumentError) as refused:
        lib.preview_document(staged)
    assert refused.value.code == "link"
    lib.discard_upload(plans, staged)
    assert not staged.is_symlink() and (outside / "secret.txt").exists()


# --- 3. bounds ----------------------------------------------------------------------------------------

def test_front_matter_with_a_long_run_of_spaces_parses_in_linear_time() -> None:
    spaces = " " * 100_000
    text = f"---\ntitle: Kế hoạch{spaces}2025{spaces}\nsigner{spaces}:{spaces}Bùi Đình Long\n---\nNội dung."
    started = time.perf_counter()
    fields, body = split_front_matter(text, "x.txt")
    # Before: the lazy value and trailing blanks backtracked quadratically (100k spaces: 27 s).
    assert time.perf_counter() - started < 5
    assert fields == {"title": f"Kế hoạch{spaces}2025", "signer": "Bùi Đình Long"} and body == "Nội dung."


def bomb_docx(unpacked_mb: int) -> bytes:
    """A real .docx whose body is `unpacked_mb` MB of paragraphs, compressed to a few hundred KB."""
    import docx

    template = io.BytesIO()
    docx.Document().save(template)
    paragraph = "<w:p><w:r><w:t>Tối thiểu 80% hồ sơ được giải quyết đúng hạn.</w:t></w:r></w:p>".encode()
    out = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename != "word/document.xml":
                dst.writestr(item, data)
                continue
            head, _, tail = data.partition(b"<w:body>")
            with dst.open(item.filename, "w") as fh:
                fh.write(head + b"<w:body>")
                block = paragraph * (MB // len(paragraph))
                for _ in range(unpacked_mb):
                    fh.write(block)
                fh.write(tail)
    return out.getvalue()


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_a_zip_bomb_docx_is_refused_with_the_figure_and_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb_docx(100))
    assert path.stat().st_size < 2 * MB
    started = time.perf_counter()
    with pytest.raises(DocumentError) as refused:
        read_document(path)
    assert time.perf_counter() - started < 30   # before: python-docx parsed it for minutes at GBs
    error = refused.value
    assert error.code == "too_big_unpacked" and error.figures["limit"] == LIMITS.max_unpacked_bytes
    assert error.figures["value"] >= 100 * MB * 0.99
    words = replies.document_problem(error)
    assert "vượt giới hạn 64 MB" in words and "giải nén ra 100" in words, words


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_a_docx_within_the_bound_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "ok.docx"
    path.write_bytes(bomb_docx(1))
    doc = read_document(path, limits=Limits(max_chars=10 * MB))
    assert doc.text.count("Tối thiểu 80%") > 10_000


def test_too_many_characters_or_clauses_are_refused_with_figures(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    items = "".join(f"{i}. Tối thiểu {i}% hồ sơ số {i} được giải quyết đúng hạn.\n" for i in range(3, 40))
    (plans / "long.txt").write_text(plan("5/KH-UBND", items), encoding="utf-8")
    with pytest.raises(DocumentError) as chars:
        read_document(plans / "long.txt", limits=Limits(max_chars=1000))
    assert chars.value.code == "too_long" and chars.value.figures["limit"] == 1000
    assert "vượt giới hạn 1.000 ký tự" in replies.document_problem(chars.value)
    small = Limits(max_clauses=10)
    with pytest.raises(DocumentError) as clauses:
        lib.preview_document(plans / "long.txt", limits=small)
    assert clauses.value.code == "too_many_clauses" and clauses.value.figures["value"] > 10
    assert "vượt giới hạn 10 đoạn" in replies.document_problem(clauses.value)
    (plans / "ok.txt").write_text(plan("6/KH-UBND"), encoding="utf-8")
    with pytest.raises(DocumentError, match="too large"):
        build_index(plans, tmp_path / "kb.db", limits=small)
    report = build_index(plans, tmp_path / "kb.db", limits=small, skip_bad=True)
    assert report.documents == 1 and [e.path for e in report.errors] == ["long.txt"]


# --- 3. the worker process ------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_worker_returns_results_streams_progress_and_raises_document_errors() -> None:
    seen: list[tuple[str, int, int]] = []
    assert worker.run(workerhooks.report_progress, 3, seconds=60,
                      progress=lambda *a: seen.append(a)) == 3
    assert seen == [("read", 1, 3), ("read", 2, 3), ("read", 3, 3)]
    with pytest.raises(DocumentError) as refused:
        worker.run(workerhooks.refuse, "x.txt", seconds=60)
    assert refused.value.code == "too_long" and refused.value.figures == {"value": 10, "limit": 5}


@pytest.mark.slow
def test_a_worker_over_its_time_limit_is_killed_and_reported(tmp_path: Path) -> None:
    fifo = tmp_path / "gate"
    os.mkfifo(fifo)
    with pytest.raises(worker.WorkerError) as stopped:
        worker.run(workerhooks.wait_for_fifo, tmp_path, fifo, seconds=2)
    assert stopped.value.code == "timeout" and stopped.value.limit == 2
    assert replies.worker_problem(stopped.value.code, stopped.value.limit) == "quá thời gian xử lý (2 s)"
    pid = int((tmp_path / workerhooks.MARKER).read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)                                # killed and reaped, not left running


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "stopped_after"), [("read", 2), ("write", 5)])
def test_one_document_stalling_a_per_document_stage_is_stopped_at_the_document_limit(
        tmp_path: Path, stage: str, stopped_after: float) -> None:
    """Reading one file may take `document_seconds`, not the whole reload's budget; a folder-wide
    stage ("write") has only the whole budget."""
    with pytest.raises(worker.WorkerError) as stopped:
        worker.run(workerhooks.report_then_spin, tmp_path, stage, seconds=5, progress=lambda *a: None,
                   stall_seconds=2, stall_stages={"read", "split", "index"})
    assert (stopped.value.code, stopped.value.limit) == ("timeout", stopped_after)


@pytest.mark.slow
def test_a_worker_over_its_memory_limit_is_stopped_and_reported() -> None:
    with pytest.raises(worker.WorkerError) as stopped:
        worker.run(workerhooks.allocate, 1024, seconds=60, memory_bytes=400 * MB)
    assert stopped.value.code == "memory"
    assert worker.run(workerhooks.allocate, 50, seconds=60, memory_bytes=400 * MB) == 50 * MB


@pytest.mark.slow
def test_a_reload_stopped_by_its_time_limit_keeps_the_old_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                folders: tuple[Path, Path]) -> None:
    plans, _ = folders
    db = tmp_path / "index" / "kb.db"
    build_index(plans, db)
    before = db.read_bytes()
    (plans / "new.txt").write_text(plan("8/KH-UBND"), encoding="utf-8")
    monkeypatch.setattr("knowledge.reload.build_index", workerhooks.spin_build)
    with pytest.raises(worker.WorkerError) as stopped:
        Reloader(plans, db, limits=Limits(reload_seconds=3)).reload()
    assert stopped.value.code == "timeout"
    assert db.read_bytes() == before and sorted(p.name for p in db.parent.iterdir()) == [".kb.db.lock", "kb.db"]


# --- 7. a damaged index ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_an_index_damaged_in_the_middle_is_rebuilt_at_start(plans_copy: tuple[Path, Path],
                                                            caplog: pytest.LogCaptureFixture) -> None:
    import bot

    plans, db = plans_copy
    size = db.stat().st_size
    assert size > 3 * 64 * 1024
    with open(db, "r+b") as fh:
        fh.seek(size // 2 - 32 * 1024)
        fh.write(os.urandom(64 * 1024))
    assert store.read_meta(db).get("knowledge_hash") == knowledge_hash(plans)  # it still looks current
    assert store.check(db) is not None
    settings = bot.read_settings({"KNOWLEDGE_DIR": str(plans), "DB_PATH": str(db)})
    with caplog.at_level(logging.WARNING, logger="cchc.index"):
        kb = bot._open_index(settings)
    assert kb is not None
    try:
        assert kb.search("tỷ lệ thanh toán trực tuyến").answered
        assert kb.overview().documents == len(load_documents(plans)[0])  # all of them, rebuilt
    finally:
        kb.close()
    assert any("damaged" in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)
    assert store.check(db) is None and ensure_index(plans, db) is None   # sound now: not rebuilt again


# --- 8c. a full disk -------------------------------------------------------------------------------------

@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
@pytest.mark.parametrize("error", [sqlite3.OperationalError("database or disk is full"),
                                   OSError(errno.ENOSPC, "No space left on device")])
def test_a_full_disk_is_reported_with_what_to_free(folders: tuple[Path, Path], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    plans, _ = folders
    db = tmp_path / "index" / "kb.db"
    build_index(plans, db)
    before = db.read_bytes()

    def full(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(store.IndexWriter, "finish", full)
    monkeypatch.setattr(store, "free_bytes", lambda folder: 2 * MB)
    with pytest.raises(DiskFullError) as raised:
        Reloader(plans, db, isolated=False).reload()
    assert raised.value.missing_mb >= 7 and raised.value.free_bytes == 2 * MB
    assert db.read_bytes() == before and not list(db.parent.glob(".*.building"))
    text = replies.reload_disk_full(raised.value.missing_mb)
    assert f"Hết dung lượng đĩa: cần giải phóng khoảng {raised.value.missing_mb} MB rồi /reload" in text


def test_other_database_errors_are_not_called_a_full_disk() -> None:
    assert not store.disk_full(sqlite3.OperationalError("database is locked"))
    assert not store.disk_full(OSError(errno.EACCES, "Permission denied"))
    assert store.disk_full(OSError(errno.ENOSPC, "No space left on device"))


def test_the_shipped_index_passes_its_check(shipped_db: Path, tmp_path: Path) -> None:
    assert store.check(shipped_db) is None
    copy = tmp_path / "copy.db"
    shutil.copyfile(shipped_db, copy)
    copy.write_bytes(copy.read_bytes()[:4096])        # truncated: the schema points at missing pages
    assert store.check(copy) is not None
