"""The film page's short lists, fetched in one query (pages.FILM_FACTS, core.db.ShortLists).

ShortLists compiles its UNION once, for a stand-in primary key, through
Django's `query.sql_with_params()`. These tests pin what that relies on: for
films of every kind, on whichever database the suite runs, the one query
gives the very instances, order, values and types that each list's own
queryset gives.
"""

import datetime
from decimal import Decimal

from django.db import connection, models
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from catalog.models import (
    AlternateTitle,
    BoxOfficeFigure,
    Country,
    FilmingLocation,
    Genre,
    Language,
    OutsideId,
    OutsideRating,
    ReleaseDate,
    Still,
    Trivia,
)
from catalog.models.sources import Source
from catalog.pages import FILM_FACTS, film_facts
from core.db import ShortList, ShortLists
from reviews.models import Review

from .helpers import make_film, make_person

# Each list of FILM_FACTS and the queryset the page used to run for it.
ONE_BY_ONE = {
    "genres": lambda film: film.genres.all(),
    "countries": lambda film: film.countries.all(),
    "languages": lambda film: film.languages.all(),
    "alternate_titles": lambda film: film.alternate_titles.all(),
    "box_office": lambda film: film.box_office_figures.in_reading_order(),
    "release_dates": lambda film: film.release_dates.all(),
    "filming_locations": lambda film: film.filming_locations.all(),
    "trivia": lambda film: film.trivia_items.all(),
    "stills": lambda film: film.stills.all(),
    "outside_ids": lambda film: film.outside_ids.all(),
    "outside_ratings": lambda film: film.outside_ratings.all(),
}


def country(code, name):
    defaults = {"name": name, "slug": name.lower()}
    return Country.objects.get_or_create(code=code, defaults=defaults)[0]


def a_full_film():
    """A film with something in every list, added out of order, in several scripts."""
    film = make_film(title="Bacheha-ye aseman", year=1997)
    iran, france = country("IR", "Iran"), country("FR", "France")
    film.genres.add(
        Genre.objects.create(name="Family", slug="family"),
        Genre.objects.create(name="Drama", slug="drama"),
    )
    film.countries.add(iran)
    film.languages.add(Language.objects.create(name="Persian", slug="persian", code="fa"))
    for title, language in [
        ("بچه‌های آسمان", "fa"),
        ("運動靴と赤い金魚", "ja"),
        ("Les Enfants du ciel", "fr"),
    ]:
        AlternateTitle.objects.create(film=film, title=title, language=language)
    BoxOfficeFigure.objects.create(
        film=film, kind="gross", amount=933_933, currency="USD", region="us", date="1999-05-01"
    )
    BoxOfficeFigure.objects.create(film=film, kind="budget", amount=180_000, currency="USD")
    BoxOfficeFigure.objects.create(
        film=film, kind="opening-weekend", amount=9_223_372_036_854_775_807, currency="IRR",
        screens=3, region="country", country=iran,
    )  # fmt: skip
    ReleaseDate.objects.create(film=film, date="1999-01-22", country=france, note="Paris")
    ReleaseDate.objects.create(film=film, date="1997-02-01", country=iran, note="Fajr festival")
    FilmingLocation.objects.create(film=film, order=2, place="Shemiran")
    FilmingLocation.objects.create(film=film, order=1, place="Tehran, Iran")
    hostile = 'Quotes " and \\ backslashes, <b>tags</b>, {"json": 1} & emoji 🎬'
    Trivia.objects.create(film=film, order=0, text=hostile)
    Trivia.objects.create(film=film, order=0, text="Same order: the older comes first")
    still = Still.objects.create(film=film, order=1, caption="Ali and Zahra", image_width=640)
    still.people.add(make_person(name="Bahare Seddiqi"))
    OutsideId.objects.create(film=film, value="tt0118849")
    OutsideRating.objects.create(
        film=film, source=Source.FAN_PAGE, value=Decimal("8.2"), votes=10_540, shown=True
    )
    OutsideRating.objects.create(
        film=film, source=Source.IMDB, value=Decimal("8.3"), votes=77_000,
        as_of=datetime.date(2026, 12, 1), url="https://www.imdb.com/title/tt0118849/",
    )  # fmt: skip
    return film


