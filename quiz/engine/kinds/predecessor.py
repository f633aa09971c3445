"""Who preceded a holder: the previous *different* person in the list of terms.

- Named by the title both held, or by the role when the title changed (see successor).

- A change of title by the same person (Brezhnev, 1966) is no succession.
- De facto holders of the gap between the two terms are never offered; nor, when the answer was
  only acting, the previous holder in their own right.
- A person with several stints is asked about by the day they took office.
"""

from __future__ import annotations

from history.facts import format_date
from quiz.engine import keys
from quiz.engine.handover import (
    acting_before,
    clearly_follows,
    gap_sentence,
    handover_text,
    stint_counts,
)
from quiz.engine.index import PositionIndex
from quiz.engine.kind import Built, Kind
from quiz.engine.pools import TemplatePool


def build(index: PositionIndex) -> Built:
    if len(index.stints) < 2:
        return [], "the office never passed from one holder to a different one"
    counts = stint_counts(index)
    templates = []
    for i, stint in enumerate(index.stints[1:], start=1):
        before = index.stints[i - 1]
        if not clearly_follows(index, before, stint):
            continue
        subject, answer = stint.person, before.person
        gap_text, gap_people = gap_sentence(index, before, stint)
        arguable = set(gap_people)
        if before.acting:
            arguable.update(acting_before(index, before.end, {subject.name, answer.name}))
        arguable -= {answer.name, subject.name}
        ranked = index.rank_people(
            stint.start.toordinal(),
            index.end(stint.end),
            [subject.name, answer.name, *sorted(arguable)],
        )
        text = handover_text(index, before, stint, answer_is_later=False)
        start = format_date(stint.start)
        about = {
            "fact_key": keys.succession_key(index.slug, answer.slug, subject.slug),
            "person": subject.name,
            "took_office": stint.start.isoformat(),
            "predecessor": answer.name,
            "left_office": before.end.isoformat(),
            "office": before.terms[-1].title.name,
        }
        if arguable:
            about["left_out"] = sorted(arguable)
        variant = index.variant(answer.name, ranked, about, text + gap_text)
        if variant is None:
            continue
        handover = [t for t in answer.terms if t.end == before.end]
        handover += [t for t in subject.terms if t.start == stint.start]
        title = index.title_in_force(handover)
        prompt = f"Who preceded {subject.name} as {title or index.role}"
        if counts[subject.slug] > 1:
            prompt += f" before {subject.short} took the post on {start}"
        prompt += "?"
        templates.append((prompt, (variant,)))
    return [TemplatePool("predecessor", templates)], "too few other people to offer three choices"


KIND = Kind(name="predecessor", label="Who came before", build=build, rules=__doc__)
