"""Writes over a fan's whole account, across the apps that hold their data."""

from django.db import transaction

from reviews import services as reviews

from . import diary_bridge


@transaction.atomic
def delete_account(user, *, keep_reviews):
    """Delete a fan's account and everything that is theirs, in one
    transaction. Ratings, reviews and votes go through the reviews app, which
    keeps films' counters exact (their rows would otherwise vanish in the
    cascade); the rest (sessions aside) cascades from the user row."""
    diary_bridge.forget_fan(user)
    summary = reviews.forget_fan(user, keep_reviews=keep_reviews)
    user.delete()
    return summary
