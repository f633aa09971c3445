"""Import pages: upload, a preview of what will be created with every problem, then confirm.

The preview keeps what it showed in the session under a one-time token; confirming saves
exactly that (checked again) or nothing. Nothing is written before the teacher confirms.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quiz.classroom.access import teacher_required
from quiz.classroom.forms import QuestionImportForm
from quiz.classroom.imports import files
from quiz.classroom.imports.questions import (
    FORMAT_LABELS,
    QuestionFormat,
    check_drafts,
    read_question_file,
)
from quiz.classroom.imports.saving import AlreadyImported, questions_import
from quiz.models import QuestionSet

# Room for the form's other fields around a file of files.MAX_BYTES.
MAX_REQUEST_BYTES = files.MAX_BYTES + 64_000
PREVIEW_GONE = (
    "That preview is no longer open (it was imported already, or replaced by a newer upload). "
    "Upload the file again to see it."
)


def too_big(request: HttpRequest) -> bool:
    """Whether the request is over the import limit, by the length it declares."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES
    except ValueError:
        return True


def _own_set(request: HttpRequest, pk: int) -> QuestionSet:
    question_set = (
        QuestionSet.objects.editable_by(request.user).with_question_counts().filter(pk=pk).first()
    )
    if question_set is None:
        raise Http404("No such question set among yours.")
    return question_set


def _session_key(question_set: QuestionSet) -> str:
    return f"classroom-question-import:{question_set.pk}"


def _existing_prompts(question_set: QuestionSet) -> list[str]:
    return list(question_set.handwritten_questions.values_list("prompt", flat=True))


@teacher_required
@require_http_methods(["GET", "POST"])
def question_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload questions for a set; a POST shows the preview and every problem, saving nothing."""
    question_set = _own_set(request, pk)
    context = {"question_set": question_set, "format_labels": FORMAT_LABELS}
    if request.method == "POST" and too_big(request):
        refusal = files.ImportRefused(
            files.RefusalCode.TOO_BIG,
            f"The upload is over {files.MAX_BYTES // 1000:,} KB; split the file into smaller ones.",
        )
        context |= {"form": QuestionImportForm(), "refusal": refusal}
        return render(request, "classroom/question_import.html", context, status=413)
    form = QuestionImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    context["form"] = form
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "classroom/question_import.html", context, status=400 if form.errors else 200
        )
    data, file_name = form.content()
    file_format = QuestionFormat(form.cleaned_data["file_format"])
    try:
        result = read_question_file(
            data=data,
            file_name=file_name,
            file_format=file_format,
            existing_prompts=_existing_prompts(question_set),
        )
    except files.ImportRefused as refusal:
        context["refusal"] = refusal
        return render(request, "classroom/question_import.html", context, status=400)
    context |= {"result": result, "file_name": file_name}
    if result.is_valid:
        token = secrets.token_urlsafe(24)
        request.session[_session_key(question_set)] = {
            "token": token,
            "file_name": file_name,
            "file_format": file_format.value,
            "questions": [question.as_record() for question in result.questions],
        }
        context["token"] = token
    else:
        request.session.pop(_session_key(question_set), None)
    return render(
        request, "classroom/question_import.html", context, status=200 if result.is_valid else 400
    )


@teacher_required
@require_POST
def question_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the previewed questions, all of them or none."""
    from quiz.classroom.imports.questions import DraftQuestion

    question_set = _own_set(request, pk)
    import_url = reverse("question-import", args=[question_set.pk])
    preview = request.session.get(_session_key(question_set))
    if not preview or preview.get("token") != request.POST.get("token"):
        messages.error(request, PREVIEW_GONE)
        return redirect(import_url)
    file_format = QuestionFormat(preview["file_format"])
    checked = check_drafts(
        [DraftQuestion.from_record(record) for record in preview["questions"]],
        file_format=file_format,
        existing_prompts=_existing_prompts(question_set),
    )
    if not checked.is_valid:
        request.session.pop(_session_key(question_set), None)
        messages.error(
            request,
            "The set changed since the preview (some questions are already in it); nothing was "
            "imported. Upload the file again to see why.",
        )
        return redirect(import_url)
    try:
        record = questions_import(
            question_set=question_set,
            questions=checked.questions,
            token=preview["token"],
            imported_by=request.user,
            file_name=preview["file_name"],
            file_format=file_format.value,
        )
    except AlreadyImported:
        messages.info(request, "Those questions were imported already.")
    else:
        count = record.question_count
        messages.success(
            request,
            f"Imported {count} question{'s' if count != 1 else ''} into “{question_set.title}”.",
        )
    request.session.pop(_session_key(question_set), None)
    return redirect("admin:quiz_questionset_change", question_set.pk)


