"""Document numbers are not unique across provinces (issue 10, item 4): one matcher for the whole
project (`knowledge/numbers.py`), documents identified by number + issuer + year, "which one?"
buttons, and replacements only within the same document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fakebotapi import Call, tap, visible

from handlers import replies
from knowledge import KnowledgeBase, build_index, library, numbers
from knowledge.models import DocumentMeta


def plan(province: str, number: str, issued: str, figure: int, extra: str = "") -> str:
    """A small plan document with front matter and one numbered target."""
    year = issued[:4]
    return (f"---\ntitle: Kế hoạch cải cách hành chính tỉnh {province} năm {year}\nprovince: {province}\n"
            f"document: {number}\nissued: {issued}\n---\n"
            f"KẾ HOẠCH\nCải cách hành chính năm {year}\nI. MỤC TIÊU\n"
            f"1. Tối thiểu {figure}% hồ sơ thủ tục hành chính được số hóa và lưu trữ điện tử.{extra}\n"
            f"2. Duy trì {figure - 10}% cán bộ được bồi dưỡng kỹ năng chuyển đổi số.\n")


LAICHAU = ("laichau_101.txt", plan("Lai Châu", "101/KH-UBND", "2025-01-10", 91))
CANTHO = ("cantho_101.txt", plan("Cần Thơ", "101/KH-UBND", "2025-01-15", 77))
HANOI = ("hanoi_202.txt", plan("Hà Nội", "202/KH-UBND", "2025-02-01", 88))


@pytest.fixture
def plans_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A plans folder where two provinces each have a "101/KH-UBND", and its index (overrides
    conftest's copy of the shipped plans, so `admin_bot` runs on these)."""
    root = tmp_path / "plans"
    root.mkdir()
    for name, text in (LAICHAU, CANTHO, HANOI):
        (root / name).write_text(text, encoding="utf-8")
    db = tmp_path / "index" / "knowledge.db"
    build_index(root, db)
    return root, db


# --- the matcher ----------------------------------------------------------------------------------

def meta(number: str | None, province: str | None = None, issued: str | None = None, file: str = "a.txt",
         current: str | None = None) -> DocumentMeta:
    return DocumentMeta(file=file, province=province, province_current=current, document=number, issued=issued)


def test_one_rule_for_typed_numbers() -> None:
    doc = meta("0101/KH-UBND", "Cần Thơ", "2025-01-15", file="sub/cantho_101.txt")
    for typed in ("101", "0101", "101/KH-UBND", "101/kh-ubnd", "101 / KH-UBND", "101 Cần Thơ", "101 can tho",
                  "101/KH-UBND Cần Thơ", "101 thành phố Cần Thơ năm 2025", "101 2025", "sub/cantho_101.txt",
                  "cantho_101.txt"):
        assert numbers.matches(typed, doc), typed
    for typed in ("10", "1010", "101/QĐ-UBND", "101 Lai Châu", "101 2024", "", "  ", "Cần Thơ"):
        assert not numbers.matches(typed, doc), typed
    assert numbers.matches("101 Sóc Trăng", meta("101/KH-UBND", "Sóc Trăng", current="Cần Thơ"))
    assert numbers.matches("101 Cần Thơ", meta("101/KH-UBND", "Sóc Trăng", current="Cần Thơ"))


def test_identity_is_number_issuer_and_year() -> None:
    cantho = meta("101/KH-UBND", "Cần Thơ", "2025-01-15")
    assert numbers.same_document(cantho, meta("0101/kh-ubnd", "Cần Thơ", "2025-06-01", file="b.txt"))
    assert not numbers.same_document(cantho, meta("101/KH-UBND", "Lai Châu", "2025-01-15"))
    assert not numbers.same_document(cantho, meta("101/KH-UBND", "Cần Thơ", "2024-01-15"))
    assert not numbers.same_document(cantho, meta("101/QĐ-UBND", "Cần Thơ", "2025-01-15"))
    # A pre-merger province is its own issuer, though it belongs to Cần Thơ today.
    assert not numbers.same_document(cantho, meta("101/KH-UBND", "Sóc Trăng", "2025-01-15", current="Cần Thơ"))
    # Central bodies: the issuer is in the number.
    assert numbers.issuer(meta("28/QĐ-TTg")) == "ttg"
    assert not numbers.same_document(meta("28/QĐ-TTg", issued="2025-01-01"), meta("28/QĐ-BNV", issued="2025-01-01"))
    assert numbers.identity(meta(None)) is None


