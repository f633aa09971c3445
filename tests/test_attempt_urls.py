"""attempt_url gives what reverse gives, for any numbers and under a script prefix."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from quiz.attempt_urls import attempt_url

NUMBERED = ["attempt-question", "attempt-answer"]
PLAIN = ["attempt-result", "attempt-finish", "attempt-detail"]


@pytest.mark.parametrize("prefix", ["/", "/school/quiz/"])
def test_the_same_as_reverse(prefix):
    set_script_prefix(prefix)
    try:
        for pk in (1, 7, 10, 910, 9_100_000_001, 9_100_000_002, 2**63 - 1):
            for number in (1, 2, 10, 11, 100, 32_767):
                for name in NUMBERED:
                    expected = reverse(name, kwargs={"pk": pk, "number": number})
                    assert attempt_url(name, pk, number) == expected
            for name in PLAIN:
                assert attempt_url(name, pk) == reverse(name, kwargs={"pk": pk})
        assert attempt_url("attempt-result", 5).startswith(prefix)
    finally:
        clear_script_prefix()
