"""The catalogue: films, the people who make them, and what is known about both.

Every fact a source page gives has a field or a row of its own here, so the
site can show it, search it and let staff correct it. Unknown facts stay empty
(null or blank) rather than being guessed. One module a concern:

- taxonomy: genres, countries, languages;
- person: people;
- film: films and their rating counters;
- credit: who did what in a film;
- facts: alternate titles, box office, release dates, locations, trivia, stills;
- outside: outside IDs (IMDb) and outside ratings, each with its source;
- sources: where a fact came from, and the rule that keeps staff edits from imports;
- history: old slugs that redirect, and import batches that can be undone.
"""

from .credit import Credit, CreditQuerySet
from .facts import (
    AlternateTitle,
    BoxOfficeFigure,
    FilmingLocation,
    OrderedFilmFact,
    ReleaseDate,
    Still,
    Trivia,
    currency_code_validator,
)
from .film import FIRST_FILM_YEAR, LAST_FILM_YEAR, Film, FilmQuerySet
from .history import ImportBatch, SlugRedirect
from .outside import OutsideId, OutsideRating
from .person import Person, PersonQuerySet
from .sources import IMPORT_SOURCES, Source
from .taxonomy import Country, Genre, Language, NaturalKeySlugManager, Taxonomy

__all__ = [
    "FIRST_FILM_YEAR",
    "LAST_FILM_YEAR",
    "AlternateTitle",
    "BoxOfficeFigure",
    "Country",
    "Credit",
    "CreditQuerySet",
    "Film",
    "FilmQuerySet",
    "FilmingLocation",
    "IMPORT_SOURCES",
    "ImportBatch",
    "OutsideId",
    "OutsideRating",
    "SlugRedirect",
    "Source",
    "Genre",
    "Language",
    "NaturalKeySlugManager",
    "OrderedFilmFact",
    "Person",
    "PersonQuerySet",
    "ReleaseDate",
    "Still",
    "Taxonomy",
    "Trivia",
    "currency_code_validator",
]
