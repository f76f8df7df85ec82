"""Cache invalidation: every catalogue write forgets the cached pages it changes.

Signals, because catalogue rows are written from many places (admin forms
and inlines, loaddata, management commands) and the cache must hear about
every one of them. See catalog/page_cache.py for what each scope covers.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from . import page_cache
from .models import (
    AlternateTitle,
    BoxOfficeFigure,
    Country,
    Credit,
    Film,
    FilmingLocation,
    Genre,
    Language,
    Person,
    ReleaseDate,
    Still,
    Trivia,
)


def _previous_slug(model, instance):
    if instance.pk is None:
        return None
    return model.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()


@receiver(pre_save, sender=Film)
@receiver(pre_save, sender=Person)
def remember_previous_slug(sender, instance, raw=False, **kwargs):
    # A page cached under the old address must go too when the slug changes.
    instance._previous_slug = None if raw else _previous_slug(sender, instance)


@receiver(post_save, sender=Film)
@receiver(post_delete, sender=Film)
def film_changed(sender, instance, **kwargs):
    slugs = {instance.slug, getattr(instance, "_previous_slug", None)} - {None}
    page_cache.invalidate_film(instance.pk, slugs=slugs)


@receiver(post_save, sender=Person)
@receiver(post_delete, sender=Person)
def person_changed(sender, instance, **kwargs):
    slugs = {instance.slug, getattr(instance, "_previous_slug", None)} - {None}
    page_cache.invalidate_person(instance.pk, slugs=slugs)


@receiver(post_save, sender=Credit)
@receiver(post_delete, sender=Credit)
def credit_changed(sender, instance, **kwargs):
    page_cache.invalidate_film(instance.film_id)
    page_cache.invalidate_person(instance.person_id)


@receiver(post_save, sender=AlternateTitle)
@receiver(post_delete, sender=AlternateTitle)
@receiver(post_save, sender=BoxOfficeFigure)
@receiver(post_delete, sender=BoxOfficeFigure)
@receiver(post_save, sender=ReleaseDate)
@receiver(post_delete, sender=ReleaseDate)
@receiver(post_save, sender=FilmingLocation)
@receiver(post_delete, sender=FilmingLocation)
@receiver(post_save, sender=Trivia)
@receiver(post_delete, sender=Trivia)
@receiver(post_save, sender=Still)
@receiver(post_delete, sender=Still)
def film_fact_changed(sender, instance, **kwargs):
    page_cache.invalidate_film(instance.film_id)
    if sender is Still and instance.pk:
        for person_id in instance.people.values_list("pk", flat=True):
            page_cache.invalidate_person(person_id)


@receiver(m2m_changed, sender=Film.genres.through)
@receiver(m2m_changed, sender=Film.countries.through)
@receiver(m2m_changed, sender=Film.languages.through)
def film_taxonomy_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # a genre (country, language) gained or lost films
        for film_id in pk_set or instance.films.values_list("pk", flat=True):
            page_cache.invalidate_film(film_id)
    else:
        page_cache.invalidate_film(instance.pk)


@receiver(m2m_changed, sender=Still.people.through)
def still_people_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_") or reverse:
        return
    page_cache.invalidate_film(instance.film_id)
    for person_id in pk_set or ():
        page_cache.invalidate_person(person_id)


@receiver(pre_delete, sender=Genre)
@receiver(pre_delete, sender=Country)
@receiver(pre_delete, sender=Language)
def remember_taxonomy_films(sender, instance, **kwargs):
    # Deleting it takes its film links with it; note them while they exist.
    instance._film_slugs = list(instance.films.values_list("slug", flat=True))


@receiver(post_save, sender=Genre)
@receiver(post_delete, sender=Genre)
@receiver(post_save, sender=Country)
@receiver(post_delete, sender=Country)
@receiver(post_save, sender=Language)
@receiver(post_delete, sender=Language)
def taxonomy_changed(sender, instance, **kwargs):
    # Its name shows on the pages of its films and on the lists.
    film_slugs = getattr(instance, "_film_slugs", None)
    if film_slugs is None:
        film_slugs = instance.films.values_list("slug", flat=True)
    page_cache.bump(page_cache.LISTS, *(page_cache.film_scope(slug) for slug in film_slugs))
