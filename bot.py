"""cchc-bot: the composition root and the command line.

    python bot.py index [--knowledge DIR] [--db PATH]
    python bot.py ask [--db PATH] [--top N] [--json] QUESTION | --batch FILE
    python bot.py chat        local console chat, no token or network needed
    python bot.py stats       usage figures (as /thongke) and the top unanswered questions
    python bot.py web [--host H] [--port P]   the web chat and its JSON API (no Telegram needed)
    python bot.py [run]       the Telegram bot (long polling, or webhook when WEBHOOK_URL is set;
                              the web chat on the same server when WEB_CHAT=1)

Installed, the same commands are `cchc-bot index`, `cchc-bot ask …` (pyproject's console script
calls `main`). Settings come only from the environment, and only this module reads them, each
through `setting()`.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import secrets
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import knowledge

# Only what answering a question needs is imported here (a cold `bot.py ask` pays for every
# import); the index builder, the usage log and asyncio are imported where they are used.
from knowledge.base import KnowledgeBase, OutdatedIndexError
from knowledge.limits import LIMITS, Limits
from knowledge.models import DocumentError
from knowledge.store import default_db_path

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Callable

    from telegram.ext import Application, BasePersistence

    from handlers.deps import Deps
    from knowledge.usage import UsageLog

# The shipped plans, found through the package so `cchc-bot` finds them whether it runs from a
# checkout, an editable install or a wheel (bot.py itself may then live in site-packages).
DEFAULT_KNOWLEDGE = Path(knowledge.__file__).resolve().parent / "plans"


def setting(name: str, env: Mapping[str, str] | None = None) -> str:
    """One environment setting, stripped ("" when unset or blank).

    Every setting the bot has is read through this function, and only here (tests/test_structure.py
    finds them by their calls and checks each against README's settings table)."""
    source = os.environ if env is None else env
    return (source.get(name) or "").strip()


def knowledge_dir(env: Mapping[str, str] | None = None) -> Path:
    """The plans folder: KNOWLEDGE_DIR, else the shipped knowledge base."""
    return Path(setting("KNOWLEDGE_DIR", env) or DEFAULT_KNOWLEDGE)


def data_home(env: Mapping[str, str] | None = None) -> Path:
    """The user's data directory: XDG_DATA_HOME, else ~/.local/share."""
    return Path(setting("XDG_DATA_HOME", env) or Path.home() / ".local" / "share")


def db_path(env: Mapping[str, str] | None = None) -> Path:
    """The index database: DB_PATH, else a file in the data directory named after the plans
    folder, so two checkouts with different plans never rebuild each other's index."""
    explicit = setting("DB_PATH", env)
    return Path(explicit) if explicit else default_db_path(data_home(env), knowledge_dir(env))


def build_limits(env: Mapping[str, str] | None = None) -> Limits:
    """The bounds of a build: the defaults, with BUILD_WORKERS (processes a large build analyses
    documents in; unset: one per core)."""
    return Limits(build_workers=_positive_int("BUILD_WORKERS", setting("BUILD_WORKERS", env), 0) or 0)


def cmd_index(args: argparse.Namespace) -> int:
    """Build the index; on any unreadable document, name it and leave the old index in place.

    Takes the same lock as the bot's /reload: a build already running is waited for."""
    from knowledge.build import DiskFullError, build_index
    from knowledge.reload import index_lock

    try:
        with index_lock(Path(args.db), wait=True):
            report = build_index(Path(args.knowledge), Path(args.db), limits=build_limits())
    except DocumentError as exc:
        print(f"error: {exc.path}: {exc.reason}", file=sys.stderr)
        print("the existing index was left untouched", file=sys.stderr)
        return 1
    except (FileNotFoundError, DiskFullError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for name, row in report.per_document.items():
        print(f"  {name}: {row['clauses']} clauses, {row['targets']} targets, {row['tasks']} tasks, "
              f"signer: {row['signer'] or '-'}")
    print(
        f"indexed {report.documents} documents, {report.clauses} clauses, "
        f"{report.targets} targets, {report.tasks} tasks into {args.db} in {report.seconds:.2f} s"
    )
    return 0


def _ensure_db(path: Path) -> None:
    """Build the index on first use (or when the plans changed) so `ask` works on a fresh machine."""
    from knowledge import ensure_index

    ensure_index(knowledge_dir(), path, limits=build_limits())


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer one question, or a file of questions (one per line, JSON Lines out, same order)."""
    path = Path(args.db)
    if not path.exists() or path == db_path():
        _ensure_db(path)  # the default index follows the plans folder; a named one is taken as is
    try:
        kb = KnowledgeBase.open(path)
    except OutdatedIndexError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    # What the open made lives until this command exits: the cyclic collector need not scan it
    # again (its first full pass after the open was 0.03–0.05 s of a cold `ask`, issue 14).
    gc.freeze()
    if args.batch:
        with open(args.batch, encoding="utf-8-sig", errors="replace") as fh:
            # Every line is a question, blank ones too, so answer N stays the answer to line N.
            questions = [line.rstrip("\r\n") for line in fh]
        as_json = True
    else:
        if not args.question:
            print("error: give a QUESTION or --batch FILE", file=sys.stderr)
            return 2
        questions = [" ".join(args.question)]
        as_json = args.json
    from handlers.replies import plain_answer

    for q in questions:
        answer = kb.search(q, top=args.top)
        if as_json:
            print(json.dumps(answer.to_json(), ensure_ascii=False))
        else:
            print(plain_answer(answer))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the /thongke figures and the most frequent unanswered questions, as plain text."""
    from handlers.replies import PLAIN, stats_text, unanswered_text
    from knowledge.usage import UsageLog, UsageLogError

    path = Path(args.usage) if args.usage else read_settings().usage_db
    if not path.exists():
        print(f"error: no usage log at {path} (set USAGE_DB or pass --usage)", file=sys.stderr)
        return 1
    try:
        # Summaries need no pseudonyms: a throwaway key, so no key file appears beside a copy.
        usage = UsageLog.open(path, key=secrets.token_bytes(32))
    except UsageLogError as exc:
        print(f"error: cannot open the usage log {exc.path}: {exc.reason}", file=sys.stderr)
        return 1
    try:
        print(stats_text(usage.stats(), PLAIN))
        print()
        print(unanswered_text(usage.unanswered(limit=args.top), PLAIN))
    finally:
        usage.close()
    return 0


# --- the Telegram bot and the console chat -----------------------------------------------------

# Updates the bot handles; anything else Telegram would send is not fetched at all.
ALLOWED_UPDATES = ["message", "callback_query", "inline_query"]


@dataclass(frozen=True)
class Settings:
    """Everything `run` and `chat` take from the environment."""

    token: str | None
    api_url: str | None
    file_url: str | None
    admin_ids: frozenset[int]
    knowledge_dir: Path
    db_path: Path
    usage_db: Path
    webhook_url: str | None
    webhook_secret: str | None
    port: int
    max_upload_mb: float = 10.0
    usage_key: bytes | None = None   # USAGE_KEY; None: the key file beside the usage database
    web_host: str | None = None      # WEB_HOST; None: 127.0.0.1 (0.0.0.0 for a webhook)
    web_port: int | None = None      # WEB_PORT; None: 8080 (PORT for a webhook)
    web_origins: tuple[str, ...] = ()
    web_rate_limit: int = 30
    web_admin_token: str | None = None
    web_trust_proxy: bool = False
    web_chat: bool = False           # WEB_CHAT: `run` serves the web chat beside Telegram
    state_db: Path | None = None     # STATE_DB; None ("off"): buttons and confirmations end with the process
    limits: Limits = LIMITS          # BUILD_WORKERS (build_limits): the index build and /reload


def file_url_for(api_url: str) -> str:
    """The file-download base matching a Bot API base: ".../bot" → ".../file/bot"."""
    base = api_url.rstrip("/")
    return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file/bot"


def usage_db_path(db: Path, env: Mapping[str, str] | None = None) -> Path:
    """The usage log: USAGE_DB, else beside the index. With the default index, a log left at the
    data directory's former shared name (`cchc-bot/knowledge.usage.sqlite`, before the index was
    named after its plans folder) is kept in use, so an upgrade does not start /thongke over."""
    from knowledge.usage import default_usage_path

    explicit = setting("USAGE_DB", env)
    if explicit:
        return Path(explicit)
    beside = default_usage_path(db)
    if not setting("DB_PATH", env):
        former = default_usage_path(data_home(env) / "cchc-bot" / "knowledge.db")
        if former.exists() and not beside.exists():
            return former
    return beside


def read_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment (the only place they are read)."""
    admin_ids: set[int] = set()
    for part in setting("ADMIN_IDS", env).replace(";", ",").split(","):
        part = part.strip()
        if part.lstrip("-").isdigit():
            admin_ids.add(int(part))
        elif part:
            print(f"warning: ADMIN_IDS: ignoring {part!r} (not a numeric user id)", file=sys.stderr)
    db = db_path(env)
    max_upload_mb = 10.0
    raw_upload = setting("MAX_UPLOAD_MB", env)
    if raw_upload:
        try:
            max_upload_mb = float(raw_upload.replace(",", "."))
            if max_upload_mb <= 0:
                raise ValueError(raw_upload)
        except ValueError:
            print(f"warning: MAX_UPLOAD_MB: ignoring {raw_upload!r} (not a positive number)", file=sys.stderr)
            max_upload_mb = 10.0
    api_url = setting("TELEGRAM_API_URL", env) or None
    usage_key: bytes | None = None
    raw_key = setting("USAGE_KEY", env)
    if raw_key:
        if len(raw_key) >= 16:
            usage_key = raw_key.encode("utf-8")
        else:
            print("warning: USAGE_KEY: ignored (shorter than 16 characters); using the key file",
                  file=sys.stderr)
    origins = tuple(o.strip().rstrip("/") for o in setting("WEB_ALLOWED_ORIGINS", env).replace(";", ",")
                    .replace(" ", ",").split(",") if o.strip())
    admin_token = setting("WEB_ADMIN_TOKEN", env) or None
    if admin_token is not None and len(admin_token) < 16:
        print("warning: WEB_ADMIN_TOKEN: ignored (shorter than 16 characters); admin API off", file=sys.stderr)
        admin_token = None
    raw_state = setting("STATE_DB", env)
    state_db = None if raw_state.lower() in {"off", "none", "0"} else (
        Path(raw_state) if raw_state else db.with_name(db.stem + ".state.sqlite"))
    return Settings(
        token=setting("TELEGRAM_BOT_TOKEN", env) or None,
        api_url=api_url,
        file_url=file_url_for(api_url) if api_url else None,
        admin_ids=frozenset(admin_ids),
        knowledge_dir=knowledge_dir(env),
        db_path=db,
        usage_db=usage_db_path(db, env),
        webhook_url=setting("WEBHOOK_URL", env) or None,
        webhook_secret=setting("WEBHOOK_SECRET", env) or None,
        port=int(setting("PORT", env) or 8080),
        max_upload_mb=max_upload_mb,
        usage_key=usage_key,
        web_host=setting("WEB_HOST", env) or None,
        web_port=_positive_int("WEB_PORT", setting("WEB_PORT", env), None),
        limits=build_limits(env),
        web_origins=origins,
        web_rate_limit=_positive_int("WEB_RATE_LIMIT", setting("WEB_RATE_LIMIT", env), 30) or 30,
        web_admin_token=admin_token,
        web_trust_proxy=_flag(setting("WEB_TRUST_PROXY", env)),
        web_chat=_flag(setting("WEB_CHAT", env)),
        state_db=state_db,
    )


def _positive_int(name: str, raw: str, default: int | None) -> int | None:
    """A positive whole number setting (`raw`, as `setting` read it); `default` (after a warning)
    when it is anything else."""
    if not raw:
        return default
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    print(f"warning: {name}: ignoring {raw!r} (not a positive whole number)", file=sys.stderr)
    return default


def _flag(raw: str) -> bool:
    """An on/off setting (as `setting` read it): 1, true, yes, on (any case) are on."""
    return raw.lower() in ("1", "true", "yes", "on")


# The event loop and the search thread (handlers/deps.py) share the interpreter lock. At Python's
# default switch interval (5 ms) the loop, back from each socket call, waited up to 5 ms for a
# search to let go of it; at 0.5 ms it waits a tenth of that (benchmarks/e2e.py at 95k clauses:
# 30-31 → 50-52 answered/s, the same CPU per answer).
SWITCH_INTERVAL = 0.0005

# The cyclic garbage collector in the processes that serve (`run`, `web`, `chat`; issue 14, README
# "Question latency and cold start"). An open index is ~100,000 long-lived objects and its caches
# fill with more; each collection rescans what is not frozen. Measured over 3,000 harness questions
# at 95k clauses (CPU): at Python's default (700, 10, 10) the collector took 0.43-0.49 s of ~12.5 s
# and its longest pause, a full pass, 88-108 ms; at (700, 10, 1000) no full pass in the run (one
# every ~1,000 generation-1 passes, ~125,000 questions; a reload collects fully), 0.31-0.34 s,
# longest pause 19-21 ms, the same peak RSS. A larger first threshold (20000) halves the
# collector's time but makes each pass 20-80 ms and costs 6 MB or more.
GC_THRESHOLDS = (700, 10, 1000)


def settle_memory() -> None:
    """After an index is opened by a serving command, at start and after each reload: the index
    a reload replaced goes back to the collector and its cycles are freed (so repeated reloads
    keep memory bounded), what is alive now is frozen out of the collector's passes
    (`gc.freeze`), and the collector runs at `GC_THRESHOLDS`. Process-wide, so set here only."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def build_application(token: str, deps: Deps, *, base_url: str | None = None,
                      base_file_url: str | None = None, throttle: bool = True,
                      backoff: float = 0.5, concurrent_updates: int = 16, polling: bool = True,
                      persistence: BasePersistence[Any, Any, Any] | None = None,
                      ) -> Application[Any, Any, Any, Any, Any, Any]:
    """The Telegram Application with every handler registered and `deps` installed.

    `throttle=False` turns PTB's AIORateLimiter off (tests, benchmarks); retries stay on.
    `polling=False` builds it without an Updater: updates come from our own webhook route.
    Updates are handled concurrently so one user's slow reply (a 429 wait, a retry) does not
    hold up everyone else; handlers share state only on the event loop thread.
    `persistence` (see `open_state`) keeps button state, pending confirmations, `bot_data` and
    each user's language across restarts.
    """
    from telegram.ext import ApplicationBuilder

    from handlers import on_startup, register
    from handlers.common import DEFAULTS
    from handlers.deps import install_deps
    from handlers.ingress import CleanTextApplication
    from handlers.resilience import ResilientRateLimiter
    from handlers.transport import AsyncioRequest

    builder = (
        ApplicationBuilder()
        .application_class(CleanTextApplication)
        .token(token)
        .defaults(DEFAULTS)
        .rate_limiter(ResilientRateLimiter(throttle=throttle, backoff=backoff))
        .post_init(on_startup)
        .concurrent_updates(concurrent_updates)
        # Enough connections for the updates handled at once (PTB's default is 256: httpcore scans
        # them all for each request, which costs more than the requests themselves here), on
        # asyncio streams rather than anyio (handlers/transport.py: a third of the bot's HTTP cost).
        .request(AsyncioRequest(connection_pool_size=max(8, 2 * concurrent_updates)))
        .get_updates_request(AsyncioRequest(connection_pool_size=1))
    )
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_file_url or file_url_for(base_url))
    if not polling:
        builder = builder.updater(None)
    if persistence is not None:
        builder = builder.persistence(persistence)
    application = builder.build()
    sys.setswitchinterval(SWITCH_INTERVAL)  # process-wide: see SWITCH_INTERVAL
    install_deps(application, deps)
    register(application)
    return application


