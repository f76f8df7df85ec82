"""Merging duplicates and warning about them, in the admin.

- `MergeActionMixin`: a "Merge selected duplicates" action on the film and
  people lists. Its confirmation page asks which one to keep and shows what
  the merge would do, from a dry run of it (catalog/merge.py) rolled back;
  only the page's "Merge" button, a POST with the CSRF token, merges.
- `DuplicateWarningMixin`: adding a film or person whose title and year (or
  name) the catalogue already has stops once with links to the existing
  ones; ticking "Add it anyway" adds it. A warning staff can confirm past,
  not a block: remakes and namesakes exist.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from . import matching, merge


class KeepForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep this one",
        help_text="The others are merged into it and then deleted.",
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = queryset


class MergeActionMixin:
    """Adds the merge action; `merge_rows` is merge.merge_films or merge_people."""

    merge_rows = None

    def get_actions(self, request):
        # Added here rather than through `actions`, which a ModelAdmin of
        # its own may set.
        actions = super().get_actions(request)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        func, name, description = self.get_action("merge_selected")
        if self.has_change_permission(request) and self.has_delete_permission(request):
            actions[name] = (func, name, description)
        return actions

    @admin.action(description="Merge selected duplicates…")
    def merge_selected(self, request, queryset):
        opts = self.opts
        # get_actions() offers this only with both permissions; a forged
        # POST naming it anyway finds no such action and changes nothing.
        rows = list(queryset.order_by("pk")[: merge.MAX_MERGED + 1])
        if len(rows) < 2:
            messages.warning(request, "Select two or more to merge.")
            return None
        if len(rows) > merge.MAX_MERGED:
            messages.warning(request, f"Merge at most {merge.MAX_MERGED} at once.")
            return None
        form = KeepForm(
            request.POST if "keep" in request.POST else None,
            queryset=queryset.model._default_manager.filter(pk__in=[row.pk for row in rows]),
            initial={"keep": rows[0].pk},
        )
        keep = rows[0]
        if form.is_bound and form.is_valid():
            keep = form.cleaned_data["keep"]
        others = [row for row in rows if row.pk != keep.pk]
        merge_rows = type(self).merge_rows
        if form.is_bound and form.is_valid() and request.POST.get("post") == "yes":
            report = merge_rows(keep, others)
            names = ", ".join(str(other) for other in others)
            self.log_change(request, keep, f"Merged into this: {names}.")
            messages.success(request, f"Merged {names} into {keep}. " + " ".join(report.lines()))
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[keep.pk])
            )
        report = merge_rows(keep, others, dry_run=True)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge {opts.verbose_name_plural}",
            "opts": opts,
            "form": form,
            "rows": rows,
            "keep": keep,
            "others": others,
            "report": report.lines(),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "catalog/admin/merge_confirmation.html", context)


class DuplicateWarningForm(forms.ModelForm):
    """An add form that stops once when the catalogue seems to have the row."""

    add_anyway = forms.BooleanField(
        required=False,
        label="Add it anyway",
        help_text="Tick this when the catalogue warns about an entry with the same name "
        "and you are sure this one is different (a remake, a namesake).",
    )

    def find_duplicates(self, cleaned_data):
        return []

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("add_anyway") or self.errors:
            return cleaned_data
        try:
            found = self.find_duplicates(cleaned_data)
        except matching.Ambiguous as ambiguous:
            found = ambiguous.matches
        if found:
            links = format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                (
                    (
                        reverse(
                            f"admin:{row._meta.app_label}_{row._meta.model_name}_change",
                            args=[row.pk],
                        ),
                        str(row),
                    )
                    for row in found
                ),
            )
            raise ValidationError(
                format_html(
                    "The catalogue already has {}. If this is a different one, tick "
                    "“Add it anyway” at the end of the form and save again.",
                    links,
                ),
                code="possible_duplicate",
            )
        return cleaned_data


class FilmDuplicateWarningForm(DuplicateWarningForm):
    def find_duplicates(self, cleaned_data):
        title = cleaned_data.get("title")
        return matching.films_titled(title, cleaned_data.get("year")) if title else []


class PersonDuplicateWarningForm(DuplicateWarningForm):
    def find_duplicates(self, cleaned_data):
        name = cleaned_data.get("name")
        return matching.people_named(name) if name else []


class DuplicateWarningMixin:
    """Puts the duplicate check (`duplicate_warning_form`) on the add page only."""

    duplicate_warning_form = None

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            base = kwargs.get("form", self.form)
            kwargs["form"] = type(
                "DuplicateChecked" + base.__name__, (self.duplicate_warning_form, base), {}
            )
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        without = [
            (name, {**options, "fields": [f for f in options["fields"] if f != "add_anyway"]})
            for name, options in fieldsets
        ]
        return [*without, ("Possible duplicates", {"fields": ["add_anyway"]})]


class FilmMergeMixin(DuplicateWarningMixin, MergeActionMixin):
    merge_rows = merge.merge_films
    duplicate_warning_form = FilmDuplicateWarningForm


class PersonMergeMixin(DuplicateWarningMixin, MergeActionMixin):
    merge_rows = merge.merge_people
    duplicate_warning_form = PersonDuplicateWarningForm
