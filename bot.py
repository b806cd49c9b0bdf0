"""cchc-bot: the composition root and the command line.

    python bot.py index [--knowledge DIR] [--db PATH]
    python bot.py ask [--db PATH] [--top N] [--json] QUESTION | --batch FILE
    python bot.py chat        local console chat, no token or network needed
    python bot.py stats       usage figures (as /thongke) and the top unanswered questions
    python bot.py [run]       the Telegram bot (long polling, or webhook when WEBHOOK_URL is set)

Settings come only from the environment, and only this module reads them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge import KnowledgeBase, build_index, default_db_path
from knowledge.base import OutdatedIndexError
from knowledge.build import DiskFullError
from knowledge.models import DocumentError
from knowledge.usage import default_usage_path

if TYPE_CHECKING:
    from telegram.ext import Application

    from handlers.deps import Deps
    from knowledge.usage import UsageLog

HERE = Path(__file__).resolve().parent
DEFAULT_KNOWLEDGE = HERE / "knowledge" / "plans"


def knowledge_dir() -> Path:
    """The plans folder: KNOWLEDGE_DIR, else the shipped knowledge base."""
    return Path(os.environ.get("KNOWLEDGE_DIR") or DEFAULT_KNOWLEDGE)


def db_path() -> Path:
    """The index database: DB_PATH, else a file in the user's data directory."""
    env = os.environ.get("DB_PATH")
    return Path(env) if env else default_db_path()


def cmd_index(args: argparse.Namespace) -> int:
    """Build the index; on any unreadable document, name it and leave the old index in place.

    Takes the same lock as the bot's /reload: a build already running is waited for."""
    from knowledge.reload import index_lock

    try:
        with index_lock(Path(args.db), wait=True):
            report = build_index(Path(args.knowledge), Path(args.db))
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

    ensure_index(knowledge_dir(), path)


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


def file_url_for(api_url: str) -> str:
    """The file-download base matching a Bot API base: ".../bot" → ".../file/bot"."""
    base = api_url.rstrip("/")
    return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file/bot"


