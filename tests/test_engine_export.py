"""The engine's "done when": 30 seeds x 3 difficulties x 200 exported questions, every one right
by the independent oracle, and no prompt naming "General Secretary" where it does not apply."""

from __future__ import annotations

import datetime as dt
import random
import re

from quiz.engine import Difficulty, generate_questions
from tests.test_engine import Oracle, seed_facts


def general_secretary_covers(oracle: Oracle, question) -> bool:
    """Whether every term the prompt is about was held under a title called General Secretary."""
    about = question.about
    gs = {t for t in oracle.titles if oracle.short[t] == "General Secretary"}
    if question.kind in ("holder_in_year", "title_in_year"):
        return all(t.title.name in gs for t in oracle.in_force(question))
    if question.kind in ("successor", "predecessor"):
        left = dt.date.fromisoformat(about["left_office"])
        took = dt.date.fromisoformat(about["took_office"])
        ending = [t for t in oracle.terms if t.end == left]
        starting = [t for t in oracle.terms if t.start == took]
        return all(t.title.name in gs for t in ending + starting)
    if question.kind == "start_year":
        return about["office"] in gs
    return "office" in about and about["office"] in gs


def test_thirty_seeds_three_difficulties_two_hundred_questions_each():
    facts = seed_facts()
    oracle = Oracle(facts)
    checked = 0
    for seed in range(30):
        for level in Difficulty:
            questions = generate_questions(
                facts, rng=random.Random(seed), count=200, difficulty=level, repeat_facts=True
            )
            for question in questions:
                oracle.check(question)
                if re.search(r"\bGeneral Secretary\b(?! of)", question.prompt):
                    assert general_secretary_covers(oracle, question), question.prompt
                checked += 1
    assert checked == 18_000
