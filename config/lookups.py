"""An `in` lookup on integer columns that, like Django's own `exact`, `lt` and `gt`, lets a value
no column can hold match nothing, instead of raising OverflowError on SQLite (a form's
`scope_titles=10**30`, an admin selection of 2**63)."""

from __future__ import annotations

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """`in` without the values outside the column's range (none of them can be stored)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    """Make IntegerFieldIn the `in` of every integer field, ids included."""
    IntegerField.register_lookup(IntegerFieldIn)
