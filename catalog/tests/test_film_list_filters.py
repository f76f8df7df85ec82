"""The film list's filters, sorting and pagination (/films/)."""

from unittest import skipUnless

from django.db import connection, transaction
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.filters import FILM_SORTS, FilmFilterSet
from catalog.models import Country, Credit, Film, Genre, Language
from core.page_cache.versions import forget_all_pages
from core.pagination import CappedPaginator

from .helpers import make_credit, make_film, make_person

FILM_LIST = reverse("catalog:film-list")


def titles(response):
    return [film.title for film in response.context["films"]]


class FilmFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.drama = Genre.objects.create(name="Drama", slug="drama")
        cls.comedy = Genre.objects.create(name="Comedy", slug="comedy")
        cls.iran = Country.objects.create(name="Iran", slug="iran", code="IR")
        cls.france = Country.objects.create(name="France", slug="france", code="FR")
        cls.persian = Language.objects.create(name="Persian", slug="persian", code="fa")
        cls.director = make_person(name="Majid Majidi", slug="majid-majidi")
        cls.actor = make_person(name="Bahare Seddiqi", slug="bahare-seddiqi")
        cls.writer = make_person(name="Only Writer", slug="only-writer")

        cls.heaven = make_film(
            title="Children of Heaven", year=1997, rating_count=2, rating_sum=17, review_count=1
        )
        cls.heaven.genres.add(cls.drama)
        cls.heaven.countries.add(cls.iran)
        cls.heaven.languages.add(cls.persian)
        make_credit(cls.heaven, cls.director, role=Credit.Role.CREW, job="Director")
        make_credit(cls.heaven, cls.actor, character="Zahra")

        cls.colour = make_film(
            title="The Colour of Paradise", year=1999, rating_count=1, rating_sum=6
        )
        cls.colour.genres.add(cls.drama)
        cls.colour.countries.add(cls.iran)
        make_credit(cls.colour, cls.director, role=Credit.Role.CREW, job="Director")
        make_credit(cls.colour, cls.writer, role=Credit.Role.CREW, job="Writer")

        cls.amelie = make_film(title="Amélie", year=2001, rating_count=3, rating_sum=27)
        cls.amelie.genres.add(cls.comedy)
        cls.amelie.countries.add(cls.france)

        cls.unrated = make_film(title="Unrated Film", year=1950)

        # Outside ratings as IMDb gives them (the colour of paradise has none).
        Film.objects.filter(pk=cls.heaven.pk).update(
            external_rating="8.2", external_rating_votes=80_000
        )
        Film.objects.filter(pk=cls.amelie.pk).update(
            external_rating="8.1", external_rating_votes=800_000
        )

    def get(self, **params):
        response = self.client.get(FILM_LIST, params)
        self.assertEqual(response.status_code, 200)
        return response

    def test_without_filters_every_film_is_listed_by_title(self):
        self.assertEqual(
            titles(self.get()),
            ["Amélie", "Children of Heaven", "The Colour of Paradise", "Unrated Film"],
        )

    def test_year_range_and_decade_narrow_by_year(self):
        self.assertEqual(
            titles(self.get(year_min=1997, year_max=1999)),
            ["Children of Heaven", "The Colour of Paradise"],
        )
        self.assertEqual(titles(self.get(decade="2000")), ["Amélie"])
        self.assertEqual(titles(self.get(decade="1990", year_min=1998)), ["The Colour of Paradise"])

    def test_a_decade_is_its_ten_years_from_0_to_9(self):
        for year in (1989, 1990, 1999, 2000):
            make_film(title=f"Edge {year}", year=year)
        self.assertEqual(
            [t for t in titles(self.get(decade="1990")) if t.startswith("Edge")],
            ["Edge 1990", "Edge 1999"],
        )

    def test_genre_country_and_language_filter_by_slug(self):
        self.assertEqual(titles(self.get(genre="comedy")), ["Amélie"])
        self.assertEqual(
            titles(self.get(country="iran")), ["Children of Heaven", "The Colour of Paradise"]
        )
        self.assertEqual(titles(self.get(language="persian")), ["Children of Heaven"])

    def test_person_filter_finds_directors_and_cast_by_slug_or_name(self):
        self.assertEqual(
            titles(self.get(person="majid-majidi")),
            ["Children of Heaven", "The Colour of Paradise"],
        )
        self.assertEqual(titles(self.get(person="seddiqi")), ["Children of Heaven"])
        # Writing credits are not "director or cast".
        self.assertEqual(titles(self.get(person="only-writer")), [])

    def test_a_person_slug_means_that_person_not_their_namesakes(self):
        namesake = make_person(name="Majid Majidi", slug="majid-majidi-2")
        make_credit(self.amelie, namesake, role=Credit.Role.CREW, job="Director")
        self.assertEqual(
            titles(self.get(person="majid-majidi")),
            ["Children of Heaven", "The Colour of Paradise"],
        )
        self.assertEqual(titles(self.get(person="majid-majidi-2")), ["Amélie"])
        # The name finds both.
        self.assertEqual(len(titles(self.get(person="Majid Majidi"))), 3)

    def test_minimum_rating_is_in_stars_and_leaves_out_unrated_films(self):
        # Averages: Heaven 8.5 points (4.25 stars), Colour 6 (3), Amélie 9 (4.5).
        self.assertEqual(titles(self.get(min_rating=4)), ["Amélie", "Children of Heaven"])
        self.assertEqual(len(titles(self.get(min_rating=2))), 3)

    def test_minimum_outside_rating_leaves_out_films_without_one(self):
        self.assertEqual(titles(self.get(min_outside_rating="8.2")), ["Children of Heaven"])
        self.assertEqual(titles(self.get(min_outside_rating="8")), ["Amélie", "Children of Heaven"])
        self.assertEqual(titles(self.get(min_outside_rating="0")), ["Amélie", "Children of Heaven"])

    def test_minimum_outside_votes(self):
        self.assertEqual(titles(self.get(min_outside_votes="100000")), ["Amélie"])
        self.assertEqual(
            titles(self.get(min_outside_votes="1000", sort="-outside_rating")),
            ["Children of Heaven", "Amélie"],
        )

    def test_has_reviews(self):
        self.assertEqual(titles(self.get(has_reviews="on")), ["Children of Heaven"])

    def test_the_done_when_example_1990s_iran_rated_4_plus(self):
        response = self.get(decade="1990", country="iran", min_rating="4")
        self.assertEqual(titles(response), ["Children of Heaven"])

    def test_text_filter_uses_the_search_folding(self):
        self.assertEqual(titles(self.get(q="amelie")), ["Amélie"])
        self.assertEqual(titles(self.get(q="colour paradise")), ["The Colour of Paradise"])

    def test_every_sort_key_orders_the_list(self):
        expected = {
            "title": ["Amélie", "Children of Heaven", "The Colour of Paradise", "Unrated Film"],
            "-year": ["Amélie", "The Colour of Paradise", "Children of Heaven", "Unrated Film"],
            "year": ["Unrated Film", "Children of Heaven", "The Colour of Paradise", "Amélie"],
            "-rating": ["Amélie", "Children of Heaven", "The Colour of Paradise", "Unrated Film"],
            "-ratings": ["Amélie", "Children of Heaven", "The Colour of Paradise", "Unrated Film"],
            "-outside_rating": [
                "Children of Heaven",
                "Amélie",
                "The Colour of Paradise",
                "Unrated Film",
            ],
            "-outside_votes": [
                "Amélie",
                "Children of Heaven",
                "The Colour of Paradise",
                "Unrated Film",
            ],
            "-added": ["Unrated Film", "Amélie", "The Colour of Paradise", "Children of Heaven"],
        }
        self.assertEqual(set(expected), set(FILM_SORTS))
        for key, order in expected.items():
            with self.subTest(sort=key):
                self.assertEqual(titles(self.get(sort=key)), order)

    def test_filters_survive_in_the_pagination_links(self):
        for n in range(30):
            make_film(title=f"Iranian {n:02}", year=1995).countries.add(self.iran)
        response = self.get(country="iran", sort="-year")
        self.assertContains(response, "?country=iran&amp;sort=-year&amp;page=2")


