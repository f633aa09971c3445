"""QuerySets whose SQL Django builds once per process, for the requests a class makes most.

Building a query's SQL in the ORM cost the question page about 0.8 ms of CPU per request, more
than running it. A PreparedQuery builds its QuerySet once with stand-in values, keeps the SQL and
where each stand-in landed among the parameters, and on each call runs that SQL with the real
values, turning rows into model instances (select_related and annotations included) as
Django's own ModelIterable does. A PreparedUpdate does the same for a QuerySet's update(), and
a PreparedInsert for saving a new row (or bulk_create's upsert of one). Only values that become
SQL parameters may vary; the shape (filters, joins, LIMIT, NULLs) is fixed when the query is
built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Field, Model, QuerySet
from django.db.models.constants import OnConflict
from django.db.models.query import get_related_populators
from django.db.models.sql import InsertQuery, UpdateQuery


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


class PreparedInsert:
    """Calling this with a model's keyword arguments saves a new row as Model.save() would, its
    INSERT built once, and returns the saved instance. With `unique_fields` and `update_fields`
    it is bulk_create's upsert of one row instead: a row that conflicts on the unique fields gets
    the update fields' new values; it returns None, as which row it became is not read."""

    def __init__(
        self,
        model: type[Model],
        *,
        unique_fields: tuple[str, ...] = (),
        update_fields: tuple[str, ...] = (),
    ) -> None:
        if bool(unique_fields) != bool(update_fields):
            raise PreparedQueryError("an upsert names both its unique and its update fields")
        self._model = model
        self._unique_fields = unique_fields
        self._update_fields = update_fields
        self._compiled: tuple[str, tuple[Field, ...], str, bool] | None = None

    def __call__(self, **values: Any) -> Model | None:
        sql, fields, using, returns_pk = self._compiled or self._compile()
        instance = self._model(**values)
        connection = connections[using]
        params = [
            field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields
        ]
        # As Model.save(): an error inside an atomic block rolls that block back.
        with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
            cursor.execute(sql, params)
            if not returns_pk:
                return None
            instance.pk = cursor.fetchone()[0]
        instance._state.adding, instance._state.db = False, using
        return instance

    def _compile(self) -> tuple[str, tuple[Field, ...], str, bool]:
        meta = self._model._meta
        using = router.db_for_write(self._model)
        connection = connections[using]
        fields = tuple(field for field in meta.concrete_fields if field is not meta.auto_field)
        upsert = bool(self._update_fields)
        query = InsertQuery(
            self._model,
            on_conflict=OnConflict.UPDATE if upsert else None,
            update_fields=[meta.get_field(name) for name in self._update_fields],
            unique_fields=[meta.get_field(name) for name in self._unique_fields],
        )
        query.insert_values(fields, [self._model()])
        compiler = query.get_compiler(using)
        returns_pk = not upsert
        if returns_pk:
            if not connection.features.can_return_columns_from_insert:
                raise PreparedQueryError("the database cannot return an inserted row's key")
            compiler.returning_fields = [meta.pk]
        ((sql, params),) = compiler.as_sql()
        # Each call prepares its values as Model.save() would, but without pre_save() and with
        # a plain placeholder per value, which a field that sets its own value or needs SQL
        # around its parameter would not match.
        if len(params) != len(fields) or any(
            getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
            or hasattr(field, "get_placeholder")
            for field in fields
        ):
            raise PreparedQueryError(f"{meta.label}'s insert cannot be prepared")
        self._compiled = (sql, fields, using, returns_pk)
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
