"""The plans folder as admins change it: uploads waiting for confirmation, the trash, finding a
document by its number.

Layout inside the plans folder (`root`):

    root/.incoming/   uploads waiting for an admin's confirmation (hidden: the loader skips it)
    root/trash/       removed and replaced documents (the loader skips folders named "trash")

Nothing here ever deletes a confirmed document: removing moves it to `trash/`, replacing moves
the old version there first, and no move overwrites an existing file. Only unconfirmed uploads
in `.incoming/` are deleted (on cancel, or when abandoned). No path from a user is trusted: an
uploaded file's name is reduced to a slug and every path is checked to stay inside `root`.

Standard library only; documents are read with `knowledge.documents.read_document`.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from knowledge import numbers
from knowledge.build import document_clauses
from knowledge.documents import SUPPORTED_SUFFIXES, document_paths, read_document
from knowledge.limits import LIMITS, Limits
from knowledge.models import DocumentError, DocumentMeta, Target
from knowledge.readers import OCR_CACHE
from knowledge.targets import extract_targets
from knowledge.text import fold

INCOMING = ".incoming"
TRASH = "trash"
MAX_STEM = 60          # characters of a saved file's name before the suffix
DEFAULT_STEM = "van-ban"
# "name.20250102T030405.txt" / "name.20250102T030405-2.txt": a trashed copy's time tag.
_TRASH_TAG_RE = re.compile(r"\.\d{8}T\d{6}(?:-\d+)?$")


class LibraryError(Exception):
    """A file operation that cannot be done. `code` is a stable reason (one of LIBRARY_CODES)
    that the chat layer words in the admin's language, about the file `name`; the message is
    plain English for logs only."""

    def __init__(self, code: str, message: str, *, name: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.name = name


# Every LibraryError.code (handlers/replies.py words each; a test checks it).
LIBRARY_CODES = ("link", "outside", "bad_name", "exists", "unsupported_type", "not_pending",
                 "upload_gone", "already_trashed", "missing", "not_in_trash")


@dataclass
class Found:
    """A document file found by its number: where it is, what it says it is, its content hash."""

    path: Path
    meta: DocumentMeta
    sha256: str


@dataclass
class Preview:
    """What an uploaded document would add: its metadata, clause and target counts, first targets."""

    meta: DocumentMeta
    sha256: str
    clauses: int
    targets: int
    first_targets: list[tuple[Target, str]] = field(default_factory=list)   # (target, its clause)
    warnings: list[str] = field(default_factory=list)


# --- names and paths ------------------------------------------------------------------------------

def safe_filename(name: str) -> str:
    """A file name safe to create inside the plans folder, from whatever a user's file was called.

    Only the last path component counts ("../../etc/passwd.txt" → "passwd.txt", Windows "\\"
    separators too); the stem becomes a lower-case ASCII slug ("Kế hoạch 2025 (bản cuối)" →
    "ke-hoach-2025-ban-cuoi"), the suffix is lower-cased. The result never starts with "." or
    "~", so it is never hidden from the loader, and never contains a separator.
    """
    base = re.split(r"[\\/]", name or "")[-1].strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(stem)).strip("-")[:MAX_STEM].strip("-") or DEFAULT_STEM
    suffix = re.sub(r"[^a-z0-9]", "", suffix.lower())
    return f"{slug}.{suffix}" if suffix else slug


def suffix_allowed(name: str) -> bool:
    """True when the file name ends in a type the loader reads (.txt, .md, .docx, .pdf)."""
    return Path(safe_filename(name)).suffix in SUPPORTED_SUFFIXES


def _inside(root: Path, path: Path, *, link_ok: bool = False) -> Path:
    """`path` resolved, after checking it lies inside `root` (defence against any path trick) and,
    unless `link_ok`, is not itself a symbolic link (moving a link's target would move a file that
    is not the document the admin named)."""
    if not link_ok and path.is_symlink():
        raise LibraryError("link", f"{path.name} is a symbolic link, not a document; nothing was moved",
                           name=path.name)
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise LibraryError("outside", f"{path} is outside the plans folder", name=path.name)
    return resolved


def _plain_name(name: str) -> str:
    """`name` after checking it is a bare, visible file name of a supported type (it comes from
    `safe_filename` or from a file already in the folder, never straight from a user)."""
    if (not name or name != Path(name).name or "\\" in name or _hidden(name)
            or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES):
        raise LibraryError("bad_name", f"{name!r} is not a usable file name", name=name)
    return name


def _unique(folder: Path, name: str) -> Path:
    """`folder/name`, or `folder/name-2`, `-3`… when taken: an existing file is never overwritten."""
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def _move(src: Path, dst: Path) -> None:
    """Move without ever replacing a file that appeared at `dst` in the meantime."""
    # A hard link fails if dst exists, which os.rename would silently overwrite.
    try:
        os.link(src, dst)
    except FileExistsError:
        raise LibraryError("exists", f"{dst.name} already exists", name=dst.name) from None
    except OSError:
        if dst.exists():
            raise LibraryError("exists", f"{dst.name} already exists", name=dst.name) from None
        os.rename(src, dst)  # a filesystem without hard links
        return
    src.unlink()


# --- what the loader sees -----------------------------------------------------------------------

def _hidden(name: str) -> bool:
    # The same rule as the loader: hidden files and Word's "~$name.docx" lock files.
    return name.startswith((".", "~$"))


def live_files(root: Path) -> list[Path]:
    """The document files the index is built from (the loader's own selection: no links)."""
    return sorted(document_paths(root)[0])


def trash_files(root: Path) -> list[Path]:
    """Documents in the trash, most recently removed first."""
    folder = root / TRASH
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir()
             if not p.is_symlink() and p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES]
    return sorted(files, key=lambda p: (-p.stat().st_mtime, p.name))


