"""The study settings form."""

from __future__ import annotations

import zoneinfo

from django import forms

from quiz.cards.models import StudySettings

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class StudySettingsForm(forms.ModelForm):
    """A student's study settings, each field checked against its limits."""

    time_zone = forms.ChoiceField(
        choices=[(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())],
        help_text="Your study day, streak and heatmap follow this time zone.",
    )
    day_start_hour = forms.TypedChoiceField(
        label="A new study day starts at", choices=HOURS, coerce=int
    )
    desired_retention = forms.FloatField(
        min_value=0.80,
        max_value=0.97,
        step_size=0.01,
        help_text="The share of reviews you want to get right, 0.80 to 0.97. Higher means more "
        "reviews each day.",
    )

    class Meta:
        model = StudySettings
        fields = [
            "desired_retention",
            "new_per_day",
            "max_reviews_per_day",
            "time_zone",
            "day_start_hour",
        ]
        help_texts = {
            "new_per_day": "How many cards you have never seen come each day (0 to 500).",
            "max_reviews_per_day": "Reviews beyond this wait for the next day (0 to 9999).",
        }
