"""The first phase of a load: every record checked in memory, with no transaction open.

The rows the documents can touch are read from the database first, in a few queries; then each
record is checked against them and against the records before it, as if those were saved: its
values' types, its references, its fields' own rules, the model's clean(), its unique and check
constraints, and (once all are read) terms that overlap. What passes is a list of unsaved
instances, each marked as a row to create, a row to change, or one that stays as it is.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q

from history.loading.documents import HISTORY_MODELS
from history.loading.errors import FixtureError, kind, shown
from history.models import Association, Person, Position, PositionFact, Term, Title, spans_overlap

Outcome = Literal["created", "changed", "unchanged"]
# Values per query when rows are looked up by a list of values (SQLite allows 999 in old builds).
LOOKUP_CHUNK = 900
EXPECTED = (
    (models.DateField, "a date as text like 1917-04-12", (str,)),
    (models.BooleanField, "true or false", (bool,)),
    (models.IntegerField, "a whole number", (int,)),
    (models.CharField, "text", (str,)),
    (models.TextField, "text", (str,)),
)
BIGGEST_ID = 2**63 - 1
# The comparisons of constraint conditions (a NULL on either side is neither true nor false).
COMPARE = {
    "exact": lambda a, b: a == b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


@dataclass(eq=False)
class CheckedRecord:
    """A record that passed every check: its unsaved instance, where it is, what loading does."""

    path: Path
    index: int
    instance: models.Model
    outcome: Outcome


def check_documents(documents: list[tuple[Path, list[dict]]]) -> list[CheckedRecord]:
    """Every record of the documents, checked in order; raises FixtureError at the first bad one."""
    records = [
        (path, index, record)
        for path, document in documents
        for index, record in enumerate(document)
    ]
    rows, ids = _database_rows(record for _, _, record in records)
    checker = _Checker(rows, ids)
    for path, index, record in records:
        checker.add(path, index, record)
    checker.check_overlaps()
    return checker.checked


@dataclass(frozen=True)
class _UniqueRule:
    """Columns whose values no two rows may share (where `condition` holds), and its message."""

    name: str
    fields: tuple[str, ...]
    condition: Q | None = None
    message: str = ""


class _Checker:
    """The documents' records over the database's rows, with indexes to look rows up by."""

    def __init__(self, rows: list[models.Model], ids: dict[type[models.Model], set]) -> None:
        self.ids = ids
        self.checked: list[CheckedRecord] = []
        self.by_key: dict[str, dict[tuple, models.Model]] = defaultdict(dict)
        # Titles of the curated positions (no owner) by name: a one-part title key names them.
        self.curated_titles: dict[str, dict[tuple, Title]] = defaultdict(dict)
        self.unique: dict[tuple, models.Model] = {}
        self.from_record: dict[int, CheckedRecord] = {}  # id() of each checked instance
        for row in rows:
            self._index(row)

    def add(self, path: Path, index: int, record: dict) -> None:
        """Check one record against the database and the records before it."""
        model = apps.get_model(record["model"])
        values = {}
        for name, value in record["fields"].items():
            field = self._field(path, index, model, name)
            values[self._attribute(field)] = self._value(path, index, field, value)
        for name in _required_fields(model):
            if name not in record["fields"]:
                message = f"{model._meta.verbose_name} is missing this required field."
                raise FixtureError(path, message, index, name)
        instance = model(**values)
        key = instance.natural_key()
        existing = self.by_key[record["model"]].get(key)
        if existing is not None and id(existing) in self.from_record:
            # A second record with the same natural key would silently overwrite the first.
            raise FixtureError(
                path,
                f"{_named(instance)} is already recorded "
                f"({_where(self.from_record[id(existing)], path)}).",
                index,
            )
        if existing is not None:
            instance.pk, instance._state.adding = existing.pk, False
        checked = CheckedRecord(path, index, instance, "created")
        self._clean(checked, existing)
        if existing is not None:
            checked.outcome = "unchanged" if _same(existing, instance) else "changed"
        self.checked.append(checked)
        self.from_record[id(instance)] = checked
        self._index(instance, replacing=existing)

    def check_overlaps(self) -> None:
        """Refuse a record's term that overlaps another term of its position (see Term.clean)."""
        order = {id(c.instance): n for n, c in enumerate(self.checked)}
        terms: dict[object, list[Term]] = defaultdict(list)
        for term in self.by_key["history.term"].values():
            terms[_identity(term.title.position)].append(term)
        for position_terms in terms.values():
            pair = _overlapping_pair(position_terms, lambda term: id(term) in order)
            if pair is not None:
                first, second = sorted(pair, key=lambda term: order.get(id(term), -1))
                checked = self.from_record[id(second)]
                messages = second.overlap_error(first).message_dict["start_date"]
                raise FixtureError(
                    checked.path,
                    f"{_named(second)}: {' '.join(messages)}",
                    checked.index,
                    "start_date",
                )

    def _field(self, path: Path, index: int, model: type[models.Model], name: str) -> models.Field:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is None or not field.concrete:
            message = f"{model._meta.verbose_name} has no such field."
            raise FixtureError(path, message, index, name)
        if field.primary_key:
            message = "is the database's id; records are matched by natural key."
            raise FixtureError(path, message, index, name)
        return field

    @staticmethod
    def _attribute(field: models.Field) -> str:
        """The instance attribute a value goes to: a reference to another history row is the row."""
        is_history_row = (
            field.is_relation and field.related_model._meta.label_lower in HISTORY_MODELS
        )
        return field.name if is_history_row or not field.is_relation else field.attname

    def _value(self, path: Path, index: int, field: models.Field, value: object) -> object:
        """The record's value for the field as Python, or FixtureError for the wrong type."""

        def refuse(message: str) -> FixtureError:
            return FixtureError(path, message, index, field.name)

        if field.is_relation:
            return self._reference(field, value, refuse)
        expected, types = next(
            ((words, types) for cls, words, types in EXPECTED if isinstance(field, cls)),
            ("", ()),
        )
        if value is None:
            if field.null:
                return None
            raise refuse(f"expected {expected or 'a value'}, got null.")
        if types and (
            not isinstance(value, types) or (bool not in types and isinstance(value, bool))
        ):
            raise refuse(f"expected {expected}, got {kind(value)}.")
        if isinstance(value, str) and "\x00" in value:
            raise refuse("contains a NUL character, which no text may hold.")
        try:
            return field.to_python(value)
        except ValidationError as error:
            raise refuse(f"{' '.join(error.messages)} (got {shown(value)})") from None
        except (TypeError, ValueError):
            raise refuse(f"cannot be read from {kind(value)}.") from None

    def _reference(
        self, field: models.Field, value: object, refuse: Callable[[str], FixtureError]
    ) -> object:
        related = field.related_model
        named = related._meta.verbose_name
        if value is None:
            if field.null:
                return None
            raise refuse(f"expected a list naming the {named}, got null.")
        if related._meta.label_lower not in HISTORY_MODELS:
            if isinstance(value, bool) or not isinstance(value, int):
                raise refuse(f"expected the {named}'s id (a whole number), got {kind(value)}.")
            if value not in self.ids.get(related, ()):
                raise refuse(f"unknown {named} {value}.")
            return value
        if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            hint = f"; write {json.dumps([_short(value, 60)])}" if isinstance(value, str) else ""
            raise refuse(f"expected a list of text naming the {named}, got {kind(value)}{hint}.")
        label, key = related._meta.label_lower, tuple(value)
        if label == "history.title" and len(key) == 1:
            # As TitleManager.get_by_natural_key reads it: a title of a curated position.
            found = [t for t in self.curated_titles[key[0]].values() if t.position.owner_id is None]
        else:
            found = [self.by_key[label][key]] if key in self.by_key[label] else []
        if len(found) > 1:
            raise refuse(
                f"{named} '{_short(' / '.join(key))}' is ambiguous; name it with its position's "
                "slug first."
            )
        if not found:
            raise refuse(
                f"unknown {named} '{_short(' / '.join(key))}' (it must be defined earlier)."
            )
        return found[0]

    def _clean(self, checked: CheckedRecord, existing: models.Model | None) -> None:
        """The model's own rules, as full_clean has them, with the database's part in memory."""
        instance = checked.instance
        model = type(instance)
        try:
            instance.clean_fields(exclude=_relations(model))  # references were resolved above
            # Term.clean's overlap query is replaced by check_overlaps over the loaded rows.
            (instance.clean_dates if isinstance(instance, Term) else instance.clean)()
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            field = "" if field == "__all__" else field
            raise self._refused(checked, " ".join(messages), field) from None
        for rule in _unique_rules(model):
            holder = self.unique.get(_unique_key(rule, instance))
            if holder is not None and holder is not existing:
                message = rule.message or _unique_message(instance, rule.fields)
                if id(holder) in self.from_record:
                    message += f" ({_where(self.from_record[id(holder)], checked.path)})"
                field = rule.fields[0] if len(rule.fields) == 1 else ""
                raise self._refused(checked, message, field)
        for constraint in model._meta.constraints:
            checked_here = isinstance(constraint, models.CheckConstraint)
            if checked_here and _holds(constraint.condition, instance) is False:
                raise self._refused(checked, constraint.get_violation_error_message())

    @staticmethod
    def _refused(checked: CheckedRecord, message: str, field: str = "") -> FixtureError:
        return FixtureError(
            checked.path, f"{_named(checked.instance)}: {message}", checked.index, field
        )

    def _index(self, row: models.Model, replacing: models.Model | None = None) -> None:
        """Make the row one that later records find by natural key and by unique values."""
        label = row._meta.label_lower
        key = row.natural_key()
        self.by_key[label][key] = row
        if isinstance(row, Title) and row.position.owner_id is None:
            self.curated_titles[row.name][key] = row
        for rule in _unique_rules(type(row)):
            if replacing is not None:
                old = _unique_key(rule, replacing)
                if self.unique.get(old) is replacing:
                    del self.unique[old]
            if (new := _unique_key(rule, row)) is not None:
                self.unique[new] = row


