"""QuerySets whose SQL Django builds once per process, for the requests a class makes most.

Building a query's SQL in the ORM cost the question page about 0.8 ms of CPU per request, more
than running it. A PreparedQuery builds its QuerySet once with stand-in values, keeps the SQL and
where each stand-in landed among the parameters, and on each call runs that SQL with the real
values, turning rows into model instances (select_related and annotations included) as
Django's own ModelIterable does. A PreparedUpdate does the same for a QuerySet's update(). Only
values that become SQL parameters may vary; the shape (filters, joins, LIMIT, NULLs) is fixed
when the query is built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql import UpdateQuery


class PreparedQueryError(Exception):
    """A QuerySet shape that cannot be prepared (a value did not become a parameter)."""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]
    compiler: Any
    converters: dict[int, Any]
    init_list: tuple[str, ...]
    model_columns: slice
    annotation_columns: tuple[tuple[str, int], ...]


class PreparedQuery:
    """`build(**values)` returns a QuerySet; calling this runs its SQL, built once, with values."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type) -> None:
        self._build = build
        self._kinds = kinds
        self._compiled: _Compiled | None = None

    def __call__(self, **values: Any) -> list[Model]:
        compiled = self._compiled or self._compile()
        params = _params(compiled.params, compiled.slots, self._kinds, values)
        with connections[compiled.compiler.using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        instances = []
        populators = get_related_populators(
            compiled.compiler.klass_info, compiled.compiler.select, compiled.compiler.using
        )
        for row in compiled.compiler.apply_converters(rows, compiled.converters):
            instance = compiled.compiler.klass_info["model"].from_db(
                compiled.compiler.using, compiled.init_list, row[compiled.model_columns]
            )
            for populator in populators:
                populator.populate(row, instance)
            for name, column in compiled.annotation_columns:
                setattr(instance, name, row[column])
            instances.append(instance)
        return instances

    def _compile(self) -> _Compiled:
        stand_ins = _stand_ins(self._kinds)
        queryset = self._build(**stand_ins)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = _slots(params, stand_ins)
        klass_info = compiler.klass_info
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        compiled = _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            compiler=compiler,
            converters=compiler.get_converters(
                [column[0] for column in compiler.select[: compiler.col_count]]
            ),
            init_list=tuple(column[0].target.attname for column in compiler.select[first:last]),
            model_columns=slice(first, last),
            annotation_columns=tuple((compiler.annotation_col_map or {}).items()),
        )
        self._compiled = compiled
        return compiled


class PreparedUpdate:
    """`build(**values)` returns a QuerySet and the changes for its update(); calling this runs
    that UPDATE, its SQL built once, with the values, and returns how many rows it changed."""

    def __init__(
        self, build: Callable[..., tuple[QuerySet, dict[str, Any]]], **kinds: type
    ) -> None:
        self._build = build
        self._kinds = kinds
        self._compiled: tuple[str, tuple[Any, ...], tuple[tuple[int, str], ...], str] | None = None

    def __call__(self, **values: Any) -> int:
        sql, stored, slots, using = self._compiled or self._compile()
        params = _params(stored, slots, self._kinds, values)
        # As QuerySet.update(): an error inside an atomic block rolls that block back.
        with transaction.mark_for_rollback_on_error(using), connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def _compile(self) -> tuple[str, tuple[Any, ...], tuple[tuple[int, str], ...], str]:
        stand_ins = _stand_ins(self._kinds)
        queryset, changes = self._build(**stand_ins)
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(changes)
        query.annotations = {}
        compiler = query.get_compiler(queryset.db)
        compiler.pre_sql_setup()
        if query.related_updates or query.count_active_tables() != 1:
            raise PreparedQueryError("only an update of one table's own columns can be prepared")
        sql, params = compiler.as_sql()
        self._compiled = (sql, tuple(params), _slots(params, stand_ins), queryset.db)
        return self._compiled


def _stand_ins(kinds: dict[str, type]) -> dict[str, Any]:
    return {name: _stand_in(name, kind, n) for n, (name, kind) in enumerate(kinds.items())}


def _params(
    stored: tuple[Any, ...],
    slots: tuple[tuple[int, str], ...],
    kinds: dict[str, type],
    values: dict[str, Any],
) -> list[Any]:
    """The compiled parameters with each stand-in replaced by its value (in the stand-in's type:
    PostgreSQL's adapters wrap some values, psycopg's Int2 for a small integer field)."""
    if values.keys() != kinds.keys():
        raise TypeError(f"expected the values {sorted(kinds)}, got {sorted(values)}")
    params = list(stored)
    for index, name in slots:
        params[index] = type(params[index])(values[name])
    return params


def _slots(params, stand_ins: dict[str, Any]) -> tuple[tuple[int, str], ...]:
    """Where each stand-in landed among the parameters; every one must have."""
    slots = tuple(
        (index, name)
        for index, param in enumerate(params)
        for name, stand_in in stand_ins.items()
        # PostgreSQL's adapters wrap some values (psycopg's Int2 for a small integer field)
        if isinstance(param, type(stand_in)) and param == stand_in
    )
    missing = set(stand_ins) - {name for _, name in slots}
    if missing:
        raise PreparedQueryError(f"{sorted(missing)} did not become SQL parameters")
    return slots


def _stand_in(name: str, kind: type, number: int) -> Any:
    """A value no real call passes, found again among the compiled SQL's parameters."""
    if kind is int:
        # Inside every integer field's range: Django answers a lookup outside it with no query.
        return 32_700 + number
    if kind is str:
        return f"\x1fprepared {name} {number}\x1f"
    raise PreparedQueryError(f"{name}: only int and str values can be prepared")
