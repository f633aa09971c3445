"""Who held the office in a year, or on a day, named by the title in force then.

- "Who was Responsible Secretary in 1920?", "Who was First Secretary on 5 May 1960?"; a year
  that spans titles names the post by its role ("Which of these people was the party's leading
  secretary, under any title, in 1922?"), so the prompt covers everyone who answers it.

- By date: only days strictly inside one formal term, never on a term's or a de facto tie's
  first or last day (so never a handover day), never inside another person's de facto span, nor
  between the two readings of a disputed start (Khrushchev: 7 September 1953 in the table, 14
  September in the text; both days in). See days.py.
- By year: never a year touched by a de facto span (1952, 1953), nor one a term touches under
  only one reading of its start, nor one with no formal holder. A year with two holders is
  asked as "which of these", with the other right ones left out of the choices.
- Nobody whose de facto tie starts within three years after the day or year asked is offered as
  a wrong holder (not Malenkov for 1950-1952: he supervised the Secretariat before leading it
  de facto in 1953).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from history.facts import format_date
from quiz.engine import keys
from quiz.engine.days import DaySpan, day_spans, years
from quiz.engine.index import PositionIndex, Stint
from quiz.engine.kind import Built, Kind
from quiz.engine.pools import DayPool, TemplatePool, thaw
from quiz.engine.text import join, term_span_text
from quiz.engine.types import Difficulty, Question


def _holder_on_day(
    pool: DayPool, span: DaySpan, day: dt.date, rng: random.Random, level: Difficulty
) -> Question:
    term = span.term
    index: PositionIndex = pool.index
    choices = [*rng.sample(span.people[level], span.people_need), term.person.full_name]
    rng.shuffle(choices)
    return Question(
        "holder_in_year",
        f"Who was {index.title_short[term.title.name]} on {format_date(day)}?",
        tuple(choices),
        term.person.full_name,
        span.holder_explanation,
        {"position": index.slug, "variant": "date", "date": day.isoformat(), **thaw(span.about)},
    )


def build(index: PositionIndex) -> Built:
    if len(index.people) < 3:
        return [], "fewer than three people held the office, too few for three choices"
    templates = []
    stints_of: dict[str, list[Stint]] = {}
    for stint in index.stints:
        stints_of.setdefault(stint.person.slug, []).append(stint)
    for year in years(index):
        first, last, terms = year.first, year.last, year.terms
        holders = []
        for term in terms:
            holder = index.by_slug[term.person.slug]
            if holder not in holders:
                holders.append(holder)
        names = [holder.name for holder in holders]
        ranked = index.rank_people(first, last, names + index.de_facto_soon(first, last))
        variants = []
        for holder in holders:
            stints = [
                s
                for s in stints_of[holder.slug]
                if s.start.toordinal() <= last and index.end(s.end) >= first
            ]
            text = f"{holder.name} held the office " + " and ".join(
                term_span_text(
                    dataclasses.replace(
                        s.terms[0], end=s.end, office_abolished=s.terms[-1].office_abolished
                    )
                )
                for s in stints
            )
            others = [name for name in names if name != holder.name]
            if others:
                text += (
                    f"; {join(others)} also held it in {year.year} and "
                    f"{'is' if len(others) == 1 else 'are'} not among the choices"
                )
            office = next(t.title.name for t in terms if t.person.slug == holder.slug)
            about = {
                "fact_key": keys.term_key(index.slug, holder.slug, office),
                "variant": "year",
                "year": year.year,
                "person": holder.name,
                "office": office,
            }
            if others:
                about["variant"] = "year_which_of_these"
                about["left_out"] = others
            variant = index.variant(holder.name, ranked, about, text + ".")
            if variant is not None:
                variants.append(variant)
        if not variants:
            continue
        title = index.title_in_force(terms)
        if len(holders) == 1:
            prompt = f"Who was {title or index.role} in {year.year}?"
        elif title is not None:
            prompt = f"Which of these people was {title} in {year.year}?"
        else:
            prompt = f"Which of these people was {index.role}, under any title, in {year.year}?"
        templates.append((prompt, tuple(variants)))
    days = DayPool(
        "holder_in_year",
        [s for s in day_spans(index) if s.people_need >= 2],
        _holder_on_day,
        index,
    )
    return [TemplatePool("holder_in_year", templates), days], (
        "no year or day has exactly one answer with enough wrong choices"
    )


KIND = Kind(
    name="holder_in_year", label="Who held the office in a year", build=build, rules=__doc__
)
