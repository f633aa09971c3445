"""A question's choices as the question page and the feedback draw them (quiz/templatetags/choices.py)."""

import re

import pytest

from quiz.models import Answer, AttemptQuestion
from quiz.reveal import RevealDecision, RevealReason
from quiz.templatetags.choices import choice_items

SHOWN = RevealDecision(answered=True, unanswered=True, reason=RevealReason.AS_ANSWERED)
WITHHELD = RevealDecision(answered=False, unanswered=False, reason=RevealReason.ATTEMPTS_LEFT)
QUESTION = AttemptQuestion(
    choices=[
        {"id": "a1", "text": "Stalin"},
        {"id": "b2", "text": 'Khrushchev <b>& "Co"</b>'},
        {"id": "c3", "text": "Brezhnev"},
    ],
    correct_choice="c3",
)


def items(html: str) -> list[str]:
    return re.findall(r"<li>(.*?)</li>", html)


def test_before_the_answer_each_choice_is_a_numbered_button_and_its_text_is_escaped():
    buttons = items(choice_items(QUESTION, None, None))
    assert len(buttons) == 3
    for number, (button, choice) in enumerate(zip(buttons, QUESTION.choices, strict=True), start=1):
        assert f'name="choice" value="{choice["id"]}"' in button
        assert f'data-choice-key="{number}" aria-keyshortcuts="{number}"' in button
        assert f'<span class="choice-key" aria-hidden="true">{number}</span>' in button
    assert "Khrushchev &lt;b&gt;&amp; &quot;Co&quot;&lt;/b&gt;" in buttons[1]
    assert "<b>" not in "".join(buttons)


@pytest.mark.parametrize(
    ("chosen", "looks"),
    [
        ("b2", ["", " is-chosen-wrong", " is-correct"]),
        ("c3", ["", "", " is-correct"]),
    ],
)
def test_after_a_shown_answer_the_right_choice_and_a_wrong_one_are_marked(chosen, looks):
    answered = items(choice_items(QUESTION, Answer(choice=chosen), SHOWN))
    assert "<button" not in "".join(answered)
    for item, look in zip(answered, looks, strict=True):
        assert item.startswith(f'<div class="choice is-answered{look}">')
    right = answered[2]
    assert ("✓ Right answer (yours)" in right) == (chosen == "c3")
    assert ("✗ Your answer" in answered[1]) == (chosen == "b2")
    assert "choice-mark" not in answered[0]


def test_while_answers_are_withheld_only_the_students_own_choice_is_marked():
    for reveal in (WITHHELD, None):
        answered = items(choice_items(QUESTION, Answer(choice="b2"), reveal))
        assert [
            item.startswith('<div class="choice is-answered is-chosen">') for item in answered
        ] == [
            False,
            True,
            False,
        ]
        assert '<span class="choice-mark">Your answer</span>' in answered[1]
        assert "Right" not in "".join(answered) and "is-correct" not in "".join(answered)