class FilmFilterValidationTests(TestCase):
    """Hostile and absurd values are form errors; the page still answers 200
    and the valid filters still apply."""

    @classmethod
    def setUpTestData(cls):
        make_film(title="Old", year=1950)
        make_film(title="New", year=2010)

    def assert_field_error(self, params, field):
        response = self.client.get(FILM_LIST, params)
        self.assertEqual(response.status_code, 200)
        self.assertIn(field, response.context["filter_form"].errors)
        self.assertContains(response, "This filter was left out.")
        return response

    def test_letters_for_a_year_are_an_error(self):
        response = self.assert_field_error({"year_min": "nineteen", "year_max": "2000"}, "year_min")
        self.assertEqual(titles(response), ["Old"])

    def test_huge_and_out_of_range_years_are_errors(self):
        for value in ["9" * 500, "-5", "1e9", "1800", "3000", "1990.5", "0x7d0"]:
            with self.subTest(value=value):
                self.assert_field_error({"year_max": value}, "year_max")

    def test_reversed_year_range_is_an_error(self):
        self.assert_field_error({"year_min": 2000, "year_max": 1990}, "year_max")

    def test_unknown_sort_falls_back_to_title_with_an_error(self):
        response = self.assert_field_error({"sort": "id; DROP TABLE catalog_film"}, "sort")
        self.assertEqual(titles(response), ["New", "Old"])

    def test_unknown_choices_are_errors(self):
        for field, value in [
            ("genre", "no-such-genre"),
            ("country", "<script>"),
            ("decade", "1995"),
            ("min_rating", "11"),
        ]:
            with self.subTest(field=field):
                response = self.assert_field_error({field: value}, field)
                self.assertNotContains(response, "<script>")

    def test_hostile_outside_rating_values_are_errors(self):
        for value in [
            "abc",
            "-1",
            "10.1",
            "11",
            "8.25",
            "NaN",
            "Infinity",
            "-Infinity",
            "1e309",
            "9" * 500,
            "0x8",
            "8,5",
            "<script>",
            "\x00",
        ]:
            with self.subTest(value=value[:20]):
                response = self.assert_field_error(
                    {"min_outside_rating": value}, "min_outside_rating"
                )
                self.assertEqual(titles(response), ["New", "Old"])
                self.assertNotContains(response, "<script>")

    def test_unknown_outside_vote_thresholds_are_errors(self):
        for value in ["5", "-100", "1e6", "100000000000000000000", "many"]:
            with self.subTest(value=value):
                self.assert_field_error({"min_outside_votes": value}, "min_outside_votes")

    def test_overlong_text_is_an_error_not_a_crash(self):
        self.assert_field_error({"q": "x" * 5000}, "q")
        self.assert_field_error({"person": "x" * 5000}, "person")

    def test_odd_but_harmless_text_just_finds_nothing(self):
        for value in ['"', "*", "AND OR NOT", "NEAR(", "-", "\u200f", "%_"]:
            with self.subTest(value=value):
                response = self.client.get(FILM_LIST, {"q": value, "person": value})
                self.assertEqual(response.status_code, 200)

    def test_page_99999_is_the_last_page(self):
        for n in range(30):
            make_film(title=f"Film {n:02}")
        response = self.client.get(FILM_LIST, {"page": "99999", "year_min": "abc"})
        self.assertEqual(response.context["page_obj"].number, 2)

    def test_filterset_alone_reports_errors_by_field(self):
        filterset = FilmFilterSet({"year_min": "abc", "sort": "nope"}, queryset=Film.objects.all())
        self.assertFalse(filterset.is_valid())
        self.assertEqual(set(filterset.errors), {"year_min", "sort"})
        self.assertEqual(filterset.qs.count(), 2)


