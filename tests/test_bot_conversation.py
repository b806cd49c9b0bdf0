"""End to end through the real PTB Application and the fake Bot API, on a real index of the
shipped plans: commands, questions, buttons, feedback."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from fakebotapi import USER, Call, button, visible

from handlers import registered_commands, replies
from knowledge.usage import UsageLog

ROOT = Path(__file__).resolve().parent.parent


def assert_answer_about(call: Call, phrase: str) -> None:
    """A real answer: the phrase in a quoted clause, a figure in bold, a "Theo ..." source line."""
    seen = visible(call.text)
    assert phrase in seen.lower(), seen[:500]
    assert "<blockquote" in call.text
    assert re.search(r"📌 (<a [^>]+>)?Theo (Quyết định|Kế hoạch|Dự thảo|Văn bản|\w)", call.text), call.text
    assert "<b>" in call.text
    assert call.params.get("parse_mode") == "HTML"


# --- start-up and commands ------------------------------------------------------------------------

async def test_commands_menu_is_set_at_start_up_with_vietnamese_descriptions(running_bot: Any) -> None:
    menus = running_bot.api.calls_to("setMyCommands")
    # The default menu (no language_code) is the Vietnamese one; English has its own.
    public = [m for m in menus if "scope" not in m.params and "language_code" not in m.params]
    assert len(public) == 1
    names = [c["command"] for c in public[0].params["commands"]]
    assert names == [name for name, _, _ in replies.COMMANDS]
    assert all(c["description"] for c in public[0].params["commands"])
    # The admin (the test user) gets the admin commands too, in a chat-scoped menu.
    admin = [m for m in menus if m.params.get("scope", {}).get("chat_id") == USER["id"]]
    assert admin and "thongke" in [c["command"] for c in admin[0].params["commands"]]


async def test_start_tells_what_the_bot_knows_with_three_example_buttons(running_bot: Any) -> None:
    overview = running_bot.deps.kb.overview()
    [call] = await running_bot.send("/start")
    seen = visible(call.text)
    assert f"{overview.documents} văn bản" in seen
    assert all(p in seen for p in overview.provinces[:3])
    assert str(max(overview.years)) in seen
    examples = [b for b in call.buttons if b["callback_data"].startswith("x:")]
    assert [b["text"] for b in examples] == replies.EXAMPLE_BUTTONS
    assert len(replies.EXAMPLE_BUTTONS) == len(replies.EXAMPLE_QUESTIONS)
    # Tapping an example asks it.
    mark = len(running_bot.api.calls)
    running_bot.api.push_callback(examples[0]["callback_data"], call.result)
    [answer] = await running_bot.api.wait_for("sendMessage", after=mark)
    assert_answer_about(answer, "thanh toán trực tuyến")
    await running_bot.api.wait_for("answerCallbackQuery", after=mark)


async def test_help_and_readme_list_every_registered_command(running_bot: Any) -> None:
    commands = registered_commands(running_bot.app)
    assert {"start", "help", "muctieu", "tinh", "vanban", "privacy"} <= set(commands)
    [call] = await running_bot.send("/help")
    for name in commands:
        assert f"/{name}" in call.text, name
    readme = (ROOT / "README.md").read_text(encoding="utf-8") if (ROOT / "README.md").exists() else ""
    missing = [name for name in commands if f"/{name}" not in readme]
    assert not missing, f"README.md lacks {missing}: paste the '## Lệnh / Commands' section"


async def test_privacy_says_ids_are_hashed(running_bot: Any) -> None:
    [call] = await running_bot.send("/privacy")
    assert "HMAC-SHA256" in call.text and "không lưu" in call.text


async def test_unknown_command_points_to_help(running_bot: Any) -> None:
    [call] = await running_bot.send("/khongcolenhnay")
    assert "/help" in call.text


# --- questions ------------------------------------------------------------------------------------

async def test_question_with_diacritics_gets_clauses_source_and_buttons(running_bot: Any) -> None:
    call = await running_bot.ask("Tỷ lệ thanh toán trực tuyến là bao nhiêu?")
    assert_answer_about(call, "thanh toán trực tuyến")
    # Answered at once: no "typing…" request spent on it.
    assert not [c for c in running_bot.api.calls if c.method == "sendChatAction"]
    kinds = {b["callback_data"].split(":")[0] for b in call.buttons}
    assert kinds >= {"s", "f"}
    assert all(len(b["callback_data"].encode()) <= 64 for b in call.buttons)
    # Logged once, answered, with the clause ids shown, and one log line with the latency.
    running_bot.deps.usage.flush()  # rows are written by a background thread
    usage = UsageLog.open(running_bot.usage_path)
    try:
        assert usage.question_count() == 1
        assert usage.stats().answered_share == 1.0
    finally:
        usage.close()


async def test_question_without_diacritics_finds_the_same_clause(running_bot: Any) -> None:
    with_marks = await running_bot.ask("thanh toán trực tuyến")
    without = await running_bot.ask("ty le thanh toan truc tuyen")
    assert_answer_about(without, "thanh toán trực tuyến")
    first = [b["callback_data"] for b in with_marks.buttons if b["callback_data"].startswith("s:")]
    second = [b["callback_data"] for b in without.buttons if b["callback_data"].startswith("s:")]
    assert set(first) & set(second)


async def test_nonsense_question_gets_plans_dont_say_and_topic_buttons(running_bot: Any) -> None:
    call = await running_bot.ask("giá vàng SJC hôm nay bao nhiêu")
    assert "không đề cập" in call.text
    assert "<blockquote" not in call.text and "Theo " not in visible(call.text)
    suggestions = [b for b in call.buttons if b["callback_data"].startswith("q:")]
    assert suggestions, "the closest topics should be offered"
    mark = len(running_bot.api.calls)
    running_bot.api.push_callback(suggestions[0]["callback_data"], call.result)
    [answer] = await running_bot.api.wait_for("sendMessage", after=mark)
    [ack] = await running_bot.api.wait_for("answerCallbackQuery", after=mark)
    assert answer.text != call.text


async def test_greetings_and_thanks_get_a_short_friendly_reply(running_bot: Any) -> None:
    for text in ("xin chào", "Chào bot!", "cam on", "thanks"):
        [call] = await running_bot.send(text)
        assert len(call.text) < 300
        assert "Theo " not in call.text and "không đề cập" not in call.text
        assert ("Chào" in call.text) or ("vui" in call.text)


async def test_stickers_photos_and_voice_get_a_hint_to_type(running_bot: Any) -> None:
    for kind in ("sticker", "photo", "voice"):
        mark = len(running_bot.api.calls)
        running_bot.api.push_media(kind)
        [call] = await running_bot.api.wait_for("sendMessage", after=mark)
        assert "gõ câu hỏi" in call.text.lower()


async def test_deep_links_open_a_question(running_bot: Any) -> None:
    payload = base64.urlsafe_b64encode("thanh toán trực tuyến".encode()).decode().rstrip("=")
    call = await running_bot.ask(f"/start {payload}")
    assert_answer_about(call, "thanh toán trực tuyến")
    call = await running_bot.ask("/start thanh_toan_truc_tuyen")
    assert_answer_about(call, "thanh toán trực tuyến")
    # A payload that is neither gives the normal welcome, not an error.
    [call] = await running_bot.send("/start ____")
    assert "văn bản" in call.text and any(b["callback_data"].startswith("x:") for b in call.buttons)


# --- buttons --------------------------------------------------------------------------------------

async def test_more_edits_the_message_in_place_and_back_returns(running_bot: Any) -> None:
    api = running_bot.api
    call = await running_bot.ask("thanh toán trực tuyến")
    more = button(call, "m:")
    mark = len(api.calls)
    query_id = api.push_callback(more["callback_data"], call.result)
    [edit] = await api.wait_for("editMessageText", after=mark)
    await api.wait_for("answerCallbackQuery", lambda c: c.params["callback_query_id"] == query_id, after=mark)
    assert edit.params["message_id"] == call.result["message_id"]
    assert edit.params["chat_id"] == call.result["chat"]["id"]
    assert "Kết quả 4" in visible(edit.text)
    assert not [c for c in api.calls[mark:] if c.method == "sendMessage"]
    first_page = {b["callback_data"] for b in call.buttons if b["callback_data"].startswith("s:")}
    second_page = {b["callback_data"] for b in edit.buttons if b["callback_data"].startswith("s:")}
    assert first_page.isdisjoint(second_page)
    # "Trước" goes back to the first page.
    back = button(edit, "m:")
    assert back["text"] == replies.BACK_BUTTON
    mark = len(api.calls)
    api.push_callback(back["callback_data"], edit.result)
    [edit2] = await api.wait_for("editMessageText", after=mark)
    assert "Kết quả 1" in visible(edit2.text)


async def test_sources_button_sends_the_document_card_with_neighbours(running_bot: Any) -> None:
    api = running_bot.api
    call = await running_bot.ask("thanh toán trực tuyến")
    source = button(call, "s:")
    clause = running_bot.deps.kb.clause(int(source["callback_data"].rsplit(":", 1)[1]))
    mark = len(api.calls)
    query_id = api.push_callback(source["callback_data"], call.result)
    [card] = await api.wait_for("sendMessage", after=mark)
    await api.wait_for("answerCallbackQuery", lambda c: c.params["callback_query_id"] == query_id, after=mark)
    seen = visible(card.text)
    assert clause.meta.document and clause.meta.document in seen
    assert clause.meta.province in seen
    assert "Ban hành" in seen
    assert " ".join(clause.text.split()) in " ".join(seen.split())
    for neighbour in running_bot.deps.kb.neighbours(clause.clause_id):
        assert " ".join(neighbour.text.split())[:60] in " ".join(seen.split())


async def test_sources_button_from_another_index_is_refused(running_bot: Any) -> None:
    """Clause ids change when documents change: a button made by an earlier index says so
    instead of opening whatever clause now has that id."""
    api = running_bot.api
    call = await running_bot.ask("thanh toán trực tuyến")
    source = button(call, "s:")
    _, generation, clause_id = source["callback_data"].split(":")
    assert generation == running_bot.deps.kb.generation
    mark = len(api.calls)
    api.push_callback(f"s:{'0' * len(generation)}:{clause_id}", call.result)
    [ack] = await api.wait_for("answerCallbackQuery", after=mark)
    assert ack.params.get("text") == replies.STALE_BUTTON
    assert not [c for c in api.calls[mark:] if c.method == "sendMessage"]


async def test_feedback_is_stored_hashed_once_per_user(running_bot: Any) -> None:
    api = running_bot.api
    call = await running_bot.ask("thanh toán trực tuyến")
    shown = [int(b["callback_data"].rsplit(":", 1)[1]) for b in call.buttons if b["callback_data"].startswith("s:")]
    down = next(b for b in call.buttons if b["text"] == replies.FEEDBACK_DOWN)
    mark = len(api.calls)
    api.push_callback(down["callback_data"], call.result)
    [ack] = await api.wait_for("answerCallbackQuery", after=mark)
    assert ack.params.get("text") == replies.FEEDBACK_THANKS
    mark = len(api.calls)
    api.push_callback(down["callback_data"], call.result)
    [again] = await api.wait_for("answerCallbackQuery", after=mark)
    assert again.params.get("text") == replies.FEEDBACK_ALREADY
    running_bot.deps.usage.flush()  # rows are written by a background thread
    usage = UsageLog.open(running_bot.usage_path)
    try:
        [(user_hash, question, clause_ids, vote)] = usage.feedback_rows()
        assert (question, clause_ids, vote) == ("thanh toán trực tuyến", shown, -1)
        assert user_hash == usage.hash_user(USER["id"])
        assert usage.stats().downvotes == 1
    finally:
        usage.close()
    # The database and its write-ahead log: rows may not have reached the main file yet.
    path = running_bot.usage_path
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert raw
    assert str(USER["id"]).encode() not in raw
    assert USER["first_name"].encode() not in raw


async def test_every_callback_is_answered_even_stale_or_unknown(running_bot: Any) -> None:
    api = running_bot.api
    msg = {"message_id": 1, "date": 0, "chat": {"id": USER["id"], "type": "private"}, "text": "cũ"}
    for data in ("m:zzzzzzzz:3", "f:zzzzzzzz:1", "q:zzzzzzzz:0", "s:999999999", "x:9", "???"):
        mark = len(api.calls)
        query_id = api.push_callback(data, msg)
        [ack] = await api.wait_for("answerCallbackQuery", after=mark)
        assert ack.params["callback_query_id"] == query_id
        assert ack.params.get("text"), data


# --- /muctieu, /tinh, /vanban, admin --------------------------------------------------------------

async def test_muctieu_lists_targets_compactly_and_filters_by_province(running_bot: Any) -> None:
    [call] = await running_bot.send("/muctieu thanh toán trực tuyến")
    lines = [line for line in call.text.splitlines() if line.startswith(" • ")]
    assert lines
    assert all("<b>" in line and "%" in line for line in lines)
    [call] = await running_bot.send("/muctieu dịch vụ công trực tuyến Thanh Hóa")
    seen = visible(call.text).splitlines()
    lines = [line for line in seen if line.startswith(" • ")]
    # Grouped by province (issue 12): every line under the one province asked for.
    assert lines and [line for line in seen if line.startswith("📍 ")] == ["📍 Thanh Hóa"]
    [usage] = await running_bot.send("/muctieu")
    assert "/muctieu" in usage.text and " • " not in usage.text


async def test_tinh_lists_every_province_with_its_documents(running_bot: Any) -> None:
    calls = await running_bot.send("/tinh", count=2)  # 26 documents: two messages
    seen = "\n".join(visible(c.text) for c in calls)  # a long list is split over messages
    # Central documents (Government, Prime Minister, ministries) are listed under "Trung ương".
    assert "\nTrung ương\n" in seen and "2629/QĐ-TTg" in seen.split("\nTrung ương\n", 1)[1]
    for meta in running_bot.deps.kb.documents():
        assert meta.province in seen
        if meta.document:
            assert meta.document in seen


async def test_vanban_shows_a_card_or_says_not_found(running_bot: Any) -> None:
    [call] = await running_bot.send("/vanban 1256")
    seen = visible(call.text)
    assert "1256/QĐ-UBND" in seen and "Quảng Ngãi" in seen and "Quyết định" in seen
    [call] = await running_bot.send("/vanban 99999/XX")
    assert "Không tìm thấy" in call.text
    [call] = await running_bot.send("/vanban")
    assert "/vanban" in call.text


async def test_admin_commands_need_an_admin(running_bot: Any) -> None:
    await running_bot.ask("thanh toán trực tuyến")
    await running_bot.ask("giá vàng hôm nay")
    [stats] = await running_bot.send("/thongke")
    assert "Câu hỏi hôm nay: 2" in stats.text and "50%" in stats.text
    [unanswered] = await running_bot.send("/chuatraloi")
    assert "giá vàng hôm nay" in unanswered.text
    stranger = {"id": 42, "is_bot": False, "first_name": "Nam"}
    [refused] = await running_bot.send("/thongke", user=stranger)
    assert refused.text == replies.ADMIN_ONLY
