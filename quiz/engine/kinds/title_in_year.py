"""Which title the holder bore in a year, or on a day ("Which title did the party's leading
secretary bear in 1937?").

- The same days and years as holder_in_year (see days.py): never a handover day, a de facto
  span or a disputed start.
- A year with two titles is asked as "which of these", with the other right one left out.
"""

from __future__ import annotations

import datetime as dt
import random

from history.facts import format_date
from quiz.engine import keys
from quiz.engine.days import DaySpan, day_spans, years
from quiz.engine.index import PositionIndex
from quiz.engine.kind import Built, Kind
from quiz.engine.pools import DayPool, TemplatePool, easy_need, thaw
from quiz.engine.text import join
from quiz.engine.types import Difficulty, Question


def _title_on_day(
    pool: DayPool, span: DaySpan, day: dt.date, rng: random.Random, level: Difficulty
) -> Question:
    term = span.term
    index: PositionIndex = pool.index
    need = easy_need(span.titles_need, level, fewer_when_easy=True)
    names = [*rng.sample(span.titles[level], need), term.title.name]
    rng.shuffle(names)
    choices = index.show_titles(names, level)
    when = format_date(day)
    return Question(
        "title_in_year",
        f"Which title did {index.role} bear on {when}?",
        choices,
        choices[names.index(term.title.name)],
        f"On {when} {span.title_explanation}",
        {"position": index.slug, "variant": "date", "date": day.isoformat(), **thaw(span.about)},
    )


def build(index: PositionIndex) -> Built:
    if len(index.titles) < 3:
        return [], "the office had fewer than three titles, too few for three choices"
    templates = []
    for year in years(index):
        first, last, terms = year.first, year.last, year.terms
        titles: list[str] = []
        for term in terms:
            if term.title.name not in titles:
                titles.append(term.title.name)
        ranked = index.rank_titles(first, last, titles)
        variants = []
        for title in titles:
            holders: list[str] = []
            slugs: list[str] = []
            for term in terms:
                if term.title.name == title and term.person.full_name not in holders:
                    holders.append(term.person.full_name)
                    slugs.append(term.person.slug)
            others = [name for name in titles if name != title]
            text = f"In {year.year} the office was held by {join(holders)} as {title}"
            if others:
                text += (
                    f"; it was also held as {join(others)} that year, "
                    f"{'a title' if len(others) == 1 else 'titles'} not among the choices"
                )
            # One holder under the title that year: the fact is that term; several: the title's span.
            fact = (
                keys.term_key(index.slug, slugs[0], title)
                if len(slugs) == 1
                else keys.title_span_key(index.slug, title)
            )
            about = {"fact_key": fact, "variant": "year", "year": year.year, "office": title}
            if len(holders) == 1:
                about["person"] = holders[0]
            if others:
                about["variant"] = "year_which_of_these"
                about["left_out"] = others
            variant = index.variant(title, ranked, about, text + ".", titles=True)
            if variant is not None:
                variants.append(variant)
        if not variants:
            continue
        if len(titles) == 1:
            prompt = f"Which title did {index.role} bear in {year.year}?"
        else:
            prompt = f"Which of these titles did {index.role} bear in {year.year}?"
        templates.append((prompt, tuple(variants)))
    days = DayPool(
        "title_in_year",
        [s for s in day_spans(index) if s.titles_need >= 2],
        _title_on_day,
        index,
    )
    return [TemplatePool("title_in_year", templates), days], (
        "no year or day has exactly one title with enough wrong choices"
    )


KIND = Kind(
    name="title_in_year",
    label="What the office was called in a year",
    build=build,
    rules=__doc__,
)