# --- finding documents by number ------------------------------------------------------------------

_meta_cache: dict[Path, tuple[int, int, Found]] = {}
_meta_lock = threading.Lock()


def _read_found(path: Path, root: Path) -> Found | None:
    """A document's metadata, cached by modification time and size (admins look up often,
    documents change rarely); None when it cannot be read."""
    stat = path.stat()
    with _meta_lock:
        cached = _meta_cache.get(path)
    if cached is not None and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        return cached[2]
    try:
        doc = read_document(path, root=root)
    except DocumentError:
        return None
    found = Found(path=path, meta=doc.meta, sha256=doc.sha256)
    with _meta_lock:
        _meta_cache[path] = (stat.st_mtime_ns, stat.st_size, found)
    return found


def same_documents(root: Path, meta: DocumentMeta) -> list[Found]:
    """The live files that are versions of the document `meta` describes (same number, issuer
    and year): what an upload or a restore of it replaces. Another province's document with the
    same number is never among them."""
    if not meta.document:
        return []
    return [f for f in find_documents(root, meta.document) if numbers.same_document(meta, f.meta)]


def find_documents(root: Path, typed: str, *, in_trash: bool = False) -> list[Found]:
    """Documents in the plans folder (or its trash, newest first) that `typed` names, by the
    project's one rule (`knowledge.numbers.matches`: number, number + province, file name).
    Unreadable files are skipped."""
    if in_trash:
        paths, base = trash_files(root), root / TRASH
    else:
        paths, base = live_files(root), root
    out: list[Found] = []
    for path in paths:
        found = _read_found(path, base)
        if found is not None and numbers.matches(typed, found.meta):
            out.append(found)
    return out


# --- uploads ----------------------------------------------------------------------------------------

def stage_upload(root: Path, name: str, data: bytes) -> tuple[Path, str]:
    """Write an upload into `root/.incoming/` until it is confirmed; returns (the staged file,
    the safe name it will have in the plans folder)."""
    safe = safe_filename(name)
    if Path(safe).suffix not in SUPPORTED_SUFFIXES:
        raise LibraryError("unsupported_type", f"unsupported file type; use one of {', '.join(SUPPORTED_SUFFIXES)}",
                           name=name)
    folder = root / INCOMING
    folder.mkdir(parents=True, exist_ok=True)
    staged = _inside(root, folder / f"{secrets.token_hex(4)}-{safe}")
    with open(staged, "xb") as fh:
        fh.write(data)
    return staged, safe


def discard_upload(root: Path, staged: Path) -> None:
    """Delete an unconfirmed upload (only ever a file inside `.incoming/`; a link put in its
    place is removed itself, never what it points at)."""
    if staged.is_symlink() and staged.parent.resolve() == (root / INCOMING).resolve():
        staged.unlink()
        return
    path = _inside(root, staged)
    if path.parent != (root / INCOMING).resolve():
        raise LibraryError("not_pending", f"{staged.name} is not a pending upload", name=staged.name)
    path.unlink(missing_ok=True)


