from django import forms
from django.db.models import F
from django.utils import timezone

from catalog.filters import FilmFilterSet
from core.text import MAX_QUERY_LENGTH
from reviews.forms import POINT_CHOICES, StarRadioSelect
from reviews.models import Review

from .models import FIRST_VIEWING, FilmList, ListEntry

# The watchlist's sorts: key in the URL → (label, ORDER BY on the fan's
# films, annotated with `added_at`). Each ends in a unique column, so pages
# never repeat a film.
WATCHLIST_SORTS = {
    "added": ("Recently added", ["-added_at", "-id"]),
    "title": ("Title", ["title", "year", "id"]),
    "-year": ("Newest films first", [F("year").desc(nulls_last=True), "title", "id"]),
    "year": ("Oldest films first", [F("year").asc(nulls_last=True), "title", "id"]),
    "-outside": (
        "Outside rating",
        [F("external_rating").desc(nulls_last=True), "title", "id"],
    ),
}
DEFAULT_WATCHLIST_SORT = "added"


class WatchlistFilterSet(FilmFilterSet):
    """The film list's filters (genre, decade…), applied to a fan's watchlist:
    the same form, the same errors. Its film sorts give way to the
    watchlist's own (`sort` below), and only genre and decade are shown."""

    SHOWN = ("genre", "decade")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.filters):
            if name not in self.SHOWN:
                del self.filters[name]


class WatchlistSortForm(forms.Form):
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in WATCHLIST_SORTS.items()],
        required=False,
    )

    def ordering(self):
        key = self.cleaned_data.get("sort") if self.is_valid() else None
        return WATCHLIST_SORTS[key or DEFAULT_WATCHLIST_SORT][1]


class WatchlistVisibilityForm(forms.Form):
    public = forms.TypedChoiceField(
        label="Who can see your watchlist?",
        choices=[("0", "Only me"), ("1", "Everyone")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


class DiaryEntryForm(forms.Form):
    """Log a viewing. The stars are the fan's one rating of the film (the
    film page's widget shows the same); the review fields appear only for a
    fan who has not reviewed the film yet, and make that review."""

    watched_on = forms.DateField(
        label="Date watched",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date such as 2026-12-02."},
    )
    rewatch = forms.BooleanField(label="I had seen it before (a rewatch)", required=False)
    liked = forms.BooleanField(label="I liked it ♥", required=False)
    rating = forms.TypedChoiceField(
        label="Your rating (optional)",
        choices=[("", "No rating"), *POINT_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        widget=StarRadioSelect,
        help_text="Your one rating of this film: the stars on its page change too.",
    )
    review_title = forms.CharField(
        label="Review title (optional)",
        max_length=Review._meta.get_field("title").max_length,
        required=False,
    )
    review_body = forms.CharField(
        label="Review (optional)",
        max_length=Review._meta.get_field("body").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Plain text. Leave a blank line between paragraphs.",
    )
    is_spoiler = forms.BooleanField(label="This review reveals the plot (spoilers)", required=False)

    def __init__(self, *args, with_review=True, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["watched_on"].initial = today
        self.fields["watched_on"].widget.attrs.update(min=FIRST_VIEWING, max=today.isoformat())
        if not with_review:
            for name in ("review_title", "review_body", "is_spoiler"):
                del self.fields[name]

    def clean_watched_on(self):
        day = self.cleaned_data["watched_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("That day has not come yet: a viewing is in the past.")
        if day.isoformat() < FIRST_VIEWING:
            raise forms.ValidationError("Films were first shown in 1888; pick a later date.")
        return day

    def clean(self):
        cleaned = super().clean()
        title = cleaned.get("review_title", "").strip()
        body = cleaned.get("review_body", "").strip()
        if body and not any(ch.isalnum() for ch in title):
            self.add_error("review_title", "Give your review a title with words in it.")
        if title and len(body) < 10:
            self.add_error("review_body", "Write at least a sentence or two (10 characters).")
        return cleaned

    def review(self):
        """The review to publish with this viewing (unsaved), or None."""
        body = self.cleaned_data.get("review_body", "").strip()
        if not body:
            return None
        return Review(
            title=self.cleaned_data["review_title"].strip(),
            body=body,
            is_spoiler=self.cleaned_data.get("is_spoiler", False),
        )


class FilmListForm(forms.ModelForm):
    class Meta:
        model = FilmList
        fields = ["title", "description", "ranked", "visibility"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "visibility": forms.RadioSelect,
        }
        labels = {"visibility": "Who can see it?"}

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not any(ch.isalnum() for ch in title):
            raise forms.ValidationError("Give your list a name with words in it.")
        return title


class ListEntryNoteForm(forms.ModelForm):
    class Meta:
        model = ListEntry
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class MoveForm(forms.Form):
    """Where an entry goes: one place up or down (the buttons), or to a
    place typed in."""

    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")], required=False)
    position = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("direction") and cleaned.get("position") is None:
            raise forms.ValidationError("Say where to move the film.")
        return cleaned

    def target(self, current):
        if self.cleaned_data.get("position") is not None:
            return self.cleaned_data["position"]
        return current - 1 if self.cleaned_data["direction"] == "up" else current + 1


class FilmSearchForm(forms.Form):
    q = forms.CharField(label="Find a film to add", max_length=MAX_QUERY_LENGTH, required=False)
