"""Importing hand-written questions: Kahoot-style CSV and XLSX, Moodle GIFT, Quizlet; a preview
of everything, and a file with any problem saves nothing and names the row and column."""

import csv
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from quiz.classroom.imports import files
from quiz.classroom.imports.files import ImportRefused, ProblemCode, RefusalCode
from quiz.classroom.imports.gift import parse_gift
from quiz.classroom.imports.questions import QUIZLET_PROMPT, QuestionFormat, read_question_file
from quiz.classroom.models import QuestionImport
from quiz.export import to_gift
from quiz.models import HandwrittenQuestion
from tests.quiz_factories import StubQuestion, add_handwritten, make_question_set, make_teacher

pytestmark = pytest.mark.django_db

KAHOOT_HEADER = [
    "Question - max 120 characters",
    "Answer 1 - max 75 characters",
    "Answer 2 - max 75 characters",
    "Answer 3 - max 75 characters",
    "Answer 4 - max 75 characters",
    "Time limit (sec) \N{EN DASH} 5, 10, 20, 30, 60, 90, 120, or 240 secs",
    "Correct answer(s) - choose at least one",
]


def kahoot_rows(count: int = 20) -> list[list]:
    return [
        [
            f"Question {n}: who came after holder {n}?",
            f"Right {n}",
            f"Wrong {n}a",
            f"Wrong {n}b",
            "",
            20,
            1,
        ]
        for n in range(1, count + 1)
    ]


def csv_bytes(rows, header=KAHOOT_HEADER, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=KAHOOT_HEADER, title_rows=True) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title_rows:  # Kahoot's template opens with a title and instructions
        sheet.append(["Quiz template"])
        sheet.append(
            [
                "Add questions, at least two answer alternatives, time limit and choose correct answers"
            ]
        )
        sheet.append([])
    sheet.append(["", *header])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    sheet.append([len(rows) + 1])  # numbered, empty
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(data: bytes, file_format=QuestionFormat.SPREADSHEET, name="questions.csv", existing=()):
    return read_question_file(
        data=data, file_name=name, file_format=file_format, existing_prompts=existing
    )


def problems_of(result) -> list[tuple]:
    return [(problem.row, problem.column, problem.code) for problem in result.problems]


# -- spreadsheets ---------------------------------------------------------------------------------


def test_a_kahoot_csv_of_twenty_questions_reads_whole():
    result = read(csv_bytes(kahoot_rows(20)))
    assert result.is_valid and len(result.questions) == 20
    first = result.questions[0]
    assert first.row == 2 and first.prompt == "Question 1: who came after holder 1?"
    assert first.choices == ("Right 1", "Wrong 1a", "Wrong 1b") and first.correct == 0
    assert any("Time limits per question are not kept" in notice for notice in result.notices)


def test_kahoots_xlsx_template_with_its_title_rows_reads_too():
    rows = kahoot_rows(3)
    rows[1][6] = 3  # the right answer is the third
    result = read(xlsx_bytes(rows), name="KahootQuizTemplate.xlsx")
    assert result.is_valid and len(result.questions) == 3
    assert result.questions[1].row == 6 and result.questions[1].correct == 2


def test_semicolon_separated_csv_and_plain_headings_are_understood():
    text = "question;answer 1;answer 2;correct answer;explanation\nWho?;Lenin;Stalin;1;Lenin did.\n"
    (question,) = read(text.encode()).questions
    assert question.choices == ("Lenin", "Stalin") and question.explanation == "Lenin did."


