"""A question's choices as list items, built in Python: the question page and every answer's
feedback draw them, and the template engine's loop over them cost a third of an answer's
rendering (profiled with bench.pages)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString

from quiz.models import Answer, AttemptQuestion
from quiz.reveal import RevealDecision

register = template.Library()


@register.simple_tag
def choice_items(
    question: AttemptQuestion, answer: Answer | None, reveal: RevealDecision | None
) -> SafeString:
    """One <li> per choice: a button to answer with before the answer; after it, the student's
    choice marked, and the right one too where the set shows it (`reveal`)."""
    items = []
    for key, choice in enumerate(question.choices, start=1):
        text = escape(choice["text"])
        badge = f'<span class="choice-key" aria-hidden="true">{key:d}</span>'
        if answer is None:
            items.append(
                f'<li><button type="submit" name="choice" value="{escape(choice["id"])}" '
                f'class="choice" data-choice-key="{key:d}" aria-keyshortcuts="{key:d}">'
                f'{badge}<span class="choice-text">{text}</span></button></li>'
            )
            continue
        chosen = choice["id"] == answer.choice
        if reveal is None or not reveal.answered:
            look, mark = (" is-chosen", "Your answer") if chosen else ("", "")
        elif choice["id"] == question.correct_choice:
            look, mark = " is-correct", "✓ Right answer (yours)" if chosen else "✓ Right answer"
        elif chosen:
            look, mark = " is-chosen-wrong", "✗ Your answer"
        else:
            look, mark = "", ""
        mark = f'<span class="choice-mark">{mark}</span>' if mark else ""
        items.append(
            f'<li><div class="choice is-answered{look}">{badge}'
            f'<span class="choice-text">{text}</span>{mark}</div></li>'
        )
    return SafeString("\n".join(items))
