"""Fixtures for the chat-layer tests (tests/test_bot_*.py): a real index of the shipped plans,
the fake Bot API server and a running PTB Application pointed at it."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from fakebotapi import USER, Call, FakeBotAPI  # noqa: E402

PLANS = ROOT / "knowledge" / "plans"
# Looks like a real token so the redaction filter has something realistic to hide.
TOKEN = "123456789:AAH-test-secret-token-0123456789abcdef"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every end-to-end test — one on the fake Bot API server (`fake_api`, under `running_bot`,
    `start_bot` and `admin_bot`), which starts a real PTB Application and, for the admin tools,
    worker processes — is `slow`. Other slow tests carry the mark themselves (a process started,
    a kill, OCR, a benchmark, a second whole index); `./scripts/test -m "not slow"` leaves them
    all out, CI runs everything."""
    for item in items:
        if "fake_api" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


# --- shared: the shipped plans, indexed once per session ------------------------------------------
# Used by the engine tests (test_eval.py, test_search.py) and the chat-layer tests alike.

@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """(index, BuildReport) of the shipped plans (knowledge/plans), built once per session by
    `build_index`: every test that needs the shipped index shares this one build."""
    from knowledge import build_index

    path = tmp_path_factory.mktemp("index") / "knowledge.db"
    return path, build_index(PLANS, path)


@pytest.fixture(scope="session")
def shipped_db(shipped_build: tuple[Path, Any]) -> Path:
    """The index of the shipped plans (see `shipped_build`)."""
    return shipped_build[0]


@pytest.fixture(scope="session")
def shipped_kb(shipped_db: Path) -> Any:
    """The opened knowledge base over the shipped plans (read-only, shared by the session)."""
    from knowledge import KnowledgeBase

    kb = KnowledgeBase.open(shipped_db)
    yield kb
    kb.close()


# --- chat layer (tests/test_bot_*.py) -------------------------------------------------------------

@dataclass
class RunningBot:
    """A started Application talking to a FakeBotAPI, with helpers to script a conversation."""

    api: FakeBotAPI
    app: Any
    deps: Any
    usage_path: Path

    async def send(self, text: str, *, timeout: float = 5.0, count: int = 1,
                   **kwargs: Any) -> list[Call]:
        """Push a message and wait for `count` sendMessage calls to its chat."""
        mark = len(self.api.calls)
        msg = self.api.push_text(text, **kwargs)
        chat_id = msg["chat"]["id"]
        return await self.api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == chat_id,
                                       count=count, timeout=timeout, after=mark)

    async def ask(self, text: str, **kwargs: Any) -> Call:
        """Push a message; return the last message of the reply (the one carrying the buttons).

        Replies split over several messages are collected until one carries a keyboard (or, for
        a long reply without one, for 5 s).
        """
        mark = len(self.api.calls)
        msg = self.api.push_text(text, **kwargs)
        chat_id = msg["chat"]["id"]
        first = await self.api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == chat_id,
                                        after=mark)
        call = first[0]
        if not call.buttons and len(call.text) > 3500:
            # A split answer: its last part carries the buttons. Waited for, not slept for, so
            # a loaded machine cannot hand back a middle part.
            try:
                [call] = await self.api.wait_for(
                    "sendMessage", lambda c: c.params.get("chat_id") == chat_id and bool(c.buttons),
                    after=mark, timeout=5)
            except AssertionError:  # a long reply without buttons: its last part
                call = [c for c in self.api.calls[mark:] if c.method == "sendMessage"][-1]
        return call


@contextlib.asynccontextmanager
async def _start_bot(api: FakeBotAPI, deps: Any, tmp_path: Path, usage_path: Path) -> AsyncIterator[RunningBot]:
    import bot

    app = bot.build_application(TOKEN, deps, base_url=api.base_url, base_file_url=api.base_file_url,
                                throttle=False, backoff=0.05)
    async with app:
        # run_polling would call post_init; starting by hand we call it like it does.
        if app.post_init:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield RunningBot(api, app, deps, usage_path)
        finally:
            api.release_polls()
            await app.updater.stop()
            await app.stop()


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    """The fake Bot API server on a free port of 127.0.0.1."""
    async with FakeBotAPI(TOKEN) as api:
        yield api


@pytest.fixture
def make_deps(shipped_kb: Any, tmp_path: Path) -> Callable[..., Any]:
    """Build Deps over the shipped plans with a fresh usage db; keyword overrides allowed."""
    from handlers.deps import Deps, FloodGuard
    from knowledge.usage import UsageLog

    opened: list[Any] = []

    def make(kb: Any = None, **overrides: Any) -> Any:
        usage = UsageLog.open(tmp_path / "usage.sqlite")
        opened.append(usage)
        fields: dict[str, Any] = {"kb": kb or shipped_kb, "usage": usage, "admin_ids": frozenset({USER["id"]}),
                                  "flood": FloodGuard(limit=20, window=60)}
        fields.update(overrides)
        return Deps(**fields)

    yield make
    for usage in opened:
        usage.close()


