from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.views.decorators.http import require_safe

from config.guards import IdConverter
from quiz.admin_views import view_on_site

# Before any URLconf is read: every app's ids use it.
register_converter(IdConverter, "id")


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers and the admin ask for /favicon.ico whatever the pages link to."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


admin.site.site_header = "History Quiz administration"
admin.site.site_title = "History Quiz admin"
admin.site.index_title = "Question sets, results and the history data"

urlpatterns = [
    # Before the admin's own URLs, so that this checked version answers "view on site".
    path(
        "admin/r/<id:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="admin-view-on-site",
    ),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    path("", include("quiz.urls")),
    path("", include("quiz.cards.urls")),
    path("", include("quiz.classroom.urls")),
    path("", include("history.urls")),
]
if settings.BENCH_BASELINE:
    from config.baseline import baseline

    urlpatterns.append(path("bench/baseline/", baseline))

handler400 = "config.guards.bad_request"
handler404 = "config.guards.page_not_found"
