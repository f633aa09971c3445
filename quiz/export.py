"""Questions as text: a JSON array, Moodle GIFT, or CSV with a header row (pure Python)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from quiz.csv_cells import csv_text
from quiz.engine import Question
from quiz.engine.answers import typed_names

CSV_CHOICE_COLUMNS = 4
CSV_HEADER = (
    "kind",
    "prompt",
    *(f"choice_{n}" for n in range(1, CSV_CHOICE_COLUMNS + 1)),
    "answer",
    "explanation",
    "about",
)
# Characters GIFT gives a meaning to; a backslash before one makes it literal.
GIFT_SPECIAL = "\\~=#{}:"


def question_record(question: Question) -> dict:
    """One question as a JSON-ready object."""
    return {
        "kind": question.kind,
        "prompt": question.prompt,
        "choices": list(question.choices),
        "answer": question.answer,
        "explanation": question.explanation,
        "about": question.about,
    } | ({"accepted": list(question.accepted)} if question.is_typed else {})


def to_json(questions: Sequence[Question]) -> str:
    """A JSON array of question objects."""
    records = [question_record(question) for question in questions]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def gift_escape(text: str) -> str:
    """Text with GIFT's special characters escaped, and newlines written as \\n."""
    escaped = "".join(f"\\{char}" if char in GIFT_SPECIAL else char for char in text)
    return escaped.replace("\r\n", "\n").replace("\n", "\\n")


def to_gift(questions: Sequence[Question]) -> str:
    """Moodle GIFT questions, the explanation as general feedback: multiple choice, or short
    answer (only `=` answers) for a typed question, listing the full name and, where it is
    accepted alone, the surname."""
    blocks = []
    for number, question in enumerate(questions, start=1):
        lines = [
            f"// {question.kind}",
            f"::{gift_escape(f'{question.kind} {number}')}::{gift_escape(question.prompt)} {{",
        ]
        if question.is_typed:
            lines.extend(f"\t={gift_escape(name)}" for name in typed_names(question))
        for choice in question.choices:
            mark = "=" if choice == question.answer else "~"
            lines.append(f"\t{mark}{gift_escape(choice)}")
        lines.append(f"\t####{gift_escape(question.explanation)}")
        lines.append("}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def to_csv(questions: Sequence[Question]) -> str:
    """CSV with a header row; unused choice columns are empty, `about` is a JSON object.

    Text that a spreadsheet would run as a formula is kept as text (see quiz.csv_cells).
    """
    rows = []
    for question in questions:
        if len(question.choices) > CSV_CHOICE_COLUMNS:
            raise ValueError(f"A question has more than {CSV_CHOICE_COLUMNS} choices.")
        padding = [""] * (CSV_CHOICE_COLUMNS - len(question.choices))
        rows.append(
            [
                question.kind,
                question.prompt,
                *question.choices,
                *padding,
                question.answer,
                question.explanation,
                json.dumps(question.about, ensure_ascii=False, sort_keys=True),
            ]
        )
    return csv_text(CSV_HEADER, rows)


FORMATS: dict[str, Callable[[Sequence[Question]], str]] = {
    "json": to_json,
    "gift": to_gift,
    "csv": to_csv,
}
