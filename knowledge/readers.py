"""Readers for the documents admins actually have, beyond plain text and .docx.

- PDF tables: pdfplumber finds ruled tables on a page with a text layer; each row becomes one line
  with its cells joined by " | " (the same shape as .docx tables, which the cleaning layer turns
  into one clause per row), text above, between and below the tables stays in page order.
- Scanned PDFs: pages rendered by pypdfium2 (a wheel with PDFium inside: no system library to
  install) and read by the Tesseract command line with its Vietnamese data. Tesseract is called
  directly through stdin/stdout rather than through pytesseract or ocrmypdf: that is all those
  wrappers would do here, and it keeps one dependency fewer. The OCR text is kept in a cache
  folder keyed by the file's sha256, so the same file is never read by OCR twice.
- Legacy Word .doc: antiword (Debian package), else LibreOffice headless when that is installed.

pdfplumber, pypdfium2 and Pillow are imported by this module only, and only when such a file is
read. Failures raise `DocumentError` with a reason code (`DocumentError.code`) that the chat layer
words in Vietnamese; the English `reason` says what to install for the command line.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from knowledge.models import DocumentError, Notice

log = logging.getLogger(__name__)

# Where the converters are looked up (a module attribute, so tests can hide an installed one).
_which = shutil.which

OCR_CACHE = ".ocr"
"""Hidden folder of the plans directory holding OCR text by content hash (the index skips it)."""

OCR_WARNING = Notice("đọc bằng OCR (bản quét), nên kiểm tra lại nội dung", "ocr")
"""Warning attached to a document whose text came from OCR (reload report, upload preview, index)."""

OCR_LANGUAGE = "vie"
OCR_DPI = 300  # Tesseract's accuracy drops sharply below ~300 dpi for body-size text
_OCR_PAGE_TIMEOUT = 300.0  # seconds for one page; a stuck process must not hang a reload
_CONVERT_TIMEOUT = 300.0

# Reason codes of DocumentError raised here (worded for chat users by handlers/replies.py).
NO_TEXT_LAYER = "pdf_no_text_layer"
OCR_FAILED = "ocr_failed"
DOC_NO_CONVERTER = "doc_no_converter"
DOC_UNREADABLE = "doc_unreadable"

_INSTALL_OCR = "apt-get install tesseract-ocr tesseract-ocr-vie"
_INSTALL_DOC = "apt-get install antiword (or LibreOffice)"


# --- PDF tables --------------------------------------------------------------------------------

def _row_line(row: Sequence[str | None]) -> str:
    # None is a cell spanned by its left/upper neighbour: written once, like merged .docx cells.
    cells = [" ".join(c.split()) for c in row if c is not None]
    return " | ".join(cells) if any(cells) else ""


def pdf_table_pages(raw: bytes, pages: Sequence[int] | None = None) -> dict[int, str]:
    """For each page (0-based; of `pages`, default all) of a text-layer PDF that holds a ruled
    table: the page's text with every table row as one " | " line, in reading order. Pages
    without tables are left out (their text is read as before). Raises whatever pdfplumber
    raises on a damaged file."""
    import pdfplumber

    found: dict[int, str] = {}
    if pages is not None and not pages:
        return found
    wanted = None if pages is None else [n + 1 for n in pages]  # pdfplumber counts from 1
    with pdfplumber.open(io.BytesIO(raw), pages=wanted) as pdf:
        for page in pdf.pages:
            number = page.page_number - 1
            tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
            if not tables:
                continue
            parts: list[str] = []
            top = page.bbox[1]
            for table in tables:
                parts.append(_region_text(page, top, table.bbox[1]))
                parts.extend(_row_line(row) for row in table.extract())
                top = table.bbox[3]
            parts.append(_region_text(page, top, page.bbox[3]))
            found[number] = "\n".join(p for p in parts if p.strip())
            page.close()  # pdfplumber caches parsed objects per page; long PDFs need them freed
    return found


def _region_text(page: Any, top: float, bottom: float) -> str:
    if bottom - top < 1:
        return ""
    x0, _, x1, _ = page.bbox
    return page.within_bbox((x0, top, x1, bottom)).extract_text() or ""


# --- OCR ---------------------------------------------------------------------------------------

def _cache_file(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"{sha256}.{OCR_LANGUAGE}.txt"


def cached_ocr(cache_dir: Path | None, sha256: str) -> str | None:
    """The OCR text kept for a file with this content hash, if any."""
    if cache_dir is None:
        return None
    try:
        return _cache_file(cache_dir, sha256).read_text(encoding="utf-8")
    except OSError:
        return None


def _store_ocr(cache_dir: Path | None, sha256: str, text: str) -> None:
    if cache_dir is None:
        return
    target = _cache_file(cache_dir, sha256)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # Written beside and renamed: a build killed midway never leaves half a text in the cache.
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".tmp-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, target)
    except OSError as exc:  # a read-only plans folder: the text is still used, just not kept
        log.warning("cannot keep OCR text in %s: %s", cache_dir, exc)


def tesseract_missing() -> str | None:
    """None when Tesseract with Vietnamese data can run; else what is missing, in plain words."""
    exe = _which("tesseract")
    if exe is None:
        return f"Tesseract is not installed ({_INSTALL_OCR})"
    try:
        listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60,
                                check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"Tesseract does not run ({exc})"
    langs = {line.strip() for line in (listed.stdout + listed.stderr).splitlines()}
    if OCR_LANGUAGE not in langs:
        return f"Tesseract has no Vietnamese data ({_INSTALL_OCR})"
    return None


def _tesseract_png(png: bytes) -> str:
    """One page image (PNG bytes) → its text, by the Tesseract command line."""
    exe = _which("tesseract") or "tesseract"
    done = subprocess.run([exe, "stdin", "stdout", "-l", OCR_LANGUAGE], input=png,
                          capture_output=True, timeout=_OCR_PAGE_TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace").strip()[-300:] or "tesseract failed")
    return done.stdout.decode("utf-8", "replace")


def _render_pages(raw: bytes) -> Iterator[bytes]:
    """Each page as a PNG, one at a time (a long scan is never held in memory all at once)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(raw)
    try:
        for page in pdf:
            bitmap = page.render(scale=OCR_DPI / 72, grayscale=True)
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, format="PNG")
            page.close()
            yield buffer.getvalue()
    finally:
        pdf.close()


