"""Plan documents on disk → `Document`s: text, front matter, detected metadata.

Reads UTF-8 `.txt`/`.md` (BOM or not), UTF-16 text with a BOM, Word `.docx` (python-docx) and
`.pdf` with a text layer (pypdf). python-docx and pypdf are imported by this module only, and only
when such a file is read. PDF tables, scanned PDFs (OCR) and legacy Word `.doc` go through
`knowledge.readers`.

A file that cannot be used raises `DocumentError` with the reason in plain words, so whoever drops
a file into the plans folder can fix it: binary or non-UTF-8 text, an empty file, front matter
that is not closed, a corrupt .docx/.pdf, a scanned PDF when Tesseract is not installed, a .doc
without a converter.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import stat
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge import readers
from knowledge.limits import LIMITS, Limits, refuse_over
from knowledge.metadata import CENTRAL, detect_metadata, is_central
from knowledge.models import Document, DocumentError, DocumentMeta, Notice
from knowledge.provinces import Gazetteer

if TYPE_CHECKING:
    from docx.table import Table

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx", ".doc", ".pdf")

log = logging.getLogger(__name__)

# Reason codes (DocumentError.code) of the readers here; handlers/replies.py words them for admins.
BINARY = "binary"
BAD_UTF16 = "bad_utf16"
NOT_UTF8 = "not_utf8"
DOCX_CORRUPT = "docx_corrupt"
PDF_CORRUPT = "pdf_corrupt"
PDF_PASSWORD = "pdf_password"
FRONT_MATTER_UNCLOSED = "front_matter_unclosed"   # figures: line
FRONT_MATTER_LINE = "front_matter_line"           # figures: line
UNSUPPORTED_TYPE = "unsupported_type"
UNREADABLE = "unreadable"
EMPTY = "empty"
NO_TEXT = "no_text"
FRONT_MATTER_ONLY = "front_matter_only"

_TEXT_SUFFIXES = (".txt", ".md")
_KNOWN_KEYS = ("title", "province", "document", "issued", "source_url", "signer")
# The value is taken whole and stripped in Python: "(.*?)[ \t]*$" backtracks quadratically on a
# long run of spaces (100k spaces: 27 s).
_FRONT_KEY_RE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(.*)")
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
                name, f"starts with a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})",
                code=BAD_UTF16,
            ) from None
    if b"\x00" in raw:
        raise DocumentError(
            name, "is a binary file, not text (it contains NUL bytes; UTF-16 text needs a byte-order mark)",
            code=BINARY,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        raise DocumentError(
            name,
            f"is not UTF-8 text (byte 0x{bad} at position {exc.start} is not valid UTF-8; it may be "
            "in a legacy encoding such as Windows-1258 or TCVN3): save it as UTF-8",
            code=NOT_UTF8,
        ) from None
    if text and len(_CONTROL_RE.findall(text)) > max(2, len(text) // 100):
        raise DocumentError(name, "is a binary file, not text (it is full of control characters)", code=BINARY)
    return text


_CHUNK = 1 << 20


def _check_unpacked(raw: bytes, name: str, limit: int) -> None:
    """Refuse a .docx (a zip) that unpacks to more than `limit` bytes, before python-docx parses it:
    first by the sizes its members declare, then by counting what they really unpack to (a
    declared size may lie), one chunk at a time so a zip bomb never sits in memory."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
            refuse_over(name, "too_big_unpacked", sum(m.file_size for m in members), limit, "bytes unpacked")
            total = 0
            for member in members:
                with archive.open(member) as fh:
                    while chunk := fh.read(_CHUNK):
                        total += len(chunk)
                        refuse_over(name, "too_big_unpacked", total, limit, "bytes unpacked")
    except DocumentError:
        raise
    except Exception as exc:  # zipfile raises BadZipFile, zlib errors, EOFError, NotImplementedError
        raise DocumentError(
            name, f"cannot be opened as a Word .docx file; it is corrupt or not really a .docx ({exc})",
            code=DOCX_CORRUPT,
        ) from None


def _docx_text(raw: bytes, name: str, limits: Limits = LIMITS) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_unpacked(raw, name, limits.max_unpacked_bytes)
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
            name, f"cannot be opened as a Word .docx file; it is corrupt or not really a .docx ({exc})",
            code=DOCX_CORRUPT,
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


# A rectangle ("x y w h re") or a line segment ("x y l") in a page's content stream: the drawing a
# ruled table is made of. Pages without any are not searched for tables (pdfplumber costs about
# five times pypdf's reading); text strings rarely contain these shapes, and a false hit only costs time.
_DRAWING_RE = re.compile(rb"(?:^|\s)(?:-?[\d.]+\s+){4}re(?=\s|$)|(?:^|\s)(?:-?[\d.]+\s+){2}l(?=\s|$)")