def _open_index(settings: Settings) -> KnowledgeBase | None:
    """Build the index if missing or stale, then open it; None (after saying why) if impossible."""
    from knowledge.build import DiskFullError, ensure_index
    from knowledge.reload import index_lock, remove_leftovers

    logging.getLogger("cchc").info("index: %s (plans: %s)", settings.db_path, settings.knowledge_dir)
    try:
        # Under the build lock: a `bot.py index` still running is waited for, and temporary files
        # of a build killed earlier are cleared.
        with index_lock(settings.db_path, wait=True):
            remove_leftovers(settings.db_path)
            report = ensure_index(settings.knowledge_dir, settings.db_path, limits=settings.limits)
    except (DocumentError, FileNotFoundError, DiskFullError) as exc:
        logging.getLogger("cchc").error("index not rebuilt: %s", exc)
        if not settings.db_path.exists():
            return None
    else:
        if report is not None:
            logging.getLogger("cchc").info(
                "index built: %d documents, %d clauses, %d targets in %.1f s",
                report.documents, report.clauses, report.targets, report.seconds)
    return KnowledgeBase.open(settings.db_path)


def open_usage(settings: Settings) -> UsageLog | None:
    """The usage log, or None (after a warning saying so) when its database or key cannot be
    opened: a read-only or damaged file, or a lock held elsewhere, must not keep the bot from
    answering."""
    from knowledge.usage import UsageLog, UsageLogError

    try:
        return UsageLog.open(settings.usage_db, key=settings.usage_key)
    except UsageLogError as exc:
        logging.getLogger("cchc").warning(
            "usage log OFF: cannot open %s (%s); answering without logging questions or feedback",
            exc.path, exc.reason)
        return None