def test_one_bad_row_is_named_with_its_column_and_saves_nothing():
    rows = kahoot_rows(5)
    rows[2][6] = "1,3"
    result = read(csv_bytes(rows))
    assert not result.is_valid
    assert problems_of(result) == [(4, "Correct answer", ProblemCode.CHOICES)]
    assert result.problems[0].message == (
        "gives answers 1 and 3; give the number of only one right answer."
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda rows: rows[0].__setitem__(1, "=HYPERLINK(1)"),
            (2, "Answer 1", ProblemCode.FORMULA),
        ),
        (lambda rows: rows[0].__setitem__(0, "@SUM(1)"), (2, "Question", ProblemCode.FORMULA)),
        (
            lambda rows: rows[1].__setitem__(2, "Wrong\x07"),
            (3, "Answer 2", ProblemCode.CONTROL_CHARACTER),
        ),
        (lambda rows: rows[1].__setitem__(6, 7), (3, "Correct answer", ProblemCode.INVALID)),
        (lambda rows: rows[1].__setitem__(6, 4), (3, "Answer 4", ProblemCode.CHOICES)),
        (lambda rows: rows[1].__setitem__(6, ""), (3, "Correct answer", ProblemCode.CHOICES)),
        (lambda rows: rows[1].__setitem__(0, ""), (3, "Question", ProblemCode.MISSING)),
        (
            lambda rows: rows[1].__setitem__(2, "Right 2"),
            (3, "Answer 1 and 2", ProblemCode.CHOICES),
        ),
        (lambda rows: rows[1].__setitem__(5, "soon"), (3, "Time limit", ProblemCode.INVALID)),
        (lambda rows: rows.append(list(rows[0])), (7, "Question", ProblemCode.DUPLICATE)),
    ],
    ids=[
        "formula",
        "at-formula",
        "control character",
        "answer number out of range",
        "right answer empty",
        "no right answer",
        "no question",
        "same answers",
        "time limit not a number",
        "duplicate row",
    ],
)
def test_each_bad_cell_is_named_by_row_and_column(change, expected):
    rows = kahoot_rows(5)
    change(rows)
    result = read(csv_bytes(rows))
    assert expected in problems_of(result)
    assert not result.is_valid


def test_a_question_already_in_the_set_is_a_duplicate():
    result = read(csv_bytes(kahoot_rows(2)), existing=["QUESTION 2: who came after holder 2?"])
    assert problems_of(result) == [(3, "Question", ProblemCode.DUPLICATE)]


def test_an_xlsx_formula_cell_is_refused_even_with_a_cached_value():
    rows = kahoot_rows(2)
    rows[1][1] = '=CONCAT("Ri", "ght")'
    result = read(xlsx_bytes(rows, title_rows=False), name="q.xlsx")
    assert (3, "Answer 1", ProblemCode.FORMULA) in problems_of(result)


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (
            csv_bytes(kahoot_rows(2), encoding="cp1252") + "é".encode("cp1252"),
            "q.csv",
            RefusalCode.ENCODING,
        ),
        (
            csv_bytes(kahoot_rows(2), header=["Question", "Answer 1", "Answer 2"]),
            "q.csv",
            RefusalCode.NO_HEADER,
        ),
        (b"x" * (files.MAX_BYTES + 1), "q.csv", RefusalCode.TOO_BIG),
        (csv_bytes(kahoot_rows(files.MAX_ROWS + 30)), "q.csv", RefusalCode.TOO_MANY_ROWS),
        (b"PK\x03\x04 not really a workbook", "q.xlsx", RefusalCode.NOT_A_SPREADSHEET),
        (b"Question,Answer 1\x00\x01", "q.csv", RefusalCode.BINARY),
        (b"  \n ", "q.csv", RefusalCode.EMPTY),
    ],
    ids=[
        "wrong encoding",
        "missing columns",
        "huge",
        "too many rows",
        "broken xlsx",
        "binary",
        "empty",
    ],
)
def test_files_that_cannot_be_read_are_refused_whole_with_a_message(data, name, code):
    with pytest.raises(ImportRefused) as refusal:
        read(data, name=name)
    assert refusal.value.code == code and refusal.value.message


def test_missing_columns_are_named():
    with pytest.raises(ImportRefused) as refusal:
        read(csv_bytes([["Who?", "A", "B"]], header=["Question", "Answer 1", "Answer 2"]))
    assert "“Correct answer”" in refusal.value.message


def test_utf16_and_a_utf8_byte_order_mark_are_read():
    text = "Question,Answer 1,Answer 2,Correct answer\nWho was “first”?,Lenin,Stalin,1\n"
    for data in (text.encode("utf-16"), text.encode("utf-8-sig")):
        assert read(data).questions[0].prompt == "Who was “first”?"


# -- GIFT ------------------------------------------------------------------------------------------

