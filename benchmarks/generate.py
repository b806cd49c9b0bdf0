"""Scale the shipped plans into a large, realistic knowledge base for benchmarks.

    python benchmarks/generate.py --out benchmarks/out/kb --provinces 34 --years 6 [--copies 2] [--seed 1]

Every shipped plan (knowledge/plans) is rewritten once per province × year × copy: the plan's own
province becomes the target province (real names from `knowledge.provinces.province_records()`,
"tỉnh"/"thành phố" adjusted, upper-case headings too), every year is shifted to the target year
(so "giai đoạn 2021-2025", dates and deadlines stay consistent), percentages are varied
(copies differ in their figures), and the plan's document number becomes a number unique in the
whole knowledge base. The rest of the text is the real clause text, so clause splitting, targets,
segmentation and search work on what real plans look like.

Output: DIR/<province-slug>/<year>/<template>-<copy>.txt with front matter (title, province,
document, issued, source_url, generated_from), the folder `python bot.py index --knowledge DIR`
takes. DIR is created; a DIR written by an earlier run (marked by a hidden `.benchmark-kb` file)
is replaced; any other non-empty DIR is refused.

The default 34 provinces × 6 years × 2 copies of the 15 shipped plans is 6,120 documents and
about 98,000 clauses (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from knowledge.documents import SUPPORTED_SUFFIXES, split_front_matter  # noqa: E402
from knowledge.provinces import province_records  # noqa: E402
from knowledge.text import fold  # noqa: E402

TEMPLATES = ROOT / "knowledge" / "plans"
MARKER = ".benchmark-kb"
DEFAULT_COPIES = 2
DEFAULT_LAST_YEAR = 2026
# Centrally-run cities after the July 2025 merger: "thành phố X", not "tỉnh X".
CITIES = frozenset({"Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"})

_YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20[0-4]\d)(?![\d%])(?!\s*/\s*[A-ZĐ])")
_PERCENT = re.compile(r"(?<![\d.,])(\d{1,3})(?:([.,])(\d{1,2}))?(\s?%)")
_DOC_NUMBER = re.compile(r"^\s*0*(\d+)\s*/\s*(\S+)")
_ISSUED = re.compile(r"^(\d{4})(?:-(\d\d)-(\d\d))?$")
# Old and new tone placement ("Hoá"/"Hóa"): templates and names may use either.
_TONE_PAIRS = [(unicodedata.normalize("NFC", f"{a}{b}{t}"), unicodedata.normalize("NFC", f"{a}{t}{b}"))
               for a, b in ("oa", "oe", "uy") for t in "\u0300\u0301\u0303\u0309\u0323"]
_PREFIX_WORDS = ("tỉnh", "thành phố")
# References to a province's own documents ("Quyết định số 5158/QĐ-UBND", "Nghị quyết 05/NQ-TU"):
# every province numbers its own, so they are renumbered; national ones (NQ-CP, QĐ-TTg, BNV) stay.
_REF = re.compile(r"(?<![\d/])(\d{1,5})(\s*/\s*(?:(?:19|20)\d\d\s*/\s*)?[A-ZĐ][A-ZĐa-z&]*(?:\s?-\s?[A-ZĐa-z&]*)*)")
_LOCAL_BODIES = ("UBND", "HĐND", "TU", "SNV")
_DMY = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?![\d/])")
_LONG_DATE = re.compile(r"(ngày\s+)(\d{1,2})(\s+tháng\s+)(\d{1,2})(\s+năm\s+)((?:19|20)\d\d)", re.IGNORECASE)


@dataclass
class Template:
    """One shipped plan, split into front matter and body."""

    name: str  # file stem
    fields: dict[str, str]
    body: str
    province: str
    year: int
    month: int | None
    day: int | None
    number: str | None  # numeric part of the document number
    suffix: str  # the part after "/" ("QĐ-UBND"), "KH-UBND" when the plan has none


@dataclass
class GenerateReport:
    """What `generate` wrote."""

    out: Path
    documents: int
    provinces: list[str]
    years: list[int]
    copies: int
    bytes: int
    seconds: float


def _spellings(name: str) -> list[str]:
    """A name as it may be written: both tone placements, as is and in capitals."""
    nfc = unicodedata.normalize("NFC", name)
    forms = {nfc}
    for old, new in _TONE_PAIRS:
        if new in nfc:
            forms.add(nfc.replace(new, old))
        if old in nfc:
            forms.add(nfc.replace(old, new))
    forms |= {f.upper() for f in forms}
    return sorted(forms, key=len, reverse=True)


def _cased(word: str, like: str) -> str:
    """`word` in the letter case of `like` ("TỈNH" → upper, "Tỉnh" → capitalized)."""
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def province_replacer(old: str, new: str) -> Callable[[str], str]:
    """A function that rewrites `old` (any spelling, with an optional "tỉnh"/"thành phố" before
    it) as `new`, choosing the prefix that fits `new` and keeping capitals."""
    names = "|".join(re.escape(s) for s in _spellings(old))
    prefixes = "|".join(re.escape(_cased(p, c)) for p in _PREFIX_WORDS for c in ("x", "Xx", "XX"))
    pattern = re.compile(rf"(?<!\w)(?:({prefixes})\s+)?({names})(?!\w)")
    prefix_word = "thành phố" if new in CITIES else "tỉnh"

    def repl(m: re.Match[str]) -> str:
        prefix, name = m.group(1), m.group(2)
        target = new.upper() if name.isupper() and len(name) > 1 else new
        if prefix:
            return f"{_cased(prefix_word, prefix)} {target}"
        return target

    return lambda text: pattern.sub(repl, text)


def shift_years(text: str, delta: int) -> str:
    """Every year (1950-2049) in `text` moved by `delta`; document numbers are left alone."""
    if not delta:
        return text
    return _YEAR.sub(lambda m: str(int(m.group(1)) + delta), text)


def vary_percentages(text: str, rng: random.Random) -> str:
    """Percentages nudged to nearby values ("80%" → "85%"); 100% mostly stays 100%."""

    def repl(m: re.Match[str]) -> str:
        value = int(m.group(1))
        if value > 100:
            return m.group(0)
        if value == 100:
            new = 100 if rng.random() < 0.6 else rng.randint(90, 99)
        else:
            new = min(100, max(1, value + rng.choice((-10, -5, -3, -2, 2, 3, 5, 10))))
        decimals = f"{m.group(2)}{rng.randint(0, 10 ** len(m.group(3)) - 1):0{len(m.group(3))}d}" \
            if m.group(2) and new < 100 else ""
        return f"{new}{decimals}{m.group(4)}"

    return _PERCENT.sub(repl, text)


def renumber_local_refs(text: str, numbers: dict[str, str], rng: random.Random, keep: str) -> str:
    """Provincial document references get this province's own numbers (one mapping per
    document, so a number cited twice stays the same); `keep` (the document's own number) stays."""

    def repl(m: re.Match[str]) -> str:
        number, suffix = m.group(1), m.group(2)
        parts = re.split(r"[\s/\-]+", suffix)
        if number == keep or not any(p in _LOCAL_BODIES for p in parts):
            return m.group(0)
        new = numbers.setdefault(number, f"{rng.randint(1, 9999):0{len(number)}d}" if number.startswith("0")
                                 else str(rng.randint(1, 9999)))
        return new + suffix

    return _REF.sub(repl, text)


def shift_dates(text: str, days: int) -> str:
    """Full dates ("15/7/2025", "ngày 15 tháng 7 năm 2025") moved by `days`, written as before."""
    if not days:
        return text

    def moved(d: str, mo: str, y: str) -> tuple[str, str, str] | None:
        try:
            new = date(int(y), int(mo), int(d)) + timedelta(days=days)
        except ValueError:
            return None
        # A writer who pads one part ("05/7", "15/07") pads both.
        padded = d.startswith("0") or mo.startswith("0")
        return (f"{new.day:02d}" if padded else str(new.day), f"{new.month:02d}" if padded else str(new.month),
                str(new.year))

    def dmy(m: re.Match[str]) -> str:
        got = moved(m.group(1), m.group(2), m.group(3))
        return "/".join(got) if got else m.group(0)

    def long(m: re.Match[str]) -> str:
        got = moved(m.group(2), m.group(4), m.group(6))
        if not got:
            return m.group(0)
        return f"{m.group(1)}{got[0]}{m.group(3)}{got[1]}{m.group(5)}{got[2]}"

    return _LONG_DATE.sub(long, _DMY.sub(dmy, text))


_LOWER_WORD = re.compile(r"(?<![\w/])[^\W\d_]+(?![\w/])")  # letters only; islower() is checked after


def syllable_pool(templates: list[Template]) -> list[str]:
    """Every lower-case syllable of the templates' text, as often as it occurs (for --distinct)."""
    return [m.group(0) for t in templates for m in _LOWER_WORD.finditer(t.body)
            if m.group(0).islower() and len(m.group(0)) > 1]


def vary_wording(text: str, rng: random.Random, pool: list[str], rate: float = 0.15) -> str:
    """About `rate` of the lower-case words of each line (at least one where a line has any)
    replaced by a syllable drawn from the templates' own (by frequency), so clauses do not
    share their text. A line's first word, capitalized words (names, headings) and numbers
    stay, so clause splitting, places and figures read as before."""
    out = []
    for line in text.split("\n"):
        found = [m for m in _LOWER_WORD.finditer(line) if m.group(0).islower()][1:]
        if line.isupper() or line.startswith("---") or not found:
            out.append(line)
            continue
        picked = [m for m in found if rng.random() < rate] or [rng.choice(found)]
        pieces, last = [], 0
        for m in picked:
            pieces += [line[last:m.start()], rng.choice(pool)]
            last = m.end()
        out.append("".join(pieces) + line[last:])
    return "\n".join(out)


def load_templates(folder: Path = TEMPLATES) -> list[Template]:
    """The shipped plans as templates (text files with a `province:` in their front matter)."""
    out: list[Template] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES or path.suffix.lower() not in (".txt", ".md"):
            continue
        fields, body = split_front_matter(path.read_text(encoding="utf-8-sig").replace("\r\n", "\n"), path.name)
        province = fields.get("province")
        issued = _ISSUED.match(fields.get("issued", ""))
        if not province or not issued:
            continue
        number = _DOC_NUMBER.match(fields.get("document", ""))
        out.append(Template(
            name=path.stem, fields=fields, body=body, province=province, year=int(issued.group(1)),
            month=int(issued.group(2)) if issued.group(2) else None,
            day=int(issued.group(3)) if issued.group(3) else None,
            number=number.group(1) if number else None,
            suffix=number.group(2) if number else "KH-UBND",
        ))
    return out


def target_provinces(count: int) -> list[str]:
    """`count` real province names: the 34 current provinces, then legacy (pre-2025) names."""
    records = province_records()
    current = [r.name for r in records if not r.legacy]
    legacy = [r.name for r in records if r.legacy and r.name not in current]
    names = current + legacy
    if not 1 <= count <= len(names):
        raise ValueError(f"--provinces must be between 1 and {len(names)}")
    return names[:count]


def slug(name: str) -> str:
    """Folder name for a province: "Hồ Chí Minh" → "ho-chi-minh"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def render(template: Template, *, province: str, year: int, number: int, rng: random.Random,
           pool: list[str] | None = None) -> str:
    """One generated document (front matter + body) from a template; with a syllable `pool`,
    its wording varied too (`vary_wording`)."""
    delta = year - template.year
    replace_province = province_replacer(template.province, province)
    new_number = f"{number}/{template.suffix}"
    days = rng.randint(-20, 20)  # this document's dates, a few weeks off the template's
    if template.month and template.day:
        base = date(year, template.month, min(template.day, 28 if template.month == 2 else template.day))
        if (base + timedelta(days=days)).year != year:
            days = -days  # the plan stays in its year
        issued = base + timedelta(days=days)
    else:
        issued = date(year, rng.randint(1, 12), rng.randint(1, 28))
    local_numbers: dict[str, str] = {}

    def rewrite(text: str) -> str:
        if template.number:
            text = re.sub(rf"(?<!\d)0*{template.number}\s*/\s*{re.escape(template.suffix)}", new_number, text)
        text = renumber_local_refs(text, local_numbers, rng, keep=str(number))
        return replace_province(shift_dates(shift_years(text, delta), days))

    body = vary_percentages(rewrite(template.body), rng)
    if pool:
        body = vary_wording(body, rng, pool)
    title = rewrite(template.fields.get("title", f"Kế hoạch cải cách hành chính năm {year}"))
    front = [
        "---",
        f"title: {title}",
        f"province: {province}",
        f"document: {new_number}",
        f"issued: {issued.isoformat()}",
        f"source_url: https://bench.invalid/{slug(province)}/{year}/{number}",
        f"generated_from: {template.name}",
    ]
    if template.fields.get("signer"):
        front.append(f"signer: {template.fields['signer']}")
    return "\n".join([*front, "---", body.strip("\n"), ""])


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise FileExistsError(f"{out} is not empty and was not written by this generator")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by benchmarks/generate.py; replaced on the next run\n", encoding="utf-8")


def generate(out: Path, *, provinces: int = 34, years: int = 6, copies: int = DEFAULT_COPIES, seed: int = 1,
             last_year: int = DEFAULT_LAST_YEAR, templates: Path = TEMPLATES, distinct: bool = False,
             ) -> GenerateReport:
    """Write provinces × years × copies × (shipped plans) documents into `out`; `distinct`: vary
    the wording of every document too, so clause texts do not repeat (see `vary_wording`)."""
    started = time.perf_counter()
    if years < 1 or copies < 1:
        raise ValueError("--years and --copies must be at least 1")
    plans = load_templates(templates)
    if not plans:
        raise FileNotFoundError(f"no plan templates with front matter in {templates}")
    names = target_provinces(provinces)
    pool = syllable_pool(plans) if distinct else None
    year_list = list(range(last_year - years + 1, last_year + 1))
    total = len(names) * len(year_list) * copies * len(plans)
    rng = random.Random(seed)
    # Unique document numbers across the whole knowledge base, in a realistic range.
    numbers = rng.sample(range(10, 10 + max(10_000, 3 * total)), total)
    _prepare(out)
    written = 0
    size = 0
    for name in names:
        for year in year_list:
            folder = out / slug(name) / str(year)
            folder.mkdir(parents=True, exist_ok=True)
            for copy in range(1, copies + 1):
                for t in plans:
                    doc_rng = random.Random(f"{seed}:{name}:{year}:{copy}:{t.name}")
                    text = render(t, province=name, year=year, number=numbers[written], rng=doc_rng,
                                  pool=pool)
                    data = text.encode("utf-8")
                    (folder / f"{t.name}-{copy}.txt").write_bytes(data)
                    written += 1
                    size += len(data)
    return GenerateReport(out=out, documents=written, provinces=names, years=year_list, copies=copies,
                          bytes=size, seconds=time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="folder to write the documents into")
    parser.add_argument("--provinces", type=int, default=34, help="how many provinces (34 current, up to 97)")
    parser.add_argument("--years", type=int, default=6, help="how many plan years, ending at --last-year")
    parser.add_argument("--copies", type=int, default=DEFAULT_COPIES,
                        help="variants of each plan per province and year (different figures)")
    parser.add_argument("--last-year", type=int, default=DEFAULT_LAST_YEAR, help="the latest plan year")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same files)")
    parser.add_argument("--distinct", action="store_true",
                        help="vary the wording too, so clause texts do not repeat (today's templates: ~28%% distinct)")
    parser.add_argument("--templates", type=Path, default=TEMPLATES, help="plans to scale (default: shipped)")
    args = parser.parse_args(argv)
    report = generate(args.out, provinces=args.provinces, years=args.years, copies=args.copies, seed=args.seed,
                      last_year=args.last_year, templates=args.templates, distinct=args.distinct)
    print(f"wrote {report.documents} documents ({report.bytes / 1e6:.1f} MB) for {len(report.provinces)} provinces "
          f"× years {report.years[0]}-{report.years[-1]} × {report.copies} copies into {report.out} "
          f"in {report.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
