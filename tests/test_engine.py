"""The quiz engine on the seed's facts: an independent oracle over many seeds, and golden cases.

No database: the seed's facts are read straight from the fixture file. `Oracle` re-derives the
right answers from the facts and the question's `about`, without any engine helper.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import random
import re
import statistics
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from history.facts import ROW_COLUMNS, PositionFacts, position_facts_from_rows
from quiz.engine import (
    KINDS,
    Difficulty,
    EngineError,
    Question,
    available_kinds,
    distinct_question_count,
    generate_questions,
    keys,
)
from quiz.engine.answers import fold, matches
from quiz.engine.types import TYPED_SUFFIX

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "cpsu_general_secretary.json"
MONTH_NAMES = (
    "January February March April May June July August September October November December"
)

CHAIRMAN = "Chairman of the Secretariat of the Central Committee of the Russian Communist Party (Bolsheviks)"
RESPONSIBLE = (
    "Responsible Secretary of the Central Committee of the Russian Communist Party (Bolsheviks)"
)
GENSEC_VKPB = (
    "General Secretary of the Central Committee of the All-Union Communist Party (Bolsheviks)"
)
FIRST_CPSU = "First Secretary of the Central Committee of the Communist Party of the Soviet Union"
GENSEC_CPSU = (
    "General Secretary of the Central Committee of the Communist Party of the Soviet Union"
)
OFFICE = "office of General Secretary"
ROLE = "the party's leading secretary"
ROLES = "the party's leading secretaries"
ALL_TITLES = (CHAIRMAN, RESPONSIBLE, GENSEC_VKPB, FIRST_CPSU, GENSEC_CPSU)


@functools.cache
def seed_facts() -> PositionFacts:
    """The seed position's facts, read from the fixture file without a database."""
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    people = {
        r["fields"]["full_name"]: r["fields"] for r in records if r["model"] == "history.person"
    }
    titles = {r["fields"]["name"]: r["fields"] for r in records if r["model"] == "history.title"}

    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    def row(kind: str, **values) -> dict:
        return {column: None for column in ROW_COLUMNS} | {"row_kind": kind} | values

    def person(name: str) -> dict:
        fields = people[name]
        return {
            "person_full_name": fields["full_name"],
            "person_short_name": fields["short_name"],
            "person_slug": fields["slug"],
        }

    rows = []
    for record in records:
        fields = record["fields"]
        if record["model"] == "history.position":
            rows.append(
                row(
                    "position",
                    position_name=fields["name"],
                    position_short_name=fields["short_name"],
                    position_slug=fields["slug"],
                    title_name=fields.get("role_name", ""),
                    title_short_name=fields.get("role_name_plural", ""),
                )
            )
        elif record["model"] == "history.title":
            rows.append(
                row("title", title_name=fields["name"], title_short_name=fields["short_name"])
            )
        elif record["model"] == "history.term":
            title = titles[fields["title"][0]]
            rows.append(
                row(
                    "term",
                    title_name=title["name"],
                    title_short_name=title["short_name"],
                    starts=day(fields["start_date"]),
                    ends=day(fields["end_date"]),
                    died=fields["died_in_office"],
                    is_acting=fields["acting"],
                    text=fields["note"],
                    disputed_starts=day(fields.get("disputed_start_date")),
                    office_ended=fields.get("office_abolished", False),
                    **person(fields["person"][0]),
                )
            )
        elif record["model"] == "history.association":
            rows.append(
                row(
                    "association",
                    starts=day(fields["start_date"]),
                    ends=day(fields["end_date"]),
                    died=fields["ended_by_death"],
                    relation_name=fields["relation"],
                    text=fields["description"],
                    undated_start=fields.get("start_undated", False),
                    **person(fields["person"][0]),
                )
            )
    return position_facts_from_rows(rows)


def format_date(day: dt.date) -> str:
    return f"{day.day} {MONTH_NAMES.split()[day.month - 1]} {day.year}"


