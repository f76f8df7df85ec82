from django.test import TestCase, override_settings
from django.urls import reverse

from catalog.models import BoxOfficeFigure, Still, Trivia
from catalog.pages import TOP_CAST_SIZE
from reviews.tests.helpers import make_imported_review

from .helpers import make_credit, make_film, make_film_with_credits, make_person


class FilmDetailPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.film = make_film(title="Test Film", original_title="فیلم آزمایشی", tagline="A tag")

    def test_shows_titles_with_direction_left_to_the_browser(self):
        response = self.client.get(self.film.get_absolute_url())
        self.assertContains(response, '<span dir="auto">Test Film</span>', html=True)
        self.assertContains(response, "فیلم آزمایشی")
        self.assertContains(response, "<h1", count=1)

    def test_leaves_out_what_is_not_known_instead_of_saying_so_row_by_row(self):
        response = self.client.get(self.film.get_absolute_url())
        self.assertContains(response, "No ratings yet")
        for absent in [
            "Not known",
            "technical specs",
            "Technical specs",
            "Box office",
            "No box-office figures",
            'id="details-heading"',
            "Did you know?",
            "Stills",
            "Image not available",
            "does not say where it comes from",
        ]:
            with self.subTest(absent):
                self.assertNotContains(response, absent)

    def test_shows_the_details_it_knows_and_only_those(self):
        film = make_film(title="Known", runtime_minutes=89, aspect_ratio="1.85 : 1")
        BoxOfficeFigure.objects.create(film=film, kind="budget", amount=180000, currency="USD")
        response = self.client.get(film.get_absolute_url())
        self.assertContains(response, "<dt>Aspect ratio</dt><dd>1.85 : 1</dd>", html=True)
        self.assertContains(response, "$180,000")
        self.assertNotContains(response, "Sound mix")
        self.assertNotContains(response, "Colour")
        self.assertNotContains(response, "Release date")

    def test_unknown_slug_is_404(self):
        self.assertEqual(self.client.get("/films/no-such-film/").status_code, 404)
        self.assertEqual(self.client.get("/films/%00%ff<script>/").status_code, 404)

    def test_logged_in_visitors_see_the_same_page(self):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user("fan", password="a-long-passphrase-1")
        self.client.force_login(user)
        self.assertEqual(self.client.get(self.film.get_absolute_url()).status_code, 200)

    def test_hostile_text_in_fields_is_escaped(self):
        film = make_film(title="<script>alert(1)</script>", tagline="<img src=x onerror=alert(1)>")
        response = self.client.get(film.get_absolute_url())
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertNotContains(response, "<img src=x")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_top_cast_is_cut_at_twelve_with_a_link_to_the_rest(self):
        film = make_film_with_credits(cast_size=20)
        response = self.client.get(film.get_absolute_url())
        self.assertEqual(len(response.context["page"].top_cast), TOP_CAST_SIZE)
        self.assertContains(response, "Character 11<")
        self.assertNotContains(response, "Character 12<")
        self.assertContains(response, film.get_cast_url())

    @override_settings(PAGE_CACHE=False)  # each page rendered, not replayed
    def test_query_count_does_not_grow_with_the_cast(self):
        small = make_film_with_credits(cast_size=2, crew_size=1)
        big = make_film_with_credits(cast_size=200, crew_size=20)
        for film in (small, big):
            person = make_person()
            still = Still.objects.create(film=film, caption="A still")
            still.people.add(person, *film.credits.values_list("person", flat=True)[:5])
            Trivia.objects.create(film=film, text="A fact")
            BoxOfficeFigure.objects.create(film=film, kind="budget", amount=1)
        # Not counted: on SQLite, the first film page of a connection asks
        # once whether SQLite has JSON (three queries).
        self.client.get(make_film().get_absolute_url())
        # The film; its lists (pages.FILM_PAGE_LISTS: headliners, top cast,
        # more by the director, more with the lead actor, genres, trivia…,
        # reviews' "also liked" and diary's count of public lists); the
        # stills' people.
        for film in (small, big):
            with self.subTest(credits=film.credits.count()), self.assertNumQueries(3):
                self.client.get(film.get_absolute_url())
        # With a review, its latest reviews too (none read when its counter
        # says there are none).
        for film in (small, big):
            make_imported_review(film, title="<script>alert(1)</script>")
            with self.subTest(credits=film.credits.count()), self.assertNumQueries(4):
                response = self.client.get(film.get_absolute_url())
            self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")


class FilmCastPageTests(TestCase):
    def test_lists_every_credit_with_crew_grouped_by_job(self):
        film = make_film_with_credits(cast_size=30, crew_size=3)
        response = self.client.get(film.get_cast_url())
        self.assertContains(response, "Character 29")
        self.assertContains(response, "<h3>Director</h3>", html=True)
        self.assertContains(response, "<h3>Editor</h3>", html=True)

    def test_query_count_does_not_grow_with_the_cast(self):
        for size in (1, 200):
            film = make_film_with_credits(cast_size=size, crew_size=2)
            with self.subTest(size=size), self.assertNumQueries(2):
                self.client.get(film.get_cast_url())

    def test_unknown_film_is_404(self):
        self.assertEqual(self.client.get("/films/nope/cast/").status_code, 404)

    def test_unbilled_cast_come_after_billed_cast(self):
        film = make_film()
        make_credit(film, make_person(name="Aaron Unbilled"), character="Extra")
        make_credit(film, make_person(name="Zed Billed"), character="Lead", billing_order=1)
        cast = self.client.get(film.get_cast_url()).context["cast"]
        self.assertEqual([c.person.name for c in cast], ["Zed Billed", "Aaron Unbilled"])


class FilmListPageTests(TestCase):
    def test_lists_films_with_their_directors_in_fixed_queries(self):
        for _ in range(30):
            make_film_with_credits(cast_size=1, crew_size=1)
        # Capped count, the three taxonomy menus of the filter form, the page
        # of films, and their directors.
        with self.assertNumQueries(6):
            response = self.client.get(reverse("catalog:film-list"))
        self.assertEqual(len(response.context["films"]), 24)
        self.assertContains(response, 'aria-current="page"')

    def test_any_page_value_shows_the_nearest_real_page(self):
        for _ in range(30):
            make_film()
        for raw, expected in [
            ("abc", 1),
            ("-1", 1),
            ("0", 1),
            ("2", 2),
            ("99999", 2),
            ("9" * 400, 2),
            ("²", 1),
            ("1.5", 1),
            ("last", 2),
        ]:
            with self.subTest(page=raw):
                response = self.client.get(reverse("catalog:film-list"), {"page": raw})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["page_obj"].number, expected)

    def test_empty_catalogue_says_so(self):
        self.assertContains(self.client.get(reverse("catalog:film-list")), "No films match.")


class BoxOfficeOrderTests(TestCase):
    def test_figures_read_budget_then_opening_weekend_then_gross(self):
        film = make_film()
        for kind in ["gross", "opening-weekend", "budget"]:
            BoxOfficeFigure.objects.create(film=film, kind=kind, amount=1)
        figures = self.client.get(film.get_absolute_url()).context["page"].box_office
        self.assertEqual([f.kind for f in figures], ["budget", "opening-weekend", "gross"])
