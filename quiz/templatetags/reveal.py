"""{{ reveal|reveals:answer }}: whether a question's right answer shows (quiz.reveal decides)."""

from django import template

from quiz.models import Answer
from quiz.reveal import RevealDecision

register = template.Library()


@register.filter
def reveals(decision: RevealDecision, answer: Answer | None) -> bool:
    """Whether the decision shows the right answer of a question answered so (None: unanswered)."""
    return decision.shows(answer or None)
