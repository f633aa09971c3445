"""Every CSV export keeps text that a spreadsheet would run as a formula as text."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from quiz.csv_cells import FORMULA_TRIGGERS, csv_text, from_spreadsheet_cell
from quiz.export import to_csv
from tests.quiz_factories import StubQuestion, add_handwritten, make_question_set, make_teacher

ROOT = Path(__file__).resolve().parent.parent
FORMULAS = [f"{trigger}HYPERLINK(1)" for trigger in FORMULA_TRIGGERS]


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_text_neutralises_every_formula_start_and_leaves_numbers_alone():
    text = csv_text(["a", "b"], [[formula, -5] for formula in FORMULAS] + [["plain", 0]])
    rows = cells(text)
    assert rows[0] == ["a", "b"]
    assert [row[0] for row in rows[1:]] == [f"'{formula}" for formula in FORMULAS] + ["plain"]
    # Numbers are numbers, not text: a negative score stays a number a spreadsheet can add up.
    assert [row[1] for row in rows[1:]] == ["-5"] * len(FORMULAS) + ["0"]
    # The import reads the apostrophe back off: an export imports as it was.
    assert [from_spreadsheet_cell(row[0]) for row in rows[1:-1]] == FORMULAS


def test_the_question_export_keeps_formulas_as_text():
    question = StubQuestion(
        kind="handwritten",
        prompt="=cmd|' /C calc'!A0",
        choices=("+1", "-1", "@SUM(A1)", "\tx"),
        answer="-1",
        explanation="=1+1",
    )
    (_, row) = cells(to_csv([question]))
    assert row[1:8] == ["'=cmd|' /C calc'!A0", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'-1", "'=1+1"]


@pytest.mark.django_db
def test_the_admin_csv_action_keeps_a_teachers_formula_as_text(client):
    teacher = make_teacher(username="ms-formula")
    question_set = make_question_set(owner=teacher)
    add_handwritten(question_set, prompt='=HYPERLINK("http://evil")', choices=["=1", "Two"])
    client.force_login(teacher)
    response = client.post(
        reverse("admin:quiz_questionset_changelist"),
        {"action": "export_csv", "_selected_action": [question_set.pk]},
    )
    (_, row) = cells(response.content.decode())
    assert row[1] == '\'=HYPERLINK("http://evil")'
    assert "'=1" in row[2:6]


def test_every_csv_writer_is_the_one_helper():
    """No module writes CSV but quiz/csv_cells.py, so no export can forget the rule."""
    writers = [
        path.relative_to(ROOT).as_posix()
        for package in ("quiz", "history", "config")
        for path in (ROOT / package).rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))
    ]
    assert writers == ["quiz/csv_cells.py"]