def open_state(settings: Settings) -> BasePersistence[Any, Any, Any] | None:
    """The persistence for conversation state (STATE_DB), or None when turned off or when its
    database cannot be opened (said in the log: the bot then answers, but buttons and pending
    confirmations end with the process)."""
    from handlers.persistence import StateError, StatePersistence

    if settings.state_db is None:
        return None
    try:
        return StatePersistence.open(settings.state_db)
    except StateError as exc:
        logging.getLogger("cchc").warning(
            "state OFF: cannot open %s (%s); buttons and confirmations will not survive a restart",
            exc.path, exc.reason)
        return None


def cmd_chat(args: argparse.Namespace) -> int:
    """Console chat on the local index: same answers as Telegram, plain text, no network."""
    from handlers.console import run_console
    from handlers.logs import setup_logging

    settings = read_settings()
    setup_logging([settings.token], level=logging.WARNING)
    kb = _open_index(settings)
    if kb is None:
        print(f"error: no index at {settings.db_path} and the plans could not be indexed", file=sys.stderr)
        return 1
    settle_memory()
    try:
        # Line history beside the index, in the data directory (not the checkout).
        return run_console(kb, sys.stdin, sys.stdout, interactive=sys.stdin.isatty(),
                           history=settings.db_path.with_name("chat_history"))
    finally:
        kb.close()


