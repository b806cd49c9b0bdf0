"""A plan the engine was not tuned on (a full official-style plan with sections, lettered
targets, an appendix table and a signature block, no front matter) among the shipped ones:
metadata is detected, and the kinds of questions citizens and staff ask find the right clause."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge import KnowledgeBase, build_index

pytestmark = pytest.mark.slow  # builds a second whole index: the shipped plans and the unseen documents

ROOT = Path(__file__).resolve().parent.parent
UNSEEN = Path(__file__).parent / "data" / "unseen"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    plans = tmp_path_factory.mktemp("plans")
    for f in (ROOT / "knowledge" / "plans").iterdir():
        shutil.copy(f, plans / f.name)
    for f in UNSEEN.iterdir():
        shutil.copy(f, plans / f.name)
    db = plans.parent / "unseen.db"
    build_index(plans, db)
    base = KnowledgeBase.open(db)
    yield base
    base.close()


def test_metadata_detected_without_front_matter(kb: KnowledgeBase) -> None:
    meta = kb.find_document("215/KH-UBND")
    assert meta is not None
    assert (meta.province, meta.issued, meta.signer) == ("Quảng Trị", "2026-01-15", "Hoàng Nam")
    assert meta.title and "NĂM 2026" in meta.title


@pytest.mark.parametrize(("question", "expected"), [
    ("quang tri 2026 thanh toan truc tuyen toi thieu bao nhieu", "Tối thiểu 85% thủ tục hành chính"),
    ("Quảng Trị tỷ lệ hồ sơ giải quyết đúng hạn", "đạt từ 98% trở lên"),
    ("cơ quan nào chủ trì xây dựng bộ chỉ số đánh giá cải cách hành chính cấp xã", "| Sở Nội vụ"),
    ("quang tri ho so cong viec cap xa xu ly tren moi truong mang", "90% hồ sơ công việc tại cấp xã"),
    ("Quảng Trị chỉ số chuyển đổi số DTI", "nhóm 20 tỉnh dẫn đầu"),
    ("Quảng Trị giảm đơn vị sự nghiệp công lập bao nhiêu", "Giảm tối thiểu 5%"),
    ("kế hoạch cải cách hành chính Quảng Trị 2026 ai ký", "Hoàng Nam"),
    ("quang tri cat giam chi phi tuan thu thu tuc hanh chinh", "cắt giảm tối thiểu 20% chi phí"),
])
def test_questions_find_the_clause(kb: KnowledgeBase, question: str, expected: str) -> None:
    answer = kb.search(question, top=3)
    assert answer.answered, question
    texts = [r.text for r in answer.results]
    assert any(expected in t for t in texts), (question, texts)
    assert all(len(t) <= 600 for t in texts)


def test_lettered_targets_keep_their_area_and_year(kb: KnowledgeBase) -> None:
    hit = kb.search("Quảng Trị tỷ lệ hồ sơ giải quyết đúng hạn").results[0]
    assert "b) Cải cách thủ tục hành chính" in hit.section
    assert hit.targets[0].value == 98.0 and hit.targets[0].qualifier == "từ … trở lên"
