"""Forms of the class pages: a class's name, a join code, an assignment's set and dates."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from quiz.classroom.models import Classroom
from quiz.classroom.services import assignable_sets

DUE_TIME_DEFAULT = dt.time(23, 59)
DUE_IN_THE_PAST = "That due date has already passed. Pick a later one."
DUE_TIME_WITHOUT_DATE = "Give a due date for the time, or clear the time."


class ClassroomForm(forms.Form):
    """A new class's name."""

    name = forms.CharField(
        max_length=Classroom._meta.get_field("name").max_length,
        label="Class name",
        help_text="As your students know it, such as “Year 9 History” or “Thursday revision”.",
    )


class JoinForm(forms.Form):
    """The code a student was given."""

    code = forms.CharField(
        max_length=20,
        label="Class code",
        help_text="Six letters and digits, from your teacher.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%H:%M", **kwargs)


class AssignmentDatesForm(forms.Form):
    """An optional open day, and an optional due day and time (in the site's time zone)."""

    opens_on = forms.DateField(
        required=False,
        label="Opens on",
        widget=DateInput(),
        help_text="Students see it from the start of this day. Empty: straight away.",
    )
    due_on = forms.DateField(required=False, label="Due on", widget=DateInput())
    due_time = forms.TimeField(
        required=False,
        label="Due at",
        widget=TimeInput(),
        help_text="Empty: the end of the day (23:59).",
    )

    def __init__(self, *args, now: dt.datetime | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()

    def clean(self) -> dict:
        cleaned = super().clean()
        opens_on, due_on, due_time = (
            cleaned.get(name) for name in ("opens_on", "due_on", "due_time")
        )
        zone = timezone.get_current_timezone()
        cleaned["opens_at"] = (
            dt.datetime.combine(opens_on, dt.time.min, tzinfo=zone) if opens_on else None
        )
        cleaned["due_at"] = None
        if due_on:
            cleaned["due_at"] = dt.datetime.combine(
                due_on, due_time or DUE_TIME_DEFAULT, tzinfo=zone
            )
        elif due_time:
            self.add_error("due_on", DUE_TIME_WITHOUT_DATE)
        return cleaned


class AssignmentForm(AssignmentDatesForm):
    """What to assign, and when; the due date must lie ahead."""

    question_set = forms.ModelChoiceField(
        queryset=None,
        label="Question set",
        empty_label="Choose a set…",
        help_text="Your own sets, and sets other teachers have published.",
    )

    field_order = ["question_set", "opens_on", "due_on", "due_time"]

    def __init__(self, *args, teacher, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["question_set"]
        field.queryset = assignable_sets(teacher)
        field.label_from_instance = lambda question_set: _set_label(question_set, teacher)

    def clean(self) -> dict:
        cleaned = super().clean()
        due_at = cleaned.get("due_at")
        if due_at is not None and due_at <= self.now:
            self.add_error("due_on", DUE_IN_THE_PAST)
        return cleaned


def _set_label(question_set, teacher) -> str:
    label = question_set.title
    if question_set.owner_id != teacher.pk:
        label += f" (by {question_set.owner_name})"
    if not question_set.is_published:
        label += " (not published)"
    return label


class ImportForm(forms.Form):
    """A file to import, or its text pasted (Quizlet's export is text to copy)."""

    file = forms.FileField(
        required=False,
        label="File",
        help_text="Up to 1 MB: .csv, .xlsx, .txt or .gift.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,.gift,.tsv,.json"}),
    )
    text = forms.CharField(
        required=False,
        label="Or paste the text",
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError(IMPORT_FILE_OR_TEXT)
        if not upload and not text.strip():
            raise forms.ValidationError(IMPORT_NOTHING)
        return cleaned

    def content(self) -> tuple[bytes, str]:
        """The bytes to import and a name for them; reads no more than one byte past the limit."""
        from quiz.classroom.imports.files import MAX_BYTES

        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(MAX_BYTES + 1), upload.name
        return self.cleaned_data["text"].encode("utf-8"), "pasted text"


IMPORT_FILE_OR_TEXT = "Choose a file or paste text, not both."
IMPORT_NOTHING = "Choose a file to import, or paste its text."


class QuestionImportForm(ImportForm):
    """Questions: which kind of file, then the file."""

    file_format = forms.ChoiceField(label="Kind of file", widget=forms.RadioSelect)

    field_order = ["file_format", "file", "text"]

    def __init__(self, *args, **kwargs) -> None:
        from quiz.classroom.imports.questions import FORMAT_LABELS

        super().__init__(*args, **kwargs)
        self.fields["file_format"].choices = list(FORMAT_LABELS.items())


class TopicImportForm(ImportForm):
    """A new position: what it is and where its facts come from, and the file of its terms."""

    name = forms.CharField(
        required=False,
        max_length=200,
        label="Name of the position",
        help_text="In full, such as “President of the French Fifth Republic”.",
    )
    short_name = forms.CharField(
        required=False,
        max_length=100,
        label="Short name",
        help_text="How questions name it, such as “President”.",
    )
    country = forms.CharField(required=False, max_length=100)
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source_title = forms.CharField(
        required=False,
        max_length=300,
        label="Source",
        help_text="The work every fact is taken from: a book, an article, your syllabus.",
    )
    source_kind = forms.CharField(
        required=False, max_length=100, label="Kind of source", help_text="Such as “Textbook”."
    )
    source_reference = forms.CharField(
        required=False, max_length=300, label="Reference", help_text="Pages, an edition, a link."
    )

    field_order = ["name", "short_name", "country", "summary", "source_title", "source_kind"]
    field_order += ["source_reference", "file", "text"]

    def details(self):
        from quiz.classroom.imports.topics import POSITION_FIELDS, TopicDetails

        return TopicDetails(
            **{name: " ".join(self.cleaned_data.get(name, "").split()) for name in POSITION_FIELDS}
        )