def test_the_index_and_the_folder_find_documents_by_the_same_rule(plans_copy: tuple[Path, Path]) -> None:
    root, db = plans_copy
    kb = KnowledgeBase.open(db)
    try:
        for typed in ("101", "101/KH-UBND", "101 Cần Thơ", "101 Lai Châu", "101/QĐ-UBND", "202", "cantho_101.txt",
                      "101 2025"):
            in_index = sorted(m.file for _, m in kb.find_documents(typed))
            in_folder = sorted(f.meta.file for f in library.find_documents(root, typed))
            assert in_index == in_folder, typed
        assert [m.province for _, m in kb.find_documents("101")] == ["Cần Thơ", "Lai Châu"]
        assert kb.find_document("101") is None                          # ambiguous: no single answer
        found = kb.find_document("101/KH-UBND Lai Châu")
        assert found is not None and found.province == "Lai Châu"
    finally:
        kb.close()


# --- questions --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "province", "figure", "other"), [
    ("101/KH-UBND Cần Thơ hồ sơ số hóa", "Cần Thơ", "77%", "91%"),
    ("kế hoạch 101/KH-UBND Lai Châu hồ sơ được số hóa", "Lai Châu", "91%", "77%"),
    ("ke hoach 101 can tho ho so so hoa", "Cần Thơ", "77%", "91%"),
])
def test_a_number_and_a_province_answer_from_that_province(plans_copy: tuple[Path, Path], question: str,
                                                           province: str, figure: str, other: str) -> None:
    _, db = plans_copy
    kb = KnowledgeBase.open(db)
    try:
        answer = kb.search(question, top=3)
        assert answer.answered and answer.results
        assert {r.meta.province for r in answer.results} == {province}
        assert figure in answer.results[0].text and all(other not in r.text for r in answer.results)
    finally:
        kb.close()


async def test_both_provinces_answer_through_telegram(admin_bot: Any) -> None:
    for question, figure, province in (("101/KH-UBND Cần Thơ hồ sơ số hóa", "77%", "Cần Thơ"),
                                       ("101/KH-UBND Lai Châu hồ sơ số hóa", "91%", "Lai Châu")):
        call = await admin_bot.ask(question)
        seen = visible(call.text)
        assert figure in seen and province in seen, seen


# --- /vanban ------------------------------------------------------------------------------------------

async def test_vanban_with_a_shared_number_asks_which_one(admin_bot: Any) -> None:
    api = admin_bot.api
    [ask] = await admin_bot.send("/vanban 101")
    seen = visible(ask.text)
    assert "Có 2 văn bản số “101”" in seen and "Cần Thơ" in seen and "Lai Châu" in seen
    assert [b["text"] for b in ask.buttons] == ["101/KH-UBND · Cần Thơ · 2025", "101/KH-UBND · Lai Châu · 2025"]
    for b, province, other in zip(ask.buttons, ("Cần Thơ", "Lai Châu"), ("Lai Châu", "Cần Thơ"), strict=True):
        assert len(b["callback_data"].encode()) <= 64
        mark = len(api.calls)
        api.push_callback(b["callback_data"], ask.result)
        [card] = await api.wait_for("sendMessage", after=mark)
        seen = visible(card.text)
        assert f"Tỉnh, thành phố ban hành: {province}" in seen and other not in seen
        assert "Số hiệu: 101/KH-UBND" in seen
    # Number and province together: the card at once.
    [card] = await admin_bot.send("/vanban 101 Lai Châu")
    assert "Tỉnh, thành phố ban hành: Lai Châu" in visible(card.text) and not card.buttons
    [card] = await admin_bot.send("/vanban 202")
    assert "Hà Nội" in visible(card.text) and not card.buttons


async def test_a_stale_vanban_button_is_refused(admin_bot: Any) -> None:
    api = admin_bot.api
    [ask] = await admin_bot.send("/vanban 101")
    forged = ask.buttons[0]["callback_data"].rsplit(":", 2)[0] + ":0000:1"
    mark = len(api.calls)
    api.push_callback(forged, ask.result)
    [ack] = await api.wait_for("answerCallbackQuery", after=mark)
    assert ack.params.get("text") == replies.STALE_BUTTON
    await api.idle(0.2)
    assert not [c for c in api.calls[mark:] if c.method == "sendMessage"]


