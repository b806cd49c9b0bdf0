"""The documents admins actually have: PDF tables, scanned PDFs (OCR) and legacy Word .doc.

Tests that need Tesseract with Vietnamese data, antiword or LibreOffice skip with the reason when
the program is not installed (`.ci/run` installs Tesseract and antiword). The wiring around them
(cache, warnings, messages, uploads) is also tested with a stand-in OCR engine, everywhere.

`data/readers/ke-hoach-2228.doc` is a real Word 97 file, made offline: a .docx written by
python-docx (header, number, a target, a three-column table) converted by LibreOffice 7.4
headless (`soffice --headless --convert-to doc`) on Debian 12.
"""

from __future__ import annotations

import io
import pickle
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from fakebotapi import tap
from test_admin_upload import button, upload, visible

from handlers import replies
from knowledge import readers
from knowledge.build import build_index, knowledge_hash
from knowledge.documents import _may_hold_table, load_documents, read_document
from knowledge.library import preview_document, stage_upload, suffix_allowed
from knowledge.models import DocumentError

DATA = Path(__file__).parent / "data" / "readers"
DOC_FILE = DATA / "ke-hoach-2228.doc"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

needs_font = pytest.mark.skipif(not (DEJAVU.exists() and DEJAVU_BOLD.exists()),
                                reason="needs DejaVu Sans for Vietnamese (Debian: fonts-dejavu-core)")
needs_tesseract = pytest.mark.skipif(readers.tesseract_missing() is not None,
                                     reason=f"{readers.tesseract_missing()} — scanned PDFs are not read by OCR here")
needs_antiword = pytest.mark.skipif(shutil.which("antiword") is None,
                                    reason="antiword is not installed (Debian: antiword)")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice is not installed (Debian: libreoffice-writer-nogui)")

SCAN_LINES = [
    "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH",
    "Số: 3369/QĐ-UBND",
    "Kế hoạch cải cách hành chính năm 2026",
    "Tỷ lệ hồ sơ trực tuyến toàn trình đạt tối thiểu 80%.",
    "Giao Sở Nội vụ chủ trì, hoàn thành trước ngày 31/12/2026.",
]

TABLE = [
    ("Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"),
    ("Rà soát, cắt giảm thủ tục hành chính về đất đai", "Sở Nông nghiệp và Môi trường", "Quý II/2026"),
    ("Số hóa hồ sơ", "Bộ Công an", "2026"),
]


# --- makers ------------------------------------------------------------------------------------

def fpdf() -> Any:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(DEJAVU))
    pdf.add_font("DejaVu", style="B", fname=str(DEJAVU_BOLD))  # table headings are bold
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    return pdf


