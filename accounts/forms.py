from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator

# Django's password fields have no length limit; a passphrase longer than this
# is a mistake or an attempt to make the server hash megabytes.
MAX_PASSWORD_LENGTH = 256


def limit_password_fields(form, *names):
    for name in names:
        field = form.fields[name]
        field.validators.append(MaxLengthValidator(MAX_PASSWORD_LENGTH))
        field.widget.attrs["maxlength"] = str(MAX_PASSWORD_LENGTH)


class LoginForm(AuthenticationForm):
    """Django's login form with real length limits: its username limit is only
    an HTML attribute, so a 10,000-character name reached authenticate() and
    the login throttle's varchar(255) column (a 500 on PostgreSQL)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
        # A field that fails validation is left out of cleaned_data, and then
        # AuthenticationForm.clean() does not try to authenticate at all.
        limit_password_fields(self, "password")


class SignUpForm(UserCreationForm):
    """Username, email and a password checked by AUTH_PASSWORD_VALIDATORS."""

    email = forms.EmailField(
        max_length=254,
        help_text="For resetting your password. Never shown to anyone.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_password_fields(self, "password1", "password2")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        # Checked here rather than by a constraint: auth.User's email column is
        # not unique, and a duplicate would send one reset link to two accounts.
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email
