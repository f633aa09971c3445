import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from quiz.models import Profile
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
# Format (Cf: zero-width and bidi controls), control (Cc) and private-use (Co) characters let a
# name look like another one ("Tess\u200b tess1", "\u202eevil"); these letters draw nothing too.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co"})
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def display_name_normalize(name: str) -> str:
    """The name in NFKC, each run of whitespace one space, without spaces at the ends."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def display_name_has_hidden_characters(name: str) -> bool:
    """Whether the name holds a character that shows nothing or changes how the rest shows."""
    return any(
        unicodedata.category(char) in HIDDEN_CATEGORIES or char in BLANK_LETTERS for char in name
    )


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
    """Username, display name and password; usernames are unique whatever their case.

    auth_user's unique index is case-sensitive and belongs to django.contrib.auth, so this app
    can't add a functional unique index on Lower("username") to it. The check lives here (and in
    Django's own UserCreationForm); the display name's case-insensitive uniqueness is a real
    constraint on quiz.Profile.
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
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(USERNAME_TAKEN, code="unique")
        return username

    def clean_display_name(self) -> str:
        # Normalised before the uniqueness check, so look-alike spellings count as the same name.
        display_name = display_name_normalize(self.cleaned_data["display_name"])
        if display_name_has_hidden_characters(display_name):
            raise forms.ValidationError(DISPLAY_NAME_INVISIBLE, code="invalid")
        if len(display_name) > DISPLAY_NAME_MAX_LENGTH:
            raise forms.ValidationError(DISPLAY_NAME_TOO_LONG, code="max_length")
        if Profile.objects.filter(display_name__iexact=display_name).exists():
            raise forms.ValidationError(DISPLAY_NAME_TAKEN, code="unique")
        return display_name
