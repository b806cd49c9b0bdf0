"""A fake Telegram Bot API server for end-to-end tests (aiohttp on 127.0.0.1, random port).

The real python-telegram-bot Application talks to it over HTTP exactly as it would to
api.telegram.org: `getMe`, `deleteWebhook` and `getUpdates` (long polling, fed from a script of
updates) are served; `sendMessage`, `editMessageText`, `answerCallbackQuery`,
`answerInlineQuery`, `setMyCommands`, `sendChatAction` are recorded and answered with proper
JSON (a Message where Telegram returns one). `sendPhoto` and `sendDocument` are recorded with
their uploaded files (multipart parts: `Call.files`, name → `Upload`) and answered with a
Message carrying a photo / document. Documents pushed with `push_document()` are served
like Telegram does: `getFile` gives a file_path, and GET /file/bot<token>/<file_path> the bytes
(recorded as a "download" call). Unknown methods get 400, since a 404 reads as a bad
token to PTB. `fail_next()` makes the next call(s) of a method fail with 429 + retry_after or a
5xx, to test recovery.

PTB posts form-encoded fields whose non-string values are JSON (reply_markup, results,
commands…); both that and JSON bodies are parsed.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 7_000_001
BOT_USERNAME = "cchc_test_bot"
BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "CCHC",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
USER = {"id": 111_222_333, "is_bot": False, "first_name": "Lan", "language_code": "vi"}
GROUP = {"id": -100_555_666_777, "type": "supergroup", "title": "Tổ CCHC"}

# Parameters that are strings on the wire and must not be JSON-decoded ("123" stays a string).
STRING_PARAMS = {
    "text", "caption", "query", "callback_query_id", "inline_query_id", "parse_mode", "action",
    "url", "secret_token", "next_offset", "description", "short_description", "language_code", "file_id",
}
RECORDED_TRUE = {
    "answerCallbackQuery", "answerInlineQuery", "setMyCommands", "sendChatAction", "deleteWebhook",
    "deleteMyCommands", "setMyDescription", "setMyShortDescription", "setWebhook",
}


@dataclass(frozen=True)
class Upload:
    """One file part of a multipart request (a photo or document sent by the bot)."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class Call:
    """One recorded Bot API call."""

    method: str
    params: dict[str, Any]
    status: int
    result: Any = None          # what the server answered (the Message for sendMessage)
    at: float = field(default_factory=time.monotonic)
    files: dict[str, Upload] = field(default_factory=dict)  # multipart file parts by field name

    @property
    def text(self) -> str:
        """The message text of a sendMessage/editMessageText call ("" otherwise)."""
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline keyboard buttons of the call, flattened."""
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]


def utf16_len(text: str) -> int:
    """Telegram's offsets and lengths count UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram would attach: a leading bot_command and every @mention."""
    entities: list[dict[str, Any]] = []
    if text.startswith("/"):
        command = text.split()[0]
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command)})
    pos = 0
    while (at := text.find("@", pos)) >= 0:
        end = at + 1
        while end < len(text) and (text[end].isalnum() or text[end] == "_"):
            end += 1
        # "/cmd@bot" is part of the command entity, not a mention.
        if end - at > 1 and not (entities and at < entities[0]["length"] and text.startswith("/")):
            entities.append({"type": "mention", "offset": utf16_len(text[:at]),
                             "length": utf16_len(text[at:end])})
        pos = end
    return entities


