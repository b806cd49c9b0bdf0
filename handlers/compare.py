"""/sosanh <chỉ tiêu> [năm | giai đoạn] and /sosanh <chỉ tiêu> <tỉnh>: one indicator across
provinces (or one province across years) as a table sorted by value and a bar chart photo."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from handlers import replies
from handlers.common import quoting, reply_to_id, send_html, user_language
from handlers.deps import get_deps
from knowledge.charts import Chart, ChartBar, bar_chart
from knowledge.compare import Comparison, Scope, compare, parse_scope, province_names


def draw(comparison: Comparison, lang: str = "vi") -> Chart:
    """The comparison's bar chart (one bar per province, or per year), titled by `replies`."""
    bars = [ChartBar(label=b.label, value=b.value, note=replies.chart_bar_note(b)) for b in comparison.bars]
    return bar_chart(replies.chart_title(comparison, lang=lang), bars)


async def send_comparison(context: ContextTypes.DEFAULT_TYPE, chat_id: int, scope: Scope, *,
                          reply_to: int | None = None, lang: str = "vi") -> Chart | None:
    """Send the table, then the chart as a photo (captioned with its sources); the chart is
    drawn in a worker thread so other chats are answered meanwhile. Returns the chart."""
    comparison = compare(get_deps(context).kb, scope)
    table = replies.comparison_text(comparison, lang=lang)
    await send_html(context, chat_id, replies.split_html(table), reply_to=reply_to)
    if not comparison.bars:
        return None
    chart = await asyncio.to_thread(draw, comparison, lang)
    await context.bot.send_photo(
        chat_id=chat_id, photo=chart.png, filename="so-sanh.png", caption=replies.chart_caption(comparison, lang=lang),
        parse_mode=ParseMode.HTML,
        reply_parameters=quoting(reply_to),
    )
    return chart


async def on_compare(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sosanh: the table and the chart."""
    chat = update.effective_chat
    if chat is None:
        return
    args = context.args or []
    lang = user_language(update, context)
    scope = parse_scope(args, province_names(get_deps(context).kb)) if args else None
    if scope is None or not scope.topic:
        await send_html(context, chat.id, [replies.say("sosanh.usage", lang=lang)], reply_to=reply_to_id(update))
        return
    await send_comparison(context, chat.id, scope, reply_to=reply_to_id(update), lang=lang)
