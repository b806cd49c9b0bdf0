"""The house rules that keep the layout honest, checked on the source (an ast walk, nothing run):
`knowledge/` never imports the chat layer, each third-party library has one owning module, and
settings are read only in bot.py, through one helper, each documented in README's table."""

from __future__ import annotations

import ast
import functools
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = {"knowledge", "handlers", "bot", "__future__"}

# The one exception to "one library, one module", and why: python-telegram-bot is the framework
# of the chat layer, not a helper behind it — every callback module of `handlers/` takes its
# Update/Context types and raises or catches its errors, and bot.py (the composition root) builds
# the Application. It is still kept out of `knowledge/` (checked below).
FRAMEWORK = {"telegram": "handlers/ and bot.py"}


def _sources() -> list[Path]:
    return [ROOT / "bot.py", *sorted((ROOT / "knowledge").rglob("*.py")), *sorted((ROOT / "handlers").rglob("*.py"))]


@functools.cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(path: Path) -> set[str]:
    """Top-level names of every module `path` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


def _third_party(names: set[str]) -> set[str]:
    return {n for n in names if n not in OURS and n not in sys.stdlib_module_names}


def test_the_knowledge_package_never_imports_the_chat_layer() -> None:
    offenders = {str(p.relative_to(ROOT)): sorted(_imports(p) & {"telegram", "handlers", "bot"})
                 for p in (ROOT / "knowledge").rglob("*.py")}
    assert not {k: v for k, v in offenders.items() if v}


def test_each_third_party_library_is_imported_by_one_module() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for path in _sources():
        for name in _third_party(_imports(path)):
            owners[name].add(path.relative_to(ROOT).as_posix())
    assert owners, "the walk found no library at all"
    for name, where in FRAMEWORK.items():
        allowed = {m for m in owners.pop(name, set()) if m == "bot.py" or m.startswith("handlers/")}
        assert allowed, f"{name} is expected in {where}"
    shared = {name: sorted(modules) for name, modules in owners.items() if len(modules) > 1}
    assert not shared, f"imported by more than one module (give it one owner): {shared}"


def test_the_walk_sees_imports_inside_functions(tmp_path: Path) -> None:
    # The check above must not miss a lazy import (bot.py imports handlers inside functions).
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    import rapidfuzz.fuzz\n    from telegram import Update\n", encoding="utf-8")
    assert _third_party(_imports(sample)) == {"rapidfuzz", "telegram"}


# --- settings -------------------------------------------------------------------------------------

def _bot_settings() -> set[str]:
    """Every name bot.py passes to its `setting` helper, found by its calls."""
    tree = _tree(ROOT / "bot.py")
    names: set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setting"
                and node.args and isinstance(node.args[0], ast.Constant)):
            names.add(str(node.args[0].value))
    return names


def readme_settings() -> set[str]:
    """The variable names in the first column of README's "Settings (environment only)" table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Settings (environment only)", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) > 2:
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", cells[1]))
    return names


def _reads_environment(tree: ast.AST) -> list[int]:
    """Lines that touch os.environ / os.getenv / os.putenv directly."""
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb")
            and isinstance(node.value, ast.Name) and node.value.id == "os"]


def test_every_setting_bot_reads_is_in_the_readme_table_and_vice_versa() -> None:
    read, documented = _bot_settings(), readme_settings()
    assert {"TELEGRAM_BOT_TOKEN", "XDG_DATA_HOME", "DB_PATH"} <= read    # the walk finds them
    assert read - documented == set(), "read by bot.py but missing from README's settings table"
    assert documented - read == set(), "in README's settings table but never read by bot.py"


def test_settings_are_read_only_through_the_helper_in_bot_py() -> None:
    tree = _tree(ROOT / "bot.py")
    helper = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "setting")
    inside = set(range(helper.lineno, (helper.end_lineno or helper.lineno) + 1))
    assert [line for line in _reads_environment(tree) if line not in inside] == []
    for path in _sources()[1:]:   # knowledge/ and handlers/ read no setting at all: bot.py passes them in
        assert _reads_environment(_tree(path)) == [], path