@pytest.fixture
async def running_bot(fake_api: FakeBotAPI, make_deps: Callable[..., Any],
                      tmp_path: Path) -> AsyncIterator[RunningBot]:
    """The real Application on the shipped plans, polling the fake server."""
    async with _start_bot(fake_api, make_deps(), tmp_path, tmp_path / "usage.sqlite") as running:
        yield running


@pytest.fixture
def start_bot(fake_api: FakeBotAPI, tmp_path: Path) -> Callable[[Any], Any]:
    """Start the Application with custom Deps: `async with start_bot(deps) as running:`."""
    def start(deps: Any) -> Any:
        return _start_bot(fake_api, deps, tmp_path, tmp_path / "usage.sqlite")

    return start


@pytest.fixture(params=["garbage", "directory", "under_a_file"])
def unopenable_usage_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A usage database path SQLite cannot open: a file of garbage, a directory, a path below
    a regular file (tests run as root, so file modes alone would not make it read-only)."""
    path = tmp_path / "usage-bad.sqlite"
    if request.param == "garbage":
        path.write_bytes(b"\x00garbage, not SQLite\xff" * 1000)
    elif request.param == "directory":
        path.mkdir()
    else:
        (tmp_path / "a-file").write_text("x")
        path = tmp_path / "a-file" / "usage.sqlite"
    return path


# --- admin tests (tests/test_admin_*.py): a private copy of the plans and of their index ---------

@pytest.fixture
def plans_copy(tmp_path: Path, shipped_db: Path) -> tuple[Path, Path]:
    """(plans folder, index) copied into tmp_path, so admin tests never touch knowledge/plans.
    The index is a copy of the session's build of the same files (same content hash)."""
    import shutil

    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    db = tmp_path / "index" / "knowledge.db"
    db.parent.mkdir()
    shutil.copyfile(shipped_db, db)
    return plans, db


@pytest.fixture
async def admin_bot(start_bot: Callable[[Any], Any], make_deps: Callable[..., Any],
                    plans_copy: tuple[Path, Path]) -> AsyncIterator[RunningBot]:
    """The real Application with the admin tools on a private copy of the plans; the test user
    is the admin. Progress edits every 50 ms; replaced indexes are closed after 0.5 s."""
    from knowledge import KnowledgeBase
    from knowledge.reload import Reloader

    plans, db = plans_copy
    kb = KnowledgeBase.open(db)
    deps = make_deps(kb=kb, reloader=Reloader(plans, db), progress_every=0.05, retire_after=0.5)
    try:
        async with start_bot(deps) as running:
            yield running
    finally:
        deps.kb.close()
        kb.close()


# --- web chat (tests/test_web_*.py): a tiny plans folder whose clauses hold markup --------------

WEB_PLAN = """---
title: Kế hoạch cải cách hành chính tỉnh Quảng Trị năm 2024 <b>thử</b>
province: Quảng Trị
document: 77/KH-UBND
issued: 2024-01-05
source_url: https://example.gov.vn/van-ban/77-kh-ubnd
---
I. MỤC TIÊU
Các chỉ tiêu chủ yếu năm 2024:
1. Tối thiểu 95% hồ sơ thủ tục hành chính được giải quyết đúng hạn <script>alert("xss")</script> & đúng quy trình.
2. 100% hồ sơ thủ tục hành chính được số hoá khi tiếp nhận tại bộ phận một cửa.
3. Tối thiểu 90% hồ sơ thủ tục hành chính được tiếp nhận trực tuyến toàn trình.
4. Tối thiểu 85% hồ sơ thủ tục hành chính được trả kết quả điện tử cho người dân.
5. Tối thiểu 80% hồ sơ thủ tục hành chính được thanh toán phí trực tuyến.
6. Tối thiểu 75% hồ sơ thủ tục hành chính được người dân đánh giá hài lòng.
"""

WEB_PLAN_2 = """---
title: Kế hoạch chuyển đổi số tỉnh Quảng Trị
province: Quảng Trị
document: 78/KH-UBND
issued: 2024-02-01
source_url: javascript:alert(1)
---
II. NHIỆM VỤ
1. Xây dựng kho dữ liệu dùng chung của tỉnh phục vụ chuyển đổi số.
"""


@pytest.fixture(scope="session")
def web_plans(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(plans folder, index) of two small documents, one clause holding `<script>` and `&`."""
    from knowledge import build_index

    root = tmp_path_factory.mktemp("webplans")
    plans = root / "plans"
    plans.mkdir()
    (plans / "quangtri_77.txt").write_text(WEB_PLAN, encoding="utf-8")
    (plans / "quangtri_78.txt").write_text(WEB_PLAN_2, encoding="utf-8")
    db = root / "knowledge.db"
    build_index(plans, db)
    return plans, db


@pytest.fixture
def web_kb(web_plans: tuple[Path, Path]) -> Any:
    """The small web index, opened for one test."""
    from knowledge import KnowledgeBase

    kb = KnowledgeBase.open(web_plans[1])
    yield kb
    kb.close()
