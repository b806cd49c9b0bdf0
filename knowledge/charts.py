"""Bar charts of a comparison as PNG bytes. The only module importing matplotlib.

matplotlib is imported inside `bar_chart` (not at module import): a bot that never draws a chart
does not pay its start-up cost. The Agg backend renders off-screen; matplotlib's bundled DejaVu
Sans has the Vietnamese letters, so no system font is needed.
"""

from __future__ import annotations

import io
import textwrap
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_LOCK = threading.Lock()
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class ChartBar:
    """One bar as drawn: its label under the axis, its value (%), the text on it (the year)."""

    label: str
    value: float
    note: str


@dataclass
class Chart:
    """A drawn chart: the PNG, and what it was drawn from (tests and the console read these)."""

    png: bytes
    title: str
    bars: list[ChartBar]
    drawn_bars: int  # bar patches on the figure's axes, counted after drawing


def bar_chart(title: str, bars: Sequence[ChartBar], *, ylabel: str = "%", subtitle: str = "") -> Chart:
    """A vertical bar chart in %, one bar per item, its note (the year) on top of each bar."""
    # The object-oriented API (a Figure with the Agg canvas, no pyplot): no global figure
    # manager, so charts drawn from worker threads do not share state; one at a time anyway.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width = max(6.0, min(16.0, 1.1 * len(bars) + 2.5))
    with _LOCK:
        fig = Figure(figsize=(width, 5.2), dpi=110)
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        labels = ["\n".join(textwrap.wrap(b.label, 16)) or "?" for b in bars]
        values = [b.value for b in bars]
        drawn: Any = ax.bar(range(len(bars)), values, color="#2b6cb0", width=0.6)
        for rect, bar in zip(drawn, bars, strict=True):
            ax.annotate(f"{bar.value:g}%\n{bar.note}".strip(), (rect.get_x() + rect.get_width() / 2, rect.get_height()),
                        ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
        ax.set_xticks(range(len(bars)), labels, fontsize=8)
        ax.set_ylim(0, max([100.0, *values]) * 1.15)
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:g}%")
        ax.set_title("\n".join(textwrap.wrap(title, 70)), fontsize=10)
        if subtitle:
            fig.text(0.01, 0.01, subtitle, fontsize=7, color="#555555")
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout(rect=(0, 0.03 if subtitle else 0, 1, 1))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        count = len(ax.patches)
    return Chart(png=buffer.getvalue(), title=title, bars=list(bars), drawn_bars=count)
