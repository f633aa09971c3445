"""The second phase of a load: the checked rows written in bulk, in one short transaction.

Everything that takes time is done before the transaction begins: each new row's values are
converted for the database, and its INSERT statements are written. Inside it, the statements
run, each returning the new rows' ids, which fill in the references of the rows written after.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, connection, models, transaction

from history.loading.checks import CheckedRecord
from history.loading.errors import FixtureError

# What a record refers to is written before it.
WRITE_ORDER = (
    "history.position",
    "history.person",
    "history.title",
    "history.positionfact",
    "history.association",
    "history.term",
)
# Rows per statement, at most (SQLite allows fewer: 999 values in all).
INSERT_BATCH = 1000
UNNEST_BATCH = 10_000
UPDATE_BATCH = 500


@dataclass
class _Batch:
    """One INSERT statement for new rows, its values row by row, and where new rows' ids go."""

    sql: str
    rows: list[models.Model]
    by_column: bool  # the parameters are one array per column, not one value per cell
    values: list[list] = field(default_factory=list)
    # (row, column) of values that refer to a row new itself: its id is known once it is written.
    pending: list[tuple[int, int, models.Model]] = field(default_factory=list)

    def parameters(self) -> list:
        for row, column, new_row in self.pending:
            self.values[row][column] = new_row.pk
        if self.by_column:
            return [list(column) for column in zip(*self.values, strict=True)]
        return [value for row in self.values for value in row]


@dataclass
class _Inserts:
    """One model's new rows, as INSERT statements ready to run."""

    instances: list[models.Model]
    batches: list[_Batch]


def write_checked(checked: list[CheckedRecord], path: Path) -> None:
    """Create and update the checked rows in one transaction; FixtureError if the database refuses."""
    by_model: dict[tuple[str, str], list[models.Model]] = defaultdict(list)
    for record in checked:
        by_model[record.instance._meta.label_lower, record.outcome].append(record.instance)
    inserts = [_prepare(by_model[label, "created"]) for label in WRITE_ORDER]
    changes = [by_model[label, "changed"] for label in WRITE_ORDER]
    try:
        with transaction.atomic():
            for new, changed in zip(inserts, changes, strict=True):
                _insert(new)
                if changed:
                    fields = [f.name for f in changed[0]._meta.concrete_fields if not f.primary_key]
                    manager = type(changed[0])._default_manager
                    manager.bulk_update(changed, fields, batch_size=UPDATE_BATCH)
    except IntegrityError as error:
        # Another writer changed the same rows between the check and the write.
        raise FixtureError(
            path,
            "was checked, but the database refused it, so nothing was loaded: another change "
            f"came in meanwhile ({' '.join(str(error).split())}). Load it again.",
        ) from None


def _prepare(instances: list[models.Model]) -> _Inserts:
    """The INSERT statements for new rows, with their values converted for the database."""
    if not instances:
        return _Inserts(instances, [])
    meta = instances[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    by_column = connection.vendor == "postgresql"
    if by_column:
        # One array per column, as Django's bulk_create does there: a short statement to parse.
        types = ", ".join(f"%s::{f.db_type(connection).split('(')[0]}[]" for f in fields)
        size = UNNEST_BATCH
    else:
        row_sql = f"({', '.join(['%s'] * len(fields))})"
        size = min(INSERT_BATCH, connection.ops.bulk_batch_size(fields, instances))
    batches = []
    for start in range(0, len(instances), size):
        rows = instances[start : start + size]
        if by_column:
            values = f"SELECT * FROM UNNEST({types})"
        else:
            values = f"VALUES {', '.join([row_sql] * len(rows))}"
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) {values} "
            f"RETURNING {quote(meta.pk.column)}"
        )
        batch = _Batch(sql, rows, by_column)
        for number, row in enumerate(rows):
            for column, one in enumerate(fields):
                related = one.get_cached_value(row, None) if one.is_relation else None
                if related is not None and related.pk is None:
                    batch.pending.append((number, column, related))
            batch.values.append(
                [one.get_db_prep_save(one.pre_save(row, True), connection) for one in fields]
            )
        batches.append(batch)
    return _Inserts(instances, batches)


def _insert(inserts: _Inserts) -> None:
    if not connection.features.can_return_rows_from_bulk_insert:
        for instance in inserts.instances:  # an old SQLite, without RETURNING
            instance.save(force_insert=True)
        return
    alias = connection.alias
    with connection.cursor() as cursor:
        for batch in inserts.batches:
            cursor.execute(batch.sql, batch.parameters())
            # The ids come back in the order of the rows, as Django's bulk_create relies on too.
            for instance, (pk,) in zip(batch.rows, cursor.fetchall(), strict=True):
                instance.pk = pk
                instance._state.adding, instance._state.db = False, alias