GIFT = r"""// From Moodle
$CATEGORY: $course$/History

::Q1::Who created the office of General Secretary in 1922? {
  =Vladimir Lenin#Right.
  ~Joseph Stalin#He held it.
  ~Leon Trotsky
  ####Lenin created it; Stalin was its first holder.
}

::Q2:: Stalin died in office. {T}

::Q3::[html]<p>Which year did Stalin die?</p>{~%0%1952 ~%100%1953 ~1956}

The office was renamed First Secretary in {=1953 ~1934 ~1966} after Stalin's death.

::Q5::Escapes: 2 \= 1 + 1 \{ok\} {=yes\: indeed ~no}

::Q6::Name a holder. {=Lenin =Stalin}

::Q7::Match. {=Lenin -> 1922 =Stalin -> 1953 =Brezhnev -> 1964}

::Q8::How many? {#12}

::Q9::Describe the office. {}
"""


def test_gift_multiple_choice_true_false_missing_word_and_escapes():
    result = read(GIFT.encode(), QuestionFormat.GIFT, "moodle.gift")
    by_line = {question.row: question for question in result.questions}
    lenin = by_line[4]
    assert lenin.prompt == "Who created the office of General Secretary in 1922?"
    assert lenin.choices == ("Vladimir Lenin", "Joseph Stalin", "Leon Trotsky")
    assert (
        lenin.correct == 0 and lenin.explanation == "Lenin created it; Stalin was its first holder."
    )
    assert by_line[11].choices == ("True", "False") and by_line[11].correct == 0
    assert by_line[13].prompt == "Which year did Stalin die?" and by_line[13].correct == 1
    assert (
        by_line[15].prompt
        == "The office was renamed First Secretary in _____ after Stalin's death."
    )
    assert (
        by_line[17].prompt == "Escapes: 2 = 1 + 1 {ok}" and by_line[17].choices[0] == "yes: indeed"
    )


def test_gift_kinds_that_are_not_multiple_choice_are_named_by_line():
    result = read(GIFT.encode(), QuestionFormat.GIFT, "moodle.gift")
    unsupported = {problem.row: problem.message for problem in result.problems}
    assert set(unsupported) == {19, 21, 23, 25}
    assert "short-answer" in unsupported[19] and "matching" in unsupported[21]
    assert "numerical" in unsupported[23] and "essay" in unsupported[25]
    assert not result.is_valid


def test_our_own_gift_export_reads_back_the_same_questions():
    questions = [
        StubQuestion(
            "successor",
            "Who succeeded Lenin? {really}",
            ("Stalin", "Trotsky", "A = B"),
            "Stalin",
            "Stalin did: 1922\nthen 1924.",
        ),
        StubQuestion("acting", "Who was acting ~ only?", ("Ivashko", "Gorbachev"), "Ivashko", ""),
    ]
    back = parse_gift(to_gift(questions))
    assert [(q.prompt, tuple(q.choices), q.correct, q.explanation) for q in back] == [
        (
            "Who succeeded Lenin? {really}",
            ("Stalin", "Trotsky", "A = B"),
            [0],
            "Stalin did: 1922\nthen 1924.",
        ),
        ("Who was acting ~ only?", ("Ivashko", "Gorbachev"), [0], ""),
    ]


# -- Quizlet --------------------------------------------------------------------------------------

QUIZLET = (
    "Yakov Sverdlov\tChairman of the Secretariat, 1918-1919\n"
    "Elena Stasova\tResponsible Secretary, 1919\n"
    "Joseph Stalin\tGeneral Secretary, 1922-1952\n"
    "Nikita Khrushchev\tFirst Secretary, 1953-1964\n"
    "Mikhail Gorbachev\tGeneral Secretary, 1985-1991\n"
)


def test_each_quizlet_term_becomes_a_question_with_other_definitions_as_wrong_choices():
    result = read(QUIZLET.encode(), QuestionFormat.QUIZLET, "pasted text")
    assert result.is_valid and len(result.questions) == 5
    definitions = {line.split("\t")[1] for line in QUIZLET.splitlines()}
    for question, line in zip(result.questions, QUIZLET.splitlines(), strict=True):
        term, definition = line.split("\t")
        assert question.prompt == QUIZLET_PROMPT.format(term=term)
        assert question.choices[question.correct] == definition
        assert len(question.choices) == 4 and set(question.choices) <= definitions
    again = read(QUIZLET.encode(), QuestionFormat.QUIZLET, "pasted text")
    assert again.questions == result.questions, "the preview and the save agree"


