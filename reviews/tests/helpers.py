"""Builders for fans, ratings and reviews in tests; each returns saved rows."""

import itertools

from django.contrib.auth import get_user_model
from django.test import override_settings

from reviews import services
from reviews.models import Review

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-staple-42"

# Tests that post a lot switch the limits off; the rate-limit tests set their own.
no_rate_limits = override_settings(RATE_LIMITS_ENABLED=False)


def make_user(username=None, **fields):
    n = next(_counter)
    username = username or f"fan{n}"
    fields.setdefault("email", f"{username}@example.com")
    return get_user_model().objects.create_user(username, password=PASSWORD, **fields)


def make_fan_review(film, author, points=None, **fields):
    """A fan's review saved the way the site saves it: `points` (or None)
    become the fan's Rating, which the review shows, and the counters follow."""
    fields.setdefault("title", "My review")
    fields.setdefault("body", "I have thoughts.\n\nMany thoughts.")
    review = Review(film=film, author=author, **fields)
    return services.save_review(review, points)


def make_imported_review(film, rating=None, **fields):
    """A review by someone without an account, as staff add one in the admin:
    `rating` (points out of 10, or None) becomes its own Rating row."""
    fields.setdefault("author_name", "Ollie")
    fields.setdefault("title", "Imported review")
    fields.setdefault("body", "From the old fan site.")
    return services.save_review(Review(film=film, **fields), rating)