def _database_rows(records: Iterable[dict]) -> tuple[list[models.Model], dict[type, set]]:
    """The rows the records can refer to or collide with, and the ids of other referenced rows.

    That is the positions and people they name, every title, fact, term and association of those
    positions (terms for the overlap check), and rows holding a name or slug they give.
    """
    wanted: dict[str, set[str]] = defaultdict(set)
    ids: dict[type[models.Model], set[int]] = defaultdict(set)
    for record in records:
        model, fields = apps.get_model(record["model"]), record["fields"]
        if model is Position:
            wanted["slug"].add(fields.get("slug"))
            wanted["position_name"].add(fields.get("name"))
        if model is Person:
            wanted["person"].add(fields.get("full_name"))
            wanted["person_slug"].add(fields.get("slug"))
        for field in model._meta.concrete_fields:
            value = fields.get(field.name)
            if not field.is_relation or value is None:
                continue
            if field.related_model._meta.label_lower not in HISTORY_MODELS:
                if (
                    isinstance(value, int)
                    and not isinstance(value, bool)
                    and 0 < value <= BIGGEST_ID
                ):
                    ids[field.related_model].add(value)
            elif isinstance(value, list) and value:
                first = value[0]
                if field.related_model is Person:
                    wanted["person"].add(first)
                elif field.related_model is Title and len(value) == 1:
                    wanted["curated_title"].add(first)
                else:
                    wanted["slug"].add(first)
    wanted = {
        name: {v for v in values if isinstance(v, str) and "\x00" not in v}
        for name, values in wanted.items()
    }
    positions = _fetch(Position.objects.all(), "slug", wanted.get("slug"))
    positions += _fetch(Position.objects.all(), "name", wanted.get("position_name"))
    curated = Title.objects.filter(position__owner__isnull=True).select_related("position")
    positions += [t.position for t in _fetch(curated, "name", wanted.get("curated_title"))]
    in_scope = {p.pk for p in positions}
    titles = _fetch(Title.objects.select_related("position"), "position_id", in_scope)
    facts = _fetch(PositionFact.objects.select_related("position"), "position_id", in_scope)
    associations = Association.objects.select_related("position", "person")
    associations = _fetch(associations, "position_id", in_scope)
    terms = Term.objects.select_related("person", "title__position")
    terms = _fetch(terms, "title__position_id", in_scope)
    people = _fetch(Person.objects.all(), "full_name", wanted.get("person"))
    people += _fetch(Person.objects.all(), "slug", wanted.get("person_slug"))
    people += [row.person for row in [*terms, *associations]]
    for model, values in ids.items():
        ids[model] = {row.pk for row in _fetch(model._default_manager.only("pk"), "pk", values)}
    rows = {
        (type(row), row.pk): row
        for row in [*positions, *people, *titles, *facts, *associations, *terms]
    }
    return list(rows.values()), ids


