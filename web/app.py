"""The HTTP server: the web chat page, its JSON API, /healthz and (when given) the Telegram webhook.

aiohttp, the one module importing it: python-telegram-bot already depends on it for its webhook
extra, its test client runs the app in-process, and PTB's custom-webhook pattern lets the
Telegram webhook live on this same server, so no ASGI server is needed.

Nothing here imports `telegram`: the webhook route hands the decoded update to a callable the
composition root (`bot.py`) builds.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import hmac
import html
import json
import logging
import mimetypes
import secrets
import signal
import time
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from aiohttp import web

from handlers import replies
from handlers.deps import SEARCH_THREAD, search_on
from knowledge.base import KnowledgeBase
from knowledge.models import MAX_QUESTION, Answer
from knowledge.reload import ReloadBusy, Reloader
from knowledge.usage import UsageLog, UsageLogError
from web import texts

log = logging.getLogger("cchc.web")

STATIC = Path(__file__).resolve().parent / "static"
# The page's own files, by name: nothing else under the package is ever served.
STATIC_FILES = {"app.js": "text/javascript", "app.css": "text/css", "embed.js": "text/javascript"}
MAX_BODY = 16 * 1024            # bytes of a JSON request body (a question is at most 500 characters)
MAX_WEBHOOK_BODY = 1024 * 1024  # a Telegram update (long texts, entities) stays far below this
MAX_TOP = 10                    # clauses per answer page a client may ask for

# --- configuration and what the server reads -----------------------------------------------------


class Engine(Protocol):
    """What the server answers from: the current index (swapped by a reload) and the usage log.
    `handlers.deps.Deps` is one (the web chat beside the Telegram bot sees its reloads)."""

    kb: KnowledgeBase
    usage: UsageLog | None
    # Where questions are searched, off the event loop (None: on the loop itself).
    searcher: Executor | None


@dataclass
class WebState:
    """The engine when the web chat runs on its own (`bot.py web`)."""

    kb: KnowledgeBase
    usage: UsageLog | None = None
    # The bot's search thread: beside the Telegram bot, both front ends' searches take turns on it.
    searcher: Executor | None = SEARCH_THREAD
    reloader: Reloader | None = None
    retire_after: float = 60.0  # seconds an index replaced by a reload stays open for readers


@dataclass(frozen=True)
class Webhook:
    """The Telegram webhook: its path, the secret Telegram sends back, and where updates go."""

    path: str
    secret: str | None
    deliver: Callable[[dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class WebConfig:
    """The server's settings (read from the environment in `bot.py`)."""

    allowed_origins: tuple[str, ...] = ()   # portals that may embed the page and call the API; "*" any
    rate_limit: int = 30                    # questions (and votes) per minute per client address
    admin_token: str | None = None          # enables /api/admin/reload and /api/admin/stats
    trust_proxy: bool = False               # take the client address from X-Forwarded-For
    knowledge_dir: Path | None = None       # where /api/documents/{id}/file finds the stored files
    chat: bool = True                       # serve the page and the API (False: webhook + /healthz)
    top: int = 3                            # clauses per answer page by default, as on Telegram


# --- rate limiting -------------------------------------------------------------------------------


