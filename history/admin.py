"""Admin for positions, their titles and infobox facts, people, terms and associations."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpRequest

from config.admin_site import GuardedAdminMixin, GuardedInlineMixin
from history.models import Association, Person, Position, PositionFact, Term, Title


def _holds_a_term() -> Exists:
    return Exists(Term.objects.filter(person=OuterRef("pk")))


class PositionFactInline(GuardedInlineMixin, admin.TabularInline):
    model = PositionFact
    extra = 0
    fields = ["order", "label", "value"]


class TitleInline(GuardedInlineMixin, admin.TabularInline):
    model = Title
    extra = 0
    fields = ["name", "short_name"]
    show_change_link = True


class TermInline(GuardedInlineMixin, admin.TabularInline):
    """Terms inside a title or a person; the note is edited on the term's own page."""

    model = Term
    extra = 0
    fields = ["person", "title", "start_date", "end_date", "died_in_office", "acting"]
    autocomplete_fields = ["person", "title"]
    show_change_link = True
    ordering = ["start_date"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Term]:
        return super().get_queryset(request).select_related("person", "title")


class AssociationInline(GuardedInlineMixin, admin.StackedInline):
    model = Association
    extra = 0
    fields = [
        ("position", "relation"),
        ("start_date", "start_undated", "end_date", "ended_by_death"),
        "description",
    ]
    autocomplete_fields = ["position"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Association]:
        return super().get_queryset(request).select_related("person", "position")


@admin.register(Position)
class PositionAdmin(GuardedAdminMixin, admin.ModelAdmin):
    """Positions; a teacher's imported topic waits here, unpublished, for a superuser."""

    list_display = ["name", "short_name", "country", "slug", "owner", "is_published"]
    list_filter = ["is_published"]
    list_select_related = ["owner"]
    search_fields = ["name", "short_name", "country"]
    inlines = [PositionFactInline, TitleInline]
    actions = ["publish"]

    @admin.action(description="Publish the selected positions (everyone sees them)")
    def publish(self, request: HttpRequest, queryset: QuerySet[Position]) -> None:
        if not request.user.is_superuser:
            raise PermissionDenied
        published, clashes = [], []
        for position in queryset.filter(is_published=False):
            try:
                with transaction.atomic():
                    Position.objects.filter(pk=position.pk).update(is_published=True)
            except IntegrityError:
                clashes.append(position.name)
            else:
                published.append(position.name)
        if published:
            self.message_user(request, f"Published: {', '.join(published)}.")
        for name in clashes:
            self.message_user(
                request,
                f"“{name}” was not published: a published position has that name. Rename it first.",
                messages.ERROR,
            )


@admin.register(Title)
class TitleAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "position", "term_count"]
    list_filter = ["position"]
    list_select_related = ["position"]
    search_fields = ["name", "short_name"]
    inlines = [TermInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Title]:
        return super().get_queryset(request).annotate(term_count=Count("terms"))

    @admin.display(description="terms", ordering="term_count")
    def term_count(self, title: Title) -> int:
        return title.term_count


class HolderListFilter(admin.SimpleListFilter):
    """People who held a term of any position, or who never did (decided in the database)."""

    title = "held office"
    parameter_name = "held_office"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Held office"), ("no", "Never held office")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Person]) -> QuerySet[Person]:
        if self.value() == "yes":
            return queryset.filter(_holds_a_term())
        if self.value() == "no":
            return queryset.filter(~_holds_a_term())
        return queryset


@admin.register(Person)
class PersonAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["full_name", "short_name", "slug", "held_office"]
    list_filter = [HolderListFilter]
    search_fields = ["full_name", "short_name"]
    prepopulated_fields = {"slug": ["full_name"]}
    inlines = [TermInline, AssociationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return super().get_queryset(request).annotate(held_office=_holds_a_term())

    @admin.display(description="held office", boolean=True, ordering="held_office")
    def held_office(self, person: Person) -> bool:
        return person.held_office


@admin.register(Term)
class TermAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["person", "title", "start_date", "end_date", "died_in_office", "acting"]
    list_filter = ["title", "died_in_office", "acting"]
    list_select_related = ["person", "title"]
    search_fields = ["person__full_name", "person__short_name", "title__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["person", "title"]
    ordering = ["start_date"]


@admin.register(PositionFact)
class PositionFactAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["label", "value", "order", "position"]
    list_filter = ["position"]
    list_select_related = ["position"]
    search_fields = ["label", "value"]
    ordering = ["position", "order"]


@admin.register(Association)
class AssociationAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["person", "relation", "position", "start_date", "end_date", "ended_by_death"]
    list_filter = ["relation", "position"]
    list_select_related = ["person", "position"]
    search_fields = ["person__full_name", "description"]
    autocomplete_fields = ["person", "position"]
