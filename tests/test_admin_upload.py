"""Adding documents by sending them to the bot: each format, preview then Confirm / Cancel, size
and type limits, hostile file names, broken documents, a new version replacing an old one."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from fakebotapi import Call, tap, visible

from handlers import replies
from knowledge import library

pytestmark = pytest.mark.slow  # upload previews in worker processes

PLANS = Path(__file__).resolve().parent.parent / "knowledge" / "plans"
SHIPPED = sum(1 for p in PLANS.iterdir() if p.suffix == ".txt")

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

FRONT = """---
title: Kế hoạch cải cách hành chính tỉnh Quảng Trị năm 2027
province: Quảng Trị
document: 9001/KH-UBND
issued: 2027-01-05
---
"""
BODY_LINES = [
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ",
    "Số: 9001/KH-UBND",
    "Quảng Trị, ngày 05 tháng 01 năm 2027",
    "KẾ HOẠCH",
    "Cải cách hành chính tỉnh Quảng Trị năm 2027",
    "I. MỤC TIÊU",
    "1. Tối thiểu 93% hồ sơ đăng ký kinh doanh được tiếp nhận qua bưu chính công ích.",
    "2. 100% thủ tục hành chính được công khai trên cổng dịch vụ công của tỉnh.",
]
QUESTION = "hồ sơ đăng ký kinh doanh qua bưu chính công ích"


def button(call: Call, prefix: str, verb: str = "y") -> str:
    for b in call.buttons:
        data = str(b.get("callback_data", ""))
        if data.startswith(prefix) and data.endswith(f":{verb}"):
            assert len(data.encode()) <= 64
            return data
    raise AssertionError(f"no {prefix}…:{verb} button in {call.buttons}")


def docx_bytes(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(lines: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(DEJAVU))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for line in lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


async def upload(bot: Any, name: str | None, data: bytes, **kwargs: Any) -> Call:
    """Send a document as the admin; the bot's reply (preview or refusal)."""
    api = bot.api
    mark = len(api.calls)
    msg = api.push_document(name, data, **kwargs)
    [reply] = await api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == msg["chat"]["id"],
                                 after=mark, timeout=10)
    return reply


FORMATS = [
    ("ke-hoach-9001.txt", lambda: (FRONT + "\n".join(BODY_LINES[3:]) + "\n").encode("utf-8")),
    ("Kế hoạch 9001.md", lambda: (FRONT + "\n".join(BODY_LINES[3:]) + "\n").encode("utf-8")),
    ("KH 9001.docx", lambda: docx_bytes(BODY_LINES)),
    pytest.param("KH 9001.pdf", lambda: pdf_bytes(BODY_LINES),
                 marks=pytest.mark.skipif(not DEJAVU.exists(), reason="needs DejaVu Sans for Vietnamese")),
]


@pytest.mark.parametrize(("name", "make"), FORMATS)
async def test_upload_each_format_preview_confirm_then_answered(admin_bot: Any, name: str, make: Any) -> None:
    root: Path = admin_bot.deps.reloader.knowledge_dir
    preview = await upload(admin_bot, name, make())
    seen = visible(preview.text)
    assert "📄 Xem trước" in seen
    [busy] = await admin_bot.api.wait_for("sendChatAction")  # reading a file takes a moment: shown
    assert busy.params["action"] == "typing"
    assert "Số hiệu: 9001/KH-UBND" in seen and "Tỉnh, thành phố: Quảng Trị" in seen
    assert "Ban hành: ngày 05/01/2027" in seen
    assert re.search(r"Đoạn trích: \d+ — chỉ tiêu: 2", seen)
    assert "<b>93%</b>" in preview.text                        # the first targets, figure in bold
    saved = library.safe_filename(name)
    assert f"Sẽ lưu thành: {saved}" in seen
    pending = list((root / ".incoming").iterdir())
    assert len(pending) == 1 and not (root / saved).exists()   # waiting, invisible to the loader

    report = await tap(admin_bot, button(preview, "au:"), preview)
    seen = visible(report.text)
    assert f"📥 Đã lưu “{saved}”" in seen and f"Văn bản: {SHIPPED + 1} (+1 mới" in seen
    assert (root / saved).read_bytes() == make() or saved.endswith((".docx", ".pdf"))
    assert not any((root / ".incoming").iterdir())
    answer = await admin_bot.ask(QUESTION)
    assert "9001/KH-UBND" in visible(answer.text) and "<b>93%</b>" in answer.text


async def test_cancel_deletes_the_waiting_upload(admin_bot: Any) -> None:
    root: Path = admin_bot.deps.reloader.knowledge_dir
    before = files(root)
    preview = await upload(admin_bot, "x.txt", (FRONT + "\n".join(BODY_LINES[5:])).encode())
    assert len(files(root)) == len(before) + 1                  # the pending copy in .incoming/
    edit = await tap(admin_bot, button(preview, "au:", "n"), preview, until=replies.CANCELLED)
    assert edit.text == replies.CANCELLED
    assert files(root) == before
    assert "9001/KH-UBND" not in (await admin_bot.ask(QUESTION)).text


@pytest.mark.parametrize("name", ["plan.exe", "scan.jpg", "../../etc/passwd", None])
async def test_wrong_type_is_refused_before_download(admin_bot: Any, name: str | None) -> None:
    root: Path = admin_bot.deps.reloader.knowledge_dir
    before = files(root)
    reply = await upload(admin_bot, name, b"MZ\x90\x00 not a plan")
    assert "chỉ nhận tệp .txt, .md, .docx, .doc hoặc .pdf" in visible(reply.text)
    assert admin_bot.api.calls_to("getFile") == [] and files(root) == before


