"""Vietnamese text: one `normalize()` for documents and questions alike, accent folding,
abbreviations and pyvi word segmentation.

pyvi is imported by this module only. Its tokenizer model is a pickled sklearn-crfsuite CRF;
importing `pyvi` pulls in scikit-learn (~1.2 s, ~120 MB), so the CRFsuite model inside the pickle
is read and scored here (`Segmenter`: same model, same features, the same labels as
python-crfsuite's tagger gives, ~0.1 s to load).
"""

from __future__ import annotations

import importlib.util
import pickle
import re
import struct
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

# A UTF-16 surrogate on its own (JSON "\ud800" decodes to one): no character, cannot be encoded
# as UTF-8 or UTF-16, so it breaks whatever sends or stores the text. Pairs are already one
# character by the time text reaches Python, so any surrogate left is a lone one.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def replace_lone_surrogates(text: str) -> str:
    """`text` with every lone UTF-16 surrogate replaced by U+FFFD (the replacement character)."""
    return _SURROGATE_RE.sub("\ufffd", text)


_WORD_RE = re.compile(r"\w+(?:[.,]\d+)*%?", re.UNICODE)
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng

# "hoá/hóa", "thuỷ/thủy", "khoẻ/khỏe": two spellings of one syllable with no final consonant.
# Canonical form here: the mark on the first vowel; not after "q" ("quý" has its mark on y) nor
# "gu". Worked on NFC text through a table, as normalizing every clause twice more is the
# largest cost of building an index.
_TONE_SHIFT: dict[str, str] = {}
for _first, _second in (("o", "a"), ("o", "e"), ("u", "y")):
    for _mark in _TONE_MARKS:
        _TONE_SHIFT[unicodedata.normalize("NFC", _first + _second + _mark)] = unicodedata.normalize(
            "NFC", _first + _mark + _second)
_TONE_PLACEMENT_RE = re.compile(
    r"(?<![^\W\d_])([^\W\d_]*?)(" + "|".join(_TONE_SHIFT) + r")(?![^\W\d_])")
# The pair at the end of a word, which any match of the placement pattern ends with: one quick
# search that finds none (most text: plans put the mark on the first vowel already) spares the
# word-by-word pattern, the largest cost of normalize() on a build.
_TONE_PAIR_RE = re.compile(r"(?:" + "|".join(_TONE_SHIFT) + r")(?![^\W\d_])")
# Every precomposed Latin letter to its bare letter ("ộ" → "o", "Đ" → "d" after lower()).
_FOLD_TABLE: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
for _code in range(0x00C0, 0x1EFA):
    _base = unicodedata.normalize("NFD", chr(_code))
    if len(_base) > 1 and _base[0].isascii() and _base[0].isalpha() and all(
            unicodedata.combining(c) for c in _base[1:]):
        _FOLD_TABLE[_code] = _base[0]
# The same table as a list by code point, every character below the last letter mapped (to itself
# when it does not fold): `str.translate` raises and clears a KeyError for every character a dict
# lacks, so on Vietnamese text the list folds 2.1× as fast (README, "Index size and build"); a
# character past its end raises IndexError, a LookupError, which leaves it unchanged as before.
_FOLD_LIST: list[str] = [_FOLD_TABLE.get(_code, chr(_code)) for _code in range(max(_FOLD_TABLE) + 1)]


# A pair whose mark `_move_tone` would move: at a word's end, not after "q", a "u…" pair not
# after "g". Searching for it is several times faster than the substitution, which changes
# nothing on text already normalized (the dictionary words an index stores).
_TONE_TO_MOVE_RE = re.compile(
    "(?:(?<![qg])(?:" + "|".join(k for k in _TONE_SHIFT if k[0] == "u") + ")|(?<!q)(?:"
    + "|".join(k for k in _TONE_SHIFT if k[0] != "u") + "))(?![^\\W\\d_])")


def _move_tone(match: re.Match[str]) -> str:
    prefix, pair = match.group(1), match.group(2)
    if prefix.endswith("q") or prefix.endswith("g") and pair[0] == "u":
        return match.group(0)
    return prefix + _TONE_SHIFT[pair]


