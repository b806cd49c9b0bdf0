"""Staff features (issue 12) end to end through the real PTB Application and the fake Bot API:
/sosanh (table + chart photo), /muctieu pages and chart button, /nhiemvu, /hanchot, /theodoi and
the weekly digest job, "📎 Văn bản", /xuat, inline titles, /start buttons; plus the console
chat and the knowledge-side logic."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator, Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fakebotapi import USER, button, visible

from handlers import replies, tasks
from handlers.console import ConsoleChat
from handlers.export import build_export
from knowledge.charts import PNG_SIGNATURE
from knowledge.compare import compare, listing, measure, merged_label, parse_scope, province_names
from knowledge.deadlines import deadline_start, deadlines, digest, find_tasks, parse_window
from knowledge.models import DocumentMeta
from knowledge.originals import readable_name

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "knowledge" / "plans"
TODAY = date(2026, 6, 1)
# An upper bound, not a speed check: the first chart imports matplotlib (and may build its font
# cache), which on a loaded machine takes a while.
DRAWING = 120.0   # several 2629/QĐ-TTg tasks are due "tháng 6/2026"


@pytest.fixture
async def staff_bot(start_bot: Callable[[Any], Any], make_deps: Callable[..., Any]) -> AsyncIterator[Any]:
    """The bot on the shipped plans, with their folder (for "📎 Văn bản") and a fixed today."""
    async with start_bot(make_deps(knowledge_dir=PLANS, today=lambda: TODAY)) as running:
        yield running


def scope_of(kb: Any, text: str) -> Any:
    return parse_scope(text.split(), province_names(kb))


# --- /sosanh ---------------------------------------------------------------------------------------

async def test_compare_sends_a_sorted_table_and_a_png_with_one_bar_per_province(staff_bot: Any) -> None:
    kb, api = staff_bot.deps.kb, staff_bot.api
    comparison = compare(kb, scope_of(kb, "dịch vụ công trực tuyến"))
    places = {b.label for b in comparison.bars}
    assert len(places) == len(comparison.bars) >= 3  # one bar per province, several provinces
    mark = len(api.calls)
    [table] = await staff_bot.send("/sosanh dịch vụ công trực tuyến")
    [photo] = await api.wait_for("sendPhoto", after=mark, timeout=DRAWING)
    # The table: sorted by value (highest first), the kind named.
    seen = visible(table.text)
    assert "mục tiêu" in seen.splitlines()[0]
    values = [float(v) for v in re.findall(r": (?:\D*?)(\d+(?:[.,]\d+)?)% —", seen)]
    assert values and values == sorted(values, reverse=True)
    # The chart: a real PNG drawn from those bars, its caption naming the source documents.
    upload = photo.files["photo"]
    assert upload.data.startswith(PNG_SIGNATURE) and len(upload.data) > 5_000
    width, height = int.from_bytes(upload.data[16:20], "big"), int.from_bytes(upload.data[20:24], "big")
    assert width >= 600 and height >= 400
    caption = visible(photo.params["caption"])
    for meta in comparison.documents:
        assert (meta.document or meta.title or "") in caption
    assert "Chỉ tiêu (mục tiêu)" in caption
    assert photo.params["chat_id"] == USER["id"]


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_chart_draws_one_bar_per_compared_province(shipped_kb: Any) -> None:
    from handlers.compare import draw

    comparison = compare(shipped_kb, scope_of(shipped_kb, "chữ ký số"))
    chart = draw(comparison)
    assert chart.drawn_bars == len(comparison.bars) == len({b.label for b in comparison.bars}) >= 3
    assert [b.label for b in chart.bars] == [b.label for b in comparison.bars]
    assert all(b.note == str(b2.year) for b, b2 in zip(chart.bars, comparison.bars, strict=True))


def test_compare_one_province_draws_its_years(shipped_kb: Any) -> None:
    comparison = compare(shipped_kb, scope_of(shipped_kb, "dịch vụ công trực tuyến Bắc Ninh"))
    assert comparison.by_year and comparison.bars
    assert all(b.label == str(b.year) for b in comparison.bars)
    assert {b.line.meta.province_current for b in comparison.bars} == {"Bắc Ninh"}


def test_compare_never_mixes_targets_and_results(shipped_kb: Any) -> None:
    for text in ("dịch vụ công trực tuyến", "hồ sơ trực tuyến", "kết quả số hóa 2025"):
        comparison = compare(shipped_kb, scope_of(shipped_kb, text))
        assert {ln.row.target.kind for ln in comparison.lines} <= {comparison.kind}
    assert compare(shipped_kb, scope_of(shipped_kb, "kết quả số hóa 2025")).kind == "result"


def test_merged_province_is_labelled_with_its_old_names(shipped_kb: Any) -> None:
    old = DocumentMeta(file="a.txt", province="Bắc Giang", province_current="Bắc Ninh")
    new = DocumentMeta(file="b.txt", province="Bắc Ninh", province_current="Bắc Ninh")
    assert merged_label(shipped_kb, "Bắc Ninh", [old, new]) == "Bắc Ninh (gồm Bắc Giang)"
    assert merged_label(shipped_kb, "Bắc Ninh", [new]) == "Bắc Ninh"
    # A province asked by its old name: the chart names the merged province.
    comparison = compare(shipped_kb, scope_of(shipped_kb, "dịch vụ công trực tuyến Bắc Giang"))
    assert comparison.by_year and comparison.place_label == "Bắc Ninh (gồm Bắc Giang)"
    assert "Bắc Ninh (gồm Bắc Giang), theo năm" in replies.chart_title(comparison)


async def test_compare_without_a_topic_explains_usage(staff_bot: Any) -> None:
    [call] = await staff_bot.send("/sosanh")
    assert visible(call.text) == replies.SOSANH_USAGE


# --- /muctieu ----------------------------------------------------------------------------------------

async def test_targets_pages_edit_one_message_and_the_chart_button_sends_the_chart(staff_bot: Any) -> None:
    kb, api = staff_bot.deps.kb, staff_bot.api
    lines = listing(kb, scope_of(kb, "hồ sơ"))
    assert len(lines) > 8  # more than one page
    [first] = await staff_bot.send("/muctieu hồ sơ")
    seen = visible(first.text)
    assert "📍" in seen and "📄" in seen and "Trang 1/" in seen
    # Each line names what the figure measures, in the clause's words.
    assert lines[0].measure[:30] in seen
    # Deduplicated: no line twice.
    bullets = [ln for ln in seen.splitlines() if ln.startswith(" • ")]
    assert len(bullets) == len(set(bullets))
    mark = len(api.calls)
    api.push_callback(button(first, "mt:")["callback_data"], first.result)
    [edit] = await api.wait_for("editMessageText", after=mark)
    assert edit.params["message_id"] == first.result["message_id"]
    assert "Trang 2/" in visible(edit.text)
    assert [c for c in api.calls[mark:] if c.method == "sendMessage"] == []
    assert [b["text"] for b in edit.buttons][:2] == [replies.PAGE_PREV, replies.PAGE_NEXT]
    # 📊 Biểu đồ: the /sosanh chart of the same topic.
    mark = len(api.calls)
    api.push_callback(button(first, "mc:")["callback_data"], first.result)
    [photo] = await api.wait_for("sendPhoto", after=mark, timeout=DRAWING)
    assert photo.files["photo"].data.startswith(PNG_SIGNATURE)


async def test_a_forgotten_page_button_is_refused(staff_bot: Any) -> None:
    api = staff_bot.api
    [first] = await staff_bot.send("/muctieu hồ sơ")
    mark = len(api.calls)
    api.push_callback("mt:unknown1:1", first.result)
    [toast] = await api.wait_for("answerCallbackQuery", after=mark)
    assert toast.params.get("text") == replies.STALE_BUTTON
    assert not [c for c in api.calls[mark:] if c.method == "editMessageText"]


# --- /nhiemvu, /hanchot, /theodoi --------------------------------------------------------------------

async def test_tasks_are_listed_by_deadline_with_agencies_and_pages_edit(staff_bot: Any) -> None:
    kb, api = staff_bot.deps.kb, staff_bot.api
    how, rows = find_tasks(kb, "Bộ Công an")
    assert how == "agency" and len(rows) > tasks.PAGE_TASKS
    [first] = await staff_bot.send("/nhiemvu Bộ Công an")
    seen = visible(first.text)
    assert "Chủ trì: Bộ Công an" in seen and "Hạn:" in seen and "Phối hợp:" in seen
    assert f"({len(rows)})" in seen.splitlines()[0]
    mark = len(api.calls)
    api.push_callback(button(first, "nv:")["callback_data"], first.result)
    [edit] = await api.wait_for("editMessageText", after=mark)
    assert edit.params["message_id"] == first.result["message_id"] and "Trang 2/" in visible(edit.text)
    assert not [c for c in api.calls[mark:] if c.method == "sendMessage"]


def test_tasks_sort_by_deadline_undated_last(shipped_kb: Any) -> None:
    from knowledge.tasks import deadline_end

    _, rows = find_tasks(shipped_kb, "Bộ Công an")
    ends = [deadline_end(r.task.deadline or "") or "9999" for r in rows]
    assert ends == sorted(ends)


async def test_deadlines_of_a_window_and_overdue_ones_relative_to_the_injected_today(staff_bot: Any) -> None:
    kb = staff_bot.deps.kb
    window = parse_window("tháng", TODAY)
    assert window is not None
    expected = deadlines(kb, window, TODAY)
    assert expected.due and expected.overdue
    mark = len(staff_bot.api.calls)
    await staff_bot.send("/hanchot tháng")
    await staff_bot.api.idle(0.3)  # a long reply may be split over messages
    seen = visible("\n".join(c.text for c in staff_bot.api.calls[mark:] if c.method == "sendMessage"))
    assert "tháng 6/2026" in seen and "01/06/2026" in seen
    assert f"Đến hạn trong tháng 6/2026 ({len(expected.due)})" in seen
    assert f"Đã quá hạn ({len(expected.overdue)})" in seen
    assert replies.shorten(expected.due[0].task.task.lstrip("- "), 60)[:40] in seen


@pytest.mark.parametrize(("words", "label"), [
    ("", "tháng 6/2026"), ("quý", "quý II/2026"), ("năm", "năm 2026"), ("tháng 12/2025", "tháng 12/2025"),
    ("quý III/2025", "quý III/2025"), ("2027", "năm 2027"), ("quý 4", "quý IV/2026"), ("tháng 2", "tháng 2/2026"),
])
def test_deadline_windows(words: str, label: str) -> None:
    window = parse_window(words, TODAY)
    assert window is not None and window.label == label
    assert window.start <= window.end


def test_unknown_window_and_deadline_starts() -> None:
    assert parse_window("hôm qua", TODAY) is None
    assert deadline_start("2025-Q3") == "2025-07-01"
    assert deadline_start("2026") == "2026-01-01"
    assert deadline_start("2025/2030") == "2025-01-01"


async def test_subscribe_keeps_json_able_subscriptions_and_unsubscribe_removes_them(staff_bot: Any) -> None:
    import json

    [call] = await staff_bot.send("/theodoi bo cong an")
    assert "Đã theo dõi" in visible(call.text)
    [call] = await staff_bot.send("/theodoi can tho")
    subs = staff_bot.app.bot_data["subscriptions"]
    assert subs == {str(USER["id"]): ["bo cong an", "Cần Thơ"]}
    assert json.loads(json.dumps(subs)) == subs
    [call] = await staff_bot.send("/theodoi một cơ quan không có")
    assert "Không tìm thấy" in visible(call.text)
    [call] = await staff_bot.send("/huytheodoi Cần Thơ")
    assert subs == {str(USER["id"]): ["bo cong an"]}
    [call] = await staff_bot.send("/huytheodoi")
    assert subs == {}


async def test_the_digest_job_sends_the_tasks_due_in_30_days_to_a_subscriber(staff_bot: Any) -> None:
    app, api, kb = staff_bot.app, staff_bot.api, staff_bot.deps.kb
    # The weekly job is scheduled at start-up, on Mondays at the fixed time in Vietnam.
    [job] = app.job_queue.get_jobs_by_name("digest")
    in_vietnam = job.next_t.utcoffset().total_seconds() == 7 * 3600
    assert str(job.next_t.tzinfo) in ("Asia/Ho_Chi_Minh", "+07:00") or in_vietnam
    app.bot_data["subscriptions"] = {str(USER["id"]): ["Bộ Công an"], "-100999": ["Lào Cai"]}
    expected = digest(kb, ["Bộ Công an"], TODAY)
    assert expected and expected[0][1]
    mark = len(api.calls)
    # Driven directly, with the fixed clock of Deps.today.
    once = app.job_queue.run_once(tasks.on_digest, when=3600, name="digest-test")
    await once.run(app)
    once.schedule_removal()
    sent = [c for c in api.calls[mark:] if c.method == "sendMessage"]
    assert sent and all(c.params["chat_id"] == USER["id"] for c in sent)
    text = visible("\n".join(c.text for c in sent))
    assert "Bộ Công an" in text and "30 ngày" in text
    first = expected[0][1][0].task.task.lstrip("- ")
    assert replies.shorten(first, 60)[:40] in text


# --- the English interface (issue 11) ---------------------------------------------------------------

ENGLISH = {**USER, "id": 111_222_341, "first_name": "Ann", "language_code": "en-US"}


async def test_an_english_user_gets_english_staff_replies_around_the_vietnamese_figures(staff_bot: Any) -> None:
    kb, api = staff_bot.deps.kb, staff_bot.api
    [usage] = await staff_bot.send("/sosanh", user=ENGLISH)
    assert visible(usage.text) == replies.say("sosanh.usage", replies.PLAIN, "en") != replies.SOSANH_USAGE
    mark = len(api.calls)
    [table] = await staff_bot.send("/sosanh dịch vụ công trực tuyến", user=ENGLISH)
    [photo] = await api.wait_for("sendPhoto", after=mark, timeout=DRAWING)
    head = visible(table.text).splitlines()[0]
    assert head.startswith("📊 Comparing targets: “dịch vụ công trực tuyến") and "So sánh" not in head
    caption = visible(photo.params["caption"])
    assert caption.startswith("📊 Targets: dịch vụ công trực tuyến — by province and city (%)\nSources: ")
    # /nhiemvu: English labels, the agencies and the tasks as the documents write them.
    how, rows = find_tasks(kb, "Bộ Công an")
    [tasks_page] = await staff_bot.send("/nhiemvu Bộ Công an", user=ENGLISH)
    seen = visible(tasks_page.text)
    assert seen.splitlines()[0] == f"📋 Tasks led or supported by “Bộ Công an” ({len(rows)}), by deadline"
    assert "Lead: Bộ Công an" in seen and "Due: " in seen and "Page 1/" in seen
    assert "Chủ trì" not in seen and "Hạn:" not in seen and "📌 From Quyết định" in seen
    [usage] = await staff_bot.send("/nhiemvu", user=ENGLISH)
    assert visible(usage.text).startswith("Type /nhiemvu with an agency")
    # The chart button under /muctieu, and the subscription keeps the digest's language.
    [targets] = await staff_bot.send("/muctieu hồ sơ", user=ENGLISH)
    assert button(targets, "mc:")["text"] == "📊 Chart" and "Page 1/" in visible(targets.text)
    [followed] = await staff_bot.send("/theodoi Bộ Công an", user=ENGLISH)
    assert visible(followed.text).startswith("✅ Following “Bộ Công an”")
    assert staff_bot.app.bot_data["subscription_languages"] == {str(ENGLISH["id"]): "en"}
    mark = len(api.calls)
    once = staff_bot.app.job_queue.run_once(tasks.on_digest, when=3600, name="digest-test")
    await once.run(staff_bot.app)
    once.schedule_removal()
    sent = [c for c in api.calls[mark:] if c.method == "sendMessage"]
    assert sent and "This week's deadlines" in visible(sent[0].text) and "Bản tin" not in visible(sent[0].text)
    # Vietnamese stays the default.
    [vi_usage] = await staff_bot.send("/nhiemvu")
    assert visible(vi_usage.text) == replies.NHIEMVU_USAGE

# --- "📎 Văn bản" -------------------------------------------------------------------------------------

async def test_the_document_button_sends_the_stored_file_and_refuses_a_stale_generation(staff_bot: Any) -> None:
    api, kb = staff_bot.api, staff_bot.deps.kb
    answer = await staff_bot.ask("tỷ lệ thanh toán trực tuyến Quảng Ngãi")
    mark = len(api.calls)
    api.push_callback(button(answer, "s:")["callback_data"], answer.result)
    [card] = await api.wait_for("sendMessage", after=mark)
    data = button(card, "vf:")["callback_data"]
    _, generation, doc_id = data.split(":")
    assert generation == kb.generation and "/" not in data and ".txt" not in data
    meta = kb.docs[int(doc_id)]
    mark = len(api.calls)
    api.push_callback(data, card.result)
    [sent] = await api.wait_for("sendDocument", after=mark, timeout=DRAWING)
    upload = sent.files["document"]
    assert upload.data == (PLANS / meta.file).read_bytes()
    assert upload.filename == readable_name(meta) and meta.document.replace("/", "-") in upload.filename
    assert upload.filename.endswith(Path(meta.file).suffix)
    if meta.source_url:
        assert meta.source_url in sent.params["caption"]
    mark = len(api.calls)
    api.push_callback(f"vf:{'0' * 8}:{doc_id}", card.result)
    [toast] = await api.wait_for("answerCallbackQuery", after=mark)
    assert toast.params.get("text") == replies.STALE_BUTTON
    await api.idle(0.2)
    assert not [c for c in api.calls[mark:] if c.method == "sendDocument"]


def test_readable_names_never_hold_a_path() -> None:
    meta = DocumentMeta(file="sub/x_1.docx", document="12/KH-UBND", province="Cần Thơ", issued="2025-03-01")
    assert readable_name(meta) == "Kế hoạch 12-KH-UBND Cần Thơ 2025.docx"
    assert "/" not in readable_name(DocumentMeta(file="a.pdf", document="../../etc/passwd"))


# --- /xuat ----------------------------------------------------------------------------------------

async def test_export_sends_an_xlsx_with_one_row_per_task_and_its_source(staff_bot: Any) -> None:
    from openpyxl import load_workbook

    api, kb = staff_bot.api, staff_bot.deps.kb
    _, rows = find_tasks(kb, "Bộ Công an")
    mark = len(api.calls)
    staff_bot.api.push_text("/xuat Bộ Công an")
    [sent] = await api.wait_for("sendDocument", after=mark, timeout=DRAWING)
    upload = sent.files["document"]
    assert upload.filename.endswith(".xlsx")
    ws = load_workbook(io.BytesIO(upload.data)).active
    table = list(ws.iter_rows(values_only=True))
    assert list(table[0]) == replies.TASK_COLUMNS
    assert len(table) - 1 == len(rows)
    doc, clause = replies.TASK_COLUMNS.index("Văn bản"), replies.TASK_COLUMNS.index("Đoạn trích")
    assert all(r[doc] and r[clause] for r in table[1:])
    assert table[1][replies.TASK_COLUMNS.index("Cơ quan chủ trì")] == rows[0].task.agency


def test_export_of_targets_names_kind_document_and_clause(shipped_kb: Any) -> None:
    from openpyxl import load_workbook

    found = build_export(shipped_kb, ["dịch", "vụ", "công", "trực", "tuyến"])
    assert found is not None and found.what == "chỉ tiêu" and found.rows >= 3
    table = list(load_workbook(io.BytesIO(found.data)).active.iter_rows(values_only=True))
    assert list(table[0]) == replies.TARGET_COLUMNS and len(table) - 1 == found.rows
    kind = replies.TARGET_COLUMNS.index("Loại")
    assert {r[kind] for r in table[1:]} <= {"mục tiêu", "kết quả đã đạt"}


def test_a_formula_in_a_document_stays_text_in_the_spreadsheet() -> None:
    from openpyxl import load_workbook

    from knowledge.export import xlsx

    data = xlsx("x", ["a"], [["=HYPERLINK(\"http://x\")"]])
    cell = load_workbook(io.BytesIO(data)).active["A2"]
    assert cell.data_type == "s"


# --- inline titles, /start buttons ---------------------------------------------------------------

async def test_inline_titles_say_what_the_figure_measures_and_where(staff_bot: Any) -> None:
    api = staff_bot.api
    mark = len(api.calls)
    api.push_inline("thanh toán trực tuyến Quảng Ngãi")
    [call] = await api.wait_for("answerInlineQuery", after=mark)
    first = call.params["results"][0]
    assert first["title"] == "Thanh toán trực tuyến 80% — Quảng Ngãi 2025"
    assert len(first["title"]) <= replies.INLINE_TITLE


def test_inline_title_starts_with_the_measure(shipped_kb: Any) -> None:
    answer = shipped_kb.search("tỷ lệ thanh toán trực tuyến Quảng Ngãi", top=3)
    result = next(r for r in answer.results if r.targets)
    title = replies.inline_title(result)
    figure = next(t for t in result.targets if t.kind != "result")
    assert title.startswith(measure(result.text, figure.value_text)[:20])
    assert replies.inline_description(result).startswith(result.text[:30])


def test_start_buttons_fit_one_line_on_a_phone() -> None:
    assert len(replies.EXAMPLE_BUTTONS) == len(replies.EXAMPLE_QUESTIONS)
    assert all(len(b) <= replies.EXAMPLE_BUTTON_CHARS <= 28 for b in replies.EXAMPLE_BUTTONS)


# --- console chat ------------------------------------------------------------------------------------

@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_console_answers_the_staff_commands_in_text_with_saved_files(shipped_kb: Any, tmp_path: Path) -> None:
    chat = ConsoleChat(shipped_kb, out_dir=tmp_path, today=lambda: TODAY)
    text = chat.respond("/sosanh dịch vụ công trực tuyến")
    assert "📊 So sánh mục tiêu" in text and "<b>" not in text
    path = Path(text.rsplit(": ", 1)[1].strip())
    assert path.parent == tmp_path and path.read_bytes().startswith(PNG_SIGNATURE)
    assert "Bộ Công an" in chat.respond("/nhiemvu Bộ Công an")
    assert "tháng 6/2026" in chat.respond("/hanchot")
    assert "📍" in chat.respond("/muctieu hồ sơ")
    saved = chat.respond("/xuat Bộ Công an")
    assert (tmp_path / "nhiem-vu_bo-cong-an.xlsx").exists() and str(tmp_path) in saved
    assert chat.respond("/theodoi Cần Thơ") == replies.NOT_IN_CONSOLE


@pytest.mark.parametrize(("args", "expected"), [
    ("dịch vụ công trực tuyến giai đoạn 2021 - 2025", ("dịch vụ công trực tuyến", None, None, (2021, 2025), "target")),
    ("thanh toán trực tuyến năm 2025 Quảng Ngãi", ("thanh toán trực tuyến", "Quảng Ngãi", 2025, None, "target")),
    ("kết quả số hóa hồ sơ Bắc Giang", ("số hóa hồ sơ", "Bắc Giang", None, None, "result")),
    ("hồ sơ trực tuyến 2021–2025", ("hồ sơ trực tuyến", None, None, (2021, 2025), "target")),
])
def test_staff_arguments(args: str, expected: tuple[Any, ...]) -> None:
    scope = parse_scope(args.split(), ["Quảng Ngãi", "Bắc Giang"])
    assert (scope.topic, scope.province, scope.year, scope.period, scope.kind) == expected


def test_measure_names_what_the_figure_is_about() -> None:
    text = ("6. Tối thiểu 80% TTHC có yêu cầu nghĩa vụ tài chính được triển khai thanh toán trực tuyến; "
            "tỷ lệ hài lòng của người dân đạt 90%.")
    assert measure(text, "80%") == "80% TTHC có yêu cầu nghĩa vụ tài chính được triển khai thanh toán trực tuyến"
    assert measure(text, "90%") == "tỷ lệ hài lòng của người dân 90%"


async def test_a_document_card_from_vanban_has_the_file_button_too(staff_bot: Any) -> None:
    [card] = await staff_bot.send("/vanban 2629")
    data = button(card, "vf:")["callback_data"]
    meta = staff_bot.deps.kb.docs[int(data.split(":")[2])]
    assert meta.document == "2629/QĐ-TTg"


async def test_no_file_button_without_the_plans_folder(running_bot: Any) -> None:
    [card] = await running_bot.send("/vanban 2629")
    assert not [b for b in card.buttons if b.get("callback_data", "").startswith("vf:")]
