"""What the handlers need, built once by the composition root (`bot.py`) and attached to the
Application: the knowledge base, the usage log, admin ids, the flood guard, the server-side
state behind inline buttons, and the admin tools (reloader, pending confirmations).

Handlers get it with `get_deps(context)`; nothing is imported from module globals, so tests can
build an Application with their own index, usage file and limits.

Deps is not kept in `bot_data`: with persistence on, PTB replaces `bot_data` by the saved copy
at start and deep-copies it on every save, and an index or a lock cannot be saved. The parts
that must survive a restart (the question states behind buttons, pending admin confirmations)
live in `bot_data` under `QUESTIONS_KEY` and `PENDING_KEY`; `bind_state()` links them to Deps
once the saved `bot_data` is loaded. Every value put in `bot_data` must be picklable.
"""

from __future__ import annotations

import asyncio
import base64
import pickle
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from knowledge.base import KnowledgeBase
from knowledge.reload import Reloader
from knowledge.usage import UsageLog

DEPS_ATTRIBUTE = "cchc_deps"
QUESTIONS_KEY = "questions"   # bot_data: QuestionStore
PENDING_KEY = "pending"       # bot_data: PendingStore
# The plans are Vietnamese: "today" for deadlines, and the digest's time, are Vietnam's.
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Questions are searched on a thread of their own (`searched`): SQLite's part of a search
# releases the interpreter lock, so the event loop meanwhile reads updates and sends replies on
# the other core. One thread: searches stay one at a time on the index's connection. Started on
# first use, ended with the interpreter.
SEARCH_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cchc-search")
T = TypeVar("T")
# Random bytes for button ids, drawn from the system a few kilobytes at a time: one system call
# per 512 ids rather than one per question (each such call lets the search thread take the
# interpreter from the event loop).
_KEY_BYTES = 6
_random = bytearray()


def new_key() -> str:
    """A fresh id of 8 URL-safe characters, as secrets.token_urlsafe(6) makes."""
    if len(_random) < _KEY_BYTES:
        _random.extend(secrets.token_bytes(_KEY_BYTES * 512))
    raw = bytes(_random[-_KEY_BYTES:])
    del _random[-_KEY_BYTES:]
    return base64.urlsafe_b64encode(raw).decode("ascii")


def local_today() -> date:
    """Today's date in Vietnam (the default clock of deadlines and the digest)."""
    return datetime.now(LOCAL_TZ).date()


class FloodVerdict(Enum):
    """What to do with one more question from a user."""

    ALLOW = "allow"
    WARN = "warn"      # over the limit: tell them once
    DROP = "drop"      # still over the limit and already told: stay silent


class FloodGuard:
    """Per-user sliding window: more than `limit` questions in `window` seconds is flooding.

    The wait message is sent once per window, so a user hammering the bot does not make the bot
    hammer Telegram back.
    """

    def __init__(self, limit: int = 20, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}
        self._checks = 0

    def check(self, user_id: int) -> FloodVerdict:
        """Count one question from `user_id` and say whether to answer it."""
        now = self._clock()
        self._checks += 1
        if self._checks % 1000 == 0:
            self.forget_idle()
        hits = self._hits.setdefault(user_id, deque())
        while hits and now - hits[0] >= self.window:
            hits.popleft()
        if len(hits) < self.limit:
            hits.append(now)
            self._warned.pop(user_id, None)
            return FloodVerdict.ALLOW
        warned = self._warned.get(user_id)
        if warned is not None and now - warned < self.window:
            return FloodVerdict.DROP
        self._warned[user_id] = now
        return FloodVerdict.WARN

    def retry_in(self, user_id: int) -> int:
        """Seconds until the user's oldest counted question leaves the window."""
        hits = self._hits.get(user_id)
        if not hits:
            return 0
        return max(1, int(self.window - (self._clock() - hits[0]) + 0.999))

    def forget_idle(self) -> None:
        """Drop users with no question in the window (keeps memory bounded on long runs)."""
        now = self._clock()
        for uid in [u for u, h in self._hits.items() if not h or now - h[-1] >= self.window]:
            self._hits.pop(uid, None)
            self._warned.pop(uid, None)


