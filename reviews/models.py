"""What fans say about films: reviews (and, with them, ratings)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from catalog.models import Film

# Ratings are stored as whole points 1–10 and shown as half stars out of five.
MIN_POINTS = 1
MAX_POINTS = 10
points_validators = [MinValueValidator(MIN_POINTS), MaxValueValidator(MAX_POINTS)]


class ReviewQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Review.Status.PUBLISHED)

    def newest_first(self):
        # Imported reviews may have no known date; they sort after dated ones.
        return self.order_by(F("published_at").desc(nulls_last=True), "-id")

    def with_film(self):
        return self.select_related("film", "author")


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
        ]

    def __str__(self):
        return f"{self.title} — {self.author_display} on {self.film}"

    def get_absolute_url(self):
        return reverse("reviews:review-detail", args=[self.pk])

    @property
    def author_display(self):
        return self.author.get_username() if self.author_id else self.author_name

    @property
    def paragraphs(self):
        """The body split on blank lines, each paragraph's lines joined."""
        blocks = [block.strip() for block in self.body.replace("\r\n", "\n").split("\n\n")]
        return [block for block in blocks if block]
