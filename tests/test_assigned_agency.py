"""Issue 8, metadata: "cơ quan nào được giao …" asks for the agency a task is assigned to, as
"cơ quan nào chủ trì" asks for the lead: a clause saying who "được giao" it states the agency
asked (reader._agency_roles), and ranks as an answer (metadata_bonus)."""

from __future__ import annotations

from typing import Any

import pytest


def test_assigned_is_a_role_asked(shipped_kb: Any) -> None:
    q = shipped_kb.read("cơ quan nào được giao theo dõi, đôn đốc việc thực hiện")
    assert q.intent.agency
    assert q.satisfied_by("2. văn phòng chính phủ theo chức năng, nhiệm vụ được giao theo dõi, đôn đốc việc "
                          "triển khai các nhiệm vụ nêu trên.")
    assert not q.satisfied_by("tăng cường theo dõi, đôn đốc việc thực hiện các nhiệm vụ cải cách hành chính.")


@pytest.mark.parametrize("question", [
    "Cơ quan nào được giao theo dõi, đôn đốc các bộ, địa phương làm theo công điện cắt giảm thủ tục?",
    "đơn vị nào được giao theo dõi đôn đốc các bộ và địa phương thực hiện công điện cắt giảm thủ tục hành chính",
])
def test_the_agency_assigned_answers_first(shipped_kb: Any, question: str) -> None:
    first = shipped_kb.search(question).results[0]
    assert first.text.startswith("2. Văn phòng Chính phủ theo chức năng, nhiệm vụ được giao theo dõi, đôn đốc")
    assert first.meta.document == "220/CĐ-TTg"
