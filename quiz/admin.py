import random

from axes import admin as axes_admin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from config.admin_site import GuardedAdminMixin, GuardedInlineMixin
from history.models import Position, Title
from quiz import services
from quiz.admin_forms import (
    NO_QUESTIONS_IN_SET,
    HandwrittenQuestionForm,
    HandwrittenQuestionFormSet,
    QuestionSetForm,
    QuestionSetKindFormSet,
)
from quiz.engine import KINDS, EngineError
from quiz.export import FORMATS
from quiz.forms import display_name_clean
from quiz.identity import name_key
from quiz.models import (
    KIND_LABELS,
    MAX_HANDWRITTEN_QUESTIONS,
    Answer,
    Attempt,
    AttemptQuestion,
    HandwrittenQuestion,
    Profile,
    QuestionSet,
    QuestionSetKind,
)
from quiz.results import class_results, questions_csv, students_csv
from quiz.views import format_duration


class ProfileForm(forms.ModelForm):
    """A display name checked as at signup (alphabets, hidden characters, taken in any case)."""

    class Meta:
        model = Profile
        fields = ["user", "display_name"]

    def clean_display_name(self) -> str:
        profile = self.instance if self.instance.pk else None
        display_name = display_name_clean(self.cleaned_data["display_name"], profile=profile)
        # Not a form field, so the form never copies it: the key goes with the name here.
        self.instance.display_name_key = name_key(display_name)
        return display_name


@admin.register(Profile)
class ProfileAdmin(GuardedAdminMixin, admin.ModelAdmin):
    form = ProfileForm
    list_display = ["display_name", "user"]
    search_fields = ["display_name", "user__username"]


class AttemptQuestionInline(GuardedInlineMixin, admin.TabularInline):
    model = AttemptQuestion
    fields = ["order", "kind", "prompt", "correct_choice"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Attempt)
