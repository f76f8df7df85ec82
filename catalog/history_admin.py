"""The admin's side of the edit history (catalog/history.py).

`HistoryAdmin` is reversion's VersionAdmin plus three things staff asked for:
a "note for the history" on every change form, a history list with a link to
each entry's changes, and a page showing those changes field by field (the
version against the one before it). Reverting is reversion's own view: the
form filled with the old version, saved like any edit, so the page cache
forgets the film's pages through the usual signals.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion import is_active, set_comment
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import history

NOTE_FIELD = "history_note"


class HistoryNoteForm(forms.ModelForm):
    """Adds the note to any admin form (mixed in by HistoryAdmin.get_form)."""

    history_note = forms.CharField(
        label="Note for the history",
        required=False,
        max_length=500,
        strip=True,
        help_text="Why you made this change, or where the new facts come from. "
        "Staff see it in the history; the public history page does not show it.",
    )


class HistoryAdmin(VersionAdmin):
    object_history_template = "admin/history/object_history.html"
    history_latest_first = True
    history_order_by_date = True

    form = HistoryNoteForm

    def __init_subclass__(cls, **kwargs):
        # An admin's own form (ReviewAdminForm) gets the note too. On the
        # class, not in get_form(): ModelAdmin.get_form drops read-only
        # declared fields from `self.form` only.
        super().__init_subclass__(**kwargs)
        if not issubclass(cls.form, HistoryNoteForm):
            cls.form = type(cls.form.__name__, (HistoryNoteForm, cls.form), {})

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != NOTE_FIELD]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, ("History", {"fields": [NOTE_FIELD]})]

    def save_form(self, request, form, change):
        # Read back in log_addition/log_change, which write the comment.
        request.history_note = form.cleaned_data.get(NOTE_FIELD, "")
        return super().save_form(request, form, change)

    def construct_change_message(self, request, form, formsets, add=False):
        # The note says why; the recorded message lists the facts changed.
        if NOTE_FIELD in form.changed_data:
            form.changed_data.remove(NOTE_FIELD)
        return super().construct_change_message(request, form, formsets, add)

    def _with_note(self, request, entry):
        note = getattr(request, "history_note", "")
        if note and is_active():
            set_comment(f"{note}\n{entry.get_change_message()}")
        return entry

    def log_addition(self, request, obj, message):
        return self._with_note(request, super().log_addition(request, obj, message))

    def log_change(self, request, obj, message):
        return self._with_note(request, super().log_change(request, obj, message))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and self.has_change_permission(request):
            # Before the save's own revision: its first change can be undone.
            history.record_baseline(self.model, [unquote(object_id)])
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        if request.method != "POST" or "action" in request.POST:
            # reversion wraps the list in one revision, for list_editable's
            # saves. A GET saves nothing (and the wrapping transaction would
            # cost it two queries); actions write their own entries, one per
            # action after a baseline (reviews.history), which a wrapping
            # revision would merge into one.
            context = {"has_change_permission": self.has_change_permission(request)}
            return admin.ModelAdmin.changelist_view(
                self, request, {**context, **(extra_context or {})}
            )
        return super().changelist_view(request, extra_context)

    # A deleted entry can be recovered (reversion's "Recover deleted …") only
    # from a version: keep one of it, and of its rows, before it goes.

    def delete_model(self, request, obj):
        history.record_baseline(self.model, [obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        history.record_baseline(self.model, queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)

    # The history list and each entry's changes.

    def _url_name(self, view, namespaced=True):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_{view}"
        return f"{self.admin_site.name}:{name}" if namespaced else name

    def get_urls(self):
        return [
            path(
                "<path:object_id>/history/<int:version_id>/changes/",
                self.admin_site.admin_view(self.changes_view),
                name=self._url_name("changes", namespaced=False),
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        obj = response.context_data.get("object")
        if obj is not None:
            response.context_data["import_batches"] = history.import_batches_of(obj)
        for action in response.context_data.get("action_list", []):
            version_id = action["url"].rstrip("/").rpartition("/")[2]
            action["changes_url"] = reverse(
                self._url_name("changes"), args=[quote(unquote(object_id)), version_id]
            )
        return response

    def changes_view(self, request, object_id, version_id):
        """This version's changes against the one before it, as a table."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        version = get_object_or_404(
            Version.objects.get_for_model(self.model).select_related("revision__user"),
            pk=version_id,
            object_id=object_id,
        )
        previous = (
            Version.objects.get_for_model(self.model)
            .filter(object_id=object_id, revision__date_created__lte=version.revision.date_created)
            .exclude(pk=version.pk)
            .exclude(revision__date_created=version.revision.date_created, pk__gt=version.pk)
            .select_related("revision")
            .order_by("-revision__date_created", "-pk")
            .first()
        )
        before = history.snapshot(previous.revision.version_set.all()) if previous else None
        changes = history.compare(before, history.snapshot(version.revision.version_set.all()))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Changes to {version.object_repr}",
            "subtitle": None,
            "version": version,
            "previous": previous,
            "changes": changes,
            "revert_url": reverse(self._url_name("revision"), args=[quote(object_id), version.pk]),
            "history_url": reverse(self._url_name("history"), args=[quote(object_id)]),
        }
        return TemplateResponse(request, "admin/history/changes.html", context)
