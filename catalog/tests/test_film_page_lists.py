"""The film page's lists, fetched in one query (pages.FILM_PAGE_LISTS, core.db.ShortLists).

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
    Credit,
    Film,
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
from catalog.pages import (
    FILM_PAGE_LISTS,
    HOME_PAGE,
    RELATED_FILMS_SIZE,
    TOP_CAST_SIZE,
    film_page_lists,
    register_section,
    section_list_names,
)
from core.db import ShortCount, ShortList, ShortLists
from reviews.models import AlsoLiked, Review

from .helpers import make_credit, make_film, make_person

# Each list of FILM_PAGE_LISTS and the queryset the page used to run for it.
ONE_BY_ONE = {
    "headliners": lambda film: film.credits.with_person_link().headliners(),
    "top_cast": lambda film: film.credits.with_person_card().cast()[:TOP_CAST_SIZE],
    "more_by": lambda film: (
        Film.objects.exclude(pk=film.pk)
        .directed_by(film.credits.directors().values_list("person_id", flat=True).first())
        .for_related_list()[:RELATED_FILMS_SIZE]
    ),
    "more_with": lambda film: (
        Film.objects.exclude(pk=film.pk)
        .acted_in_by(lead_actor_id(film))
        .for_related_list()[:RELATED_FILMS_SIZE]
    ),
    "genres": lambda film: film.genres.all(),
    "countries": lambda film: film.countries.all(),
    "languages": lambda film: film.languages.all(),
    "alternate_titles": lambda film: film.alternate_titles.all(),
    "box_office": lambda film: film.box_office_figures.order_by(*BoxOfficeFigure.reading_order()),
    "release_dates": lambda film: film.release_dates.all(),
    "filming_locations": lambda film: film.filming_locations.all(),
    "trivia": lambda film: film.trivia_items.all(),
    "stills": lambda film: film.stills.all(),
    "outside_ids": lambda film: film.outside_ids.all(),
    "outside_ratings": lambda film: film.outside_ratings.all(),
    # Added by reviews (register_section), fetched with the rest.
    "also_liked": lambda film: (
        AlsoLiked.objects.filter(film=film)
        .select_related("other")
        .only("fans", *(f"other__{name}" for name in Film.RELATED_FIELDS))
        .order_by("rank")
    ),
}


def lead_actor_id(film):
    """As the page found it before: its first star, else its first actor."""
    stars = [c for c in film.credits.with_person_link().headliners() if c.role == "cast"]
    cast = list(film.credits.with_person_card().cast()[:1])
    return (stars or cast or [Credit(person_id=None)])[0].person_id


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
    add_credits(film)
    # Fans who liked it also liked: written out of rank order.
    for rank, title in [(2, "رنگ خدا"), (1, 'Bacheha-ye "aseman" 2')]:
        other = make_film(title=title, year=None if rank == 2 else 2030)
        AlsoLiked.objects.create(film=film, other=other, rank=rank, fans=3 * rank, similarity=0.5)
    return film


def add_credits(film):
    """A director with more films than a list shows (undated, remade,
    in several scripts), a co-director billed after, more actors than the
    top cast holds, billed and unbilled, and two stars billed out of order."""
    majidi = make_person(name="Majid Majidi")
    make_credit(film, majidi, role="crew", job="Director", billing_order=1)
    make_credit(film, make_person(name="Co Director"), role="crew", job="Director")
    make_credit(film, make_person(name="Writer"), role="crew", job="Writer", billing_order=1)
    for title, year in [
        *[("Baran", 2001), ("Baran", 2018), ("رنگ خدا", 1999), ("Pedar", 1996), ("Undated", None)],
        *[("Badouk", 1992), ("The Song of Sparrows", 2008), ("Muhammad", 2015)],
    ]:
        make_credit(make_film(title=title, year=year), majidi, role="crew", job="Director")
    actors = [make_person(name=f"Actor {n:02}") for n in range(TOP_CAST_SIZE + 3)]
    for n, actor in enumerate(actors):
        billing = None if n % 5 == 4 else n + 1
        make_credit(film, actor, character=f"Part {n}", billing_order=billing, is_star=n in (2, 6))
    for title in ("Khorshid", "Avaz-e gonjeshk-ha"):
        make_credit(make_film(title=title, year=2020), actors[2], character="Lead")


def described(instance):
    """Every loaded column of an instance, with its Python type, and those of
    the person it was loaded with."""
    deferred = instance.get_deferred_fields()
    columns = {
        field.attname: (getattr(instance, field.attname), type(getattr(instance, field.attname)))
        for field in instance._meta.concrete_fields
        if field.attname not in deferred
    }
    if isinstance(instance, Credit):
        columns["person"] = described(instance.person)
    if isinstance(instance, AlsoLiked):
        columns["other"] = described(instance.other)
    return columns


class FilmFactsTests(TestCase):
    def assertSameAsOneByOne(self, film):
        fetched = FILM_PAGE_LISTS.fetch(film)
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
        fetched = FILM_PAGE_LISTS.fetch(bare)
        self.assertEqual(fetched.pop("public_lists"), 0)  # diary's count
        self.assertTrue(all(value == [] for value in fetched.values()))

    def test_the_query_compiled_for_one_film_serves_the_next(self):
        full, bare = a_full_film(), make_film(title="Night", year=1950)
        Trivia.objects.create(film=bare, text="Only this one")
        self.assertSameAsOneByOne(full)
        self.assertSameAsOneByOne(bare)  # reusing the first film's SQL
        self.assertEqual([t.text for t in FILM_PAGE_LISTS.fetch(bare)["trivia"]], ["Only this one"])

    def test_one_query_for_every_list(self):
        film = a_full_film()
        FILM_PAGE_LISTS.fetch(film)  # compiled (SQLite asks once whether it has JSON)
        with self.assertNumQueries(1):
            FILM_PAGE_LISTS.fetch(film)

    def test_the_page_gets_countries_and_people_without_further_queries(self):
        film = a_full_film()
        FILM_PAGE_LISTS.fetch(film)  # compiled (SQLite asks once whether it has JSON)
        with CaptureQueriesContext(connection) as queries:
            facts, _ = film_page_lists(film)
            names = [
                *(date.country.name for date in facts["release_dates"]),
                *(figure.country.name for figure in facts["box_office"] if figure.country),
                *(person.name for still in facts["stills"] for person in still.people.all()),
                *(trivia.film.title for trivia in facts["trivia"]),
            ]
        self.assertEqual(len(queries), 2)  # the lists, then the stills' people
        self.assertEqual(names[:4], ["Iran", "France", "Iran", "Bahare Seddiqi"])
        self.assertEqual(names[4:], ["Bacheha-ye aseman"] * 2)


class AddedListsTests(TestCase):
    def test_a_list_is_added_before_the_first_fetch_only(self):
        lists = ShortLists(Film, genres=lambda film: ShortList(film.genres.all()))
        lists.add("trivia", lambda film: ShortList(film.trivia_items.all()))
        with self.assertRaisesMessage(ValueError, "trivia"):
            lists.add("trivia", lambda film: ShortList(film.trivia_items.all()))
        film = make_film()
        Trivia.objects.create(film=film, text="Added")
        self.assertEqual([t.text for t in lists.fetch(film)["trivia"]], ["Added"])
        with self.assertRaisesMessage(RuntimeError, "compiled already"):
            lists.add("stills", lambda film: ShortList(film.stills.all()))

    def test_a_count_comes_as_a_number_zero_included(self):
        lists = ShortLists(
            Film,
            trivia=lambda film: ShortList(film.trivia_items.all()),
            trivia_count=lambda film: ShortCount(film.trivia_items.all()),
            ordered_first=lambda film: ShortCount(film.trivia_items.filter(order=1)),
        )
        full, bare = make_film(), make_film()
        for n in range(3):
            Trivia.objects.create(film=full, order=n, text=f"Fact {n}")
        with self.assertNumQueries(1):
            fetched = lists.fetch(full)
        self.assertEqual((fetched["trivia_count"], fetched["ordered_first"]), (3, 1))
        self.assertEqual(len(fetched["trivia"]), 3)
        fetched = lists.fetch(bare)
        self.assertEqual(
            (fetched["trivia_count"], fetched["ordered_first"], fetched["trivia"]), (0, 0, [])
        )

    def test_only_film_page_sections_have_lists(self):
        with self.assertRaises(ValueError):
            register_section(HOME_PAGE, lists={"x": lambda film: ShortList(film.genres.all())})

    def test_reviews_also_liked_comes_with_the_lists(self):
        self.assertIn("also_liked", FILM_PAGE_LISTS.lists)
        self.assertIn("also_liked", section_list_names())


class ShortListTests(TestCase):
    def test_a_column_json_cannot_carry_back_is_refused(self):
        with self.assertRaisesMessage(TypeError, "Review.published_at"):
            ShortList(Review.objects.all())

    def test_a_list_needs_an_order(self):
        through = Still.people.through
        with self.assertRaisesMessage(ValueError, "has no ordering"):
            ShortList(through.objects.all())
        self.assertEqual(ShortList(through.objects.all(), "id").order_by, ("id",))

    def test_lists_that_do_not_depend_on_the_object_are_refused(self):
        lists = ShortLists(Genre, every_genre=lambda genre: ShortList(Genre.objects.all()))
        with self.assertRaisesMessage(RuntimeError, "not a parameter"):
            lists.fetch(Genre.objects.create(name="Drama", slug="drama"))

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


class FilmPageListsLimitsTests(TestCase):
    def test_the_lists_are_cut_where_the_page_cuts_them(self):
        film = a_full_film()
        fetched = FILM_PAGE_LISTS.fetch(film)
        self.assertEqual(len(fetched["top_cast"]), TOP_CAST_SIZE)
        self.assertEqual(len(fetched["more_by"]), RELATED_FILMS_SIZE)
        self.assertEqual(
            [(f.title, f.year) for f in fetched["more_by"]][:3],
            [("Baran", 2018), ("Muhammad", 2015), ("The Song of Sparrows", 2008)],
        )
        # The lead actor is the first-billed star (billed 3rd), not the first billed.
        self.assertEqual(
            [f.title for f in fetched["more_with"]], ["Avaz-e gonjeshk-ha", "Khorshid"]
        )

    def test_without_stars_the_lead_is_the_first_billed_actor(self):
        film = make_film(title="No stars")
        first, second = make_person(name="First"), make_person(name="Second")
        make_credit(film, second, billing_order=2)
        make_credit(film, first, billing_order=1)
        make_credit(make_film(title="First's other film"), first)
        make_credit(make_film(title="Second's other film"), second)
        fetched = FILM_PAGE_LISTS.fetch(film)
        self.assertEqual([f.title for f in fetched["more_with"]], ["First's other film"])
        self.assertEqual(fetched["more_by"], [])
