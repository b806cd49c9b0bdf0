"""The command line: `bot.py index` and `bot.py ask`, the contract other tools use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs bot.py in a process

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env_db: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "bot.py"), *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_index_then_ask_json_and_batch(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    out = run("index", "--db", str(db))
    assert out.returncode == 0, out.stderr
    shipped = len([p for p in (ROOT / "knowledge" / "plans").iterdir() if p.suffix == ".txt"])
    assert f"{shipped} documents" in out.stdout
    # One line per document: clauses, targets, tasks and who signed.
    line = next(x for x in out.stdout.splitlines() if "quyetdinh_trunguong_2629-QD-TTg_2025.txt" in x)
    assert "tasks" in line and "signer: Nguyễn Chí Dũng" in line and " 0 tasks" not in line
    one = run("ask", "--db", str(db), "--json", "--top", "2", "tỷ lệ giao dịch thanh toán trực tuyến")
    answer = json.loads(one.stdout)
    assert answer["answered"] and len(answer["results"]) <= 2
    questions = tmp_path / "q.txt"
    questions.write_text("muc tieu dich vu cong truc tuyen 2025\nthời tiết hôm nay\nmục tiêu \"TTHC (\n\n",
                         encoding="utf-8")
    batch = run("ask", "--db", str(db), "--batch", str(questions))
    lines = [json.loads(line) for line in batch.stdout.splitlines()]
    assert [a["question"] for a in lines] == ["muc tieu dich vu cong truc tuyen 2025", "thời tiết hôm nay",
                                               'mục tiêu "TTHC (', ""]  # a blank line is answered too
    assert lines[3]["answered"] is False and lines[3]["results"] == []
    assert lines[0]["answered"] and not lines[1]["answered"] and isinstance(lines[2]["results"], list)
    plain = run("ask", "--db", str(db), "tỷ lệ giao dịch thanh toán trực tuyến")
    assert "Theo" in plain.stdout and "1256/QĐ-UBND" in plain.stdout


def test_index_names_a_bad_file_and_keeps_the_old_index(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "ok.txt").write_text("---\nprovince: Quảng Trị\ndocument: 1/KH-UBND\n---\n"
                                  "1. Tối thiểu 90% hồ sơ được giải quyết đúng hạn.\n", encoding="utf-8")
    db = tmp_path / "kb.db"
    assert run("index", "--knowledge", str(plans), "--db", str(db)).returncode == 0
    before = db.read_bytes()
    (plans / "bad.txt").write_bytes(b"\x00\xff\x00binary")
    out = run("index", "--knowledge", str(plans), "--db", str(db))
    assert out.returncode != 0
    assert "bad.txt" in out.stderr
    assert db.read_bytes() == before


def test_every_cli_command_is_documented() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("botcli", ROOT / "bot.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["botcli"] = module
    spec.loader.exec_module(module)
    parser = module.build_parser()
    commands = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in commands:
        assert f"bot.py {name}" in readme, name
