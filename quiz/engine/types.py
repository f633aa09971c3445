"""What the engine gives and takes: questions, their `About`, difficulties and errors."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TypedDict


class Difficulty(enum.StrEnum):
    """How near in time the wrong choices are to the right one."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


LEVELS = (Difficulty.EASY, Difficulty.MEDIUM, Difficulty.HARD)


class About(TypedDict, total=False):
    """What a question is about, by the data: stored with each asked question (JSON).

    Dates are ISO strings. `office` is the full name of the title the question is about;
    `left_out` names right answers of another reading that the choices leave out.
    """

    position: str
    fact_key: str
    variant: str
    person: str
    office: str
    year: int
    date: str
    left_office: str
    took_office: str
    successor: str
    predecessor: str
    term_start: str
    term_end: str
    left_out: list[str]
    days: int


# How a typed question's prompt ends, which keeps it apart from its multiple-choice twin.
TYPED_SUFFIX = " Type the name."


@dataclass(frozen=True)
class Question:
    """One question: multiple choice (`answer` is one of `choices`), or typed (no choices; a
    typed answer is right when it folds to one of `accepted`, see answers.py)."""

    kind: str
    prompt: str
    choices: tuple[str, ...]
    answer: str
    explanation: str
    about: About
    accepted: tuple[str, ...] = ()

    @property
    def is_typed(self) -> bool:
        return not self.choices


class EngineError(ValueError):
    """A request the engine cannot meet (unknown kind, impossible count, ...), with a message."""