def cmd_run(args: argparse.Namespace) -> int:
    """The Telegram bot: long polling, or a webhook server when WEBHOOK_URL is set."""
    import asyncio

    from handlers.deps import Deps, FloodGuard
    from handlers.logs import setup_logging
    from handlers.replies import NO_TOKEN_HELP
    from knowledge.reload import Reloader

    settings = read_settings()
    setup_logging([settings.token, settings.webhook_secret, settings.web_admin_token])
    if not settings.token:
        print(NO_TOKEN_HELP)
        if sys.stdin.isatty():
            return cmd_chat(args)
        return 0
    kb = _open_index(settings)
    if kb is None:
        print(f"error: no index at {settings.db_path} and the plans could not be indexed", file=sys.stderr)
        return 1
    settle_memory()
    usage = open_usage(settings)
    deps = Deps(kb=kb, usage=usage, admin_ids=settings.admin_ids, flood=FloodGuard(limit=20, window=60),
                reloader=Reloader(settings.knowledge_dir, settings.db_path, limits=settings.limits,
                                  after_open=settle_memory),
                knowledge_dir=settings.knowledge_dir,
                max_upload_bytes=int(settings.max_upload_mb * 1024 * 1024))
    served = bool(settings.webhook_url or settings.web_chat)
    state = open_state(settings)
    application = build_application(settings.token, deps, base_url=settings.api_url,
                                    base_file_url=settings.file_url, polling=not settings.webhook_url,
                                    persistence=state)
    if usage is not None:
        logging.getLogger("cchc").info("usage log: %s", settings.usage_db)
    if state is not None:
        logging.getLogger("cchc").info("conversation state: %s", settings.state_db)
    try:
        if served:
            # One aiohttp server: the webhook (PTB's custom-webhook pattern), /healthz and, with
            # WEB_CHAT, the web chat; the port is WEB_PORT, else PORT.
            default_host = "0.0.0.0" if settings.webhook_url else "127.0.0.1"
            port = settings.web_port or settings.port
            asyncio.run(serve_bot(application, deps, settings, host=settings.web_host or default_host, port=port))
        else:
            application.run_polling(allowed_updates=ALLOWED_UPDATES)
    finally:
        if usage is not None:
            usage.close()
        kb.close()
    return 0


