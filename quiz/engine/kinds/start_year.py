"""In which year a holder became what they were: "In which year did Elena Stasova become
Responsible Secretary?" (by title, and by each title for someone who held several).

- Other years in which the same person took office (under another title, by another reading of
  a disputed start, or de facto) are never wrong choices.
- A start the source gives in two different years is not asked.
- Wrong years lie inside the position's lifetime, so none is wrong on its face.
"""

from __future__ import annotations

import datetime as dt

from history.facts import TermFact
from quiz.engine import keys
from quiz.engine.index import PositionIndex
from quiz.engine.kind import Built, Kind
from quiz.engine.pools import TemplatePool, Variant, freeze
from quiz.engine.ranking import year_windows
from quiz.engine.text import start_text


def build(index: PositionIndex) -> Built:
    if not index.terms:
        return [], "the office has no terms"
    # The position's lifetime: its first start to its last end (or last start, if open).
    low = index.terms[0].start.year
    high = max((t.end or t.start).year for t in index.terms)
    templates = []
    for holder in index.holders:
        by_title: dict[str, list[TermFact]] = {}
        for term in holder.terms:
            by_title.setdefault(term.title.name, []).append(term)
        taken = {t.start.year for t in holder.terms}
        taken |= {t.disputed_start.year for t in holder.terms if t.disputed_start}
        taken |= {dt.date.fromordinal(first).year for first, _ in holder.de_facto}
        for title, terms in by_title.items():
            term = terms[0]
            answer = term.start.year
            disputed = term.disputed_start
            if disputed is not None and disputed.year != answer:
                continue  # the source gives two years: no one right choice
            again = (
                "first " if len(terms) > 1 or (len(by_title) == 1 and len(holder.terms) > 1) else ""
            )
            acting = "acting " if term.acting else ""
            # The person tells which title is meant, unless two of theirs share a short name.
            shorts = [index.title_short[name] for name in by_title]
            label = index.title_short[title]
            if shorts.count(label) > 1:
                label = title
            prompt = f"In which year did {holder.name} {again}become {label}?"
            renamed = _renamed_from(holder.terms, term)
            if renamed is not None:
                # Brezhnev, 1966: the title changed, not the holder.
                text = (
                    f"{holder.name} became {acting}{title} on {start_text(term)}, when the office "
                    f"of {index.title_short[renamed.title.name]} was renamed."
                )
            else:
                text = f"{holder.name} took office as {acting}{title} on {start_text(term)}."
            for other, other_terms in by_title.items():
                began = start_text(other_terms[0])
                if other == title:
                    continue
                if renamed is not None and other == renamed.title.name:
                    text += f" {holder.short} had been {index.title_short[other]} since {began}."
                elif _renamed_from(holder.terms, other_terms[0]) is not None:
                    text += (
                        f" {holder.short} became {other} on {began}, when the office was renamed."
                    )
                else:
                    when = "had taken" if other_terms[0].start < term.start else "later took"
                    text += f" {holder.short} {when} office as {other} on {began}."
            drawn = year_windows(answer, taken - {answer}, low, high)
            if drawn is None:
                continue
            windows, need, in_reach = drawn
            about = {
                "fact_key": keys.start_key(index.slug, holder.slug, title),
                "person": holder.name,
                "office": title,
                "year": answer,
                "date": term.start.isoformat(),
            }
            variant = Variant(
                answer=str(answer),
                about=freeze({"position": index.slug, **about}),
                windows=windows,
                need=need,
                explanation=text,
                years=in_reach,
            )
            templates.append((prompt, (variant,)))
    return [TemplatePool("start_year", templates)], (
        "the office's lifetime holds too few other years to offer three choices"
    )


def _renamed_from(terms: list[TermFact], term: TermFact) -> TermFact | None:
    """The same person's term under another title that ended the day this one began."""
    return next((t for t in terms if t.end == term.start and t.title.name != term.title.name), None)


KIND = Kind(name="start_year", label="When a term began", build=build, rules=__doc__)