class FilmListQueryCountTests(TestCase):
    def test_a_fully_filtered_list_runs_a_fixed_number_of_queries(self):
        iran = Country.objects.create(name="Iran", slug="iran", code="IR")
        drama = Genre.objects.create(name="Drama", slug="drama")
        director = make_person(slug="director")
        params = {
            "q": "film",
            "decade": "1990",
            "year_min": "1990",
            "genre": "drama",
            "country": "iran",
            "person": "director",
            "min_rating": "2",
            "min_outside_rating": "6.5",
            "min_outside_votes": "1000",
            "has_reviews": "on",
            "sort": "-outside_rating",
        }
        for size in (1, 40):
            for n in range(size):
                film = make_film(
                    title=f"Film {size}-{n}",
                    year=1995,
                    rating_count=1,
                    rating_sum=5,
                    review_count=1,
                    external_rating=7,
                    external_rating_votes=5000,
                )
                film.countries.add(iran)
                film.genres.add(drama)
                make_credit(film, director, role=Credit.Role.CREW, job="Director")
            # Count, page, directors; the three menus; the chosen genre and
            # country looked up by slug; and on SQLite the plan.
            forget_all_pages()  # a cold page: its queries are what is measured
            with self.subTest(size=size), self.assertNumQueries(8):
                response = self.client.get(FILM_LIST, params)
            self.assertFalse(response.context["filter_form"].errors)
            self.assertTrue(response.context["films"])

    def test_the_checkbox_comes_before_its_label(self):
        html = self.client.get(FILM_LIST).content.decode()
        self.assertIn(
            '<div class="filter-form__field filter-form__field--checkbox">\n'
            '        <input type="checkbox" name="has_reviews" id="id_has_reviews"> <label',
            html,
        )

    def test_the_menus_are_read_with_plain_selects_in_name_order(self):
        for name, code in [("Iran", "IR"), ("Chad", "TD"), ("France", "FR")]:
            Country.objects.create(name=name, slug=name.lower(), code=code)
        forget_all_pages()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(FILM_LIST, {"country": "france"})
        # On PostgreSQL, queryset.iterator() would DECLARE a server-side
        # cursor, then FETCH and CLOSE it: three round trips for each menu.
        self.assertEqual([q["sql"] for q in queries if "DECLARE" in q["sql"]], [])
        countries = response.context["filter_form"]["country"]
        self.assertEqual(
            [(str(option.data["value"]), option.data["label"]) for option in countries],
            [("", "Any"), ("chad", "Chad"), ("france", "France"), ("iran", "Iran")],
        )
        self.assertContains(response, '<option value="france" selected>France</option>', html=True)


