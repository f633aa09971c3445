"""The admin's "view on site" redirect, limited to objects the viewer may see in the admin."""

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """Django's /admin/r/<type>/<id>/ shortcut, a 404 unless the viewer's admin shows the object.

    Django's own shortcut redirects any staff user to any object's page, so a teacher could
    learn the share code of another teacher's unpublished set from it.
    """
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    try:
        model_admin = admin.site.get_model_admin(content_type.model_class())
    except (AttributeError, NotRegistered):  # no such type, or a model the admin doesn't show
        raise Http404("No such object in your admin.") from None
    # get_object reads through the admin's get_queryset (a teacher's own sets) and returns
    # None for an id of the wrong type.
    obj = model_admin.get_object(request, object_id)
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404("No such object in your admin.")
    return contenttype_views.shortcut(request, content_type_id, object_id)
