from django import forms

from accounts.models import User


class OpenDataConsentForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["reviews_in_open_data"]
        labels = {"reviews_in_open_data": "Include my reviews in the open data dump"}
        help_texts = {
            "reviews_in_open_data": (
                "Your published reviews (title, text, stars, date) and your user name go "
                "into the next dump under its licence. Untick to leave the next dumps; "
                "copies already downloaded cannot be called back."
            )
        }
