"""What fans say about films: ratings and reviews.

A rating's points are stored in one place, the Rating row. A review shows the
rating its author gave (Rating.review links the two); it has no points of its own.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from catalog.models import Film
from core.db import OrderedIndex

# Ratings are stored as whole points 1–10 and shown as half stars out of five.
MIN_POINTS = 1
MAX_POINTS = 10
points_validators = [MinValueValidator(MIN_POINTS), MaxValueValidator(MAX_POINTS)]


# Sort keys of a film's review list: ?sort=<key> → (label, ordering). Only
# these keys are accepted, so a query parameter never reaches order_by().
DEFAULT_REVIEW_SORT = "newest"
REVIEW_SORTS = {
    "newest": ("Newest", [F("published_at").desc(nulls_last=True), "-id"]),
    "highest": ("Highest rated", [F("rating_row__points").desc(nulls_last=True), "-id"]),
    "lowest": ("Lowest rated", [F("rating_row__points").asc(nulls_last=True), "-id"]),
    "helpful": ("Most helpful", ["-helpful_count", "-id"]),
}


class ReviewQuerySet(models.QuerySet):
    def published(self):
        """Reviews visitors see, each with its Rating row joined: every page
        that lists reviews shows their stars (`Review.rating`), the film
        page's latest reviews included, and none of them pays a query a row."""
        return self.filter(status=Review.Status.PUBLISHED).select_related("rating_row")

    def newest_first(self):
        # Imported reviews may have no known date; they sort after dated ones.
        return self.order_by(F("published_at").desc(nulls_last=True), "-id")

    def with_film(self):
        return self.select_related("film", "author")

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
    is_spoiler = models.BooleanField("contains spoilers", default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    helpful_count = models.PositiveIntegerField(default=0, editable=False)
    # Null when the source did not date the review.
    published_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    source = models.CharField(
        max_length=200, blank=True, help_text="Where an imported review was first published."
    )
    # Staff's word to readers shown above the text, e.g. that an imported
    # review's source lost words at line ends. Never written by fans.
    editorial_note = models.TextField(
        blank=True,
        help_text="Shown to readers above the review, e.g. “The source page lost words at "
        "the ends of lines; the text is given as published.” Leave empty normally.",
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
                condition=Q(author__isnull=False) | ~Q(author_name=""),
                name="review_has_author_or_author_name",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["published", "hidden"]), name="review_status_valid"
            ),
        ]
        # Newest first is `published_at DESC NULLS LAST, id DESC` (see
        # newest_first); the indexes say the same, nulls included, or
        # PostgreSQL sorts every published review for the home page (issue
        # 14: 41 ms and 8.4 MB spilt to disk at 100,000 films; 0.3 ms).
        indexes = [
            # A film's review list and the film page's latest reviews.
            OrderedIndex(
                "film",
                "status",
                F("published_at").desc(nulls_last=True),
                F("id").desc(),
                name="review_film_newest_idx",
            ),
            # Latest reviews on the home page.
            OrderedIndex(
                "status",
                F("published_at").desc(nulls_last=True),
                F("id").desc(),
                name="review_newest_idx",
            ),
            # A film's review list sorted by most helpful.
            OrderedIndex(
                "film",
                "status",
                F("helpful_count").desc(),
                F("id").desc(),
                name="review_film_helpful_idx",
            ),
            # A fan's profile: their reviews, newest first.
            OrderedIndex(
                "author",
                "status",
                F("published_at").desc(nulls_last=True),
                F("id").desc(),
                name="review_author_newest_idx",
            ),
        ]

    def __str__(self):
        return f"{self.title} — {self.author_display} on {self.film}"

    def get_absolute_url(self):
        return reverse("reviews:review-detail", args=[self.pk])

    @property
    def rating(self):
        """The review's stars in points out of 10, None without: the points of
        its Rating row (joined by `published()`), the only place they live."""
        try:
            return self.rating_row.points
        except ObjectDoesNotExist:
            return None

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
        """Ratings that count toward a film's summary: fans' and imported
        reviews' alike, except those shown on a review staff have hidden,
        because a hidden review's rating leaves the aggregates with it."""
        return self.exclude(review__status=Review.Status.HIDDEN)

    def points_of(self, user, film):
        """A fan's points for a film, None if not rated (or not logged in)."""
        if not user.is_authenticated:
            return None
        return self.filter(film=film, user=user).values_list("points", flat=True).first()

    def distribution_rows(self, film):
        """(points, count) rows of one film's counted ratings: one query of at
        most ten rows."""
        return (
            self.counted()
            .filter(film=film)
            .order_by()
            .values_list("points")
            .annotate(n=Count("id"))
        )