OcrEngine = Callable[[bytes], str]
"""One page image (PNG) → text; replaceable in tests to count calls."""


def ocr_pdf(raw: bytes, name: str, sha256: str, *, cache_dir: Path | None,
            engine: OcrEngine | None = None) -> str:
    """The text of a PDF without a text layer, read by OCR — or from the cache when this file
    (same sha256) was read before. Raises DocumentError (code NO_TEXT_LAYER) when Tesseract with
    Vietnamese data is not installed, OCR_FAILED when it fails or finds no text."""
    cached = cached_ocr(cache_dir, sha256)
    if cached is not None:
        return cached
    if engine is None:
        missing = tesseract_missing()
        if missing is not None:
            raise DocumentError(
                name,
                "is a PDF without a text layer (probably a scanned image) and cannot be read by OCR: "
                f"{missing}; or supply the text as .txt/.docx",
                code=NO_TEXT_LAYER,
            )
        engine = _tesseract_png
    try:
        pages = [engine(png) for png in _render_pages(raw)]
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        raise DocumentError(name, f"could not be read by OCR ({exc})", code=OCR_FAILED) from None
    text = "\n".join(p.strip("\n\f ") for p in pages)
    if not text.strip():
        raise DocumentError(name, "is a PDF without a text layer (a scanned image) in which OCR found no text",
                            code=OCR_FAILED)
    _store_ocr(cache_dir, sha256, text)
    return text