@dataclass
class QuestionState:
    """One answered question behind a message's buttons (callback_data only carries its id)."""

    question: str
    offset: int = 0
    clause_ids: list[int] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    voters: set[str] = field(default_factory=set)


class QuestionStore:
    """Bounded in-memory map short id → QuestionState (oldest evicted first).

    Buttons of messages older than what is kept get a polite "ask again" toast; that is cheaper
    than persisting every answer and Telegram's 64-byte callback_data cannot hold a question.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, QuestionState] = OrderedDict()

    def add(self, state: QuestionState) -> str:
        """Keep `state`, return its id (8 URL-safe characters)."""
        key = new_key()
        while key in self._items:
            key = new_key()
        self._items[key] = state
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return key

    def get(self, key: str) -> QuestionState | None:
        """The state for `key`, refreshed as recently used; None when evicted or unknown."""
        state = self._items.get(key)
        if state is not None:
            self._items.move_to_end(key)
        return state

    def __len__(self) -> int:
        return len(self._items)

    def __deepcopy__(self, memo: dict[int, Any]) -> QuestionStore:
        # PTB deep-copies bot_data before each save; pickling is several times faster than
        # copy.deepcopy over ten thousand small states, and gives the same independent copy.
        copied: QuestionStore = pickle.loads(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
        return copied

    def take_over(self, saved: QuestionStore) -> None:
        """Adopt the states of a store saved before a restart (this store's capacity applies)."""
        for key, state in saved._items.items():
            self._items[key] = state
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)


@dataclass
class PendingAction:
    """An admin action waiting for its Confirm / Cancel button (callback_data carries only its id).

    kind: "upload" (path = the staged file, name = its name in the plans folder), "remove"
    (path = the live file), "restore" (path = the file in the trash) or "force" (a forced reload).
    `replaces`: live files that move to the trash when it is confirmed.
    """

    kind: str
    user_id: int
    path: Path | None = None
    name: str = ""
    replaces: list[Path] = field(default_factory=list)
    # Wall-clock time, not monotonic: the action may outlive the process (persistence).
    created: float = field(default_factory=time.time)


