"""Tasks for staff: find them by agency or topic, what is due in a window, what is overdue, the
weekly digest of a subscription. Every function takes "today" as an argument (no clock here).

Shared by Telegram (`handlers/tasks.py`) and the console chat.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.base import KnowledgeBase, TaskRow
from knowledge.compare import parse_scope
from knowledge.tasks import deadline_end, deadline_parts, normalize_deadline
from knowledge.text import fold

ALL_TASKS = 100_000
DIGEST_DAYS = 30
# Window words (folded) → kind.
_WINDOWS = {"thang": "month", "quy": "quarter", "nam": "year"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def deadline_start(deadline: str) -> str | None:
    """The first day a normalized deadline covers, as YYYY-MM-DD ("2025-Q3" → "2025-07-01",
    "2026" → "2026-01-01", "2025/2030" → "2025-01-01"); None when it is not one."""
    parts = deadline_parts(deadline)
    if parts is None:
        return None
    year, month, day, quarter, _last = parts
    if day:
        return f"{year}-{month}-{day}"
    if quarter:
        return f"{year}-{(int(quarter) - 1) * 3 + 1:02d}-01"
    return f"{year}-{month or '01'}-01"


def sort_key(row: TaskRow) -> tuple[str, str, int]:
    """By deadline (its last day), undated last; then by document and clause."""
    return (deadline_end(row.task.deadline or "") or "9999", row.meta.file, row.clause_id)


def _task_words(row: TaskRow) -> str:
    t = row.task
    return fold(" | ".join(x for x in (t.task, t.agency, t.partners, t.product, row.clause_text) if x))


def find_tasks(kb: KnowledgeBase, subject: str, province: str | None = None) -> tuple[str, list[TaskRow]]:
    """Tasks for `subject`: ("agency", tasks whose lead agency or partners name it) when any do,
    else ("topic", tasks whose words contain every word of it); sorted by deadline."""
    subject = " ".join(subject.split())
    rows = kb.tasks(agency=subject, province=province, limit=ALL_TASKS) if subject else []
    how = "agency"
    if not rows:
        wanted = [w for w in fold(subject).split() if len(w) > 1]
        pool = kb.tasks(province=province, limit=ALL_TASKS)
        rows = [r for r in pool if wanted and all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", _task_words(r))
                                                  for w in wanted)]
        how = "topic"
    return how, sorted(rows, key=sort_key)


@dataclass(frozen=True)
class Window:
    """A span of days /hanchot looks at: this month, quarter or year, or one the user named."""

    kind: str      # "month" | "quarter" | "year"
    start: date
    end: date
    label: str     # "tháng 12/2025", "quý IV/2025", "năm 2025"


def _window_of(kind: str, start: date) -> Window:
    if kind == "month":
        nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return Window(kind, start, nxt - timedelta(days=1), f"tháng {start.month}/{start.year}")
    if kind == "quarter":
        q = (start.month - 1) // 3 + 1
        first = date(start.year, (q - 1) * 3 + 1, 1)
        nxt = date(start.year + (q == 4), (q % 4) * 3 + 1, 1)
        return Window(kind, first, nxt - timedelta(days=1), f"quý {['I', 'II', 'III', 'IV'][q - 1]}/{start.year}")
    return Window("year", date(start.year, 1, 1), date(start.year, 12, 31), f"năm {start.year}")


def parse_window(words: str, today: date) -> Window | None:
    """ "" or "tháng" → this month; "quý" → this quarter; "năm" → this year; "tháng 12/2025",
    "quý III/2025", "quý 3", "năm 2026", "2026" → that one; None when the words name no window."""
    folded = fold(words).strip()
    if not folded:
        return _window_of("month", today)
    head = folded.split()[0]
    kind = _WINDOWS.get(head)
    rest = folded[len(head):].strip() if kind else folded
    if kind and not rest:
        return _window_of(kind, today)
    m = re.fullmatch(r"(i{1,3}|iv|[1-4])", rest) if kind == "quarter" else None
    if m:
        q = _ROMAN.get(m.group(1)) or int(m.group(1))
        return _window_of("quarter", date(today.year, (q - 1) * 3 + 1, 1))
    m = re.fullmatch(r"(\d{1,2})", rest) if kind == "month" else None
    if m and 1 <= int(m.group(1)) <= 12:
        return _window_of("month", date(today.year, int(m.group(1)), 1))
    typed = f"{head} {rest}" if kind in ("month", "quarter") else rest
    normalized = normalize_deadline(typed)
    if not normalized or "/" in normalized or len(normalized) == 10:
        return None
    start = deadline_start(normalized)
    if start is None:
        return None
    first = date.fromisoformat(start)
    if "-Q" in normalized:
        return _window_of("quarter", first)
    return _window_of("month" if len(normalized) == 7 else "year", first)


@dataclass
class Deadlines:
    """What /hanchot shows: tasks due in the window, and tasks whose deadline has passed."""

    window: Window
    today: date
    due: list[TaskRow]
    overdue: list[TaskRow]


def deadlines(kb: KnowledgeBase, window: Window, today: date, province: str | None = None) -> Deadlines:
    """Tasks whose deadline falls in `window` (by its last day; not yet past) and those whose
    deadline ended before `today` (most recent first), optionally of one province."""
    rows = sorted(kb.tasks(province=province, limit=ALL_TASKS), key=sort_key)
    due: list[TaskRow] = []
    overdue: list[TaskRow] = []
    start, end, now = window.start.isoformat(), window.end.isoformat(), today.isoformat()
    for row in rows:
        last = deadline_end(row.task.deadline or "")
        if last is None:
            continue
        if last < now:
            overdue.append(row)
        elif start <= last <= end:
            due.append(row)
    overdue.reverse()
    return Deadlines(window=window, today=today, due=due, overdue=overdue)


def split_hanchot_args(args: Sequence[str], provinces: Iterable[str], today: date) -> tuple[Window | None, str | None]:
    """/hanchot arguments → (window, province): a trailing province name, the window before it."""
    scope = parse_scope(args, provinces)
    words = scope.topic
    if scope.year:
        words = f"{words} {scope.year}".strip()
    return parse_window(words, today), scope.province


# --- subscriptions --------------------------------------------------------------------------------

def subject_tasks(kb: KnowledgeBase, subject: str) -> list[TaskRow]:
    """The tasks a subscription follows: a province's (old or new name) when the subject names
    one, else those an agency leads or helps with."""
    if kb.gazetteer.canonical(subject):
        return sorted(kb.tasks(province=subject, limit=ALL_TASKS), key=sort_key)
    return sorted(kb.tasks(agency=subject, limit=ALL_TASKS), key=sort_key)


def due_soon(rows: Sequence[TaskRow], today: date, days: int = DIGEST_DAYS) -> list[TaskRow]:
    """The tasks whose deadline ends within `days` from `today` (today included)."""
    first, last = today.isoformat(), (today + timedelta(days=days)).isoformat()
    return [r for r in rows if first <= (deadline_end(r.task.deadline or "") or "0000") <= last]


def digest(kb: KnowledgeBase, subjects: Sequence[str], today: date,
           days: int = DIGEST_DAYS) -> list[tuple[str, list[TaskRow]]]:
    """For each subject followed, the tasks due in the next `days` days (subjects with none
    left out)."""
    out: list[tuple[str, list[TaskRow]]] = []
    for subject in subjects:
        rows = due_soon(subject_tasks(kb, subject), today, days)
        if rows:
            out.append((subject, rows))
    return out
