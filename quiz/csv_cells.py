"""Spreadsheet cells from text people typed: one rule for every CSV export and every import.

A cell that starts with "=", "+", "-" or "@" (or a tab or carriage return before one) is read by
Excel, LibreOffice and Google Sheets as a formula, which can run commands or leak data when the
file is opened ("CSV injection"). Every export writes through csv_text, which keeps such text
as text by putting an apostrophe in front; imports refuse cells that are formulas outright, and
read such an apostrophe back off (from_spreadsheet_cell), so an export imports again as it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# On import, these starts are a formula and nothing else; "+" and "-" also begin numbers and
# years ("-44"), which a question may well hold, so imports only neutralise those on export.
IMPORT_FORMULA_STARTS = ("=", "@")


def spreadsheet_safe(text: str) -> str:
    """The text as a CSV cell that no spreadsheet will run as a formula."""
    return f"'{text}" if text[:1] in FORMULA_TRIGGERS else text


def csv_text(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, lineterminator: str = "\r\n"
) -> str:
    """A CSV document: the header, then the rows, every text cell through spreadsheet_safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows(
        [spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row] for row in rows
    )
    return buffer.getvalue()


def is_formula(text: str) -> bool:
    """Whether an imported cell is a formula (an "=" or "@" start, ignoring spaces)."""
    return text.lstrip()[:1] in IMPORT_FORMULA_STARTS


def from_spreadsheet_cell(text: str) -> str:
    """An imported cell without the apostrophe spreadsheet_safe put before a formula sign."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_TRIGGERS else text
