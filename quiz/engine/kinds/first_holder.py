"""Who first held the office (under any of its titles), or first held one title.

- The first holder of any title that carries the office's short name (Stalin, first General
  Secretary) is never a wrong choice for the office, and vice versa.
- Someone who led the office de facto in the three years before a title began (Malenkov before
  the First Secretary's office) is never a wrong choice for that title.
- When the first holder was acting, the holders up to the first in their own right are never
  wrong choices.
"""

from __future__ import annotations

from history.facts import TermFact, format_date
from quiz.engine import keys
from quiz.engine.handover import acting_after
from quiz.engine.index import DE_FACTO_LEAD_YEARS, PositionIndex
from quiz.engine.kind import Built, Kind
from quiz.engine.pools import TemplatePool


def first_holders(index: PositionIndex) -> tuple[dict[str, TermFact], dict[str, set[str]]]:
    """The first term under each title when one person alone started it that day, and
    everyone who started a term under each title on its first day."""
    firsts, openers = {}, {}
    for name, terms in index.title_terms.items():
        if not terms:
            continue
        openers[name] = {t.person.full_name for t in terms if t.start == terms[0].start}
        if len(openers[name]) == 1:
            firsts[name] = terms[0]
    return firsts, openers


def build(index: PositionIndex) -> Built:
    if len(index.people) < 3:
        return [], "fewer than three people held the office, too few for three choices"
    if not index.stints:
        return [], "the office has no terms"
    firsts, openers = first_holders(index)
    titles = {t.name: t for t in index.titles}
    templates = []
    first = index.stints[0]
    office_openers = {t.person.full_name for t in index.terms if t.start == first.start}
    if len(office_openers) == 1:
        answer = first.person
        arguable = {
            name
            for title, names in openers.items()
            if titles[title].short_name == index.short_name or title == index.name
            for name in names
        }
        if first.acting:
            arguable.update(acting_after(index, first.start, {answer.name}))
        arguable.update(
            tied.name for tied, start, _, _ in index.de_facto if start <= first.start.toordinal()
        )
        arguable.discard(answer.name)
        ranked = index.rank_people(
            first.start.toordinal(), index.end(first.end), [answer.name, *sorted(arguable)]
        )
        term = first.terms[0]
        acting = "acting " if term.acting else ""
        text = (
            f"{answer.name} was the first holder of the office, as {acting}{term.title.name}, "
            f"from {format_date(term.start)}."
        )
        about = {
            "fact_key": keys.first_key(index.slug),
            "variant": "office",
            "person": answer.name,
            "office": term.title.name,
            "date": term.start.isoformat(),
        }
        if arguable:
            about["left_out"] = sorted(arguable)
        variant = index.variant(answer.name, ranked, about, text)
        if variant is not None:
            templates.append(
                (
                    f"Who was the first of {index.role_plural}, under any title?",
                    (variant,),
                )
            )
    for name, term in firsts.items():
        if term is index.terms[0]:
            continue  # the same fact as the office's first holder
        title = titles[name]
        answer_name = term.person.full_name
        arguable = {
            person
            for other, names in openers.items()
            if other != name and titles[other].short_name == title.short_name
            for person in names
        }
        if title.short_name == index.short_name or name == index.name:
            arguable.update(office_openers)
        # Someone who led the office de facto just before a title's first use (Malenkov,
        # "first in the Secretariat" until the First Secretary's office began) reads as
        # arguably its first holder, so is never offered as wrong.
        opened = term.start.toordinal()
        arguable.update(
            tied.name
            for tied, start, end, _ in index.de_facto
            if start <= opened and end >= opened - 366 * DE_FACTO_LEAD_YEARS
        )
        if term.acting:
            later = [t for t in index.title_terms[name] if t.start > term.start]
            for other in later:
                arguable.add(other.person.full_name)
                if not other.acting:
                    break
        arguable.discard(answer_name)
        ranked = index.rank_people(
            term.start.toordinal(), index.end(term.end), [answer_name, *sorted(arguable)]
        )
        text = (
            f"{answer_name} was the first to hold the office as {name}, "
            f"from {format_date(term.start)}."
        )
        about = {
            "fact_key": keys.first_key(index.slug, name),
            "variant": "title",
            "person": answer_name,
            "office": name,
            "date": term.start.isoformat(),
        }
        if arguable:
            about["left_out"] = sorted(arguable)
        variant = index.variant(answer_name, ranked, about, text)
        if variant is not None:
            label = index.title_label[name]
            templates.append((f"Who was the first to bear the title “{label}”?", (variant,)))
    return [TemplatePool("first_holder", templates)], "too few other people to offer three choices"


KIND = Kind(name="first_holder", label="Who held it first", build=build, rules=__doc__)
