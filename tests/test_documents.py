"""Reading plan documents from disk (knowledge/documents.py).

.docx and .pdf files are built at test time (python-docx, fpdf2); nothing binary is committed.
"""

from __future__ import annotations

import errno
import hashlib
import unicodedata
from pathlib import Path

import pytest

from knowledge.documents import SUPPORTED_SUFFIXES, load_documents, normalize_issued, read_document
from knowledge.metadata import CENTRAL
from knowledge.models import DocumentError

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

FRONT = """---
title: "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"
province: Bắc Giang
document: '6891/KH-UBND'
issued: 28/12/2021
source_url: https://example.org/kh-6891
signer: Lê Ánh Dương
category: cchc
---
"""

BODY = """ỦY BAN NHÂN DÂN
TỈNH BẮC GIANG

Số: 6891/KH-UBND

Bắc Giang, ngày 28 tháng 12 năm 2021

KẾ HOẠCH

CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC TỈNH BẮC GIANG NĂM 2022

1. Phấn đấu 100% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến toàn trình.
"""


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_bytes(data.encode("utf-8"))
    else:
        path.write_bytes(data)
    return path


def error_of(path: Path) -> DocumentError:
    with pytest.raises(DocumentError) as info:
        read_document(path)
    return info.value


# --- text files and front matter ---------------------------------------------------------------

def test_front_matter_and_body(tmp_path: Path) -> None:
    path = write(tmp_path / "plans" / "bg.txt", FRONT + BODY)
    doc = read_document(path, root=tmp_path)
    m = doc.meta
    assert m.file == "plans/bg.txt"
    assert m.title == "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"  # quotes stripped
    assert m.document == "6891/KH-UBND"
    assert m.issued == "2021-12-28"  # DD/MM/YYYY normalized
    assert m.province == "Bắc Giang"
    assert m.province_current == "Bắc Ninh"
    assert m.signer == "Lê Ánh Dương"
    assert m.source_url == "https://example.org/kh-6891"
    assert m.extra == {"category": "cchc"}
    assert doc.text == BODY  # verbatim, front matter removed
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.warnings == []


def test_metadata_detected_when_there_is_no_front_matter(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "bg.md", BODY))
    m = doc.meta
    assert m.file == "bg.md"
    assert (m.document, m.province, m.province_current, m.issued) == (
        "6891/KH-UBND", "Bắc Giang", "Bắc Ninh", "2021-12-28"
    )
    assert m.title == "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC TỈNH BẮC GIANG NĂM 2022"
    assert doc.text == BODY


def test_front_matter_wins_over_detection(tmp_path: Path) -> None:
    text = "---\ndocument: 1/KH-UBND\nprovince: soc trang\n---\n" + BODY
    m = read_document(write(tmp_path / "a.txt", text)).meta
    assert m.document == "1/KH-UBND"
    assert m.province == "Sóc Trăng"  # canonical spelling
    assert m.province_current == "Cần Thơ"
    assert m.issued == "2021-12-28"  # not in the front matter: detected


def test_issued_formats(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "a.txt", "---\nissued: 2023\n---\n" + BODY))
    assert doc.meta.issued == "2023"
    doc = read_document(write(tmp_path / "b.txt", "---\nissued: quý IV/2023\n---\n" + BODY))
    assert doc.meta.issued == "quý IV/2023"
    assert any("ngày ban hành" in w for w in doc.warnings)  # in Vietnamese: the admin reads it
    assert normalize_issued("2021-12-28") == "2021-12-28"
    assert normalize_issued("5/1/2024") == "2024-01-05"
    assert normalize_issued("31/02/2024") is None


def test_warnings_for_missing_number_and_province(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "a.txt", "Cải cách hành chính là nhiệm vụ trọng tâm.\n"))
    assert doc.meta.document is None and doc.meta.province is None
    assert any("số hiệu văn bản" in w and "document:" in w for w in doc.warnings)  # Vietnamese, for the admin
    assert any("tỉnh ban hành" in w and "province:" in w for w in doc.warnings)


