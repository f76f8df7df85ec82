from django.test import TestCase
from django.urls import reverse

from catalog.models import Credit, Film, Still

from .helpers import make_credit, make_film, make_person


class PersonDetailPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.person = make_person(name="Majid Majidi", biography="Born in <Tehran>.")
        cls.film = make_film(title="Children of Heaven", year=1997)
        make_credit(cls.film, cls.person, role=Credit.Role.CREW, job="Director")
        make_credit(cls.film, cls.person, character="Himself", credited_as="M. Majidi")

    def test_filmography_is_grouped_by_role_with_character_and_credited_name(self):
        response = self.client.get(self.person.get_absolute_url())
        self.assertContains(response, "<h1", count=1)
        filmography = response.context["filmography"]
        self.assertEqual([section.heading for section in filmography], ["Acting", "Director"])
        self.assertEqual([section.total for section in filmography], [1, 1])
        self.assertNotContains(response, "/filmography/")
        self.assertContains(response, "Himself")
        self.assertContains(response, "credited as")
        self.assertContains(response, "M. Majidi")
        self.assertContains(response, "Born in &lt;Tehran&gt;.")

    def test_links_to_the_film_list_narrowed_to_the_person(self):
        response = self.client.get(self.person.get_absolute_url())
        url = f"{reverse('catalog:film-list')}?person={self.person.slug}"
        self.assertContains(
            response,
            f'<a href="{url}">All films with <span dir="auto">Majid Majidi</span></a>',
            html=True,
        )
        films = self.client.get(url).context["films"]
        self.assertEqual([film.title for film in films], ["Children of Heaven"])

    def test_the_film_list_link_is_only_for_directing_or_acting(self):
        # The film list's "with person" filter counts no other job.
        writer = make_person(name="Only Writer")
        make_credit(self.film, writer, role=Credit.Role.CREW, job="Writer")
        self.assertNotContains(self.client.get(writer.get_absolute_url()), "All films with")
        self.assertNotContains(
            self.client.get(make_person(name="No Credits").get_absolute_url()), "All films with"
        )

    def test_the_film_list_link_takes_the_longest_and_oddest_slugs(self):
        for slug in ["k" * 220, "مجید-مجیدی", "a-b_c"]:
            with self.subTest(slug=slug[:20]):
                person = make_person(name="Odd Slug", slug=slug)
                make_credit(make_film(title=f"Film of {slug[:10]}"), person, character="X")
                response = self.client.get(person.get_absolute_url())
                url = response.context["films_url"]
                self.assertTrue(url)
                films = self.client.get(url).context["films"]
                self.assertEqual([film.title for film in films], [f"Film of {slug[:10]}"])

    def test_unknown_person_is_404(self):
        self.assertEqual(self.client.get("/people/nobody/").status_code, 404)

    def test_query_count_does_not_grow_with_the_filmography(self):
        busy = make_person()
        for _ in range(200):
            film = make_film()
            make_credit(film, busy, character="Someone")
            Still.objects.create(film=film, caption="On set").people.add(busy)
        # Person, credits with films, stills, outside IDs; and the known-for
        # films of one with more acting credits than the page shows.
        for person, queries in ((self.person, 4), (busy, 5)):
            with self.subTest(person=person.name), self.assertNumQueries(queries):
                self.client.get(person.get_absolute_url())


def prolific(credits, **fields):
    """A person with `credits` acting credits, one a year from 1900 (their
    newest film is "Film 1900+credits-1"), and one directing credit."""
    person = make_person(**fields)
    films = Film.objects.bulk_create(
        Film(title=f"Film {1900 + n}", slug=f"film-{person.pk}-{n}", year=1900 + n)
        for n in range(credits)
    )
    Credit.objects.bulk_create(
        Credit(film=film, person=person, character=f"Part {n}") for n, film in enumerate(films)
    )
    make_credit(films[0], person, role=Credit.Role.CREW, job="Director")
    return person


