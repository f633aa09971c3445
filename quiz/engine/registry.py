"""The one list of kinds: every other list (KINDS, labels, form choices) derives from it.

Adding a kind means writing its module in kinds/ and naming it here, nothing else.
"""

from __future__ import annotations

from quiz.engine.kind import Kind
from quiz.engine.kinds import (
    acting,
    died_in_office,
    first_holder,
    holder_in_year,
    longest_tenure,
    predecessor,
    start_year,
    successor,
    tenure_band,
    title_in_year,
    title_of_person,
    typed_successor,
    which_first,
)

# In the order forms list them and sets generate them.
REGISTRY: dict[str, Kind] = {
    module.KIND.name: module.KIND
    for module in (
        successor,
        predecessor,
        holder_in_year,
        title_in_year,
        start_year,
        died_in_office,
        longest_tenure,
        title_of_person,
        first_holder,
        acting,
        which_first,
        tenure_band,
        typed_successor,
    )
}
KINDS: tuple[str, ...] = tuple(REGISTRY)
KIND_LABELS: dict[str, str] = {name: kind.label for name, kind in REGISTRY.items()}


def kind_choices() -> list[tuple[str, str]]:
    """(name, label) for every kind, for form and model field choices."""
    return list(KIND_LABELS.items())
