"""knowledge/library.py (uploads, trash, finding by number) and knowledge/reload.py (reload with a
lock, diff by content hash, the old index kept on a bad file), without Telegram."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge import library as lib
from knowledge.reload import ReloadBusy, Reloader, diff_indexes, index_lock, staging_path

pytestmark = pytest.mark.slow  # every reload builds in a worker process


def plan(number: str, *, province: str = "Quảng Trị", figure: str = "95%", extra: str = "") -> str:
    """A small plan document with front matter, two targets and an optional extra item."""
    return (f"---\ntitle: Kế hoạch cải cách hành chính tỉnh {province} năm 2025\nprovince: {province}\n"
            f"document: {number}\nissued: 2025-01-05\n---\nI. MỤC TIÊU\nCác chỉ tiêu chủ yếu năm 2025:\n"
            f"1. Tối thiểu {figure} hồ sơ thủ tục hành chính được giải quyết đúng hạn.\n"
            "2. 100% cơ quan hành chính cấp tỉnh áp dụng chữ ký số chuyên dùng.\n" + extra)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- names ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\Windows\\Kế hoạch CCHC.md", "ke-hoach-cchc.md"),
    ("Kế hoạch 2025 (bản cuối).DOCX", "ke-hoach-2025-ban-cuoi.docx"),
    ("/abs/.hidden.pdf", "hidden.pdf"),
    ("~$lock.docx", "lock.docx"),
    ("....txt", "van-ban.txt"),
    ("ĐỀ ÁN số 1.Md", "de-an-so-1.md"),
])
def test_safe_filename_is_a_visible_slug_inside_the_folder(name: str, expected: str) -> None:
    assert lib.safe_filename(name) == expected
    assert lib.suffix_allowed(name)


@pytest.mark.parametrize("name", ["../../etc/passwd", "x.exe", "scan.jpg", ".bashrc", "a.tar.gz", ""])
def test_unsupported_names_are_refused(name: str, tmp_path: Path) -> None:
    assert not lib.suffix_allowed(name)
    with pytest.raises(lib.LibraryError):
        lib.stage_upload(tmp_path, name, b"text")
    assert not (tmp_path / lib.INCOMING).exists() or not any((tmp_path / lib.INCOMING).iterdir())


# --- uploads, trash, restore ----------------------------------------------------------------------

def test_upload_is_staged_hidden_then_committed_without_overwriting(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    write(root / "passwd.txt", plan("1/KH-UBND"))
    staged, safe = lib.stage_upload(root, "../../etc/passwd.txt", plan("2/KH-UBND").encode())
    assert staged.parent == root / lib.INCOMING and safe == "passwd.txt"
    assert lib.live_files(root) == [root / "passwd.txt"]      # the loader does not see it yet
    assert lib.planned_name(root, safe) == "passwd-2.txt"
    target = lib.commit_upload(root, staged, safe)
    assert target.name == "passwd-2.txt" and target.parent == root.resolve()
    assert "1/KH-UBND" in (root / "passwd.txt").read_text(encoding="utf-8")   # untouched
    assert not any((root / lib.INCOMING).iterdir())
    assert not (tmp_path / "etc").exists()
    with pytest.raises(lib.LibraryError):
        lib.commit_upload(root, root / "../outside.txt", "x.txt")
    with pytest.raises(lib.LibraryError):
        lib.commit_upload(root, staged, "y.txt")            # already committed


def test_discard_only_deletes_pending_uploads_and_purge_clears_old_ones(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    live = write(root / "a.txt", plan("1/KH-UBND"))
    with pytest.raises(lib.LibraryError):
        lib.discard_upload(root, live)
    assert live.exists()
    staged, _ = lib.stage_upload(root, "b.txt", b"x")
    lib.discard_upload(root, staged)
    assert not staged.exists()
    old, _ = lib.stage_upload(root, "c.txt", b"x")
    import os
    os.utime(old, (1, 1))
    assert lib.purge_incoming(root) == 1 and not old.exists()


def test_trash_never_overwrites_and_restore_brings_back_the_newest(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    first = write(root / "kh.txt", plan("7/KH-UBND", figure="90%"))
    t1 = lib.move_to_trash(root, first)
    assert t1 == (root / "trash" / "kh.txt").resolve() and not first.exists()
    write(root / "kh.txt", plan("7/KH-UBND", figure="97%"))
    t2 = lib.move_to_trash(root, root / "kh.txt")
    assert t2 != t1 and t1.exists() and t2.exists()           # both versions kept
    assert lib.original_name(t2) == "kh.txt"
    os_time = t1.stat().st_mtime - 10
    import os
    os.utime(t1, (os_time, os_time))
    found = lib.find_documents(root, "7", in_trash=True)
    assert [f.path.resolve() for f in found][0] == t2           # newest first
    restored = lib.restore(root, found[0].path)
    assert restored.name == "kh.txt" and "97%" in restored.read_text(encoding="utf-8")
    assert t1.exists()                                          # the older copy stays in the trash
    with pytest.raises(lib.LibraryError):
        lib.move_to_trash(root, t1)                             # already there
    with pytest.raises(lib.LibraryError):
        lib.restore(root, restored)                             # not in the trash


def test_find_documents_by_number_or_file_name(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    write(root / "a.txt", plan("0077/KH-UBND"))
    write(root / "b.txt", plan("77/QĐ-UBND", province="Hà Tĩnh"))
    write(root / "sub" / "c.md", plan("78/KH-UBND"))
    write(root / "trash" / "d.txt", plan("77/KH-UBND"))
    write(root / ".incoming" / "e.txt", plan("77/KH-UBND"))
    names = lambda found: sorted(f.meta.file for f in found)  # noqa: E731
    assert names(lib.find_documents(root, "77")) == ["a.txt", "b.txt"]
    assert names(lib.find_documents(root, "77/kh-ubnd")) == ["a.txt"]
    assert names(lib.find_documents(root, "77/QD-UBND")) == ["b.txt"]
    assert names(lib.find_documents(root, "sub/c.md")) == ["sub/c.md"]
    assert names(lib.find_documents(root, "77", in_trash=True)) == ["d.txt"]
    assert lib.find_documents(root, "9999") == [] and lib.find_documents(root, " ") == []


def test_preview_counts_clauses_and_targets(tmp_path: Path) -> None:
    preview = lib.preview_document(write(tmp_path / "p.txt", plan("5/KH-UBND")))
    assert preview.meta.document == "5/KH-UBND" and preview.meta.province == "Quảng Trị"
    assert preview.clauses >= 2 and preview.targets == 2
    assert preview.first_targets[0][0].value_text == "95%"


# --- reload ---------------------------------------------------------------------------------------

@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "plans"
    write(root / "a.txt", plan("1/KH-UBND"))
    write(root / "b.txt", plan("2/KH-UBND", province="Hà Tĩnh"))
    write(root / "c.txt", plan("3/KH-UBND", province="Nghệ An"))
    db = tmp_path / "kb.db"
    result = Reloader(root, db).reload()
    assert result.swapped and result.kb is not None
    result.kb.close()
    return root, db


def test_reload_reports_documents_clauses_and_targets_added_changed_removed(small: tuple[Path, Path]) -> None:
    root, db = small
    old = KnowledgeBase.open(db)
    write(root / "a.txt", plan("1/KH-UBND", figure="98%"))                       # changed
    (root / "b.txt").unlink()                                                    # removed
    write(root / "d.txt", plan("4/KH-UBND", province="Lào Cai",                   # added
                               extra="3. Tối thiểu 70% hồ sơ được số hóa.\n"))
    result = Reloader(root, db).reload()
    d = result.diff
    assert result.swapped and not result.errors
    assert [x.file for x in d.added] == ["d.txt"] and [x.file for x in d.removed] == ["b.txt"]
    assert [after.file for _, after in d.changed] == ["a.txt"]
    assert (d.documents.added, d.documents.changed, d.documents.removed) == (1, 1, 1)
    assert d.clauses.changed == 1 and d.clauses.added >= 3 and d.clauses.removed >= 2
    assert d.targets.changed == 1 and d.targets.added == 3 and d.targets.removed == 2
    assert d.before[0] == 3 and d.after[0] == 3
    assert result.kb is not None
    assert "98%" in result.kb.search("hồ sơ giải quyết đúng hạn Quảng Trị").results[0].text
    # A reader still holding the old index keeps reading it (the replaced file stays readable).
    assert "95%" in old.search("hồ sơ giải quyết đúng hạn Quảng Trị").results[0].text
    old.close()
    result.kb.close()
    again = Reloader(root, db).reload()
    assert again.diff.empty
    assert again.kb is not None
    again.kb.close()


BAD = {
    "binary.txt": (b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
    "cp1258.txt": ("Kế hoạch cải cách hành chính".encode("cp1258", errors="replace") + b"\xd2\xde", "UTF-8"),
    "empty.txt": (b"", "empty"),
    "broken.md": (b"---\ntitle: no end\n\nText", "front matter"),
}


def test_bad_documents_keep_the_old_index_and_force_leaves_them_out(small: tuple[Path, Path]) -> None:
    root, db = small
    before = db.read_bytes()
    for name, (content, _) in BAD.items():
        write(root / name, content)
    write(root / "d.txt", plan("4/KH-UBND", province="Lào Cai"))
    result = Reloader(root, db).reload()
    assert not result.swapped and result.kb is None
    assert sorted(e.path for e in result.errors) == sorted(BAD)
    assert all(BAD[e.path][1] in e.reason for e in result.errors)
    assert [x.file for x in result.diff.added] == ["d.txt"]     # what force would bring
    assert db.read_bytes() == before
    assert not staging_path(db).exists() and not list(db.parent.glob("*.building"))
    forced = Reloader(root, db).reload(force=True)
    assert forced.swapped and forced.kb is not None and len(forced.errors) == len(BAD)
    assert forced.kb.overview().documents == 4
    forced.kb.close()


def test_a_second_reload_is_refused_while_one_runs(small: tuple[Path, Path]) -> None:
    root, db = small
    entered, release = threading.Event(), threading.Event()

    def slow(stage: str, done: int, total: int) -> None:
        if stage == "split":
            entered.set()
            release.wait(10)

    results: list[object] = []
    worker = threading.Thread(target=lambda: results.append(Reloader(root, db).reload(progress=slow)))
    worker.start()
    try:
        assert entered.wait(10)
        with pytest.raises(ReloadBusy):
            Reloader(root, db).reload()
        with pytest.raises(ReloadBusy), index_lock(db):
            pass
    finally:
        release.set()
        worker.join(10)
    result = results[0]
    assert getattr(result, "swapped", False)
    result.kb.close()  # type: ignore[attr-defined]
    # Waiting instead of refusing works once the lock is free.
    waited = Reloader(root, db).reload(wait=True)
    assert waited.swapped and waited.kb is not None
    waited.kb.close()


def test_a_build_in_another_process_blocks_reloads_until_it_ends(small: tuple[Path, Path]) -> None:
    root, db = small
    holder = ("import sys, time; sys.path.insert(0, sys.argv[1]); from pathlib import Path;"
              "from knowledge.reload import index_lock\n"
              "with index_lock(Path(sys.argv[2])):\n    print('locked', flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", holder, str(Path(__file__).parent.parent), str(db)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        with pytest.raises(ReloadBusy, match="another process"):
            Reloader(root, db).reload()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        if proc.stdout:
            proc.stdout.close()
    result = Reloader(root, db).reload()      # the kernel dropped the dead process's lock
    assert result.swapped and result.kb is not None
    result.kb.close()


def test_diff_of_a_missing_old_index_is_all_added(small: tuple[Path, Path], tmp_path: Path) -> None:
    _, db = small
    d = diff_indexes(tmp_path / "none.db", db)
    assert d.documents.added == 3 and d.before == (0, 0, 0) and d.after[0] == 3