# ----------------------------------------------------------------------------------------------
# Topics

TOPIC_SESSION_KEY = "classroom-topic-import"


@teacher_required
@require_http_methods(["GET", "POST"])
def topic_import(request: HttpRequest) -> HttpResponse:
    """Upload a new position; a POST shows its terms and timeline, or every problem."""
    from quiz.classroom.forms import TopicImportForm
    from quiz.classroom.imports.topics import read_topic_file, topic_preview

    context: dict = {}
    if request.method == "POST" and too_big(request):
        context |= {
            "form": TopicImportForm(),
            "refusal": files.ImportRefused(
                files.RefusalCode.TOO_BIG,
                f"The upload is over {files.MAX_BYTES // 1000:,} KB; split the topic into parts.",
            ),
        }
        return render(request, "classroom/topic_import.html", context, status=413)
    posted = request.method == "POST"
    form = TopicImportForm(request.POST if posted else None, request.FILES if posted else None)
    context["form"] = form
    if not posted or not form.is_valid():
        return render(
            request, "classroom/topic_import.html", context, status=400 if posted else 200
        )
    data, file_name = form.content()
    try:
        result = read_topic_file(
            data=data, file_name=file_name, details=form.details(), owner=request.user
        )
    except files.ImportRefused as refusal:
        context["refusal"] = refusal
        return render(request, "classroom/topic_import.html", context, status=400)
    context |= {"result": result, "file_name": file_name}
    if not result.is_valid:
        request.session.pop(TOPIC_SESSION_KEY, None)
        return render(request, "classroom/topic_import.html", context, status=400)
    token = secrets.token_urlsafe(24)
    request.session[TOPIC_SESSION_KEY] = {
        "token": token,
        "file_name": file_name,
        "records": result.records,
    }
    preview = topic_preview(result.records, today=timezone.localdate())
    context |= {
        "token": token,
        "preview": preview,
        "position": preview.position,
        "terms": preview.terms,
        "timeline": preview.timeline,
    }
    return render(request, "classroom/topic_import.html", context)


@teacher_required
@require_POST
def topic_import_confirm(request: HttpRequest) -> HttpResponse:
    """Save the previewed topic as the teacher's own, unpublished position."""
    from history.loading import FixtureError
    from history.models import Position
    from quiz.classroom.imports.topics import topic_save

    preview = request.session.get(TOPIC_SESSION_KEY)
    if not preview or preview.get("token") != request.POST.get("token"):
        messages.error(request, PREVIEW_GONE)
        return redirect("topic-import")
    slug = preview["records"][0]["fields"]["slug"]
    existing = Position.objects.filter(slug=slug).first()
    if existing is not None:
        request.session.pop(TOPIC_SESSION_KEY, None)
        if existing.owner_id == request.user.pk:
            messages.info(request, "That topic was imported already.")
            return redirect(existing)
        messages.error(request, "Another topic took that name a moment ago. Upload it again.")
        return redirect("topic-import")
    try:
        position = topic_save(records=preview["records"], file_name=preview["file_name"])
    except (FixtureError, IntegrityError):
        messages.error(
            request,
            "The history data changed since the preview, so nothing was imported. Upload the "
            "file again to see why.",
        )
        return redirect("topic-import")
    finally:
        request.session.pop(TOPIC_SESSION_KEY, None)
    messages.success(
        request,
        f"Imported “{position.name}”. It is yours and not published: use it in your question "
        "sets and quick quizzes; an administrator can publish it for everyone.",
    )
    return redirect(position)


@teacher_required
@require_safe
def topic_csv_export(request: HttpRequest, slug: str) -> HttpResponse:
    """A position's terms in the topic import's CSV columns."""
    from history.models import Position
    from quiz.classroom.imports.topics import topic_csv

    position = (
        Position.objects.visible_to(request.user)
        .prefetch_related("titles__terms__person")
        .with_slug(slug)
        .first()
    )
    if position is None:
        raise Http404("No such position.")
    response = HttpResponse(topic_csv(position), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{position.slug}.csv"'
    return response