class FakeBotAPI:
    """The fake server; use `async with FakeBotAPI(token) as api:` or start()/stop()."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.get_updates_calls = 0
        self.port = 0
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._query_ids = itertools.count(1)
        self._failures: dict[str, deque[tuple[int, dict[str, Any]]]] = defaultdict(deque)
        self._chats: dict[int, dict[str, Any]] = {}
        self._files: dict[str, bytes] = {}
        self._file_ids = itertools.count(1)
        # Two events, each cleared only by its own waiter: sharing one let the test's wait_for()
        # clear a wake-up meant for a long poll that had not started waiting yet.
        self._new_update = asyncio.Event()
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._releasing = False

    # --- lifecycle --------------------------------------------------------------------------

    async def start(self) -> FakeBotAPI:
        """Listen on a free port of 127.0.0.1."""
        # Uploads (charts, documents) are larger than aiohttp's 1 MiB default body.
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("POST", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]
        return self

    def release_polls(self) -> None:
        """Answer pending and future long polls at once (so stopping the bot takes no time)."""
        self._releasing = True
        self._new_update.set()

    async def stop(self) -> None:
        """Close the server (in-flight long polls are cancelled)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """The value for ApplicationBuilder.base_url."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """The value for ApplicationBuilder.base_file_url."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- scripting ---------------------------------------------------------------------------

    def fail_next(self, method: str, *, status: int = 429, retry_after: int | None = 1,
                  times: int = 1, description: str | None = None) -> None:
        """Answer the next `times` calls of `method` with an error (429 carries retry_after)."""
        body: dict[str, Any] = {"ok": False, "error_code": status,
                                "description": description or {429: "Too Many Requests: retry after "
                                                               f"{retry_after}", 502: "Bad Gateway",
                                                               500: "Internal Server Error"}.get(
                                                                   status, f"Error {status}")}
        if status == 429 and retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        for _ in range(times):
            self._failures[method].append((status, body))

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (update_id is assigned); returns it."""
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self._new_update.set()
        self._changed.set()
        return update

    def message(self, text: str, *, user: dict[str, Any] | None = None, chat: dict[str, Any] | None = None,
                reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        """A Message object as a user would send it (command and mention entities included)."""
        user = user or USER
        chat = chat or {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        self._chats[chat["id"]] = chat
        msg: dict[str, Any] = {
            "message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
            "from": user, "text": text,
        }
        entities = _entities(text)
        if entities:
            msg["entities"] = entities
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
        return msg

    def push_text(self, text: str, **kwargs: Any) -> dict[str, Any]:
        """Queue a text message update; returns the message."""
        msg = self.message(text, **kwargs)
        self.push({"message": msg})
        return msg

    def push_media(self, kind: str, *, user: dict[str, Any] | None = None) -> dict[str, Any]:
        """Queue a sticker / photo / voice message in a private chat."""
        user = user or USER
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        msg: dict[str, Any] = {"message_id": next(self._message_ids), "date": int(time.time()),
                               "chat": chat, "from": user}
        if kind == "sticker":
            msg["sticker"] = {"file_id": "stk", "file_unique_id": "stku", "type": "regular", "width": 512,
                              "height": 512, "is_animated": False, "is_video": False}
        elif kind == "photo":
            msg["photo"] = [{"file_id": "ph", "file_unique_id": "phu", "width": 90, "height": 90}]
        elif kind == "voice":
            msg["voice"] = {"file_id": "vc", "file_unique_id": "vcu", "duration": 3}
        else:
            raise ValueError(kind)
        self.push({"message": msg})
        return msg

    def push_document(self, file_name: str | None, data: bytes, *, user: dict[str, Any] | None = None,
                      chat: dict[str, Any] | None = None, mime_type: str | None = None,
                      file_size: int | None = -1, caption: str | None = None) -> dict[str, Any]:
        """Queue a document message (private chat by default) whose bytes getFile will serve;
        `file_size` defaults to the real size (None: omitted, as Telegram may); a `caption`
        gets its @mention entities. Returns it."""
        user = user or USER
        chat = chat or {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        self._chats[chat["id"]] = chat
        file_id = f"doc{next(self._file_ids)}"
        self._files[file_id] = data
        document: dict[str, Any] = {"file_id": file_id, "file_unique_id": f"u{file_id}"}
        if file_name is not None:
            document["file_name"] = file_name
        if mime_type is not None:
            document["mime_type"] = mime_type
        if file_size is not None:
            document["file_size"] = len(data) if file_size == -1 else file_size
        msg: dict[str, Any] = {"message_id": next(self._message_ids), "date": int(time.time()),
                               "chat": chat, "from": user, "document": document}
        if caption is not None:
            msg["caption"] = caption
            msg["caption_entities"] = _entities(caption)
        self.push({"message": msg})
        return msg

    def push_callback(self, data: str, message: dict[str, Any], *, user: dict[str, Any] | None = None) -> str:
        """Queue a button tap on one of the bot's messages; returns the callback query id."""
        query_id = f"cq{next(self._query_ids)}"
        self.push({"callback_query": {"id": query_id, "from": user or USER, "chat_instance": "ci-1",
                                      "data": data, "message": message}})
        return query_id

    def push_inline(self, query: str, *, user: dict[str, Any] | None = None) -> str:
        """Queue an inline query; returns its id."""
        query_id = f"iq{next(self._query_ids)}"
        self.push({"inline_query": {"id": query_id, "from": user or USER, "query": query, "offset": ""}})
        return query_id

    # --- inspecting --------------------------------------------------------------------------

    def calls_to(self, method: str, *, ok_only: bool = True) -> list[Call]:
        """Recorded calls of one method (successful ones unless ok_only=False)."""
        return [c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)]

    async def wait_for(self, method: str, predicate: Callable[[Call], bool] | None = None, *,
                       count: int = 1, timeout: float = 5.0, after: int = 0) -> list[Call]:
        """Wait until `count` successful calls of `method` (matching `predicate`, recorded at index
        ≥ `after` in self.calls) exist; returns them. Raises AssertionError on time-out."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls[after:] if c.method == method and c.status == 200
                     and (predicate is None or predicate(c))]
            if len(found) >= count:
                return found[:count]
            left = deadline - time.monotonic()
            if left <= 0:
                seen = [(c.method, c.text[:80]) for c in self.calls[after:]]
                raise AssertionError(f"timed out waiting for {count}× {method}; calls since: {seen}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=min(left, 0.5))

    async def idle(self, seconds: float = 0.3) -> None:
        """Let the bot process whatever is queued (for asserting that nothing was sent)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    # --- the server --------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
        if request.content_type == "application/json":
            body = await request.json() if request.can_read_body else {}
            return dict(body or {}), {}
        params: dict[str, Any] = dict(request.query)
        files: dict[str, Upload] = {}
        if request.can_read_body:
            form = await request.post()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
            for k, v in form.items():
                if isinstance(v, web.FileField):
                    files[k] = Upload(v.filename, v.content_type, v.file.read())
        for key, value in list(params.items()):
            if key in STRING_PARAMS or not isinstance(value, str):
                continue
            with contextlib.suppress(ValueError):
                params[key] = json.loads(value)
        return params, files

    @staticmethod
    def _ok(result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    def _sent_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None  # type: ignore[arg-type]
        msg: dict[str, Any] = {
            "message_id": params.get("message_id") or next(self._message_ids),
            "date": int(time.time()),
            "chat": chat or {"id": chat_id, "type": "private" if isinstance(chat_id, int) and chat_id > 0
                             else "supergroup"},
            "from": BOT_USER,
            "text": params.get("text", ""),
        }
        if params.get("reply_markup"):
            msg["reply_markup"] = params["reply_markup"]
        return msg

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"},
                                     status=401)
        params, files = await self._params(request)
        if method == "getUpdates":
            return await self._get_updates(params)
        if self._failures.get(method):
            status, body = self._failures[method].popleft()
            self._record(Call(method, params, status))
            return web.json_response(body, status=status)
        if method == "getMe":
            return self._ok(BOT_USER)
        if method == "getFile":
            file_id = str(params.get("file_id", ""))
            if file_id not in self._files:
                self._record(Call(method, params, 400))
                return web.json_response({"ok": False, "error_code": 400,
                                          "description": "Bad Request: invalid file_id"}, status=400)
            result = {"file_id": file_id, "file_unique_id": f"u{file_id}",
                      "file_size": len(self._files[file_id]), "file_path": f"documents/{file_id}"}
            self._record(Call(method, params, 200, result))
            return self._ok(result)
        if method in ("sendMessage", "editMessageText"):
            if method == "editMessageText" and "inline_message_id" in params:
                self._record(Call(method, params, 200))
                return self._ok(True)
            msg = self._sent_message(params)
            self._record(Call(method, params, 200, msg))
            return self._ok(msg)
        if method in ("sendPhoto", "sendDocument"):
            msg = self._sent_message(params)
            msg.pop("text", None)
            if "caption" in params:
                msg["caption"] = params["caption"]
            upload = files.get("photo" if method == "sendPhoto" else "document")
            size = len(upload.data) if upload else 0
            if method == "sendPhoto":
                msg["photo"] = [{"file_id": f"ph{next(self._file_ids)}", "file_unique_id": "phu", "width": 800,
                                 "height": 600, "file_size": size}]
            else:
                msg["document"] = {"file_id": f"doc{next(self._file_ids)}", "file_unique_id": "docu",
                                   "file_name": upload.filename if upload else "", "file_size": size}
            self._record(Call(method, params, 200, msg, files=files))
            return self._ok(msg)
        if method == "editMessageReplyMarkup":
            msg = self._sent_message(params)
            self._record(Call(method, params, 200, msg))
            return self._ok(msg)
        if method in RECORDED_TRUE:
            self._record(Call(method, params, 200))
            return self._ok(True)
        self._record(Call(method, params, 400))
        return web.json_response({"ok": False, "error_code": 400,
                                  "description": f"Bad Request: method {method} not found"}, status=400)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        file_id = path.rsplit("/", 1)[-1]
        data = self._files.get(file_id)
        self._record(Call("download", {"path": path}, 200 if data is not None else 404))
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        self.get_updates_calls += 1
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 2.0)
        while True:
            # Telegram forgets updates below the offset the client confirms.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if self._updates or self._releasing or time.monotonic() >= deadline:
                return self._ok(self._updates[:100])
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout=max(0.0, deadline - time.monotonic()))

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._changed.set()


async def tap(bot: Any, data: str, message: Call, *, until: str = "Đã cập nhật", timeout: float = 20) -> Call:
    """Tap a button on a bot message; the edit of that message containing `until`."""
    api = bot.api
    mark = len(api.calls)
    api.push_callback(data, message.result)
    [edit] = await api.wait_for("editMessageText", lambda c: until in c.text, after=mark, timeout=timeout)
    return edit


def visible(text: str) -> str:
    """What the user sees of a message's HTML: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def button(call: Call, prefix: str) -> dict[str, Any]:
    """The first button of a sent message whose callback_data starts with `prefix`."""
    for b in call.buttons:
        if b.get("callback_data", "").startswith(prefix):
            return b
    raise AssertionError(f"no {prefix!r} button in {call.buttons}")
