"""Unit tests for handlers/replies.py: escaping, source lines, bold figures, splitting, deep links.

No network, no index: results are built by hand.
"""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pytest
from fakebotapi import visible

from handlers import replies
from handlers.replies import HTML, PLAIN
from knowledge.models import Answer, DocumentMeta, Result, Target

META = DocumentMeta(
    file="off_quangngai_1256-QD-UBND_2022.txt",
    title="Kế hoạch cải cách hành chính tỉnh Quảng Ngãi năm 2022",
    province="Quảng Ngãi",
    province_current="Quảng Ngãi",
    document="1256/QĐ-UBND",
    issued="2021-12-22",
    signer="Trần Phước Hiền",
    source_url="https://example.org/van-ban?id=1256&lang=vi",
)


def result(text: str, targets: list[Target] | None = None, clause_id: int = 1,
           meta: DocumentMeta = META) -> Result:
    return Result(clause_id=clause_id, text=text, score=1.0, meta=meta, section="II. MỤC TIÊU",
                  targets=targets or [])


class TagChecker(HTMLParser):
    """Records whether every tag is closed in order (Telegram rejects unbalanced HTML)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ok = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.ok = False


def balanced(fragment: str) -> bool:
    checker = TagChecker()
    checker.feed(fragment)
    checker.close()
    return checker.ok and not checker.stack


# --- escaping and figures ------------------------------------------------------------------------

def test_clause_with_html_special_characters_is_escaped_and_survives() -> None:
    text = 'Tỷ lệ hồ sơ <trễ hạn> giảm & "đúng hạn" > 95% <script>alert(1)</script>'
    block = replies.result_block(result(text), 1)
    assert "<script>" not in block
    assert "&lt;script&gt;" in block
    assert "&amp;" in block
    assert text in visible(block)
    assert balanced(block)


def test_figure_is_bold_inside_the_clause_and_not_inside_a_larger_number() -> None:
    text = "Năm 2025 đạt 180% kế hoạch, tối thiểu 80% hồ sơ được số hóa."
    target = Target(value=80.0, value_text="80%", qualifier="tối thiểu", deadline="2025")
    body = replies.highlight(text, [target])
    assert "180%" in body and "<b>180%</b>" not in body
    assert "tối thiểu <b>80%</b> hồ sơ" in body
    assert visible(body) == text


def test_figure_with_special_characters_is_escaped_inside_bold() -> None:
    target = Target(value=5.0, value_text="<5%", qualifier="dưới")
    body = replies.highlight("Tỷ lệ trễ hạn <5% & giảm dần", [target])
    assert "<b>&lt;5%</b>" in body
    assert visible(body) == "Tỷ lệ trễ hạn <5% & giảm dần"


def test_heading_summarises_the_first_target() -> None:
    target = Target(value=80.0, value_text="80%", qualifier="tối thiểu", deadline="2025")
    block = replies.result_block(result("Tối thiểu 80% hồ sơ được xử lý trực tuyến.", [target]), 2)
    first_line = block.splitlines()[0]
    assert first_line.startswith("<b>2.</b>")
    assert "<b>80%</b>" in first_line and "2025" in first_line


def test_long_clause_goes_in_an_expandable_blockquote_short_one_does_not() -> None:
    long_block = replies.result_block(result("chữ " * 200), 1)
    short_block = replies.result_block(result("Ngắn gọn."), 1)
    assert "<blockquote expandable>" in long_block
    assert "<blockquote>" in short_block and "expandable" not in short_block


# --- source lines --------------------------------------------------------------------------------

def test_source_line_names_type_number_date_province_and_links() -> None:
    assert replies.source_text(META) == "Theo Quyết định 1256/QĐ-UBND ngày 22/12/2021 (Quảng Ngãi)"
    line = replies.source_line(META)
    # The URL's "&" must be escaped inside the attribute, the text must read as above.
    assert '<a href="https://example.org/van-ban?id=1256&amp;lang=vi">' in line
    assert "Theo Quyết định 1256/QĐ-UBND ngày 22/12/2021 (Quảng Ngãi)" in visible(line)


@pytest.mark.parametrize(("number", "kind"), [
    ("1256/QĐ-UBND", "Quyết định"),
    ("6891/KH-UBND", "Kế hoạch"),
    ("1888/KH-VPUBND", "Kế hoạch"),
    ("76/2021/NQ-CP", "Nghị quyết"),
    ("13/CT-TTg", "Chỉ thị"),
    ("12/qd-ubnd", "Quyết định"),
    ("7/XYZ-ABC", None),
    (None, None),
])
def test_document_type_from_number(number: str | None, kind: str | None) -> None:
    assert replies.document_type(number) == kind


def test_source_line_with_year_only_merged_province_and_no_url() -> None:
    meta = DocumentMeta(file="x.txt", province="Bắc Giang", province_current="Bắc Ninh",
                        document="6891/KH-UBND", issued="2021")
    assert replies.source_text(meta) == "Theo Kế hoạch 6891/KH-UBND năm 2021 (Bắc Giang, nay là Bắc Ninh)"
    assert "<a " not in replies.source_line(meta)


def test_javascript_url_is_not_linked() -> None:
    meta = DocumentMeta(file="x.txt", document="1/KH-UBND", source_url="javascript:alert(1)")
    assert "href" not in replies.source_line(meta)


# --- answers -------------------------------------------------------------------------------------

def test_plain_answer_has_no_markup_and_keeps_text_source_and_url() -> None:
    text = "Tỷ lệ <thanh toán> trực tuyến đạt 30% & hơn."
    answer = Answer("thanh toán trực tuyến", True, [result(text, [Target(30.0, "30%")])], more=True)
    out = replies.plain_answer(answer)
    assert text in out
    assert "Theo Quyết định 1256/QĐ-UBND ngày 22/12/2021 (Quảng Ngãi)" in out
    assert META.source_url in out
    assert "<b>" not in out and "&lt;" not in out and "<blockquote" not in out


def test_unanswered_reply_says_so_and_shows_no_clause() -> None:
    answer = Answer("giá vàng hôm nay", False, [result("Một điều khoản không liên quan.")])
    out = replies.plain_answer(answer)
    assert "không đề cập" in out
    assert "Một điều khoản không liên quan" not in out
    html_out = replies.answer_html(answer)
    assert all("Một điều khoản" not in chunk for chunk in html_out)


def test_question_echo_is_escaped() -> None:
    answer = Answer("<b>x</b> & y", True, [result("Điều khoản.")])
    header = replies.answer_html(answer)[0].splitlines()[0]
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in header


# --- splitting -----------------------------------------------------------------------------------

def test_split_long_synthetic_list_no_chunk_over_limit_and_tags_balanced() -> None:
    blocks = [replies.result_block(result(f"Điều {i}: tối thiểu {i}% hồ sơ <đúng hạn> & đầy đủ. " * 6,
                                          [Target(float(i), f"{i}%")], clause_id=i), i)
              for i in range(1, 120)]
    chunks = replies.pack_blocks(blocks)
    assert len(chunks) > 3
    for chunk in chunks:
        assert replies.utf16_len(chunk) <= replies.MAX_MESSAGE
        assert balanced(chunk), chunk[:200]
    # Splitting happened between clauses: every block is whole in exactly one chunk.
    for block in blocks:
        assert sum(block in chunk for chunk in chunks) == 1


def test_split_one_giant_clause_inside_tags_reopens_them_and_keeps_entities_whole() -> None:
    text = ("Nội dung & <chi tiết> " * 900).strip()          # ~20,000 chars, many entities
    fragment = f"<b>Tiêu đề</b>\n{HTML.quote(HTML.esc(text), expandable=True)}\n<i>cuối</i>"
    chunks = replies.split_html(fragment)
    assert len(chunks) >= 5
    for chunk in chunks:
        assert replies.utf16_len(chunk) <= replies.MAX_MESSAGE
        assert balanced(chunk)
        # No entity cut in half: every "&" starts a complete entity.
        assert not re.search(r"&(?!(amp|lt|gt|quot|#\d+);)", chunk)
    assert chunks[1].startswith("<blockquote expandable>")
    joined = " ".join(visible(c) for c in chunks)
    assert " ".join(joined.split()).count("Nội dung & <chi tiết>") == 900


def test_split_counts_utf16_units_for_emoji() -> None:
    fragment = "😀" * 3000        # 3,000 characters but 6,000 UTF-16 units
    chunks = replies.split_html(fragment)
    assert len(chunks) == 2
    assert all(replies.utf16_len(c) <= replies.MAX_MESSAGE for c in chunks)
    assert "".join(chunks) == fragment


def test_short_text_is_not_split() -> None:
    assert replies.split_html("<b>ngắn</b>") == ["<b>ngắn</b>"]


# --- deep links, small talk, help -----------------------------------------------------------------

def test_deep_link_payload_base64_roundtrip_and_words() -> None:
    question = "thanh toán trực tuyến"
    payload = replies.start_deep_link(question)
    assert payload is not None and len(payload) <= 64 and "=" not in payload
    assert replies.decode_start_payload(payload) == question
    assert replies.decode_start_payload("thanh_toan_truc_tuyen") == "thanh toan truc tuyen"
    assert replies.decode_start_payload(base64.urlsafe_b64encode("dịch vụ công".encode()).decode()) == "dịch vụ công"


@pytest.mark.parametrize("payload", ["", "a" * 65, "../../etc", "<script>", "____", "%00"])
def test_bad_deep_link_payloads_are_refused(payload: str) -> None:
    assert replies.decode_start_payload(payload) is None


@pytest.mark.parametrize(("text", "kind"), [
    ("Xin chào!", "greeting"), ("xin chao", "greeting"), ("Chào bot", "greeting"), ("chao bot", "greeting"),
    ("Cảm ơn", "thanks"), ("cam on!", "thanks"), ("Thanks", "thanks"), ("cảm ơn bạn", "thanks"),
    ("chào mừng cải cách hành chính", None), ("cảm ơn, tỷ lệ hồ sơ trực tuyến là bao nhiêu?", None),
])
def test_small_talk(text: str, kind: str | None) -> None:
    assert replies.small_talk_kind(text) == kind


def test_help_lists_every_command_in_both_formats() -> None:
    for fmt in (HTML, PLAIN):
        text = replies.help_text(fmt)
        for name, _, _ in replies.COMMANDS + replies.ADMIN_COMMANDS:
            assert f"/{name}" in text
    assert "&lt;chủ đề&gt;" in replies.help_text(HTML)
    assert "<chủ đề>" in replies.help_text(PLAIN)
    assert balanced(replies.help_text(HTML))


def test_document_card_has_every_field() -> None:
    meta = DocumentMeta(file="x.txt", title="Kế hoạch <CCHC> 2022", province="Bắc Giang",
                        province_current="Bắc Ninh", document="6891/KH-UBND", issued="2021-12-28",
                        signer="Lê Ánh Dương", source_url="https://example.org/6891")
    clause = result("Điều khoản chính 90%.", [Target(90.0, "90%")], clause_id=5, meta=meta)
    before = result("Điều khoản trước.", clause_id=4, meta=meta)
    after = result("Điều khoản sau.", clause_id=6, meta=meta)
    card = replies.document_card(meta, clause, [before, after])
    seen = visible(card)
    for expected in ("Kế hoạch <CCHC> 2022", "6891/KH-UBND", "Kế hoạch", "28/12/2021", "Lê Ánh Dương",
                     "Bắc Giang", "Bắc Ninh", "Điều khoản trước.", "Điều khoản sau."):
        assert expected in seen
    assert seen.index("Điều khoản trước.") < seen.index("Điều khoản chính") < seen.index("Điều khoản sau.")
    assert "<b>90%</b>" in card
    assert balanced(card)
