"""Who held the office only in an acting capacity.

- De facto holders are never choices; nor people who were acting in some terms only.
"""

from __future__ import annotations

from quiz.engine import keys
from quiz.engine.index import PositionIndex
from quiz.engine.kind import Built, Kind
from quiz.engine.pools import TemplatePool
from quiz.engine.text import term_span_text


def build(index: PositionIndex) -> Built:
    only_acting = [p for p in index.holders if all(t.acting for t in p.terms) and not p.de_facto]
    if not only_acting:
        return [], "no holder served only as acting holder"
    never_acting = [
        p for p in index.holders if not any(t.acting for t in p.terms) and not p.de_facto
    ]
    variants = []
    for person in only_acting:
        term = person.terms[0]
        ranked = index.rank_people(
            term.start.toordinal(),
            index.end(person.terms[-1].end),
            [person.name],
            among=never_acting,
        )
        spans = " and ".join(term_span_text(t) for t in person.terms)
        text = (
            f"{person.name} was acting {term.title.name} {spans}; the other choices held the "
            "office in their own right."
        )
        about = {
            "fact_key": keys.acting_key(index.slug, person.slug),
            "person": person.name,
            "office": term.title.name,
            "date": term.start.isoformat(),
        }
        variant = index.variant(person.name, ranked, about, text)
        if variant is not None:
            variants.append(variant)
    templates = []
    if variants:
        templates.append(
            (
                f"Which of these people was {index.role} only in an acting capacity?",
                tuple(variants),
            )
        )
    return [TemplatePool("acting", templates)], (
        "fewer than two holders who never acted, too few for three choices"
    )


KIND = Kind(name="acting", label="Who held it only as acting holder", build=build, rules=__doc__)