def _may_hold_table(page: Any) -> bool:
    """Whether a pypdf page draws lines or boxes (or has form objects that may), so may hold a
    ruled table."""
    try:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        if any(xobjects[k].get("/Subtype") == "/Form" for k in xobjects):
            return True
        contents = page.get_contents()
        return contents is not None and _DRAWING_RE.search(contents.get_data()) is not None
    except Exception:  # an odd page structure: let pdfplumber look
        return True


def _pdf_text(raw: bytes, name: str, sha256: str, ocr_cache: Path | None) -> tuple[str, bool]:
    """The text of a PDF and whether it came from OCR. A text layer is read by pypdf, except that
    pages holding ruled tables are read by pdfplumber so each table row stays one " | " line; a
    PDF without a text layer is read by OCR when Tesseract is installed (knowledge.readers)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(name, "is a password-protected PDF; save an unprotected copy",
                                code=PDF_PASSWORD)
        pages = [page.extract_text() or "" for page in reader.pages]
        ruled = [i for i, page in enumerate(reader.pages) if _may_hold_table(page)]
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise DocumentError(
            name, f"cannot be read as a PDF; the file is corrupt or not a PDF ({exc})", code=PDF_CORRUPT
        ) from None
    if not any(p.strip() for p in pages):
        return readers.ocr_pdf(raw, name, sha256, cache_dir=ocr_cache), True
    try:
        for number, text in readers.pdf_table_pages(raw, ruled).items():
            pages[number] = text
    except Exception as exc:  # pypdf read it: keep its text rather than lose the document
        log.warning("%s: tables not read (%s); text kept without table rows", name, exc)
    return "\n".join(pages), False


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
            name, f"front matter opened with '---' on line {opening + 1} is never closed by a '---' line",
            code=FRONT_MATTER_UNCLOSED, figures={"line": opening + 1},
        )
    fields: dict[str, str] = {}
    for j in range(opening + 1, closing):
        line = lines[j]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _FRONT_KEY_RE.match(line)
        if not m:
            raise DocumentError(
                name, f"front matter line {j + 1} is not 'key: value': {line.strip()[:80]!r}",
                code=FRONT_MATTER_LINE, figures={"line": j + 1},
            )
        value = _unquote(m.group(2).strip()).strip()  # strip() also drops the spaces around ':'
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
    # As given first (root itself may be reached through a link), then both resolved.
    for candidate, base in ((path, root), (path.resolve(), root.resolve())):
        try:
            return candidate.relative_to(base).as_posix()
        except ValueError:
            continue
    return None


def not_a_document_file(path: Path, root: Path | None) -> Notice | None:
    """Why `path` may not be read as a document, or None when it may: it must be a regular file
    (not a symbolic link, however harmless its target, nor a device or a pipe) whose real path is
    inside `root`. A link would publish whatever it points at — /etc/passwd, another folder — to
    every citizen, and trash/restore would move the link, not the document."""
    try:
        info = path.lstat()
    except OSError as exc:
        return Notice(f"không đọc được ({exc.strerror or exc})", "unreadable", errno=str(exc.errno or 0))
    if stat.S_ISLNK(info.st_mode):
        return Notice("là liên kết (symlink), bỏ qua: chỉ tệp thật trong thư mục kế hoạch mới là văn bản", "link")
    if not stat.S_ISREG(info.st_mode):
        return Notice("không phải tệp thường, bỏ qua", "not_regular")
    if root is not None and not path.resolve().is_relative_to(Path(root).resolve()):
        return Notice("nằm ngoài thư mục kế hoạch (qua một thư mục liên kết), bỏ qua", "outside")
    return None


# The checks a document goes through, in order, each with its own error; splitting it would scatter them.
def read_document(path: Path, *, root: Path | None = None, ocr_cache: Path | None = None,  # noqa: C901
                  limits: Limits = LIMITS) -> Document:
    """Read one plan document: its text (NFC, "\\n" newlines, front matter removed), metadata
    (front matter first, then what the text says) and the sha256 of the file's bytes.

    `meta.file` is the path relative to `root` (posix), or the file name. A scanned PDF's OCR
    text is kept in `ocr_cache` (default: the hidden `.ocr` folder of `root`, else of the file's
    folder). Raises DocumentError naming the file and the problem when it cannot be used: among
    others a symbolic link or a file outside `root` (code "link"), or a document over one of
    `limits`."""
    path = Path(path)
    relative = _relative(path, root)
    name = relative or str(path)  # how errors name the file
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kind = suffix or "(no extension)"
        raise DocumentError(
            name, f"unsupported file type {kind!r}; use one of {', '.join(SUPPORTED_SUFFIXES)}",
            code=UNSUPPORTED_TYPE,
        )
    problem = not_a_document_file(path, root)
    if problem is not None:
        if problem.code == "unreadable":  # missing or forbidden: not a link, say so
            raise DocumentError(name, problem, code=UNREADABLE,
                                figures={"errno": int(problem.figures.get("errno") or 0)})
        raise DocumentError(name, problem, code="link")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(name, f"cannot be read ({exc.strerror or exc})", code=UNREADABLE,
                            figures={"errno": exc.errno or 0}) from None
    if not raw.strip():
        raise DocumentError(name, "is empty", code=EMPTY)
    sha256 = hashlib.sha256(raw).hexdigest()
    by_ocr = False
    if suffix in _TEXT_SUFFIXES:
        text = _decode_text(raw, name)
    elif suffix == ".docx":
        text = _docx_text(raw, name, limits)
    elif suffix == ".doc":
        text = readers.doc_text(raw, name, lambda data, label: _docx_text(data, label, limits))
    else:
        if ocr_cache is None:
            ocr_cache = (root if root is not None else path.parent) / readers.OCR_CACHE
        text, by_ocr = _pdf_text(raw, name, sha256, ocr_cache)
    refuse_over(name, "too_long", len(text), limits.max_chars, "characters")
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise DocumentError(name, "has no text", code=NO_TEXT)

    fields, body = split_front_matter(text, name)
    if not body.strip():
        raise DocumentError(name, "has front matter but no text after it", code=FRONT_MATTER_ONLY)

    warnings: list[str] = [readers.OCR_WARNING] if by_ocr else []
    meta = DocumentMeta(file=relative or path.name)
    for key, value in fields.items():
        if key in _KNOWN_KEYS:
            setattr(meta, key, value)
        else:
            meta.extra[key] = value
    if meta.issued is not None:
        issued = normalize_issued(meta.issued)
        if issued is None:
            warnings.append(Notice(f"ngày ban hành {meta.issued!r} không theo dạng YYYY-MM-DD, YYYY hoặc "
                                   "DD/MM/YYYY; giữ nguyên như đã ghi", "issued_format", value=meta.issued))
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
            warnings.append(Notice(f"tỉnh {meta.province!r} không phải tên tỉnh, thành phố đã biết",
                                   "unknown_province", value=meta.province))
        else:
            meta.province = canonical
            meta.province_current = gazetteer.current(canonical)
    else:
        warnings.append(Notice("không tìm thấy tỉnh ban hành (thêm 'province:' vào phần đầu tệp)", "no_province"))
    if meta.document is None:
        warnings.append(Notice("không tìm thấy số hiệu văn bản (thêm 'document:' vào phần đầu tệp)", "no_number"))

    return Document(meta=meta, text=body, sha256=sha256, warnings=warnings)


def _skipped(name: str) -> bool:
    # Hidden files and folders, and Word's "~$name.docx" lock files while a document is open.
    return name.startswith((".", "~$"))


def document_paths(root: Path) -> tuple[list[Path], list[str]]:
    """The document files under `root` (recursively, sorted by path) and a warning naming each
    entry left out because it is a symbolic link (to a file or a folder) or not a regular file.

    Hidden files and folders, Word's "~$" lock files, folders named "trash" and other file types
    are not documents and are left out silently. The one selection the loader, the content hash
    and the admin tools share."""
    root = Path(root)
    paths: list[Path] = []
    skipped: list[str] = []
    for folder, dirnames, filenames in os.walk(root):  # never follows a linked folder
        base = Path(folder)
        kept: list[str] = []
        for d in sorted(dirnames):
            if _skipped(d) or d == "trash":
                continue
            if (base / d).is_symlink():
                rel = (base / d).relative_to(root).as_posix()
                # Admins read these warnings (reload report, `bot.py index`): in Vietnamese.
                skipped.append(Notice("là liên kết (symlink) tới một thư mục, bỏ qua: chỉ tệp thật trong "
                                      "thư mục kế hoạch mới là văn bản", "link_folder").about(f"{rel}/"))
                continue
            kept.append(d)
        dirnames[:] = kept
        for filename in filenames:
            if _skipped(filename) or Path(filename).suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            path = base / filename
            problem = not_a_document_file(path, root)
            if problem is not None:
                skipped.append(problem.about(path.relative_to(root).as_posix()))
            else:
                paths.append(path)
    paths.sort(key=lambda p: p.relative_to(root).as_posix())
    return paths, sorted(skipped)


def load_documents(root: Path, *, limits: Limits = LIMITS, skipped: list[str] | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   ) -> tuple[list[Document], list[DocumentError]]:
    """Every document under `root` (the selection of `document_paths`, sorted by path). A file
    that cannot be read is collected as a DocumentError, never raised; entries left out because
    they are links are added to `skipped`, when given, as warnings naming them. `progress(done,
    total)` is told before each file is read, and at the end."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"no plans folder at {root}")
    paths, left_out = document_paths(root)
    if skipped is not None:
        skipped.extend(left_out)
    documents: list[Document] = []
    errors: list[DocumentError] = []
    for done, path in enumerate(paths):
        if progress is not None:
            progress(done, len(paths))
        try:
            documents.append(read_document(path, root=root, limits=limits))
        except DocumentError as exc:
            errors.append(exc)
    if progress is not None:
        progress(len(paths), len(paths))
    return documents, errors
