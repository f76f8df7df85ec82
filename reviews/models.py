"""What fans say about films: reviews (and, with them, ratings)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from catalog.models import Film

# Ratings are stored as whole points 1–10 and shown as half stars out of five.
MIN_POINTS = 1
MAX_POINTS = 10
points_validators = [MinValueValidator(MIN_POINTS), MaxValueValidator(MAX_POINTS)]


# Sort keys of a film's review list: ?sort=<key> → (label, ordering). Only
# these keys are accepted, so a query parameter never reaches order_by().
DEFAULT_REVIEW_SORT = "newest"
REVIEW_SORTS = {
    "newest": ("Newest", [F("published_at").desc(nulls_last=True), "-id"]),
    "highest": ("Highest rated", [F("rating").desc(nulls_last=True), "-id"]),
    "lowest": ("Lowest rated", [F("rating").asc(nulls_last=True), "-id"]),
    "helpful": ("Most helpful", ["-helpful_count", "-id"]),
}


class ReviewQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Review.Status.PUBLISHED)

    def newest_first(self):
        # Imported reviews may have no known date; they sort after dated ones.
        return self.order_by(F("published_at").desc(nulls_last=True), "-id")

    def with_film(self):
        return self.select_related("film", "author")

    def imported_ratings(self):
        """Ratings of published reviews by authors without an account (such as
        "Ollie"): they count toward a film's summary like a fan's rating."""
        return self.published().filter(author__isnull=True, rating__isnull=False)

    def sorted_by(self, key):
        """The film review list's sort orders; unknown keys get the default."""
        order = REVIEW_SORTS.get(key, REVIEW_SORTS[DEFAULT_REVIEW_SORT])[1]
        return self.order_by(*order)


class Review(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden by staff"

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    # For reviews imported from elsewhere whose authors have no account here.
    author_name = models.CharField(
        max_length=150, blank=True, help_text="Only for reviews by people without an account."
    )
    title = models.CharField(max_length=200)
    body = models.TextField(
        max_length=20_000, help_text="Plain text; blank lines separate paragraphs."
    )
    rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=points_validators,
        help_text="Points out of 10 (two points a star).",
    )
    is_spoiler = models.BooleanField("contains spoilers", default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    helpful_count = models.PositiveIntegerField(default=0, editable=False)
    # Null when the source did not date the review.
    published_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    source = models.CharField(
        max_length=200, blank=True, help_text="Where an imported review was first published."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = [F("published_at").desc(nulls_last=True), "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "author"],
                condition=Q(author__isnull=False),
                name="review_one_per_author_per_film",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | Q(rating__gte=MIN_POINTS, rating__lte=MAX_POINTS),
                name="review_rating_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(author__isnull=False) | ~Q(author_name=""),
                name="review_has_author_or_author_name",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["published", "hidden"]), name="review_status_valid"
            ),
        ]
        indexes = [
            # A film's review list and the film page's latest reviews.
            models.Index(fields=["film", "status", "-published_at"], name="review_film_newest_idx"),
            # Latest reviews on the home page.
            models.Index(fields=["status", "-published_at"], name="review_newest_idx"),
            # A film's review list sorted by most helpful.
            models.Index(
                fields=["film", "status", "-helpful_count"], name="review_film_helpful_idx"
            ),
            # A fan's profile: their reviews, newest first.
            models.Index(
                fields=["author", "status", "-published_at"], name="review_author_newest_idx"
            ),
        ]

    def __str__(self):
        return f"{self.title} — {self.author_display} on {self.film}"

    def get_absolute_url(self):
        return reverse("reviews:review-detail", args=[self.pk])

    @property
    def author_display(self):
        return self.author.get_username() if self.author_id else self.author_name

    def get_edit_url(self):
        return reverse("reviews:review-edit", args=[self.pk])

    def get_delete_url(self):
        return reverse("reviews:review-delete", args=[self.pk])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def paragraphs(self):
        """The body split on blank lines, each paragraph's lines joined."""
        blocks = [block.strip() for block in self.body.replace("\r\n", "\n").split("\n\n")]
        return [block for block in blocks if block]


class RatingQuerySet(models.QuerySet):
    def counted(self):
        """Ratings that count toward a film's summary: every fan's rating except
        when staff have hidden that fan's review of the film, because a hidden
        review's rating leaves the aggregates with it."""
        hidden_review = Review.objects.filter(
            film=OuterRef("film"), author=OuterRef("user"), status=Review.Status.HIDDEN
        )
        return self.filter(~Exists(hidden_review))

    def points_of(self, user, film):
        """A fan's points for a film, None if not rated (or not logged in)."""
        if not user.is_authenticated:
            return None
        return self.filter(film=film, user=user).values_list("points", flat=True).first()

    def distribution_rows(self, film):
        """(points, count) rows of one film's counted ratings, fans' and imported
        reviews' together, in one query of at most twenty rows."""
        fans = (
            self.counted()
            .filter(film=film)
            .order_by()
            .values_list("points")
            .annotate(n=Count("id"))
        )
        imported = (
            Review.objects.imported_ratings()
            .filter(film=film)
            .order_by()
            .values_list("rating")
            .annotate(n=Count("id"))
        )
        return fans.union(imported, all=True)


class Rating(models.Model):
    """A fan's stars for a film: one per fan per film, from the film page's
    widget or from their review's form (a review's rating *is* this row)."""

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings"
    )
    points = models.PositiveSmallIntegerField(
        validators=points_validators, help_text="Points out of 10 (two points a star)."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            # Also the index the film page's summary and "your rating" use.
            models.UniqueConstraint(fields=["film", "user"], name="rating_one_per_fan_per_film"),
            models.CheckConstraint(
                condition=Q(points__gte=MIN_POINTS, points__lte=MAX_POINTS),
                name="rating_points_1_to_10",
            ),
        ]
        indexes = [
            # A fan's profile: their ratings, latest first.
            models.Index(fields=["user", "-updated_at"], name="rating_user_latest_idx"),
        ]

    def __str__(self):
        return f"{self.user} rates {self.film} {self.points}/10"


class HelpfulVote(models.Model):
    """A fan found someone else's review helpful. Counted in Review.helpful_count."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="helpful_votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_votes"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            # Also serves the review page's "you found this helpful" lookup.
            models.UniqueConstraint(fields=["review", "user"], name="helpful_vote_one_per_fan"),
        ]

    def __str__(self):
        return f"{self.user} found review {self.review_id} helpful"


class ReviewReport(models.Model):
    """A fan's complaint about a review, for staff to act on in the admin."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abusive, hateful or harassing"
        SPOILERS = "spoilers", "Unmarked spoilers"
        OFF_TOPIC = "off-topic", "Not about the film"
        OTHER = "other", "Something else"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_reports"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=1000, blank=True)
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["resolved", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reporter"], name="review_report_one_per_fan"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=["spam", "abuse", "spoilers", "off-topic", "other"]),
                name="review_report_reason_valid",
            ),
        ]
        indexes = [
            # The admin's report list: open reports first, newest first.
            models.Index(fields=["resolved", "-created_at"], name="report_open_latest_idx"),
        ]

    def __str__(self):
        return f"Report on review {self.review_id}: {self.get_reason_display()}"