def table_pdf(rows: Sequence[Sequence[str]] = TABLE) -> bytes:
    pdf = fpdf()
    pdf.multi_cell(0, 7, "Kế hoạch cải cách hành chính năm 2026. Phụ lục nhiệm vụ như sau:",
                   new_x="LMARGIN", new_y="NEXT")
    with pdf.table() as table:
        for row in rows:
            cells = table.row()
            for cell in row:
                cells.cell(cell)
    pdf.multi_cell(0, 7, "Tổ chức thực hiện: giao Sở Nội vụ theo dõi, đôn đốc.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf(lines: list[str] = SCAN_LINES) -> bytes:
    """An image-only PDF: Vietnamese text drawn on a 300 dpi page image, no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(DEJAVU), 40)
    image = Image.new("L", (2480, 250 + 80 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((150, 150 + i * 80), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=300)
    return out.getvalue()


def blank_scan_pdf() -> bytes:
    """A PDF page with marks but no text layer, made without any font (runs everywhere)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


class FakeOcr:
    """Stands in for Tesseract: counts pages and returns `text` for each."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pages = 0

    def __call__(self, png: bytes) -> str:
        assert png.startswith(b"\x89PNG")  # the page really was rendered
        self.pages += 1
        return self.text


@pytest.fixture
def fake_ocr(monkeypatch: pytest.MonkeyPatch) -> FakeOcr:
    engine = FakeOcr("\n".join(SCAN_LINES))
    monkeypatch.setattr(readers, "tesseract_missing", lambda: None)
    monkeypatch.setattr(readers, "_tesseract_png", engine)
    return engine


@pytest.fixture
def no_programs(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a machine where Tesseract, antiword and LibreOffice are not installed."""
    monkeypatch.setattr(readers, "_which", lambda name: None)


# --- PDF tables --------------------------------------------------------------------------------

@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
@needs_font
def test_pdf_table_keeps_one_line_per_row_between_the_text(tmp_path: Path) -> None:
    path = tmp_path / "phu-luc.pdf"
    path.write_bytes(table_pdf())
    lines = read_document(path).text.split("\n")
    rows = [" | ".join(row) for row in TABLE]
    for row in rows:
        assert row in lines, (row, lines)
    # Text before and after the table stays where it was; short cells are kept whole.
    order = [next(i for i, x in enumerate(lines) if x.startswith(p))
             for p in ("Kế hoạch cải cách", rows[0], rows[1], rows[2], "Tổ chức thực hiện")]
    assert order == sorted(order)
    assert "Số hóa hồ sơ | Bộ Công an | 2026" in lines


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
@needs_font
def test_pdf_without_a_table_reads_as_before(tmp_path: Path) -> None:
    from pypdf import PdfReader

    pdf = fpdf()
    for line in SCAN_LINES:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    raw = bytes(pdf.output())
    path = tmp_path / "plain.pdf"
    path.write_bytes(raw)
    assert readers.pdf_table_pages(raw) == {}
    expected = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(raw)).pages)
    doc = read_document(path)
    assert doc.text == expected and readers.OCR_WARNING not in doc.warnings
    # Pages that draw no lines or boxes are not handed to pdfplumber at all (it is slow).
    assert not any(_may_hold_table(p) for p in PdfReader(io.BytesIO(raw)).pages)
    assert all(_may_hold_table(p) for p in PdfReader(io.BytesIO(table_pdf())).pages)


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
@needs_font
def test_pdf_whose_tables_cannot_be_read_keeps_its_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(raw: bytes, pages: object = None) -> dict[int, str]:
        raise ValueError("odd table structure")

    monkeypatch.setattr(readers, "pdf_table_pages", broken)
    path = tmp_path / "phu-luc.pdf"
    path.write_bytes(table_pdf())
    text = read_document(path).text
    assert "Tổ chức thực hiện" in text and "Bộ Công an" in text


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
@needs_font
def test_pdf_table_rows_reach_the_index(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "phu-luc.pdf").write_bytes(table_pdf())
    report = build_index(plans, tmp_path / "k.db")
    assert report.errors == []
    import sqlite3

    with sqlite3.connect(tmp_path / "k.db") as db:
        texts = [t for (t,) in db.execute("SELECT text FROM clauses")]
    joined = "\n".join(texts)
    assert "Bộ Công an" in joined and "Sở Nông nghiệp và Môi trường" in joined and "Quý II/2026" in joined


# --- scanned PDFs ------------------------------------------------------------------------------

@pytest.mark.slow
@needs_tesseract
@needs_font
def test_scanned_pdf_is_read_by_tesseract_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "ban-quet.pdf").write_bytes(scanned_pdf())
    real = readers._tesseract_png
    calls: list[int] = []

    def counted(png: bytes) -> str:
        calls.append(len(png))
        return real(png)

    monkeypatch.setattr(readers, "_tesseract_png", counted)
    first = build_index(plans, tmp_path / "a.db")
    assert first.errors == [] and len(calls) == 1
    assert f"ban-quet.pdf: {readers.OCR_WARNING}" in first.warnings
    doc = read_document(plans / "ban-quet.pdf", root=plans)
    assert len(calls) == 1  # read from the cache
    text = doc.text
    for words in ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "3369/QĐ-UBND", "tối thiểu 80%", "Sở Nội vụ", "31/12/2026"):
        assert words in text, (words, text)
    assert doc.meta.document == "3369/QĐ-UBND" and doc.meta.province == "Hà Tĩnh"
    # A second build (new index) takes the kept text: Tesseract is not run again.
    second = build_index(plans, tmp_path / "b.db")
    assert second.errors == [] and len(calls) == 1
    assert second.files == first.files


def test_ocr_text_is_cached_by_content_hash_in_a_folder_the_index_skips(
        tmp_path: Path, fake_ocr: FakeOcr) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    path = plans / "scan.pdf"
    path.write_bytes(blank_scan_pdf())
    before = knowledge_hash(plans)
    doc = read_document(path, root=plans)
    assert fake_ocr.pages == 1 and doc.warnings[0] == readers.OCR_WARNING
    assert "3369/QĐ-UBND" in doc.text and doc.meta.document == "3369/QĐ-UBND"
    [kept] = (plans / readers.OCR_CACHE).iterdir()
    assert kept.name.startswith(doc.sha256)
    assert knowledge_hash(plans) == before               # the cache does not make the index stale
    docs, errors = load_documents(plans)
    assert [d.meta.file for d in docs] == ["scan.pdf"] and errors == [] and fake_ocr.pages == 1
    # Same bytes under another name: still no second OCR; other bytes: read again.
    (plans / "copy.pdf").write_bytes(path.read_bytes())
    read_document(plans / "copy.pdf", root=plans)
    assert fake_ocr.pages == 1
    (plans / "other.pdf").write_bytes(blank_scan_pdf() + b"\n% another scan\n")
    read_document(plans / "other.pdf", root=plans)
    assert fake_ocr.pages == 2