class AttemptAdmin(GuardedAdminMixin, admin.ModelAdmin):
    """Attempts are records of what happened: viewable and deletable, not editable."""

    list_display = ["title", "user", "score", "answered_count", "question_count", "started_at"]
    list_filter = ["difficulty", "finished_at"]
    search_fields = ["user__username", "title"]
    list_select_related = ["user"]
    inlines = [AttemptQuestionInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def delete_model(self, request, obj) -> None:
        services.attempts_delete(attempts=Attempt.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        services.attempts_delete(attempts=queryset)


@admin.register(AttemptQuestion)
class AttemptQuestionAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["prompt", "kind", "attempt"]
    list_select_related = ["attempt"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Answer)
class AnswerAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["question", "is_correct", "in_time", "points", "answered_at"]
    list_select_related = ["question"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


# ----------------------------------------------------------------------------------------------
# Question sets: a teacher's own sets, with their class results, previews and exports.

PREVIEW_SEED = 0


class QuestionSetKindInline(GuardedInlineMixin, admin.TabularInline):
    model = QuestionSetKind
    formset = QuestionSetKindFormSet
    fields = ["kind", "count"]
    extra = 1
    max_num = len(KINDS)
    too_many_message = "There are %(num)d kinds of question; list each once at most."


class HandwrittenQuestionInline(GuardedInlineMixin, admin.StackedInline):
    model = HandwrittenQuestion
    form = HandwrittenQuestionForm
    formset = HandwrittenQuestionFormSet
    extra = 1
    max_num = MAX_HANDWRITTEN_QUESTIONS
    too_many_message = (
        "A set can have at most %(num)d hand-written questions; nothing was saved. Split them "
        "into two sets."
    )
    fieldsets = [
        (None, {"fields": ["prompt", ("choice_1", "correct_1"), ("choice_2", "correct_2")]}),
        (None, {"fields": [("choice_3", "correct_3"), ("choice_4", "correct_4")]}),
        (None, {"fields": ["explanation", "order"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[HandwrittenQuestion]:
        return super().get_queryset(request).prefetch_related("choices")


@admin.register(QuestionSet)
class QuestionSetAdmin(GuardedAdminMixin, admin.ModelAdmin):
    """A teacher sees and edits only their own sets; a superuser sees every set."""

    form = QuestionSetForm
    inlines = [QuestionSetKindInline, HandwrittenQuestionInline]
    list_display = [
        "title",
        "position_short",
        "difficulty",
        "question_total",
        "is_published",
        "share_code_link",
        "results_link",
        "updated",
    ]
    list_filter = [
        "is_published",
        "difficulty",
        ("position", admin.RelatedOnlyFieldListFilter),
        "order",
        "reveal",
    ]
    list_select_related = ["position", "owner"]
    search_fields = ["title", "description", "share_code"]
    actions = ["preview_sets", "duplicate_sets", "export_json", "export_gift", "export_csv"]
    change_form_template = "admin/quiz/questionset/change_form.html"

    # -- who sees what ---------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuestionSet]:
        return super().get_queryset(request).editable_by(request.user).with_question_counts()

    def _owns(self, request: HttpRequest, obj: QuestionSet | None) -> bool:
        return obj is None or obj.is_previewable_by(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

    def get_list_display(self, request: HttpRequest) -> list[str]:
        if request.user.is_superuser:
            return [*self.list_display[:2], "owner", *self.list_display[2:]]
        return self.list_display

    def get_list_filter(self, request: HttpRequest) -> list[str]:
        return [*self.list_filter, "owner"] if request.user.is_superuser else self.list_filter

    def get_fieldsets(self, request: HttpRequest, obj=None):
        main = ["title", "description", "position", "difficulty"]
        if request.user.is_superuser:
            main.append("owner")
        return [
            (None, {"fields": main}),
            (
                "Scope of the generated questions",
                {"fields": ["scope_titles", ("scope_start", "scope_end")]},
            ),
            (
                "Taking the set",
                {
                    "fields": [
                        "order",
                        "time_limit_minutes",
                        "attempts_allowed",
                        "reveal",
                        "is_published",
                    ]
                },
            ),
            ("Sharing", {"fields": ["share_code_link"]}),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return ["share_code_link"]

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        # Published positions and the teacher's own topics, never another teacher's private one.
        if db_field.name == "position":
            kwargs["queryset"] = Position.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "scope_titles":
            kwargs["queryset"] = Title.objects.filter(
                position__in=Position.objects.visible_to(request.user)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = {"owner": request.user.pk}
        position = Position.objects.published().order_by("pk").first()
        if position is not None:
            initial["position"] = position.pk
        return {**initial, **super().get_changeform_initial_data(request)}

    def response_add(self, request: HttpRequest, obj: QuestionSet, post_url_continue=None):
        if not (obj.kinds.exists() or obj.handwritten_questions.exists()):
            self.message_user(
                request,
                format_html(
                    '“{}” has no questions yet: <a href="{}">import them from a file</a> '
                    "(a spreadsheet, Moodle GIFT or Quizlet), or add them on its page.",
                    obj.title,
                    reverse("question-import", args=[obj.pk]),
                ),
                messages.WARNING,
            )
        return super().response_add(request, obj, post_url_continue)

    def save_model(self, request: HttpRequest, obj: QuestionSet, form, change: bool) -> None:
        if not change and not (request.user.is_superuser and obj.owner_id):
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    # -- columns ---------------------------------------------------------------------------------

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # Without the admin's app sidebar the list fits 1280 px beside its filters, unscrolled.
        return super().changelist_view(
            request, {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        )

    @admin.display(description="position", ordering="position__short_name")
    def position_short(self, question_set: QuestionSet) -> str:
        return question_set.position.short_name

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, question_set: QuestionSet) -> str:
        return format_html(
            '<time datetime="{}">{}</time>',
            question_set.updated_at.isoformat(),
            date_format(timezone.localtime(question_set.updated_at), "j M Y"),
        )

    @admin.display(description="questions")
    def question_total(self, question_set: QuestionSet) -> int:
        return question_set.question_count

    @admin.display(description="share code", ordering="share_code")
    def share_code_link(self, question_set: QuestionSet) -> str:
        if not question_set.pk:
            return "Given when the set is saved."
        return format_html(
            '<a href="{}">{}</a>', question_set.get_absolute_url(), question_set.share_code
        )

    @admin.display(description="class results")
    def results_link(self, question_set: QuestionSet) -> str:
        url = reverse("admin:quiz_questionset_results", args=[question_set.pk])
        return format_html('<a href="{}">Results</a>', url)

    # -- pages of one set ------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<id:pk>/preview/", view(self.preview_view), name="quiz_questionset_preview"),
            path("<id:pk>/results/", view(self.results_view), name="quiz_questionset_results"),
            path(
                "<id:pk>/results/<str:table>.csv",
                view(self.results_csv_view),
                name="quiz_questionset_results_csv",
            ),
            *super().get_urls(),
        ]

    def _own_set(self, request: HttpRequest, pk: int, *, questions: bool = False) -> QuestionSet:
        """The viewer's set (any set for a superuser), with what drawing its questions reads."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = self.get_queryset(request)
        if questions:
            queryset = queryset.for_taking()
        question_set = queryset.filter(pk=pk).first()
        if question_set is None or not self.has_view_permission(request, question_set):
            raise Http404("No such question set.")
        return question_set

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["share_url"] = request.build_absolute_uri(obj.get_absolute_url())
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _page(self, request: HttpRequest, template: str, title: str, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context},
        )

    def _previews(self, question_sets, seed: int) -> list[dict]:
        previews = []
        for question_set in question_sets:
            try:
                questions = services.question_set_questions(
                    question_set=question_set, rng=random.Random(seed)
                )
                problem = "" if questions else NO_QUESTIONS_IN_SET
            except EngineError as error:
                questions, problem = [], str(error)
            previews.append(
                {
                    "question_set": question_set,
                    "problem": problem,
                    "questions": [
                        {"question": question, "label": KIND_LABELS.get(question.kind)}
                        for question in questions
                    ],
                }
            )
        return previews

    def preview_view(self, request: HttpRequest, pk: int) -> TemplateResponse:
        question_set = self._own_set(request, pk, questions=True)
        try:
            seed = int(request.GET.get("sample", PREVIEW_SEED)) % 2**31
        except ValueError:
            seed = PREVIEW_SEED
        return self._page(
            request,
            "admin/quiz/questionset/preview.html",
            f"Preview: {question_set}",
            original=question_set,
            previews=self._previews([question_set], seed),
            next_sample=seed + 1,
        )

    def results_view(self, request: HttpRequest, pk: int) -> TemplateResponse:
        question_set = self._own_set(request, pk)
        results = class_results(question_set)
        return self._page(
            request,
            "admin/quiz/questionset/results.html",
            f"Class results: {question_set}",
            original=question_set,
            results=results,
            students=[
                {
                    "student": student,
                    "best_time": format_duration(student.best.time_taken) if student.best else "",
                    "last_time": format_duration(student.last.time_taken) if student.last else "",
                }
                for student in results.students
            ],
        )

    def results_csv_view(self, request: HttpRequest, pk: int, table: str) -> HttpResponse:
        writers = {"students": students_csv, "questions": questions_csv}
        if table not in writers:
            raise Http404("No such table.")
        question_set = self._own_set(request, pk)
        response = HttpResponse(
            writers[table](class_results(question_set)), content_type="text/csv; charset=utf-8"
        )
        filename = f"{question_set.share_code}-{table}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    # -- actions ---------------------------------------------------------------------------------

    @admin.action(description="Preview the selected sets (a sample, answers shown)")
    def preview_sets(self, request: HttpRequest, queryset) -> TemplateResponse:
        return self._page(
            request,
            "admin/quiz/questionset/preview.html",
            "Preview",
            previews=self._previews(queryset.for_taking(), PREVIEW_SEED),
        )

    @admin.action(description="Duplicate the selected sets (copies start unpublished)")
    def duplicate_sets(self, request: HttpRequest, queryset) -> None:
        copies = [
            services.question_set_duplicate(question_set=question_set, owner=request.user)
            for question_set in queryset
        ]
        names = ", ".join(f"“{copy.title}”" for copy in copies)
        self.message_user(
            request, f"Made {len(copies)} cop{'y' if len(copies) == 1 else 'ies'}: {names}."
        )

    def _export(self, request: HttpRequest, queryset, output_format: str):
        questions, skipped = [], []
        for preview in self._previews(queryset.for_taking(), PREVIEW_SEED):
            if preview["problem"]:
                skipped.append(f"“{preview['question_set']}”: {preview['problem']}")
            questions += [item["question"] for item in preview["questions"]]
        for message in skipped:
            self.message_user(request, f"Not exported: {message}", messages.WARNING)
        if not questions:
            return None
        codes = [question_set.share_code for question_set in queryset]
        filename = codes[0] if len(codes) == 1 else "question-sets"
        extension, content_type = EXPORT_TYPES[output_format]
        response = HttpResponse(FORMATS[output_format](questions), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
        return response

    @admin.action(description="Export the selected sets as JSON")
    def export_json(self, request: HttpRequest, queryset):
        return self._export(request, queryset, "json")

    @admin.action(description="Export the selected sets as Moodle GIFT")
    def export_gift(self, request: HttpRequest, queryset):
        return self._export(request, queryset, "gift")

    @admin.action(description="Export the selected sets as CSV")
    def export_csv(self, request: HttpRequest, queryset):
        return self._export(request, queryset, "csv")


EXPORT_TYPES = {
    "json": ("json", "application/json; charset=utf-8"),
    "gift": ("gift.txt", "text/plain; charset=utf-8"),
    "csv": ("csv", "text/csv; charset=utf-8"),
}


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """django-axes' failed logins, whose "Clean up expired attempts" works outside a login.

    Axes reads request.axes_attempt_time, which only its login handling sets: the action was a
    500 from the change list.
    """

    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request: HttpRequest, queryset) -> None:
        request.axes_attempt_time = getattr(request, "axes_attempt_time", None)
        return super().cleanup_expired_attempts(request, queryset)


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