def _fetch(queryset: models.QuerySet, field: str, values: set | None) -> list[models.Model]:
    """The queryset's rows whose `field` is one of `values`, in a query per LOOKUP_CHUNK values."""
    values = sorted(values or ())
    return [
        row
        for start in range(0, len(values), LOOKUP_CHUNK)
        for row in queryset.filter(**{f"{field}__in": values[start : start + LOOKUP_CHUNK]})
    ]


@cache
def _required_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if field.editable
        and not (field.primary_key or field.blank or field.has_default() or field.null)
    )


@cache
def _relations(model: type[models.Model]) -> frozenset[str]:
    return frozenset(field.name for field in model._meta.concrete_fields if field.is_relation)


@cache
def _unique_rules(model: type[models.Model]) -> list[_UniqueRule]:
    rules = [
        _UniqueRule(field.name, (field.name,))
        for field in model._meta.concrete_fields
        if field.unique and not field.primary_key
    ]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            custom = (
                constraint.violation_error_message != constraint.default_violation_error_message
            )
            message = constraint.get_violation_error_message() if custom else ""
            rules.append(
                _UniqueRule(
                    constraint.name, tuple(constraint.fields), constraint.condition, message
                )
            )
    return rules


def _unique_key(rule: _UniqueRule, row: models.Model) -> tuple | None:
    """The values the rule keeps unique, or None where it does not apply (a NULL, a condition)."""
    values = []
    for name in rule.fields:
        field = row._meta.get_field(name)
        value = getattr(row, field.attname)
        if value is None and field.is_relation and field.is_cached(row):
            value = _identity(field.get_cached_value(row))
        if value is None:
            return None
        values.append(value)
    if rule.condition is not None and _holds(rule.condition, row) is not True:
        return None
    return (row._meta.label_lower, rule.name, *values)