def normalize(text: str) -> str:
    """Canonical form used everywhere text is compared: NFC, full-width folded (NFKC),
    lower case, one tone-mark placement (hoá → hóa, thuỷ → thủy), white space collapsed."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.lower()
    if not text.isascii() and _TONE_PAIR_RE.search(text):
        text = _TONE_PLACEMENT_RE.sub(_move_tone, text)
    return " ".join(text.split())


def fold(text: str) -> str:
    """`normalize()` then strip every diacritic, đ → d: "Dịch vụ công" → "dich vu cong"."""
    text = normalize(text)
    if text.isascii():
        return text
    text = text.translate(_FOLD_LIST)
    if text.isascii():
        return text
    # Marks the table does not know (a stray combining character): the slow, general way.
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _fold_normalized(text: str) -> str:
    """`fold()` of text that is already `normalize()`d."""
    folded = text.translate(_FOLD_LIST)
    return folded if folded.isascii() else fold(text)


def normalize_many(texts: Sequence[str]) -> list[str]:
    """`[normalize(t) for t in texts]`, each step run once over the texts joined by line breaks
    (the index's ~25,000 dictionary words are normalized at every open; one call each was most
    of opening it). NFKC, lower case and the tone-mark pattern never reach across a line break,
    so the result is the same; texts holding a line break themselves are done one by one."""
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        return [normalize(t) for t in texts]
    if not unicodedata.is_normalized("NFKC", joined):
        joined = unicodedata.normalize("NFKC", joined)
    joined = joined.lower()
    if not joined.isascii() and _TONE_TO_MOVE_RE.search(joined):
        joined = _TONE_PLACEMENT_RE.sub(_move_tone, joined)
    if _UNCOLLAPSED_RE.search(joined) or joined[:1] == " " or joined[-1:] == " ":
        return [" ".join(line.split()) for line in joined.split("\n")]
    return joined.split("\n")  # white space already single spaces inside each text


# White space `normalize` would change: doubled, at a text's edge, or other than a plain space.
_UNCOLLAPSED_RE = re.compile(r"  | \n|\n |[^\S \n]")


def _fold_normalized_many(texts: Sequence[str]) -> list[str]:
    """`[_fold_normalized(t) for t in texts]` for normalized texts (no line breaks), in one pass."""
    folded = "\n".join(texts).translate(_FOLD_LIST)
    return folded.split("\n") if folded.isascii() and texts else [_fold_normalized(t) for t in texts]


# Anything `words()` would not simply split at spaces: punctuation, "%", other symbols.
_NOT_PLAIN_RE = re.compile(r"[^\w \n]")


def _word_tuples(texts: Sequence[str]) -> list[tuple[str, ...]]:
    """`[tuple(words(t)) for t in texts]`; texts of word characters and single spaces only (as
    dictionary words are) are split at the spaces, which gives the same syllables, faster."""
    if _NOT_PLAIN_RE.search("\n".join(texts)):
        return [tuple(words(t)) for t in texts]
    return list(map(tuple, map(str.split, texts)))


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese mark (the user typed with accents)."""
    return fold(text) != normalize(text)


def words(text: str) -> list[str]:
    """Syllables and numbers of already-normalized text ("80%", "89,13" stay whole)."""
    return _WORD_RE.findall(text)


