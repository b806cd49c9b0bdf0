"""The bot's wording for citizens, one catalog per language: `vi.py` (the default) and `en.py`
(users whose Telegram `language_code` starts with "en", or who chose it with /lang en).

Why one Python module per language rather than gettext/Babel catalogs: the wording is a few
dozen keyed templates, reviewed in the same pull request as the code that uses it; a module
needs no compile step (.po → .mo), no new dependency, and a test can compare the catalogs
directly. Keys, not Vietnamese sentences, identify a message, so fixing a Vietnamese typo does
not break the English lookup.

**Adding a message** (one rule for everybody):
1. add the key to `MESSAGES` in BOTH `handlers/lang/vi.py` and `handlers/lang/en.py`, with the
   same `{placeholders}` (str.format names; values are inserted before HTML escaping, so a
   template is plain text unless its key ends in `_html`);
2. use it in `handlers/replies.py` as `text(lang, "key", name=value)`, `lang` being the
   function's keyword argument (default "vi");
3. `tests/test_lang.py` fails when a key or a placeholder is in one catalog only.
Admin wording (/reload, uploads, /xoa…) stays Vietnamese only, in `handlers/replies.py`: it is
read by the civil servants who run the bot, and the issue asks for Vietnamese there.
"""

from __future__ import annotations

from handlers.lang import en, vi

DEFAULT = "vi"
CATALOGS: dict[str, dict[str, str]] = {"vi": vi.MESSAGES, "en": en.MESSAGES}
LANGUAGES = tuple(CATALOGS)


def language_for(code: str | None) -> str:
    """The interface language for a Telegram `language_code` ("en", "en-US" → "en"; anything
    else, or none, → Vietnamese)."""
    return "en" if (code or "").lower().startswith("en") else DEFAULT


def text(lang: str, key: str, **values: object) -> str:
    """The message `key` in `lang` (Vietnamese when `lang` is unknown), placeholders filled."""
    template = CATALOGS.get(lang, CATALOGS[DEFAULT])[key]
    return template.format(**values) if values else template
