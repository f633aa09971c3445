from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("home")


@require_GET
def position_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug)


@require_GET
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug)
