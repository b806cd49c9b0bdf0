"""Quality report: hit@1 / hit@3 / MRR of the engine on evaluation sets, overall and per `kind`.

The rules are those of `tests/data/score.py` (the project's scorer): a result hits when its text
(≤ 600 characters) holds one of `expect_any` and its JSON names `src`; `expect_none` questions
must be refused; `robust` (hostile) ones need a well-formed answer.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_TEXT = 600
K = 3


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip().lower()


def rank_of_hit(item: dict[str, Any], answer: dict[str, Any]) -> int | None:
    """1-based rank of the first result that hits the item, None when none does."""
    expected = [_norm(e) for e in item["expect_any"]]
    src = _norm(item.get("src") or "")
    for i, r in enumerate(answer.get("results") or []):
        text = _norm(str(r.get("text", "")))
        if len(text) > MAX_TEXT or not any(e in text for e in expected):
            continue
        if src and src not in _norm(json.dumps(r, ensure_ascii=False)):
            continue
        return i + 1
    return None


@dataclass
class KindScore:
    """Figures of one kind of question (or of all)."""

    n: int = 0
    hit1: int = 0
    hitk: int = 0
    rr: float = 0.0
    refused_ok: int = 0
    n_refuse: int = 0
    robust_ok: int = 0
    n_robust: int = 0
    misses: list[str] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        """The figures as rounded shares."""
        return {
            "n": self.n, "hit@1": round(self.hit1 / self.n, 3) if self.n else None,
            f"hit@{K}": round(self.hitk / self.n, 3) if self.n else None,
            "mrr": round(self.rr / self.n, 3) if self.n else None,
            "refused": f"{self.refused_ok}/{self.n_refuse}" if self.n_refuse else "",
            "robust": f"{self.robust_ok}/{self.n_robust}" if self.n_robust else "",
        }


def load_items(paths: Iterable[Path | str]) -> list[dict[str, Any]]:
    """Evaluation items (JSON Lines) from several files."""
    items: list[dict[str, Any]] = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            items += [json.loads(line) for line in fh if line.strip()]
    return items


def evaluate(items: list[dict[str, Any]], ask: Callable[[str], dict[str, Any]]) -> dict[str, KindScore]:
    """Score `ask` (question → answer JSON) on the items: {"all": …, kind: …}."""
    out: dict[str, KindScore] = defaultdict(KindScore)
    for item in items:
        answer = ask(item["q"])
        for key in ("all", item.get("kind", "?")):
            s = out[key]
            if item.get("expect_any"):
                s.n += 1
                r = rank_of_hit(item, answer)
                s.hit1 += r == 1
                s.hitk += bool(r and r <= K)
                s.rr += 1.0 / r if r else 0.0
                if not r or r > K:
                    s.misses.append(item["id"])
            elif item.get("expect_none"):
                s.n_refuse += 1
                if not answer.get("answered"):
                    s.refused_ok += 1
                else:
                    s.misses.append(item["id"])
            elif item.get("robust"):
                s.n_robust += 1
                if isinstance(answer.get("results"), list):
                    s.robust_ok += 1
                else:
                    s.misses.append(item["id"])
    return dict(out)


def report(scores: dict[str, KindScore]) -> str:
    """A Markdown table, one row per kind and one for all, then the misses."""
    lines = [f"| kind | n | hit@1 | hit@{K} | MRR | refused | hostile ok |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    kinds = sorted(k for k in scores if k != "all") + ["all"]
    for k in kinds:
        r = scores[k].row()
        fmt = {key: ("" if v is None else v) for key, v in r.items()}
        lines.append(f"| {k} | {fmt['n']} | {fmt['hit@1']} | {fmt[f'hit@{K}']} | {fmt['mrr']} | {fmt['refused']} "
                     f"| {fmt['robust']} |")
    lines.append("")
    lines.append("misses: " + (" ".join(scores["all"].misses) if "all" in scores else ""))
    return "\n".join(lines)
