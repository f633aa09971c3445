"""A teacher's own topic (a position, its titles, holders and terms) from CSV, XLSX or our JSON
fixture format, validated by history's own loader, previewed, and saved only on confirm.

Every format becomes fixture records. Their shape is checked here (columns, formulas, yes/no
cells, one position, nothing pointing outside it); everything else is decided by
``history.loading``: the records are checked by a dry run, exactly as ``load_history`` checks
them and writing nothing, and its first error is reported at the row and column it came from. The new position belongs to the teacher and is unpublished.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

from history.loading import FixtureError, history_load_documents, history_parse
from history.models import Person, Position, Term, Title
from history.timeline import TimelineTerm, build_timeline
from quiz.classroom.imports import files
from quiz.classroom.imports.files import ImportProblem, ImportRefused, ProblemCode, RefusalCode
from quiz.csv_cells import csv_text, from_spreadsheet_cell

MAX_TERMS = 500
TOPIC_COLUMNS = (
    "title",
    "person",
    "start",
    "end",
    "died_in_office",
    "acting",
    "note",
    "title_short_name",
    "person_short_name",
)
REQUIRED = {
    "title": ("title",),
    "person": ("person", "holder", "name"),
    "start": ("start", "start date", "took office", "from"),
}
OPTIONAL = {
    "end": ("end", "end date", "left office", "to"),
    "died_in_office": ("died in office", "died"),
    "acting": ("acting",),
    "note": ("note", "notes"),
    "title_short_name": ("title short name", "short title"),
    "person_short_name": ("person short name", "short name"),
}
YES = {"yes", "y", "true", "1", "x", "✓", "†"}
NO = {"no", "n", "false", "0", ""}
# Which column (or form field) a loader error about a record's field came from.
TERM_COLUMNS = {
    "start_date": "start",
    "end_date": "end",
    "died_in_office": "died_in_office",
    "acting": "acting",
    "note": "note",
    "person": "person",
    "title": "title",
}
POSITION_FIELDS = ("name", "short_name", "country", "summary", "source_title", "source_kind")
POSITION_FIELDS += ("source_reference",)
TEACHER_SET_FIELDS = {"owner", "is_published"}


@dataclass(frozen=True)
class TopicDetails:
    """What the form says about the position (a JSON file says it itself)."""

    name: str = ""
    short_name: str = ""
    country: str = ""
    summary: str = ""
    source_title: str = ""
    source_kind: str = ""
    source_reference: str = ""


@dataclass
class TopicFile:
    """The records a file makes, where each came from, and every problem found."""

    records: list[dict] = field(default_factory=list)
    # Per record: the row it came from and, for term records, the file's columns.
    origins: list[int | None] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    file_format: str = ""

    @property
    def is_valid(self) -> bool:
        return bool(self.records) and not self.problems

    @property
    def slug(self) -> str:
        return self.records[0]["fields"]["slug"]

    def add(self, record: dict, row: int | None) -> None:
        self.records.append(record)
        self.origins.append(row)


def unique_slug(model, base: str, taken: set[str] = frozenset(), limit: int = 90) -> str:
    """`base` as a slug, with -2, -3, ... when the database or `taken` has it already."""
    base = slugify(base)[:limit].strip("-") or "topic"
    existing = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    existing |= set(taken)
    slug, number = base, 2
    while slug in existing:
        slug, number = f"{base}-{number}", number + 1
    return slug


# -- spreadsheets -------------------------------------------------------------------------------


def _flag(value: str, row: int, column: str, result: TopicFile) -> bool:
    word = value.strip().casefold()
    if word in YES:
        return True
    if word not in NO:
        result.problems.append(
            ImportProblem(ProblemCode.INVALID, f"“{value}” is not yes or no.", row, column)
        )
    return False


def _spreadsheet(data: bytes, file_name: str, details: TopicDetails, owner, result: TopicFile):
    rows = files.spreadsheet_rows(data, file_name, limit=MAX_TERMS)
    header, columns = files.find_header(rows, required=REQUIRED, optional=OPTIONAL)
    for name in ("name", "short_name", "source_title"):
        if not getattr(details, name):
            result.problems.append(
                ImportProblem(
                    ProblemCode.MISSING,
                    "is needed for a CSV or XLSX topic.",
                    column=f"the form's {name.replace('_', ' ')}",
                )
            )
    slug = unique_slug(Position, details.name)
    fields = {name: getattr(details, name) for name in POSITION_FIELDS if getattr(details, name)}
    result.add(
        {
            "model": "history.position",
            "fields": {**fields, "slug": slug, "owner": owner.pk, "is_published": False},
        },
        None,
    )
    titles: dict[str, tuple[str, int]] = {}
    people: dict[str, tuple[str, int]] = {}
    terms: list[tuple[int, dict]] = []
    for row in rows[header + 1 :]:

        def cell(column: str, row=row) -> str:
            position = columns.get(column)
            raw = row.cells[position] if position is not None and position < len(row.cells) else ""
            result.problems.extend(files.text_problems(raw, row=row.number, column=column))
            return from_spreadsheet_cell(raw)

        values = {column: cell(column) for column in TOPIC_COLUMNS}
        for column in REQUIRED:
            if not values[column]:
                result.problems.append(
                    ImportProblem(ProblemCode.MISSING, "is empty.", row.number, column)
                )
        title, person = values["title"], values["person"]
        short_title = values["title_short_name"] or title
        if title and titles.setdefault(title, (short_title, row.number))[0] != short_title:
            result.problems.append(
                ImportProblem(
                    ProblemCode.INVALID,
                    f"gives another short name for “{title}” than row {titles[title][1]}.",
                    row.number,
                    "title_short_name",
                )
            )
        short_person = values["person_short_name"] or (person.split()[-1] if person else "")
        if person:
            people.setdefault(person, (short_person, row.number))
        terms.append(
            (
                row.number,
                {
                    "person": [person],
                    "title": [slug, title],
                    "start_date": values["start"],
                    "end_date": values["end"] or None,
                    "died_in_office": _flag(
                        values["died_in_office"], row.number, "died_in_office", result
                    ),
                    "acting": _flag(values["acting"], row.number, "acting", result),
                    "note": values["note"],
                },
            )
        )
    if not terms:
        result.problems.append(ImportProblem(ProblemCode.MISSING, "The file has no terms."))
    for title, (short_name, row) in titles.items():
        result.add(
            {
                "model": "history.title",
                "fields": {"position": [slug], "name": title, "short_name": short_name},
            },
            row,
        )
    _people(people, result)
    for row, fields in terms:
        result.add({"model": "history.term", "fields": fields}, row)


def _people(people: dict[str, tuple[str, int]], result: TopicFile) -> None:
    known = set(Person.objects.filter(full_name__in=people).values_list("full_name", flat=True))
    taken: set[str] = set()
    for full_name, (short_name, row) in people.items():
        if full_name in known:
            continue
        slug = unique_slug(Person, full_name, taken)
        taken.add(slug)
        result.add(
            {
                "model": "history.person",
                "fields": {"full_name": full_name, "short_name": short_name, "slug": slug},
            },
            row,
        )
    if known:
        result.notices.append(
            f"{', '.join(sorted(known))} {'is' if len(known) == 1 else 'are'} known already; "
            "the existing record is used."
        )


# -- JSON fixtures ------------------------------------------------------------------------------


def _json(data: bytes, file_name: str, owner, result: TopicFile) -> None:
    text = files.decode_text(data)
    try:
        records = history_parse(path=Path(file_name), text=text)
    except FixtureError as error:
        raise ImportRefused(RefusalCode.NOT_A_SPREADSHEET, error.message) from None
    positions = [r for r in records if r["model"] == "history.position"]
    if len(positions) != 1:
        raise ImportRefused(
            RefusalCode.NOT_A_SPREADSHEET,
            f"A topic file holds exactly one history.position record; this one has {len(positions)}.",
        )
    slug = positions[0]["fields"].get("slug", "")
    if Position.objects.with_slug(slug).exists():
        result.problems.append(
            ImportProblem(
                ProblemCode.DUPLICATE,
                f"A position with the slug “{slug}” exists already; give yours another slug.",
                1 + records.index(positions[0]),
                "slug",
            )
        )
    titles = {
        name
        for r in records
        if r["model"] == "history.title"
        and r["fields"].get("position") == [slug]
        and isinstance(name := r["fields"].get("name"), str)
    }
    people = {
        name
        for r in records
        if r["model"] == "history.person"
        and isinstance(name := r["fields"].get("full_name"), str)
        and "\x00" not in name
    }
    known = set(Person.objects.filter(full_name__in=people).values_list("full_name", flat=True))
    for number, record in enumerate(records, start=1):
        fields = dict(record["fields"])
        model = record["model"]
        if TEACHER_SET_FIELDS & set(fields):
            result.problems.append(
                ImportProblem(
                    ProblemCode.INVALID,
                    "sets who owns the position or whether it is published; leave that out.",
                    number,
                    ", ".join(sorted(TEACHER_SET_FIELDS & set(fields))),
                )
            )
        if model == "history.position":
            fields |= {"owner": owner.pk, "is_published": False}
        elif model == "history.person" and fields.get("full_name") in known:
            continue
        elif model in ("history.title", "history.positionfact", "history.association"):
            if fields.get("position") != [slug]:
                result.problems.append(
                    ImportProblem(
                        ProblemCode.INVALID,
                        f"belongs to another position than “{slug}”.",
                        number,
                        "position",
                    )
                )
        elif model == "history.term":
            title = fields.get("title")
            if isinstance(title, list) and len(title) == 1 and str(title[0]) in titles:
                fields["title"] = [slug, title[0]]
            elif not (isinstance(title, list) and title[:1] == [slug]):
                result.problems.append(
                    ImportProblem(
                        ProblemCode.INVALID,
                        f"is under a title that is not one of this file's titles ({title!r}).",
                        number,
                        "title",
                    )
                )
        result.add({"model": model, "fields": fields}, number)
    if known:
        result.notices.append(
            f"{', '.join(sorted(known))} {'is' if len(known) == 1 else 'are'} known already; "
            "the existing record is used."
        )
    if sum(r["model"] == "history.term" for r in records) > MAX_TERMS:
        raise ImportRefused(
            RefusalCode.TOO_MANY_ROWS, f"A topic can have at most {MAX_TERMS} terms at a time."
        )


# -- reading, validating, saving ----------------------------------------------------------------


def _loader_problem(error: FixtureError, result: TopicFile) -> ImportProblem:
    index = error.index
    row = result.origins[index] if index is not None and index < len(result.origins) else None
    model = result.records[index]["model"] if index is not None else ""
    if result.file_format == "json":
        column = error.field
    elif model == "history.position":
        column = f"the form's {error.field.replace('_', ' ')}" if error.field else "the form"
    else:
        column = TERM_COLUMNS.get(error.field, error.field)
    return ImportProblem(ProblemCode.INVALID, error.message, row, column)


def read_topic_file(*, data: bytes, file_name: str, details: TopicDetails, owner) -> TopicFile:
    """The topic's records, validated by a dry run of history's loader. Raises ImportRefused."""
    result = TopicFile()
    files.refuse_if_too_big(len(data))
    if data.lstrip()[:1] == b"[" or file_name.lower().endswith(".json"):
        result.file_format = "json"
        _json(data, file_name, owner, result)
    else:
        result.file_format = "spreadsheet"
        _spreadsheet(data, file_name, details, owner, result)
    if not result.problems:
        try:
            history_load_documents(documents=[(Path(file_name), result.records)], dry_run=True)
        except FixtureError as error:
            result.problems.append(_loader_problem(error, result))
    result.problems.sort(key=lambda problem: problem.row or 0)
    return result


def topic_save(*, records: list[dict], file_name: str) -> Position:
    """Load the previewed records for real, in one transaction, and return the new position."""
    history_load_documents(documents=[(Path(file_name), records)])
    return Position.objects.get(slug=records[0]["fields"]["slug"])


@dataclass(frozen=True)
class TopicPreview:
    """The new position's terms as the position page shows them, and its timeline."""

    position: Position
    terms: list[Term]
    timeline: object