class FilmCardTests(TestCase):
    def test_cards_name_the_directors_in_credit_order_escaped(self):
        film = make_film(title="Two Hands")
        for order, name in [(2, "<b>Second</b>"), (1, "First & Foremost")]:
            make_credit(
                film,
                make_person(name=name),
                role=Credit.Role.CREW,
                job="Director",
                billing_order=order,
            )
        make_credit(film, make_person(name="Not A Director"), role=Credit.Role.CREW, job="Editor")
        response = self.client.get(FILM_LIST)
        self.assertContains(
            response,
            "Directed by </span>First &amp; Foremost, &lt;b&gt;Second&lt;/b&gt;</p>",
            html=False,
        )
        self.assertNotContains(response, "Not A Director")

    def test_cards_give_the_rating_with_its_count_and_nothing_when_unrated(self):
        make_film(title="Loved", rating_count=12, rating_sum=102)
        make_film(title="Once", rating_count=1, rating_sum=7)
        make_film(title="Unseen")
        response = self.client.get(FILM_LIST)
        self.assertContains(response, 'aria-label="4.3 out of 5 stars"')
        # Stars with the figure out of 5; the count is for screen readers.
        self.assertContains(
            response,
            '<span class="rating-figure">4.3</span> '
            '<span class="visually-hidden">from 12 ratings</span>',
        )
        self.assertContains(
            response,
            '<span class="rating-figure">3.5</span> '
            '<span class="visually-hidden">from 1 rating</span>',
        )
        self.assertContains(response, 'class="film-card__rating"', count=2)

    def test_every_card_query_names_its_directors_with_one_more_query(self):
        for n in range(5):
            make_credit(
                make_film(title=f"Film {n}"),
                make_person(name=f"Director {n}"),
                role=Credit.Role.CREW,
                job="Director",
            )
        with self.assertNumQueries(2):
            films = list(Film.objects.for_cards().order_by("title"))
        self.assertEqual(
            [film.director_names for film in films], [[f"Director {n}"] for n in range(5)]
        )
        with self.assertNumQueries(2):
            by_pk = Film.objects.for_cards().in_bulk([films[0].pk])
        self.assertEqual(by_pk[films[0].pk].director_names, ["Director 0"])
        with self.assertNumQueries(1):  # no films, no second query
            self.assertEqual(list(Film.objects.for_cards().filter(title="None such")), [])


class CappedPaginatorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Film.objects.bulk_create(
            Film(title=f"Film {n:03}", slug=f"film-{n}", year=2000) for n in range(30)
        )

    def test_counts_exactly_below_the_cap(self):
        paginator = CappedPaginator(Film.objects.order_by("title"), 10)
        paginator.max_pages = 10
        self.assertEqual((paginator.count, paginator.num_pages), (30, 3))
        self.assertFalse(paginator.is_capped)

    def test_stops_counting_past_the_cap_and_offers_cap_worth_of_pages(self):
        paginator = CappedPaginator(Film.objects.order_by("title"), 10)
        paginator.max_pages = 2
        self.assertEqual(paginator.cap, 20)
        self.assertTrue(paginator.is_capped)
        self.assertEqual(paginator.num_pages, 2)
        self.assertEqual(paginator.page(2).object_list[0].title, "Film 010")

    def test_a_page_is_a_slice_in_list_order(self):
        paginator = CappedPaginator(Film.objects.order_by("-title"), 10)
        self.assertEqual(paginator.page(3).object_list[0].title, "Film 009")

    def test_list_page_says_more_than_the_cap(self):
        from unittest import mock

        with mock.patch.object(CappedPaginator, "max_pages", 1):
            response = self.client.get(FILM_LIST, {"page": "5"})
        self.assertContains(response, "More than 24 films")
        self.assertEqual(response.context["page_obj"].number, 1)


