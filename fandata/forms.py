from django import forms

from accounts.forms import limit_password_fields

from .uploads import MAX_UPLOAD_BYTES


class AccountDeleteForm(forms.Form):
    """The fan says what becomes of their reviews and confirms with their
    password: a session left open on a shared computer is not enough to
    delete an account."""

    KEEP = "keep"
    DELETE = "delete"

    reviews = forms.ChoiceField(
        label="Your reviews",
        choices=[
            (KEEP, "Keep them on the site, signed “deleted fan” (with their stars)"),
            (DELETE, "Delete them with everything else"),
        ],
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        limit_password_fields(self, "password")

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password

    @property
    def keep_reviews(self):
        return self.cleaned_data["reviews"] == self.KEEP


class ImportUploadForm(forms.Form):
    """One file: a Letterboxd export ZIP or an IMDb ratings CSV. Its contents
    are checked by fandata/uploads.py when the view reads it."""

    export = forms.FileField(
        label="Your export file",
        help_text="Letterboxd: the ZIP from Settings → Import & Export → Export your data. "
        "IMDb: the CSV from Your ratings → Export.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.csv,application/zip,text/csv"}),
    )

    def clean_export(self):
        export = self.cleaned_data["export"]
        if export.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is too large ({export.size:,} bytes); "
                f"the limit is {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
            )
        return export


class ImportChoicesForm(forms.Form):
    """The preview's confirmation: for each ambiguous film, which one the fan
    means, or none."""

    SKIP = ""

    def __init__(self, preview, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for group in preview.ambiguous:
            first = group["rows"][0]
            label = first["title"] + (f" ({first['year']})" if first["year"] else "")
            self.fields[f"film-{group['number']}"] = forms.TypedChoiceField(
                label=f"“{label}” in your file is",
                choices=[
                    *(
                        (film["pk"], f"{film['title']} ({film['year'] or 'year unknown'})")
                        for film in group["films"]
                    ),
                    (self.SKIP, "None of these: skip it"),
                ],
                coerce=int,
                empty_value=None,
                required=False,
                initial=self.SKIP,
                widget=forms.RadioSelect,
            )

    def choices(self):
        """{group number: film id or None}."""
        return {int(name.removeprefix("film-")): value for name, value in self.cleaned_data.items()}
