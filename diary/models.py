"""A fan's film life: what they want to see, what they saw, the lists they
make, whom they follow and what they like.

Ratings and reviews stay in the reviews app: a diary entry links to the fan's
own Rating and Review rows, never a copy of their points or text.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from catalog.models import FIRST_FILM_YEAR, Film, FilmQuerySet
from reviews.models import Rating, Review

# Nobody logged a viewing before the first public screening.
FIRST_VIEWING = f"{FIRST_FILM_YEAR}-01-01"


class WatchlistEntryQuerySet(models.QuerySet):
    def of(self, fan):
        return self.filter(user=fan)


class WatchlistEntry(models.Model):
    """A film a fan wants to see. One row per fan and film (the database says so)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlist_entries"
    )
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="watchlist_entries")
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = WatchlistEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "watchlist entries"
        constraints = [
            # Two tabs adding the same film at once leave one row; also the
            # index of the watchlist buttons' "is it on my list" look-up.
            models.UniqueConstraint(fields=["user", "film"], name="watchlist_one_per_fan_per_film"),
        ]
        indexes = [
            # The watchlist page sorted by "added", newest first.
            models.Index(fields=["user", "-added_at", "-id"], name="watchlist_user_added_idx"),
        ]

    def __str__(self):
        return f"{self.user} wants to see {self.film}"


class DiaryEntryQuerySet(models.QuerySet):
    def of(self, fan):
        return self.filter(user=fan)

    def newest_first(self):
        return self.order_by("-watched_on", "-id")

    def for_pages(self):
        """What a diary line shows: the film's card fields and the stars and
        review linked (one join each, no query per row)."""
        return self.select_related("film", "rating", "review").only(
            "watched_on",
            "rewatch",
            "liked",
            "created_at",
            "user_id",
            *(f"film__{name}" for name in FilmQuerySet.CARD_FIELDS),
            "rating__points",
            "review__title",
            "review__status",
        )


class DiaryEntry(models.Model):
    """One viewing of a film. A film can be logged any number of times.

    `rating` and `review` point at the fan's own rows in the reviews app,
    written through its services, so the film's counters stay exact and the
    points live in one place.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary_entries"
    )
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="diary_entries")
    watched_on = models.DateField("date watched")
    rewatch = models.BooleanField("I had seen it before", default=False)
    liked = models.BooleanField("I liked it", default=False)
    rating = models.ForeignKey(
        Rating,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="diary_entries",
        help_text="The fan's rating of the film when they logged this viewing.",
    )
    review = models.ForeignKey(
        Review,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="diary_entries",
        help_text="The fan's review of the film, if they wrote one with this viewing.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DiaryEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "diary entries"
        constraints = [
            # "Never in the future" depends on the day, which a CHECK cannot
            # read; the form refuses it. The database refuses the absurd.
            models.CheckConstraint(
                condition=Q(watched_on__gte=FIRST_VIEWING), name="diary_watched_after_1888"
            ),
        ]
        indexes = [
            # The diary page, newest viewing first, and the profile's counts.
            models.Index(fields=["user", "-watched_on", "-id"], name="diary_user_watched_idx"),
            # The followers' activity feed: a fan's latest entries.
            models.Index(fields=["user", "-created_at"], name="diary_user_created_idx"),
        ]

    def __str__(self):
        return f"{self.user} watched {self.film} on {self.watched_on}"


def new_list_token():
    """The list's address: 16 URL-safe characters (96 random bits), so an
    unlisted list cannot be found by guessing or counting."""
    return secrets.token_urlsafe(12)


class FilmListQuerySet(models.QuerySet):
    def public(self):
        return self.filter(visibility=FilmList.Visibility.PUBLIC)

    def visible_to(self, user):
        """Lists anyone may open by their link (public and unlisted), plus
        the user's own private ones."""
        shown = ~Q(visibility=FilmList.Visibility.PRIVATE)
        if user.is_authenticated:
            shown |= Q(owner=user)
        return self.filter(shown)