class ProlificPersonTests(TestCase):
    """A person page shows the newest FILMOGRAPHY_SHOWN credits of each
    heading and links to the rest, a hundred a page: a prolific actor's
    thousands of credits cost neither queries nor a page of megabytes."""

    @classmethod
    def setUpTestData(cls):
        cls.person = prolific(230, name="Brahmanandam Example", slug="brahmanandam-example")

    def test_the_page_shows_the_newest_of_each_heading_and_counts_them_all(self):
        response = self.client.get(self.person.get_absolute_url())
        acting, directing = response.context["filmography"]
        self.assertEqual((acting.heading, acting.total, len(acting.credits)), ("Acting", 230, 50))
        self.assertEqual([c.film.title for c in acting.credits[:2]], ["Film 2129", "Film 2128"])
        self.assertEqual(
            (directing.heading, directing.total, directing.more_url), ("Director", 1, "")
        )
        self.assertContains(response, 'Acting <span class="muted">(230)</span>', html=False)
        more = "/people/brahmanandam-example/filmography/?heading=Acting"
        self.assertContains(response, f'<a href="{more}">All 230 credits under Acting</a>')
        self.assertNotContains(response, "Film 2079")  # the 51st newest

    def test_the_heading_page_lists_them_all_a_hundred_a_page_in_fixed_queries(self):
        url = "/people/brahmanandam-example/filmography/"
        pages = []
        for page in (1, 2, 3):
            # Person, count, page.
            with self.assertNumQueries(3):
                response = self.client.get(url, {"heading": "Acting", "page": page})
            self.assertEqual(response.status_code, 200)
            pages.append([credit.film.title for credit in response.context["credits"]])
        self.assertEqual([len(page) for page in pages], [100, 100, 30])
        titles = [title for page in pages for title in page]
        self.assertEqual(titles, [f"Film {year}" for year in range(2129, 1899, -1)])
        self.assertContains(response, "230 credits, newest first: 201 to 230 here.")
        self.assertContains(response, 'rel="prev"')

    def test_a_crew_heading_has_a_page_too(self):
        response = self.client.get(
            "/people/brahmanandam-example/filmography/", {"heading": "Director"}
        )
        self.assertContains(response, "1 credit, newest first.")
        self.assertContains(response, "Film 1900")

    def test_hostile_headings_and_pages_are_a_404_or_the_nearest_page(self):
        url = "/people/brahmanandam-example/filmography/"
        for heading in [
            "",
            "Producer",
            "<script>alert(1)</script>",
            "A" * 5000,
            "Acting\x00",
            "acting",
        ]:
            with self.subTest(heading=heading[:20]):
                self.assertEqual(self.client.get(url, {"heading": heading}).status_code, 404)
        # No heading at all: their first.
        self.assertRedirects(self.client.get(url), f"{url}?heading=Acting")
        for page in ["abc", "-1", "0", "99999", "1e9", "2.5", "\x00"]:
            with self.subTest(page=page):
                response = self.client.get(url, {"heading": "Acting", "page": page})
                self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.client.get("/people/nobody/filmography/?heading=Acting").status_code, 404
        )

    def test_an_old_slug_redirects_to_the_same_heading_and_page(self):
        from catalog.models import SlugRedirect

        SlugRedirect.remember(self.person, "old-brahmanandam")
        response = self.client.get("/people/old-brahmanandam/filmography/?heading=Acting&page=2")
        self.assertRedirects(
            response,
            "/people/brahmanandam-example/filmography/?heading=Acting&page=2",
            status_code=301,
        )


class PersonListPageTests(TestCase):
    def test_lists_people_by_name_in_fixed_queries(self):
        for name in ["Zohre", "Ali", "Bahare"]:
            make_person(name=name)
        with self.assertNumQueries(2):
            response = self.client.get(reverse("catalog:person-list"))
        self.assertEqual([p.name for p in response.context["people"]], ["Ali", "Bahare", "Zohre"])


class HomePageTests(TestCase):
    fixtures = ["children-of-heaven"]

    def test_shows_latest_films_and_reviews_in_fixed_queries(self):
        # Both counts in one query (core.db.row_counts), the latest reviews,
        # the latest films and their directors.
        with self.assertNumQueries(4):
            response = self.client.get(reverse("catalog:home"))
        self.assertContains(response, "Children of Heaven")
        self.assertContains(response, "Simple, passionate and beautiful")
        self.assertContains(response, reverse("catalog:person-list"))


class TaxonomyPageTests(TestCase):
    def test_genre_country_and_language_pages_list_their_films(self):
        from catalog.models import Country, Genre, Language

        film = make_film(title="Filed film")
        genre = Genre.objects.create(name="Drama", slug="drama")
        country = Country.objects.create(name="Iran", slug="iran", code="IR")
        language = Language.objects.create(name="Persian", slug="persian", code="fa")
        film.genres.add(genre)
        film.countries.add(country)
        film.languages.add(language)
        for item in (genre, country, language):
            with self.subTest(item=item):
                self.assertContains(self.client.get(item.get_absolute_url()), "Filed film")
        self.assertEqual(self.client.get("/genres/nope/").status_code, 404)
