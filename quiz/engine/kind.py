"""What a kind of question is: its name, its label for people, its rules and its builder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from quiz.engine.index import PositionIndex
from quiz.engine.pools import Pool

# A builder's pools (possibly empty), and the reason it has nothing to ask when they are.
Built = tuple[Sequence[Pool], str]


@dataclass(frozen=True)
class Kind:
    """One kind of question; its module's docstring holds its rules."""

    name: str
    label: str
    build: Callable[[PositionIndex], Built]
    rules: str
    # False for a kind whose questions are the same at every level (typed answers): it scores
    # the same at every level too.
    varies_with_difficulty: bool = True
