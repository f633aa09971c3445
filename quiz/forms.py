from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from quiz.identity import (
    display_name_has_hidden_characters,
    display_name_mixes_scripts,
    display_name_normalize,
    name_key,
)
from quiz.models import Profile, UsernameKey
from quiz.services import QUICK_QUIZ_LENGTH, QUICK_QUIZ_LENGTHS

DIFFICULTY_CHOICES = [
    ("easy", "Easy"),
    ("medium", "Medium"),
    ("hard", "Hard"),
]
TIME_LIMIT_CHOICES = [
    ("", "No time limit"),
    ("120", "2 minutes"),
    ("300", "5 minutes"),
]
USERNAME_TAKEN = "That username is taken (usernames are the same in any case)."
DISPLAY_NAME_TAKEN = "That display name is taken; please pick another."
DISPLAY_NAME_INVISIBLE = (
    "Display names can't contain invisible or control characters (such as zero-width spaces or "
    "text-direction marks); please type the name without them."
)
DISPLAY_NAME_MAX_LENGTH = 40
DISPLAY_NAME_TOO_LONG = (
    f"Display names can be up to {DISPLAY_NAME_MAX_LENGTH} characters once written in standard "
    "form; please shorten it."
)
DISPLAY_NAME_MIXED_SCRIPTS = (
    "Display names can't mix alphabets (such as a Cyrillic letter among Latin ones), since such "
    "a name can pass for someone else's; please write it in one alphabet."
)


def display_name_clean(raw: str, *, profile: Profile | None = None) -> str:
    """The display name as it will be stored, or a ValidationError saying what is wrong with it.

    Compared with every other profile's (not the given one's) by its name key, so case and
    compatibility forms don't make a second "Anna K".
    """
    display_name = display_name_normalize(raw)
    if display_name_has_hidden_characters(display_name):
        raise forms.ValidationError(DISPLAY_NAME_INVISIBLE, code="invalid")
    if len(display_name) > DISPLAY_NAME_MAX_LENGTH:
        raise forms.ValidationError(DISPLAY_NAME_TOO_LONG, code="max_length")
    if display_name_mixes_scripts(display_name):
        raise forms.ValidationError(DISPLAY_NAME_MIXED_SCRIPTS, code="mixed_scripts")
    others = Profile.objects.filter(display_name_key=name_key(display_name))
    if profile is not None:
        others = others.exclude(pk=profile.pk)
    if others.exists():
        raise forms.ValidationError(DISPLAY_NAME_TAKEN, code="unique")
    return display_name


class QuickQuizForm(forms.Form):
    """A quick quiz's settings: length, difficulty, optional question kinds and time limit."""

    length = forms.TypedChoiceField(
        choices=[(n, f"{n} questions") for n in QUICK_QUIZ_LENGTHS],
        coerce=int,
        initial=QUICK_QUIZ_LENGTH,
        required=False,
        empty_value=QUICK_QUIZ_LENGTH,
        widget=forms.RadioSelect,
        label="Length",
    )
    difficulty = forms.ChoiceField(
        choices=DIFFICULTY_CHOICES, initial="medium", widget=forms.RadioSelect
    )
    kinds = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only these kinds of question",
        help_text="Leave all unticked for a mix of every kind.",
    )
    time_limit = forms.TypedChoiceField(
        choices=TIME_LIMIT_CHOICES,
        required=False,
        coerce=int,
        empty_value=None,
        label="Time limit",
    )

    def __init__(self, *args, kind_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = kind_choices


class SignupForm(UserCreationForm):
    """Username, display name and password; both names unique in any case.

    The checks here give a clear message; the unique keys in the database (quiz.identity) decide
    when two signups race, and the view turns that IntegrityError into a form error.
    """

    display_name = forms.CharField(
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=f"Shown on the leaderboard. Up to {DISPLAY_NAME_MAX_LENGTH} characters.",
    )

    field_order = ["username", "display_name", "password1", "password2"]

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username",)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        # iexact too: accounts made in the admin or by createsuperuser have no key row.
        taken = UsernameKey.objects.filter(key=name_key(username)).exists() or (
            get_user_model().objects.filter(username__iexact=username).exists()
        )
        if taken:
            raise forms.ValidationError(USERNAME_TAKEN, code="unique")
        return username

    def clean_display_name(self) -> str:
        return display_name_clean(self.cleaned_data["display_name"])