def test_quizlet_lines_without_a_tab_or_repeated_are_named():
    text = QUIZLET + "Leonid Brezhnev, General Secretary\n" + QUIZLET.splitlines()[0] + "\n"
    result = read(text.encode(), QuestionFormat.QUIZLET, "pasted text")
    assert problems_of(result) == [
        (6, "", ProblemCode.MISSING),
        (7, "term", ProblemCode.DUPLICATE),
    ]


# -- the pages ------------------------------------------------------------------------------------


@pytest.fixture
def teacher(client):
    teacher = make_teacher(username="ms-ada")
    client.force_login(teacher)
    return teacher


@pytest.fixture
def question_set(teacher):
    question_set = make_question_set(owner=teacher, title="Successions")
    add_handwritten(question_set, prompt="Already here?", choices=["Yes", "No"])
    return question_set


def upload(client, question_set, data: bytes, name="questions.csv", file_format="spreadsheet"):
    return client.post(
        reverse("question-import", args=[question_set.pk]),
        {"file_format": file_format, "file": SimpleUploadedFile(name, data)},
    )


def test_the_preview_saves_nothing_and_confirming_saves_every_question_once(client, question_set):
    response = upload(client, question_set, csv_bytes(kahoot_rows(20)))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "20 questions to import from questions.csv" in page
    assert HandwrittenQuestion.objects.filter(question_set=question_set).count() == 1
    token = response.context["token"]
    confirm = reverse("question-import-confirm", args=[question_set.pk])
    assert client.post(confirm, {"token": token}).status_code == 302
    assert client.post(confirm, {"token": token}).status_code == 302
    questions = HandwrittenQuestion.objects.filter(question_set=question_set).order_by("order")
    assert questions.count() == 21 and QuestionImport.objects.get().question_count == 20
    last = questions.last()
    assert [(c.text, c.is_correct) for c in last.choices.all()] == [
        ("Right 20", True),
        ("Wrong 20a", False),
        ("Wrong 20b", False),
    ]


def test_a_gift_file_imports_through_the_page(client, question_set):
    gift = GIFT.split("::Q5::")[0].encode()
    response = upload(client, question_set, gift, "moodle.txt", "gift")
    assert response.status_code == 200, response.context.get("result")
    client.post(
        reverse("question-import-confirm", args=[question_set.pk]),
        {"token": response.context["token"]},
    )
    assert question_set.handwritten_questions.count() == 1 + 4


def test_pasted_quizlet_text_imports(client, question_set):
    response = client.post(
        reverse("question-import", args=[question_set.pk]),
        {"file_format": "quizlet", "text": QUIZLET},
    )
    assert response.status_code == 200 and len(response.context["result"].questions) == 5


def test_a_file_with_one_bad_row_names_it_on_the_page_and_saves_nothing(client, question_set):
    rows = kahoot_rows(20)
    rows[13][1] = "=cmd|' /C calc'!A0"
    response = upload(client, question_set, csv_bytes(rows))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "Nothing was imported" in page and "Row 15, Answer 1" in page
    assert "token" not in response.context or not response.context.get("token")
    assert question_set.handwritten_questions.count() == 1


def test_refusals_and_empty_forms_explain_themselves_on_the_page(client, question_set):
    response = upload(client, question_set, "é".encode("cp1252") * 10)
    assert response.status_code == 400 and "not UTF-8" in html.unescape(response.content.decode())
    response = client.post(
        reverse("question-import", args=[question_set.pk]), {"file_format": "gift"}
    )
    assert response.status_code == 400 and "Choose a file" in response.content.decode()


def test_an_upload_over_the_limit_is_refused_before_it_is_read(client, question_set):
    response = upload(client, question_set, b"a" * (files.MAX_BYTES + 100_000))
    assert response.status_code == 413
    assert question_set.handwritten_questions.count() == 1


def test_another_teachers_set_takes_no_import(client, question_set):
    client.force_login(make_teacher(username="mr-bo"))
    assert upload(client, question_set, csv_bytes(kahoot_rows(2))).status_code == 404
    response = client.post(
        reverse("question-import-confirm", args=[question_set.pk]), {"token": "x"}
    )
    assert response.status_code == 404


def test_a_confirm_without_its_preview_saves_nothing(client, question_set):
    response = client.post(
        reverse("question-import-confirm", args=[question_set.pk]),
        {"token": "made-up"},
        follow=True,
    )
    assert "no longer open" in html.unescape(response.content.decode())
    assert question_set.handwritten_questions.count() == 1