def read_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment (the only place they are read)."""
    env = os.environ if env is None else env
    admin_ids: set[int] = set()
    for part in (env.get("ADMIN_IDS") or "").replace(";", ",").split(","):
        part = part.strip()
        if part.lstrip("-").isdigit():
            admin_ids.add(int(part))
        elif part:
            print(f"warning: ADMIN_IDS: ignoring {part!r} (not a numeric user id)", file=sys.stderr)
    db = Path(env.get("DB_PATH") or default_db_path())
    max_upload_mb = 10.0
    raw_upload = (env.get("MAX_UPLOAD_MB") or "").strip()
    if raw_upload:
        try:
            max_upload_mb = float(raw_upload.replace(",", "."))
            if max_upload_mb <= 0:
                raise ValueError(raw_upload)
        except ValueError:
            print(f"warning: MAX_UPLOAD_MB: ignoring {raw_upload!r} (not a positive number)", file=sys.stderr)
            max_upload_mb = 10.0
    api_url = (env.get("TELEGRAM_API_URL") or "").strip() or None
    usage_key: bytes | None = None
    raw_key = (env.get("USAGE_KEY") or "").strip()
    if raw_key:
        if len(raw_key) >= 16:
            usage_key = raw_key.encode("utf-8")
        else:
            print("warning: USAGE_KEY: ignored (shorter than 16 characters); using the key file",
                  file=sys.stderr)
    return Settings(
        token=(env.get("TELEGRAM_BOT_TOKEN") or "").strip() or None,
        api_url=api_url,
        file_url=file_url_for(api_url) if api_url else None,
        admin_ids=frozenset(admin_ids),
        knowledge_dir=Path(env.get("KNOWLEDGE_DIR") or DEFAULT_KNOWLEDGE),
        db_path=db,
        usage_db=Path(env.get("USAGE_DB") or default_usage_path(db)),
        webhook_url=(env.get("WEBHOOK_URL") or "").strip() or None,
        webhook_secret=(env.get("WEBHOOK_SECRET") or "").strip() or None,
        port=int(env.get("PORT") or 8080),
        max_upload_mb=max_upload_mb,
        usage_key=usage_key,
    )


def build_application(token: str, deps: Deps, *, base_url: str | None = None,
                      base_file_url: str | None = None, throttle: bool = True,
                      backoff: float = 0.5, concurrent_updates: int = 16,
                      ) -> Application[Any, Any, Any, Any, Any, Any]:
    """The Telegram Application with every handler registered and `deps` installed.

    `throttle=False` turns PTB's AIORateLimiter off (tests, benchmarks); retries stay on.
    Updates are handled concurrently so one user's slow reply (a 429 wait, a retry) does not
    hold up everyone else; handlers share state only on the event loop thread.
    """
    from telegram.ext import ApplicationBuilder

    from handlers import register, set_commands
    from handlers.deps import install_deps
    from handlers.ingress import CleanTextApplication
    from handlers.resilience import ResilientRateLimiter

    builder = (
        ApplicationBuilder()
        .application_class(CleanTextApplication)
        .token(token)
        .rate_limiter(ResilientRateLimiter(throttle=throttle, backoff=backoff))
        .post_init(set_commands)
        .concurrent_updates(concurrent_updates)
        # Enough connections for the updates handled at once (PTB's default is 256: httpcore scans
        # them all for each request, which costs more than the requests themselves here).
        .connection_pool_size(max(8, 2 * concurrent_updates))
    )
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_file_url or file_url_for(base_url))
    application = builder.build()
    install_deps(application, deps)
    register(application)
    return application


def _open_index(settings: Settings) -> KnowledgeBase | None:
    """Build the index if missing or stale, then open it; None (after saying why) if impossible."""
    from knowledge import ensure_index
    from knowledge.reload import index_lock, remove_leftovers

    try:
        # Under the build lock: a `bot.py index` still running is waited for, and temporary files
        # of a build killed earlier are cleared.
        with index_lock(settings.db_path, wait=True):
            remove_leftovers(settings.db_path)
            report = ensure_index(settings.knowledge_dir, settings.db_path)
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
    try:
        return run_console(kb, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    finally:
        kb.close()


def cmd_run(args: argparse.Namespace) -> int:
    """The Telegram bot: long polling, or a webhook server when WEBHOOK_URL is set."""
    from urllib.parse import urlparse

    from handlers.deps import Deps, FloodGuard
    from handlers.logs import setup_logging
    from handlers.replies import NO_TOKEN_HELP
    from knowledge.reload import Reloader

    settings = read_settings()
    setup_logging([settings.token, settings.webhook_secret])
    if not settings.token:
        print(NO_TOKEN_HELP)
        if sys.stdin.isatty():
            return cmd_chat(args)
        return 0
    kb = _open_index(settings)
    if kb is None:
        print(f"error: no index at {settings.db_path} and the plans could not be indexed", file=sys.stderr)
        return 1
    usage = open_usage(settings)
    deps = Deps(kb=kb, usage=usage, admin_ids=settings.admin_ids, flood=FloodGuard(limit=20, window=60),
                reloader=Reloader(settings.knowledge_dir, settings.db_path), knowledge_dir=settings.knowledge_dir,
                max_upload_bytes=int(settings.max_upload_mb * 1024 * 1024))
    application = build_application(settings.token, deps, base_url=settings.api_url,
                                    base_file_url=settings.file_url)
    if usage is not None:
        logging.getLogger("cchc").info("usage log: %s", settings.usage_db)
    try:
        if settings.webhook_url:
            application.run_webhook(
                listen="0.0.0.0",
                port=settings.port,
                url_path=urlparse(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            application.run_polling(allowed_updates=ALLOWED_UPDATES)
    finally:
        if usage is not None:
            usage.close()
        kb.close()
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
    parser = argparse.ArgumentParser(prog="bot.py", description=__doc__.split("\n\n")[0])
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
