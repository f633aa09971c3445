"""Validate and load history fixtures: a bad file is refused whole, with a message that names it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import (
    FieldDoesNotExist,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)
from django.db import models, transaction

HISTORY_MODELS = {
    "history.position",
    "history.positionfact",
    "history.title",
    "history.person",
    "history.term",
    "history.association",
}


class FixtureError(Exception):
    """A fixture record that cannot be loaded, with where it is and what is wrong."""

    def __init__(self, path: Path, message: str, index: int | None = None, field: str = "") -> None:
        self.path, self.index, self.field, self.message = path, index, field, message
        where = str(path)
        if index is not None:
            where += f", record {index + 1}"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class LoadReport:
    """How many records each file held, and how many rows loading created or changed."""

    records: int
    created: int
    changed: int


def history_load(*, paths: list[Path]) -> LoadReport:
    """Load the fixture files in one transaction; raise FixtureError and write nothing if any is bad."""
    return history_load_documents(documents=[(path, _read(path)) for path in paths])


def history_load_documents(
    *, documents: list[tuple[Path, list[dict]]], dry_run: bool = False
) -> LoadReport:
    """Load parsed documents (see history_parse) in one transaction, validated record by record.

    With dry_run, every record is validated and written exactly as a real load does, then the
    transaction is rolled back: a check that the documents would load, which writes nothing.
    """
    records = created = changed = 0
    seen: dict[tuple, tuple[Path, int]] = {}
    with transaction.atomic():
        for path, document in documents:
            for index, record in enumerate(document):
                outcome = _load_record(path, index, record, seen)
                records += 1
                created += outcome == "created"
                changed += outcome == "changed"
        if dry_run:
            transaction.set_rollback(True)
    return LoadReport(records=records, created=created, changed=changed)


def _read(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise FixtureError(path, f"cannot be read ({error.strerror or error}).") from None
    except UnicodeDecodeError:
        raise FixtureError(path, "is not UTF-8 text.") from None
    return history_parse(path=path, text=text)


def history_parse(*, path: Path, text: str) -> list[dict]:
    """A fixture document from its JSON text, checked for shape; raises FixtureError."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise FixtureError(
            path, f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    if not isinstance(document, list):
        raise FixtureError(path, "must hold a JSON list of records.")
    for index, record in enumerate(document):
        if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
            raise FixtureError(path, "must be an object with 'model' and 'fields'.", index)
        if record.get("model") not in HISTORY_MODELS:
            raise FixtureError(
                path,
                f"unknown model {record.get('model')!r}; expected one of "
                f"{', '.join(sorted(HISTORY_MODELS))}.",
                index,
            )
    return document


def _load_record(path: Path, index: int, record: dict, seen: dict[tuple, tuple[Path, int]]) -> str:
    model = apps.get_model(record["model"])
    label = model._meta.verbose_name
    for name, value in record["fields"].items():
        _check_field(path, index, model, name, value)
    for field in model._meta.concrete_fields:
        required = not (field.primary_key or field.blank or field.has_default() or field.null)
        if required and field.editable and field.name not in record["fields"]:
            raise FixtureError(path, f"{label} is missing this required field.", index, field.name)
    try:
        (deserialized,) = serializers.deserialize("json", json.dumps([record]))
    except serializers.base.DeserializationError as error:
        raise FixtureError(path, f"{label} cannot be read: {error}", index) from None
    instance = deserialized.object
    if hasattr(instance, "natural_key"):
        # A second record with the same natural key would silently overwrite the first.
        key = (record["model"], *instance.natural_key())
        if key in seen:
            first_path, first_index = seen[key]
            where = f"record {first_index + 1}" + (
                "" if first_path == path else f" of {first_path}"
            )
            raise FixtureError(path, f"{label} {instance} is already recorded ({where}).", index)
        seen[key] = (path, index)
    existing = model._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    # A record found by its natural key updates that row, so uniqueness checks must skip it.
    instance._state.adding = existing is None
    try:
        instance.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        field = "" if field == "__all__" else field
        raise FixtureError(
            path, f"{label} {instance}: {' '.join(messages)}", index, field
        ) from None
    if existing is not None and _same(existing, instance):
        return "unchanged"
    deserialized.save()
    return "created" if existing is None else "changed"


def _check_field(path: Path, index: int, model: type[models.Model], name: str, value) -> None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        raise FixtureError(
            path, f"{model._meta.verbose_name} has no such field.", index, name
        ) from None
    if field.is_relation:
        if value is None:
            return
        related = field.related_model
        key = value if isinstance(value, list) else None
        try:
            if key is not None:
                related._default_manager.get_by_natural_key(*key)
            else:
                related._default_manager.get(pk=value)
        except MultipleObjectsReturned:
            raise FixtureError(
                path,
                f"{related._meta.verbose_name} '{' / '.join(map(str, key))}' is ambiguous; name it "
                "with its position's slug first.",
                index,
                name,
            ) from None
        except (ObjectDoesNotExist, TypeError, ValueError, ValidationError):
            shown = " / ".join(map(str, key)) if key is not None else value
            raise FixtureError(
                path,
                f"unknown {related._meta.verbose_name} '{shown}' (it must be defined earlier).",
                index,
                name,
            ) from None
        return
    try:
        field.to_python(value)
    except ValidationError as error:
        raise FixtureError(
            path, f"{' '.join(error.messages)} (got {value!r})", index, name
        ) from None


def _same(existing: models.Model, incoming: models.Model) -> bool:
    return all(
        getattr(existing, field.attname) == getattr(incoming, field.attname)
        for field in existing._meta.concrete_fields
    )