def keep_fans_rating(collector, field, sub_objs, using):
    """on_delete of Rating.review. A fan's rating outlives their review (the
    link is emptied, as SET_NULL); an imported review's rating, which has no
    fan to belong to, is deleted with it (as CASCADE)."""
    imported = [rating for rating in sub_objs if rating.user_id is None]
    fans = [rating for rating in sub_objs if rating.user_id is not None]
    if imported:
        models.CASCADE(collector, field, imported, using)
    if fans:
        models.SET_NULL(collector, field, fans, using)


class Rating(models.Model):
    """Stars for a film, in points out of 10: the only place points are stored.

    A fan's rating (`user` set) is one row per fan and film, given from the
    film page's widget or from the fan's review form. A review imported from
    elsewhere whose author has no account here (the seed's "Ollie") has a
    rating with no user, which belongs to that review.

    `review` is the review that shows these stars, if any. The link lives on
    this row rather than on the review so that the statement that writes the
    points writes the link too (services.set_rating): giving, changing or
    clearing stars never writes the review, and deleting a fan's review only
    empties the link, so their rating stays. Invariant kept by the services:
    a fan's rating links to that fan's review of the same film when there is
    one.
    """

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ratings",
        help_text="Empty for the rating of an imported review whose author has no account.",
    )
    review = models.OneToOneField(
        Review,
        null=True,
        blank=True,
        on_delete=keep_fans_rating,
        related_name="rating_row",
        help_text="The review that shows these stars.",
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
            # One rating per fan and film; also the index the film page's
            # "your rating" and the rating upsert's ON CONFLICT use. Not
            # conditional on user: NULLs are distinct in a unique constraint
            # (SQLite and PostgreSQL), so imported reviews' ratings never
            # collide, and ON CONFLICT (film_id, user_id) can only target an
            # index without a WHERE.
            models.UniqueConstraint(fields=["film", "user"], name="rating_one_per_fan_per_film"),
            models.CheckConstraint(
                condition=Q(points__gte=MIN_POINTS, points__lte=MAX_POINTS),
                name="rating_points_1_to_10",
            ),
            # A rating belongs to a fan, or else to the imported review it is shown on.
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(review__isnull=False),
                name="rating_has_fan_or_review",
            ),
        ]
        indexes = [
            # A fan's profile: their ratings, latest first.
            models.Index(fields=["user", "-updated_at"], name="rating_user_latest_idx"),
        ]

    def __str__(self):
        who = self.user if self.user_id else "an imported review"
        return f"{who} rates {self.film} {self.points}/10"


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


class AlsoLiked(models.Model):
    """ "Fans who liked this also liked": for each film, up to ten other films
    most liked by the same fans, best first. Written only by the
    `compute_also_liked` command (reviews/also_liked.py), which replaces the
    whole table in one transaction."""

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(help_text="1 is the most similar.")
    fans = models.PositiveIntegerField(help_text="Fans who liked both films.")
    # Cosine similarity of the two films' sets of fans who liked them:
    # fans / sqrt(likers of film × likers of other), between 0 and 1.
    similarity = models.FloatField()

    class Meta:
        ordering = ["film", "rank"]
        constraints = [
            # Also the index the film page's section reads, in rank order.
            models.UniqueConstraint(fields=["film", "rank"], name="also_liked_rank_per_film"),
            models.UniqueConstraint(fields=["film", "other"], name="also_liked_pair_once"),
            models.CheckConstraint(condition=~Q(film=F("other")), name="also_liked_not_itself"),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=10), name="also_liked_rank_1_to_10"
            ),
            models.CheckConstraint(
                condition=Q(similarity__gt=0, similarity__lte=1),
                name="also_liked_similarity_0_to_1",
            ),
        ]
        indexes = [
            # Page-cache invalidation: which films' pages list this one.
            models.Index(fields=["other"], name="also_liked_other_idx"),
        ]

    def __str__(self):
        return f"{self.film_id} → {self.other_id} (#{self.rank}, {self.fans} fans)"
