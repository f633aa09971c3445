"""The loader's one error, and how its messages show the values they quote."""

from __future__ import annotations

from pathlib import Path

SHOWN_LENGTH = 60


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


def shown(value: object) -> str:
    """A value as a message quotes it: on one line, and short."""
    text = repr(" ".join(value.split()) if isinstance(value, str) else value)
    return text if len(text) <= SHOWN_LENGTH else f"{text[: SHOWN_LENGTH - 1]}…"


def kind(value: object) -> str:
    """What a JSON value is, in words ("a number (1917)", "a list"), never its whole text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"a number ({shown(value)})"
    if isinstance(value, str):
        return f"text ({shown(value)})"
    return "a list" if isinstance(value, list) else "an object"