class Oracle:
    """Re-derives, from the facts alone, which choices of a question are right or must not appear."""

    def __init__(self, facts: PositionFacts) -> None:
        self.facts = facts
        self.terms = sorted(facts.terms, key=lambda t: t.start)
        self.de_facto = [a for a in facts.associations if a.relation == "de_facto_holder"]
        known = [t.start for t in self.terms] + [t.end for t in self.terms if t.end]
        known += [t.disputed_start for t in self.terms if t.disputed_start]
        known += [d for a in facts.associations for d in (a.start, a.end) if d]
        self.low, self.high = (min(known), max(known)) if known else (None, None)
        self.people = {t.person.full_name for t in self.terms} | {
            a.person.full_name for a in self.de_facto
        }
        self.holders = {t.person.full_name for t in self.terms}
        self.titles = {t.name for t in facts.titles} | {t.title.name for t in self.terms}
        short_of = {t.name: t.short_name for t in facts.titles} | {
            t.title.name: t.title.short_name for t in self.terms
        }
        taken = Counter(short_of.values())
        # A prompt may name a title by a short name nothing else goes by: not another title,
        # not the position ("General Secretary" is both the position and two titles).
        self.label = {
            name: short
            if short
            and taken[short] == 1
            and short not in {facts.short_name, facts.name}
            and short not in short_of
            else name
            for name, short in short_of.items()
        }
        self.short = {name: short or name for name, short in short_of.items()}
        office = f"office of {facts.short_name or facts.name}"
        self.role = facts.role or f"the holder of the {office}"
        self.role_plural = facts.role_plural or f"the holders of the {office}"
        # Where the source gives a start two ways, each reading is as good as the other.
        self.disputed = [
            (min(t.start, t.disputed_start), max(t.start, t.disputed_start))
            for t in self.terms
            if t.disputed_start
        ]

    # -- spans --

    def term_end(self, term) -> dt.date:
        return term.end or self.high

    def de_facto_span(self, association) -> tuple[dt.date, dt.date]:
        return association.start or self.low, association.end or self.high

    def de_facto_between(self, first: dt.date, last: dt.date) -> set[str]:
        return {
            a.person.full_name
            for a in self.de_facto
            if self.de_facto_span(a)[0] <= last and self.de_facto_span(a)[1] >= first
        }

    def terms_of(self, name: str) -> list:
        return [t for t in self.terms if t.person.full_name == name]

    # -- the check --

    def check(self, question: Question) -> None:
        if question.is_typed:
            self.check_typed(question)
            return
        choices = question.choices
        assert question.answer in choices, question
        assert 3 <= len(choices) <= 4, question
        assert len(set(choices)) == len(choices), question
        assert_json_plain(question.about)
        assert question.about["position"] == self.facts.slug
        right, never = getattr(self, question.kind)(question)
        # A title choice may read as its short name: it stands for every title of that name,
        # so it is right when one of them is, and wrong only when all of them are.
        meaning = {choice: self.titles_read_as(choice, question) for choice in choices}
        right_choices = [c for c in choices if meaning[c] & right]
        assert right_choices == [question.answer], (question, right)
        assert all(not meaning[c] & right for c in choices if c != question.answer), question
        assert not {t for c in choices for t in meaning[c]} & never, (question, never)
        assert question.explanation.endswith("."), question
        # The explanation gives the answer, a title in full.
        answer = self.full_answer(question)
        assert answer in question.explanation or question.kind in ("start_year", "tenure_band"), (
            question
        )
        assert question.about["fact_key"] in self.fact_keys(question), question
        self.check_wording(question)

    def fact_keys(self, q: Question) -> set[str]:
        """The keys of the fact the question may be about, re-derived from the facts."""
        slug = {t.person.full_name: t.person.slug for t in self.terms}
        slug |= {a.person.full_name: a.person.slug for a in self.facts.associations}
        position, about, answer = self.facts.slug, q.about, q.answer
        if q.kind == "successor":
            return {keys.succession_key(position, slug[about["person"]], slug[answer])}
        if q.kind == "predecessor":
            return {keys.succession_key(position, slug[answer], slug[about["person"]])}
        if q.kind == "holder_in_year":
            return {
                keys.term_key(position, slug[answer], t.title.name)
                for t in self.in_force(q)
                if t.person.full_name == answer
            }
        if q.kind == "title_in_year":
            answer = self.full_answer(q)
            holders = {t.person.full_name for t in self.in_force(q) if t.title.name == answer}
            if len(holders) > 1:
                return {keys.title_span_key(position, answer)}
            return {keys.term_key(position, slug[holders.pop()], answer)}
        if q.kind == "start_year":
            return {keys.start_key(position, slug[about["person"]], about["office"])}
        if q.kind == "died_in_office":
            return {keys.died_key(position, slug[answer])}
        if q.kind == "longest_tenure":
            return {keys.tenure_key(position, about.get("office"))}
        if q.kind == "title_of_person":
            return {keys.term_key(position, slug[about["person"]], self.full_answer(q))}
        if q.kind == "first_holder":
            title = about["office"] if about["variant"] == "title" else None
            return {keys.first_key(position, title)}
        if q.kind == "acting":
            return {keys.acting_key(position, slug[answer])}
        if q.kind == "which_first":
            first = self.terms_of(answer)[0]
            return {keys.start_key(position, slug[answer], first.title.name)}
        if q.kind == "tenure_band":
            return {keys.length_key(position, slug[about["person"]])}
        raise AssertionError(f"No fact key known for kind {q.kind!r}")

    def check_wording(self, question: Question) -> None:
        """Plain, readable text: one full mention per person, no guessed pronouns."""
        text = question.explanation
        for name in self.people:
            assert len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text)) <= 1, (question, name)
        # The data does not say who is "he" or "she" (the source names Elena Stasova).
        words = set(re.findall(r"[a-z]+", text.lower()))
        assert not words & {"he", "she", "his", "her", "him", "hers"}, question
        assert "until death" not in text and ") (" not in text and "  " not in text, question
        prompt = (
            question.prompt.removesuffix(TYPED_SUFFIX) if question.is_typed else question.prompt
        )
        assert prompt[0].isupper() and prompt.endswith("?"), question
        assert "  " not in question.prompt, question

    def check_typed(self, q: Question) -> None:
        """A typed question: the successor's rules, and the names it accepts are theirs only."""
        assert q.kind == "typed_successor" and q.choices == () and q.accepted, q
        assert_json_plain(q.about)
        assert q.prompt.endswith(f"?{TYPED_SUFFIX}"), q
        as_choice = dataclasses.replace(
            q, prompt=q.prompt.removesuffix(TYPED_SUFFIX), choices=(q.answer,)
        )
        right, _ = self.successor(as_choice)
        assert right == {q.answer}, q
        # Nobody held it de facto in between, and the answer held it in their own right or
        # nobody came after: no other name could be argued for.
        left = dt.date.fromisoformat(q.about["left_office"])
        took = dt.date.fromisoformat(q.about["took_office"])
        assert not self.de_facto_between(left, took), q
        person = self.terms_of(q.answer)[0].person
        others = {t.person for t in self.terms} | {a.person for a in self.facts.associations}
        others = {p for p in others if p.slug != person.slug}
        assert matches(q.answer, q.accepted), q
        # The surname alone is enough unless someone else tied to the office shares it.
        shared = any(matches(p.short_name, (fold(person.short_name),)) for p in others)
        assert matches(person.short_name, q.accepted) != shared, q
        assert not any(matches(p.full_name, q.accepted) for p in others), q
        assert not any(matches(p.short_name, q.accepted) for p in others), q
        assert q.about["fact_key"] == keys.succession_key(
            self.facts.slug, self.terms_of(q.about["person"])[0].person.slug, person.slug
        ), q
        assert q.explanation.endswith("."), q
        self.check_wording(q)

    def full_answer(self, question: Question) -> str:
        """The answer, a title in full where the choice gives its short name."""
        (full,) = self.titles_read_as(question.answer, question)
        return full

    def titles_read_as(self, choice: str, question: Question) -> set[str]:
        """What a choice stands for: itself, or for a title question every title it names."""
        if question.kind not in ("title_in_year", "title_of_person"):
            return {choice}
        return {t for t in self.titles if choice in (t, self.short[t])}

    def people_question(self, question: Question) -> None:
        assert set(question.choices) <= self.people, question

    def title_question(self, question: Question) -> None:
        """Title choices: a short name only where no other title goes by it; hard ones in full."""
        for choice in question.choices:
            assert len(self.titles_read_as(choice, question)) == 1, question
            if question.about.get("difficulty") == "hard":
                assert choice in self.titles, question

    def names_title_in_force(self, named: str, terms) -> bool:
        """Whether a prompt's name for the post covers every one of the terms."""
        return named == self.role or all(self.short[t.title.name] == named for t in terms)

    # -- kinds --

    def successor(self, q: Question):
        self.people_question(q)
        subject, left = q.about["person"], dt.date.fromisoformat(q.about["left_office"])
        named = re.match(rf"Who succeeded {re.escape(subject)} as (.+?)( when .*)?\?$", q.prompt)
        assert named, q
        assert any(t.end == left for t in self.terms_of(subject))
        later = [t for t in self.terms if t.start >= left and t.person.full_name != subject]
        start = min(t.start for t in later)
        following = [t for t in later if t.start == start]
        assert len({t.person.full_name for t in following}) == 1
        # The subject must really have left: no term of theirs resumes before the successor's.
        assert not [t for t in self.terms_of(subject) if left <= t.start <= start and t.end != left]
        successor = following[0]
        leaving = [t for t in self.terms_of(subject) if t.end == left]
        assert self.names_title_in_force(named.group(1), [*leaving, *following]), q
        never = {subject} | self.de_facto_between(left, start)
        answer = successor.person.full_name
        if all(t.acting for t in self.terms_of(answer)):
            # Read as "the next holder in their own right": everyone up to that one.
            later = [t for t in self.terms if t.start >= start and t.person.full_name != answer]
            own = [t.start for t in later if not t.acting]
            never |= {t.person.full_name for t in later if not own or t.start <= min(own)}
        return {answer}, never - {answer}

    def predecessor(self, q: Question):
        self.people_question(q)
        subject, took = q.about["person"], dt.date.fromisoformat(q.about["took_office"])
        named = re.match(rf"Who preceded {re.escape(subject)} as (.+?)( before .*)?\?$", q.prompt)
        assert named, q
        assert any(t.start == took for t in self.terms_of(subject))
        earlier = [
            t for t in self.terms if t.end and t.end <= took and t.person.full_name != subject
        ]
        end = max(t.end for t in earlier)
        before = [t for t in earlier if t.end == end]
        assert len({t.person.full_name for t in before}) == 1
        assert not [t for t in self.terms_of(subject) if end <= t.start < took]
        predecessor = before[0]
        arriving = [t for t in self.terms_of(subject) if t.start == took]
        assert self.names_title_in_force(named.group(1), [*arriving, *before]), q
        never = {subject} | self.de_facto_between(end, took)
        answer = predecessor.person.full_name
        if all(t.acting for t in self.terms_of(answer)):
            earlier = [
                t for t in self.terms if t.end and t.end <= end and t.person.full_name != answer
            ]
            own = [t.end for t in earlier if not t.acting]
            never |= {t.person.full_name for t in earlier if not own or t.end >= max(own)}
        return {answer}, never - {answer}

    def in_force(self, q: Question) -> list:
        """The terms the question's date or year asks about, checking the date or year is fair."""
        about = q.about
        if "date" in about:
            day = dt.date.fromisoformat(about["date"])
            assert q.prompt.endswith(f" on {format_date(day)}?"), q
            covering = [t for t in self.terms if t.start <= day <= self.term_end(t)]
            assert len(covering) == 1, (q, covering)
            assert all(day not in (t.start, t.end) for t in self.terms), q
            assert all(day not in (a.start, a.end) for a in self.de_facto), q
            assert not [(lo, hi) for lo, hi in self.disputed if lo <= day <= hi], q
            others = self.de_facto_between(day, day) - {covering[0].person.full_name}
            assert not others, q
            return covering
        year = about["year"]
        assert q.prompt.endswith(f" in {year}?"), q
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        terms = [t for t in self.terms if t.start <= last and self.term_end(t) >= first]
        assert terms, q
        assert not self.de_facto_between(first, last) - {t.person.full_name for t in terms}, q
        # A term starting in another year by the other reading may or may not touch this one.
        assert not [(lo, hi) for lo, hi in self.disputed if lo.year <= year < hi.year], q
        return terms

    def holder_in_year(self, q: Question):
        self.people_question(q)
        terms = self.in_force(q)
        holders = {t.person.full_name for t in terms}
        if len(holders) > 1:
            named = re.match(
                r"Which of these people was (.+?)(, under any title,)? in ",
                q.prompt,
            )
            assert named and bool(named.group(2)) == (named.group(1) == self.role), q
        else:
            named = re.match(r"Who was (.+) (in|on) ", q.prompt)
            assert named, q
        # The name the prompt gives the post covers every term it asks about (not "General
        # Secretary" for 1922, when Molotov was Responsible Secretary).
        assert self.names_title_in_force(named.group(1), terms), q
        # Someone about to hold it de facto (within three years) may already have been in charge
        # in practice: Malenkov supervised the Secretariat in Stalin's last years.
        if "date" in q.about:
            first = last = dt.date.fromisoformat(q.about["date"])
        else:
            first, last = dt.date(q.about["year"], 1, 1), dt.date(q.about["year"], 12, 31)
        soon = set()
        for association in self.de_facto:
            start = self.de_facto_span(association)[0]
            try:
                lead = start.replace(year=start.year - 3)
            except ValueError:  # 29 February
                lead = start.replace(year=start.year - 3, day=28)
            if lead <= last and start >= first:
                soon.add(association.person.full_name)
        return holders, soon - holders

    def title_in_year(self, q: Question):
        self.title_question(q)
        titles = {t.title.name for t in self.in_force(q)}
        if len(titles) > 1:
            assert q.prompt.startswith(f"Which of these titles did {self.role} bear in "), q
        else:
            assert q.prompt.startswith(f"Which title did {self.role} bear "), q
        return titles, set()

    def start_year(self, q: Question):
        assert all(choice.isdigit() for choice in q.choices)
        assert list(q.choices) == sorted(q.choices, key=int)
        # A year outside the position's lifetime gives itself away as wrong.
        first = self.terms[0].start.year
        last = max((t.end or t.start).year for t in self.terms)
        assert all(first <= int(choice) <= last for choice in q.choices), q
        person = q.about["person"]
        terms = self.terms_of(person)
        title = q.about["office"]
        named = re.match(
            rf"In which year did {re.escape(person)} (first )?become (.+)\?$", q.prompt
        )
        assert named, q
        # By the title's short name, unless another title of theirs shares it.
        shared = [t for t in {t.title.name for t in terms} if self.short[t] == self.short[title]]
        assert named.group(2) == (self.short[title] if len(shared) == 1 else title), q
        terms = [t for t in terms if t.title.name == title]
        right = {str(terms[0].start.year)}
        disputed = terms[0].disputed_start
        assert disputed is None or disputed.year == terms[0].start.year, q
        others = {str(t.start.year) for t in self.terms_of(person)}
        others |= {str(t.disputed_start.year) for t in self.terms_of(person) if t.disputed_start}
        others |= {
            str(a.start.year) for a in self.de_facto if a.person.full_name == person and a.start
        }
        return right, others - right

    def died_in_office(self, q: Question):
        self.people_question(q)
        assert set(q.choices) <= self.holders
        arguable = {a.person.full_name for a in self.facts.associations if a.ended_by_death}
        if "year" in q.about:
            year = q.about["year"]
            assert q.prompt == f"Which of these people died in office as {self.role} in {year}?"
            died = {
                t.person.full_name for t in self.terms if t.died_in_office and t.end.year == year
            }
        else:
            assert q.prompt == f"Which of these people died in office as {self.role}?"
            died = {t.person.full_name for t in self.terms if t.died_in_office}
        return died, arguable

    def longest_tenure(self, q: Question):
        self.people_question(q)
        title = q.about.get("office")

        def days(name: str, only_title: str | None, reading: str) -> int:
            """Days held; a disputed start read as the table has it, or earliest, or latest."""
            total = 0
            for t in self.terms_of(name):
                if only_title is None or t.title.name == only_title:
                    starts = [t.start, t.disputed_start or t.start]
                    start = {"table": t.start, "early": min(starts), "late": max(starts)}[reading]
                    total += (t.end - start).days
            return total

        for choice in q.choices:
            assert all(t.end is not None for t in self.terms_of(choice)), q
        readings = ("table", "early", "late")
        formal = {(c, r): days(c, None, r) for c in q.choices for r in readings}
        scoped = {(c, r): days(c, title, r) for c in q.choices for r in readings}
        generous = {
            (c, r): formal[c, r]
            + sum(
                (self.de_facto_span(a)[1] - self.de_facto_span(a)[0]).days
                for a in self.de_facto
                if a.person.full_name == c
            )
            for c in q.choices
            for r in readings
        }
        if title is not None:
            assert q.prompt == (
                f"Which of these people served as {self.label[title]} for the longest time in total?"
            )
        else:
            assert q.prompt == (
                f"Which of these people was {self.role} longest in total, under any title?"
            )
        # Right: longer than every other choice by every measure, however each start is read.
        right = {
            c
            for c in q.choices
            if all(
                measure[c, mine] > measure[o, theirs]
                for o in q.choices
                if o != c
                for measure in ((scoped,) if title is not None else (formal, generous))
                for mine in readings
                for theirs in readings
            )
        }
        # And clearly: by a year and a quarter against the most any other choice can be read to
        # have held it (de facto spans and the earlier start counted for them, not for it).
        measures = (scoped,) if title is not None else (formal, generous)
        widest = {c: max(m[c, r] for m in measures for r in readings) for c in q.choices}
        for answer in right:
            least = min(
                m[answer, r]
                for m in ((scoped,) if title is not None else (formal,))
                for r in readings
            )
            for other in q.choices:
                if other != answer:
                    assert least - widest[other] >= 365, (q, other)
                    assert least >= 1.25 * widest[other], (q, other)
        return right, set()

    def title_of_person(self, q: Question):
        self.title_question(q)
        person = q.about["person"]
        held = {t.title.name for t in self.terms_of(person)}
        if len(held) > 1:
            assert q.prompt == f"Which of these titles did {person} bear as {self.role}?"
        else:
            assert q.prompt == f"Which title did {person} bear as {self.role}?"
        return held, set()

    def first_holders(self) -> dict[str, set[str]]:
        """Per title, everyone who started a term under it on the first day it was used."""
        firsts = {}
        for title in self.titles:
            terms = [t for t in self.terms if t.title.name == title]
            if terms:
                firsts[title] = {t.person.full_name for t in terms if t.start == terms[0].start}
        return firsts

    def first_holder(self, q: Question):
        self.people_question(q)
        short = {t.name: t.short_name for t in self.facts.titles}
        short |= {t.title.name: t.title.short_name for t in self.terms}
        firsts = self.first_holders()
        office_firsts = {t.person.full_name for t in self.terms if t.start == self.terms[0].start}
        if q.about["variant"] == "office":
            assert q.prompt == (f"Who was the first of {self.role_plural}, under any title?")
            right = office_firsts
            never = {
                name
                for title, names in firsts.items()
                if short[title] == self.facts.short_name or title == self.facts.name
                for name in names
            }
        else:
            title = q.about["office"]
            assert q.prompt == f"Who was the first to bear the title “{self.label[title]}”?"
            right = firsts[title]
            never = {
                name
                for other, names in firsts.items()
                if other != title and short[other] == short[title]
                for name in names
            }
            if short[title] == self.facts.short_name:
                never |= office_firsts
            # whoever led the office de facto in the three years before the title began
            opened = min(t.start for t in self.terms if t.title.name == title)
            never |= self.de_facto_between(opened - dt.timedelta(days=3 * 366), opened)
        assert len(right) == 1, q
        return right, never - right

    def began(self, name: str) -> tuple[dt.date, dt.date]:
        """The earliest and latest readings of when a person's tie to the office began."""
        first = self.terms_of(name)[0]
        readings = [first.start, first.disputed_start or first.start]
        readings += [self.de_facto_span(a)[0] for a in self.de_facto if a.person.full_name == name]
        return min(readings), max(readings)

    def which_first(self, q: Question):
        self.people_question(q)
        # Acting holders are left out: Ivashko is no fair answer to "who became it last?".
        in_own_right = {t.person.full_name for t in self.terms if not t.acting}
        assert set(q.choices) <= in_own_right, q
        word = q.about["variant"]
        assert q.prompt == f"Which of these people became {self.role} {word}?", q
        spans = {c: self.began(c) for c in q.choices}
        year = dt.timedelta(days=365)

        def clearly_before(a: str, b: str) -> bool:
            return spans[a][1] + year <= spans[b][0]

        others = lambda c: [o for o in q.choices if o != c]  # noqa: E731
        if word == "first":
            right = {c for c in q.choices if all(clearly_before(c, o) for o in others(c))}
        else:
            right = {c for c in q.choices if all(clearly_before(o, c) for o in others(c))}
        return right, set()

    BANDS = ((0, 1), (1, 5), (5, 10), (10, 20), (20, 10**6))
    BAND_TEXT = (
        "Less than a year",
        "Between one and five years",
        "Between five and ten years",
        "Between ten and twenty years",
        "More than twenty years",
    )

    def tenure_band(self, q: Question):
        person = q.about["person"]
        assert q.prompt == f"For how long in total was {person} {self.role}?", q
        assert set(q.choices) <= set(self.BAND_TEXT), q
        terms = self.terms_of(person)
        assert all(t.end is not None for t in terms), q
        fewest = sum((t.end - max(t.start, t.disputed_start or t.start)).days for t in terms)
        most = sum((t.end - min(t.start, t.disputed_start or t.start)).days for t in terms)
        most += sum(
            (self.de_facto_span(a)[1] - self.de_facto_span(a)[0]).days
            for a in self.de_facto
            if a.person.full_name == person
        )
        year = 365.2425
        # Every reading lands in the same band, two months or more inside its edges.
        bands = [
            i
            for i, (low, high) in enumerate(self.BANDS)
            if (low * year + 61 <= fewest or low == 0) and most <= high * year - 61
        ]
        assert len(bands) == 1, (q, fewest, most)
        # Bands read in order, shortest first.
        assert list(q.choices) == sorted(q.choices, key=self.BAND_TEXT.index), q
        return {self.BAND_TEXT[bands[0]]}, set()

    def acting(self, q: Question):
        self.people_question(q)
        right = {p for p in self.holders if all(t.acting for t in self.terms_of(p))}
        de_facto = {a.person.full_name for a in self.de_facto}
        mixed = {p for p in self.holders if any(t.acting for t in self.terms_of(p))} - right
        return right - de_facto, de_facto | mixed


