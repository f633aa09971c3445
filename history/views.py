"""Pages about positions and the people who held them."""

from collections.abc import Iterable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from history.models import Association, Person, Position
from history.timeline import TimelineTerm, build_timeline

# In the order the position page lists them.
RELATION_HEADINGS = {
    Association.Relation.DE_FACTO_HOLDER.value: "De facto holders",
    Association.Relation.DEPUTY.value: "Deputies",
    Association.Relation.CONTEMPORARY.value: "Contemporaries",
}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What the app is, and the positions it covers."""
    positions = Position.objects.visible_to(request.user)
    return render(request, "history/home.html", {"positions": positions})


@require_safe
def position_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One position: its facts, every term in order, a timeline, and the people tied to it."""
    position = get_object_or_404(
        Position.objects.visible_to(request.user).for_position_page(), slug=slug
    )
    terms = position.terms_in_order()
    timeline = build_timeline([TimelineTerm.of(term) for term in terms], today=timezone.localdate())
    return render(
        request,
        "history/position_detail.html",
        {
            "position": position,
            "terms": terms,
            "timeline": timeline,
            "first_holder_note": position.first_holder_note(terms),
            "association_groups": _by_relation(position.associations.all()),
        },
    )


@require_safe
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One person: the terms they served and why the source names them."""
    person = get_object_or_404(Person.objects.for_person_page(request.user), slug=slug)
    terms, associations = person.terms.all(), person.associations.all()
    if not terms and not associations:
        # Someone known only from a teacher's unpublished topic.
        raise Http404("No such person.")
    return render(
        request,
        "history/person_detail.html",
        {"person": person, "terms": terms, "associations": associations},
    )


def _by_relation(associations: Iterable[Association]) -> list[tuple[str, list[Association]]]:
    groups: dict[str, list[Association]] = {relation: [] for relation in RELATION_HEADINGS}
    for association in associations:
        groups[association.relation].append(association)
    return [
        (RELATION_HEADINGS[relation], members) for relation, members in groups.items() if members
    ]
