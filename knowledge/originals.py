"""The stored original of an indexed document (the file in the plans folder), for "📎 Văn bản"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from knowledge.models import DocumentMeta

# Kinds of document by the type code of their number, for a readable file name.
_KINDS = {"KH": "Kế hoạch", "QĐ": "Quyết định", "NQ": "Nghị quyết", "CT": "Chỉ thị", "CĐ": "Công điện",
          "TB": "Thông báo", "CV": "Công văn", "TT": "Thông tư", "NĐ": "Nghị định"}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
MAX_NAME = 120


@dataclass(frozen=True)
class Original:
    """A document's file on disk and the name to send it under."""

    path: Path
    name: str


def document_kind(number: str | None) -> str:
    """The kind of document its number's type code names ("144/KH-UBND" → "Kế hoạch"), or ""."""
    code = number.rsplit("/", 1)[1].split("-", 1)[0].upper() if number and "/" in number else ""
    return _KINDS.get(code, "")


def readable_name(meta: DocumentMeta) -> str:
    """ "Kế hoạch 144-KH-UBND Bắc Ninh 2025.txt": kind, number, province, year and the file's own
    extension; characters a file name cannot hold become "-"."""
    suffix = Path(meta.file).suffix.lower()
    number = meta.document or ""
    parts = [document_kind(number), number, meta.province or "", str(meta.year or "")]
    stem = " ".join(p for p in parts if p) or Path(meta.file).stem
    stem = _UNSAFE.sub("-", stem).strip(" .-")[:MAX_NAME] or "van-ban"
    return stem + suffix


def original(plans_dir: Path | None, meta: DocumentMeta) -> Original | None:
    """The document's stored file when it is still in the plans folder (never a path outside it)."""
    if plans_dir is None:
        return None
    root = Path(plans_dir).resolve()
    path = (root / meta.file).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return Original(path=path, name=readable_name(meta))
