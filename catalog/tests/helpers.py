"""Small builders for test data; each returns a saved row."""

import itertools

from catalog.models import Credit, Film, Person

_counter = itertools.count(1)


def make_film(**fields):
    n = next(_counter)
    fields.setdefault("title", f"Test film {n}")
    fields.setdefault("slug", f"test-film-{n}")
    fields.setdefault("year", 2000)
    return Film.objects.create(**fields)


def make_person(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Test Person {n}")
    fields.setdefault("slug", f"test-person-{n}")
    return Person.objects.create(**fields)


def make_credit(film, person=None, **fields):
    fields.setdefault("role", Credit.Role.CAST)
    return Credit.objects.create(film=film, person=person or make_person(), **fields)


def make_film_with_credits(cast_size, crew_size=0):
    """A film with many credits, for checking query counts don't grow with size."""
    film = make_film()
    people = Person.objects.bulk_create(
        Person(name=f"Bulk Person {film.pk}-{i}", slug=f"bulk-{film.pk}-{i}")
        for i in range(cast_size + crew_size)
    )
    Credit.objects.bulk_create(
        [
            Credit(
                film=film,
                person=person,
                role=Credit.Role.CAST,
                character=f"Character {i}",
                billing_order=i + 1,
                is_star=i < 3,
            )
            for i, person in enumerate(people[:cast_size])
        ]
        + [
            Credit(
                film=film,
                person=person,
                role=Credit.Role.CREW,
                job="Director" if i == 0 else "Editor",
            )
            for i, person in enumerate(people[cast_size:])
        ]
    )
    return film
