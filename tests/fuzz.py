"""What the fuzz test sends: every URL pattern the resolver knows, filled with valid and hostile
values, and every form the pages show, posted back with hostile fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.urls import URLPattern, URLResolver, get_resolver

HUGE = str(2**63)  # one above the largest 64-bit signed integer
HOSTILE = (
    "\x00",
    "AB\x00CD",
    HUGE,
    str(10**30),
    "-1",
    "0",
    "abc",
    "1.5",
    "1e308",
    "NaN",
    "' OR 1=1 --",
    "%",
    "é\u202eΩ🙂",
    "a" * 300,
    "2026-02-31",
    "99999-01-01",
    "[]",
    '{"a": [1, {"b": null}]}',
    "",
)
# The parts of a route that take a value, in path() and in re_path() patterns.
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
REGEX_PARAMETER = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    """One URL pattern as a template: `attempts/{pk}/result/`, and its parameters' names."""

    template: str
    parameters: tuple[str, ...]
    name: str

    def fill(self, values: dict[str, str]) -> str:
        return "/" + self.template.format(**values)


def routes() -> list[Route]:
    """Every URL pattern of the project, includes and the admin's included."""
    found: list[Route] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, text)
            elif isinstance(pattern, URLPattern):
                found.append(_route(text, pattern.name or pattern.lookup_str))

    walk(get_resolver().url_patterns, "")
    return found


def _route(text: str, name: str) -> Route:
    parameters: list[str] = []

    def placeholder(match: re.Match) -> str:
        parameters.append(match["name"])
        return "{" + match["name"] + "}"

    text = text.replace("{", "{{").replace("}", "}}")
    text = ROUTE_PARAMETER.sub(placeholder, text)
    text = REGEX_PARAMETER.sub(placeholder, text).replace("^", "").replace("$", "")
    return Route(template=text, parameters=tuple(parameters), name=name)


@dataclass
class Form:
    """A form on a page: where it posts, how, and its fields with their values as shown."""

    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    multipart: bool = False


class FormParser(HTMLParser):
    """The forms of an HTML page (inputs, selects and text areas; the first option's value)."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(
                Form(
                    action=attributes.get("action") or self.page_url,
                    method=(attributes.get("method") or "get").lower(),
                    multipart="multipart" in attributes.get("enctype", ""),
                )
            )
        elif not self.forms or not attributes.get("name"):
            return
        elif tag in ("input", "textarea", "button"):
            name = attributes["name"]
            if attributes.get("type") in ("checkbox", "radio") and "checked" not in attributes:
                self.forms[-1].fields.setdefault(name, [])
            else:
                self.forms[-1].fields.setdefault(name, []).append(attributes.get("value", ""))
        elif tag == "select":
            self._select = attributes["name"]
            self.forms[-1].fields.setdefault(self._select, [])
        elif tag == "option" and self._select and not self.forms[-1].fields[self._select]:
            self.forms[-1].fields[self._select].append(attributes.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def forms_of(html: str, page_url: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    return parser.forms
