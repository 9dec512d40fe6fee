"""Versions of the guide's content, kept by django-reversion: who changed what and when, a
field-by-field comparison of two versions, restoring one, and recovering a deleted object.

Each app's admin uses HistoryAdmin for its content models; reversion follows their inlines,
so a point's version holds its markers, pain types, cautions and references as they were.
A restore goes through the admin's change form, as an edit does: the saves it makes send
the usual signals, so cached pages are retired and a restored point gets a new updated_at.
"""

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, resolve, reverse
from django.utils.text import capfirst
from modeltranslation.manager import get_translatable_fields_for_model
from reversion.admin import VersionAdmin
from reversion.models import Version


class HistoryAdmin(VersionAdmin):
    """A content model's admin with its history: versions, compare, restore, recover."""

    object_history_template = "admin/history/object_history.html"
    history_latest_first = True

    def versioned_rows(self, queryset):
        """The rows of this model that are content and keep versions (all, by default)."""
        return queryset

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{opts.app_label}_{opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        opts = self.model._meta
        context = {
            "compare_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_compare",
                args=[quote(unquote(object_id))],
            ),
            **(extra_context or {}),
        }
        response = super().history_view(request, object_id, context)
        for action in getattr(response, "context_data", {}).get("action_list", []):
            # The version each entry's restore link opens, for the compare form's choices.
            action["version_id"] = resolve(action["url"]).args[1]
        return response

    def revision_view(self, request, object_id, version_id, extra_context=None):
        self.check_version_is_ours(version_id)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        self.check_version_is_ours(version_id)
        return super().recover_view(request, version_id, extra_context)

    def check_version_is_ours(self, version_id):
        """reversion finds a version by its number alone: one of another model, opened
        through this model's admin, would be restored under this model's permissions."""
        if not Version.objects.get_for_model(self.model).filter(pk=version_id).exists():
            raise Http404("No such version of this model.")

    def compare_view(self, request, object_id):
        """Two versions of one object side by side, field by field (?old=ID&new=ID)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        versions = Version.objects.get_for_object_reference(self.model, object_id)
        old = get_object_or_404(versions.select_related("revision__user"), pk=_id(request, "old"))
        new = get_object_or_404(versions.select_related("revision__user"), pk=_id(request, "new"))
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        opts = self.model._meta
        # A translated field's own column repeats its English one ("Summary [en]").
        repeated = set(get_translatable_fields_for_model(self.model) or ())
        rows = [
            _row(field.verbose_name, _shown(field, old), _shown(field, new))
            for field in opts.concrete_fields + opts.many_to_many
            if field.name in old.field_dict or field.name in new.field_dict
            if not getattr(field, "auto_now", False) and not field.primary_key
            if field.name not in repeated
        ]
        rows += _followed_rows(old, new, [inline.model for inline in self.inlines])
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "object_id": object_id,
            "title": f"Compare versions of {new.object_repr}",
            "old": old,
            "new": new,
            "rows": rows,
            "changed_count": sum(row["changed"] for row in rows),
            "old_url": _revision_url(self, object_id, old),
            "new_url": _revision_url(self, object_id, new),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/history/compare.html", context)


def _id(request, name):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else 0


def _row(label, old, new):
    return {"label": capfirst(label), "old": old, "new": new, "changed": old != new}


def _shown(field, version):
    """A field's value in a version as an editor reads it: names for related rows."""
    if field.name not in version.field_dict:
        return ""
    value = version.field_dict[field.name]
    if field.many_to_many:
        related = field.related_model._default_manager.filter(pk__in=value or [])
        return ", ".join(sorted(str(obj) for obj in related)) or "—"
    if field.is_relation:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj else ("—" if value is None else f"#{value} (deleted)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value in (None, ""):
        return "—"
    # A browser sends a text area's lines ending in CRLF: not a change an editor made.
    return str(value).replace("\r\n", "\n")


def _followed_rows(old, new, inline_models):
    """The rows that belong to the object in each version (its inlines), by kind."""

    def belonging(version):
        # A revision may hold much more than the object and its inlines (a content import
        # holds the whole release): only the inlines' rows pointing at this object count.
        owner = version.content_type.model_class()
        kinds = {}
        for other in version.revision.version_set.exclude(pk=version.pk).select_related(
            "content_type"
        ):
            model = other.content_type.model_class()
            if model not in inline_models or not any(
                field.many_to_one
                and field.related_model is owner
                and str(other.field_dict.get(field.attname)) == version.object_id
                for field in model._meta.concrete_fields
            ):
                continue
            kinds.setdefault(str(model._meta.verbose_name_plural), []).append(other.object_repr)
        return kinds

    old_kinds, new_kinds = belonging(old), belonging(new)
    return [
        _row(
            label,
            "; ".join(sorted(old_kinds.get(label, []))) or "—",
            "; ".join(sorted(new_kinds.get(label, []))) or "—",
        )
        for label in sorted(old_kinds.keys() | new_kinds.keys())
    ]


def _revision_url(model_admin, object_id, version):
    opts = model_admin.model._meta
    return reverse(
        f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
        args=[quote(object_id), version.pk],
    )