class PendingStore:
    """Admin actions awaiting confirmation, by short id; they expire after `ttl` seconds.

    Expired or evicted actions are handed back by `expired()` so their staged uploads can be
    deleted; a button tapped after that gets "expired, do it again".
    """

    def __init__(self, ttl: float = 3600.0, capacity: int = 200,
                 clock: Callable[[], float] = time.time) -> None:
        self.ttl = ttl
        self.capacity = capacity
        self._clock = clock
        self._items: OrderedDict[str, PendingAction] = OrderedDict()
        self._dropped: list[PendingAction] = []

    def add(self, action: PendingAction) -> str:
        """Keep `action` (stamped now), return its id (8 URL-safe characters)."""
        action.created = self._clock()
        key = new_key()
        while key in self._items:
            key = new_key()
        self._items[key] = action
        while len(self._items) > self.capacity:
            self._dropped.append(self._items.popitem(last=False)[1])
        return key

    def pop(self, key: str) -> PendingAction | None:
        """Take the action out (one tap acts once); None when unknown or expired."""
        action = self._items.pop(key, None)
        if action is not None and self._clock() - action.created > self.ttl:
            self._dropped.append(action)
            return None
        return action

    def put_back(self, key: str, action: PendingAction) -> None:
        """Return a popped action unchanged (its button stays valid, e.g. when busy)."""
        self._items[key] = action

    def expired(self) -> list[PendingAction]:
        """Remove and return every action past its time (and those evicted or expired before)."""
        now = self._clock()
        for key in [k for k, a in self._items.items() if now - a.created > self.ttl]:
            self._dropped.append(self._items.pop(key))
        dropped, self._dropped = self._dropped, []
        return dropped

    def __len__(self) -> int:
        return len(self._items)

    def __getstate__(self) -> dict[str, Any]:
        # The clock (possibly a test's function) is not saved; `take_over` keeps the live one.
        state = dict(self.__dict__)
        state["_clock"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._clock = time.time

    def take_over(self, saved: PendingStore) -> None:
        """Adopt the actions of a store saved before a restart (they keep their creation time,
        so they still expire `ttl` seconds after they were asked for)."""
        self._items.update(saved._items)
        self._dropped.extend(saved._dropped)
        while len(self._items) > self.capacity:
            self._dropped.append(self._items.popitem(last=False)[1])


@dataclass
class Deps:
    """Everything the handlers use; one instance per Application."""

    kb: KnowledgeBase
    usage: UsageLog | None = None
    admin_ids: frozenset[int] = frozenset()
    flood: FloodGuard = field(default_factory=FloodGuard)
    questions: QuestionStore = field(default_factory=QuestionStore)
    top: int = 3                  # clauses per answer page
    inline_results: int = 10      # Telegram shows at most 50; 10 keeps the list scannable
    # Admin tools: without a reloader /reload, uploads, /xoa and /khoiphuc say they are unavailable.
    reloader: Reloader | None = None
    max_upload_bytes: int = 10 * 1024 * 1024
    pending: PendingStore = field(default_factory=PendingStore)
    # Held for a file change plus the reload that follows, so admin actions never interleave.
    maintenance: asyncio.Lock = field(default_factory=asyncio.Lock)
    progress_every: float = 1.0   # seconds between edits of a reload's progress message
    retire_after: float = 60.0    # seconds an index replaced by a reload stays open for readers
    # The plans folder, for sending a document's stored original ("📎 Văn bản"); None: no button.
    knowledge_dir: Path | None = None
    # "Today" for /hanchot, /nhiemvu and the digest; tests inject a fixed date.
    today: Callable[[], date] = local_today
    # Where questions are searched (see `searched`); None: on the event loop itself.
    searcher: Executor | None = SEARCH_THREAD


async def searched(deps: Deps, search: Callable[[], T]) -> tuple[T, float]:
    """`search()` run on `deps.searcher`: (its result, the seconds it took there, not counting
    the wait for the thread, so a logged latency stays the bot's own work on the question)."""
    return await search_on(deps.searcher, search)


async def search_on(searcher: Executor | None, search: Callable[[], T]) -> tuple[T, float]:
    """`search()` run on `searcher` (None: on the event loop itself), with the seconds it took
    there. Shared by every front end (the web chat too), so that in one process all searches
    take turns on the one search thread, as the index's caches expect."""
    if searcher is None:
        started = time.perf_counter()
        return search(), time.perf_counter() - started

    def timed() -> tuple[T, float]:
        started = time.perf_counter()
        return search(), time.perf_counter() - started

    return await asyncio.get_running_loop().run_in_executor(searcher, timed)


def get_deps(context: Any) -> Deps:
    """The Deps attached by `install_deps` (works for a PTB CallbackContext or the Application)."""
    application = getattr(context, "application", context)
    deps = getattr(application, DEPS_ATTRIBUTE, None)
    if not isinstance(deps, Deps):
        raise RuntimeError("handlers need install_deps(application, deps) before start-up")
    return deps


def install_deps(application: Any, deps: Deps) -> None:
    """Attach `deps` to the Application, where the handlers look for it."""
    setattr(application, DEPS_ATTRIBUTE, deps)
    bind_state(application)


def bind_state(application: Any) -> None:
    """Link the restart-proof state in `bot_data` to Deps: the stores saved before a restart
    (loaded by PTB's persistence into `bot_data` during `initialize()`) are taken over by Deps'
    stores, which then live in `bot_data` and are saved with it. Called at install and again
    after initialization (the Application's post_init); idempotent."""
    deps = get_deps(application)
    data = application.bot_data
    for key, store in ((QUESTIONS_KEY, deps.questions), (PENDING_KEY, deps.pending)):
        saved = data.get(key)
        if saved is not store and isinstance(saved, type(store)):
            store.take_over(saved)  # type: ignore[arg-type]
        data[key] = store
