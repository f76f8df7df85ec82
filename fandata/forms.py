from django import forms

from accounts.forms import limit_password_fields


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