# --- /xoa, /khoiphuc, uploads ------------------------------------------------------------------------

def buttons(call: Call, prefix: str) -> list[str]:
    return [str(b["callback_data"]) for b in call.buttons
            if str(b["callback_data"]).startswith(prefix) and str(b["callback_data"]).endswith(":y")]


async def upload(bot: Any, name: str, text: str) -> Call:
    mark = len(bot.api.calls)
    bot.api.push_document(name, text.encode("utf-8"))
    [reply] = await bot.api.wait_for("sendMessage", after=mark, timeout=20)
    return reply


async def test_xoa_and_khoiphuc_pick_by_number_and_province(admin_bot: Any) -> None:
    root = admin_bot.deps.reloader.knowledge_dir
    [ask] = await admin_bot.send("/xoa 101")
    assert len(buttons(ask, "at:")) == 2                        # which one?
    [ask] = await admin_bot.send("/xoa 101 Cần Thơ")
    assert "cantho_101.txt" in visible(ask.text) and len(buttons(ask, "at:")) == 1
    await tap(admin_bot, buttons(ask, "at:")[0], ask)
    assert not (root / "cantho_101.txt").exists() and (root / "laichau_101.txt").exists()
    # Restoring Cần Thơ's plan must not offer to swap out Lai Châu's, which shares its number.
    mark = len(admin_bot.api.calls)
    admin_bot.api.push_text("/khoiphuc 101")
    [progress] = await admin_bot.api.wait_for("sendMessage", after=mark)
    assert "Đang cập nhật" in progress.text and not progress.buttons
    await admin_bot.api.wait_for("editMessageText", lambda c: "Đã cập nhật" in c.text, after=mark, timeout=20)
    assert (root / "cantho_101.txt").exists() and (root / "laichau_101.txt").exists()
    assert not any((root / "trash").iterdir())


async def test_an_upload_from_another_province_never_trashes_the_other(admin_bot: Any) -> None:
    root = admin_bot.deps.reloader.knowledge_dir
    laichau, cantho = (root / LAICHAU[0]).read_bytes(), (root / CANTHO[0]).read_bytes()
    preview = await upload(admin_bot, "hatinh.txt", plan("Hà Tĩnh", "101/KH-UBND", "2025-03-01", 66))
    seen = visible(preview.text)
    assert "Thay văn bản" not in seen and "được giữ nguyên" in seen
    assert [b["text"] for b in preview.buttons][0] == replies.ADD_BUTTON
    report = await tap(admin_bot, buttons(preview, "au:")[0], preview)
    assert "Bản cũ" not in visible(report.text)
    assert (root / LAICHAU[0]).read_bytes() == laichau and (root / CANTHO[0]).read_bytes() == cantho
    assert not (root / "trash").exists() or not any((root / "trash").iterdir())
    assert len(admin_bot.deps.kb.find_documents("101")) == 3
    # Another year of Cần Thơ's "101" is another document too.
    preview = await upload(admin_bot, "cantho2026.txt", plan("Cần Thơ", "101/KH-UBND", "2026-01-15", 80))
    assert [b["text"] for b in preview.buttons][0] == replies.ADD_BUTTON


async def test_a_same_issuer_upload_still_replaces(admin_bot: Any) -> None:
    root = admin_bot.deps.reloader.knowledge_dir
    laichau, cantho = (root / LAICHAU[0]).read_bytes(), (root / CANTHO[0]).read_bytes()
    new = plan("Cần Thơ", "101/KH-UBND", "2025-01-15", 79, extra=" Bổ sung.")
    preview = await upload(admin_bot, "cantho-moi.txt", new)
    seen = visible(preview.text)
    assert "♻️ Thay văn bản cùng số hiệu" in seen and CANTHO[0] in seen and LAICHAU[0] in seen  # kept, named
    assert [b["text"] for b in preview.buttons][0] == replies.REPLACE_BUTTON
    report = await tap(admin_bot, buttons(preview, "au:")[0], preview)
    assert "Bản cũ đã chuyển vào trash/" in visible(report.text)
    assert (root / "trash" / CANTHO[0]).read_bytes() == cantho
    assert (root / CANTHO[0]).read_text(encoding="utf-8") == new
    assert (root / LAICHAU[0]).read_bytes() == laichau
    answer = admin_bot.deps.kb.search("101/KH-UBND Cần Thơ hồ sơ số hóa")
    assert "79%" in answer.results[0].text