def web_config(settings: Settings, *, chat: bool = True) -> Any:
    """The web server's configuration from the settings."""
    from web import WebConfig

    return WebConfig(allowed_origins=settings.web_origins, rate_limit=settings.web_rate_limit,
                     admin_token=settings.web_admin_token, trust_proxy=settings.web_trust_proxy,
                     knowledge_dir=settings.knowledge_dir, chat=chat)


async def serve_bot(application: Application[Any, Any, Any, Any, Any, Any], deps: Deps, settings: Settings, *,
                    host: str, port: int, stop: asyncio.Event | None = None,
                    on_started: Callable[[int], None] | None = None) -> None:
    """Run the Telegram bot and the web server in one event loop until `stop` (or a signal).

    With WEBHOOK_URL the Application has no Updater: Telegram posts to our route, which checks
    the secret token and queues the update (`Application.update_queue`); without it the bot
    long-polls beside the web chat. Without WEBHOOK_SECRET a random secret is registered, so a
    webhook never accepts unsigned posts."""
    from urllib.parse import urlparse

    from telegram import Update

    from web import Webhook, create_app, serve

    webhook = None
    secret = settings.webhook_secret or secrets.token_urlsafe(32)
    if settings.webhook_url:
        async def deliver(data: dict[str, Any]) -> None:
            await application.update_queue.put(Update.de_json(data, application.bot))

        webhook = Webhook(urlparse(settings.webhook_url).path or "/", secret, deliver)
    app = create_app(deps, web_config(settings, chat=settings.web_chat), webhook=webhook)
    async with application:
        if application.post_init:
            await application.post_init(application)
        if settings.webhook_url:
            await application.bot.set_webhook(url=settings.webhook_url, secret_token=secret,
                                              allowed_updates=ALLOWED_UPDATES)
        elif application.updater is not None:
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        await application.start()
        try:
            await serve(app, host, port, stop=stop, on_started=on_started)
        finally:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            await application.stop()