@skipUnless(connection.vendor == "sqlite", "SQLite's query plans")
class FilmListQueryPlanTests(TestCase):
    """The "1990s, Iran, rated 4+" list stays fast at 100,000 films only if
    the database seeks into the decade-and-rating index instead of reading
    every film of the decade (BENCHMARKS.md)."""

    def test_decade_and_minimum_rating_seek_into_one_index(self):
        Country.objects.create(name="Iran", slug="iran", code="IR")
        films = FilmFilterSet(
            {"decade": "1990", "country": "iran", "min_rating": "4"},
            queryset=Film.objects.order_by("title", "year", "id"),
        ).qs
        page_keys = films.values("pk")[:24]
        for query in (films, page_keys):
            with self.subTest(query=str(query.query)[:40]):
                plan = query.explain()
                self.assertIn("film_year_rating_title_id_idx (year=? AND rating_average>?)", plan)


@skipUnless(connection.vendor == "postgresql", "PostgreSQL's query plans")
class FilmListCountPlanTests(TransactionTestCase):
    """Counting the "1990s, Iran, rated 4+" matches (the paginator's count)
    reads the decade-and-rating index alone: it holds the id the country
    filter joins on, so no film row is read (BENCHMARKS.md).

    The planner chooses from statistics and the visibility map, so the
    films are spread like a real catalogue's (a century of years, ratings
    over the whole scale), committed and vacuumed, as a live catalogue is:
    on a table never analysed it guesses, and the guess changed with
    whatever earlier tests had left behind. Scans that read every row are
    turned off; on 3,000 rows reading them all costs as little as any index.
    """

    def test_the_decade_and_rating_matches_are_found_in_the_index_alone(self):
        iran = Country.objects.create(name="Iran", slug="iran", code="IR")
        films = Film.objects.bulk_create(
            Film(
                title=f"Film {n:04}",
                slug=f"film-{n:04}",
                year=1900 + n % 125,
                rating_count=1,
                rating_sum=1 + n % 10,
            )
            for n in range(3000)
        )
        iran.films.add(*films[::7])
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE catalog_film, catalog_film_countries")
        matches = FilmFilterSet({"decade": "1990", "country": "iran", "min_rating": "4"}).qs
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            plan = matches.order_by().values("pk").explain()
        self.assertIn("Index Only Scan using film_year_rating_title_id_idx", plan)
        self.assertNotIn("Index Scan using film_", plan)


class FilmListOrderIndexTests(TestCase):
    """Every order the film list offers is read off an index in exactly that
    order, nulls included, on both databases: a page of films costs the
    same at 100 and at 100,000 films (issue 14, BENCHMARKS.md "Issue 14:
    PostgreSQL pages"). PostgreSQL is told not to sort, incrementally
    either, so a plan that still sorts proves no index matches; on a
    handful of rows it would otherwise sort anyway. (With statistics left
    by an earlier test, it read a year-led index and sorted each year's
    films rather than use the year, title, id index.)"""

    def plan(self, queryset):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_sort = off")
                cursor.execute("SET LOCAL enable_incremental_sort = off")
                cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()

    def assert_read_in_order(self, plan):
        if connection.vendor == "postgresql":
            self.assertNotIn("Sort", plan)
            self.assertIn("Index", plan)
        else:
            self.assertNotIn("TEMP B-TREE", plan)
            self.assertRegex(plan, r"USING (COVERING )?INDEX")

    def test_every_sort_is_served_by_an_index_in_its_order(self):
        for key in FILM_SORTS:
            with self.subTest(sort=key):
                films = FilmFilterSet({"sort": key}, queryset=Film.objects.all()).qs
                self.assert_read_in_order(self.plan(films.values("pk")[:24]))

    def test_a_minimum_outside_rating_sorted_by_it_is_served_by_its_index(self):
        films = FilmFilterSet(
            {"min_outside_rating": "7", "sort": "-outside_rating"}, queryset=Film.objects.all()
        ).qs
        plan = self.plan(films.values("pk")[:24])
        self.assert_read_in_order(plan)
        self.assertIn("film_outside_rating_idx", plan)

    def test_the_home_pages_latest_films_are_served_by_an_index(self):
        latest = Film.objects.order_by("-created_at", "-id").values("pk")[:12]
        plan = self.plan(latest)
        self.assert_read_in_order(plan)
        self.assertIn("film_created_id_idx", plan)
