"""{% published_question_sets %}: the home page's list of teachers' sets.

The home page belongs to the history app, which knows nothing of quizzes; its template reserves a
block that loads this tag, so the list costs a query on that page only.
"""

from django import template

from quiz.models import QuestionSet

register = template.Library()

HOME_PAGE_SETS = 12


@register.inclusion_tag("quiz/_question_sets.html")
def published_question_sets() -> dict:
    """The newest published sets, with their question counts, in one query."""
    return {"question_sets": list(QuestionSet.objects.for_home_page()[:HOME_PAGE_SETS])}
