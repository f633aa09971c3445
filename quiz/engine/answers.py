"""Forgiving matching of a typed answer to a name (pure Python).

A student may type the surname alone or the full name, in any case, with or without diacritics,
and in the common transliterations of Russian names: Krestinsky, Krestinskiy, Krestinskii;
Khrushchev, Khrushchov (ё written as "o"); Iurii, Yuri. Spaces, hyphens and apostrophes don't
count. Nothing else is guessed: a typing mistake is a wrong answer.
"""

from __future__ import annotations

import re
import unicodedata

from quiz.engine.types import Question

# Applied in order to a lowercase ASCII name (no spaces), so each spelling folds to one form.
_FOLDS = (
    (re.compile(r"(kh|ch|sh|zh|shch)o(v|va)$"), r"\1e\2"),  # Khrushchov -> Khrushchev
    (re.compile(r"(ii|iy|yi|ij|y)$"), "y"),  # Krestinskii, Krestinskiy -> Krestinsky
    (re.compile(r"^iu"), "yu"),  # Iurii -> Yurii
    (re.compile(r"^ia"), "ya"),
    (re.compile(r"kh"), "h"),  # Khrushchev / Hrushchev (German-style spellings)
    (re.compile(r"ks"), "x"),
)


def fold(name: str) -> str:
    """A name reduced to what all its accepted spellings share."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"[^a-z0-9]", "", ascii_name.lower())
    for pattern, replacement in _FOLDS:
        folded = pattern.sub(replacement, folded)
    return folded


def accepted_forms(full_name: str, short_name: str) -> tuple[str, ...]:
    """The folded forms of a person's name a typed answer may match: full name, surname."""
    forms = {fold(full_name), fold(short_name or full_name.split()[-1])}
    return tuple(sorted(form for form in forms if form))


def matches(typed: str, accepted: tuple[str, ...] | list[str]) -> bool:
    """Whether the typed text is one of the accepted forms (already folded)."""
    folded = fold(typed)
    return bool(folded) and folded in accepted


def typed_names(question: Question) -> tuple[str, ...]:
    """The answer as people write it: the full name, then the surname if that is accepted alone."""
    names = [question.answer]
    surname = question.answer.split()[-1]
    if surname != question.answer and matches(surname, question.accepted):
        names.append(surname)
    return tuple(names)