def office_of(facts: PositionFacts) -> str:
    return f"office of {facts.short_name or facts.name}"


def assert_json_plain(value) -> None:
    """Only strings, ints and lists (and the dicts holding them)."""
    if isinstance(value, dict):
        assert all(isinstance(key, str) for key in value)
        for item in value.values():
            assert_json_plain(item)
    elif isinstance(value, list):
        for item in value:
            assert_json_plain(item)
    else:
        assert isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def quiz(seed: int, count: int, **options) -> list[Question]:
    """A list of questions with different prompts (facts may come back in other forms)."""
    options.setdefault("repeat_facts", True)
    return generate_questions(seed_facts(), rng=random.Random(seed), count=count, **options)


def quick(seed: int, count: int, **options) -> list[Question]:
    """A quiz: each question about a different fact."""
    return generate_questions(seed_facts(), rng=random.Random(seed), count=count, **options)


def every_question(kind: str, seed: int = 0, **options) -> list[Question]:
    facts = seed_facts()
    count = distinct_question_count(facts, [kind], repeat_facts=True)
    return generate_questions(
        facts, rng=random.Random(seed), count=count, kinds=[kind], repeat_facts=True, **options
    )


def by_prompt(questions: list[Question], prompt: str) -> Question:
    matches = [q for q in questions if q.prompt == prompt]
    assert len(matches) == 1, prompt
    return matches[0]


