"""Accepting and declining corrections (fans suggest them through forms.CorrectionForm).

Accepting applies the new value through a ModelForm of the film or person
with just that field, so the model's own validation (validators, choices,
constraints turned into form errors) decides whether it is a valid value,
exactly as in the admin, and the save is one history entry noted
"Correction accepted" (catalog/history.py).
"""

import copy

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import modelform_factory
from django.utils import timezone
from reversion.models import Version

from catalog import history

from .models import OTHER, Correction

ACCEPTED_COMMENT = "Correction accepted"


def fact_form(subject, field, value):
    """A form over `subject` with only `field`, bound to `value`. Choice
    fields take their label as well as their stored value ("Black and white")."""
    Form = modelform_factory(type(subject), fields=[field])
    model_field = type(subject)._meta.get_field(field)
    if model_field.choices:
        by_label = {str(label).casefold(): key for key, label in model_field.flatchoices}
        value = by_label.get(str(value).strip().casefold(), value)
    return Form(data={field: value}, instance=subject)


def value_errors(subject, field, value):
    """What is wrong with `value` for this fact ([] when it would be accepted);
    checked on a copy, so `subject` is left as it is."""
    if field == OTHER:
        return []
    form = fact_form(copy.copy(subject), field, value)
    if form.is_valid():
        return []
    return [str(e) for e in form.errors.get(field, [])] + [str(e) for e in form.non_field_errors()]


def current_value(subject, field):
    if field == OTHER:
        return ""
    model_field = type(subject)._meta.get_field(field)
    value = getattr(subject, model_field.attname)
    if model_field.choices and value:
        return str(dict(model_field.flatchoices).get(value, value))
    return "" if value is None else str(value)


@transaction.atomic
def accept(correction, staff, value=None):
    """Apply the correction (with `value`, staff's wording of it, if given)
    as one history entry by `staff`, and tell the fan. Raises ValidationError
    when the value is not valid for the fact; nothing is changed then."""
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if not correction.is_pending:
        raise ValidationError("This correction has already been decided.")
    value = correction.proposed_value if value is None else value
    subject = correction.subject
    if correction.field != OTHER:
        form = fact_form(subject, correction.field, value)
        if not form.is_valid():
            raise ValidationError(list(form.errors.values()))
        # Before the change's own revision, so that it can be undone.
        history.record_baseline(type(subject), [subject.pk])
        with reversion.create_revision():
            reversion.set_user(staff)
            reversion.set_comment(
                f"{ACCEPTED_COMMENT}: {correction.field_label} (#{correction.pk})"
            )
            form.save()
        correction.revision_id = (
            Version.objects.get_for_object(subject)
            .order_by("-pk")
            .values_list("revision_id", flat=True)
            .first()
        )
    correction.proposed_value = value
    _decide(correction, staff, Correction.Status.ACCEPTED)
    return correction


@transaction.atomic
def decline(correction, staff, reason):
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if not correction.is_pending:
        raise ValidationError("This correction has already been decided.")
    correction.decline_reason = reason
    _decide(correction, staff, Correction.Status.DECLINED)
    return correction


def _decide(correction, staff, status):
    correction.status = status
    correction.decided_at = timezone.now()
    correction.decided_by = staff
    correction.author_notified = False
    correction.full_clean()
    correction.save()


def dismiss_notices(user):
    """The fan has read the decisions on their profile."""
    return Correction.objects.unread_decisions_for(user).update(author_notified=True)
