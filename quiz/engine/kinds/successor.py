"""Who succeeded a holder: the next *different* person in the list of terms.

- Named by the title both held ("Who succeeded Yuri Andropov as General Secretary?"), or by the
  role when the title changed ("Who succeeded Vyacheslav Molotov as the party's leading
  secretary?": Stalin became General Secretary, not Responsible Secretary).

- A change of title by the same person (Brezhnev, 1966) is no succession.
- De facto holders of the gap between the two terms (Malenkov and Khrushchev in 1953) are never
  offered; nor, when the answer was only acting, the next holder in their own right.
- A person with several stints is asked about by the day they left.
"""

from __future__ import annotations

from history.facts import format_date
from quiz.engine import keys
from quiz.engine.handover import (
    acting_after,
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
    for i, stint in enumerate(index.stints[:-1]):
        after = index.stints[i + 1]
        if not clearly_follows(index, stint, after):
            continue
        subject, answer = stint.person, after.person
        gap_text, gap_people = gap_sentence(index, stint, after)
        arguable = set(gap_people)
        if after.acting:
            arguable.update(acting_after(index, after.start, {subject.name, answer.name}))
        arguable -= {answer.name, subject.name}
        ranked = index.rank_people(
            stint.start.toordinal(),
            index.end(stint.end),
            [subject.name, answer.name, *sorted(arguable)],
        )
        text = handover_text(index, stint, after, answer_is_later=True)
        about = {
            "fact_key": keys.succession_key(index.slug, subject.slug, answer.slug),
            "person": subject.name,
            "left_office": stint.end.isoformat(),
            "successor": answer.name,
            "took_office": after.start.isoformat(),
            "office": after.terms[0].title.name,
        }
        if arguable:
            about["left_out"] = sorted(arguable)
        variant = index.variant(answer.name, ranked, about, text + gap_text)
        if variant is None:
            continue
        handover = [t for t in subject.terms if t.end == stint.end]
        handover += [t for t in answer.terms if t.start == after.start]
        title = index.title_in_force(handover)
        prompt = f"Who succeeded {subject.name} as {title or index.role}"
        if counts[subject.slug] > 1:
            prompt += f" when {subject.short} left the post on {format_date(stint.end)}"
        prompt += "?"
        templates.append((prompt, (variant,)))
    return [TemplatePool("successor", templates)], "too few other people to offer three choices"


KIND = Kind(name="successor", label="Who came next", build=build, rules=__doc__)