# ----------------------------------------------------------------------------------------------
# Properties over many seeds

seeds = st.integers(min_value=0, max_value=2**63)
difficulties = st.sampled_from(list(Difficulty))
kind_lists = st.lists(st.sampled_from(KINDS), min_size=1, max_size=4, unique=True)


@settings(max_examples=150, deadline=None)
@given(seed=seeds, count=st.integers(1, 60), difficulty=difficulties)
def test_every_question_has_exactly_one_right_choice(seed, count, difficulty):
    oracle = Oracle(seed_facts())
    questions = quiz(seed, count, difficulty=difficulty)
    assert len(questions) == count
    assert len({q.prompt for q in questions}) == count
    for question in questions:
        oracle.check(question)


@settings(max_examples=100, deadline=None)
@given(seed=seeds, kinds=kind_lists, difficulty=difficulties, data=st.data())
def test_chosen_kinds_only(seed, kinds, difficulty, data):
    facts = seed_facts()
    count = data.draw(
        st.integers(1, min(40, distinct_question_count(facts, kinds, repeat_facts=True)))
    )
    questions = quiz(seed, count, kinds=kinds, difficulty=difficulty)
    oracle = Oracle(facts)
    assert {q.kind for q in questions} <= set(kinds)
    for question in questions:
        oracle.check(question)


