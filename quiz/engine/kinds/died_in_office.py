"""Which holder died in office (of all holders, or in a given year).

- People whose tie to the office ended by death outside a formal term (Stalin, de facto until
  his death) are never choices, right or wrong.
- In the "any" form, every wrong choice left office alive.
"""

from __future__ import annotations

from history.facts import TermFact, format_date
from quiz.engine import keys
from quiz.engine.index import PositionIndex
from quiz.engine.kind import Built, Kind
from quiz.engine.pools import TemplatePool
from quiz.engine.text import join


def build(index: PositionIndex) -> Built:
    # A person's last term marked died-in-office (data may, wrongly, mark more than one).
    deaths = {
        p.slug: [t for t in p.terms if t.died_in_office][-1]
        for p in index.holders
        if not p.ended_by_death and any(t.died_in_office for t in p.terms)
    }
    if not deaths:
        return [], "no holder died in office"
    # Wrong choices: holders who never died in office, nor died tied to it in another way.
    alive = [p for p in index.holders if p.slug not in deaths and not p.ended_by_death]
    if len(alive) < 2:
        return [], "fewer than two holders left office alive, too few for three choices"
    people = {p.slug: p for p in index.holders}
    variants = []
    by_year: dict[int, dict[str, TermFact]] = {}
    for slug in deaths:
        for term in people[slug].terms:
            if term.died_in_office:
                by_year.setdefault(term.end.year, {})[slug] = term
    templates = []
    for slug, term in deaths.items():
        person = people[slug]
        day = term.end.toordinal()
        ranked = index.rank_people(day, day, [person.name], among=alive)
        text = (
            f"{person.name} died in office on {format_date(term.end)}; "
            "none of the other choices did."
        )
        about = {
            "fact_key": keys.died_key(index.slug, person.slug),
            "variant": "any",
            "person": person.name,
            "date": term.end.isoformat(),
        }
        variant = index.variant(person.name, ranked, about, text)
        if variant is not None:
            variants.append(variant)
    if variants:
        templates.append(
            (f"Which of these people died in office as {index.role}?", tuple(variants))
        )
    for year, died in sorted(by_year.items()):
        if len(died) != 1:
            continue
        ((slug, term),) = died.items()
        person = people[slug]
        day = term.end.toordinal()
        # Holders who died in office in another year are fair, plausible wrong choices.
        among = [p for p in index.holders if p is not person and not p.ended_by_death]
        ranked = index.rank_people(day, day, [person.name], among=among)
        text = f"{person.name} died in office on {format_date(term.end)}."
        others = [
            f"{people[s].name} on {format_date(deaths[s].end)}" for s in deaths if s != person.slug
        ]
        if others:
            text += f" Other holders who died in office: {join(others)}."
        about = {
            "fact_key": keys.died_key(index.slug, person.slug),
            "variant": "year",
            "year": year,
            "person": person.name,
            "date": term.end.isoformat(),
        }
        variant = index.variant(person.name, ranked, about, text)
        if variant is not None:
            templates.append(
                (
                    f"Which of these people died in office as {index.role} in {year}?",
                    (variant,),
                )
            )
    return [TemplatePool("died_in_office", templates)], "too few holders to offer three choices"


KIND = Kind(name="died_in_office", label="Who died in office", build=build, rules=__doc__)
