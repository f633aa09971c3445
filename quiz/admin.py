from django.contrib import admin

from quiz.models import Answer, Attempt, AttemptQuestion, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user"]
    search_fields = ["display_name", "user__username"]


class AttemptQuestionInline(admin.TabularInline):
    model = AttemptQuestion
    fields = ["order", "kind", "prompt", "correct_choice"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Attempts are records of what happened: viewable and deletable, not editable."""

    list_display = ["title", "user", "score", "answered_count", "question_count", "started_at"]
    list_filter = ["difficulty", "finished_at"]
    search_fields = ["user__username", "title"]
    list_select_related = ["user"]
    inlines = [AttemptQuestionInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AttemptQuestion)
class AttemptQuestionAdmin(admin.ModelAdmin):
    list_display = ["prompt", "kind", "attempt"]
    list_select_related = ["attempt"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["question", "is_correct", "in_time", "points", "answered_at"]
    list_select_related = ["question"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
