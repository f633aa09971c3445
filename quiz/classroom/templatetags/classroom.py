"""Class pages' template helpers, and the site menu's links to classes and to teaching."""

import datetime as dt

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from quiz.classroom.access import is_teacher
from quiz.views import format_duration

register = template.Library()


@register.filter
def duration(span: dt.timedelta | None) -> str:
    """A span as people say it: "4 min 12 s"."""
    return format_duration(span)


@register.simple_tag(takes_context=True)
def classroom_menu_items(context) -> SafeString:
    """ "Classes" for every signed-in user, and "Teaching" for teachers, as menu items."""
    user = context["request"].user
    if not user.is_authenticated:
        return SafeString("")
    links = [(reverse("my-classes"), "Classes")]
    if is_teacher(user):
        links.append((reverse("teaching"), "Teaching"))
    return format_html_join("", '<li><a href="{}">{}</a></li>', links)
