import datetime as dt
import random

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from config.admin_site import GuardedAdminMixin, GuardedInlineMixin
from history.models import Position, Title
from quiz import services
from quiz.engine import KINDS, EngineError
from quiz.export import FORMATS
from quiz.handwritten import CHOICE_LENGTH, choice_problems
from quiz.models import (
    KIND_LABELS,
    MAX_CHOICES,
    MAX_HANDWRITTEN_QUESTIONS,
    Answer,
    Attempt,
    AttemptQuestion,
    HandwrittenChoice,
    HandwrittenQuestion,
    Profile,
    QuestionSet,
    QuestionSetKind,
)
from quiz.results import class_results, questions_csv, students_csv
from quiz.scope import Scope
from quiz.views import format_duration


@admin.register(Profile)
class ProfileAdmin(GuardedAdminMixin, admin.ModelAdmin):
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

NO_QUESTIONS_IN_SET = "Add at least one question: generated questions or a hand-written one."
TITLE_OF_ANOTHER_POSITION = "“{title}” is a title of {other}, not of {position}."
PREVIEW_SEED = 0
SCOPE_FIRST_DAY = dt.date(1900, 1, 1)
SCOPE_DAY_OUT_OF_RANGE = "Give a day from 1 January 1900 to today."


class QuestionSetForm(forms.ModelForm):
    """The set itself; its scope titles are kept for the generated-questions check."""

    class Meta:
        model = QuestionSet
        fields = [
            "title",
            "description",
            "position",
            "difficulty",
            "owner",
            "scope_titles",
            "scope_start",
            "scope_end",
            "order",
            "time_limit_minutes",
            "attempts_allowed",
            "is_published",
        ]
        widgets = {"scope_titles": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        titles = self.fields.get("scope_titles")
        if titles is not None:
            titles.queryset = titles.queryset.annotate(
                first_day=Min("terms__start_date"),
                last_day=Max("terms__end_date"),
                open_terms=Count("terms", filter=Q(terms__end_date__isnull=True)),
            ).order_by("position", "first_day", "pk")
            titles.label_from_instance = _title_label
        # Three selects with the years 1900 to today: the admin's calendar opens on this month and
        # offers "Today", neither of which helps with a date between 1918 and 1991.
        years = range(SCOPE_FIRST_DAY.year, timezone.localdate().year + 1)
        for name in ("scope_start", "scope_end"):
            if name in self.fields:
                self.fields[name].widget = forms.SelectDateWidget(
                    years=years, empty_label=("Year", "Month", "Day")
                )

    def _clean_scope_day(self, name: str):
        day = self.cleaned_data.get(name)
        if day is not None and not SCOPE_FIRST_DAY <= day <= timezone.localdate():
            raise ValidationError(SCOPE_DAY_OUT_OF_RANGE)
        return day

    def clean_scope_start(self):
        return self._clean_scope_day("scope_start")

    def clean_scope_end(self):
        return self._clean_scope_day("scope_end")

    def clean(self) -> dict:
        cleaned = super().clean()
        position, titles = cleaned.get("position"), cleaned.get("scope_titles")
        if position is not None and titles:
            for title in titles:
                if title.position_id != position.pk:
                    self.add_error(
                        "scope_titles",
                        TITLE_OF_ANOTHER_POSITION.format(
                            title=title.name, other=title.position.name, position=position.name
                        ),
                    )
        # The generated-questions inline checks the scope after this form; it reads them here.
        self.instance._admin_scope_titles = titles
        return cleaned


def _title_label(title: Title) -> str:
    if title.first_day is None:
        return title.name
    last = "" if title.open_terms or title.last_day is None else title.last_day.year
    return f"{title.name} ({title.first_day.year}\N{EN DASH}{last})"


class QuestionSetKindFormSet(forms.BaseInlineFormSet):
    """The generated kinds; the set's scope must hold as many questions as they ask for."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        counts: dict[str, int] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("kind"):
                continue
            counts[data["kind"]] = counts.get(data["kind"], 0) + data["count"]
        question_set = self.instance
        question_set._admin_generated_count = sum(counts.values())
        if not counts or question_set.position_id is None:
            return
        titles = getattr(question_set, "_admin_scope_titles", None)
        if titles is None:
            titles = question_set.scope_titles.all() if question_set.pk else []
        problems = services.question_set_problems(
            position=question_set.position,
            scope=Scope(
                titles=frozenset(title.name for title in titles),
                start=question_set.scope_start,
                end=question_set.scope_end,
            ),
            counts=counts,
            difficulty=question_set.difficulty,
        )
        if problems:
            raise ValidationError(problems)


class QuestionSetKindInline(GuardedInlineMixin, admin.TabularInline):
    model = QuestionSetKind
    formset = QuestionSetKindFormSet
    fields = ["kind", "count"]
    extra = 1
    max_num = len(KINDS)
    too_many_message = "There are %(num)d kinds of question; list each once at most."


class HandwrittenQuestionForm(forms.ModelForm):
    """A hand-written question with its choices as fields: exactly one ticked as correct."""

    class Meta:
        model = HandwrittenQuestion
        fields = ["order", "prompt", "explanation"]
        widgets = {
            "prompt": forms.Textarea(attrs={"rows": 2}),
            "explanation": forms.Textarea(attrs={"rows": 2}),
        }

    choice_1 = forms.CharField(label="Choice 1", max_length=CHOICE_LENGTH, required=False)
    correct_1 = forms.BooleanField(label="Choice 1 is correct", required=False)
    choice_2 = forms.CharField(label="Choice 2", max_length=CHOICE_LENGTH, required=False)
    correct_2 = forms.BooleanField(label="Choice 2 is correct", required=False)
    choice_3 = forms.CharField(label="Choice 3", max_length=CHOICE_LENGTH, required=False)
    correct_3 = forms.BooleanField(label="Choice 3 is correct", required=False)
    choice_4 = forms.CharField(label="Choice 4", max_length=CHOICE_LENGTH, required=False)
    correct_4 = forms.BooleanField(label="Choice 4 is correct", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for number, choice in enumerate(self.instance.choices.all(), start=1):
                self.initial[f"choice_{number}"] = choice.text
                self.initial[f"correct_{number}"] = choice.is_correct

    def clean(self) -> dict:
        cleaned = super().clean()
        choices = [
            (
                (cleaned.get(f"choice_{number}") or "").strip(),
                bool(cleaned.get(f"correct_{number}")),
            )
            for number in range(1, MAX_CHOICES + 1)
        ]
        # Every problem at once, so that one save shows the teacher all there is to fix.
        problems = choice_problems(choices)
        if problems:
            raise ValidationError([problem.message for problem in problems])
        self.choices = [(text, correct) for text, correct in choices if text]
        return cleaned

    def save(self, commit: bool = True) -> HandwrittenQuestion:
        question = super().save(commit=commit)
        if commit:
            self._save_choices()
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_choices() -> None:
                save_m2m()
                self._save_choices()

            self.save_m2m = save_m2m_and_choices
        return question

    def _save_choices(self) -> None:
        self.instance.choices.all().delete()
        HandwrittenChoice.objects.bulk_create(
            HandwrittenChoice(question=self.instance, order=order, text=text, is_correct=correct)
            for order, (text, correct) in enumerate(self.choices)
        )


class HandwrittenQuestionFormSet(forms.BaseInlineFormSet):
    """The last inline: with the generated questions counted, the set must have some question."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk or form.has_changed())
        ]
        generated = getattr(self.instance, "_admin_generated_count", None)
        if generated == 0 and not kept:
            raise ValidationError(NO_QUESTIONS_IN_SET)


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
                {"fields": ["order", "time_limit_minutes", "attempts_allowed", "is_published"]},
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
