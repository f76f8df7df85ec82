"""RSS and Atom feeds of the newest reviews, site-wide and for one film.

Each feed reads its reviews in one query (film and author joined), whatever
the number of reviews in the database.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from catalog.models import Film

from .forms import star_label
from .models import Review

FEED_SIZE = 20
EXCERPT_WORDS = 80


class NewestReviewsFeed(Feed):
    def title(self):
        return f"Newest reviews on {settings.SITE_NAME}"

    def link(self):
        return reverse("catalog:home")

    def description(self):
        return f"The {FEED_SIZE} newest fans' reviews on {settings.SITE_NAME}."

    def items(self):
        return Review.objects.published().with_film().newest_first()[:FEED_SIZE]

    def item_title(self, review):
        # Stars out of 5, as every page shows a fan's rating.
        rating = f" ({star_label(review.rating)} out of 5 stars)" if review.rating else ""
        return f"{review.title}{rating}: review of {review.film} by {review.author_display}"

    def item_description(self, review):
        # Plain text: the syndication framework escapes it. Spoilers stay
        # behind the review's own page, as on the site's lists.
        if review.is_spoiler:
            return "This review contains spoilers; read it on the site."
        return Truncator(review.body).words(EXCERPT_WORDS)

    def item_author_name(self, review):
        return review.author_display

    def item_pubdate(self, review):
        return review.published_at

    def item_updateddate(self, review):
        return review.updated_at


class FilmReviewsFeed(NewestReviewsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Film, slug=slug)

    def title(self, film):
        return f"Newest reviews of {film} on {settings.SITE_NAME}"

    def link(self, film):
        return reverse("reviews:film-review-list", args=[film.slug])

    def description(self, film):
        return f"The {FEED_SIZE} newest fans' reviews of {film}."

    def items(self, film):
        return film.reviews.published().with_film().newest_first()[:FEED_SIZE]


class NewestReviewsAtomFeed(NewestReviewsFeed):
    feed_type = Atom1Feed
    subtitle = NewestReviewsFeed.description


class FilmReviewsAtomFeed(FilmReviewsFeed):
    feed_type = Atom1Feed
    subtitle = FilmReviewsFeed.description
