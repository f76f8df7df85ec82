from django import forms

from .models import MAX_POINTS, MIN_POINTS, Review, ReviewReport


def star_label(points):
    """2 → "1", 7 → "3.5": points out of 10 as stars out of five."""
    return f"{points // 2}" if points % 2 == 0 else f"{points / 2:.1f}"


POINT_CHOICES = [(p, f"Rate {star_label(p)} out of 5") for p in range(MIN_POINTS, MAX_POINTS + 1)]


class StarRadioSelect(forms.RadioSelect):
    """Ten radio inputs drawn as five half-step stars (templates/reviews/widgets)."""

    template_name = "reviews/widgets/star_radio.html"
    option_template_name = "reviews/widgets/star_option.html"


class RatingForm(forms.Form):
    """The film page's star widget. Points are whole numbers 1–10; anything
    else (0, 11, 4.5, "abc", huge numbers) is "Select a valid choice"."""

    points = forms.TypedChoiceField(
        label="Your rating",
        choices=POINT_CHOICES,
        coerce=int,
        widget=StarRadioSelect,
        error_messages={"required": "Choose from half a star to five stars."},
    )


class ReviewForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label="Your rating (optional)",
        choices=[("", "No rating"), *POINT_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        widget=StarRadioSelect,
        help_text="The same rating as the stars on the film's page: changing one changes both.",
    )

    class Meta:
        model = Review
        fields = ["title", "body", "rating", "is_spoiler"]
        labels = {"is_spoiler": "This review reveals the plot (spoilers)"}
        help_texts = {
            "body": "Plain text. Leave a blank line between paragraphs.",
            "is_spoiler": "Readers then see it folded until they choose to open it.",
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # Not a model field: the stars live in the review's Rating row.
            self.initial.setdefault("rating", self.instance.rating)

    def clean_title(self):
        title = self.cleaned_data["title"]
        if not any(ch.isalnum() for ch in title):
            raise forms.ValidationError("Give your review a title with words in it.")
        return title

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if len(body) < 10:
            raise forms.ValidationError("Write at least a sentence or two (10 characters).")
        return body


class ReportForm(forms.ModelForm):
    reason = forms.ChoiceField(
        label="What is wrong with this review?",
        choices=ReviewReport.Reason.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ReviewReport
        fields = ["reason", "note"]
        labels = {"note": "Anything to add?"}
        help_texts = {"note": "Optional. Only staff read this (up to 1,000 characters)."}
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}
