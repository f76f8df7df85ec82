"""Keep the folded search text of films and people in step with their names.

`search_text` is a cache of data that lives elsewhere (titles, alternate
titles, names, credited-as names). Signals rather than save() methods,
because those rows are written from many places that skip save(): admin
inlines save each row on its own, `loaddata` saves fixture rows raw, and
deletes of credits happen in cascades. Bulk writers (the synthetic catalogue
generator) fill the column themselves, and `refresh_search_text` rebuilds it
for any queryset.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from ..models import AlternateTitle, Credit, Film, Person


@receiver(pre_save, sender=Film)
def fold_film_titles(sender, instance, **kwargs):
    alternates = (
        list(AlternateTitle.objects.filter(film_id=instance.pk).values_list("title", flat=True))
        if instance.pk
        else []
    )
    instance.search_text = instance.build_search_text(alternates)


@receiver(pre_save, sender=Person)
def fold_person_names(sender, instance, **kwargs):
    credited = (
        list(
            Credit.objects.filter(person_id=instance.pk)
            .exclude(credited_as="")
            .values_list("credited_as", flat=True)
            .distinct()
        )
        if instance.pk
        else []
    )
    instance.search_text = instance.build_search_text(credited)


@receiver([post_save, post_delete], sender=AlternateTitle)
def refresh_film_search_text(sender, instance, **kwargs):
    Film.objects.filter(pk=instance.film_id).refresh_search_text()


@receiver(pre_save, sender=Credit)
def remember_credited_person(sender, instance, raw=False, **kwargs):
    # A credit moved to another person (in the admin) takes its credited-as
    # name away from the first one, whose text must be refreshed too.
    instance._previous_person_id = (
        Credit.objects.filter(pk=instance.pk).values_list("person_id", flat=True).first()
        if instance.pk and not raw
        else None
    )


@receiver([post_save, post_delete], sender=Credit)
def refresh_person_search_text(sender, instance, **kwargs):
    # Only credits with a credited-as name change what a person is found by
    # (a blank one may have replaced a name, so saves always refresh).
    if kwargs.get("signal") is post_delete and not instance.credited_as:
        return
    people = {instance.person_id, getattr(instance, "_previous_person_id", None)} - {None}
    Person.objects.filter(pk__in=people).refresh_search_text()
