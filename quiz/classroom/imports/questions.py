"""Hand-written questions from a teacher's file: Kahoot-style CSV or XLSX, Moodle GIFT, Quizlet.

Each format is read into DraftQuestions, then every draft is checked by the same rules as the
admin's form (quiz.handwritten) plus the file's own: no formulas, no control characters, no
question twice (in the file, or already in the set). Nothing here writes to the database.
"""

from __future__ import annotations

import enum
import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace

from quiz.classroom.imports import files
from quiz.classroom.imports.files import ImportProblem, ImportRefused, ProblemCode, RefusalCode
from quiz.classroom.imports.gift import parse_gift
from quiz.csv_cells import from_spreadsheet_cell
from quiz.handwritten import CHOICE_LENGTH, ChoiceProblem, and_join, choice_problems
from quiz.handwritten import ProblemCode as ChoiceCode
from quiz.models import MAX_CHOICES, MAX_HANDWRITTEN_QUESTIONS

PROMPT_LENGTH = 1000
EXPLANATION_LENGTH = 2000
QUIZLET_PROMPT = "Which of these goes with “{term}”?"


class QuestionFormat(enum.StrEnum):
    """The kinds of file a teacher can import questions from."""

    SPREADSHEET = "spreadsheet"
    GIFT = "gift"
    QUIZLET = "quizlet"


FORMAT_LABELS = {
    QuestionFormat.SPREADSHEET: "Spreadsheet (CSV or XLSX, with Kahoot's columns)",
    QuestionFormat.GIFT: "Moodle GIFT (multiple choice and true/false)",
    QuestionFormat.QUIZLET: "Quizlet export (term, tab, definition)",
}

# Column: the headings that name it (compared after files.header_key).
KAHOOT_REQUIRED = {
    "Question": ("question", "question text", "prompt"),
    "Answer 1": ("answer 1", "answer1", "choice 1"),
    "Answer 2": ("answer 2", "answer2", "choice 2"),
    "Correct answer": ("correct answer", "correct answers", "correct", "correct answer s"),
}
KAHOOT_OPTIONAL = {
    "Answer 3": ("answer 3", "answer3", "choice 3"),
    "Answer 4": ("answer 4", "answer4", "choice 4"),
    "Time limit": ("time limit",),
    "Explanation": ("explanation", "feedback"),
}
ANSWER_COLUMNS = ("Answer 1", "Answer 2", "Answer 3", "Answer 4")


@dataclass(frozen=True)
class Wording:
    """How a kind of file names its parts, so that each problem reads in the file's own words.

    A choice problem's place and message may use {numbers} ("1 and 3") and {count}.
    """

    row: str
    prompt: str
    explanation: str
    choices: Mapping[ChoiceCode, tuple[str, str]]


