"""Plain data types shared by the knowledge package and its callers.

Nothing here touches the disk, the database or a third-party library, so the chat layer can
import these types without pulling in the engine's dependencies.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Characters of a question the engine reads; longer input is cut, never rejected. One limit for
# the chat layer and the engine.
MAX_QUESTION = 500


class DocumentError(Exception):
    """A plan document that cannot be read; names the file and the reason.

    `code` is a stable reason code (e.g. "pdf_no_text_layer", "too_long", "link") for the chat
    layer to word in the admin's language, with the numbers in `figures` (e.g. {"value": …,
    "limit": …}); "" when the plain `reason` is all there is."""

    def __init__(self, path: str, reason: str, *, code: str = "",
                 figures: dict[str, float] | None = None) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.code = code
        self.figures = dict(figures or {})

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception pickles its args (the joined message) only: rebuild with the keyword
        # arguments, so an error crosses the document worker's process boundary whole.
        return (_document_error, (self.path, self.reason, self.code, self.figures))


def _document_error(path: str, reason: str, code: str, figures: dict[str, float]) -> DocumentError:
    return DocumentError(path, reason, code=code, figures=figures)


class Notice(str):
    """A warning for admins about one document or file (reload report, upload preview, `bot.py
    index`): the Vietnamese sentence the command line prints, plus a stable reason `code` and its
    `figures`, so the chat layer words it itself, as it words `DocumentError.code`.

    A `str`, so reports and tests that compare or print warnings keep working; it pickles whole
    (str's `__getnewargs__` gives the text, the instance dict the code), so it crosses the document
    worker's process boundary."""

    code: str
    figures: dict[str, str]

    def __new__(cls, text: str, code: str = "", **figures: str) -> Notice:
        self = super().__new__(cls, text)
        self.code = code
        self.figures = dict(figures)
        return self

    def about(self, file: str) -> Notice:
        """The same notice, prefixed with the file it is about (kept as the `file` figure)."""
        return Notice(f"{file}: {self}", self.code, **{**self.figures, "file": file})


@dataclass
class DocumentMeta:
    """What is known about one plan document (front matter first, then detection from its text)."""

    file: str
    title: str | None = None
    province: str | None = None
    province_current: str | None = None
    document: str | None = None
    issued: str | None = None
    signer: str | None = None
    source_url: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def year(self) -> int | None:
        """The year the document was issued, if known."""
        if self.issued and self.issued[:4].isdigit():
            return int(self.issued[:4])
        return None


@dataclass
class Document:
    """One plan document: metadata, its body text (NFC, front matter removed) and content hash."""

    meta: DocumentMeta
    text: str
    sha256: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class Target:
    """A measurable target found inside a clause ("tối thiểu 80% ... đến năm 2025")."""

    value: float | None
    value_text: str
    unit: str | None = None
    qualifier: str | None = None
    deadline: str | None = None
    level: str | None = None
    topic: str | None = None
    # "target" for a figure to reach ("phấn đấu 80%", "đến năm 2030"), "result" for one already
    # reached ("năm 2024 đạt 75%", "tăng 3 bậc"): results are never shown as targets.
    kind: str = "target"

    def to_json(self) -> dict[str, Any]:
        """The target as a JSON-ready dict."""
        return asdict(self)


@dataclass
class Task:
    """A task a document assigns: what, who leads, who helps, by when, with what product."""

    task: str
    agency: str | None = None
    partners: str | None = None
    deadline: str | None = None  # "2025-12-31", "2025-12", "2025-Q3", "2026" or "2025/2030"
    deadline_text: str | None = None  # as written ("Tháng 12/2025", "trước ngày 31/12/2025")
    product: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The task as a JSON-ready dict."""
        return asdict(self)


@dataclass
class Clause:
    """One answerable unit of a document: a numbered item, a sentence or one ';' target."""

    ordinal: int
    text: str
    section: str = ""
    lead: str = ""
    years: list[int] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    # The table row's cells by column name (empty for prose), for task extraction.
    cells: tuple[tuple[str, str], ...] = ()
    # A table row's: the capitalised title above its table ("PHỤ LỤC III TỔNG HỢP KẾT QUẢ …"),
    # which says whether its figures are results or targets (not indexed).
    table: str = ""


@dataclass
class Result:
    """One ranked clause with its source."""

    clause_id: int
    text: str
    score: float
    meta: DocumentMeta
    section: str
    targets: list[Target]
    # When the text joins verbatim pieces of the document (an article, then the date it resolves
    # to, separated by " […] "): each piece, {"clause_id", "text", "role"}, in order; else empty.
    parts: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The result in the shape `bot.py ask --json` prints (the contract other tools use)."""
        m = self.meta
        return {
            "text": self.text,
            "score": round(self.score, 4),
            "document": m.document,
            "title": m.title,
            "province": m.province,
            "province_current": m.province_current,
            "issued": m.issued,
            "signer": m.signer,
            "source_url": m.source_url,
            "file": m.file,
            "section": self.section,
            "targets": [t.to_json() for t in self.targets],
            "parts": [dict(p) for p in self.parts],
        }


@dataclass
class Answer:
    """The answer to one question: ranked results, and whether the plans answer it at all."""

    question: str
    answered: bool
    results: list[Result]
    more: bool = False
    # What the engine explains beside (or instead of) results, as data the chat layer words:
    # {"kind": "too_short" | "no_document" | "no_year" | "old_province" | "english", ...}.
    notes: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The answer in the shape `bot.py ask --json` prints."""
        return {
            "question": self.question,
            "answered": self.answered,
            "results": [r.to_json() for r in self.results],
            "notes": self.notes,
        }