# Abbreviations and index names, both ways: a clause that spells a phrase out also gets its
# short form as a search token, and a clause that uses the short form also gets the phrase's
# words, so "TTHC" finds "thủ tục hành chính" and the reverse. Keys are folded.
ALIASES: dict[str, tuple[str, ...]] = {
    "tthc": ("thủ tục hành chính",),
    "cchc": ("cải cách hành chính",),
    "dvc": ("dịch vụ công",),
    "dvctt": ("dịch vụ công trực tuyến",),
    "cbccvc": ("cán bộ, công chức, viên chức", "cán bộ công chức viên chức"),
    "cbcc": ("cán bộ, công chức", "cán bộ công chức"),
    "ccvc": ("công chức, viên chức", "công chức viên chức"),
    "ubnd": ("ủy ban nhân dân",),
    "hdnd": ("hội đồng nhân dân",),
    "qppl": ("quy phạm pháp luật",),
    "vbqppl": ("văn bản quy phạm pháp luật",),
    "csdl": ("cơ sở dữ liệu",),
    "ktxh": ("kinh tế - xã hội", "kinh tế xã hội"),
    "dvsnc": ("đơn vị sự nghiệp công",),
    "dvsncl": ("đơn vị sự nghiệp công lập",),
    "cntt": ("công nghệ thông tin",),
    "cds": ("chuyển đổi số",),
    "nsnn": ("ngân sách nhà nước",),
    "snv": ("sở nội vụ",),
    "vpubnd": ("văn phòng ủy ban nhân dân",),
    "par_index": ("chỉ số cải cách hành chính", "chỉ số cchc"),
    "sipas": ("chỉ số hài lòng", "sự hài lòng của người dân"),
    "papi": ("chỉ số hiệu quả quản trị và hành chính công", "hiệu quả quản trị và hành chính công",
             "hiệu quả quản trị hành chính công"),
    "pci": ("chỉ số năng lực cạnh tranh", "năng lực cạnh tranh cấp tỉnh"),
    "dti": ("chỉ số chuyển đổi số",),
    "pgi": ("chỉ số xanh",),
    "tp": ("thành phố",),
}
# Hyphenated or spaced short forms people type, joined to the alias key.
_JOINED = {"kt xh": "ktxh", "par index": "par_index"}
_JOINED_COMPACT = {k.replace(" ", ""): v for k, v in _JOINED.items()}
_JOINED_HEADS = tuple(dict.fromkeys(k.split(" ")[0] for k in _JOINED))
_JOINED_RE = re.compile(r"(?<!\w)(?:" + "|".join(k.replace(" ", "[ -]?") for k in _JOINED) + r")(?!\w)")


def alias_table(extra: Mapping[str, str] | None = None) -> dict[str, list[list[str]]]:
    """Alias key → folded phrases (as syllable lists), with a document set's own abbreviations."""
    table: dict[str, list[list[str]]] = {}
    for key, phrases in ALIASES.items():
        table[key] = [words(fold(p)) for p in phrases]
    for key, phrase in (extra or {}).items():
        table.setdefault(fold(key), []).append(words(fold(phrase)))
    return table


# The bracket alone is matched; the phrase is read backwards from it (a lazy look-behind over
# the whole text would backtrack at every character).
_DEFINED_ABBR_RE = re.compile(
    r"\(\s*(?:sau đây (?:gọi |viết )?tắt là|viết tắt là|gọi tắt là|viết tắt:)?\s*([A-ZĐ][A-ZĐa-z\-&]{1,11})\s*\)"
)


def defined_abbreviations(text: str) -> dict[str, str]:
    """Abbreviations a document defines: "thủ tục hành chính (sau đây viết tắt là TTHC)", or
    "Trung tâm Phục vụ hành chính công (TTPVHCC)" where the initials spell the short form.
    Only Vietnamese phrases count (an English banner's "(PCI)" is not a definition)."""
    found: dict[str, str] = {}
    text = unicodedata.normalize("NFC", text)
    for m in _DEFINED_ABBR_RE.finditer(text):
        before = text[max(0, m.start() - 120):m.start()]
        phrase_words = words(normalize(before.rsplit("(", 1)[-1].rsplit(")", 1)[-1]))
        letters = fold(m.group(1)).replace("-", "").replace("&", "")
        if not letters.isalpha() or len(letters) < 2:
            continue
        n = len(letters)
        tail = phrase_words[-n:]
        if len(tail) == n and "".join(fold(w)[0] for w in tail) == letters and has_diacritics(" ".join(tail)):
            found[letters] = " ".join(tail)
    return found


# --- pyvi word segmentation -------------------------------------------------------------------