# --- legacy Word .doc ---------------------------------------------------------------------------

_ANTIWORD_ROW_RE = re.compile(r"^\|(.*)\|\s*$")


def _antiword_rows(text: str) -> str:
    """antiword draws a table row as "|cell   |cell   |"; written as "cell | cell" like the
    table rows of .docx and PDF files."""
    lines = []
    for line in text.split("\n"):
        m = _ANTIWORD_ROW_RE.match(line)
        lines.append(" | ".join(c.strip() for c in m.group(1).split("|")) if m else line)
    return "\n".join(lines)


def _antiword(path: Path) -> str:
    exe = _which("antiword") or "antiword"
    # UTF-8 output map; -w 0: one line per paragraph (no wrapping at 80 columns).
    done = subprocess.run([exe, "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True,
                          timeout=_CONVERT_TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace").strip()[-300:] or "antiword failed")
    return _antiword_rows(done.stdout.decode("utf-8", "replace"))


def _soffice_docx(path: Path) -> bytes:
    """The .doc converted to .docx by LibreOffice headless (read then like any .docx, so table
    rows and merged cells survive; LibreOffice's plain-text export puts each cell on its own line)."""
    exe = _which("soffice") or _which("libreoffice") or "soffice"
    with tempfile.TemporaryDirectory(prefix="cchc-doc-") as out:
        # A private profile: a second LibreOffice (or a desktop one) must not block on the lock.
        profile = Path(out, "profile").as_uri()
        done = subprocess.run(
            [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
             "--outdir", out, str(path)],
            capture_output=True, timeout=_CONVERT_TIMEOUT, check=False,
        )
        produced = Path(out, path.stem + ".docx")
        if done.returncode != 0 or not produced.is_file():
            raise RuntimeError(done.stderr.decode("utf-8", "replace").strip()[-300:]
                               or "LibreOffice produced no file")
        return produced.read_bytes()


DocxReader = Callable[[bytes, str], str]
"""The .docx reader of knowledge.documents: bytes and a name for errors → text."""


def doc_converters(docx_reader: DocxReader) -> list[tuple[str, Callable[[Path], str]]]:
    """The installed .doc converters, preferred first: antiword takes milliseconds, LibreOffice
    seconds (it starts an office suite) but reads what antiword cannot (Word 6/95, fast-saved)."""
    found: list[tuple[str, Callable[[Path], str]]] = []
    if _which("antiword"):
        found.append(("antiword", _antiword))
    if _which("soffice") or _which("libreoffice"):
        found.append(("LibreOffice", lambda path: docx_reader(_soffice_docx(path), path.name)))
    return found


def doc_text(raw: bytes, name: str, docx_reader: DocxReader) -> str:
    """The text of a legacy Word .doc, by the first installed converter that reads it. Raises
    DocumentError: DOC_NO_CONVERTER when none is installed, DOC_UNREADABLE when none can read it."""
    if not raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # the OLE2 container of Word 97–2003
        raise DocumentError(name, "is not a Word 97–2003 .doc file (it may be renamed from another type)",
                            code=DOC_UNREADABLE)
    converters = doc_converters(docx_reader)
    if not converters:
        raise DocumentError(name, f"is a legacy Word .doc and no converter is installed ({_INSTALL_DOC}); "
                            "or save it as .docx", code=DOC_NO_CONVERTER)
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="cchc-doc-") as folder:
        # Converters read a path; the bytes already read are written to a private copy.
        path = Path(folder, "document.doc")
        path.write_bytes(raw)
        for label, convert in converters:
            try:
                text = convert(path)
            except (OSError, RuntimeError, subprocess.SubprocessError, DocumentError) as exc:
                failures.append(f"{label}: {exc}")
                continue
            if text.strip():
                return text
            failures.append(f"{label}: no text")
    raise DocumentError(name, "cannot be read as a Word .doc (" + "; ".join(failures) + "); save it as .docx",
                        code=DOC_UNREADABLE)
