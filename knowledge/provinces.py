"""Vietnamese province names and the July 2025 merger (63 provinces → 34).

The names and the merger come from the `vietnamadminunits` library, imported by this module only
and only inside `province_records()`: importing it costs ~0.5 s (it loads shapely, geopy and its
JSON tables). Everything else works from plain `ProvinceRecord`s, so the index can store the
records in SQLite and a running bot can rebuild a `Gazetteer` without importing the library.

What the library data looks like (vietnamadminunits 1.0.4):

* short names carry diacritics: "Bắc Giang", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu";
* the legacy (63) table already calls the former Thừa Thiên Huế province "Huế" (it became a
  centrally-run city in January 2025), so "Thừa Thiên Huế" is not in the library at all;
* its only aliases are "hn" (Hà Nội), "hcm" (Hồ Chí Minh), "baria" and "vungtau".

`EXTRA_ALIASES` adds the few spellings the library lacks; they are stored in the records like the
library's own aliases.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from knowledge.text import fold, normalize

# Spellings the library does not know, by current short name. Kept short on purpose: each one is
# a name people really write for the whole province, not a district or a landmark.
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "Huế": ("Thừa Thiên Huế",),
    "Hồ Chí Minh": ("TPHCM", "Sài Gòn"),
    "Đắk Lắk": ("Đăk Lăk", "Đắc Lắc"),
    "Bắc Kạn": ("Bắc Cạn",),
}

# Words written before a province name; they are never part of the name itself.
_PREFIXES: tuple[tuple[str, ...], ...] = (("thanh", "pho"), ("thu", "do"), ("tinh",), ("tp",))

# Names that are also ordinary words or other proper names ("hòa bình" = peace, "thái bình" =
# peaceful, "bình định" = to pacify, "hải dương" = ocean, "cao bằng" = as high as, "huế"/"huệ").
# In text that has capital letters at all, these match only when capitalized or after a prefix;
# an all-lowercase question ("ke hoach cchc hoa binh") is taken at its word.
_COMMON_WORD_NAMES = frozenset({"hoa binh", "thai binh", "binh dinh", "hai duong", "cao bang", "hue"})

# "Hồ Chí Minh" is also the person, all over plans ("tư tưởng, đạo đức, phong cách Hồ Chí Minh",
# "Đoàn TNCS Hồ Chí Minh"). Right after one of these words it is the person, unless a prefix
# ("Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh") says otherwise; anywhere else it is the city.
_PERSON_NAMES = frozenset({"ho chi minh"})
_PERSON_CONTEXT = frozenset({
    "tư tưởng", "phong cách", "đạo đức", "chủ tịch", "gương", "tncs", "cộng sản", "lăng", "quốc gia",
    "di chúc", "giải thưởng", "huân chương", "đường", "mang tên", "bác", "bảo tàng",
})
# The same words typed without diacritics; used only when the text has none there either
# ("duong" alone could be "Dương" as well as "đường").
_PERSON_CONTEXT_FOLDED = frozenset(fold(w) for w in _PERSON_CONTEXT)

# Phrases that contain a province name but mean something else.
_NOT_PROVINCES = frozenset({"thai binh duong"})  # the Pacific Ocean

_MAX_NGRAM = 4

_Token = tuple[str, int, int]  # (text, start, end) of one word piece

# Word pieces of the original text; combining marks are included so text that is not NFC still
# splits into whole syllables.
_TOKEN_RE = re.compile(r"[\w\u0300-\u036f]+")
# What may stand between two syllables of one name: white space and hyphens only.
_NAME_GAP_RE = re.compile(r"[\s\-\u2010-\u2014]*")
# Between a prefix and the name: also the dot of "TP." / "Tp.".
_PREFIX_GAP_RE = re.compile(r"[\s.]*")


@dataclass(frozen=True)
class ProvinceRecord:
    """One province name: a legacy (before July 2025) or a current province.

    `aliases` holds other spellings separated by "|" ("Thừa Thiên Huế", "HCM"); a plain string so a
    record is a flat row of str/bool that stores in SQLite as it is.
    """

    name: str
    current: str
    legacy: bool
    aliases: str = ""

    def alias_list(self) -> list[str]:
        """The aliases as a list."""
        return [a for a in self.aliases.split("|") if a]


_FOLD_CACHE: dict[str, str] = {}
_FOLD_CACHE_MAX = 200_000


def _fold_cached(token: str) -> str:
    # Plans repeat the same few thousand syllables; folding each once keeps find() cheap on
    # whole documents. Bounded so a long-running bot cannot grow it without limit.
    folded = _FOLD_CACHE.get(token)
    if folded is None:
        if len(_FOLD_CACHE) >= _FOLD_CACHE_MAX:
            _FOLD_CACHE.clear()
        folded = _FOLD_CACHE[token] = fold(token)
    return folded


def _split_alias(key: str, name: str) -> str:
    """A library alias such as "vungtau" written as the name spells it ("Vũng Tàu"), when it is
    a run of the name's syllables; otherwise the alias unchanged ("hcm")."""
    tokens = _TOKEN_RE.findall(name)
    folded = [fold(t) for t in tokens]
    for i in range(len(tokens)):
        for j in range(i + 1, len(tokens) + 1):
            if "".join(folded[i:j]) == key:
                return " ".join(tokens[i:j])
    return key


