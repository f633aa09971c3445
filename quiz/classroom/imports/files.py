"""Uploaded files as text and rows, with the checks every import shares.

A file is refused whole (ImportRefused) when it can't be read at all: too big, not UTF-8 or
UTF-16 text, not a spreadsheet, too many rows. Anything wrong inside it is an ImportProblem
naming its row and column, and every one is reported at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import unicodedata
from dataclasses import dataclass

from quiz.csv_cells import is_formula

MAX_BYTES = 1_000_000
MAX_ROWS = 500
MAX_COLUMNS = 30
# How far down a spreadsheet the header row may be (Kahoot's template has a title block).
HEADER_SEARCH_ROWS = 20
XLSX_MAGIC = b"PK\x03\x04"


class RefusalCode(enum.StrEnum):
    """Why a whole file was refused."""

    EMPTY = "empty"
    TOO_BIG = "too_big"
    ENCODING = "encoding"
    BINARY = "binary"
    NOT_A_SPREADSHEET = "not_a_spreadsheet"
    TOO_MANY_ROWS = "too_many_rows"
    NO_HEADER = "no_header"


class ProblemCode(enum.StrEnum):
    """What is wrong with one cell or row."""

    FORMULA = "formula"
    CONTROL_CHARACTER = "control_character"
    MISSING = "missing"
    TOO_LONG = "too_long"
    DUPLICATE = "duplicate"
    INVALID = "invalid"
    CHOICES = "choices"
    UNSUPPORTED = "unsupported"
    TOO_MANY = "too_many"


class ImportRefused(Exception):
    """A file that can't be imported at all, with a code and a message for the teacher."""

    def __init__(self, code: RefusalCode, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong in a file, where it is (row 1 is the first line), and a message."""

    code: ProblemCode
    message: str
    row: int | None = None
    column: str = ""
    row_label: str = "Row"  # "Line" in a text file such as GIFT's

    @property
    def where(self) -> str:
        parts = [f"{self.row_label} {self.row}" if self.row is not None else "", self.column]
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class Row:
    """One non-empty row of a file: its number as the file shows it, and its cells as text."""

    number: int
    cells: tuple[str, ...]


def refuse_if_too_big(size: int) -> None:
    if size > MAX_BYTES:
        raise ImportRefused(
            RefusalCode.TOO_BIG,
            f"The file is {size / 1_000_000:.1f} MB; files can be up to {MAX_BYTES // 1000:,} KB. "
            "Split it into smaller files.",
        )


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark) or UTF-16 with one; anything else is refused."""
    refuse_if_too_big(len(data))
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise ImportRefused(
            RefusalCode.ENCODING,
            "The file is not UTF-8 text, so its accents and quotes would come out wrong. In "
            "Excel choose “CSV UTF-8 (Comma delimited)” when saving; in other programs pick the "
            "UTF-8 encoding.",
        ) from None
    if "\x00" in text:
        raise ImportRefused(
            RefusalCode.BINARY,
            "The file holds binary data, not text. Check you chose the right file.",
        )
    if not text.strip():
        raise ImportRefused(RefusalCode.EMPTY, "The file is empty.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_problems(text: str, *, row: int | None, column: str) -> list[ImportProblem]:
    """A cell that is a formula, or holds invisible control characters."""
    problems = []
    if is_formula(text):
        problems.append(
            ImportProblem(
                ProblemCode.FORMULA,
                "starts with “=” or “@”, which spreadsheets run as a formula. Type the text "
                "itself (put a word or a space before the sign).",
                row,
                column,
            )
        )
    if any(unicodedata.category(char) in ("Cc", "Co") and char not in "\n\t" for char in text):
        problems.append(
            ImportProblem(
                ProblemCode.CONTROL_CHARACTER,
                "holds an invisible control character; retype the text.",
                row,
                column,
            )
        )
    return problems


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _rows_limited(rows, *, limit: int) -> list[Row]:
    kept: list[Row] = []
    for number, cells in rows:
        if any(cells):
            kept.append(Row(number, tuple(cells)))
            if len(kept) > limit + HEADER_SEARCH_ROWS:
                raise ImportRefused(
                    RefusalCode.TOO_MANY_ROWS,
                    f"The file has more than {limit} rows; import at most {limit} at a time.",
                )
    return kept


def csv_rows(text: str, *, limit: int = MAX_ROWS) -> list[Row]:
    """The non-empty rows of CSV text, comma, semicolon or tab separated."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = (
            (reader.line_num, [cell.strip() for cell in cells[:MAX_COLUMNS]]) for cells in reader
        )
        return _rows_limited(rows, limit=limit)
    except csv.Error as error:
        raise ImportRefused(
            RefusalCode.NOT_A_SPREADSHEET, f"The CSV can't be read: {error}."
        ) from None


def xlsx_rows(data: bytes, *, limit: int = MAX_ROWS) -> list[Row]:
    """The non-empty rows of an XLSX workbook's first sheet; a formula cell reads as its formula."""
    from openpyxl import load_workbook

    refuse_if_too_big(len(data))
    if not data.startswith(XLSX_MAGIC):
        raise ImportRefused(
            RefusalCode.NOT_A_SPREADSHEET,
            "The file is not an XLSX workbook. Save it from Excel as “Excel Workbook (.xlsx)”, "
            "or as CSV UTF-8.",
        )
    try:
        # Read-only streams the sheet, so a workbook that unpacks to gigabytes is never loaded
        # whole; formulas are kept as formulas (data_only=False) so that they can be refused.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        rows = (
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(
                sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
            )
        )
        kept = _rows_limited(rows, limit=limit)
        workbook.close()
    except ImportRefused:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportRefused(
            RefusalCode.NOT_A_SPREADSHEET,
            "The workbook can't be read; it may be damaged or password-protected. Save it again "
            "from Excel as .xlsx, or as CSV UTF-8.",
        ) from None
    return kept


def spreadsheet_rows(data: bytes, file_name: str, *, limit: int = MAX_ROWS) -> list[Row]:
    """Rows of a CSV or XLSX file, told apart by their content, not only by their name."""
    if data.startswith(XLSX_MAGIC) or file_name.lower().endswith((".xlsx", ".xlsm")):
        return xlsx_rows(data, limit=limit)
    return csv_rows(decode_text(data), limit=limit)


def header_key(text: str) -> str:
    """A column heading reduced to its name: "Answer 1 - max 75 characters" -> "answer 1"."""
    text = text.casefold().replace("_", " ")
    for mark in (" - ", " \N{EN DASH} ", " \N{EM DASH} ", "(", ":"):
        text = text.split(mark, 1)[0]
    return " ".join(text.split())


def find_header(
    rows: list[Row],
    *,
    required: dict[str, tuple[str, ...]],
    optional: dict[str, tuple[str, ...]] | None = None,
) -> tuple[int, dict[str, int]]:
    """The header row's index and each known column's position, found by its headings.

    Each column maps to the headings that name it. Refuses the file when no row among the
    first ones names every required column, saying which are missing.
    """
    known = {**required, **(optional or {})}
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [header_key(cell) for cell in row.cells]
        found: dict[str, int] = {}
        for column, names in known.items():
            position = next((keys.index(name) for name in names if name in keys), None)
            if position is not None:
                found[column] = position
        if best is None or len(found) > len(best[1]):
            best = (index, found)
        if all(column in found for column in required):
            return index, found
    missing = [column for column in required if best is None or column not in best[1]]
    raise ImportRefused(
        RefusalCode.NO_HEADER,
        "The file has no header row with the columns "
        + ", ".join(f"“{column}”" for column in missing)
        + ". The first row should name the columns.",
    )