@settings(max_examples=50, deadline=None)
@given(seed=seeds, count=st.integers(1, 40), difficulty=difficulties)
def test_same_seed_same_questions_byte_for_byte(seed, count, difficulty):
    first = quiz(seed, count, difficulty=difficulty)
    again = generate_questions(
        # A fresh, equal facts object: the output must not depend on object identity either.
        PositionFacts(**vars(seed_facts())),
        rng=random.Random(seed),
        count=count,
        difficulty=difficulty,
        repeat_facts=True,
    )
    assert first == again
    assert json.dumps([vars(q) for q in first]) == json.dumps([vars(q) for q in again])


@settings(max_examples=50, deadline=None)
@given(seed=seeds, other=seeds)
def test_different_seeds_give_different_quizzes(seed, other):
    if seed != other:
        assert quiz(seed, 10) != quiz(other, 10)


def test_every_kind_is_askable_about_the_seed():
    assert available_kinds(seed_facts()) == dict.fromkeys(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_question_of_each_kind_is_right(kind):
    oracle = Oracle(seed_facts())
    for difficulty in Difficulty:
        for seed in range(3):
            questions = (
                every_question(kind, seed, difficulty=difficulty)
                if kind not in ("holder_in_year", "title_in_year")
                else quiz(seed, 1500, kinds=[kind], difficulty=difficulty)
            )
            for question in questions:
                oracle.check(question)


def test_two_thousand_questions_cover_every_kind_without_repeats():
    questions = quiz(1, 2000)
    assert {q.kind for q in questions} == set(KINDS)
    assert len({q.prompt for q in questions}) == 2000
    oracle = Oracle(seed_facts())
    for question in questions:
        oracle.check(question)


def test_quick_quizzes_mix_kinds_without_always_asking_the_small_ones():
    quizzes = [{q.kind for q in quiz(seed, 10)} for seed in range(200)]
    appearances = Counter(kind for kinds in quizzes for kind in kinds)
    assert set(appearances) == set(KINDS)
    # The one acting question (always Ivashko) and the few first_holder ones are not in every
    # quiz; kinds with more distinct questions come up more often.
    assert appearances["acting"] < 100
    assert appearances["first_holder"] < 150
    assert appearances["acting"] < appearances["longest_tenure"] < appearances["holder_in_year"]
    assert all(len(kinds) >= 3 for kinds in quizzes)


# ----------------------------------------------------------------------------------------------
# Errors


def test_unknown_kind_is_an_engine_error():
    with pytest.raises(EngineError, match="Unknown question kind 'winner'"):
        quiz(1, 3, kinds=["winner"])


def test_count_larger_than_the_distinct_questions_is_an_engine_error():
    with pytest.raises(EngineError, match="Only 10 distinct questions"):
        quiz(1, 11, kinds=["successor"])
    assert len(quiz(1, 10, kinds=["successor"])) == 10


@pytest.mark.parametrize("count", [-1, 1.5, "3", True])
def test_bad_counts_are_engine_errors(count):
    with pytest.raises(EngineError):
        quiz(1, count)


def test_unknown_difficulty_is_an_engine_error():
    with pytest.raises(EngineError, match="Unknown difficulty 'brutal'"):
        quiz(1, 3, difficulty="brutal")


def test_zero_questions():
    assert quiz(1, 0) == []


def test_engine_error_is_a_value_error():
    assert issubclass(EngineError, ValueError)


# ----------------------------------------------------------------------------------------------
# Golden cases: the seed's tricky facts


def test_successor_skips_the_de_facto_holders_of_1953():
    prompt = f"Who succeeded Joseph Stalin as {ROLE}?"
    for difficulty in Difficulty:
        for seed in range(40):
            question = by_prompt(every_question("successor", seed, difficulty=difficulty), prompt)
            assert question.answer == "Nikita Khrushchev"
            assert "Georgy Malenkov" not in question.choices
            assert "Joseph Stalin" not in question.choices
    # The 1952 abolition, Khrushchev's two dates and the de facto leaders of the gap.
    assert question.explanation == (
        "Joseph Stalin's office of General Secretary was abolished on 16 October 1952; the next "
        f"formal holder, Nikita Khrushchev, took office as {FIRST_CPSU} on 7 September 1953 "
        "(the article's text says 14 September). In between, Stalin (from 16 October 1952 until "
        "Stalin's death on 5 March 1953), Georgy Malenkov (from 5 to 14 March 1953) and "
        "Khrushchev (from 14 March to 7 September 1953) held the office de facto."
    )


def test_predecessor_of_khrushchev_is_stalin_without_malenkov():
    prompt = f"Who preceded Nikita Khrushchev as {ROLE}?"
    for difficulty in Difficulty:
        for seed in range(40):
            question = by_prompt(every_question("predecessor", seed, difficulty=difficulty), prompt)
            assert question.answer == "Joseph Stalin"
            assert "Georgy Malenkov" not in question.choices


def test_a_change_of_title_is_not_a_succession():
    successors = {q.about["person"]: q.answer for q in every_question("successor")}
    assert successors == {
        "Yakov Sverdlov": "Elena Stasova",
        "Elena Stasova": "Nikolay Krestinsky",
        "Nikolay Krestinsky": "Vyacheslav Molotov",
        "Vyacheslav Molotov": "Joseph Stalin",
        "Joseph Stalin": "Nikita Khrushchev",
        "Nikita Khrushchev": "Leonid Brezhnev",
        "Leonid Brezhnev": "Yuri Andropov",
        "Yuri Andropov": "Konstantin Chernenko",
        "Konstantin Chernenko": "Mikhail Gorbachev",
        "Mikhail Gorbachev": "Vladimir Ivashko",
    }
    predecessors = {q.about["person"]: q.answer for q in every_question("predecessor")}
    assert predecessors == {after: before for before, after in successors.items()}


def test_successor_explanation_counts_the_days():
    question = by_prompt(
        every_question("successor"), "Who succeeded Yuri Andropov as General Secretary?"
    )
    assert question.answer == "Konstantin Chernenko"
    assert question.explanation == (
        "Konstantin Chernenko took office on 13 February 1984, four days after Yuri Andropov "
        "died in office."
    )
    question = by_prompt(
        every_question("predecessor"), "Who preceded Leonid Brezhnev as First Secretary?"
    )
    assert question.explanation == (
        "Nikita Khrushchev left office on 14 October 1964, the day Leonid Brezhnev took office."
    )


HANDOVERS = {
    dt.date(1919, 11, 29),
    dt.date(1921, 3, 16),
    dt.date(1922, 4, 3),
    dt.date(1964, 10, 14),
    dt.date(1966, 4, 8),
    dt.date(1991, 8, 24),
}


@pytest.mark.parametrize("kind", ["holder_in_year", "title_in_year"])
def test_no_question_on_a_handover_day_or_in_the_1952_1953_gap(kind):
    questions = quiz(7, 5000, kinds=[kind])
    days = [dt.date.fromisoformat(q.about["date"]) for q in questions if "date" in q.about]
    years = {q.about["year"] for q in questions if "year" in q.about}
    assert len(days) > 4000
    assert not set(days) & HANDOVERS
    assert not [d for d in days if dt.date(1952, 10, 16) <= d <= dt.date(1953, 9, 7)]
    # 1952 is asked: Stalin alone led the office that year, formally and then de facto.
    assert years == set(range(1918, 1992)) - {1953}


@pytest.mark.parametrize("kind", ["holder_in_year", "title_in_year"])
def test_no_date_question_between_the_two_readings_of_khrushchevs_start(kind):
    # The table has 7 September 1953, the article's text 14 September 1953.
    questions = every_question(kind)
    days = {dt.date.fromisoformat(q.about["date"]) for q in questions if "date" in q.about}
    assert not [d for d in days if dt.date(1953, 9, 7) <= d <= dt.date(1953, 9, 14)]
    assert dt.date(1953, 9, 15) in days
    assert not [q for q in questions if q.prompt.endswith(" on 13 September 1953?")]


def test_khrushchevs_start_year_is_asked_as_both_readings_fall_in_1953():
    question = by_prompt(
        every_question("start_year"), "In which year did Nikita Khrushchev become First Secretary?"
    )
    assert question.answer == "1953"
    assert question.explanation == (
        f"Nikita Khrushchev took office as {FIRST_CPSU} on 7 September 1953 (the article's text "
        "says 14 September)."
    )


def test_years_with_two_holders_leave_the_other_one_out():
    pairs = {
        1982: {"Leonid Brezhnev", "Yuri Andropov"},
        1984: {"Yuri Andropov", "Konstantin Chernenko"},
        1985: {"Konstantin Chernenko", "Mikhail Gorbachev"},
        1991: {"Mikhail Gorbachev", "Vladimir Ivashko"},
        1964: {"Nikita Khrushchev", "Leonid Brezhnev"},
        1919: {"Yakov Sverdlov", "Elena Stasova", "Nikolay Krestinsky"},
        1922: {"Vyacheslav Molotov", "Joseph Stalin"},
    }
    # The post as it was called that year; by its role where the year spans titles.
    named = {1982: "General Secretary", 1984: "General Secretary", 1985: "General Secretary"}
    named |= {1991: "General Secretary", 1964: "First Secretary"}
    named |= {1919: f"{ROLE}, under any title,", 1922: f"{ROLE}, under any title,"}
    seen = {year: set() for year in pairs}
    for seed in range(30):
        for question in quiz(seed, 200, kinds=["holder_in_year"]):
            year = question.about.get("year")
            if year in pairs:
                prompt = f"Which of these people was {named[year]} in {year}?"
                assert question.prompt == prompt
                assert len(set(question.choices) & pairs[year]) == 1
                seen[year].add(question.answer)
    assert seen[1982] == pairs[1982]
    assert seen[1922] == pairs[1922]  # Molotov too: the prompt no longer says General Secretary
    # Brezhnev alone, under two titles: the post by its role.
    single = by_prompt(every_question("holder_in_year"), f"Who was {ROLE} in 1966?")
    assert single.answer == "Leonid Brezhnev"
    responsible = by_prompt(
        every_question("holder_in_year"), "Who was Responsible Secretary in 1920?"
    )
    assert responsible.answer == "Nikolay Krestinsky"


def test_no_future_de_facto_holder_as_a_wrong_choice_in_stalins_last_years():
    # Malenkov supervised the Secretariat in the 1950s and led it de facto from 5 March 1953;
    # Khrushchev from 14 March 1953. Three years before, neither is a fair wrong choice.
    leads = {"Georgy Malenkov": dt.date(1950, 3, 5), "Nikita Khrushchev": dt.date(1950, 3, 14)}
    seen_before = set()
    for difficulty in Difficulty:
        for seed in range(10):
            for question in quiz(seed, 3000, kinds=["holder_in_year"], difficulty=difficulty):
                if "year" in question.about:
                    year = question.about["year"]
                    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
                else:
                    first = last = dt.date.fromisoformat(question.about["date"])
                if first >= dt.date(1953, 1, 1):
                    continue
                for name, lead in leads.items():
                    if lead <= last:
                        assert name not in question.choices, question
                    elif question.about.get("year") == 1949 and name in question.choices:
                        seen_before.add(name)
    for year in (1950, 1951):
        question = by_prompt(
            every_question("holder_in_year"), f"Who was General Secretary in {year}?"
        )
        assert not set(leads) & set(question.choices)
    assert seen_before == set(leads)  # in 1949 they are still fair, near-in-time wrong choices


def test_title_in_1966_is_asked_as_which_of_these():
    answers = set()
    for seed in range(40):
        for question in quiz(seed, 150, kinds=["title_in_year"]):
            if question.about.get("year") == 1966:
                assert question.prompt == f"Which of these titles did {ROLE} bear in 1966?"
                assert len({"First Secretary", GENSEC_CPSU} & set(question.choices)) == 1
                answers.add(question.answer)
                if question.answer == "First Secretary":
                    assert question.explanation == (
                        f"In 1966 the office was held by Leonid Brezhnev as {FIRST_CPSU}; it was "
                        f"also held as {GENSEC_CPSU} that year, a title not among the choices."
                    )
    assert answers == {"First Secretary", GENSEC_CPSU}


def test_holder_on_a_date_names_the_term():
    questions = every_question("holder_in_year")
    question = by_prompt(questions, "Who was First Secretary on 5 May 1960?")
    assert question.answer == "Nikita Khrushchev"
    assert question.explanation == (
        f"Nikita Khrushchev held the office as {FIRST_CPSU} from 7 September 1953 (the article's "
        "text says 14 September) to 14 October 1964."
    )
    acting = by_prompt(questions, "Who was General Secretary on 26 August 1991?")
    assert acting.answer == "Vladimir Ivashko"
    assert f"as acting {GENSEC_CPSU}" in acting.explanation
    title = by_prompt(
        every_question("title_in_year"), f"Which title did {ROLE} bear on 5 May 1960?"
    )
    assert title.answer == "First Secretary"  # its short name: no other title goes by it
    hard = by_prompt(
        every_question("title_in_year", difficulty=Difficulty.HARD),
        f"Which title did {ROLE} bear on 5 May 1960?",
    )
    assert hard.answer == FIRST_CPSU and set(hard.choices) <= set(ALL_TITLES)
    assert title.explanation == (
        f"On 5 May 1960 the office was held by Nikita Khrushchev as {FIRST_CPSU}, in a term "
        "from 7 September 1953 (the article's text says 14 September) to 14 October 1964."
    )
    stalin = by_prompt(
        every_question("title_in_year"), f"Which title did {ROLE} bear on 26 May 1949?"
    )
    assert stalin.explanation == (
        f"On 26 May 1949 the office was held by Joseph Stalin as {GENSEC_VKPB}, in a term from "
        "3 April 1922 until the office was abolished on 16 October 1952. Stalin led it de facto "
        "from then until dying on 5 March 1953."
    )
    assert acting.explanation == (
        f"Vladimir Ivashko held the office as acting {GENSEC_CPSU} from 24 to 29 August 1991."
    )


def test_start_year_names_the_title_for_brezhnev():
    questions = every_question("start_year")
    general = by_prompt(questions, "In which year did Leonid Brezhnev become General Secretary?")
    first = by_prompt(questions, "In which year did Leonid Brezhnev become First Secretary?")
    assert (general.answer, first.answer) == ("1966", "1964")
    stalin = by_prompt(questions, "In which year did Joseph Stalin become General Secretary?")
    assert stalin.answer == "1922"
    assert stalin.explanation == f"Joseph Stalin took office as {GENSEC_VKPB} on 3 April 1922."
    # The 1966 rename: Brezhnev became General Secretary; he did not "take office" again.
    assert general.explanation == (
        f"Leonid Brezhnev became {GENSEC_CPSU} on 8 April 1966, when the office of First "
        "Secretary was renamed. Brezhnev had been First Secretary since 14 October 1964."
    )
    assert first.explanation == (
        f"Leonid Brezhnev took office as {FIRST_CPSU} on 14 October 1964. Brezhnev became "
        f"{GENSEC_CPSU} on 8 April 1966, when the office was renamed."
    )
    for difficulty in Difficulty:
        for seed in range(30):
            questions = every_question("start_year", seed, difficulty=difficulty)
            general = by_prompt(
                questions, "In which year did Leonid Brezhnev become General Secretary?"
            )
            first = by_prompt(
                questions, "In which year did Leonid Brezhnev become First Secretary?"
            )
            assert "1964" not in general.choices and "1966" not in first.choices


def test_start_year_distractors_lie_within_the_offices_lifetime():
    sverdlov = "In which year did Yakov Sverdlov become Chairman of the Secretariat?"
    ivashko = "In which year did Vladimir Ivashko become General Secretary?"
    for difficulty in Difficulty:
        for seed in range(30):
            questions = every_question("start_year", seed, difficulty=difficulty)
            for question in questions:
                assert all(1918 <= int(choice) <= 1991 for choice in question.choices), question
                assert len(question.choices) == 4
            assert by_prompt(questions, ivashko).answer == "1991"
            assert by_prompt(questions, sverdlov).answer == "1918"


def test_died_in_office_never_offers_stalin():
    answers = set()
    for difficulty in Difficulty:
        for seed in range(60):
            for question in every_question("died_in_office", seed, difficulty=difficulty):
                assert "Joseph Stalin" not in question.choices
                answers.add(question.answer)
    assert answers == {"Yakov Sverdlov", "Leonid Brezhnev", "Yuri Andropov", "Konstantin Chernenko"}
    in_1984 = by_prompt(
        every_question("died_in_office"),
        f"Which of these people died in office as {ROLE} in 1984?",
    )
    assert in_1984.answer == "Yuri Andropov"


def test_longest_tenure_adds_up_brezhnevs_terms():
    answers = set()
    prompt = f"Which of these people was {ROLE} longest in total, under any title?"
    for seed in range(80):
        question = by_prompt(every_question("longest_tenure", seed), prompt)
        answers.add(question.answer)
        if "Joseph Stalin" in question.choices:
            assert question.answer == "Joseph Stalin"
        if question.answer == "Leonid Brezhnev":
            assert question.about["days"] == (dt.date(1982, 11, 10) - dt.date(1964, 10, 14)).days
            # The 1966 rename is no new tenure: one spell, not "two terms".
            assert "held the office for 18 years, 27 days in total;" in question.explanation
            assert "Joseph Stalin" not in question.choices
    assert {"Joseph Stalin", "Leonid Brezhnev"} <= answers


def test_title_of_person_uses_full_titles():
    questions = every_question("title_of_person")
    stalin = by_prompt(questions, f"Which title did Joseph Stalin bear as {ROLE}?")
    assert stalin.answer == GENSEC_VKPB  # in full: the later title shares its short name
    explanations = set()
    for seed in range(20):
        brezhnev = by_prompt(
            every_question("title_of_person", seed),
            f"Which of these titles did Leonid Brezhnev bear as {ROLE}?",
        )
        explanations.add(brezhnev.explanation)
    assert explanations == {
        f"Leonid Brezhnev held the office as {FIRST_CPSU} from 14 October 1964 to 8 April 1966. "
        f"Brezhnev also held it as {GENSEC_CPSU}, a title not among the choices.",
        f"Leonid Brezhnev held the office as {GENSEC_CPSU} from 8 April 1966 to "
        f"10 November 1982. Brezhnev also held it as {FIRST_CPSU}, a title not among the choices.",
    }
    for seed in range(30):
        brezhnev = by_prompt(
            every_question("title_of_person", seed),
            f"Which of these titles did Leonid Brezhnev bear as {ROLE}?",
        )
        assert len({"First Secretary", GENSEC_CPSU} & set(brezhnev.choices)) == 1
        # "General Secretary" alone could be the left-out right answer: never shortened.
        assert "General Secretary" not in brezhnev.choices


def test_first_holder_of_the_office_and_of_a_title():
    for seed in range(30):
        questions = every_question("first_holder", seed)
        office = by_prompt(questions, f"Who was the first of {ROLES}, under any title?")
        assert office.answer == "Yakov Sverdlov"
        assert not {"Joseph Stalin", "Leonid Brezhnev"} & set(office.choices)
        vkpb = by_prompt(questions, f"Who was the first to bear the title “{GENSEC_VKPB}”?")
        assert vkpb.answer == "Joseph Stalin"
        assert not {"Yakov Sverdlov", "Leonid Brezhnev"} & set(vkpb.choices)
        cpsu = by_prompt(questions, f"Who was the first to bear the title “{GENSEC_CPSU}”?")
        assert cpsu.answer == "Leonid Brezhnev"
        assert "Joseph Stalin" not in cpsu.choices
        first_secretary = by_prompt(
            questions, "Who was the first to bear the title “First Secretary”?"
        )
        assert first_secretary.answer == "Nikita Khrushchev"
        # Malenkov led the Secretariat de facto just before the office of First Secretary began.
        assert "Georgy Malenkov" not in first_secretary.choices
    assert office.explanation == (
        f"Yakov Sverdlov was the first holder of the office, as {CHAIRMAN}, from 8 March 1918."
    )
    responsible = by_prompt(
        questions, "Who was the first to bear the title “Responsible Secretary”?"
    )
    assert responsible.answer == "Elena Stasova"
    assert responsible.about["office"] == RESPONSIBLE  # the full title stays in the data


def test_prompts_name_the_office_by_its_short_name_and_stay_short():
    facts = seed_facts()
    full_titles = {t.name for t in facts.titles}
    for kind in KINDS:
        questions = (
            every_question(kind)
            if kind not in ("holder_in_year", "title_in_year")
            else (quiz(3, 2000, kinds=[kind]))
        )
        for question in questions:
            assert facts.name not in question.prompt, question.prompt
            # Only a title that is the point of the question, and has no short name of its
            # own, is spelled out in full ("General Secretary" is two titles and the office).
            named = [title for title in full_titles if title in question.prompt]
            if named:
                assert [t.short_name for t in facts.titles if t.name in named] == [
                    "General Secretary"
                ], question.prompt
            else:
                assert len(question.prompt) <= 90, question.prompt


def test_acting_is_ivashko():
    (question,) = every_question("acting")
    assert question.answer == "Vladimir Ivashko"
    assert not {"Joseph Stalin", "Nikita Khrushchev", "Georgy Malenkov"} & set(question.choices)


def test_harder_means_nearer_in_time():
    terms = seed_facts().terms
    first_start = {}
    for term in terms:
        first_start.setdefault(term.person.full_name, term.start)
    first_start["Georgy Malenkov"] = dt.date(1953, 3, 5)

    def mean_gap(difficulty: Difficulty) -> float:
        gaps = []
        for question in quiz(5, 1000, kinds=["holder_in_year"], difficulty=difficulty):
            answer = first_start[question.answer]
            gaps += [
                abs((first_start[c] - answer).days)
                for c in question.choices
                if c != question.answer
            ]
        return statistics.mean(gaps)

    assert mean_gap(Difficulty.HARD) < mean_gap(Difficulty.MEDIUM) < mean_gap(Difficulty.EASY)

    def mean_year_gap(difficulty: Difficulty) -> float:
        return statistics.mean(
            abs(int(choice) - int(question.answer))
            for question in every_question("start_year", difficulty=difficulty)
            for choice in question.choices
        )

    assert mean_year_gap(Difficulty.HARD) < mean_year_gap(Difficulty.MEDIUM)
    assert mean_year_gap(Difficulty.MEDIUM) < mean_year_gap(Difficulty.EASY)


def test_four_choices_whenever_the_data_allows():
    for question in quiz(2, 500):
        assert len(question.choices) == (0 if question.is_typed else 4), question


def test_no_tenure_trivia_decided_by_days():
    prompts = {q.prompt for seed in range(20) for q in every_question("longest_tenure", seed)}
    # Krestinsky (473 days), Molotov (383) and Stasova (249) as Responsible Secretary: too close.
    assert not [p for p in prompts if "Responsible Secretary" in p]
    # Sverdlov led the secretaries from 1917 by one reading: never the answer against Stasova.
    for seed in range(40):
        for question in every_question("longest_tenure", seed):
            assert question.answer not in {"Yakov Sverdlov", "Nikolay Krestinsky"}, question
