"""Problems in an imported file read in the file's own words (a spreadsheet's columns, GIFT's
answers and = marks, Quizlet's terms and definitions), each once, never in the admin form's."""

import pytest

from quiz.classroom.imports.files import ProblemCode
from quiz.classroom.imports.questions import QuestionFormat
from quiz.handwritten import CHOICE_LENGTH
from tests.test_question_imports import QUIZLET, csv_bytes, kahoot_rows, read

# The admin form's words, about its fields and tick boxes: never in an import's messages.
ADMIN_WORDS = ("tick", "choice")


def assert_in_the_files_words(result) -> None:
    assert not result.is_valid
    for problem in result.problems:
        words = f"{problem.column} {problem.message}".casefold()
        assert not any(word in words for word in ADMIN_WORDS), problem
    places = [(problem.row, problem.column) for problem in result.problems]
    assert len(places) == len(set(places)), "each problem once"


def spreadsheet_problems(change) -> list[tuple]:
    rows = kahoot_rows(3)
    change(rows[1])
    result = read(csv_bytes(rows))
    assert_in_the_files_words(result)
    return [(problem.row, problem.column, problem.message) for problem in result.problems]


def test_a_correct_answer_of_5_is_one_problem_in_the_spreadsheets_words():
    assert spreadsheet_problems(lambda row: row.__setitem__(6, 5)) == [
        (3, "Correct answer", "“5” is not an answer number from 1 to 4."),
    ]


def blank_wrong_answers(row: list) -> None:
    row[2] = row[3] = ""


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda row: row.__setitem__(6, ""),
            (3, "Correct answer", "is empty: give the number of the right answer, from 1 to 4."),
        ),
        (
            lambda row: row.__setitem__(6, "1,3"),
            (
                3,
                "Correct answer",
                "gives answers 1 and 3; give the number of only one right answer.",
            ),
        ),
        (
            lambda row: row.__setitem__(6, 4),
            (3, "Answer 4", "is empty, but the correct answer is 4."),
        ),
        (
            lambda row: row.__setitem__(2, "right 2"),
            (3, "Answer 1 and 2", "read the same; each answer must differ."),
        ),
        (
            lambda row: row.__setitem__(3, "x" * (CHOICE_LENGTH + 1)),
            (3, "Answer 3", f"is longer than {CHOICE_LENGTH} characters."),
        ),
        (
            blank_wrong_answers,
            (3, "Answer 1 to 4", "hold fewer than two answers; give at least two."),
        ),
    ],
    ids=["empty", "two", "names an empty answer", "same", "too long", "one answer"],
)
def test_each_spreadsheet_problem_names_its_column_in_the_files_words(change, expected):
    assert spreadsheet_problems(change) == [expected]


GIFT_CASES = {
    "no right answer": (
        "Who came first? {~Lenin ~Stalin}",
        ("answers", "none is marked right: put = before the right one."),
    ),
    "two right answers": (
        "Who came first? {=Lenin =Stalin ~Trotsky}",
        (
            "answers 1 and 2",
            "are marked right (=); only one answer can be right, the others take ~.",
        ),
    ),
    "too many answers": (
        "Who came first? {=Lenin ~Stalin ~Trotsky ~Bukharin ~Zinoviev}",
        ("answers", "are 5; a question here has at most 4 answers."),
    ),
    "same answers": (
        "Who came first? {=Lenin ~lenin ~Stalin}",
        ("answers 1 and 2", "read the same; each answer must differ."),
    ),
    "too long": (
        "Who came first? {=Lenin ~" + "x" * (CHOICE_LENGTH + 1) + "}",
        ("answer 2", f"is longer than {CHOICE_LENGTH} characters."),
    ),
}


@pytest.mark.parametrize("case", GIFT_CASES)
def test_each_gift_problem_is_named_by_line_in_gifts_words(case):
    question, (column, message) = GIFT_CASES[case]
    text = "::Fine:: Who was last? {=Gorbachev ~Brezhnev}\n\n" + question + "\n"
    result = read(text.encode(), QuestionFormat.GIFT, "moodle.gift")
    assert_in_the_files_words(result)
    assert [(p.where, p.message) for p in result.problems] == [(f"Line 3, {column}", message)]


def test_a_quizlet_definition_with_a_problem_is_named_on_its_own_line_only():
    long_definition = "y" * (CHOICE_LENGTH + 1)
    text = QUIZLET + "Ivashko\t\n" + f"Andropov\t{long_definition}\n"
    result = read(text.encode(), QuestionFormat.QUIZLET, "pasted text")
    assert_in_the_files_words(result)
    assert [(p.where, p.code, p.message) for p in result.problems] == [
        ("Line 6, definition", ProblemCode.MISSING, "is empty."),
        (
            "Line 7, definition",
            ProblemCode.TOO_LONG,
            f"is longer than {CHOICE_LENGTH} characters, the most an answer can have.",
        ),
    ]


def test_quizlet_definitions_differing_only_in_case_are_one_definition():
    text = "Lenin\tFirst\nStalin\tfirst\n"
    result = read(text.encode(), QuestionFormat.QUIZLET, "pasted text")
    assert_in_the_files_words(result)
    assert [p.message for p in result.problems] == [
        "A Quizlet import needs at least two different definitions: each question's wrong "
        "answers are the other terms' definitions."
    ]
