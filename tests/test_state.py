"""Conversation state across restarts (issue 11): two lifetimes of the real Application against
the fake Bot API, sharing one STATE_DB file. Buttons of answers given before a restart keep
working, pending admin confirmations survive, `bot_data` in general survives, the language chosen
with /lang is remembered; a sources button from before a *reload* (another index generation) is
still refused."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from conftest import TOKEN, RunningBot
from fakebotapi import USER, FakeBotAPI, button

from handlers import replies
from handlers.persistence import StateError, StatePersistence


@contextlib.asynccontextmanager
async def lifetime(api: FakeBotAPI, deps: Any, state: Path) -> AsyncIterator[RunningBot]:
    """One run of the bot with persistence on `state`, started and stopped as run_polling does
    (initialize → post_init → start … stop → shutdown, which saves the state)."""
    import bot

    app = bot.build_application(TOKEN, deps, base_url=api.base_url, base_file_url=api.base_file_url,
                                throttle=False, backoff=0.05, persistence=StatePersistence.open(state))
    async with app:
        assert app.post_init is not None
        await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield RunningBot(api, app, deps, Path())
        finally:
            api.release_polls()
            await app.updater.stop()
            await app.stop()
    api._releasing = False  # the next lifetime polls the same fake server


async def tap(api: FakeBotAPI, data: str, message: dict[str, Any]) -> str:
    """Tap a button; the text of the callback answer (toast)."""
    mark = len(api.calls)
    query_id = api.push_callback(data, message)
    [ack] = await api.wait_for("answerCallbackQuery", lambda c: c.params["callback_query_id"] == query_id,
                               after=mark)
    return str(ack.params.get("text") or "")


async def test_buttons_confirmations_bot_data_and_language_survive_a_restart(
        fake_api: FakeBotAPI, make_deps: Callable[..., Any], plans_copy: tuple[Path, Path],
        tmp_path: Path) -> None:
    from knowledge import KnowledgeBase
    from knowledge.reload import Reloader

    plans, db = plans_copy
    state = tmp_path / "state.sqlite"
    api = fake_api
    kb = KnowledgeBase.open(db)
    try:
        async with lifetime(api, make_deps(kb=kb, reloader=Reloader(plans, db)), state) as first:
            answer = await first.ask("thanh toán trực tuyến")
            [ask] = await first.send("/reload force")          # a pending admin confirmation
            first.app.bot_data["subscriptions"] = {USER["id"]: ["Hà Tĩnh"]}  # as /theodoi stores them
            english = {**USER, "id": 111_222_334, "language_code": "vi"}
            [switched] = await first.send("/lang en", user=english)
            assert "English" in switched.text
        # Only the user who chose a language has a row; no Telegram id of anyone else on disk.
        import sqlite3

        with contextlib.closing(sqlite3.connect(state)) as saved:
            users = [k for (k,) in saved.execute("SELECT key FROM state WHERE kind = 'user'")]
            assert users == [str(english["id"])]
        # A new process: new Deps (empty stores), same index, same state file.
        deps = make_deps(kb=kb, reloader=Reloader(plans, db))
        assert len(deps.questions) == 0 and len(deps.pending) == 0
        async with lifetime(api, deps, state) as second:
            assert second.app.bot_data["subscriptions"] == {USER["id"]: ["Hà Tĩnh"]}
            # "Xem thêm" pages the answer given before the restart.
            mark = len(api.calls)
            assert await tap(api, button(answer, "m:")["callback_data"], answer.result) == ""
            [edit] = await api.wait_for("editMessageText", after=mark)
            assert "Kết quả 4" in edit.text
            # 📄 Nguồn opens the document card.
            mark = len(api.calls)
            assert await tap(api, button(answer, "s:")["callback_data"], answer.result) == ""
            [card] = await api.wait_for("sendMessage", after=mark)
            assert "📄" in card.text
            # 👍 is counted, once.
            up = button(answer, "f:")["callback_data"]
            assert await tap(api, up, answer.result) == replies.FEEDBACK_THANKS
            assert await tap(api, up, answer.result) == replies.FEEDBACK_ALREADY
            voters = {v for st in deps.questions._items.values() for v in st.voters}
            assert voters and not any(str(USER["id"]) in v for v in voters)  # pseudonyms only
            # The confirmation asked before the restart is still pending: cancelling it is answered
            # as a cancel, not as "expired".
            cancel = button(ask, "ar:")["callback_data"].replace(":y", ":n")
            assert await tap(api, cancel, ask.result) == replies.CANCELLED
            # The language chosen before the restart.
            [hello] = await second.send("/help", user=english)
            assert "How to use" in hello.text
    finally:
        kb.close()


async def test_a_sources_button_from_before_a_reload_is_still_refused_after_a_restart(
        fake_api: FakeBotAPI, make_deps: Callable[..., Any], shipped_db: Path, tmp_path: Path) -> None:
    from knowledge import KnowledgeBase

    state = tmp_path / "state.sqlite"
    api = fake_api
    async with lifetime(api, make_deps(), state) as first:
        answer = await first.ask("thanh toán trực tuyến")
    reloaded = KnowledgeBase.open(shipped_db)
    reloaded.generation = "reloaded"  # what a reload to other documents does to the generation
    try:
        async with lifetime(api, make_deps(kb=reloaded), state):
            # Clause ids may mean other clauses now: refused.
            assert await tap(api, button(answer, "s:")["callback_data"], answer.result) == replies.STALE_BUTTON
            # "Xem thêm" asks the stored question again on the new index: it works.
            mark = len(api.calls)
            await tap(api, button(answer, "m:")["callback_data"], answer.result)
            [edit] = await api.wait_for("editMessageText", after=mark)
            assert "Kết quả 4" in edit.text
    finally:
        reloaded.close()


def test_an_unopenable_state_file_is_reported_and_a_bad_row_is_skipped(tmp_path: Path) -> None:
    import asyncio
    import sqlite3

    import pytest

    (tmp_path / "dir.sqlite").mkdir()
    with pytest.raises(StateError):
        StatePersistence.open(tmp_path / "dir.sqlite")
    path = tmp_path / "state.sqlite"
    persistence = StatePersistence.open(path)
    asyncio.run(persistence.update_user_data(1, {"lang": "en"}))
    asyncio.run(persistence.update_user_data(2, {"lang": "vi"}))
    with sqlite3.connect(path) as db:  # a row written by another version of the code
        db.execute("UPDATE state SET value = ? WHERE key = '2'", (b"not a pickle",))
    reopened = StatePersistence.open(path)
    assert asyncio.run(reopened.get_user_data()) == {1: {"lang": "en"}}


def test_state_db_setting() -> None:
    import bot

    assert bot.read_settings({"DB_PATH": "/d/knowledge.db"}).state_db == Path("/d/knowledge.state.sqlite")
    assert bot.read_settings({"STATE_DB": "/x/s.sqlite"}).state_db == Path("/x/s.sqlite")
    assert bot.read_settings({"STATE_DB": "off"}).state_db is None
