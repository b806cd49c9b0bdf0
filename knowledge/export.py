"""Spreadsheets for staff reports (/xuat). The only module importing openpyxl (lazily: a bot that
never exports does not load it)."""

from __future__ import annotations

import io
from collections.abc import Sequence


def xlsx(sheet: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """One worksheet named `sheet`: a bold header row of `columns`, then `rows`; frozen header,
    columns wide enough to read, long cells wrapped."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet[:31]  # Excel's limit for a sheet name
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    ws.freeze_panes = "A2"
    for i, name in enumerate(columns, start=1):
        longest = max([len(name), *(len(str(r[i - 1] or "")) for r in rows)])
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(60, max(10, longest + 2))
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = wrap
            if cell.data_type == "f":
                # A document's text starting with "=" is text, never a formula Excel would run.
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

