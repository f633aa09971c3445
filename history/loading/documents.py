"""Fixture documents from files or text: size, JSON syntax, nesting depth and record shape."""

from __future__ import annotations

import json
import re
from pathlib import Path

from history.loading.errors import FixtureError

HISTORY_MODELS = {
    "history.position",
    "history.positionfact",
    "history.title",
    "history.person",
    "history.term",
    "history.association",
}
# A fixture file's largest size: the JSON of 100,000 typical records is about 16 MB, and its
# parsed objects take some ten times that in memory. A bigger load is split into several files.
MAX_FIXTURE_BYTES = 20 * 1024 * 1024
# The deepest nesting of lists and objects a document may have: a record needs four (the list of
# records, a record, its fields, a natural key); far deeper ones exhaust Python's stack.
MAX_NESTING = 20
# A JSON string or a bracket, colon or comma: enough to follow nesting without parsing.
JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[][{}:]')


def read_document(path: Path) -> list[dict]:
    """The fixture document in the file, checked for shape; raises FixtureError."""
    try:
        size = path.stat().st_size
        _refuse_if_too_big(path, size)
        with path.open("rb") as file:
            data = file.read(MAX_FIXTURE_BYTES + 1)
    except OSError as error:
        raise FixtureError(path, f"cannot be read ({error.strerror or error}).") from None
    _refuse_if_too_big(path, len(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FixtureError(path, "is not UTF-8 text.") from None
    return history_parse(path=path, text=text)


def history_parse(*, path: Path, text: str) -> list[dict]:
    """A fixture document from its JSON text, checked for shape; raises FixtureError."""
    _refuse_if_too_big(path, len(text))
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise FixtureError(
            path, f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    except RecursionError:
        raise _too_deep(path, *_deep_place_in_text(text)) from None
    except ValueError as error:  # a number of more digits than Python converts
        raise FixtureError(path, f"is not valid JSON ({error}).") from None
    if not isinstance(document, list):
        raise FixtureError(path, "must hold a JSON list of records.")
    if (place := _deep_place(document)) is not None:
        raise _too_deep(path, *place)
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
        if "pk" in record:
            raise FixtureError(
                path, "names a database id ('pk'); records are matched by natural key.", index
            )
    return document


def _refuse_if_too_big(path: Path, size: int) -> None:
    if size > MAX_FIXTURE_BYTES:
        raise FixtureError(
            path,
            f"is {_size(size)}; a fixture file may be at most {_size(MAX_FIXTURE_BYTES)}. "
            "Split it into several files.",
        )


def _size(count: int) -> str:
    return f"{count / 2**20:.1f} MB" if count >= 2**20 else f"{count:,} bytes"


def _too_deep(path: Path, index: int | None, field: str) -> FixtureError:
    return FixtureError(
        path, f"nests lists or objects more than {MAX_NESTING} levels deep.", index, field
    )


def _deep_place(document: list) -> tuple[int | None, str] | None:
    """Where (record index, field) the parsed document nests deeper than MAX_NESTING, if it does."""
    # Iterative, so that a deep document cannot exhaust the stack that checks it.
    stack: list[tuple[object, int, int | None, str]] = [(document, 1, None, "")]
    while stack:
        value, depth, index, field = stack.pop()
        if depth > MAX_NESTING:
            return index, field
        children = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in children:
            if isinstance(child, list | dict):
                if depth == 1:
                    stack.append((child, 2, key, ""))
                else:
                    in_fields = depth == 3 and field == "fields"
                    named = key if (depth == 2 and key == "fields") or in_fields else field
                    stack.append((child, depth + 1, index, named))
    return None


def _deep_place_in_text(text: str) -> tuple[int | None, str]:
    """Where (record index, field) JSON too deep to parse first nests deeper than MAX_NESTING."""
    depth, index, last_string = 0, -1, ""
    keys: dict[int, str] = {}  # the current key of the object at each depth
    for match in JSON_TOKEN.finditer(text):
        token = match.group()
        if token.startswith('"'):
            last_string = token
        elif token == ":":
            keys[depth] = last_string
        elif token in "[{":
            depth += 1
            index += depth == 2
            if depth > MAX_NESTING:
                field = json.loads(keys[3]) if keys.get(2) == '"fields"' and 3 in keys else ""
                return (index if index >= 0 else None), field
        else:
            keys.pop(depth, None)
            depth -= 1
    return None, ""
