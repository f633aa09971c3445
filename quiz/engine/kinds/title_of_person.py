"""Which title a person bore as the office's holder.

- Choices give a title's short name only where no other title goes by it; two titles share
  "General Secretary", so those are always in full (hard questions: every title in full).
- A person's other titles are left out of the choices.
"""

from __future__ import annotations

from quiz.engine import keys
from quiz.engine.index import PositionIndex
from quiz.engine.kind import Built, Kind
from quiz.engine.pools import TemplatePool
from quiz.engine.text import join, term_span_text


def build(index: PositionIndex) -> Built:
    if len(index.titles) < 3:
        return [], "the office had fewer than three titles, too few for three choices"
    templates = []
    for holder in index.holders:
        held: list[str] = []
        for term in holder.terms:
            if term.title.name not in held:
                held.append(term.title.name)
        variants = []
        for title in held:
            terms = [t for t in holder.terms if t.title.name == title]
            ranked = index.rank_titles(terms[0].start.toordinal(), index.end(terms[-1].end), held)
            spans = " and ".join(term_span_text(t) for t in terms)
            acting = "acting " if all(t.acting for t in terms) else ""
            text = f"{holder.name} held the office as {acting}{title} {spans}.{index.aftermath(terms[-1])}"
            others = [name for name in held if name != title]
            about = {
                "fact_key": keys.term_key(index.slug, holder.slug, title),
                "person": holder.name,
                "office": title,
            }
            if others:
                text += (
                    f" {holder.short} also held it as {join(others)}, "
                    f"{'a title' if len(others) == 1 else 'titles'} not among the choices."
                )
                about["left_out"] = others
            variant = index.variant(title, ranked, about, text, titles=True)
            if variant is not None:
                variants.append(variant)
        if not variants:
            continue
        if len(held) == 1:
            prompt = f"Which title did {holder.name} bear as {index.role}?"
        else:
            prompt = f"Which of these titles did {holder.name} bear as {index.role}?"
        templates.append((prompt, tuple(variants)))
    return [TemplatePool("title_of_person", templates)], "too few titles to offer three choices"


KIND = Kind(name="title_of_person", label="Which title someone held", build=build, rules=__doc__)