def _aliases(raw: str | None, name: str) -> list[str]:
    return [_split_alias(a, name) for a in json.loads(raw)] if raw else []


@lru_cache(maxsize=1)
def _library_records() -> tuple[ProvinceRecord, ...]:
    from vietnamadminunits import convert_address
    from vietnamadminunits.database import query

    records: list[ProvinceRecord] = []
    current_rows = query("SELECT DISTINCT provinceShort, provinceAlias FROM admin_units")
    for row in current_rows:
        name = row["provinceShort"]
        aliases = _aliases(row["provinceAlias"], name) + list(EXTRA_ALIASES.get(name, ()))
        records.append(ProvinceRecord(name=name, current=name, legacy=False, aliases="|".join(aliases)))
    legacy_rows = query("SELECT DISTINCT province, provinceShort, provinceAlias FROM admin_units_legacy")
    for row in legacy_rows:
        name = row["provinceShort"]
        # The library's own converter decides where each old province went; the full name
        # ("Tỉnh Bắc Giang") parses without ambiguity.
        current = convert_address(row["province"]).short_province
        aliases = _aliases(row["provinceAlias"], name) + list(EXTRA_ALIASES.get(name, ()))
        records.append(ProvinceRecord(name=name, current=current, legacy=True, aliases="|".join(aliases)))
    return tuple(records)


# Records another process already read from the library (a build's workers get the parent's).
_GIVEN_RECORDS: tuple[ProvinceRecord, ...] = ()


def use_records(records: Iterable[ProvinceRecord]) -> None:
    """Make `province_records()` return these (read by another process from the library, as
    a build's parent does for its workers) instead of importing the library here."""
    global _GIVEN_RECORDS
    _GIVEN_RECORDS = tuple(records)


def province_records() -> list[ProvinceRecord]:
    """All province names from `vietnamadminunits`: the 34 current provinces (current = itself)
    and the 63 legacy ones (current = the province they were merged into). Cached."""
    return list(_GIVEN_RECORDS or _library_records())


def _folded_key(name: str) -> str:
    """ "Hòa Bình" → "hoa binh"; "Bà Rịa - Vũng Tàu" → "ba ria vung tau"."""
    return " ".join(fold(s) for s in _TOKEN_RE.findall(normalize(name)))


def after_prefix(before: Sequence[str]) -> bool:
    """Do the folded syllables before a name end with a word written before province names
    ("tỉnh", "thành phố", "TP")? The name then starts there, whatever word the two syllables
    would make ("tinh Thanh Hoa" is no "tỉnh thành")."""
    return any(len(before) >= len(p) and tuple(before[len(before) - len(p):]) == p for p in _PREFIXES)


def _strip_prefix(tokens: list[str]) -> list[str]:
    for prefix in _PREFIXES:
        if len(tokens) > len(prefix) and tuple(tokens[: len(prefix)]) == prefix:
            return tokens[len(prefix):]
    return tokens


_MEMO_MAX = 4096  # spellings Gazetteer.canonical() remembers


