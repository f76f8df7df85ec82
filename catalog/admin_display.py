"""What makes the catalogue admin speak the staff's language: one "Role"
choice for a credit (Cast, Director, Writer…) instead of a role code plus a
free-text job, narrower inputs so the film form fits a 1,366 px screen, and
small thumbnails of posters, photos and stills in lists and inlines.

Kept apart from admin.py, which only wires these into the ModelAdmins, so
the import/export and history mixins other modules add stay easy to read.
"""

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from .images import picture_for
from .models import Credit

OTHER_CREW = "other"
CAST = "cast"
# The jobs staff enter most often, offered by name; anything else is
# "Other crew job" with the job typed in.
COMMON_JOBS = [
    Credit.DIRECTOR,
    "Writer",
    "Producer",
    "Cinematographer",
    "Editor",
    "Composer",
    "Production designer",
]
PART_CHOICES = [
    ("", "Choose…"),
    (CAST, "Cast (actor)"),
    *((job, job) for job in COMMON_JOBS),
    (OTHER_CREW, "Other crew job (type it in)"),
]


class CreditInlineForm(forms.ModelForm):
    """A credit as staff think of it: "Majid Majidi, Director", not "crew"
    with job "Director". The model's clean() still words every rule."""

    part = forms.ChoiceField(
        label="Role",
        choices=PART_CHOICES,
        help_text="Cast, or the crew job. A director is a credit with role Director.",
    )

    class Meta:
        model = Credit
        fields = ["person", "part", "job", "character", "credited_as", "billing_order", "is_star"]
        labels = {"job": "Other job", "billing_order": "Order"}
        help_texts = {
            "job": "Only for “Other crew job”.",
            "character": "Cast only.",
            "credited_as": "Name on screen, if different.",
            "billing_order": "",
            "is_star": "",
        }
        widgets = {
            "job": forms.TextInput(attrs={"size": 12}),
            "character": forms.TextInput(attrs={"size": 14}),
            "credited_as": forms.TextInput(attrs={"size": 14}),
            "billing_order": forms.NumberInput(attrs={"class": "narrow-number"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        credit = self.instance
        if credit.pk is not None:
            if credit.role == Credit.Role.CAST:
                self.initial["part"] = CAST
            elif credit.job in COMMON_JOBS:
                self.initial["part"] = credit.job
                self.initial["job"] = ""
            else:
                self.initial["part"] = OTHER_CREW

    def clean(self):
        cleaned = super().clean()
        part = cleaned.get("part")
        job = cleaned.get("job", "")
        if part == CAST:
            self.instance.role = Credit.Role.CAST
        elif part:
            self.instance.role = Credit.Role.CREW
            if part != OTHER_CREW:
                if job and job != part:
                    self.add_error(
                        "job",
                        f"Leave “Other job” empty when the role is {part}, "
                        "or choose “Other crew job”.",
                    )
                cleaned["job"] = part
        return cleaned


def thumbnail(image, alt=""):
    """A 48 px wide preview from the smallest stored rendition (no storage
    call: the row's size columns give the URL), or a dash."""
    if not image:
        return "—"
    picture = picture_for(image)
    url = picture.jpeg[0].url if picture else image.url
    return format_html('<img class="admin-thumbnail" src="{}" alt="{}" width="48">', url, alt)


@admin.display(description="Poster")
def poster_thumbnail(film):
    return thumbnail(film.poster)


@admin.display(description="Photo")
def photo_thumbnail(person):
    return thumbnail(person.photo)


@admin.display(description="Preview")
def still_thumbnail(still):
    return thumbnail(still.image)


class AdminLayoutMedia:
    """Admin CSS: inline tables scroll inside themselves rather than widen
    the page past the screen (static/css/admin.css)."""

    css = {"all": ["css/admin.css"]}
