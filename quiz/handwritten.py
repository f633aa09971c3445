"""The rules of a hand-written question's choices, for the admin's form and for imports alike.

Every problem is reported at once, each with a code (for code) and a message (for people).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from quiz.models import MAX_CHOICES, HandwrittenChoice

CHOICE_LENGTH = HandwrittenChoice._meta.get_field("text").max_length

NO_CORRECT_CHOICE = "Tick the correct choice: none is ticked."
TWO_CORRECT_CHOICES = "Only one choice can be correct, but choices {numbers} are ticked."
TOO_FEW_CHOICES = "Give at least two choices."
TOO_MANY_CHOICES = f"Give at most {MAX_CHOICES} choices."
CORRECT_BUT_EMPTY = "Choice {number} is ticked as correct but has no text."
SAME_CHOICES = "Choices {numbers} read the same; each choice must differ."
CHOICE_TOO_LONG = f"Choice {{number}} is longer than {CHOICE_LENGTH} characters."


class ProblemCode(enum.StrEnum):
    """What is wrong with a question's choices."""

    NO_CORRECT = "no_correct"
    TWO_CORRECT = "two_correct"
    TOO_FEW = "too_few"
    TOO_MANY = "too_many"
    CORRECT_BUT_EMPTY = "correct_but_empty"
    SAME = "same"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class ChoiceProblem:
    """One thing wrong with the choices, and which choices (1-based) it is about."""

    code: ProblemCode
    message: str
    numbers: tuple[int, ...] = ()


def and_join(words: Sequence[object]) -> str:
    """ "1", "1 and 2", "1, 2 and 3"."""
    words = [str(word) for word in words]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def choice_problems(choices: Sequence[tuple[str, bool]]) -> list[ChoiceProblem]:
    """Everything wrong with choices given as (text, is correct), numbered from 1 as shown."""
    problems: list[ChoiceProblem] = []
    filled: list[tuple[int, str, bool]] = []
    for number, (text, correct) in enumerate(choices, start=1):
        text = text.strip()
        if correct and not text:
            problems.append(
                ChoiceProblem(
                    ProblemCode.CORRECT_BUT_EMPTY,
                    CORRECT_BUT_EMPTY.format(number=number),
                    (number,),
                )
            )
        if len(text) > CHOICE_LENGTH:
            problems.append(
                ChoiceProblem(
                    ProblemCode.TOO_LONG, CHOICE_TOO_LONG.format(number=number), (number,)
                )
            )
        if text:
            filled.append((number, text, correct))
    if len(filled) < 2:
        problems.append(ChoiceProblem(ProblemCode.TOO_FEW, TOO_FEW_CHOICES))
    if len(filled) > MAX_CHOICES:
        problems.append(ChoiceProblem(ProblemCode.TOO_MANY, TOO_MANY_CHOICES))
    seen: dict[str, list[int]] = {}
    for number, text, _ in filled:
        seen.setdefault(text.casefold(), []).append(number)
    for numbers in seen.values():
        if len(numbers) > 1:
            problems.append(
                ChoiceProblem(
                    ProblemCode.SAME, SAME_CHOICES.format(numbers=and_join(numbers)), tuple(numbers)
                )
            )
    correct = [number for number, _, is_correct in filled if is_correct]
    empty_correct = any(p.code == ProblemCode.CORRECT_BUT_EMPTY for p in problems)
    if not correct and not empty_correct:
        problems.append(ChoiceProblem(ProblemCode.NO_CORRECT, NO_CORRECT_CHOICE))
    if len(correct) > 1:
        problems.append(
            ChoiceProblem(
                ProblemCode.TWO_CORRECT,
                TWO_CORRECT_CHOICES.format(numbers=and_join(correct)),
                tuple(correct),
            )
        )
    return problems