def described(instance):
    """Every column of an instance, with its Python type."""
    return {
        field.attname: (getattr(instance, field.attname), type(getattr(instance, field.attname)))
        for field in instance._meta.concrete_fields
    }


class FilmFactsTests(TestCase):
    def assertSameAsOneByOne(self, film):
        fetched = FILM_FACTS.fetch(film)
        for name, queryset in ONE_BY_ONE.items():
            with self.subTest(film=film.title, list=name):
                expected = list(queryset(film))
                self.assertEqual(
                    [described(instance) for instance in fetched[name]],
                    [described(instance) for instance in expected],
                )

    def test_every_list_is_what_its_own_queryset_gives(self):
        self.assertSameAsOneByOne(a_full_film())

    def test_a_film_with_nothing_gets_empty_lists(self):
        make_film(title="Another").genres.add(Genre.objects.create(name="Drama", slug="drama"))
        bare = make_film(title="Bare")
        self.assertSameAsOneByOne(bare)
        self.assertTrue(all(value == [] for value in FILM_FACTS.fetch(bare).values()))

    def test_the_query_compiled_for_one_film_serves_the_next(self):
        full, bare = a_full_film(), make_film(title="Night", year=1950)
        Trivia.objects.create(film=bare, text="Only this one")
        self.assertSameAsOneByOne(full)
        self.assertSameAsOneByOne(bare)  # reusing the first film's SQL
        self.assertEqual([t.text for t in FILM_FACTS.fetch(bare)["trivia"]], ["Only this one"])

    def test_one_query_for_every_list(self):
        film = a_full_film()
        FILM_FACTS.fetch(film)  # compiled (SQLite asks once whether it has JSON)
        with self.assertNumQueries(1):
            FILM_FACTS.fetch(film)

    def test_the_page_gets_countries_and_people_without_further_queries(self):
        film = a_full_film()
        FILM_FACTS.fetch(film)  # compiled (SQLite asks once whether it has JSON)
        with CaptureQueriesContext(connection) as queries:
            facts = film_facts(film)
            names = [
                *(date.country.name for date in facts["release_dates"]),
                *(figure.country.name for figure in facts["box_office"] if figure.country),
                *(person.name for still in facts["stills"] for person in still.people.all()),
                *(trivia.film.title for trivia in facts["trivia"]),
            ]
        self.assertEqual(len(queries), 2)  # the lists, then the stills' people
        self.assertEqual(names[:4], ["Iran", "France", "Iran", "Bahare Seddiqi"])
        self.assertEqual(names[4:], ["Bacheha-ye aseman"] * 2)


class ShortListTests(TestCase):
    def test_a_column_json_cannot_carry_back_is_refused(self):
        with self.assertRaisesMessage(TypeError, "Review.published_at"):
            ShortList(Review.objects.all())

    def test_a_list_needs_an_order(self):
        through = Still.people.through
        with self.assertRaisesMessage(ValueError, "has no ordering"):
            ShortList(through.objects.all())
        self.assertEqual(ShortList(through.objects.all(), "id").order_by, ("id",))

    def test_lists_of_any_model_with_their_own_order(self):
        film = a_full_film()
        lists = ShortLists(
            type(film),
            newest_first=lambda film: ShortList(film.release_dates.all(), models.F("date").desc()),
            trivia=lambda film: ShortList(film.trivia_items.all()),
        )
        fetched = lists.fetch(film)
        self.assertEqual(
            [date.date for date in fetched["newest_first"]],
            [datetime.date(1999, 1, 22), datetime.date(1997, 2, 1)],
        )
        self.assertEqual(len(fetched["trivia"]), 2)
