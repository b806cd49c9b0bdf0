"""Admin messages in Vietnamese (issue 11): every reason code the engine raises — DocumentError
codes, document bounds, LibraryError codes — has wording in handlers/replies.py, found by
reading the engine's source, so a new `raise` without wording fails here; no refusal shows the
library's English text."""

from __future__ import annotations

import ast
import errno
import importlib
from pathlib import Path

import pytest

from handlers import replies
from knowledge import library
from knowledge.models import DocumentError

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
ENGLISH_MARK = "ENGLISH REASON"


def _value(node: ast.expr, module: object) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and isinstance(getattr(module, node.id, None), str):
        return str(getattr(module, node.id))
    raise AssertionError(f"{getattr(module, '__name__', module)}: reason code is not a constant: "
                         f"{ast.unparse(node)}")


def raised_codes() -> tuple[set[str], set[str], list[str]]:
    """(DocumentError codes, LibraryError codes, raises without a code) in knowledge/*.py."""
    document: set[str] = set()
    file_ops: set[str] = set()
    uncoded: list[str] = []
    for path in sorted(KNOWLEDGE.glob("*.py")):
        module = importlib.import_module(f"knowledge.{path.stem}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            where = f"{path.name}:{node.lineno}"
            if node.func.id == "DocumentError" and path.name != "models.py":
                code = next((k.value for k in node.keywords if k.arg == "code"), None)
                if code is None:
                    uncoded.append(where)
                elif path.name != "limits.py":  # refuse_over passes its caller's code on
                    document.add(_value(code, module))
            elif node.func.id == "refuse_over" and path.name != "limits.py":
                document.add(_value(node.args[1], module))
            elif node.func.id == "LibraryError":
                file_ops.add(_value(node.args[0], module))
    return document, file_ops, uncoded


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_every_engine_error_carries_a_reason_code() -> None:
    document, file_ops, uncoded = raised_codes()
    assert not uncoded, f"DocumentError without code=: {uncoded}"
    assert {"pdf_corrupt", "too_long", "front_matter_line", "empty"} <= document
    assert file_ops == set(library.LIBRARY_CODES)


def test_every_document_error_code_has_vietnamese_wording() -> None:
    document, _, _ = raised_codes()
    for code in sorted(document):
        worded = replies.document_problem(DocumentError("x.pdf", ENGLISH_MARK, code=code,
                                                        figures={"value": 2, "limit": 1, "line": 3}))
        assert worded and ENGLISH_MARK not in worded, code


def test_every_library_error_code_has_vietnamese_wording() -> None:
    for code in library.LIBRARY_CODES:
        worded = replies.library_problem(library.LibraryError(code, ENGLISH_MARK, name="kh.docx"))
        assert worded != replies.library_problem(library.LibraryError("?", "", name="kh.docx")), code
        assert ENGLISH_MARK not in worded


def test_a_real_refusal_is_worded_in_vietnamese(tmp_path: Path) -> None:
    (tmp_path / "trash").mkdir()
    (tmp_path / "trash" / "kh.txt").write_text("x", encoding="utf-8")
    with pytest.raises(library.LibraryError) as caught:
        library.move_to_trash(tmp_path, tmp_path / "trash" / "kh.txt")
    assert replies.file_problem(caught.value) == "“kh.txt” đã ở trong thùng rác (trash/)"
    assert replies.file_problem(PermissionError(errno.EACCES, "Permission denied")) == "không có quyền truy cập"
    assert "Permission" not in replies.file_error(replies.file_problem(PermissionError(errno.EACCES, "x")))
    front = tmp_path / "bad.md"
    front.write_text("---\ntitle: a\nno colon here\n---\nNội dung.\n", encoding="utf-8")
    from knowledge.documents import read_document

    with pytest.raises(DocumentError) as bad:
        read_document(front)
    assert replies.document_problem(bad.value) == "dòng 3 của phần đầu tệp không có dạng 'khoá: giá trị'"


def notice_codes() -> set[str]:
    """The reason codes of every `Notice(...)` warning in knowledge/*.py."""
    codes: set[str] = set()
    for path in sorted(KNOWLEDGE.glob("*.py")):
        module = importlib.import_module(f"knowledge.{path.stem}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Notice" \
                    and path.name != "models.py" and len(node.args) >= 2:
                codes.add(_value(node.args[1], module))
    return codes


def test_every_engine_warning_code_has_vietnamese_wording() -> None:
    from knowledge.models import Notice

    codes = notice_codes()
    assert {"ocr", "link", "no_number", "no_province", "no_clauses", "unreadable"} <= codes, codes
    for code in sorted(codes):
        worded = replies.warning_text(Notice(ENGLISH_MARK, code, value="X", errno=str(errno.EACCES)))
        assert worded and ENGLISH_MARK not in worded, code


def test_a_warning_keeps_its_code_across_the_worker_and_names_its_file() -> None:
    import pickle

    from knowledge.models import Notice

    notice = Notice("engine text", "unreadable", errno=str(errno.EACCES)).about("kh/a.txt")
    back = pickle.loads(pickle.dumps(notice))
    assert (back, back.code, back.figures["file"]) == ("kh/a.txt: engine text", "unreadable", "kh/a.txt")
    worded = replies.warning_text(back)
    assert worded.startswith("kh/a.txt: ") and "engine text" not in worded
    assert worded == "kh/a.txt: không đọc được tệp: " + replies.os_problem(errno.EACCES)
    assert replies.warning_text("a plain sentence") == "a plain sentence"


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_reload_report_words_the_build_warnings_in_the_chat_layer(tmp_path: Path) -> None:
    from knowledge.build import build_index
    from knowledge.reload import ReloadDiff, ReloadResult

    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "khong_so.txt").write_text(
        "---\ntitle: Kế hoạch cải cách hành chính\nprovince: Tỉnh Không Có Thật\nissued: 2025\n---\n"
        "Phấn đấu 100% hồ sơ thủ tục hành chính được tiếp nhận và giải quyết trực tuyến toàn trình.\n",
        encoding="utf-8")
    (plans / "lienket.txt").symlink_to(plans / "khong_so.txt")
    report = build_index(plans, tmp_path / "kb.db")
    codes = {getattr(w, "code", "") for w in report.warnings}
    assert {"unknown_province", "link"} <= codes, report.warnings
    text = replies.reload_report(ReloadResult(report=report, diff=ReloadDiff(), swapped=True))
    assert "sửa &#x27;province:&#x27; ở phần đầu tệp" in text or "sửa 'province:' ở phần đầu tệp" in text, text
    assert "khong_so.txt: tỉnh “Tỉnh Không Có Thật”" in text, text
