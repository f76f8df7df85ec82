"""Counters after an account is deleted.

Deleting a user (in the admin) cascades to their ratings, reviews and helpful
votes without passing through reviews.services, so films and reviews would
keep counting them. The counters are a cache of those rows; these receivers
refresh it. They act only on deletions that start from a user (`origin`):
every other deletion already goes through the services.
"""

from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import HelpfulVote, Rating, Review


def _from_account_deletion(origin):
    return isinstance(origin, get_user_model())


@receiver(post_delete, sender=Rating)
@receiver(post_delete, sender=Review)
def refresh_film_after_account_deletion(sender, instance, origin=None, **kwargs):
    if _from_account_deletion(origin):
        from .services import _lock_film, refresh_film_counters

        # The collector deletes ratings and reviews in either order; whichever
        # comes last refreshes the film with both gone.
        _lock_film(instance.film_id)
        refresh_film_counters(instance.film_id)


@receiver(post_delete, sender=HelpfulVote)
def uncount_vote_after_account_deletion(sender, instance, origin=None, **kwargs):
    if _from_account_deletion(origin):
        Review.objects.filter(pk=instance.review_id, helpful_count__gt=0).update(
            helpful_count=F("helpful_count") - 1
        )
