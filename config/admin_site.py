"""The admin site and the pieces every ModelAdmin here uses.

- Every change list's actions refuse a selection that holds something other than ids
  (`_selected_action=abc`, a NUL byte, 2**63) with a 400 page that says so, instead of the 500
  that filtering on it gives.
- An add or change form posted with errors answers 400, as the site's own forms do.
- GuardedAdminMixin and GuardedInlineMixin: autocompletes that survive a value that is no id,
  and inline formsets capped so that no post makes the admin build thousands of forms.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

SELECTION_UNREADABLE = (
    "The selection could not be read: “{value}” is not the id of any {name}. Nothing was "
    "changed; go back to the list and tick the rows again."
)


FORM_VIEWS = ("add_view", "change_view")


def _refused_as_400(view: Callable) -> Callable:
    """An add or change view whose form, posted with errors, answers 400 (Django says 200)."""

    @wraps(view)
    def refused(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if request.method == "POST" and response.status_code == 200 and context.get("errors"):
            response.status_code = 400
        return response

    return refused


class AdminSite(admin.AdminSite):
    """Django's admin site; change lists check their selection before any action runs."""

    def admin_view(self, view, cacheable: bool = False):
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, admin.ModelAdmin) and view.__name__ == "changelist_view":
            view = self._selection_checked(view, model_admin)
        if isinstance(model_admin, admin.ModelAdmin) and view.__name__ in FORM_VIEWS:
            view = _refused_as_400(view)
        return super().admin_view(view, cacheable)

    def _selection_checked(self, view: Callable, model_admin: admin.ModelAdmin) -> Callable:
        @wraps(view)
        def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            # Without the permission the change list refuses anyway; it says so, not this.
            if request.method == "POST" and model_admin.has_view_or_change_permission(request):
                values = request.POST.getlist(ACTION_CHECKBOX_NAME)
                pk = model_admin.model._meta.pk
                bad = next((v for v in values if not is_value_of(pk, v)), None)
                if bad is not None:
                    return self._unreadable_selection(request, model_admin, bad)
            return view(request, *args, **kwargs)

        return checked

    def _unreadable_selection(
        self, request: HttpRequest, model_admin: admin.ModelAdmin, value: str
    ) -> TemplateResponse:
        opts = model_admin.model._meta
        shown = value.replace("\x00", "\N{SYMBOL FOR NULL}")
        shown = shown if len(shown) <= 40 else f"{shown[:40]}…"
        context = {
            **self.each_context(request),
            "title": "Unreadable selection",
            "opts": opts,
            "message": SELECTION_UNREADABLE.format(value=shown, name=opts.verbose_name),
        }
        return TemplateResponse(request, "admin/unreadable_selection.html", context, status=400)


def is_value_of(field, value: str) -> bool:
    """Whether the text is a value the model field's column could hold (no NUL, in range)."""
    if "\x00" in str(value):
        return False
    try:
        python = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(python, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is None or python >= low) and (high is None or python <= high)
    return True


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete, which shows a submitted value that is no id as nothing selected
    (Django's own filters on it and fails: `person=abc` in a term's form gave a 500)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field
        opts = target.model._meta
        field = (
            opts.get_field(target.field_name) if getattr(target, "field_name", None) else opts.pk
        )
        kept = [item for item in value if item in ("", None) or is_value_of(field, item)]
        return super().optgroups(name, kept, attr)


class SafeAutocompleteSelectMultiple(SafeAutocompleteSelect, AutocompleteSelectMultiple):
    """The many-to-many form of SafeAutocompleteSelect."""


class GuardedAdminMixin:
    """For ModelAdmins and inlines: safe autocompletes, and inline formsets that never build
    more forms than they may save (`max_num`, or the rows there are plus MAX_NEW_INLINE_ROWS),
    so a posted TOTAL_FORMS of thousands is refused at once with a message."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                SafeAutocompleteSelectMultiple(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


MAX_NEW_INLINE_ROWS = 50


class GuardedInlineMixin(GuardedAdminMixin):
    """An inline whose formset is capped (see GuardedAdminMixin)."""

    too_many_message = "Save at most %(num)d rows here at a time."

    def get_max_num(self, request, obj=None, **kwargs) -> int:
        if self.max_num is not None:
            return self.max_num
        existing = 0
        if obj is not None and obj.pk:
            existing = self.get_queryset(request).filter(**{self.fk_name_for(obj): obj}).count()
        return existing + MAX_NEW_INLINE_ROWS

    def fk_name_for(self, obj) -> str:
        from django.forms.models import _get_foreign_key

        return _get_foreign_key(type(obj), self.model, fk_name=self.fk_name).name

    def get_formset(self, request, obj=None, **kwargs):
        limit = self.get_max_num(request, obj, **kwargs)
        formset = super().get_formset(
            request, obj, max_num=limit, absolute_max=limit, validate_max=True, **kwargs
        )
        formset.default_error_messages = {"too_many_forms": self.too_many_message}
        return formset