def cmd_web(args: argparse.Namespace) -> int:
    """The web chat and its JSON API on their own (no Telegram token needed)."""
    import asyncio

    from handlers.logs import setup_logging
    from knowledge.reload import Reloader
    from web import WebState, create_app, serve

    settings = read_settings()
    setup_logging([settings.token, settings.web_admin_token])
    kb = _open_index(settings)
    if kb is None:
        print(f"error: no index at {settings.db_path} and the plans could not be indexed", file=sys.stderr)
        return 1
    settle_memory()
    usage = open_usage(settings)
    state = WebState(kb=kb, usage=usage,
                     reloader=Reloader(settings.knowledge_dir, settings.db_path, limits=settings.limits,
                                       after_open=settle_memory))
    host = args.host or settings.web_host or "127.0.0.1"
    port = args.port if args.port is not None else (settings.web_port or 8080)
    app = create_app(state, web_config(settings))
    try:
        asyncio.run(serve(app, host, port, on_started=lambda bound: print(
            f"web chat on http://{host}:{bound}/ (Ctrl+C to stop)", flush=True)))
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        if usage is not None:
            usage.close()
        state.kb.close()
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Quality report on evaluation files: hit@1 / hit@3 / MRR overall and per kind, misses."""
    from knowledge.quality import evaluate, load_items, report

    path = Path(args.db)
    if not path.exists() or path == db_path():
        _ensure_db(path)
    kb = KnowledgeBase.open(path)
    for name in args.files:
        items = load_items([name])
        scores = evaluate(items, lambda q: kb.search(q, top=3).to_json())
        print(f"## {name}\n")
        print(report(scores))
        if args.verbose:
            by_id = {i["id"]: i for i in items}
            for miss in scores["all"].misses:
                item = by_id[miss]
                answer = kb.search(item["q"], top=3)
                first = answer.results[0].text[:100] if answer.results else "(refused)"
                print(f"  {miss} [{item.get('kind')}] {item['q']}\n      → {first}")
        print()
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line, one sub-command per job."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("index", help="build the search index from the plan documents")
    p.add_argument("--knowledge", default=str(knowledge_dir()),
                   help="plans folder (default: knowledge/plans)")
    p.add_argument("--db", default=str(db_path()), help="index database path")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("ask", help="answer a question from the command line")
    p.add_argument("question", nargs="*", help="the question")
    p.add_argument("--db", default=str(db_path()), help="index database path")
    p.add_argument("--top", type=int, default=3, help="how many clauses (default 3)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--batch", help="file with one question per line; prints JSON Lines")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="quality report on evaluation sets (hit@1, hit@3, MRR per kind)")
    p.add_argument("files", nargs="+", help="JSON Lines evaluation files (tests/data/dev_v2.jsonl …)")
    p.add_argument("--db", default=str(db_path()), help="index database path")
    p.add_argument("-v", "--verbose", action="store_true", help="show each miss with the first result")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("chat", help="chat with the bot in this terminal (no token, no network)")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("stats", help="usage figures and the most frequent unanswered questions")
    p.add_argument("--usage", help="usage database (default: USAGE_DB, else beside the index)")
    p.add_argument("--top", type=int, default=15, help="how many unanswered questions (default 15)")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("web", help="the web chat and its JSON API (WEB_HOST, WEB_PORT)")
    p.add_argument("--host", help="address to listen on (default: WEB_HOST, else 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: WEB_PORT, else 8080)")
    p.set_defaults(func=cmd_web)

    p = sub.add_parser("run", help="run the Telegram bot (the default)")
    p.set_defaults(func=cmd_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse the command line and run the sub-command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        args = parser.parse_args(["run", *(argv or [])])
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