class FilmList(models.Model):
    """A fan's named list of films, in an order of their choosing."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: on your profile, in search engines"
        UNLISTED = "unlisted", "Unlisted: only people with the link"
        PRIVATE = "private", "Private: only you"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="film_lists"
    )
    token = models.CharField(max_length=32, unique=True, default=new_list_token, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(
        max_length=5_000, blank=True, help_text="Plain text; blank lines separate paragraphs."
    )
    ranked = models.BooleanField(
        "numbered (a ranking)", default=False, help_text="Show each film's place: 1, 2, 3…"
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # Kept by services (add, remove, like, unlike) in the same transaction.
    entry_count = models.PositiveIntegerField(default=0, editable=False)
    like_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = FilmListQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "unlisted", "private"]),
                name="film_list_visibility_valid",
            ),
        ]
        indexes = [
            # A fan's lists on their profile and the activity feed, latest first.
            models.Index(
                fields=["owner", "visibility", "-updated_at"], name="film_list_owner_updated_idx"
            ),
            # The sitemap of public lists.
            models.Index(fields=["visibility", "id"], name="film_list_visibility_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("diary:list-detail", args=[self.token])

    def get_edit_url(self):
        return reverse("diary:list-edit", args=[self.token])

    @property
    def is_public(self):
        return self.visibility == self.Visibility.PUBLIC

    @property
    def is_private(self):
        return self.visibility == self.Visibility.PRIVATE

    @property
    def paragraphs(self):
        blocks = [b.strip() for b in self.description.replace("\r\n", "\n").split("\n\n")]
        return [block for block in blocks if block]


class ListEntry(models.Model):
    """A film on a list, at a position (1, 2, 3… without gaps), with a note."""

    film_list = models.ForeignKey(FilmList, on_delete=models.CASCADE, related_name="entries")
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="list_entries")
    position = models.IntegerField()
    note = models.TextField(max_length=2_000, blank=True)
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "list entries"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["film_list", "film"], name="list_entry_film_once"),
            # Also the index the list page reads its entries in order by.
            models.UniqueConstraint(
                fields=["film_list", "position"], name="list_entry_position_unique"
            ),
        ]
        indexes = [
            # The film page's "In N public lists".
            models.Index(fields=["film", "film_list"], name="list_entry_film_idx"),
        ]

    def __str__(self):
        return f"{self.position}. {self.film} on {self.film_list}"


class Follow(models.Model):
    """`follower` sees `followed`'s activity in their feed."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following"
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            # Also the feed's "whom do I follow" index.
            models.UniqueConstraint(fields=["follower", "followed"], name="follow_once"),
            models.CheckConstraint(
                condition=~Q(follower=models.F("followed")), name="follow_not_oneself"
            ),
        ]
        indexes = [
            # The profile's follower count.
            models.Index(fields=["followed"], name="follow_followed_idx"),
        ]

    def __str__(self):
        return f"{self.follower} follows {self.followed}"


class Like(models.Model):
    """A fan's heart on a review or a list: one per fan and thing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes"
    )
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.CASCADE, related_name="likes"
    )
    film_list = models.ForeignKey(
        FilmList, null=True, blank=True, on_delete=models.CASCADE, related_name="likes"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(review__isnull=False) & Q(film_list__isnull=True))
                | (Q(review__isnull=True) & Q(film_list__isnull=False)),
                name="like_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "review"],
                condition=Q(review__isnull=False),
                name="like_review_once_per_fan",
            ),
            models.UniqueConstraint(
                fields=["user", "film_list"],
                condition=Q(film_list__isnull=False),
                name="like_list_once_per_fan",
            ),
        ]
        indexes = [
            # A review's like count.
            models.Index(
                fields=["review"], condition=Q(review__isnull=False), name="like_review_idx"
            ),
            # Deleting a list deletes its likes.
            models.Index(
                fields=["film_list"], condition=Q(film_list__isnull=False), name="like_list_idx"
            ),
        ]

    def __str__(self):
        target = f"review {self.review_id}" if self.review_id else f"list {self.film_list_id}"
        return f"{self.user} likes {target}"