WORDINGS = {
    QuestionFormat.SPREADSHEET: Wording(
        row="Row",
        prompt="Question",
        explanation="Explanation",
        choices={
            ChoiceCode.NO_CORRECT: (
                "Correct answer",
                f"is empty: give the number of the right answer, from 1 to {MAX_CHOICES}.",
            ),
            ChoiceCode.TWO_CORRECT: (
                "Correct answer",
                "gives answers {numbers}; give the number of only one right answer.",
            ),
            ChoiceCode.CORRECT_BUT_EMPTY: (
                "Answer {numbers}",
                "is empty, but the correct answer is {numbers}.",
            ),
            ChoiceCode.TOO_FEW: (
                f"Answer 1 to {MAX_CHOICES}",
                "hold fewer than two answers; give at least two.",
            ),
            ChoiceCode.TOO_MANY: (
                f"Answer 1 to {MAX_CHOICES}",
                f"hold {{count}} answers; give at most {MAX_CHOICES}.",
            ),
            ChoiceCode.SAME: ("Answer {numbers}", "read the same; each answer must differ."),
            ChoiceCode.TOO_LONG: (
                "Answer {numbers}",
                f"is longer than {CHOICE_LENGTH} characters.",
            ),
        },
    ),
    QuestionFormat.GIFT: Wording(
        row="Line",
        prompt="question",
        explanation="general feedback",
        choices={
            ChoiceCode.NO_CORRECT: (
                "answers",
                "none is marked right: put = before the right one.",
            ),
            ChoiceCode.TWO_CORRECT: (
                "answers {numbers}",
                "are marked right (=); only one answer can be right, the others take ~.",
            ),
            ChoiceCode.CORRECT_BUT_EMPTY: ("answer {numbers}", "is marked right (=) but is empty."),
            ChoiceCode.TOO_FEW: ("answers", "need at least two with text."),
            ChoiceCode.TOO_MANY: (
                "answers",
                f"are {{count}}; a question here has at most {MAX_CHOICES} answers.",
            ),
            ChoiceCode.SAME: ("answers {numbers}", "read the same; each answer must differ."),
            ChoiceCode.TOO_LONG: (
                "answer {numbers}",
                f"is longer than {CHOICE_LENGTH} characters.",
            ),
        },
    ),
    # Quizlet's answers are its definitions: each row's own is checked as it is read, so these
    # tell of the other definitions a question drew as wrong answers.
    QuestionFormat.QUIZLET: Wording(
        row="Line",
        prompt="term",
        explanation="definition",
        choices={
            ChoiceCode.NO_CORRECT: ("definition", "is missing."),
            ChoiceCode.TWO_CORRECT: ("definition", "is given twice."),
            ChoiceCode.CORRECT_BUT_EMPTY: ("definition", "is empty."),
            ChoiceCode.TOO_FEW: ("definition", "has no other definition to be a wrong answer."),
            ChoiceCode.TOO_MANY: ("definition", f"has more than {MAX_CHOICES - 1} wrong answers."),
            ChoiceCode.SAME: ("definition", "reads the same as another definition."),
            ChoiceCode.TOO_LONG: (
                "definition",
                f"is longer than {CHOICE_LENGTH} characters, the most an answer can have.",
            ),
        },
    ),
}


@dataclass(frozen=True)
class DraftQuestion:
    """A question as it will be saved: prompt, choices in order, the right one's index."""

    row: int
    prompt: str
    choices: tuple[str, ...]
    correct: int
    explanation: str = ""

    def as_record(self) -> dict:
        return asdict(self) | {"choices": list(self.choices)}

    @classmethod
    def from_record(cls, record: dict) -> DraftQuestion:
        return cls(**{**record, "choices": tuple(record["choices"])})


@dataclass
class QuestionFile:
    """What a file will create, and every problem found in it; saved only when problems is empty."""

    file_format: QuestionFormat
    questions: list[DraftQuestion] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # Each row's prompt, the choices it gave as (text, is right), and its explanation, to check.
    _raw: list[tuple[int, str, list[tuple[str, bool]], str]] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return bool(self.questions) and not self.problems


# -- formats ------------------------------------------------------------------------------------


def _spreadsheet(data: bytes, file_name: str, result: QuestionFile) -> None:
    rows = files.spreadsheet_rows(data, file_name)
    header, columns = files.find_header(rows, required=KAHOOT_REQUIRED, optional=KAHOOT_OPTIONAL)

    def raw(row: files.Row, column: str) -> str:
        position = columns.get(column)
        return row.cells[position] if position is not None and position < len(row.cells) else ""

    def cell(row: files.Row, column: str) -> str:
        return from_spreadsheet_cell(raw(row, column))

    if "Time limit" in columns:
        result.notices.append(
            "Time limits per question are not kept: a set has one time limit for all its "
            "questions, set on the set's page."
        )
    for row in rows[header + 1 :]:
        answers = [cell(row, column) for column in ANSWER_COLUMNS]
        if not cell(row, "Question") and not any(answers) and not cell(row, "Correct answer"):
            continue  # a numbered but empty row of the template
        for column in (*KAHOOT_REQUIRED, *KAHOOT_OPTIONAL):
            if column in columns:
                result.problems += files.text_problems(
                    cell(row, column), row=row.number, column=column
                )
        marked = cell(row, "Correct answer").replace(";", ",").replace(" ", "")
        numbers: list[int] = []
        for part in filter(None, marked.split(",")):
            if not part.isdigit() or not 1 <= int(part) <= MAX_CHOICES:
                result.problems.append(
                    ImportProblem(
                        ProblemCode.INVALID,
                        f"“{part}” is not an answer number from 1 to {MAX_CHOICES}.",
                        row.number,
                        "Correct answer",
                    )
                )
                continue
            numbers.append(int(part))
        limit = cell(row, "Time limit")
        if limit and not limit.isdigit():
            result.problems.append(
                ImportProblem(
                    ProblemCode.INVALID,
                    f"“{limit}” is not a number of seconds.",
                    row.number,
                    "Time limit",
                )
            )
        choices = [(text, number in numbers) for number, text in enumerate(answers, start=1)]
        result._raw.append((row.number, cell(row, "Question"), choices, cell(row, "Explanation")))


