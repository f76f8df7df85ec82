"""Genre, country and language landing pages (/genres/, /countries/,
/languages/) and the ISO reference data countries and languages are named from."""

from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from catalog.iso import country_name, language_name
from catalog.models import Country, Genre, Language
from catalog.views import TaxonomyListView
from core.page_cache.versions import forget_all_pages

from .helpers import make_film

LISTS = {
    "genres": ("catalog:genre-list", Genre),
    "countries": ("catalog:country-list", Country),
    "languages": ("catalog:language-list", Language),
}


class IsoNameTests(SimpleTestCase):
    def test_countries_get_their_everyday_iso_name(self):
        self.assertEqual(country_name("IR"), "Iran")
        self.assertEqual(country_name("kr"), "South Korea")
        self.assertEqual(country_name("FR"), "France")

    def test_withdrawn_country_codes_films_still_carry_are_named(self):
        self.assertEqual(country_name("SU"), "USSR")
        self.assertEqual(country_name("YU"), "Yugoslavia")

    def test_unknown_or_malformed_country_codes_have_no_name(self):
        for code in ["XX", "IRN", "", None, "I", "<b>", "ÍR"]:
            with self.subTest(code=code):
                self.assertIsNone(country_name(code))

    def test_languages_are_named_from_iso_639_one_or_three(self):
        self.assertEqual(language_name("fa"), "Persian")
        self.assertEqual(language_name("cmn"), "Mandarin Chinese")
        self.assertEqual(language_name("el"), "Modern Greek")
        self.assertEqual(language_name("pt-BR"), "Portuguese (Brazil)")

    def test_unknown_language_tags_have_no_name(self):
        for code in ["xx", "qaa", "", None, "español", "e"]:
            with self.subTest(code=code):
                self.assertIsNone(language_name(code))


class IsoRowsTests(TestCase):
    def test_for_codes_creates_missing_countries_with_iso_names_in_two_queries(self):
        Country.objects.create(code="IR", name="Iran", slug="iran")
        with self.assertNumQueries(3):  # existing rows, the insert, the new rows
            rows = Country.objects.for_codes(["IR", "FR", "SU", "XX", ""])
        self.assertEqual(
            {code: (row.name, row.slug) for code, row in rows.items()},
            {"IR": ("Iran", "iran"), "FR": ("France", "france"), "SU": ("USSR", "ussr")},
        )

    def test_for_codes_names_languages(self):
        rows = Language.objects.for_codes(["fa", "pt-BR"])
        self.assertEqual(rows["fa"].name, "Persian")
        self.assertEqual(rows["pt-BR"].slug, "portuguese-brazil")

    def test_for_codes_leaves_a_code_whose_name_is_taken_out(self):
        Country.objects.create(code="ZZ", name="France", slug="france")
        self.assertNotIn("FR", Country.objects.for_codes(["FR"]))

    def test_fill_iso_names_renames_from_codes_and_keeps_slugs(self):
        Country.objects.create(code="KR", name="Korea", slug="korea")
        Country.objects.create(code="XX", name="Nowhere", slug="nowhere")
        Language.objects.create(code="fa", name="Farsi", slug="farsi")
        out = StringIO()
        call_command("fill_iso_names", "--dry-run", stdout=out)
        self.assertIn("2 names would change", out.getvalue())
        self.assertTrue(Country.objects.filter(name="Korea").exists())

        call_command("fill_iso_names", stdout=out)
        self.assertEqual(Country.objects.get(code="KR").name, "South Korea")
        self.assertEqual(Country.objects.get(code="KR").slug, "korea")
        self.assertEqual(Language.objects.get(code="fa").name, "Persian")
        self.assertEqual(Country.objects.get(code="XX").name, "Nowhere")
        self.assertIn("not an ISO code", out.getvalue())

    def test_fill_iso_names_swaps_names_without_breaking_uniqueness(self):
        Country.objects.create(code="FR", name="Iran", slug="a")
        Country.objects.create(code="IR", name="France", slug="b")
        call_command("fill_iso_names", stdout=StringIO())
        self.assertEqual(Country.objects.get(code="FR").name, "France")
        self.assertEqual(Country.objects.get(code="IR").name, "Iran")


class TaxonomyListPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.drama = Genre.objects.create(name="Drama", slug="drama")
        Genre.objects.create(name="Western", slug="western")  # no films
        cls.iran = Country.objects.create(name="Iran", slug="iran", code="IR")
        cls.persian = Language.objects.create(name="<Persian>", slug="persian", code="fa")
        for n in range(3):
            film = make_film(title=f"Film {n}")
            film.genres.add(cls.drama)
            film.countries.add(cls.iran)
            film.languages.add(cls.persian)

    def test_each_landing_page_lists_what_has_films_with_counts(self):
        for path, (name, _model) in LISTS.items():
            with self.subTest(path=path):
                response = self.client.get(f"/{path}/")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.wsgi_request.path, reverse(name))
                self.assertContains(response, "(3 films)")
        response = self.client.get(reverse("catalog:genre-list"))
        self.assertContains(response, 'href="/genres/drama/"')
        self.assertNotContains(response, "Western")

    def test_counts_stop_at_the_cap(self):
        with mock.patch.object(TaxonomyListView, "FILM_COUNT_CAP", 2):
            response = self.client.get(reverse("catalog:country-list"))
        self.assertContains(response, "(more than 2 films)")

    def test_names_are_escaped(self):
        response = self.client.get(reverse("catalog:language-list"))
        self.assertContains(response, "&lt;Persian&gt;")
        self.assertNotContains(response, "<Persian>")

    def test_an_empty_list_says_so(self):
        Genre.objects.all().delete()
        response = self.client.get(reverse("catalog:genre-list"))
        self.assertContains(response, "No films are filed under any genre yet.")

    def test_the_home_page_and_each_landing_page_link_to_each_other(self):
        home = self.client.get(reverse("catalog:home"))
        for name, _model in LISTS.values():
            self.assertContains(home, f'href="{reverse(name)}"')
        detail = self.client.get(self.iran.get_absolute_url())
        self.assertContains(detail, f'href="{reverse("catalog:country-list")}"')

    def test_a_landing_page_runs_two_queries_whatever_its_size(self):
        for size in (1, 150):
            Genre.objects.bulk_create(
                Genre(name=f"Genre {size}-{n}", slug=f"genre-{size}-{n}") for n in range(size)
            )
            film = make_film()
            film.genres.add(*Genre.objects.filter(slug__startswith=f"genre-{size}-"))
            forget_all_pages()  # a cold page: its queries are what is measured
            # The count for the paginator, the page with its film counts.
            with self.subTest(size=size), self.assertNumQueries(2):
                response = self.client.get(reverse("catalog:genre-list"))
            self.assertEqual(response.status_code, 200)

    def test_hostile_page_numbers_show_the_nearest_page(self):
        Genre.objects.bulk_create(Genre(name=f"G {n:03}", slug=f"g-{n}") for n in range(120))
        film = make_film()
        film.genres.add(*Genre.objects.all())
        for value, number in [("99999", 2), ("-1", 1), ("abc", 1), ("9" * 500, 2), ("²", 1)]:
            with self.subTest(page=value):
                forget_all_pages()
                response = self.client.get(reverse("catalog:genre-list"), {"page": value})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["page_obj"].number, number)