def test_unknown_front_matter_province_is_kept_with_a_warning(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "a.txt", "---\nprovince: Atlantis\n---\n" + BODY))
    assert doc.meta.province == "Atlantis" and doc.meta.province_current is None
    assert any("Atlantis" in w for w in doc.warnings)


def test_bom_crlf_and_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", FRONT + BODY).replace("\n", "\r\n")
    path = write(tmp_path / "a.txt", b"\xef\xbb\xbf" + decomposed.encode("utf-8"))
    doc = read_document(path)
    assert doc.text == BODY
    assert doc.meta.province == "Bắc Giang"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    bom = b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff"
    path = write(tmp_path / "a.txt", bom + (FRONT + BODY).encode(encoding))
    doc = read_document(path)
    assert doc.text == BODY
    assert doc.meta.document == "6891/KH-UBND"


def test_leading_blank_lines_before_front_matter(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "a.txt", "\n\n" + FRONT + BODY))
    assert doc.meta.signer == "Lê Ánh Dương"
    assert doc.text == BODY


# --- errors ------------------------------------------------------------------------------------

def test_binary_file(tmp_path: Path) -> None:
    err = error_of(write(tmp_path / "a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert "binary" in err.reason
    assert err.path.endswith("a.txt")


def test_control_characters_are_not_text(tmp_path: Path) -> None:
    err = error_of(write(tmp_path / "a.txt", bytes(range(1, 9)) * 20))
    assert "binary" in err.reason


def cp1258(text: str) -> bytes:
    """Windows-1258 bytes: base letters precomposed, tone marks as combining characters."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            out += unicodedata.normalize("NFC", decomposed[:-1]).encode("cp1258")
            out += decomposed[-1].encode("cp1258")
    return out


def test_legacy_encoding_is_not_utf8(tmp_path: Path) -> None:
    err = error_of(write(tmp_path / "a.txt", cp1258("Kế hoạch cải cách hành chính")))
    assert "not UTF-8" in err.reason
    err = error_of(write(tmp_path / "b.txt", "Hà Nội, kế hoạch".encode("latin-1", errors="replace")))
    assert "not UTF-8" in err.reason


@pytest.mark.parametrize(
    "content", ["", "   \n\t\n", "---\ntitle: x\n---\n", "---\ntitle: x\n---\n\n  \n", "\ufeff\n"]
)
def test_empty(tmp_path: Path, content: str) -> None:
    err = error_of(write(tmp_path / "a.txt", content))
    assert "empty" in err.reason or "no text" in err.reason


def test_front_matter_never_closed(tmp_path: Path) -> None:
    err = error_of(write(tmp_path / "a.txt", "---\ntitle: x\n" + BODY))
    assert "never closed" in err.reason


def test_front_matter_line_not_key_value(tmp_path: Path) -> None:
    err = error_of(write(tmp_path / "a.txt", "---\ntitle: x\nthis is not a field\n---\n" + BODY))
    assert "line 3" in err.reason and "key: value" in err.reason


def test_unsupported_extension(tmp_path: Path) -> None:
    err = error_of(write(tmp_path / "a.rtf", BODY))
    assert "unsupported" in err.reason and ".rtf" in err.reason


def test_missing_file(tmp_path: Path) -> None:
    err = error_of(tmp_path / "nope.txt")
    assert err.code == "unreadable" and err.figures["errno"] == errno.ENOENT, (err.code, err.figures)
    assert "không đọc được" in err.reason


# --- docx ----------------------------------------------------------------------------------------

def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")
    document.add_paragraph("Số: 201/KH-UBND")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Chỉ tiêu"
    table.cell(0, 1).text = "Năm 2025"
    table.cell(0, 2).text = "Ghi chú"
    table.cell(1, 0).text = "Dịch vụ công trực tuyến"
    table.cell(1, 1).merge(table.cell(1, 2)).text = "80%"
    document.add_paragraph("Quảng Ngãi, ngày 22 tháng 12 năm 2021")
    document.save(str(path))
    return path


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    doc = read_document(make_docx(tmp_path / "qn.docx"))
    assert doc.text.split("\n") == [
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
        "Số: 201/KH-UBND",
        "Chỉ tiêu | Năm 2025 | Ghi chú",
        "Dịch vụ công trực tuyến | 80%",  # the merged cell once
        "Quảng Ngãi, ngày 22 tháng 12 năm 2021",
    ]
    assert doc.meta.document == "201/KH-UBND"
    assert doc.meta.province == "Quảng Ngãi"
    assert doc.meta.issued == "2021-12-22"


def test_corrupt_docx(tmp_path: Path) -> None:
    err = error_of(write(tmp_path / "a.docx", b"PK\x03\x04 this is not a zip"))
    assert ".docx" in err.reason and "corrupt" in err.reason


# --- pdf -----------------------------------------------------------------------------------------

def make_pdf(path: Path, pages: list[str]) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(DEJAVU))
    pdf.set_font("DejaVu", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    path.write_bytes(bytes(pdf.output()))
    return path


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
@pytest.mark.skipif(not DEJAVU.exists(), reason="needs the DejaVu Sans font for Vietnamese text")
def test_pdf_pages_joined(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "qn.pdf",
        [
            "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI\nSố: 201/KH-UBND\nQuảng Ngãi, ngày 22 tháng 12 năm 2021",
            "Phấn đấu 80% thủ tục hành chính được cung cấp trực tuyến.",
        ],
    )
    doc = read_document(path)
    assert "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" in doc.text
    assert "Phấn đấu 80% thủ tục hành chính" in doc.text
    assert doc.text.index("QUẢNG NGÃI") < doc.text.index("Phấn đấu")
    assert doc.text == unicodedata.normalize("NFC", doc.text)
    assert doc.meta.document == "201/KH-UBND"
    assert doc.meta.issued == "2021-12-22"


@pytest.mark.slow  # over 0.3 s on an idle machine: out of the inner loop (-m "not slow")
def test_pdf_without_text_layer(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a "scan": marks on the page, no text
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    err = error_of(path)
    assert "text layer" in err.reason


def test_corrupt_pdf(tmp_path: Path) -> None:
    err = error_of(write(tmp_path / "a.pdf", b"%PDF-1.7\nthis is not really a pdf"))
    assert "PDF" in err.reason


# --- folders -------------------------------------------------------------------------------------

def test_load_documents(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    write(root / "b.txt", BODY)
    write(root / "a" / "c.md", "---\nprovince: Huế\n---\nKế hoạch số 5/KH-UBND của UBND tỉnh.\n")
    make_docx(root / "a" / "d.docx")
    write(root / "README.rst", "not a plan")
    write(root / "notes.csv", "a,b")
    write(root / ".hidden.txt", BODY)
    write(root / ".git" / "x.txt", BODY)
    write(root / "trash" / "old.txt", BODY)
    write(root / "a" / "trash" / "old.txt", BODY)
    write(root / "~$d.docx", b"\x00lock")
    write(root / "bad.txt", b"\x00\x01\x02")
    write(root / "broken.md", "---\ntitle: x\n")

    docs, errors = load_documents(root)
    assert [d.meta.file for d in docs] == ["a/c.md", "a/d.docx", "b.txt"]
    assert sorted(e.path for e in errors) == ["bad.txt", "broken.md"]
    assert all(e.reason for e in errors)
    assert docs[0].meta.province_current == "Huế"


def test_load_documents_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_documents(tmp_path / "missing")


def test_supported_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".docx", ".doc", ".pdf"}


def test_shipped_plans_all_load() -> None:
    root = Path(__file__).resolve().parent.parent / "knowledge" / "plans"
    docs, errors = load_documents(root)
    assert errors == []
    assert docs and all(d.meta.document or d.warnings for d in docs)
    assert all(d.meta.province and (d.meta.province_current or d.meta.province == CENTRAL) for d in docs)
    assert not [w for d in docs for w in d.warnings if "tỉnh" in w]
