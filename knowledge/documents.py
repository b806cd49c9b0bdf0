"""Plan documents on disk → `Document`s: text, front matter, detected metadata.

Reads UTF-8 `.txt`/`.md` (BOM or not), UTF-16 text with a BOM, Word `.docx` (python-docx) and
`.pdf` with a text layer (pypdf). python-docx and pypdf are imported by this module only, and only
when such a file is read.

A file that cannot be used raises `DocumentError` with the reason in plain words, so whoever drops
a file into the plans folder can fix it: binary or non-UTF-8 text, an empty file, front matter
that is not closed, a corrupt .docx/.pdf or a scanned PDF without text.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.metadata import CENTRAL, detect_metadata, is_central
from knowledge.models import Document, DocumentError, DocumentMeta
from knowledge.provinces import Gazetteer

if TYPE_CHECKING:
    from docx.table import Table

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx", ".pdf")

_TEXT_SUFFIXES = (".txt", ".md")
_KNOWN_KEYS = ("title", "province", "document", "issued", "source_url", "signer")
_FRONT_KEY_RE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YEAR_RE = re.compile(r"^\d{4}$")
# C0 controls other than tab, newline, carriage return and form feed do not occur in text files.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


# --- raw bytes → text --------------------------------------------------------------------------

def _decode_text(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(
                name, f"starts with a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})"
            ) from None
    if b"\x00" in raw:
        raise DocumentError(
            name, "is a binary file, not text (it contains NUL bytes; UTF-16 text needs a byte-order mark)"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        raise DocumentError(
            name,
            f"is not UTF-8 text (byte 0x{bad} at position {exc.start} is not valid UTF-8; it may be "
            "in a legacy encoding such as Windows-1258 or TCVN3): save it as UTF-8",
        ) from None
    if text and len(_CONTROL_RE.findall(text)) > max(2, len(text) // 100):
        raise DocumentError(name, "is a binary file, not text (it is full of control characters)")
    return text


def _docx_text(raw: bytes, name: str) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
        lines: list[str] = []
        # Body order matters (a table may sit between two paragraphs), hence iter_inner_content.
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                lines.extend(_table_lines(block))
    except Exception as exc:  # python-docx raises zipfile, lxml and KeyError errors alike
        raise DocumentError(
            name, f"cannot be opened as a Word .docx file; it is corrupt or not really a .docx ({exc})"
        ) from None
    return "\n".join(lines)


def _table_lines(table: Table) -> list[str]:
    """One line per row, cells joined by " | "; a merged cell is repeated by python-docx, so
    consecutive copies of the same cell are written once."""
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if previous is not None and cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split("\n")).strip())
        lines.append(" | ".join(cells))
    return lines


def _pdf_text(raw: bytes, name: str) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(name, "is a password-protected PDF; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise DocumentError(
            name, f"cannot be read as a PDF; the file is corrupt or not a PDF ({exc})"
        ) from None
    if not any(p.strip() for p in pages):
        raise DocumentError(
            name,
            "is a PDF without a text layer (probably a scanned image); run OCR on it or supply the text "
            "as .txt/.docx",
        )
    return "\n".join(pages)


# --- front matter ------------------------------------------------------------------------------

def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def split_front_matter(text: str, name: str) -> tuple[dict[str, str], str]:
    """The front matter (keys lower-cased, values unquoted) and the body after it.

    Front matter is optional: a block between two "---" lines at the very start (blank lines may
    come first). Raises DocumentError when it is opened and never closed, or has a line that is not
    "key: value"."""
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or lines[i].rstrip() != "---":
        return {}, text
    opening = i
    closing = next((j for j in range(opening + 1, len(lines)) if lines[j].rstrip() == "---"), None)
    if closing is None:
        raise DocumentError(
            name, f"front matter opened with '---' on line {opening + 1} is never closed by a '---' line"
        )
    fields: dict[str, str] = {}
    for j in range(opening + 1, closing):
        line = lines[j]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _FRONT_KEY_RE.match(line)
        if not m:
            raise DocumentError(
                name, f"front matter line {j + 1} is not 'key: value': {line.strip()[:80]!r}"
            )
        value = _unquote(m.group(2).strip()).strip()
        if value:
            fields[m.group(1).lower()] = value
    return fields, "\n".join(lines[closing + 1 :])


def normalize_issued(value: str) -> str | None:
    """"2021-12-28", "2021" or "28/12/2021" as YYYY-MM-DD (or YYYY); None for anything else."""
    value = value.strip()
    if _YEAR_RE.match(value):
        return value
    m = _ISO_DATE_RE.match(value)
    parts = (m.group(1), m.group(2), m.group(3)) if m else None
    if parts is None:
        m = _DMY_DATE_RE.match(value)
        parts = (m.group(3), m.group(2), m.group(1)) if m else None
    if parts is None:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except ValueError:
        return None


# --- documents ---------------------------------------------------------------------------------

def _relative(path: Path, root: Path | None) -> str | None:
    if root is None:
        return None
    # As given first: a symlinked file inside root must keep its name under root.
    for candidate, base in ((path, root), (path.resolve(), root.resolve())):
        try:
            return candidate.relative_to(base).as_posix()
        except ValueError:
            continue
    return None


def read_document(path: Path, *, root: Path | None = None) -> Document:
    """Read one plan document: its text (NFC, "\\n" newlines, front matter removed), metadata
    (front matter first, then what the text says) and the sha256 of the file's bytes.

    `meta.file` is the path relative to `root` (posix), or the file name. Raises DocumentError
    naming the file and the problem when it cannot be used."""
    path = Path(path)
    relative = _relative(path, root)
    name = relative or str(path)  # how errors name the file
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kind = suffix or "(no extension)"
        raise DocumentError(
            name, f"unsupported file type {kind!r}; use one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(name, f"cannot be read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise DocumentError(name, "is empty")
    if suffix in _TEXT_SUFFIXES:
        text = _decode_text(raw, name)
    elif suffix == ".docx":
        text = _docx_text(raw, name)
    else:
        text = _pdf_text(raw, name)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise DocumentError(name, "has no text")

    fields, body = split_front_matter(text, name)
    if not body.strip():
        raise DocumentError(name, "has front matter but no text after it")

    warnings: list[str] = []
    meta = DocumentMeta(file=relative or path.name)
    for key, value in fields.items():
        if key in _KNOWN_KEYS:
            setattr(meta, key, value)
        else:
            meta.extra[key] = value
    if meta.issued is not None:
        issued = normalize_issued(meta.issued)
        if issued is None:
            warnings.append(
                f"ngày ban hành {meta.issued!r} không theo dạng YYYY-MM-DD, YYYY hoặc DD/MM/YYYY; giữ nguyên như đã ghi"
            )
        else:
            meta.issued = issued

    gazetteer = Gazetteer.default()
    missing = [k for k in ("title", "province", "document", "issued", "signer") if getattr(meta, k) is None]
    if missing:
        detected = detect_metadata(body, gazetteer=gazetteer)
        for key in missing:
            if key in detected:
                setattr(meta, key, detected[key])
    if meta.province is not None and is_central(meta.province):
        meta.province = CENTRAL  # a ministry's or the Government's document: no province, no warning
    elif meta.province is not None:
        canonical = gazetteer.canonical(meta.province)
        if canonical is None:
            warnings.append(f"tỉnh {meta.province!r} không phải tên tỉnh, thành phố đã biết")
        else:
            meta.province = canonical
            meta.province_current = gazetteer.current(canonical)
    else:
        warnings.append("không tìm thấy tỉnh ban hành (thêm 'province:' vào phần đầu tệp)")
    if meta.document is None:
        warnings.append("không tìm thấy số hiệu văn bản (thêm 'document:' vào phần đầu tệp)")

    return Document(meta=meta, text=body, sha256=hashlib.sha256(raw).hexdigest(), warnings=warnings)


def _skipped(name: str) -> bool:
    # Hidden files and folders, and Word's "~$name.docx" lock files while a document is open.
    return name.startswith((".", "~$"))


def load_documents(root: Path) -> tuple[list[Document], list[DocumentError]]:
    """Every supported document under `root` (recursively, sorted by path), skipping hidden files
    and folders and folders named "trash"; other file types are ignored. A file that cannot be read
    is collected as a DocumentError, never raised."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"no plans folder at {root}")
    paths: list[Path] = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not _skipped(d) and d != "trash"]
        for filename in filenames:
            if not _skipped(filename) and Path(filename).suffix.lower() in SUPPORTED_SUFFIXES:
                paths.append(Path(folder) / filename)
    paths.sort(key=lambda p: p.relative_to(root).as_posix())
    documents: list[Document] = []
    errors: list[DocumentError] = []
    for path in paths:
        try:
            documents.append(read_document(path, root=root))
        except DocumentError as exc:
            errors.append(exc)
    return documents, errors
