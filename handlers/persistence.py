"""Conversation state that survives a restart: PTB persistence in one SQLite file.

What is kept: `bot_data` (the state behind answer buttons — "Xem thêm", 📄 Nguồn, 👍/👎 —,
pending admin confirmations, and anything a feature adds there later, such as subscriptions)
and `user_data` (the interface language chosen with /lang). Each value is pickled into its own
row, so one user's data is one small write. An empty `user_data` is not written (and its row
is removed): PTB saves one for every user it sees, and a Telegram id must not land on disk for
someone who stored nothing (see /privacy). `chat_data` is not used, so not kept.

Why SQLite rather than PTB's `PicklePersistence`: a write is a transaction, so a bot killed in
the middle of saving keeps the previous state instead of a truncated pickle file (PTB rewrites
its file in place); the project already keeps its index and usage log in SQLite in the data
directory; and a row that cannot be read back (a class renamed since) is skipped alone instead
of losing everything.

The database is opened with `StatePersistence.open(path)`, which raises `StateError` when it
cannot be (the composition root then runs without persistence and says so).
"""

from __future__ import annotations

import logging
import pickle
import sqlite3
from pathlib import Path
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

log = logging.getLogger("cchc.state")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS state (
    kind  TEXT NOT NULL,          -- 'bot', 'user', 'chat'
    key   TEXT NOT NULL,          -- '' for bot_data, else the user or chat id
    value BLOB NOT NULL,          -- pickle
    PRIMARY KEY (kind, key)
)
"""


class StateError(Exception):
    """The state database cannot be opened (not a database, a directory, unwritable…)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StatePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's `BasePersistence` on one SQLite file (bot and user data; no chat data, conversations
    or arbitrary callback data, which the bot does not use).

    `update_interval`: seconds between PTB's background saves; everything is saved once more
    on a clean shutdown.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path, *, update_interval: float = 30) -> None:
        super().__init__(store_data=PersistenceInput(bot_data=True, user_data=True, chat_data=False,
                                                     callback_data=False),
                         update_interval=update_interval)
        self.path = path
        self._db = connection

    @classmethod
    def open(cls, path: Path, *, update_interval: float = 30) -> StatePersistence:
        """Open (or create) the state database at `path`; StateError when impossible."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("PRAGMA busy_timeout = 2000")
            db.execute(_SCHEMA)
            db.execute("SELECT count(*) FROM state").fetchone()
        except (sqlite3.Error, OSError) as exc:
            raise StateError(path, str(exc)) from exc
        return cls(db, path, update_interval=update_interval)

    # --- reading ---------------------------------------------------------------------------------

    def _rows(self, kind: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, blob in self._db.execute("SELECT key, value FROM state WHERE kind = ?", (kind,)):
            try:
                out[key] = pickle.loads(blob)
            except Exception as exc:  # noqa: BLE001 - any unpickling problem skips the row only
                # Written by another version of the code (a class renamed or moved): that one row
                # is forgotten, the rest of the state is kept.
                log.warning("state: %s data %r not restored (%s)", kind, key, type(exc).__name__)
        return out

    async def get_bot_data(self) -> dict[Any, Any]:
        """The saved bot_data (empty on first start)."""
        data = self._rows("bot").get("")
        return data if isinstance(data, dict) else {}

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        """Saved user_data by user id."""
        return {int(k): v for k, v in self._rows("user").items() if isinstance(v, dict)}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        """Saved chat_data by chat id."""
        return {int(k): v for k, v in self._rows("chat").items() if isinstance(v, dict)}

    async def get_callback_data(self) -> None:
        """Not used: buttons carry their own short ids."""
        return None

    async def get_conversations(self, name: str) -> dict[Any, Any]:
        """Not used: the bot has no ConversationHandler."""
        return {}

    # --- writing ---------------------------------------------------------------------------------

    def _put(self, kind: str, key: str, value: Any) -> None:
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        # One statement, one transaction: the old row stays until the new one is complete.
        self._db.execute("INSERT OR REPLACE INTO state (kind, key, value) VALUES (?, ?, ?)",
                         (kind, key, blob))

    def _drop(self, kind: str, key: str) -> None:
        self._db.execute("DELETE FROM state WHERE kind = ? AND key = ?", (kind, key))

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Save bot_data (PTB hands over a deep copy)."""
        self._put("bot", "", data)

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """Save one user's data; nothing (and no id) for a user with no data."""
        if data:
            self._put("user", str(user_id), data)
        else:
            self._drop("user", str(user_id))

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Save one chat's data."""
        self._put("chat", str(chat_id), data)

    async def update_callback_data(self, data: Any) -> None:
        """Not used (see get_callback_data)."""

    async def update_conversation(self, name: str, key: Any, new_state: object | None) -> None:
        """Not used (see get_conversations)."""

    async def drop_user_data(self, user_id: int) -> None:
        """Forget one user's data."""
        self._drop("user", str(user_id))

    async def drop_chat_data(self, chat_id: int) -> None:
        """Forget one chat's data."""
        self._drop("chat", str(chat_id))

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def flush(self) -> None:
        """Called by PTB at shutdown, after the last save: close the database."""
        self._db.close()
