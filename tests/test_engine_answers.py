"""Typed answers match forgivingly: surname alone, any case, diacritics, transliterations."""

import pytest

from quiz.engine.answers import accepted_forms, fold, matches

KHRUSHCHEV = accepted_forms("Nikita Khrushchev", "Khrushchev")
KRESTINSKY = accepted_forms("Nikolay Krestinsky", "Krestinsky")


@pytest.mark.parametrize(
    "typed",
    [
        "Khrushchev",
        "khrushchev",
        "KHRUSHCHEV",
        "Khrushchov",
        "Khrushchëv",
        " Nikita Khrushchev ",
        "nikita khrushchov",
        "Khrushchév",
    ],
)
def test_spellings_of_khrushchev_are_right(typed):
    assert matches(typed, KHRUSHCHEV)


@pytest.mark.parametrize("typed", ["Krestinsky", "Krestinskii", "krestinskiy", "Krestinskij"])
def test_transliterations_of_krestinsky_are_right(typed):
    assert matches(typed, KRESTINSKY)


@pytest.mark.parametrize("typed", ["", "   ", "Khrush", "Brezhnev", "Khrushchevv", "Nikita"])
def test_other_names_and_near_misses_are_wrong(typed):
    assert not matches(typed, KHRUSHCHEV)


def test_fold_removes_case_diacritics_and_punctuation():
    assert fold("Ivashko") == fold("IVASHKO") == fold("Iváshko")
    assert fold("Gorbachov") == fold("Gorbachev")
