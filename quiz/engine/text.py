"""Wording shared by every kind: names joined, spans and lengths of time, numbers in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from history.facts import MONTHS, TermFact, format_date

NUMBER_WORDS = (
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
)


def number_text(n: int) -> str:
    """A count as a word up to twenty, in figures above."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def days_text(days: int) -> str:
    """ "one day", "six days", "45 days"."""
    word = number_text(days)
    return f"{word} day" if days == 1 else f"{word} days"


def join(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def span_text(start: dt.date, end: dt.date | None) -> str:
    """ "from 3 April 1922 to 16 October 1952", "from 5 to 14 March 1953", "on 1 May 1950"."""
    if end is None:
        return f"from {format_date(start)}, still in office in the source"
    if start == end:
        return f"on {format_date(start)}"
    return f"from {start_of_range(start, end)} to {format_date(end)}"


def start_of_range(start: dt.date, end: dt.date) -> str:
    """The start of a range without what its end repeats: "5" (March 1953), "14 March" (1953)."""
    if start.year != end.year:
        return format_date(start)
    if start.month != end.month:
        return f"{start.day} {MONTHS[start.month - 1]}"
    return str(start.day)


def calendar_length(start: dt.date, end: dt.date) -> str:
    """Years, months and days from start to end, whole calendar months first."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    year, month_index = divmod(start.month - 1 + months, 12)
    anchor_year = start.year + year
    anchor = clamped_date(anchor_year, month_index + 1, start.day)
    days = (end - anchor).days
    parts = [
        f"{n} {unit}{'' if n == 1 else 's'}"
        for n, unit in ((months // 12, "year"), (months % 12, "month"), (days, "day"))
        if n
    ]
    return ", ".join(parts) if parts else "0 days"


def clamped_date(year: int, month: int, day: int) -> dt.date:
    """The date, or the month's last day when the month is shorter (29 February -> 28)."""
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


def start_text(term: TermFact) -> str:
    """A term's start as the table gives it, with the other reading the text gives, if any:
    "7 September 1953 (the article's text says 14 September)"."""
    told = format_date(term.start)
    other = term.disputed_start
    if other is None or other == term.start:
        return told
    if other.year != term.start.year:
        return f"{told} (the article's text says {format_date(other)})"
    return f"{told} (the article's text says {other.day} {MONTHS[other.month - 1]})"


def term_span_text(term: TermFact) -> str:
    """A term's span, with both readings of a disputed start, and the office's abolition:
    "from 3 April 1922 until the office was abolished on 16 October 1952"."""
    if term.disputed_start is not None and term.disputed_start != term.start:
        start = start_text(term)
        if term.end is None:
            return f"from {start}, still in office in the source"
        end = format_date(term.end)
    elif term.end is None or term.start == term.end:
        return span_text(term.start, term.end)
    else:
        start, end = start_of_range(term.start, term.end), format_date(term.end)
    if term.office_abolished:
        return f"from {start} until the office was abolished on {end}"
    return f"from {start} to {end}"
