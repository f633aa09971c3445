"""The question-set admin's forms: the set and its scope, its generated kinds, its hand-written
questions, each checked so that the teacher sees every problem at once."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from history.models import Position, Title
from quiz import services
from quiz.handwritten import CHOICE_LENGTH, choice_problems
from quiz.models import MAX_CHOICES, HandwrittenChoice, HandwrittenQuestion, QuestionSet
from quiz.scope import Scope

NO_QUESTIONS_IN_SET = "Add at least one question: generated questions or a hand-written one."
PUBLISHED_WITHOUT_QUESTIONS = (
    "A published set needs at least one question. Add generated or hand-written questions here, "
    "or untick “Published”, save the set, and import its questions from a file."
)
TITLE_OF_ANOTHER_POSITION = "“{title}” is a title of {other}, not of {position}."
# The empty choice: QuestionSet.Reveal.default_for picks from the attempts allowed.
REVEAL_BY_ATTEMPTS = "Set by the attempts allowed"
REVEAL_HELP = (
    "When students see the right answers and explanations. “Set by the attempts allowed”: after "
    "the last attempt when two or more are allowed, otherwise after each question. With a limit "
    "on attempts, questions a student left unanswered by ending early keep their answers until "
    "the last attempt or the due date; with no limit, “after the last attempt” means after the "
    "due date of an assignment. Scores always show, and you always see everything."
)
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
            "reveal",
            "is_published",
        ]
        widgets = {"scope_titles": forms.CheckboxSelectMultiple}

    reveal = forms.ChoiceField(
        label="Right answers shown",
        choices=[("", REVEAL_BY_ATTEMPTS), *QuestionSet.Reveal.choices],
        required=False,
        help_text=REVEAL_HELP,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance._state.adding and "reveal" not in (kwargs.get("initial") or {}):
            self.initial["reveal"] = ""  # not the model's default: the rule's, once saved
        titles = self.fields.get("scope_titles")
        if titles is not None:
            titles.queryset = titles.queryset.annotate(
                first_day=Min("terms__start_date"),
                last_day=Max("terms__end_date"),
                open_terms=Count("terms", filter=Q(terms__end_date__isnull=True)),
            ).order_by("position", "first_day", "pk")
            titles.label_from_instance = _title_label
            titles.widget.choices = self._title_choices(titles.queryset)
            titles.help_text = (
                "Generated questions only about terms under these titles of the set's position. "
                "None ticked: any title. Chose another position? Save, and its titles show here."
            )
        # Three selects with the years 1900 to today: the admin's calendar opens on this month and
        # offers "Today", neither of which helps with a date between 1918 and 1991.
        years = range(SCOPE_FIRST_DAY.year, timezone.localdate().year + 1)
        for name in ("scope_start", "scope_end"):
            if name in self.fields:
                self.fields[name].widget = forms.SelectDateWidget(
                    years=years, empty_label=("Year", "Month", "Day")
                )

    def _title_choices(self, titles: QuerySet[Title]) -> list:
        """The tick boxes shown: the chosen position's titles (the set's, or the one posted).

        Titles ticked under another position stay, to be unticked; the validation names them.
        A new set's first page, before any position is posted, groups every title by position.
        Validation still takes any title the teacher may see, so that a mismatch gets a message.
        """
        if self.is_bound:
            position_id = self.data.get(self.add_prefix("position"))
            ticked = set(self.data.getlist(self.add_prefix("scope_titles")))
        else:
            position_id = self.instance.position_id if self.instance.pk else None
            ticked = {
                str(getattr(title, "pk", title)) for title in self.initial.get("scope_titles") or ()
            }
        shown = [
            title
            for title in titles.select_related("position")
            if position_id is None
            or str(title.position_id) == str(position_id)
            or str(title.pk) in ticked
        ]
        groups: dict[Position, list[tuple[int, str]]] = {}
        for title in shown:
            groups.setdefault(title.position, []).append((title.pk, _title_label(title)))
        if len(groups) == 1:
            return next(iter(groups.values()))
        return [(position.name, choices) for position, choices in groups.items()]

    def _clean_scope_day(self, name: str):
        day = self.cleaned_data.get(name)
        if day is not None and not SCOPE_FIRST_DAY <= day <= timezone.localdate():
            raise ValidationError(SCOPE_DAY_OUT_OF_RANGE)
        return day

    def clean_scope_start(self):
        return self._clean_scope_day("scope_start")

    def clean_scope_end(self):
        return self._clean_scope_day("scope_end")

    def clean_reveal(self) -> str:
        """The teacher's choice; left empty, the one the attempts allowed call for."""
        chosen = self.cleaned_data.get("reveal")
        if chosen:
            return chosen
        if self.instance.pk and self.add_prefix("reveal") not in self.data:
            return self.instance.reveal  # a form without the field changes nothing
        return QuestionSet.Reveal.default_for(self.cleaned_data.get("attempts_allowed"))

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
    """The last inline: with the generated questions counted, a published set needs a question.

    An unpublished set may start empty, so that its questions can come from an imported file.
    """

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
        if generated == 0 and not kept and self.instance.is_published:
            raise ValidationError(PUBLISHED_WITHOUT_QUESTIONS, code="published_without_questions")
