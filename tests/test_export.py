"""Export formats (JSON, GIFT, CSV) and the export_questions command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from quiz.engine import KINDS, Question, generate_questions
from quiz.engine.answers import matches, typed_names
from quiz.export import CSV_HEADER, gift_escape, to_csv, to_gift, to_json
from tests.test_engine import Oracle, seed_facts

ROOT = Path(__file__).resolve().parent.parent

TRICKY = Question(
    kind="successor",
    prompt="Who came next: {A} = ~B? #1 \\ 50% off: a\nsecond line",
    choices=("A = B", "C ~ D", "E # {F}", "G: \\H"),
    answer="E # {F}",
    explanation="Because: ~ = # { } \\ are special.",
    about={"position": "x", "person": "E # {F}", "year": 1917, "left_out": ["A"]},
)


# ----------------------------------------------------------------------------------------------
# A small GIFT reader, just enough for multiple-choice questions with general feedback


def gift_unescape(text: str) -> str:
    out, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following == "n" else following)
        else:
            out.append(char)
    return "".join(out)


def split_unescaped(text: str, marks: str) -> list[tuple[str, str]]:
    """Split at unescaped marks; each piece comes with the mark that opened it ('' first)."""
    pieces, current, mark, i = [], [], "", 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            current.append(text[i : i + 2])
            i += 2
            continue
        if text.startswith("####", i) and "#" in marks:
            pieces.append((mark, "".join(current)))
            current, mark, i = [], "####", i + 4
            continue
        if char in marks.replace("#", ""):
            pieces.append((mark, "".join(current)))
            current, mark = [], char
        else:
            current.append(char)
        i += 1
    pieces.append((mark, "".join(current)))
    return pieces


def parse_gift(text: str) -> list[dict]:
    questions = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.splitlines() if not line.startswith("//")]
        body = "\n".join(lines)
        assert body.startswith("::")
        title_end = re.search(r"(?<!\\)::", body[2:]).start() + 2
        title = gift_unescape(body[2:title_end])
        rest = body[title_end + 2 :]
        open_brace = re.search(r"(?<!\\)\{", rest).start()
        close_brace = [m.start() for m in re.finditer(r"(?<!\\)\}", rest)][-1]
        prompt = gift_unescape(rest[:open_brace].strip())
        choices, right, feedback = [], [], None
        for mark, piece in split_unescaped(rest[open_brace + 1 : close_brace], "=~#"):
            value = gift_unescape(piece.strip())
            if mark == "=":
                right.append(value)
                choices.append(value)
            elif mark == "~":
                choices.append(value)
            elif mark == "####":
                feedback = value
            else:
                assert not piece.strip(), piece
        short_answer = len(choices) == len(right)  # GIFT: only "=" answers, no wrong choices
        questions.append(
            {
                "title": title,
                "prompt": prompt,
                "choices": [] if short_answer else choices,
                "answer": right[0] if len(right) == 1 or short_answer else None,
                "feedback": feedback,
            }
            | ({"short_answers": right} if short_answer else {})
        )
    return questions


def test_gift_round_trips_special_characters():
    (parsed,) = parse_gift(to_gift([TRICKY]))
    assert parsed == {
        "title": "successor 1",
        "prompt": TRICKY.prompt,
        "choices": list(TRICKY.choices),
        "answer": TRICKY.answer,
        "feedback": TRICKY.explanation,
    }


def test_gift_escapes_every_special_character():
    assert gift_escape("~=#{}:\\") == "\\~\\=\\#\\{\\}\\:\\\\"
    assert gift_escape("a\nb") == "a\\nb"
    # Once escaped pairs are dropped, only GIFT's own marks are left: ::title::, the braces,
    # one = and three ~ for the choices, and #### before the feedback.
    structure = re.sub(r"\\.", "", to_gift([TRICKY]).split("\n", 1)[1])
    counts = {char: structure.count(char) for char in "~=#{}:"}
    assert counts == {"~": 3, "=": 1, "#": 4, "{": 1, "}": 1, ":": 4}


def test_gift_round_trips_generated_questions():
    questions = generate_questions(seed_facts(), rng=random.Random(4), count=300, repeat_facts=True)
    parsed = parse_gift(to_gift(questions))
    assert len(parsed) == 300
    for number, (question, back) in enumerate(zip(questions, parsed, strict=True), start=1):
        assert back["title"] == f"{question.kind} {number}"
        assert back["prompt"] == question.prompt
        assert back["choices"] == list(question.choices)
        assert back["answer"] == question.answer
        assert back["feedback"] == question.explanation
        if question.is_typed:
            # Moodle's short answer: the full name, and the surname where it is enough alone.
            assert back["short_answers"] == list(typed_names(question))
            assert all(matches(name, question.accepted) for name in back["short_answers"])
    assert any(question.is_typed for question in questions)


def test_gift_of_nothing_is_empty():
    assert to_gift([]) == ""


def test_csv_has_a_header_and_one_row_per_question():
    questions = [
        *generate_questions(seed_facts(), rng=random.Random(8), count=50, repeat_facts=True),
        TRICKY,
    ]
    rows = list(csv.reader(io.StringIO(to_csv(questions))))
    assert tuple(rows[0]) == CSV_HEADER
    assert len(rows) == 52
    for question, row in zip(questions, rows[1:], strict=True):
        record = dict(zip(CSV_HEADER, row, strict=True))
        choices = [record[f"choice_{n}"] for n in range(1, 5) if record[f"choice_{n}"]]
        assert choices == list(question.choices)
        assert record["answer"] == question.answer
        assert (record["kind"], record["prompt"], record["explanation"]) == (
            question.kind,
            question.prompt,
            question.explanation,
        )
        assert json.loads(record["about"]) == question.about


def test_json_is_an_array_of_the_six_keys():
    questions = [TRICKY]
    records = json.loads(to_json(questions))
    assert records == [
        {
            "kind": TRICKY.kind,
            "prompt": TRICKY.prompt,
            "choices": list(TRICKY.choices),
            "answer": TRICKY.answer,
            "explanation": TRICKY.explanation,
            "about": TRICKY.about,
        }
    ]


def test_json_about_names_person_date_or_year_and_office():
    records = json.loads(
        to_json(
            generate_questions(seed_facts(), rng=random.Random(6), count=400, repeat_facts=True)
        )
    )
    people = {t.person.full_name for t in seed_facts().terms} | {"Georgy Malenkov"}
    titles = {t.name for t in seed_facts().titles}
    for record in records:
        about = record["about"]
        if "person" in about:
            assert about["person"] in people
        if "office" in about:
            assert about["office"] in titles
        if "date" in about:
            dt.date.fromisoformat(about["date"])
        if "year" in about:
            assert isinstance(about["year"], int)
        if record["kind"] in ("holder_in_year", "title_in_year"):
            assert ("date" in about) != ("year" in about)
            assert "office" in about
        if record["kind"] in ("successor", "predecessor", "start_year", "title_of_person"):
            assert {"person", "office"} <= set(about)


# ----------------------------------------------------------------------------------------------
# The command


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_questions", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_two_thousand_questions_every_kind_correct_and_reproducible(seed_history):
    first = export("--count", "2000", "--seed", "1", "--format", "json")
    records = json.loads(first)
    assert len(records) == 2000
    assert {r["kind"] for r in records} == set(KINDS)
    assert len({r["prompt"] for r in records}) == 2000
    oracle = Oracle(seed_facts())
    for record in records:
        accepted = tuple(record.pop("accepted", ()))
        oracle.check(Question(**{**record, "choices": tuple(record["choices"])}, accepted=accepted))
    assert export("--count", "2000", "--seed", "1", "--format", "json") == first
    second = export("--count", "2000", "--seed", "2", "--format", "json")
    assert second != first
    assert [r["prompt"] for r in json.loads(second)][:50] != [r["prompt"] for r in records][:50]


@pytest.mark.django_db
def test_kind_difficulty_format_and_position_options(seed_history):
    gift = export(
        "--count", "5", "--seed", "3", "--kind", "successor", "--kind", "predecessor",
        "--difficulty", "hard", "--format", "gift", "--position", "general-secretary-cpsu",
    )  # fmt: skip
    parsed = parse_gift(gift)
    assert len(parsed) == 5
    assert {p["title"].split()[0] for p in parsed} <= {"successor", "predecessor"}
    rows = list(csv.reader(io.StringIO(export("--count", "3", "--format", "csv"))))
    assert tuple(rows[0]) == CSV_HEADER and len(rows) == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--count", "-1"], "--count cannot be negative"),
        (["--count", "many"], "--count must be a whole number"),
        (["--kind", "winner"], "Unknown question kind 'winner'"),
        (["--format", "xml"], "Unknown format 'xml'"),
        (["--difficulty", "brutal"], "Unknown difficulty 'brutal'"),
        (["--count", "11", "--kind", "successor"], "Only 10 distinct questions"),
        (["--count", "100000"], "distinct questions"),
        (["--position", "nowhere"], "No position has the slug 'nowhere'"),
    ],
)
def test_bad_arguments_are_command_errors(seed_history, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        export(*args)


@pytest.mark.django_db
def test_no_position_at_all_is_a_command_error():
    with pytest.raises(CommandError, match="There are no positions"):
        export("--count", "1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--count", "-3"], "CommandError: --count cannot be negative (-3)."),
        (
            ["--format", "xml"],
            "CommandError: Unknown format 'xml'; choose one of: json, gift, csv.",
        ),
    ],
)
def test_the_command_line_prints_one_line_and_exits_non_zero(args, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "export_questions", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip() == message
    assert "Traceback" not in result.stderr


def test_an_unmigrated_database_is_a_one_line_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "export_questions", "--count", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "", "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"},
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Run `python manage.py migrate` first." in result.stderr
