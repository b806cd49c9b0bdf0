"""What an operator relies on: the default index belongs to its plans folder, the package and its
`cchc-bot` command, and the deployment files in deploy/ agreeing with README (no Docker daemon or
systemd here: the files are parsed, not run)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from test_structure import readme_settings

import bot

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def plan(number: str, province: str, sentence: str) -> str:
    return (f"---\ntitle: Kế hoạch cải cách hành chính tỉnh {province}\nprovince: {province}\n"
            f"document: {number}\n---\nI. MỤC TIÊU\n1. {sentence}\n")


# --- the data directory ---------------------------------------------------------------------------

@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_two_plan_folders_get_two_default_indexes_and_never_rebuild_each_other(tmp_path: Path) -> None:
    a, b = tmp_path / "checkout-a" / "plans", tmp_path / "checkout-b" / "plans"
    a.mkdir(parents=True)
    b.mkdir(parents=True)
    (a / "a.txt").write_text(plan("1/KH-UBND", "Quảng Trị", "Tối thiểu 91% hồ sơ được số hóa."), encoding="utf-8")
    (b / "b.txt").write_text(plan("2/KH-UBND", "Nghệ An", "Tối thiểu 92% hồ sơ được số hóa."), encoding="utf-8")
    data = tmp_path / "xdg"
    env_a = {"XDG_DATA_HOME": str(data), "KNOWLEDGE_DIR": str(a)}
    env_b = {"XDG_DATA_HOME": str(data), "KNOWLEDGE_DIR": str(b)}
    sa, sb = bot.read_settings(env_a), bot.read_settings(env_b)
    assert sa.db_path != sb.db_path
    assert sa.db_path.parent == sb.db_path.parent == data / "cchc-bot"     # XDG_DATA_HOME, read by bot.py
    assert sa.db_path.name.startswith("knowledge-plans-")                   # the folder's name, then its hash
    assert sa.usage_db != sb.usage_db                                        # the usage logs follow the index

    stamps = {}
    for settings in (sa, sb):
        kb = bot._open_index(settings)
        assert kb is not None
        kb.close()
        stamps[settings.db_path] = settings.db_path.stat().st_mtime_ns
    for settings in (sa, sb, sa):   # each start again: current, so neither is rebuilt
        kb = bot._open_index(settings)
        assert kb is not None
        kb.close()
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    assert sorted(p.name for p in (data / "cchc-bot").glob("*.db")) == sorted(p.name for p in stamps)
    for settings, figure in ((sa, "91%"), (sb, "92%")):
        kb = bot.KnowledgeBase.open(settings.db_path)
        try:
            answer = kb.search("hồ sơ được số hóa")
            assert answer.answered and figure in answer.results[0].text
        finally:
            kb.close()


def test_the_default_index_is_keyed_to_the_resolved_folder(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (tmp_path / "link").symlink_to(plans)
    data = tmp_path / "xdg"
    same = {bot.db_path({"XDG_DATA_HOME": str(data), "KNOWLEDGE_DIR": str(p)})
            for p in (plans, tmp_path / "link", tmp_path / "." / "plans")}
    assert len(same) == 1
    # DB_PATH still wins, and without XDG_DATA_HOME the data directory is ~/.local/share.
    assert bot.db_path({"DB_PATH": "/srv/k.db", "KNOWLEDGE_DIR": str(plans)}) == Path("/srv/k.db")
    assert bot.db_path({"KNOWLEDGE_DIR": str(plans)}).parent == Path.home() / ".local" / "share" / "cchc-bot"


def test_a_usage_log_at_the_former_shared_name_is_kept_in_use(tmp_path: Path) -> None:
    data = tmp_path / "xdg"
    env = {"XDG_DATA_HOME": str(data)}
    fresh = bot.read_settings(env).usage_db
    assert fresh.name.startswith("knowledge-plans-")
    former = data / "cchc-bot" / "knowledge.usage.sqlite"
    former.parent.mkdir(parents=True)
    former.write_bytes(b"")
    assert bot.read_settings(env).usage_db == former        # /thongke keeps its history after an upgrade
    assert bot.read_settings({**env, "USAGE_DB": str(tmp_path / "u.sqlite")}).usage_db == tmp_path / "u.sqlite"


def test_the_index_location_is_logged_at_start(tmp_path: Path, shipped_db: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    settings = bot.read_settings({"DB_PATH": str(shipped_db)})
    with caplog.at_level("INFO", logger="cchc"):
        kb = bot._open_index(settings)
    assert kb is not None
    kb.close()
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("index: ")]
    assert str(shipped_db) in line and str(bot.DEFAULT_KNOWLEDGE) in line


# --- the package ----------------------------------------------------------------------------------

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_package_has_the_command_an_spdx_license_and_the_slow_marker() -> None:
    project = PYPROJECT["project"]
    assert project["scripts"] == {"cchc-bot": "bot:main"}
    assert project["license"] == "MIT"                      # SPDX string: no setuptools deprecation
    assert all((ROOT / f).is_file() for f in project["license-files"])
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert any(m.startswith("slow:") for m in PYPROJECT["tool"]["pytest"]["ini_options"]["markers"])
    # The shipped plans ship in the package, where bot.py looks for them.
    assert "plans/*" in PYPROJECT["tool"]["setuptools"]["package-data"]["knowledge"]
    assert bot.DEFAULT_KNOWLEDGE == ROOT / "knowledge" / "plans"


@pytest.mark.slow
def test_the_cchc_bot_command_answers_from_anywhere(tmp_path: Path) -> None:
    command = Path(sys.executable).with_name("cchc-bot")
    if not command.exists():
        pytest.skip("cchc-bot not installed in this environment (./scripts/setup installs it)")
    env = {k: v for k, v in os.environ.items() if k not in ("KNOWLEDGE_DIR", "DB_PATH", "USAGE_DB")}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    # Run outside the checkout: the shipped plans are found through the package.
    out = subprocess.run([str(command), "ask", "--json", "tỷ lệ giao dịch thanh toán trực tuyến"],
                         capture_output=True, text=True, timeout=180, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert '"answered": true' in out.stdout
    assert list((tmp_path / "xdg" / "cchc-bot").glob("knowledge-plans-*.db"))
    helped = subprocess.run([str(command), "--help"], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    for name in ("index", "ask", "chat", "stats", "eval", "run"):
        assert name in helped.stdout


def test_setup_keeps_pip_quiet_and_names_its_log() -> None:
    setup = (ROOT / "scripts" / "setup").read_text(encoding="utf-8")
    assert re.search(r'pip install -e "\.\[dev\]"\n\s*\} >"\$log" 2>&1', setup)
    assert "install FAILED" in setup and 'tail -n 15 "$log"' in setup


# --- deploy/ --------------------------------------------------------------------------------------

DOCKERFILE = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
UNIT = (ROOT / "deploy" / "cchc-bot.service").read_text(encoding="utf-8")


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", "\n".join(line for line in text.splitlines()
                                                if not line.lstrip().startswith("#")))
    return [(m.group(1).upper(), m.group(2).strip())
            for m in re.finditer(r"^\s*([A-Za-z]+)\s+(.*)$", joined, re.M)]


def unit_entries(text: str) -> dict[str, list[str]]:
    """`Key=value` lines of a systemd unit (all sections), values of repeated keys in order."""
    entries: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith(("#", ";", "[")) and "=" in line:
            key, value = line.split("=", 1)
            entries.setdefault(key.strip(), []).append(value.strip())
    return entries


def bot_commands(words: list[str]) -> list[str]:
    """The sub-commands run by a command line (`cchc-bot X`, `python bot.py X`)."""
    found = []
    for i, word in enumerate(words[:-1]):
        if word == "cchc-bot" or word.endswith(("/bin/cchc-bot", "bot.py")):
            found.append(words[i + 1])
    return found


COMMANDS = set(next(a for a in bot.build_parser()._actions
                    if a.__class__.__name__ == "_SubParsersAction").choices)


def test_the_dockerfile_is_slim_non_root_builds_the_index_and_checks_health() -> None:
    steps = dockerfile_instructions(DOCKERFILE)
    kinds = [k for k, _ in steps]
    assert steps[0] == ("FROM", "python:3.11-slim")
    user = kinds.index("USER")
    assert dict(steps)["USER"] not in ("root", "0")
    assert any("pip install" in a for k, a in steps[:user] if k == "RUN")
    runs_after_user = [shlex.split(a) for k, a in steps[user:] if k == "RUN"]
    assert ["cchc-bot", "index"] in runs_after_user              # built at image build time, as the user
    [health] = [a for k, a in steps if k == "HEALTHCHECK"]
    assert "/healthz" in health and "WEB_PORT" in health and "8080" in health
    [cmd] = [a for k, a in steps if k == "CMD"]
    assert bot_commands(json.loads(cmd)) == ["run"]              # exec form: a JSON list
    env_names = {m for k, a in steps if k == "ENV" for m in re.findall(r"([A-Z][A-Z0-9_]*)=", a)}
    assert env_names and env_names <= readme_settings(), env_names - readme_settings()


def test_the_systemd_unit_restarts_runs_unprivileged_and_keeps_state() -> None:
    e = unit_entries(UNIT)
    assert e["Restart"] == ["on-failure"]
    assert e["EnvironmentFile"] and e["StateDirectory"] == ["cchc-bot"]
    assert e.get("DynamicUser") == ["yes"] or (e.get("User") and e["User"] != ["root"])
    for option in ("NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp"):
        assert option in e, option
    state = "/var/lib/" + e["StateDirectory"][0]
    names = dict(v.split("=", 1) for v in e["Environment"])
    assert set(names) <= readme_settings(), set(names) - readme_settings()
    assert all(names[n].startswith(state) for n in ("KNOWLEDGE_DIR", "DB_PATH"))   # writable with ProtectSystem
    [start] = e["ExecStart"]
    assert bot_commands(shlex.split(start)) == ["run"]


def test_deployment_commands_are_the_documented_ones() -> None:
    used = set(bot_commands(shlex.split(" ".join(a for k, a in dockerfile_instructions(DOCKERFILE) if k == "RUN"))))
    used |= set(bot_commands(shlex.split(" ".join(unit_entries(UNIT)["ExecStart"]))))
    assert used and used <= COMMANDS
    for name in used:
        assert f"cchc-bot {name}" in README or f"bot.py {name}" in README, name
    assert "deploy/Dockerfile" in README and "deploy/cchc-bot.service" in README