def _gift(data: bytes, result: QuestionFile) -> None:
    for question in parse_gift(files.decode_text(data)):
        if question.unsupported:
            result.problems.append(
                ImportProblem(
                    ProblemCode.UNSUPPORTED,
                    f"is {question.unsupported}; only multiple-choice and true/false questions "
                    "can be imported.",
                    question.line,
                )
            )
            continue
        choices = [(text, index in question.correct) for index, text in enumerate(question.choices)]
        result._raw.append((question.line, question.prompt, choices, question.explanation))


def _quizlet(data: bytes, result: QuestionFile) -> None:
    text = files.decode_text(data)
    term_length = PROMPT_LENGTH - len(QUIZLET_PROMPT.format(term=""))
    pairs: list[tuple[int, str, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if "\t" not in line:
            result.problems.append(
                ImportProblem(
                    ProblemCode.MISSING,
                    "has no tab between the term and its definition. In Quizlet's export, "
                    "choose “Tab” between term and definition and “New line” between rows.",
                    number,
                )
            )
            continue
        term, definition = (part.strip() for part in line.split("\t", 1))
        problems: list[ImportProblem] = []
        for column, value, longest in (
            ("term", term, term_length),
            ("definition", definition, CHOICE_LENGTH),
        ):
            problems += files.text_problems(value, row=number, column=column)
            if not value:
                problems.append(ImportProblem(ProblemCode.MISSING, "is empty.", number, column))
            elif len(value) > longest:
                problems.append(
                    ImportProblem(
                        ProblemCode.TOO_LONG,
                        f"is longer than {longest} characters"
                        + (", the most an answer can have." if column == "definition" else "."),
                        number,
                        column,
                    )
                )
        result.problems += problems
        # A row with a problem makes no question, and its definition is no other's wrong answer.
        pairs.append((number, term, definition if not problems else ""))
    if len(pairs) > files.MAX_ROWS:
        raise ImportRefused(
            RefusalCode.TOO_MANY_ROWS,
            f"The file has {len(pairs)} terms; import at most {files.MAX_ROWS} at a time.",
        )
    # Definitions differing only in case are one answer.
    by_key: dict[str, str] = {}
    for _, _, definition in pairs:
        if definition:
            by_key.setdefault(definition.casefold(), definition)
    definitions = list(by_key.values())
    if len(definitions) < 2 and pairs:
        result.problems.append(
            ImportProblem(
                ProblemCode.MISSING,
                "A Quizlet import needs at least two different definitions: each question's "
                "wrong answers are the other terms' definitions.",
            )
        )
        return
    # The same file always gives the same wrong choices, in the preview and when saved.
    rng = random.Random(hashlib.sha256(text.encode()).digest())
    for number, term, definition in pairs:
        if not definition:
            continue
        others = [d for d in definitions if d.casefold() != definition.casefold()]
        wrong = rng.sample(others, min(MAX_CHOICES - 1, len(others)))
        choices = [(definition, True), *((text, False) for text in wrong)]
        rng.shuffle(choices)
        result._raw.append(
            (number, QUIZLET_PROMPT.format(term=term), choices, f"{term}: {definition}")
        )


# -- checks -------------------------------------------------------------------------------------


def _choice_problem(
    wording: Wording, problem: ChoiceProblem, row: int, count: int
) -> ImportProblem:
    place, message = wording.choices[problem.code]
    numbers = and_join(problem.numbers) if problem.numbers else ""
    return ImportProblem(
        ProblemCode.CHOICES,
        message.format(numbers=numbers, count=count),
        row,
        place.format(numbers=numbers, count=count),
    )


def _check(result: QuestionFile, existing_prompts: Iterable[str]) -> None:
    existing_prompts = list(existing_prompts)
    wording = WORDINGS[result.file_format]
    existing = {prompt.casefold() for prompt in existing_prompts}
    first_row: dict[str, int] = {}
    # A cell already reported (an answer number out of range) is not reported again in other words.
    reported = {(problem.row, problem.column) for problem in result.problems}
    rows_reported = {row for row, _ in reported}
    for row, prompt, choices, explanation in result._raw:
        problems = []
        if result.file_format == QuestionFormat.GIFT:
            problems += files.text_problems(prompt, row=row, column=wording.prompt)
            for text, _ in choices:
                problems += files.text_problems(text, row=row, column="answers")
        if not prompt:
            problems.append(ImportProblem(ProblemCode.MISSING, "is empty.", row, wording.prompt))
        elif len(prompt) > PROMPT_LENGTH:
            problems.append(
                ImportProblem(
                    ProblemCode.TOO_LONG,
                    f"is longer than {PROMPT_LENGTH} characters.",
                    row,
                    wording.prompt,
                )
            )
        if len(explanation) > EXPLANATION_LENGTH:
            problems.append(
                ImportProblem(
                    ProblemCode.TOO_LONG,
                    f"is longer than {EXPLANATION_LENGTH} characters.",
                    row,
                    wording.explanation,
                )
            )
        filled = sum(1 for text, _ in choices if text.strip())
        for choice_problem in choice_problems(choices):
            problem = _choice_problem(wording, choice_problem, row, filled)
            if (row, problem.column) not in reported:
                problems.append(problem)
                reported.add((row, problem.column))
        key = prompt.casefold()
        if key in first_row:
            problems.append(
                ImportProblem(
                    ProblemCode.DUPLICATE,
                    f"is the same question as {wording.row.lower()} {first_row[key]}.",
                    row,
                    wording.prompt,
                )
            )
        elif key and key in existing:
            problems.append(
                ImportProblem(
                    ProblemCode.DUPLICATE, "is already a question of this set.", row, wording.prompt
                )
            )
        first_row.setdefault(key, row)
        result.problems += problems
        if not problems and row not in rows_reported:
            kept = [(text.strip(), correct) for text, correct in choices if text.strip()]
            result.questions.append(
                DraftQuestion(
                    row=row,
                    prompt=prompt,
                    choices=tuple(text for text, _ in kept),
                    correct=next(index for index, (_, correct) in enumerate(kept) if correct),
                    explanation=explanation,
                )
            )
    if len(result.questions) + len(result.problems) == 0 and not result._raw:
        result.problems.append(ImportProblem(ProblemCode.MISSING, "The file holds no questions."))
    room = MAX_HANDWRITTEN_QUESTIONS - len(existing_prompts)
    if len(result._raw) > room:
        result.problems.append(
            ImportProblem(
                ProblemCode.TOO_MANY,
                f"The file holds {len(result._raw)} questions and the set has "
                f"{len(existing_prompts)}; a set holds at most {MAX_HANDWRITTEN_QUESTIONS}. "
                f"Import at most {max(room, 0)} into this set, or start another.",
            )
        )
    result.problems = sorted(
        (replace(problem, row_label=wording.row) for problem in result.problems),
        key=lambda problem: problem.row or 0,
    )


def read_question_file(
    *,
    data: bytes,
    file_name: str,
    file_format: QuestionFormat,
    existing_prompts: Iterable[str] = (),
) -> QuestionFile:
    """Every question in the file and every problem with it. Raises ImportRefused."""
    result = QuestionFile(file_format=file_format)
    if file_format == QuestionFormat.SPREADSHEET:
        _spreadsheet(data, file_name, result)
    elif file_format == QuestionFormat.GIFT:
        _gift(data, result)
    else:
        _quizlet(data, result)
    if len(result._raw) > files.MAX_ROWS:
        raise ImportRefused(
            RefusalCode.TOO_MANY_ROWS,
            f"The file has {len(result._raw)} questions; import at most {files.MAX_ROWS} at a time.",
        )
    _check(result, existing_prompts)
    return result


def check_drafts(
    drafts: Iterable[DraftQuestion], *, file_format: QuestionFormat, existing_prompts: Iterable[str]
) -> QuestionFile:
    """Previewed questions checked again before saving, against the set as it is now."""
    result = QuestionFile(file_format=file_format)
    for draft in drafts:
        choices = [(text, index == draft.correct) for index, text in enumerate(draft.choices)]
        result._raw.append((draft.row, draft.prompt, choices, draft.explanation))
    _check(result, existing_prompts)
    return result
