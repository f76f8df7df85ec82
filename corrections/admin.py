"""The staff queue of fans' corrections: accept (the new value is applied
through the film's or person's own validation, as one history entry) or
decline with a reason the fan sees."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from . import services
from .models import OTHER, Correction


class DecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        choices=[
            ("", "Not decided yet"),
            (Correction.Status.ACCEPTED, "Accept: apply the correct value"),
            (Correction.Status.DECLINED, "Decline: tell the fan why"),
        ],
        required=False,
    )

    class Meta:
        model = Correction
        fields = ["proposed_value", "decline_reason"]
        help_texts = {
            "proposed_value": "Applied as it stands when you accept: fix its wording if needed.",
        }

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        correction = self.instance
        if decision == Correction.Status.DECLINED and not cleaned.get("decline_reason", "").strip():
            self.add_error("decline_reason", "Say why, in a sentence the fan will read.")
        if decision == Correction.Status.ACCEPTED and correction.field != OTHER:
            value = cleaned.get("proposed_value", "")
            errors = services.value_errors(correction.subject, correction.field, value)
            for error in errors:
                self.add_error(
                    "proposed_value", f"Not a valid {correction.field_label.lower()}: {error}"
                )
        return cleaned


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    form = DecisionForm
    list_display = ["__str__", "subject_link", "status", "author", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["film", "person", "author"]
    search_fields = ["film__title", "person__name", "author__username", "proposed_value"]
    ordering = ["status", "created_at"]
    readonly_fields = [
        "subject_link",
        "field_label",
        "current_value",
        "explanation",
        "source_link",
        "author",
        "created_at",
        "status",
        "decided_by",
        "decided_at",
    ]
    fieldsets = [
        (
            "The suggestion",
            {
                "fields": [
                    "subject_link",
                    "field_label",
                    "current_value",
                    "proposed_value",
                    "explanation",
                    "source_link",
                    "author",
                    "created_at",
                ]
            },
        ),
        (
            "Decision",
            {"fields": ["status", "decision", "decline_reason", "decided_by", "decided_at"]},
        ),
    ]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not obj.is_pending:
            fields += ["proposed_value", "decline_reason", "decision"]
        return fields

    @admin.display(description="About")
    def subject_link(self, correction):
        subject = correction.subject
        return format_html('<a href="{}">{}</a>', subject.get_absolute_url(), subject)

    @admin.display(description="Fact")
    def field_label(self, correction):
        return correction.field_label

    @admin.display(description="Source")
    def source_link(self, correction):
        # Only http(s) addresses are ever stored (model validation and a
        # database constraint); rel=noopener noreferrer for the rest.
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow">{}</a>',
            correction.source_url,
            correction.source_url,
        )

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        try:
            if decision == Correction.Status.ACCEPTED:
                services.accept(obj, request.user, form.cleaned_data["proposed_value"])
            elif decision == Correction.Status.DECLINED:
                services.decline(obj, request.user, form.cleaned_data["decline_reason"])
            else:
                obj.save()
        except ValidationError as error:
            # Decided meanwhile by someone else: the form checked the value.
            messages.error(request, "; ".join(error.messages))

    def response_change(self, request, obj):
        obj.refresh_from_db()
        if obj.status == Correction.Status.ACCEPTED and obj.field != OTHER:
            self.message_user(
                request,
                format_html(
                    'Applied to <a href="{}">{}</a>, with a history entry.',
                    reverse(
                        f"admin:catalog_{obj.subject._meta.model_name}_history",
                        args=[obj.subject.pk],
                    ),
                    obj.subject,
                ),
                messages.SUCCESS,
            )
        return super().response_change(request, obj)
