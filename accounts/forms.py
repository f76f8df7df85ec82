from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm


class SignUpForm(UserCreationForm):
    """Username, email and a password checked by AUTH_PASSWORD_VALIDATORS."""

    email = forms.EmailField(
        max_length=254,
        help_text="For resetting your password. Never shown to anyone.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

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
