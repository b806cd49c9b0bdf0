"""/muctieu <chủ đề> [tỉnh] [năm]: the structured targets on a topic as a compact list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from telegram import Update
from telegram.ext import ContextTypes

from handlers import replies
from handlers.common import reply_html, user_language
from handlers.deps import get_deps
from knowledge.text import fold

_YEAR_RE = re.compile(r"(?:19|20)\d\d")
# Words that may precede a province name and are not part of the topic.
_PROVINCE_WORDS = {"tinh", "tp", "tp.", "thanh pho", "o", "tai", "cua"}


def parse_targets_args(args: Sequence[str], provinces: Iterable[str]) -> tuple[str, str | None, int | None]:
    """Split `/muctieu` arguments into (topic, province, year): the year is a trailing 4-digit
    number, the province the longest trailing run of words naming a known province (with or
    without diacritics, optionally after "tỉnh"/"thành phố"), the topic whatever precedes."""
    words = [w for w in " ".join(args).replace(",", " ").split() if w]
    year: int | None = None
    if words and _YEAR_RE.fullmatch(words[-1]):
        year = int(words.pop())
    known = {fold(p): p for p in provinces if p}
    province: str | None = None
    for n in range(min(4, len(words)), 0, -1):
        tail = fold(" ".join(words[-n:]))
        if tail in known:
            province = known[tail]
            del words[-n:]
            break
    if province is not None:
        for n in (2, 1):
            if len(words) >= n and fold(" ".join(words[-n:])) in _PROVINCE_WORDS:
                del words[-n:]
                break
    if year is None and words and _YEAR_RE.fullmatch(words[-1]):
        year = int(words.pop())
    return " ".join(words), province, year


async def on_targets(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Structured targets on a topic, optionally for one province and/or year."""
    kb = get_deps(context).kb
    args = context.args or []
    lang = user_language(update, context)
    if not args:
        await reply_html(update, context, replies.say("muctieu.usage", lang=lang))
        return
    names = set(kb.overview().provinces)
    for meta in kb.documents():
        names.update(n for n in (meta.province, meta.province_current) if n)
    topic, province, year = parse_targets_args(args, names)
    if not topic:
        await reply_html(update, context, replies.say("muctieu.usage", lang=lang))
        return
    rows = kb.targets(topic[:200], province=province, year=year, limit=20)
    await reply_html(update, context, replies.targets_text(topic, rows, province=province, year=year,
                                                                  lang=lang))