def topic_preview(records: list[dict], *, today: dt.date) -> TopicPreview:
    """Unsaved objects from valid records, for the preview's table and timeline."""
    fields = next(r["fields"] for r in records if r["model"] == "history.position")
    position = Position(**{k: v for k, v in fields.items() if k in POSITION_FIELDS or k == "slug"})
    titles = {
        r["fields"]["name"]: Title(name=r["fields"]["name"], short_name=r["fields"]["short_name"])
        for r in records
        if r["model"] == "history.title"
    }
    people = {
        r["fields"]["full_name"]: Person(**r["fields"])
        for r in records
        if r["model"] == "history.person"
    }
    names = [r["fields"]["person"][0] for r in records if r["model"] == "history.term"]
    people |= {
        p.full_name: p for p in Person.objects.filter(full_name__in=set(names) - set(people))
    }
    terms = [
        Term(
            person=people[r["fields"]["person"][0]],
            title=titles[r["fields"]["title"][-1]],
            start_date=dt.date.fromisoformat(r["fields"]["start_date"]),
            end_date=dt.date.fromisoformat(r["fields"]["end_date"])
            if r["fields"].get("end_date")
            else None,
            died_in_office=bool(r["fields"].get("died_in_office")),
            acting=bool(r["fields"].get("acting")),
            note=r["fields"].get("note", ""),
        )
        for r in records
        if r["model"] == "history.term"
    ]
    terms.sort(key=lambda term: (term.start_date, term.end_date or dt.date.max))
    timeline = build_timeline([TimelineTerm.of(term) for term in terms], today=today)
    return TopicPreview(position=position, terms=terms, timeline=timeline)


def topic_csv(position: Position) -> str:
    """A position's terms in the import's CSV columns (its table, as the example file has it)."""
    return csv_text(
        TOPIC_COLUMNS,
        (
            [
                term.title.name,
                term.person.full_name,
                term.start_date.isoformat(),
                term.end_date.isoformat() if term.end_date else "",
                "yes" if term.died_in_office else "",
                "yes" if term.acting else "",
                term.note,
                term.title.short_name,
                term.person.short_name,
            ]
            for term in position.terms_in_order()
        ),
        lineterminator="\n",
    )