class Gazetteer:
    """Looks up province names in any spelling and finds them in free text.

    Built from `ProvinceRecord`s only (no library import): `Gazetteer(records)`, or
    `Gazetteer.default()` for the library's records.
    """

    def __init__(self, records: Iterable[ProvinceRecord]) -> None:
        self.records: list[ProvinceRecord] = list(records)
        self._current: dict[str, str] = {}
        self._old: dict[str, list[str]] = {}
        # folded key ("quang ngai", "quangngai", "hcm") → canonical name
        self._index: dict[str, str] = {}
        # folded key → accepted spellings with diacritics, one tuple of normalized syllables each
        self._forms: dict[str, set[tuple[str, ...]]] = {}
        ambiguous: set[str] = set()
        for rec in self.records:
            if not rec.legacy or rec.name not in self._current:
                self._current[rec.name] = rec.current
            if rec.legacy:
                self._old.setdefault(rec.current, [])
                if rec.name not in self._old[rec.current]:
                    self._old[rec.current].append(rec.name)
            for spelling in (rec.name, *rec.alias_list()):
                syllables = _TOKEN_RE.findall(normalize(spelling))
                folded = [fold(s) for s in syllables]
                keys = [" ".join(folded)]
                if len(folded) > 1:
                    keys.append("".join(folded))  # "hanoi", "danang", "kontum"
                for key in keys:
                    owner = self._index.setdefault(key, rec.name)
                    if owner != rec.name:
                        ambiguous.add(key)
                    if " " in key or len(folded) == 1:
                        self._forms.setdefault(key, set()).add(tuple(syllables))
        for key in ambiguous:
            # One spelling for two provinces cannot be resolved from the name alone.
            del self._index[key]
        self._first_words = {key.split(" ")[0] for key in self._index}
        # canonical name → its own folded key ("Hòa Bình" → "hoa binh")
        self._name_key = {rec.name: _folded_key(rec.name) for rec in self.records}
        self._memo: dict[str, str | None] = {}  # canonical(): spelling → name

    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer of `province_records()` (imports the library on first use). Cached."""
        return _default_gazetteer()

    # --- lookups ---------------------------------------------------------------------------

    def _key(self, name: str) -> str | None:
        tokens = _strip_prefix(_TOKEN_RE.findall(fold(name)))
        if not tokens:
            return None
        key = " ".join(tokens)
        if key in self._index:
            return key
        joined = "".join(tokens)
        if joined in self._index:
            return joined
        if len(tokens) == 1 and tokens[0].startswith("tp") and tokens[0][2:] in self._index:
            return tokens[0][2:]  # "TPHCM", "tphue"
        return None

    def canonical(self, name: str) -> str | None:
        """The province's name as the gazetteer spells it, from any spelling: "quang ngai",
        "TỈNH QUẢNG NGÃI", "TP. Hồ Chí Minh", "TP.HCM", "Thừa Thiên Huế" (→ "Huế"); None if unknown."""
        memo = self._memo
        if name in memo:
            return memo[name]
        key = self._key(name)
        found = self._index[key] if key else None
        # Asked again and again with the same few names (every document at each index open,
        # every question's places): remembered, within a bound (names can come from users).
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        memo[name] = found
        return found

    def current(self, name: str) -> str | None:
        """The current (after July 2025) province of an old or a current province name."""
        canon = self.canonical(name)
        return self._current.get(canon) if canon else None

    def old_names(self, current: str) -> list[str]:
        """The legacy provinces merged into `current` (including its own old self), any spelling."""
        canon = self.current(current)
        return list(self._old.get(canon, [])) if canon else []

    def names(self, *, legacy: bool | None = None) -> list[str]:
        """Distinct canonical names: all, only legacy (63) or only current (34) ones."""
        seen: dict[str, None] = {}
        for rec in self.records:
            if legacy is None or rec.legacy == legacy:
                seen.setdefault(rec.name, None)
        return list(seen)

    # --- free text -------------------------------------------------------------------------

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """Province names in free text: (canonical name, start, end) with offsets into `text`,
        in text order.

        Matches folded syllables on word boundaries (1–4 syllables); overlapping candidates are
        settled longest first, then one after a prefix, then a capitalized one, then the later
        one ("truc tuyen quang ngai" → Quảng Ngãi, not Tuyên Quang). Rules against false hits:

        * a span written with diacritics must agree with the name syllable by syllable (unaccented
          syllables are free): "diễn biến" is not Điện Biên, "đa năng" is not Đà Nẵng;
        * the only one-syllable names are "Huế" and aliases ("HCM"), so "Nam" alone never matches;
        * in text containing capitals, names that are also ordinary words (Hòa Bình, Thái Bình,
          Bình Định, Hải Dương, Cao Bằng, Huế) must be capitalized or follow a prefix
          (tỉnh / thành phố / TP);
        * "Hồ Chí Minh" right after "tư tưởng", "phong cách", "Chủ tịch", "TNCS"... is the person;
        * "Thái Bình Dương" (the Pacific) is neither Thái Bình nor Bình Dương.
        """
        tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
        folded = [_fold_cached(t[0]) for t in tokens]
        has_capitals = any(c.isupper() for c in text)
        candidates: list[tuple[tuple[int, bool, bool, int], int, int, str]] = []
        blocked: set[int] = set()
        for i in range(len(tokens)):
            for n, name, prefixed in self._matches_at(text, tokens, folded, i, has_capitals, blocked):
                capitalized = all(t[0][0].isupper() for t in tokens[i : i + n])
                candidates.append(((n, prefixed, capitalized, i), i, n, name))
        if not candidates:
            return []
        candidates.sort(reverse=True)
        taken: set[int] = set()
        found: list[tuple[str, int, int]] = []
        for _, i, n, name in candidates:
            span = range(i, i + n)
            if taken.intersection(span):
                continue
            taken.update(span)
            found.append((name, tokens[i][1], tokens[i + n - 1][2]))
        found.sort(key=lambda hit: hit[1])
        return found

    def _matches_at(
        self,
        text: str,
        tokens: list[_Token],
        folded: list[str],
        i: int,
        has_capitals: bool,
        blocked: set[int],
    ) -> list[tuple[int, str, bool]]:
        """Acceptable names starting at token i: (syllable count, canonical name, after a prefix)."""
        first = folded[i]
        glued = len(first) > 2 and first.startswith("tp") and first[2:] in self._index
        if i in blocked or (first not in self._first_words and not glued):
            return []
        longest = min(_MAX_NGRAM, len(tokens) - i)
        joined = 1  # how many tokens from i on are separated by spaces/hyphens only
        while joined < longest:
            gap = text[tokens[i + joined - 1][2] : tokens[i + joined][1]]
            if not _NAME_GAP_RE.fullmatch(gap):
                break
            joined += 1
        for n in range(2, joined + 1):
            if " ".join(folded[i : i + n]) in _NOT_PROVINCES:
                blocked.update(range(i, i + n))
                return []
        prefixed = self._prefixed(text, tokens, i)
        hits: list[tuple[int, str, bool]] = []
        for n in range(joined, 0, -1):
            key = " ".join(folded[i : i + n])
            if key in self._index:
                if self._accept(key, text, tokens, i, n, has_capitals, prefixed=prefixed):
                    hits.append((n, self._index[key], prefixed))
            elif n == 1 and glued:  # "TPHCM": prefix and name written as one word
                key = first[2:]
                if self._accept(key, text, tokens, i, 1, has_capitals, prefixed=True, glued=True):
                    hits.append((1, self._index[key], True))
        return hits

    def _prefixed(self, text: str, tokens: list[_Token], i: int) -> bool:
        for prefix in _PREFIXES:
            k = len(prefix)
            if i < k or tuple(_fold_cached(t[0]) for t in tokens[i - k : i]) != prefix:
                continue
            if _PREFIX_GAP_RE.fullmatch(text[tokens[i - 1][2] : tokens[i][1]]):
                return True
        return False

    def _accept(
        self,
        key: str,
        text: str,
        tokens: list[_Token],
        i: int,
        n: int,
        has_capitals: bool,
        *,
        prefixed: bool,
        glued: bool = False,
    ) -> bool:
        span = tokens[i : i + n]
        forms = self._forms.get(key)
        if forms and not glued:
            syllables = [normalize(t[0]) for t in span]
            if any(fold(s) != s for s in syllables) and not any(
                len(form) == n and all(fold(s) == s or s == f for s, f in zip(syllables, form, strict=True))
                for form in forms
            ):
                return False  # accented differently: another word ("diễn biến", "đa năng")
        own = self._name_key[self._index[key]]
        if key != own:
            return True  # an alias or the glued spelling ("HCM", "hoabinh") is unambiguous
        if own in _PERSON_NAMES:
            return prefixed or not self._after_person_word(text, tokens, i)
        if own not in _COMMON_WORD_NAMES or not has_capitals:
            return True
        # A capital inside the name ("hai Dương", "cao Bằng": typed in haste) marks it as the name
        # too; one on its first syllable alone may only open a sentence ("Hải dương rộng lớn").
        caps = [t[0][0].isupper() for t in span]
        return prefixed or all(caps) or any(caps[1:])

    def _after_person_word(self, text: str, tokens: list[_Token], i: int) -> bool:
        """True when token i comes right after (only spaces between) a word that makes "Hồ Chí
        Minh" the person: "phong cách Hồ Chí Minh", "Chủ tịch Hồ Chí Minh"."""
        for k in (1, 2):
            if i < k or not text[tokens[i - 1][2] : tokens[i][1]].isspace():
                continue
            words = tokens[i - k : i]
            if k == 2 and not text[words[0][2] : words[1][1]].isspace():
                continue
            phrase = normalize(" ".join(t[0] for t in words))
            if phrase in _PERSON_CONTEXT or (fold(phrase) == phrase and phrase in _PERSON_CONTEXT_FOLDED):
                return True
        return False


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    return Gazetteer(province_records())