def purge_incoming(root: Path, *, older_than: float = 86400.0) -> int:
    """Delete uploads nobody confirmed or cancelled (e.g. across a restart); returns how many."""
    folder = root / INCOMING
    if not folder.is_dir():
        return 0
    cutoff = time.time() - older_than
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def preview_document(path: Path, *, first: int = 3, limits: Limits = LIMITS) -> Preview:
    """Read a document as the index would: metadata, clauses, targets (the first `first` of them
    with their clause). Raises DocumentError, naming the problem, when it cannot be used or is
    over `limits`. The bot runs it through `knowledge.worker` (a file nobody has checked yet)."""
    # A staged upload shares the plans folder's OCR cache: the build after "confirm" reuses it.
    folder = path.parent
    doc = read_document(path, ocr_cache=(folder.parent if folder.name == INCOMING else folder) / OCR_CACHE,
                        limits=limits)
    clauses = document_clauses(doc, limits)
    if not clauses:
        raise DocumentError(path.name, "has no text the bot can split into clauses", code="no_clauses")
    targets: list[tuple[Target, str]] = []
    for c in clauses:
        targets.extend((t, c.text) for t in extract_targets(c.text, lead=c.lead, years=c.years))
    return Preview(meta=doc.meta, sha256=doc.sha256, clauses=len(clauses), targets=len(targets),
                   first_targets=targets[:first], warnings=list(doc.warnings))


def identical_file(root: Path, sha256: str) -> Path | None:
    """A document in the plans folder with exactly these bytes, if any."""
    for path in live_files(root):
        if hashlib.sha256(path.read_bytes()).hexdigest() == sha256:
            return path
    return None


def planned_name(root: Path, name: str, *, replaces: list[Path] | tuple[Path, ...] = ()) -> str:
    """The name a confirmed upload will get: `name`, unless another document (one it does not
    replace) already has it, then `name-2`…"""
    name = _plain_name(name)
    taken = root / name
    if not taken.exists() or any(taken.resolve() == p.resolve() for p in replaces):
        return name
    return _unique(root, name).name


def commit_upload(root: Path, staged: Path, name: str, *, replaces: list[Path] | tuple[Path, ...] = ()) -> Path:
    """Move a confirmed upload into the plans folder as `name` (a name from `safe_filename`, or
    the name of the one document it replaces; `name-2`… if taken), first moving the documents it
    replaces to the trash; returns where it now is."""
    staged = _inside(root, staged)
    if not staged.exists():
        raise LibraryError("upload_gone", "the uploaded file is no longer waiting (cancelled or expired)",
                           name=name)
    for old in replaces:
        if old.exists():
            move_to_trash(root, old)
    target = _unique(root.resolve(), _plain_name(name))
    _move(staged, _inside(root, target))
    return target


# --- trash ----------------------------------------------------------------------------------------------

def move_to_trash(root: Path, path: Path) -> Path:
    """Move a document into `root/trash/` (never deleting it, never overwriting an older copy);
    returns its place in the trash."""
    path = _inside(root, path)
    trash = (root / TRASH).resolve()
    if path.is_relative_to(trash):
        raise LibraryError("already_trashed", f"{path.name} is already in the trash", name=path.name)
    if not path.is_file():
        raise LibraryError("missing", f"{path.name} does not exist", name=path.name)
    trash.mkdir(exist_ok=True)
    target = trash / path.name
    if target.exists():
        tag = datetime.now().strftime("%Y%m%dT%H%M%S")
        target = _unique(trash, f"{path.stem}.{tag}{path.suffix}")
    _move(path, target)
    # The trash's mtime order is "most recently removed first" for restoring.
    os.utime(target)
    return target


def original_name(trashed: Path) -> str:
    """The name a trashed file had before (its time tag removed)."""
    return _TRASH_TAG_RE.sub("", trashed.stem) + trashed.suffix


def restore(root: Path, trashed: Path, *, replaces: list[Path] | tuple[Path, ...] = ()) -> Path:
    """Move a document back from the trash into the plans folder (under its old name when
    free), first moving the documents it replaces to the trash; returns where it now is."""
    trashed = _inside(root, trashed)
    if not trashed.is_relative_to((root / TRASH).resolve()) or not trashed.is_file():
        raise LibraryError("not_in_trash", f"{trashed.name} is not in the trash", name=trashed.name)
    for old in replaces:
        if old.exists():
            move_to_trash(root, old)
    target = _unique(root.resolve(), original_name(trashed))
    _move(trashed, target)
    return target
