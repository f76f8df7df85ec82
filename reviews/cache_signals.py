"""Cache invalidation for what fans write: the film's cached pages go.

Writes that skip signals (queryset updates of counters and statuses) all end
in reviews.services.refresh_film_counters, which invalidates the film too.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog.page_cache import invalidate_film

from .models import HelpfulVote, Rating, Review


@receiver(post_save, sender=Rating)
@receiver(post_delete, sender=Rating)
@receiver(post_save, sender=Review)
@receiver(post_delete, sender=Review)
def rating_or_review_changed(sender, instance, **kwargs):
    invalidate_film(instance.film_id)


@receiver(post_save, sender=HelpfulVote)
@receiver(post_delete, sender=HelpfulVote)
def helpful_vote_changed(sender, instance, **kwargs):
    film_id = Review.objects.filter(pk=instance.review_id).values_list("film_id", flat=True).first()
    if film_id is not None:
        invalidate_film(film_id)


@receiver(post_save, sender=get_user_model())
def account_renamed(sender, instance, created, update_fields=None, **kwargs):
    # Reviews show their author's user name. A login only touches last_login.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    for film_id in Review.objects.filter(author=instance).values_list("film_id", flat=True):
        invalidate_film(film_id)
