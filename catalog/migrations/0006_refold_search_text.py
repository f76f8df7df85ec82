"""Refold every film's and person's search text with issue 14's folding
(core/text.py: elided articles split, numbers apart from letters, dotted
abbreviations run together, fractions kept apart). Derived data only: the
names themselves are untouched. On SQLite the FTS5 triggers follow the
updates; PostgreSQL's GIN indexes are on the column itself."""

from django.db import migrations

from core.text import index_text

BATCH = 5_000


def _refold(model, names_of):
    last = 0
    while True:
        rows = list(
            model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "search_text")[
                :BATCH
            ]
        )
        if not rows:
            return
        last = rows[-1][0]
        names = names_of([pk for pk, _ in rows])
        changed = []
        for pk, text in rows:
            new = index_text(*names.get(pk, ()))
            if new != text:
                changed.append(model(pk=pk, search_text=new))
        model.objects.bulk_update(changed, ["search_text"], batch_size=500)


def refold(apps, schema_editor):
    Film = apps.get_model("catalog", "Film")
    AlternateTitle = apps.get_model("catalog", "AlternateTitle")
    Person = apps.get_model("catalog", "Person")
    Credit = apps.get_model("catalog", "Credit")

    def film_names(ids):
        # The order Film.build_search_text uses: title, original title, alternates.
        names = {
            pk: [title, original]
            for pk, title, original in Film.objects.filter(pk__in=ids).values_list(
                "pk", "title", "original_title"
            )
        }
        for film_id, title in (
            AlternateTitle.objects.filter(film_id__in=ids)
            .order_by("title")
            .values_list("film_id", "title")
        ):
            names[film_id].append(title)
        return names

    def person_names(ids):
        names = {
            pk: [name] for pk, name in Person.objects.filter(pk__in=ids).values_list("pk", "name")
        }
        for person_id, name in (
            Credit.objects.filter(person_id__in=ids)
            .exclude(credited_as="")
            .values_list("person_id", "credited_as")
            .order_by("person_id", "credited_as")
            .distinct()
        ):
            names[person_id].append(name)
        return names

    _refold(Film, film_names)
    _refold(Person, person_names)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_ordered_indexes")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop, elidable=True)]
