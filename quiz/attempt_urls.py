"""An attempt's page URLs, from patterns reversed once per process.

reverse() walks the URL resolver each time; the question page and the answer submit needed it
four times a request, about a sixth of their CPU. A pattern is reversed once with stand-in
numbers (per script prefix, as a deployment under a sub-path has one) and the real numbers put
in its place.
"""

from __future__ import annotations

from functools import cache

from django.urls import get_script_prefix, reverse

_PK, _NUMBER = 9_100_000_001, 9_100_000_002


def attempt_url(name: str, pk: int, number: int | None = None) -> str:
    """reverse(name, kwargs={"pk": pk, "number": number}) for the attempt URL names."""
    path = _pattern(name, number is not None, get_script_prefix())
    if number is not None:
        path = path.replace(str(_NUMBER), str(int(number)), 1)
    return path.replace(str(_PK), str(int(pk)), 1)


@cache
def _pattern(name: str, with_number: bool, script_prefix: str) -> str:
    kwargs = {"pk": _PK, "number": _NUMBER} if with_number else {"pk": _PK}
    return reverse(name, kwargs=kwargs)