def _unique_message(instance: models.Model, fields: tuple[str, ...]) -> str:
    error = instance.unique_error_message(type(instance), fields)
    return error.message % error.params


def _identity(row: models.Model | None) -> object:
    """What tells rows apart: the id of a saved one, the object of one not yet written."""
    return None if row is None else row.pk if row.pk is not None else ("new", id(row))


def _holds(condition: Q, row: models.Model) -> bool | None:
    """A constraint's condition evaluated on the row as SQL would: None where it is unknown (NULL).

    Knows the lookups our constraints use; a constraint using another fails the test that
    evaluates every history constraint, rather than a load.
    """
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_holds(child, row))
            continue
        if not isinstance(child, tuple):
            raise NotImplementedError(f"cannot evaluate {child!r} in memory")
        lookup, expected = child
        name, _, operator = lookup.partition("__")
        operator = operator or "exact"
        value = getattr(row, row._meta.get_field(name).attname)
        if isinstance(expected, F):
            expected = getattr(row, row._meta.get_field(expected.name).attname)
        if operator == "isnull":
            results.append((value is None) == expected)
        elif value is None or expected is None:
            results.append(None)
        elif operator in COMPARE:
            results.append(COMPARE[operator](value, expected))
        else:
            raise NotImplementedError(f"cannot evaluate the lookup {lookup!r} in memory")
    if condition.connector == Q.AND:
        result = False if False in results else None if None in results else True
    elif condition.connector == Q.OR:
        result = True if True in results else None if None in results else False
    else:
        raise NotImplementedError(f"cannot evaluate {condition.connector} in memory")
    return result if not condition.negated or result is None else not result


def _overlapping_pair(
    terms: list[Term], from_records: Callable[[Term], bool]
) -> tuple[Term, Term] | None:
    """Two terms of one position that overlap, at least one from the records, if there are any.

    Sorted by start, a term overlaps an earlier-starting one only if it overlaps the one that
    ends last; terms starting the same day overlap unless one of them ends that day.
    """
    by_start: dict = defaultdict(list)
    for term in terms:
        by_start[term.start_date].append(term)
    latest = latest_of_records = None  # the earlier-starting term that ends last (of the records)
    for start in sorted(by_start):
        day = by_start[start]
        for term in day:
            before = latest if from_records(term) else latest_of_records
            if before is not None and spans_overlap(
                start, term.end_date, before.start_date, before.end_date
            ):
                return before, term
        lasting = [t for t in day if t.end_date is None or t.end_date > start]
        if len(lasting) > 1 and any(from_records(t) for t in lasting):
            first = next(t for t in lasting if from_records(t))
            return next(t for t in lasting if t is not first), first
        for term in day:
            latest = _ends_later(latest, term)
            if from_records(term):
                latest_of_records = _ends_later(latest_of_records, term)
    return None


def _ends_later(current: Term | None, term: Term) -> Term:
    if current is None or current.end_date is None:
        return term if current is None else current
    return term if term.end_date is None or term.end_date > current.end_date else current


def _same(existing: models.Model, incoming: models.Model) -> bool:
    return all(
        getattr(existing, field.attname) == getattr(incoming, field.attname)
        for field in existing._meta.concrete_fields
    )


def _named(instance: models.Model) -> str:
    return f"{instance._meta.verbose_name} {_short(str(instance))}"


def _short(text: str, limit: int = 200) -> str:
    """Text on one line, cut at `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _where(earlier: CheckedRecord, path: Path) -> str:
    return f"record {earlier.index + 1}" + ("" if earlier.path == path else f" of {earlier.path}")
