"""The site menu's links, reversed once per process instead of on every page."""

from __future__ import annotations

import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse

register = template.Library()

MENU = ("home", "quiz-start", "leaderboard", "study", "progress", "logout", "login", "signup")


@functools.cache
def _menu_urls() -> dict[str, str]:
    urls = {}
    for name in MENU:
        try:
            urls[name.replace("-", "_")] = reverse(name)
        except NoReverseMatch:
            urls[name.replace("-", "_")] = ""
    return urls


@register.simple_tag
def menu_urls() -> dict[str, str]:
    """{"home": "/", "quiz_start": "/quiz/", ...}; "" for a page that is not installed."""
    return _menu_urls()


@receiver(setting_changed)
def _urls_changed(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _menu_urls.cache_clear()
