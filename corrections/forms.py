from django import forms

from . import services
from .models import FILM_FACTS, OTHER, OTHER_LABEL, PERSON_FACTS, WEB_SCHEMES, Correction


def fact_choices(subject):
    """The facts of `subject` a fan may correct, each with what it says now."""
    model = type(subject)
    names = FILM_FACTS if model._meta.model_name == "film" else PERSON_FACTS
    choices = []
    for name in names:
        label = str(model._meta.get_field(name).verbose_name).capitalize()
        now = services.current_value(subject, name)
        shown = now if len(now) <= 60 else now[:59] + "…"
        choices.append((name, f"{label}: {shown}" if shown else f"{label} (not known yet)"))
    return [*choices, (OTHER, OTHER_LABEL)]


class CorrectionForm(forms.ModelForm):
    """A fan's suggestion: which fact, its correct value, why, and where
    that is written. The value is checked as staff would apply it."""

    field = forms.ChoiceField(label="Which fact is wrong?")
    source_url = forms.URLField(
        label="Source",
        max_length=500,
        assume_scheme="https",
        help_text="The address of a web page that gives the correct fact (http:// or https://).",
    )

    class Meta:
        model = Correction
        fields = ["field", "proposed_value", "explanation", "source_url"]
        labels = {"proposed_value": "The correct value", "explanation": "Why is it wrong?"}
        help_texts = {
            "proposed_value": "Just the value, as it should appear on the page.",
            "explanation": "What is wrong, and what the source says. Staff read this.",
        }
        widgets = {
            "proposed_value": forms.Textarea(attrs={"rows": 3}),
            "explanation": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, subject, author, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.fields["field"].choices = fact_choices(subject)
        # Set before validation, so the model's checks (one subject, a web
        # source) run on the whole row.
        self.instance.author = author
        if subject._meta.model_name == "film":
            self.instance.film = subject
        else:
            self.instance.person = subject

    def clean_source_url(self):
        url = self.cleaned_data["source_url"]
        if url.split(":", 1)[0].lower() not in WEB_SCHEMES:
            raise forms.ValidationError("Enter the address of a web page (http:// or https://).")
        return url

    def clean(self):
        cleaned = super().clean()
        field, value = cleaned.get("field"), cleaned.get("proposed_value")
        if field and value is not None:
            value = value.strip()
            if field != OTHER and value == services.current_value(self.subject, field):
                self.add_error("proposed_value", "That is what the page says already.")
            for error in services.value_errors(self.subject, field, value):
                self.add_error("proposed_value", error)
            self.instance.current_value = services.current_value(self.subject, field)
        return cleaned
