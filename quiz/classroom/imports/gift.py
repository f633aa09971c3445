"""Moodle GIFT: multiple-choice and true/false questions read into plain records (pure Python).

Questions are separated by blank lines; ``//`` lines are comments and ``$CATEGORY:`` lines are
ignored. A question is ``::title::`` (optional), its text, and an answer block in braces:
``{=right ~wrong ~wrong}`` (``#feedback`` after a choice, ``####`` general feedback, ``%100%``
weights) or ``{T}``/``{TRUE}``/``{F}``/``{FALSE}``. Text after the block makes a missing-word
question ("The office was created in {=1922 ~1917} by Lenin."). ``\\`` escapes ``~=#{}:`` and
``\\n`` is a new line, as quiz.export writes them. Other kinds (short answer, matching,
numerical, essay, descriptions) are reported as not supported, with their line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

# Escaped characters become private-use placeholders while the structure is parsed.
_ESCAPES = {"\\\\": "\ue000", "\\~": "\ue001", "\\=": "\ue002", "\\#": "\ue003"}
_ESCAPES |= {"\\{": "\ue004", "\\}": "\ue005", "\\:": "\ue006", "\\n": "\ue007"}
_RESTORE = {placeholder: escape[1] for escape, placeholder in _ESCAPES.items()} | {"\ue007": "\n"}
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
TRUE_WORDS = {"t": True, "true": True, "f": False, "false": False}
TRUE_CHOICES = ("True", "False")
BLANK = "_____"


@dataclass
class GiftQuestion:
    """One question as the file gives it, or why it can't be imported."""

    line: int
    prompt: str = ""
    choices: list[str] = field(default_factory=list)
    correct: list[int] = field(default_factory=list)
    explanation: str = ""
    unsupported: str = ""


def _protect(text: str) -> str:
    for escape, placeholder in _ESCAPES.items():
        text = text.replace(escape, placeholder)
    return text


def _restore(text: str, *, is_html: bool = False) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    if is_html:
        text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    return " ".join(text.split()) if "\n" not in text else text.strip()


def _blocks(text: str) -> list[tuple[int, str]]:
    """Each question's lines joined, with the line it starts on."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("//") or stripped.startswith("$CATEGORY:"):
            continue
        if not stripped:
            # A blank line ends a question, unless its answer block is still open.
            if current and "{" in "".join(current) and "}" not in "".join(current).split("{")[-1]:
                continue
            if current:
                blocks.append((start, "\n".join(current)))
            current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def _answers(block: str, question: GiftQuestion, is_html: bool) -> None:
    if "####" in block:
        block, general = block.split("####", 1)
        question.explanation = _restore(general, is_html=is_html)
    stripped = block.strip()
    if not stripped:
        question.unsupported = "an essay question"
        return
    if stripped.startswith("#"):
        question.unsupported = "a numerical question"
        return
    word = stripped.partition("#")[0]
    if word.strip().casefold() in TRUE_WORDS:
        question.choices = list(TRUE_CHOICES)
        question.correct = [0 if TRUE_WORDS[word.strip().casefold()] else 1]
        return
    if "->" in stripped:
        question.unsupported = "a matching question"
        return
    parts = re.split(r"([=~])", stripped)
    if parts[0].strip():
        question.unsupported = "not a multiple-choice question (text before the first = or ~)"
        return
    marks = parts[1::2]
    if "~" not in marks:
        question.unsupported = "a short-answer question (it has no wrong choices marked ~)"
        return
    for mark, raw in zip(marks, parts[2::2], strict=True):
        text = raw.split("#", 1)[0].strip()
        weight = _WEIGHT.match(text)
        correct = mark == "="
        if weight:
            text = text[weight.end() :].strip()
            value = float(weight.group(1))
            if 0 < value < 100:
                question.unsupported = "a question with partial credit (a choice weighted %50%)"
                return
            correct = value >= 100
        if correct:
            question.correct.append(len(question.choices))
        question.choices.append(_restore(text, is_html=is_html))


def parse_gift(text: str) -> list[GiftQuestion]:
    """Every question of a GIFT file, in order."""
    questions = []
    for line, raw in _blocks(_protect(text)):
        question = GiftQuestion(line=line)
        questions.append(question)
        body = raw.strip()
        if body.startswith("::"):
            title_end = body.find("::", 2)
            body = body[title_end + 2 :].strip() if title_end != -1 else body
        is_html = False
        format_mark = _FORMAT.match(body)
        if format_mark:
            is_html = format_mark.group(1).lower() == "html"
            body = body[format_mark.end() :]
        if "{" not in body:
            question.unsupported = "a description with no answers (no { } block)"
            continue
        before, rest = body.split("{", 1)
        if "}" not in rest:
            question.unsupported = "an answer block that is never closed with }"
            continue
        answers, after = rest.split("}", 1)
        before_text = _restore(before, is_html=is_html)
        after_text = _restore(after, is_html=is_html)
        question.prompt = (
            f"{before_text} {BLANK} {after_text}".strip() if after_text else before_text
        )
        _answers(answers, question, is_html)
    return questions
