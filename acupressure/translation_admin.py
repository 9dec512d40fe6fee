"""Reviews of the content's translations in the admin, for every app's translated models: a
field per language, an action per language that records the editor's review of that
translation, a column with each translation's state, and the list of every review."""

from django.contrib import admin, messages
from modeltranslation.admin import TranslationAdmin

from .translations import (
    mark_translation_reviewed,
    missing_fields,
    other_languages,
    reviews_of,
    translation_state,
)

NO_PROFILE = (
    "Your review cannot be recorded yet: readers see the reviewer's name and role, and your "
    "account has none. Ask the site owner to add your editor profile (Site › Editor profiles)."
)


def has_editor_profile(modeladmin, request):
    if hasattr(request.user, "editor_profile"):
        return True
    modeladmin.message_user(request, NO_PROFILE, messages.ERROR)
    return False


def mark_translation_action(code, name):
    @admin.action(description=f"Mark the {name} translation of the selected items as reviewed")
    def mark(modeladmin, request, queryset):
        if not has_editor_profile(modeladmin, request):
            return
        rows = list(queryset)
        done = [row for row in rows if not missing_fields(row, code)]
        for row in done:
            mark_translation_reviewed(row, code, request.user)
        modeladmin.message_user(
            request, f"Recorded your review of {len(done)} {name} translation(s).", messages.SUCCESS
        )
        if len(done) < len(rows):
            modeladmin.message_user(
                request,
                f"{len(rows) - len(done)} item(s) have no complete {name} translation to review.",
                messages.WARNING,
            )

    mark.__name__ = f"mark_{code}_translation_reviewed"
    return mark


class TranslationReviewAdmin(TranslationAdmin):
    """The admin of translated content: a field per language (django-modeltranslation),
    and each translation's review, kept apart from the English one's."""

    def get_list_display(self, request):
        return [*super().get_list_display(request), "translations"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "translations"]

    def get_fieldsets(self, request, obj=None):
        return [
            *super().get_fieldsets(request, obj),
            ("Translations", {"fields": ["translations"]}),
        ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_change_permission(request):
            for code, name in other_languages():
                action = mark_translation_action(code, name)
                actions[action.__name__] = self.get_action(action)
        return actions

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translation_reviews")

    @admin.display(description="translations")
    def translations(self, obj):
        if obj.pk is None:
            return "Save the English first."
        reviews = reviews_of(obj)
        return "; ".join(
            f"{name}: {translation_state(obj, code, reviews.get(code))}"
            for code, name in other_languages()
        )
