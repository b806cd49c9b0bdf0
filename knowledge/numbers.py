"""Document numbers ("số hiệu"): the one matcher the whole project uses, and document identity.

Every province issues its own "101/KH-UBND", so a number alone does not name a document: a
document is identified by its number, its issuer (the province as the document names it, or the
central body in the number's suffix, e.g. "QĐ-TTg") and its year together (`identity`).

What people type is compared by one rule (`matches`), used by /vanban (`KnowledgeBase`) and by
/xoa, /khoiphuc and uploads (`knowledge.library`) alike:
- "101" (digits only): any document numbered 101, whatever its type and suffix;
- "101/KH-UBND" (more than digits): the whole number must agree (case, accents, spaces and
  leading zeros ignored);
- words after the number ("101 Cần Thơ", "101/KH-UBND Sóc Trăng 2024") narrow it: each must appear
  in the document's province (old or current name), title or issue year ("tỉnh", "năm"… aside);
- a file name (as listed by /tinh or a report) names that file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from knowledge.models import DocumentMeta
from knowledge.text import fold, words

# Digits, then optionally "/" and the type-issuer suffix ("KH-UBND", "QĐ-TTg"), spaces allowed
# around the slash ("101 / KH-UBND").
_NUMBER_RE = re.compile(r"\s*0*(\d+)(?:\s*/\s*([^\s,;:()]+))?")
# Words people put around a place or a year after a number that name nothing by themselves
# ("101 tỉnh Lai Châu", "101 TP Cần Thơ năm 2025"); folded.
_FILLER = frozenset({"tinh", "thanh", "pho", "tp", "nam", "cua", "o"})


class Typed(NamedTuple):
    """A typed reference split into its parts (all folded: lower case, no accents)."""

    digits: str      # "101" ("" when the text does not start with a number)
    full: str        # "101/kh-ubnd", or just the digits when no suffix was typed
    rest: list[str]  # the words after the number ("can", "tho")


def number_digits(number: str | None) -> str:
    """The number part of a document number: "01256/QĐ-UBND" → "1256" ("" when none)."""
    return read(number or "").digits


def read(typed: str) -> Typed:
    """Split a typed reference (or a document's own number) into digits, full number, rest."""
    folded = fold(typed or "")
    m = _NUMBER_RE.match(folded)
    if not m:
        return Typed("", "", words(folded))
    digits = m.group(1)
    suffix = (m.group(2) or "").strip(".-/")
    full = f"{digits}/{suffix}" if suffix else digits
    return Typed(digits, full, words(folded[m.end():]))


def _describes(rest: list[str], meta: DocumentMeta) -> bool:
    """Every word of `rest` appears in the document's province, current province, title or year."""
    rest = [w for w in rest if w not in _FILLER]
    if not rest:
        return True
    known = set(words(fold(" ".join(filter(None, (meta.province, meta.province_current, meta.title,
                                                   str(meta.year or "")))))))
    return all(w in known for w in rest)


def matches(typed: str, meta: DocumentMeta) -> bool:
    """True when `typed` names this document (see the module docstring for the rule)."""
    typed = typed.strip()
    if not typed:
        return False
    if fold(typed) in (fold(meta.file), fold(Path(meta.file).name)):
        return True
    if not meta.document:
        return False
    want, have = read(typed), read(meta.document)
    if not want.digits or want.digits != have.digits:
        return False
    if want.full != want.digits and want.full != have.full:
        return False
    return _describes(want.rest, meta)


def issuer(meta: DocumentMeta) -> str:
    """Who issued a document, folded: the province as it names itself (a pre-merger province is
    its own issuer), else the current province, else the number's issuer suffix ("ttg" in
    "QĐ-TTg"), else ""."""
    place = meta.province or meta.province_current
    if place:
        return " ".join(words(fold(place)))
    suffix = read(meta.document or "").full.partition("/")[2]
    return suffix.rsplit("-", 1)[-1] if "-" in suffix else ""


class Identity(NamedTuple):
    """What makes two files the same document: number, issuer and year."""

    number: str
    issuer: str
    year: int | None


def identity(meta: DocumentMeta) -> Identity | None:
    """The document's identity; None for a document without a number."""
    if not meta.document:
        return None
    return Identity(read(meta.document).full, issuer(meta), meta.year)


def same_document(a: DocumentMeta, b: DocumentMeta) -> bool:
    """True when two files are versions of one document (same number, issuer and year)."""
    ia = identity(a)
    return ia is not None and ia == identity(b)


def label(meta: DocumentMeta) -> str:
    """A short name telling documents with one number apart: "101/KH-UBND · Cần Thơ · 2025"."""
    parts = [meta.document or meta.file, meta.province or meta.province_current or "", str(meta.year or "")]
    return " · ".join(p for p in parts if p)
