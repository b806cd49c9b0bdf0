"""The English interface (issue 11): one catalog per language with the same keys and
placeholders, English replies for users whose Telegram language is English or who chose
/lang en, menus and descriptions per language, and the Application's Defaults."""

from __future__ import annotations

import string
from typing import Any

import pytest
from fakebotapi import USER

from handlers import replies
from handlers.lang import CATALOGS, language_for, text

ENGLISH = {**USER, "id": 111_222_340, "first_name": "Ann", "language_code": "en-US"}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_catalog_has_the_same_keys_and_placeholders() -> None:
    vi = CATALOGS["vi"]
    for lang, catalog in CATALOGS.items():
        assert set(catalog) == set(vi), f"{lang}: keys differ: {set(catalog) ^ set(vi)}"
        for key, template in catalog.items():
            assert placeholders(template) == placeholders(vi[key]), f"{lang}:{key}"
            assert template.strip() or key == "source.first", f"{lang}:{key} is empty"


def test_every_public_command_has_menu_and_usage_wording_in_every_language() -> None:
    for lang in CATALOGS:
        for name, menu, usage in replies.commands(lang):
            assert 3 <= len(menu) <= 256 and usage.startswith(f"/{name}")
        assert len(text(lang, "bot.description")) <= 512
        assert len(text(lang, "bot.short_description")) <= 120


@pytest.mark.parametrize(("code", "lang"), [("en", "en"), ("en-GB", "en"), ("EN", "en"), ("vi", "vi"),
                                            ("fr", "vi"), (None, "vi"), ("", "vi")])
def test_language_for_telegram_codes(code: str | None, lang: str) -> None:
    assert language_for(code) == lang


async def test_an_english_user_gets_english_wording_around_the_verbatim_clause(running_bot: Any) -> None:
    call = await running_bot.ask("thanh toán trực tuyến", user=ENGLISH)
    assert "Results 1–3" in call.text and "Kết quả" not in call.text
    # The English line names the source and comes before the Vietnamese clause, quoted as is.
    source = call.text.index("Quoted verbatim from ")
    assert source < call.text.index("<blockquote")
    assert "Theo " not in call.text and "thanh toán trực tuyến" in call.text.lower()
    labels = [b["text"] for b in call.buttons]
    assert "More ▶" in labels and any(label.startswith("📄 Source") for label in labels)
    [start] = await running_bot.send("/start", user=ENGLISH)
    assert "Hello!" in start.text and "documents" in start.text
    [help_] = await running_bot.send("/help", user=ENGLISH)
    assert "How to use" in help_.text and "/lang" in help_.text
    [unknown] = await running_bot.send("/khongco", user=ENGLISH)
    assert unknown.text == replies.say("unknown_command", lang="en")
    [nothing] = await running_bot.send("giá vàng SJC hôm nay", user=ENGLISH)
    assert "do not cover this" in nothing.text
    # Vietnamese stays the default.
    vi = await running_bot.ask("thanh toán trực tuyến")
    assert "Kết quả 1–3" in vi.text and "📌 Theo " in vi.text


async def test_lang_switches_and_is_remembered(running_bot: Any) -> None:
    [switched] = await running_bot.send("/lang en")
    assert switched.text == replies.lang_reply("en", changed=True)
    [help_] = await running_bot.send("/help")
    assert "How to use" in help_.text
    [back] = await running_bot.send("/lang vi", user={**USER})
    assert back.text == replies.lang_reply("vi", changed=True)
    [usage] = await running_bot.send("/lang fr")
    assert usage.text == replies.lang_reply("vi", changed=False)
    # An English Telegram user who chose Vietnamese gets Vietnamese.
    await running_bot.send("/lang vi", user=ENGLISH)
    [help_] = await running_bot.send("/help", user=ENGLISH)
    assert "Cách dùng" in help_.text


async def test_menus_and_descriptions_are_set_in_both_languages(running_bot: Any) -> None:
    api = running_bot.api
    menus = {m.params.get("language_code"): m for m in api.calls_to("setMyCommands") if "scope" not in m.params}
    assert set(menus) == {None, "en"}
    english = {c["command"]: c["description"] for c in menus["en"].params["commands"]}
    assert english["help"] == text("en", "cmd.help") and "lang" in english
    for method, key in (("setMyDescription", "description"), ("setMyShortDescription", "short_description")):
        calls = {c.params.get("language_code"): c.params[key] for c in api.calls_to(method)}
        assert calls == {None: text("vi", f"bot.{key}"), "en": text("en", f"bot.{key}")}


async def test_no_message_or_edit_goes_out_with_a_link_preview(admin_bot: Any) -> None:
    """Defaults(parse_mode=HTML, link_preview_options=disabled) reach every call site, also the
    edit that drops a cancelled confirmation's buttons (it passed neither option itself)."""
    api = admin_bot.api
    [ask] = await admin_bot.send("/reload force")
    mark = len(api.calls)
    data = next(b["callback_data"] for b in ask.buttons if b["callback_data"].startswith("ar:"))
    api.push_callback(data.replace(":y", ":n"), ask.result)
    [edit] = await api.wait_for("editMessageText", after=mark)
    await admin_bot.ask("thanh toán trực tuyến")
    sent = [c for c in api.calls if c.method in ("sendMessage", "editMessageText")]
    assert edit in sent and len(sent) >= 3
    for call in sent:
        assert call.params.get("parse_mode") == "HTML", call.method
        assert call.params.get("link_preview_options", {}).get("is_disabled") is True, call.method


def test_english_answers_render_in_plain_text_too(shipped_kb: Any) -> None:
    answer = shipped_kb.search("Under the Digital Government Programme, what share of citizens and businesses "
                               "should be satisfied with online public services in 2028-2030?", top=3)
    plain = replies.plain_answer(answer, lang="en")
    assert "Results" in plain and "Quoted verbatim from" in plain and "<b>" not in plain
    assert "🇬🇧" in plain  # the engine's note on an English question, said once
