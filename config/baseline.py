"""A bare page for `make bench-web` to measure the others against: one query, a tiny template,
the site's middleware. Served only with HISTQUIZ_BENCH_BASELINE=1."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from history.models import Position


@require_safe
def baseline(request: HttpRequest) -> HttpResponse:
    """The first position's name."""
    name = Position.objects.values_list("name", flat=True).first()
    return render(request, "bench/baseline.html", {"name": name})
