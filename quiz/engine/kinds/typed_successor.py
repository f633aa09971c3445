"""Who succeeded a holder, typed rather than chosen ("Who succeeded Yuri Andropov as General
Secretary? Type the name."). The prompt says so, and so differs from the successor kind's.

- The same successions, by the same rules, as the successor kind, and the same fact: a quiz asks
  one or the other, never both.
- Matching forgives case, diacritics and common transliterations (answers.py): "khrushchov" is
  Khrushchev. The surname alone is enough unless another person tied to the office shares it.
- No choices, so nothing varies with difficulty: the kind scores the same at every level.
"""

from __future__ import annotations

from collections import Counter

from history.facts import format_date
from quiz.engine import keys
from quiz.engine.answers import accepted_forms, fold
from quiz.engine.handover import (
    acting_after,
    clearly_follows,
    gap_sentence,
    handover_text,
    stint_counts,
)
from quiz.engine.index import PositionIndex
from quiz.engine.kind import Built, Kind
from quiz.engine.pools import TemplatePool, Variant, freeze
from quiz.engine.types import TYPED_SUFFIX, Difficulty


def build(index: PositionIndex) -> Built:
    if len(index.stints) < 2:
        return [], "the office never passed from one holder to a different one"
    counts = stint_counts(index)
    surnames = Counter(fold(person.short) for person in index.people)
    templates = []
    for i, stint in enumerate(index.stints[:-1]):
        after = index.stints[i + 1]
        if not clearly_follows(index, stint, after):
            continue
        subject, answer = stint.person, after.person
        _, gap_people = gap_sentence(index, stint, after)
        if gap_people:
            continue  # someone led it de facto in between: typing them would be arguably right
        if after.acting and acting_after(index, after.start, {subject.name, answer.name}):
            continue  # an acting successor: the next holder in their own right is arguable
        accepted = accepted_forms(answer.name, answer.short)
        if surnames[fold(answer.short)] > 1:
            accepted = (fold(answer.name),)
        handover = [t for t in subject.terms if t.end == stint.end]
        handover += [t for t in answer.terms if t.start == after.start]
        title = index.title_in_force(handover)
        prompt = f"Who succeeded {subject.name} as {title or index.role}"
        if counts[subject.slug] > 1:
            prompt += f" when {subject.short} left the post on {format_date(stint.end)}"
        prompt += f"?{TYPED_SUFFIX}"
        variant = Variant(
            answer=answer.name,
            about=freeze(
                {
                    "position": index.slug,
                    "fact_key": keys.succession_key(index.slug, subject.slug, answer.slug),
                    "person": subject.name,
                    "left_office": stint.end.isoformat(),
                    "successor": answer.name,
                    "took_office": after.start.isoformat(),
                    "office": after.terms[0].title.name,
                }
            ),
            windows={level: () for level in Difficulty},
            need=0,
            explanation=handover_text(index, stint, after, answer_is_later=True),
            accepted=accepted,
        )
        templates.append((prompt, (variant,)))
    return [TemplatePool("typed_successor", templates)], (
        "no handover without someone in between to type"
    )


KIND = Kind(
    name="typed_successor",
    label="Type who came next",
    build=build,
    rules=__doc__,
    varies_with_difficulty=False,
)