def test_ocr_cache_on_a_read_only_folder_still_reads(tmp_path: Path, fake_ocr: FakeOcr) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(blank_scan_pdf())
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    doc = read_document(path, ocr_cache=blocker)
    assert "3369/QĐ-UBND" in doc.text


def test_upload_preview_fills_the_cache_the_build_uses(tmp_path: Path, fake_ocr: FakeOcr) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    staged, _ = stage_upload(plans, "Bản quét.pdf", blank_scan_pdf())
    preview = preview_document(staged)
    assert preview.warnings[0] == readers.OCR_WARNING and fake_ocr.pages == 1
    assert (plans / readers.OCR_CACHE).is_dir() and not (staged.parent / readers.OCR_CACHE).exists()
    shutil.move(staged, plans / "ban-quet.pdf")
    report = build_index(plans, tmp_path / "k.db")
    assert report.errors == [] and fake_ocr.pages == 1


def test_scanned_pdf_without_tesseract_says_what_to_install(tmp_path: Path, no_programs: None) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(blank_scan_pdf())
    with pytest.raises(DocumentError) as info:
        read_document(path)
    err = info.value
    assert err.code == readers.NO_TEXT_LAYER
    assert "text layer" in err.reason and "tesseract-ocr-vie" in err.reason
    worded = replies.document_problem(err)
    assert "bản quét" in worded and "tesseract-ocr tesseract-ocr-vie" in worded
    assert not (tmp_path / readers.OCR_CACHE).exists()


def test_tesseract_without_vietnamese_data_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\necho 'List of available languages (2):'\necho eng\necho osd\n")
    fake.chmod(0o755)
    monkeypatch.setattr(readers, "_which", lambda name: str(fake) if name == "tesseract" else None)
    missing = readers.tesseract_missing()
    assert missing is not None and "Vietnamese" in missing and "tesseract-ocr-vie" in missing


def test_ocr_that_finds_nothing_is_an_error_not_an_empty_document(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "tesseract_missing", lambda: None)
    monkeypatch.setattr(readers, "_tesseract_png", FakeOcr("  \n\f"))
    path = tmp_path / "scan.pdf"
    path.write_bytes(blank_scan_pdf())
    with pytest.raises(DocumentError) as info:
        read_document(path)
    assert info.value.code == readers.OCR_FAILED
    assert "text layer" in info.value.reason
    assert not (tmp_path / readers.OCR_CACHE).exists() or not any((tmp_path / readers.OCR_CACHE).iterdir())


# --- legacy .doc -------------------------------------------------------------------------------

def check_sample_doc(path: Path) -> None:
    doc = read_document(path)
    lines = [x.strip() for x in doc.text.split("\n") if x.strip()]
    assert lines[0] == "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"
    assert ("Phấn đấu 100% thủ tục hành chính đủ điều kiện được cung cấp dịch vụ công trực tuyến "
            "toàn trình.") in lines
    assert "Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành" in lines
    assert "Số hóa hồ sơ | Sở Nội vụ | Quý IV/2025" in lines
    assert doc.meta.document == "2228/QĐ-UBND" and doc.meta.province == "Nghệ An"


@pytest.mark.slow
@needs_antiword
def test_doc_is_read_by_antiword(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "_which", lambda name: shutil.which(name) if name == "antiword" else None)
    check_sample_doc(DOC_FILE)


@pytest.mark.slow
@needs_soffice
def test_doc_is_read_by_libreoffice_when_antiword_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "_which", lambda name: None if name == "antiword" else shutil.which(name))
    check_sample_doc(DOC_FILE)


def test_doc_without_converter_names_what_to_install(no_programs: None) -> None:
    with pytest.raises(DocumentError) as info:
        read_document(DOC_FILE)
    assert info.value.code == readers.DOC_NO_CONVERTER
    assert "antiword" in info.value.reason and "LibreOffice" in info.value.reason
    worded = replies.document_problem(info.value)
    assert "antiword hoặc LibreOffice" in worded and ".docx" in worded


def test_doc_that_is_not_a_word_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "renamed.doc"
    path.write_bytes("Kế hoạch cải cách hành chính".encode())
    with pytest.raises(DocumentError) as info:
        read_document(path)
    assert info.value.code == readers.DOC_UNREADABLE and "Word 97" in info.value.reason


def test_doc_when_every_converter_fails_gives_their_reasons(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path) -> str:
        raise RuntimeError("I can't read Word 6")

    monkeypatch.setattr(readers, "doc_converters", lambda reader: [("antiword", broken)])
    with pytest.raises(DocumentError) as info:
        read_document(DOC_FILE)
    assert info.value.code == readers.DOC_UNREADABLE and "I can't read Word 6" in info.value.reason
    assert "lưu thành .docx" in replies.document_problem(info.value)


