"""Writes for imports: a previewed file's questions into a set, all or nothing, once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max

from quiz.classroom.imports.questions import DraftQuestion
from quiz.classroom.models import QuestionImport
from quiz.models import HandwrittenChoice, HandwrittenQuestion, QuestionSet

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class AlreadyImported(Exception):
    """This preview was confirmed before (a double click, a second tab): nothing new saved."""


def questions_import(
    *,
    question_set: QuestionSet,
    questions: Sequence[DraftQuestion],
    token: str,
    imported_by: AbstractBaseUser,
    file_name: str,
    file_format: str,
) -> QuestionImport:
    """Add the questions after the set's own, in one transaction; the token is used once."""
    try:
        with transaction.atomic():
            record = QuestionImport.objects.create(
                question_set=question_set,
                imported_by=imported_by,
                token=token,
                file_name=file_name[:255],
                file_format=file_format,
                question_count=len(questions),
            )
            start = (
                HandwrittenQuestion.objects.filter(question_set=question_set).aggregate(
                    last=Max("order")
                )["last"]
                or 0
            ) + 1
            created = HandwrittenQuestion.objects.bulk_create(
                HandwrittenQuestion(
                    question_set=question_set,
                    order=start + number,
                    prompt=draft.prompt,
                    explanation=draft.explanation,
                )
                for number, draft in enumerate(questions)
            )
            HandwrittenChoice.objects.bulk_create(
                HandwrittenChoice(
                    question=question, order=order, text=text, is_correct=order == draft.correct
                )
                for question, draft in zip(created, questions, strict=True)
                for order, text in enumerate(draft.choices)
            )
            QuestionSet.objects.filter(pk=question_set.pk).update(updated_at=record.created_at)
    except IntegrityError:
        if QuestionImport.objects.filter(token=token).exists():
            raise AlreadyImported from None
        raise
    return record
