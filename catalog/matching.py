"""Is this row a film or person the catalogue already has?

Staff spreadsheets (catalog/resources.py) ask this of every row, and so may
any importer. The rules, in order, never guessing:

1. an exact identifier the row gives (slug, outside ID) names one row, or
   the row is in error;
2. otherwise a film is the one whose title (display, original or any
   alternate title), folded as search folds it (case, accents,
   punctuation), and year are the row's; a person the one whose folded name
   is the row's;
3. no candidate: a new row. More than one: `Ambiguous`, naming them, for
   staff to settle by giving the slug or outside ID.

Candidates are found through the search index (`filter_matching`), so a
row costs two small queries however large the catalogue is.
"""

from django.db.models import Prefetch

from core.text import fold

from .models import AlternateTitle, Film, Person
from .search import filter_matching

# More candidates than this sharing every word of a title and its year is
# itself a sign the title is too vague to match on.
MAX_CANDIDATES = 50


class Ambiguous(Exception):
    """Several rows fit; `matches` are they."""

    def __init__(self, matches):
        self.matches = list(matches)
        super().__init__(", ".join(str(match) for match in self.matches))


def _one(matches):
    if len(matches) > 1:
        raise Ambiguous(matches)
    return matches[0] if matches else None


def films_titled(title, year):
    """Films titled `title` (any of their titles, folded) in `year` (None
    matches films without a year)."""
    folded = fold(title)
    if not folded:
        return []
    candidates = (
        filter_matching(Film.objects.filter(year=year), title)
        .only("pk", "title", "original_title", "slug", "year")
        .prefetch_related(
            Prefetch("alternate_titles", queryset=AlternateTitle.objects.only("film_id", "title"))
        )
        .order_by("pk")[:MAX_CANDIDATES]
    )
    return [
        film
        for film in candidates
        if folded
        in {fold(name) for name in [film.title, film.original_title]}
        | {fold(alternate.title) for alternate in film.alternate_titles.all()}
    ]


def film_titled(title, year):
    """The one film titled so in that year, None, or Ambiguous."""
    return _one(films_titled(title, year))


def people_named(name):
    """People whose name, folded, is `name` folded."""
    folded = fold(name)
    if not folded:
        return []
    candidates = (
        filter_matching(Person.objects.all(), name)
        .only("pk", "name", "slug")
        .order_by("pk")[:MAX_CANDIDATES]
    )
    return [person for person in candidates if fold(person.name) == folded]


def person_named(name):
    """The one person of that name, None, or Ambiguous."""
    return _one(people_named(name))