class RateLimiter:
    """At most `limit` events per `window` seconds per key (a sliding window); `clock` is
    injectable so tests need no sleeping."""

    def __init__(self, limit: int, window: float = 60.0, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = max(1, limit)
        self.window = window
        self.clock = clock
        self._seen: dict[str, deque[float]] = {}

    def hit(self, key: str) -> int | None:
        """Count one event; None when allowed, else the whole seconds until the next one is."""
        now = self.clock()
        if len(self._seen) > 50_000:  # forget idle clients so the table stays small
            self._seen = {k: q for k, q in self._seen.items() if q and q[-1] > now - self.window}
        seen = self._seen.setdefault(key, deque())
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return max(1, int(seen[0] + self.window - now + 0.999))
        seen.append(now)
        return None


# --- helpers -------------------------------------------------------------------------------------


class ApiError(Exception):
    """An API answer other than 200: status, error code (its wording is in `web.texts`)."""

    def __init__(self, status: int, code: str, *, headers: dict[str, str] | None = None, **figures: Any) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.headers = headers or {}
        self.figures = figures


def _json(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response(data, status=status, headers=headers,
                             dumps=lambda d: json.dumps(d, ensure_ascii=False))


def _error_response(err: ApiError) -> web.Response:
    return _json({"error": err.code, "message": texts.error_message(err.code, **err.figures)},
                 status=err.status, headers=err.headers)


async def read_body(request: web.Request, cap: int) -> bytes:
    """The request body, refused with 413 past `cap` bytes (announced or actually sent)."""
    if request.content_length is not None and request.content_length > cap:
        raise ApiError(413, "too_large")
    body = bytearray()
    async for chunk in request.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > cap:
            raise ApiError(413, "too_large")
    return bytes(body)


async def read_json(request: web.Request) -> dict[str, Any]:
    """The JSON object a request carries; 400 when it is not one."""
    raw = await read_body(request, MAX_BODY)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(400, "bad_json") from None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json")
    return data


def _int(value: Any, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(400, "bad_request")
    return max(low, min(high, value))


def page_token(question: str, offset: int, top: int, generation: str) -> str:
    """An opaque token for the next page: the question, where it continues, and the index it
    belongs to (clause ids and ranks change when documents are added)."""
    raw = json.dumps({"q": question, "o": offset, "t": top, "g": generation}, ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def read_page_token(token: Any) -> tuple[str, int, int, str]:
    """(question, offset, top, generation) of a token from `page_token`; 400 when malformed."""
    if not isinstance(token, str) or len(token) > 4 * MAX_BODY:
        raise ApiError(400, "bad_request")
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("utf-8"))
        return str(data["q"]), int(data["o"]), int(data["t"]), str(data["g"])
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError):
        raise ApiError(400, "bad_request") from None


# --- the application -----------------------------------------------------------------------------


@dataclass
class _Server:
    """Request handlers over one engine and configuration."""

    engine: Engine
    config: WebConfig
    webhook: Webhook | None = None
    clock: Callable[[], float] = time.monotonic
    # Pseudonyms for the rate limiter when no usage log is open: a key of this process only.
    _key: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    def __post_init__(self) -> None:
        self.asks = RateLimiter(self.config.rate_limit, clock=self.clock)
        self.votes = RateLimiter(self.config.rate_limit, clock=self.clock)
        self.csp = content_security_policy(self.config.allowed_origins)
        self._page: bytes | None = None

    # --- who is asking ---

    def client_address(self, request: web.Request) -> str:
        """The client's address: the peer, or (behind a trusted proxy only) the address the
        proxy appended last to X-Forwarded-For; anything before it the client may have forged."""
        if self.config.trust_proxy:
            forwarded = request.headers.get("X-Forwarded-For", "")
            last = forwarded.rsplit(",", 1)[-1].strip()
            if last:
                return last
        return request.remote or ""

    def client_id(self, request: web.Request) -> str:
        """What the usage log hashes for this client (never stored as is)."""
        return "web:" + self.client_address(request)

    def _limit(self, limiter: RateLimiter, request: web.Request) -> None:
        key = hmac.new(self._key, self.client_id(request).encode(), hashlib.sha256).hexdigest()
        wait = limiter.hit(key)
        if wait is not None:
            raise ApiError(429, "rate_limited", headers={"Retry-After": str(wait)}, seconds=wait)

    # --- pages ---

    async def page(self, request: web.Request) -> web.Response:
        """The chat page; the labels and example questions go in as JSON data, escaped."""
        if self._page is None:
            template = (STATIC / "index.html").read_text(encoding="utf-8")
            data = json.dumps({"texts": texts.page_texts(), "examples": replies.EXAMPLE_QUESTIONS},
                              ensure_ascii=False).replace("<", "\\u003c")
            values = {
                "TITLE": texts.PAGE_TITLE, "INTRO": texts.PAGE_INTRO, "LABEL": texts.QUESTION_LABEL,
                "PLACEHOLDER": texts.QUESTION_PLACEHOLDER, "SEND": texts.SEND_BUTTON,
                "EXAMPLES": texts.EXAMPLES_HEADING, "ANSWERS": texts.ANSWERS_LABEL,
                "PRIVACY": texts.PRIVACY_NOTE, "CLOSE": texts.CLOSE_BUTTON,
                "CARD": texts.CARD_HEADING, "MAX": str(MAX_QUESTION),
            }
            for name, value in values.items():
                template = template.replace("{{" + name + "}}", html.escape(value, quote=True))
            self._page = template.replace("{{DATA}}", data).encode("utf-8")
        return web.Response(body=self._page, content_type="text/html", charset="utf-8")

    async def static(self, request: web.Request) -> web.Response:
        """The page's script and style sheet, and embed.js."""
        name = request.match_info.get("name") or "embed.js"
        if name not in STATIC_FILES:
            raise ApiError(404, "not_found")
        headers = {"Cache-Control": "public, max-age=3600"}
        if name == "embed.js":
            headers["Cross-Origin-Resource-Policy"] = "cross-origin"  # loaded by the portals' pages
        return web.Response(body=(STATIC / name).read_bytes(), content_type=STATIC_FILES[name],
                            charset="utf-8", headers=headers)

    # --- the API ---

    async def ask(self, request: web.Request) -> web.Response:
        """POST /api/ask {"question", "top"?, "offset"?} or {"page": token}: `bot.py ask --json`'s
        answer plus "offset", "more", "next" (the token of the next page) and "view" (the page's)."""
        data = await read_json(request)
        kb = self.engine.kb
        if "page" in data and data["page"] is not None:
            question, offset, top, generation = read_page_token(data["page"])
            if generation != kb.generation:
                raise ApiError(409, "stale")
            offset, top = max(0, offset), max(1, min(MAX_TOP, top))
        else:
            if not isinstance(data.get("question"), str):
                raise ApiError(400, "bad_request")
            question = data["question"]
            top = _int(data.get("top"), self.config.top, 1, MAX_TOP)
            offset = _int(data.get("offset"), 0, 0, 10_000)
        question = texts.cap_question(question)
        if not question:
            raise ApiError(400, "empty_question")
        self._limit(self.asks, request)

        def search() -> tuple[Answer, list[str]]:
            answer = kb.search(question, top=top, offset=offset)
            answered = answer.answered and bool(answer.results)
            return answer, [] if answered else kb.suggestions(question, limit=3)

        # Off the event loop, as the Telegram handlers search (`handlers.deps.searched`): a slow
        # question no longer holds up every other request, and SQLite's part of it runs on the
        # other core. The latency logged is the search's own time, not its wait for the thread.
        (answer, suggestions), seconds = await search_on(self.engine.searcher, search)
        answered = bool(answer.answered and answer.results)
        latency_ms = seconds * 1000
        usage = self.engine.usage
        if usage is not None and offset == 0:  # paging is the same question, logged once
            topics = (t.topic for r in answer.results for t in r.targets if t.topic)
            usage.log_question(self.client_id(request), question, answered=answered, latency_ms=latency_ms,
                               clause_ids=[r.clause_id for r in answer.results], topic=next(topics, None),
                               channel="chat", frontend="web")
        log.info("web question answered=%s results=%d latency_ms=%.0f chars=%d",
                 "yes" if answered else "no", len(answer.results), latency_ms, len(question))
        body = answer.to_json()
        body.update({
            "offset": offset,
            "top": top,
            "more": answer.more,
            "next": page_token(question, offset + top, top, kb.generation) if answer.more else None,
            "previous": page_token(question, max(0, offset - top), top, kb.generation) if offset > 0 else None,
            "generation": kb.generation,
            "view": texts.answer_view(kb, answer, offset, suggestions),
        })
        return _json(body)

    def _doc_id(self, request: web.Request) -> int:
        raw = request.match_info["doc_id"]
        if not raw.isdigit() or int(raw) not in self.engine.kb.docs:
            raise ApiError(404, "no_document")
        return int(raw)

    async def documents(self, request: web.Request) -> web.Response:
        """GET /api/documents: every indexed document, by province then date."""
        kb = self.engine.kb
        ids = texts.doc_ids(kb)
        return _json({"generation": kb.generation,
                      "documents": [texts.meta_json(ids[m.file], m) for m in kb.documents()]})

    async def document(self, request: web.Request) -> web.Response:
        """GET /api/documents/{id}[?clause=N]: the document card, with clause N in its context."""
        kb = self.engine.kb
        doc_id = self._doc_id(request)
        clause = None
        raw = request.query.get("clause")
        if raw is not None:
            clause = kb.clause(int(raw)) if raw.isdigit() else None
            if clause is None or texts.doc_ids(kb).get(clause.meta.file) != doc_id:
                raise ApiError(404, "not_found")
        return _json(texts.card_json(kb, doc_id, clause))

    async def document_file(self, request: web.Request) -> web.StreamResponse:
        """GET /api/documents/{id}/file: the stored file, found by id inside the plans folder."""
        meta = self.engine.kb.docs[self._doc_id(request)]
        root = self.config.knowledge_dir
        if root is None:
            raise ApiError(404, "no_file")
        base = root.resolve()
        path = (base / meta.file).resolve()
        if not path.is_relative_to(base) or not path.is_file():
            raise ApiError(404, "no_file")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or path.suffix.lower() == ".md":
            kind = "text/plain; charset=utf-8"
        ascii_name = path.name.encode("ascii", "replace").decode().replace('"', "_")
        return web.FileResponse(path, headers={
            "Content-Type": kind,
            "Content-Disposition": f'inline; filename="{ascii_name}"',
            # A document is data, never a page of this site: no script in it may run here.
            "Content-Security-Policy": "default-src 'none'; sandbox",
        })

    async def feedback(self, request: web.Request) -> web.Response:
        """POST /api/feedback {"question", "clause_ids", "vote": 1 | -1}."""
        data = await read_json(request)
        question, ids, vote = data.get("question"), data.get("clause_ids", []), data.get("vote")
        if (not isinstance(question, str) or vote not in (1, -1) or isinstance(vote, bool)
                or not isinstance(ids, list) or len(ids) > MAX_TOP
                or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids)):
            raise ApiError(400, "bad_request")
        self._limit(self.votes, request)
        usage = self.engine.usage
        if usage is not None:
            usage.log_feedback(self.client_id(request), texts.cap_question(question), ids, int(vote),
                               frontend="web")
        return _json({"ok": True, "message": replies.FEEDBACK_THANKS})

    async def healthz(self, request: web.Request) -> web.Response:
        """GET /healthz: 200 with the index generation and document count (for a load balancer)."""
        kb = self.engine.kb
        return _json({"status": "ok", "generation": kb.generation, "documents": len(kb.docs),
                      "clauses": kb.n_clauses, "built_at": kb.built_at})

    # --- admin (only with WEB_ADMIN_TOKEN) ---

    def _admin(self, request: web.Request) -> None:
        token = self.config.admin_token or ""
        given = request.headers.get("Authorization", "")
        if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise ApiError(403, "forbidden")

    async def admin_stats(self, request: web.Request) -> web.Response:
        """GET /api/admin/stats: the /thongke figures (both front ends) and the unanswered questions."""
        self._admin(request)
        usage = self.engine.usage
        if usage is None:
            raise ApiError(503, "no_usage_log")
        try:
            stats = await asyncio.to_thread(usage.stats)
            unanswered = await asyncio.to_thread(usage.unanswered, limit=15)
        except UsageLogError:
            raise ApiError(503, "no_usage_log") from None
        return _json({"stats": asdict(stats), "unanswered": unanswered,
                      "text": replies.stats_text(stats, texts.TEXT)})

    async def admin_reload(self, request: web.Request) -> web.Response:
        """POST /api/admin/reload: rebuild from the plans folder and serve the new index (unless a
        document is unreadable: then the old one stays, and the report says which)."""
        self._admin(request)
        reloader: Reloader | None = getattr(self.engine, "reloader", None)
        if reloader is None:
            raise ApiError(503, "reload_unavailable")
        try:
            result = await asyncio.to_thread(reloader.reload)
        except ReloadBusy:
            raise ApiError(409, "reload_busy") from None
        if result.swapped and result.kb is not None:
            old, self.engine.kb = self.engine.kb, result.kb
            if old is not result.kb and old.path == reloader.db_path:
                asyncio.get_running_loop().call_later(getattr(self.engine, "retire_after", 60.0), old.close)
        return _json({"swapped": result.swapped, "documents": result.report.documents,
                      "errors": [{"file": e.path, "reason": e.reason} for e in result.errors],
                      "generation": self.engine.kb.generation,
                      "text": replies.reload_report(result, fmt=texts.TEXT)})

    # --- the Telegram webhook ---

    async def telegram(self, request: web.Request) -> web.Response:
        """POST <webhook path>: an update from Telegram, checked against the secret token."""
        hook = self.webhook
        assert hook is not None
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if hook.secret is not None and not hmac.compare_digest(given.encode(), hook.secret.encode()):
            log.warning("webhook: refused a request with a wrong or missing secret token")
            raise ApiError(403, "forbidden")
        try:
            update = json.loads((await read_body(request, MAX_WEBHOOK_BODY)).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ApiError(400, "bad_json") from None
        if not isinstance(update, dict):
            raise ApiError(400, "bad_json")
        await hook.deliver(update)
        return web.Response(text="ok")


def content_security_policy(origins: tuple[str, ...]) -> str:
    """Nothing but this server's own files; framed only by the allowed portals."""
    ancestors = " ".join(origins) if origins else "'self'"
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            f"frame-ancestors {ancestors}")


def _cors_origin(config: WebConfig, origin: str | None) -> str | None:
    if not origin:
        return None
    if "*" in config.allowed_origins:
        return "*"
    return origin if origin in config.allowed_origins else None


def create_app(engine: Engine, config: WebConfig | None = None, *, webhook: Webhook | None = None,
               clock: Callable[[], float] = time.monotonic) -> web.Application:
    """The aiohttp application: the chat and its API (unless `config.chat` is False), /healthz,
    the admin routes when an admin token is set, and the Telegram webhook when one is given."""
    config = config or WebConfig()
    server = _Server(engine, config, webhook, clock)

    @web.middleware
    async def guard(request: web.Request,
                    handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        api = request.path.startswith("/api/") or request.path == "/healthz"
        allowed = _cors_origin(config, request.headers.get("Origin"))
        response: web.StreamResponse
        if api and request.method == "OPTIONS":
            if allowed is None:
                response = _error_response(ApiError(403, "origin_not_allowed"))
            else:
                response = web.Response(status=204, headers={
                    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                    "Access-Control-Allow-Headers": "Content-Type, Authorization",
                    "Access-Control-Max-Age": "600",
                })
        else:
            try:
                response = await handler(request)
            except ApiError as err:
                response = _error_response(err)
            except web.HTTPException as exc:
                code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.status, "error")
                response = _error_response(ApiError(exc.status, code))
                if exc.status == 405 and "Allow" in exc.headers:
                    response.headers["Allow"] = exc.headers["Allow"]
        if api:
            response.headers["Cache-Control"] = "no-store"
            if allowed is not None:
                response.headers["Access-Control-Allow-Origin"] = allowed
                response.headers["Vary"] = "Origin"
        response.headers.setdefault("Content-Security-Policy", server.csp)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    # client_max_size above every cap: the handlers enforce their own (read_body).
    app = web.Application(middlewares=[guard], client_max_size=2 * MAX_WEBHOOK_BODY)
    routes = [web.get("/healthz", server.healthz)]
    if config.chat:
        routes += [
            web.get("/", server.page),
            web.get("/static/{name}", server.static),
            web.get("/embed.js", server.static),
            web.post("/api/ask", server.ask),
            web.get("/api/documents", server.documents),
            web.get("/api/documents/{doc_id}", server.document),
            web.get("/api/documents/{doc_id}/file", server.document_file),
            web.post("/api/feedback", server.feedback),
        ]
        if config.admin_token:
            routes += [web.get("/api/admin/stats", server.admin_stats),
                       web.post("/api/admin/reload", server.admin_reload)]
    if webhook is not None:
        routes.append(web.post("/" + webhook.path.lstrip("/"), server.telegram))
    app.add_routes(routes)
    return app


async def serve(app: web.Application, host: str, port: int, *, stop: asyncio.Event | None = None,
                on_started: Callable[[int], None] | None = None) -> None:
    """Serve `app` until `stop` is set or the process gets SIGINT / SIGTERM; `on_started` gets
    the port actually bound (port 0 picks a free one)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = int(runner.addresses[0][1]) if runner.addresses else port
        log.info("web server on http://%s:%d", host, bound)
        if on_started is not None:
            on_started(bound)
        await stop.wait()
    finally:
        await runner.cleanup()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)