async def test_oversized_upload_is_refused_with_or_without_a_declared_size(admin_bot: Any) -> None:
    root: Path = admin_bot.deps.reloader.knowledge_dir
    admin_bot.deps.max_upload_bytes = 2000
    before = files(root)
    big = (FRONT + "\n".join(BODY_LINES[5:]) + "\n" + "Nội dung. " * 400).encode()
    reply = await upload(admin_bot, "big.txt", big)
    assert "quá lớn (5 KB); giới hạn là 2 KB" in reply.text
    assert admin_bot.api.calls_to("getFile") == []
    # Telegram may omit file_size: the downloaded bytes are checked too.
    reply = await upload(admin_bot, "big.txt", big, file_size=None)
    assert "quá lớn" in reply.text
    assert files(root) == before


HOSTILE = [("../../etc/passwd.txt", "passwd.txt"), ("..\\..\\Windows\\Kế hoạch CCHC.md", "ke-hoach-cchc.md"),
           (".hidden.txt", "hidden.txt"), ("/etc/cron.d/x.md", "x.md")]


async def test_hostile_file_names_are_saved_inside_the_folder_under_a_safe_name(admin_bot: Any,
                                                                              tmp_path: Path) -> None:
    root: Path = admin_bot.deps.reloader.knowledge_dir
    body = (FRONT + "\n".join(BODY_LINES[5:]) + "\n").encode()
    for name, saved in HOSTILE[1:]:
        preview = await upload(admin_bot, name, body)
        assert f"Sẽ lưu thành: {saved}" in visible(preview.text), name
        [pending] = (root / ".incoming").iterdir()
        assert pending.name.endswith(f"-{saved}")
        await tap(admin_bot, button(preview, "au:", "n"), preview, until=replies.CANCELLED)
    name, saved = HOSTILE[0]
    preview = await upload(admin_bot, name, body)
    assert f"Sẽ lưu thành: {saved}" in visible(preview.text)
    await tap(admin_bot, button(preview, "au:"), preview)
    assert (root / saved).is_file()
    assert all(p.resolve().is_relative_to(root.resolve()) for p in root.rglob("*"))
    assert not (tmp_path / "etc").exists() and not (root.parent / saved).exists()
    assert not Path("/etc/passwd.txt").exists()


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 50, "là tệp nhị phân"),
    ("cp1258.txt", "Kế hoạch cải cách hành chính".encode("cp1258", errors="replace") + b"\xd2\xde",
     "không phải văn bản UTF-8 (có thể đang ở bảng mã cũ"),
    ("empty.md", b"", "là tệp rỗng"),
    ("broken.md", b"---\ntitle: no end\n\nText",
     "phần đầu tệp mở bằng '---' ở dòng 1 nhưng không có dòng '---' đóng lại"),
    ("fake.docx", b"PK\x03\x04 not really a zip", "không mở được như tệp Word .docx"),
    ("fake.pdf", b"%PDF-1.4 garbage", "không đọc được như tệp PDF"),
])
async def test_broken_upload_is_refused_with_the_reason_and_nothing_is_saved(
        admin_bot: Any, name: str, content: bytes, reason: str) -> None:
    root: Path = admin_bot.deps.reloader.knowledge_dir
    before = files(root)
    reply = await upload(admin_bot, name, content)
    seen = visible(reply.text)
    assert seen.startswith(f"❌ Không đọc được tệp “{name}”") and reason in seen, seen
    assert "Không có gì được lưu" in seen and not reply.buttons
    assert files(root) == before


async def test_a_new_version_replaces_the_old_which_goes_to_the_trash(admin_bot: Any) -> None:
    root: Path = admin_bot.deps.reloader.knowledge_dir
    old_name = "off_cantho_4168-QD-UBND_2021.txt"
    old = (root / old_name).read_bytes()
    identical = await upload(admin_bot, "same.txt", old)
    assert "giống hệt" in identical.text and not identical.buttons
    # Same number, issuer and issue year (a document from another year is another document).
    new = old.decode("utf-8").replace("giai đoạn 2021-2025", "giai đoạn 2021-2025 (sửa đổi)", 1).encode(
        "utf-8") + "\nBổ sung năm 2022.\n".encode()
    preview = await upload(admin_bot, "cantho-moi.txt", new)
    seen = visible(preview.text)
    assert "Số hiệu: 4168/QĐ-UBND" in seen and "♻️ Thay văn bản cùng số hiệu" in seen and old_name in seen
    assert f"Sẽ lưu thành: {old_name}" in seen                   # a new version keeps the file name
    assert [b["text"] for b in preview.buttons][0] == replies.REPLACE_BUTTON
    report = await tap(admin_bot, button(preview, "au:"), preview)
    seen = visible(report.text)
    assert "Bản cũ đã chuyển vào trash/" in seen and f"Văn bản: {SHIPPED} (+0 mới, 1 sửa đổi, −0 bỏ)" in seen
    assert (root / "trash" / old_name).read_bytes() == old      # kept, not deleted
    assert (root / old_name).read_bytes() == new


async def test_documents_from_citizens_get_the_media_hint_and_are_never_downloaded(admin_bot: Any) -> None:
    root: Path = admin_bot.deps.reloader.knowledge_dir
    before = files(root)
    citizen = {"id": 4242, "is_bot": False, "first_name": "Minh"}
    reply = await upload(admin_bot, "plan.txt", (FRONT + "1. Nội dung.").encode(), user=citizen)
    assert reply.text == replies.media_hint()
    assert admin_bot.api.calls_to("getFile") == [] and files(root) == before
