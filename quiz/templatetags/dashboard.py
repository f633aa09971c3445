"""{% dashboard_panels %}: the signed-in student's panels on the home page (see quiz.dashboard)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from quiz.dashboard import dashboard_panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_panels(context) -> SafeString:
    """Every panel with something to show, each rendered from its own template."""
    request = context["request"]
    html = "".join(
        render_to_string(panel.template, dict(panel.context), request=request)
        for panel in dashboard_panels_for(request)
    )
    return mark_safe(f'<div class="dashboard">{html}</div>') if html else mark_safe("")