class _Unpickled:
    """Stands in for sklearn-crfsuite classes while reading pyvi's pickle."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __setstate__(self, state: Any) -> None:
        self.__dict__.update(state if isinstance(state, dict) else {"state": state})


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module.startswith("sklearn_crfsuite"):
            return _Unpickled
        return super().find_class(module, name)


# Distinct syllables whose CRF features a segmenter keeps (a few thousand in a whole build).
_SYLLABLES_MAX = 100_000

# One attribute's state features as the tagger adds them to an item's two label scores:
# (label 0, label 1), 0.0 where it has none for a label (adding 0.0 changes no sum).
_Pair = tuple[float, float]
# A syllable's share of the scores: its own attributes summed (label 0, label 1), the weight
# pairs, in order, it gives the syllable after it ("-1:…") and the one before it ("+1:…"), and
# its lower case.
_Syllable = tuple[float, float, tuple[_Pair, ...], tuple[_Pair, ...], str]


_NO_SYLLABLES: frozenset[str] = frozenset()
_NO_PAIRS: dict[str, frozenset[str]] = {}


def _u32(data: bytes, offset: int) -> int:
    return int.from_bytes(data[offset:offset + 4], "little")


def _cqdb_strings(data: bytes, offset: int) -> list[bytes]:
    """The strings of a CRFsuite CQDB (its constant string table) at `offset`, by id."""
    if data[offset:offset + 4] != b"CQDB":
        raise ValueError("not a CRFsuite string table")
    count, backward = _u32(data, offset + 16), _u32(data, offset + 20)
    out = []
    for i in range(count):
        record = offset + _u32(data, offset + backward + 4 * i)  # id, size with the NUL, the bytes
        out.append(data[record + 8:record + 8 + _u32(data, record + 4) - 1])
    return out


def _read_crf(data: bytes) -> tuple[list[bytes], dict[bytes, tuple[_Pair, ...]], list[list[float]]]:
    """A CRFsuite model (the "lCRF" / "FOMC" file crfsuite's crf1d_model.c writes): its labels,
    each attribute's state features as weight pairs in the order the tagger adds them, and the
    transition weights [from][to] — read from the bytes, so every weight is exact."""
    if data[:4] != b"lCRF" or data[8:12] != b"FOMC":
        raise ValueError("not a CRFsuite first-order model")
    n_labels, n_attrs = _u32(data, 20), _u32(data, 24)
    off_features, off_labels, off_attrs, off_label_refs, off_attr_refs = (_u32(data, 28 + 4 * k) for k in range(5))
    labels, attrs = _cqdb_strings(data, off_labels), _cqdb_strings(data, off_attrs)
    start = off_features + 12  # after the chunk's id, size and count
    features = list(struct.iter_unpack("<IIId", data[start:start + 20 * _u32(data, off_features + 8)]))

    def refs(chunk: int, i: int) -> list[tuple[int, int, int, float]]:
        at = _u32(data, chunk + 12 + 4 * i)  # feature count, then the feature ids
        return [features[_u32(data, at + 4 + 4 * k)] for k in range(_u32(data, at))]

    transitions = [[0.0] * n_labels for _ in range(n_labels)]
    for i in range(n_labels):
        for _, _, dst, weight in refs(off_label_refs, i):
            transitions[i][dst] = weight
    weights: dict[bytes, tuple[_Pair, ...]] = {}
    for a in range(n_attrs):
        # Each label's features stay in their order; one of the other label shares the pair.
        pairs: list[list[float]] = []
        seen: list[list[bool]] = []
        for _, _, dst, weight in refs(off_attr_refs, a):
            if not pairs or seen[-1][dst]:
                pairs.append([0.0, 0.0])
                seen.append([False, False])
            pairs[-1][dst], seen[-1][dst] = weight, True
        weights[attrs[a]] = tuple((w0, w1) for w0, w1 in pairs)
    return labels, weights, transitions


class Segmenter:
    """pyvi's word segmenter ("thủ tục hành chính" → ["thủ_tục", "hành_chính"]) without scikit-learn.

    pyvi's model is a two-label CRF (B_W: a word starts, I_W: it goes on) over a few features of
    each syllable and its neighbours. It is scored here, not by python-crfsuite: building the
    tagger's attribute lists and its turning each attribute string into an id were most of a
    build's segmentation. The weights are read exactly from the model file and added in the
    tagger's order (crf1d_tag.c), and the best path is chosen as its Viterbi chooses it
    (crf1d_context.c, ties to the lower label), so the labels are the tagger's, bit for bit."""

    def __init__(self, model_dir: Path | None = None) -> None:
        if model_dir is None:
            spec = importlib.util.find_spec("pyvi")
            if spec is None or not spec.submodule_search_locations:
                raise RuntimeError("pyvi is not installed")
            model_dir = Path(next(iter(spec.submodule_search_locations))) / "models"
        with open(model_dir / "pyvi3.pkl", "rb") as fh:
            crf = _Unpickler(fh).load()
        labels, weights, transitions = _read_crf(crf.__dict__["modelfile"].__dict__["__FILE_RESOURCE_DATA__"])
        if labels != [b"B_W", b"I_W"]:
            raise RuntimeError(f"unexpected labels in pyvi's model: {labels}")
        self._weights = weights
        (self._t00, self._t01), (self._t10, self._t11) = transitions
        self._flags = tuple(self._total(name) for name in (
            b"-1:word.bi_gram()", b"-2:word.tri_gram()", b"+1:word.bi_gram()", b"+2:word.tri_gram()"))
        self._syllables: dict[str, _Syllable] = {}
        self._bi: set[str] = set()
        self._tri: set[str] = set()
        # The same words by syllable (first → second → third): the n-gram flags of a sentence
        # are then looked up, not a string made for every pair and triple of its syllables.
        self._bi_next: dict[str, set[str]] = {}
        self._tri_next: dict[str, dict[str, set[str]]] = {}
        for line in (model_dir / "words.txt").read_text(encoding="utf-8").split("\n"):
            parts = line.split(" ")
            if len(parts) == 2:
                self._bi.add(line)
                self._bi_next.setdefault(parts[0], set()).add(parts[1])
            elif len(parts) == 3:
                self._tri.add(line)
                self._tri_next.setdefault(parts[0], {}).setdefault(parts[1], set()).add(parts[2])

    def _total(self, name: bytes) -> _Pair | None:
        """One attribute's weights when it has a single pair (the n-gram flags), else None."""
        pairs = self._weights.get(name, ())
        if len(pairs) > 1:
            raise RuntimeError(f"attribute {name!r} has several features per label")
        return pairs[0] if pairs else None

    def _syllable(self, word: str) -> _Syllable:
        """A syllable's share of every score it takes part in (pyvi's word2features: its own
        attributes, and those it gives its neighbours), worked out once per distinct syllable
        (a build meets a few thousand). An attribute the model does not know is left out, as
        the tagger leaves it out; a false boolean attribute weighs 0.0 and is left out too."""
        got = self._syllables.get(word)
        if got is None:
            if len(self._syllables) >= _SYLLABLES_MAX:
                self._syllables.clear()
            low = word.lower()
            raw = low.encode()
            title, upper = word.istitle(), word.isupper()
            weights = self._weights
            own = [b"bias", b"word.lower():" + raw]
            own += [name for name, on in ((b"word.isupper()", upper), (b"word.istitle()", title),
                                          (b"word.isdigit()", word.isdigit())) if on]
            left = [b"-1:word.lower():" + raw]
            left += [name for name, on in ((b"-1:word.istitle()", title), (b"-1:word.isupper()", upper)) if on]
            right = [b"+1:word.lower():" + raw]
            right += [name for name, on in ((b"+1:word.istitle()", title), (b"+1:word.isupper()", upper)) if on]
            # The own attributes come first in every item: their sum from 0.0 is the tagger's.
            s0 = s1 = 0.0
            for name in own:
                for w0, w1 in weights.get(name, ()):
                    s0 += w0
                    s1 += w1
            got = self._syllables[word] = (
                s0, s1, tuple(chain.from_iterable(weights.get(n, ()) for n in left)),
                tuple(chain.from_iterable(weights.get(n, ()) for n in right)), low)
        return got

    def inside(self, sylls: list[str]) -> list[bool]:
        """For each syllable, whether pyvi's CRF labels it I_W (inside a word: it joins the one
        before). Each item's two scores are its own attributes', then the syllable before it
        gives ("-1:…", the bigram and trigram flags ending here), then the one after it ("+1:…",
        the flags starting here), added one weight at a time in that order, as the tagger adds
        them; then a Viterbi over the two labels."""
        n = len(sylls)
        if not n:
            return []
        known = self._syllables
        feats = [known.get(w) or self._syllable(w) for w in sylls]
        low = [f[4] for f in feats]
        bigrams, trigrams, none, no_pair = self._bi_next, self._tri_next, _NO_SYLLABLES, _NO_PAIRS
        bi = [b in bigrams.get(a, none) for a, b in zip(low, low[1:], strict=False)]
        tri = [c in trigrams.get(a, no_pair).get(b, none) for a, b, c in zip(low, low[1:], low[2:], strict=False)]
        bi_before, tri_before, bi_after, tri_after = self._flags
        t00, t01, t10, t11 = self._t00, self._t01, self._t10, self._t11
        back: list[tuple[int, int]] = []
        p0 = p1 = 0.0
        for i in range(n):
            s0, s1, _, _, _ = feats[i]
            if i:
                for w0, w1 in feats[i - 1][2]:
                    s0 += w0
                    s1 += w1
                if bi[i - 1] and bi_before:
                    s0 += bi_before[0]
                    s1 += bi_before[1]
                if i > 1 and tri[i - 2] and tri_before:
                    s0 += tri_before[0]
                    s1 += tri_before[1]
            if i < n - 1:
                for w0, w1 in feats[i + 1][3]:
                    s0 += w0
                    s1 += w1
                if bi[i] and bi_after:
                    s0 += bi_after[0]
                    s1 += bi_after[1]
                if i < n - 2 and tri[i] and tri_after:
                    s0 += tri_after[0]
                    s1 += tri_after[1]
            if not i:
                p0, p1 = s0, s1
                continue
            # Best way into each label: from label 0 unless label 1 scores strictly more.
            a, b = p0 + t00, p1 + t10
            m0, k0 = (b, 1) if a < b else (a, 0)
            a, b = p0 + t01, p1 + t11
            m1, k1 = (b, 1) if a < b else (a, 0)
            back.append((k0, k1))
            p0, p1 = m0 + s0, m1 + s1
        label = 1 if p0 < p1 else 0
        out = [label == 1] * n
        for i in range(n - 1, 0, -1):
            label = back[i - 1][label]
            out[i - 1] = label == 1
        return out

    def segment(self, text: str) -> list[str]:
        """Words of `text`, multi-syllable words joined by "_" (as pyvi's ViTokenizer.tokenize)."""
        sylls = words(unicodedata.normalize("NFC", text))
        if not sylls:
            return []
        inside = self.inside(sylls)
        out = [sylls[0]]
        for i in range(1, len(sylls)):
            joinable = (
                inside[i]
                and not sylls[i][0].isdigit()
                and not sylls[i - 1][0].isdigit()
                and not (sylls[i][0].istitle() and not sylls[i - 1][0].istitle())
            )
            if joinable:
                out[-1] = out[-1] + "_" + sylls[i]
            else:
                out.append(sylls[i])
        return out


@lru_cache(maxsize=1)
def segmenter() -> Segmenter:
    """The shared segmenter, loaded once."""
    return Segmenter()


# Text → the compounds pyvi found in it, across calls (a build asks document by document, and
# plans repeat their wording year after year). Bounded: cleared when it reaches this many texts.
_COMPOUND_CACHE: dict[str, tuple[str, ...]] = {}
_COMPOUND_CACHE_MAX = 200_000


def compounds(texts: Iterable[str]) -> set[str]:
    """Multi-syllable words pyvi finds in `texts`, normalized ("thủ tục", "hành chính")."""
    seg = segmenter()
    found: set[str] = set()
    cache = _COMPOUND_CACHE
    # Each distinct text is segmented once (in this call and the calls before it).
    for text in dict.fromkeys(texts):
        got = cache.get(text)
        if got is None:
            if len(cache) >= _COMPOUND_CACHE_MAX:
                cache.clear()
            got = cache[text] = tuple(w for w in seg.segment(text) if "_" in w)
        found.update(got)
    return {normalize(w.replace("_", " ")) for w in found}


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """pyvi's dictionary of Vietnamese multi-syllable words, normalized ("thời tiết", "dịch vụ")."""
    spec = importlib.util.find_spec("pyvi")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "models" / "words.txt"
    out: set[str] = set()
    for line in path.read_text(encoding="utf-8").split("\n"):
        sylls = words(normalize(line))
        if 2 <= len(sylls) <= 3 and all(s.isalpha() for s in sylls):
            out.add(" ".join(sylls))
    return frozenset(out | field_words())


@lru_cache(maxsize=1)
def field_words() -> frozenset[str]:
    """The field's own words pyvi's dictionary lacks (lang/compounds.txt), normalized ("một cửa")."""
    out: set[str] = set()
    for line in (Path(__file__).with_name("lang") / "compounds.txt").read_text(encoding="utf-8").splitlines():
        sylls = words(normalize(line.split("#")[0]))
        if len(sylls) >= 2:
            out.add(" ".join(sylls))
    return frozenset(out)


def province_token(name: str) -> str:
    """The search token standing for a province: "Cần Thơ" → "p_can_tho"."""
    return "p_" + "_".join(words(fold(name)))


def compound_forms(compound_words: Iterable[str]) -> dict[str, str]:
    """What `Analyzer` derives from the dictionary words, for an index to store: the words of
    several syllables normalized ("typed") and folded, one a line. Opening an index with them
    skips the normalizing and folding of every word (two thirds of an open at 96k clauses)."""
    listed = normalize_many([c for c in compound_words if " " in c])
    return {"typed": "\n".join(listed), "folded": "\n".join(_fold_normalized_many(listed))}


def _split_lines(joined: str) -> list[str]:
    return joined.split("\n") if joined else []


class Analyzer:
    """Turns any text (a clause or a question) into search units the same way for both: folded
    syllables grouped into words by greedy longest match over a dictionary (pyvi's, plus the
    compounds pyvi's segmenter found in the documents), so a question typed without diacritics
    segments like the documents do. Where the syllables were typed with diacritics the accented
    word must exist ("cũ đạt" is no word even though "cu dat" folds like one). Index text also
    gets alias tokens (see ALIASES).
    """

    def __init__(self, compound_words: Iterable[str] = (), abbreviations: Mapping[str, str] | None = None,
                 forms: Mapping[str, str] | None = None) -> None:
        """`forms`, when given, is `compound_forms(compound_words)` computed once at build time
        (an index stores it): opening the index then skips normalizing and folding every word."""
        self.aliases = alias_table(abbreviations)
        if forms is not None:
            listed, folded = _split_lines(forms["typed"]), _split_lines(forms["folded"])
        else:
            # Over every dictionary word: in batches (see normalize_many).
            listed = normalize_many([c for c in compound_words if " " in c])
            # Already normalized: folding is the table lookup alone.
            folded = _fold_normalized_many(listed)
        self.accented: set[tuple[str, ...]] = set(_word_tuples(listed))
        self.compounds: set[tuple[str, ...]] = set(_word_tuples(folded))
        # Every syllable the dictionary knows: a word outside it is a typo, not a rare word.
        self.known_syllables: frozenset[str] = frozenset(chain.from_iterable(self.compounds))
        self.compounds.update(tuple(k.split("_")) for k in self.aliases if "_" in k)
        self.max_len = max(map(len, self.compounds), default=1)
        # The longest word starting with each syllable: the longest match tries only the sizes
        # a word could have there (most syllables start none), not every size up to max_len.
        # (Shortest first, so the longest word of each first syllable is the one kept.)
        self._longest: dict[str, int] = {c[0]: len(c) for c in sorted(self.compounds, key=len) if len(c) > 1}
        # The same words as strings, syllables joined by a space (no syllable holds one): what the
        # longest match looks up, cheaper to make and hash than a tuple per tried range.
        self._word_keys: tuple[frozenset[str], frozenset[str]] = (
            frozenset(map(" ".join, self.compounds)), frozenset(map(" ".join, self.accented)))
        self._phrases = [(key, tuple(p)) for key, ps in self.aliases.items() for p in ps if p]
        # Each phrase as index_text() looks for it in a text's syllables: padded once, here.
        self._padded = [(key, phrase, f" {' '.join(phrase)} ") for key, phrase in self._phrases]

    @staticmethod
    def _joined(text: str) -> str:
        # No match without a short form's first syllable as a substring: a quick `in` spares the
        # pattern's look-behind at every character of nearly every text.
        if not any(head in text for head in _JOINED_HEADS):
            return text
        return _JOINED_RE.sub(lambda m: _JOINED_COMPACT[m.group(0).replace(" ", "").replace("-", "")], text)

    def syllables(self, text: str) -> list[str]:
        """Folded syllables; "KT-XH" / "PAR INDEX"-style short forms joined to their alias key."""
        return words(self._joined(fold(text)))

    def typed(self, text: str) -> list[str]:
        """The same syllables as `syllables()`, as typed (normalized, diacritics kept)."""
        return words(self._joined(normalize(text)))

    def spans(self, sylls: list[str], typed: list[str] | None = None) -> list[tuple[str, int, int]]:
        """Greedy longest-match words over folded syllables, with the syllable range of each:
        [("thu_tuc", 0, 2), ("hanh_chinh", 2, 4), ("80%", 4, 5)]. `typed`, aligned with `sylls`,
        holds the syllables as typed when they carry diacritics."""
        out: list[tuple[str, int, int]] = []
        i = 0
        n = len(sylls)
        if typed is not None and len(typed) != n:
            typed = None
        longest = self._longest
        # Words looked up as space-joined keys (the hot loop of a build: one pass per text
        # position): a range holding a syllable typed with marks must be an accented word, one
        # without must be a folded word; `marks[j] - marks[i]` counts the marked ones in i..j.
        folded_keys, accented_keys = self._word_keys
        marks = [0]
        if typed:
            count = 0
            for t, s in zip(typed, sylls, strict=True):
                count += t != s
                marks.append(count)
        while i < n:
            top = longest.get(sylls[i])
            if top is not None:
                j = min(i + top, n)
                while j > i + 1:
                    if typed and marks[j] != marks[i]:
                        if " ".join(typed[i:j]) in accented_keys:
                            break
                    elif " ".join(sylls[i:j]) in folded_keys:
                        break
                    j -= 1
                else:
                    out.append((sylls[i], i, i + 1))
                    i += 1
                    continue
                out.append(("_".join(sylls[i:j]), i, j))
                i = j
            else:
                out.append((sylls[i], i, i + 1))
                i += 1
        return out

    def segment(self, sylls: list[str], typed: list[str] | None = None) -> list[str]:
        """Greedy longest-match words over folded syllables: ["thu_tuc", "hanh_chinh", "80%"]."""
        return [u for u, _, _ in self.spans(sylls, typed)]

    def units(self, text: str) -> list[str]:
        """A question's search units: words (joined by "_") and single syllables, in order."""
        return self.segment(self.syllables(text), self.typed(text))

    @staticmethod
    def _with_parts(units: list[str]) -> list[str]:
        # A syllable inside a word is kept as "_syllable": "cách" alone is not the "cách" of
        # "cải cách", yet it should still be found there, for less.
        return units + [f"_{p}" for u in units if "_" in u for p in u.split("_")]

    def index_text(self, text: str) -> str:
        """What goes into an FTS column: the words (compounds joined by "_", single syllables
        as they are), the syllables inside compounds as "_syllable", and alias tokens both ways."""
        # syllables() and typed() in one: the text is normalized once, then folded.
        normalized = normalize(text)
        folded = normalized.translate(_FOLD_LIST)
        if folded.isascii() and not any(head in folded for head in _JOINED_HEADS):
            # Most texts: folding maps letters to letters one for one, so the folded syllables are
            # the typed ones folded (one split of the text, not two); no short form to join.
            typed = words(normalized)
            sylls = " ".join(typed).translate(_FOLD_LIST).split(" ") if typed else []
        else:
            sylls = words(self._joined(_fold_normalized(normalized)))
            typed = words(self._joined(normalized))
        units = self.segment(sylls, typed)
        tokens = self._with_parts(units)
        present = set(sylls) | set(units)
        joined = f" {' '.join(sylls)} "
        for key, phrase, padded in self._padded:
            if key in present:
                tokens.extend(self._with_parts(self.segment(list(phrase))))  # short form: add the words
            elif padded in joined:
                tokens.append(key)  # spelled out: add the short form
        return " ".join(tokens)