def test_doc_is_an_accepted_type_and_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert suffix_allowed("Kế hoạch 2228.DOC")
    shutil.copy(DOC_FILE, tmp_path / "kh.doc")
    monkeypatch.setattr(readers, "doc_converters", lambda reader: [("stub", lambda p: "Số: 1/KH-UBND\nText")])
    docs, errors = load_documents(tmp_path)
    assert [d.meta.file for d in docs] == ["kh.doc"] and errors == []


def test_antiword_table_rows_are_written_like_docx_rows() -> None:
    drawn = "Intro\n|Nhiệm vụ     |Cơ quan chủ trì |\n|Số hóa hồ sơ |Bộ Công an      |\nEnd"
    assert readers._antiword_rows(drawn) == "Intro\nNhiệm vụ | Cơ quan chủ trì\nSố hóa hồ sơ | Bộ Công an\nEnd"


def test_document_error_keeps_its_code_across_processes() -> None:
    err = pickle.loads(pickle.dumps(DocumentError("a.doc", "no converter", code=readers.DOC_NO_CONVERTER)))
    assert (err.path, err.reason, err.code, str(err)) == ("a.doc", "no converter", "doc_no_converter",
                                                          "a.doc: no converter")


# --- through the bot ---------------------------------------------------------------------------

async def test_upload_of_a_scan_says_ocr_in_the_preview_and_is_read_once(
        admin_bot: Any, fake_ocr: FakeOcr) -> None:
    root: Path = admin_bot.deps.reloader.knowledge_dir
    admin_bot.deps.reloader.isolated = False  # the injected reader lives in this process
    preview = await upload(admin_bot, "Ban quet 3369.pdf", blank_scan_pdf())
    seen = visible(preview.text)
    assert f"⚠️ {readers.OCR_WARNING}" in seen and "Số hiệu: 3369/QĐ-UBND" in seen
    report = await tap(admin_bot, button(preview, "au:"), preview)
    seen = visible(report.text)
    assert "Đã lưu" in seen and readers.OCR_WARNING in seen          # the reload report says it too
    assert fake_ocr.pages == 1                                       # preview and build: one OCR
    assert (root / "ban-quet-3369.pdf").is_file()


async def test_upload_of_a_doc_without_converter_is_refused_in_vietnamese(
        admin_bot: Any, no_programs: None) -> None:
    root: Path = admin_bot.deps.reloader.knowledge_dir
    admin_bot.deps.reloader.isolated = False  # the injected reader lives in this process
    reply = await upload(admin_bot, "KH 2228.doc", DOC_FILE.read_bytes())
    seen = visible(reply.text)
    assert seen.startswith("❌ Không đọc được tệp “KH 2228.doc”") and "antiword hoặc LibreOffice" in seen
    assert not any((root / ".incoming").iterdir())


@needs_antiword
async def test_upload_of_a_doc_is_previewed(admin_bot: Any) -> None:
    reply = await upload(admin_bot, "KH 2228.doc", DOC_FILE.read_bytes())
    seen = visible(reply.text)
    assert "📄 Xem trước" in seen and "Số hiệu: 2228/QĐ-UBND" in seen and "Nghệ An" in seen


@pytest.mark.parametrize(("content", "suffix", "code", "words"), [
    (b"\x00\x01\x02PK\x03\x04" * 50, ".txt", "binary", "tệp nhị phân"),
    ("Kế hoạch".encode("cp1258", errors="replace") + b"\xd2\xde", ".txt", "not_utf8", "Windows-1258"),
    (b"\xff\xfe\x00\xd8", ".md", "bad_utf16", "UTF-16"),
    (b"PK\x03\x04 not really a zip", ".docx", "docx_corrupt", "Word .docx"),
    (b"%PDF-1.4 garbage", ".pdf", "pdf_corrupt", "tệp PDF"),
])
def test_reader_errors_carry_a_code_the_chat_words_in_vietnamese(
        tmp_path: Path, content: bytes, suffix: str, code: str, words: str) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as info:
        read_document(path)
    assert info.value.code == code and info.value.reason        # the English reason stays for the CLI
    worded = replies.document_problem(info.value)
    assert words in worded and worded != info.value.reason


def test_password_protected_pdf_is_worded_in_vietnamese(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("mat-khau")
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "locked.pdf"
    path.write_bytes(out.getvalue())
    with pytest.raises(DocumentError) as info:
        read_document(path)
    assert info.value.code == "pdf_password" and "mật khẩu" in replies.document_problem(info.value)
