from django.test import TestCase
from django.urls import reverse

from catalog.models import Credit, Still

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
        filmography = dict(response.context["filmography"])
        self.assertEqual(list(filmography), ["Acting", "Director"])
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
        for person in (self.person, busy):
            # Person, credits with films, stills, outside IDs.
            with self.subTest(person=person.name), self.assertNumQueries(4):
                self.client.get(person.get_absolute_url())


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
