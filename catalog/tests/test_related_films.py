"""The film page leads on: "More by <director>" and "More with <lead actor>",
a few films each, in a fixed number of queries, kept fresh in the page cache."""

from django.test import TestCase

from catalog.models import Credit, Film
from catalog.pages import RELATED_FILMS_SIZE

from .helpers import make_credit, make_film, make_person


def direct(person, film):
    return make_credit(film, person, role=Credit.Role.CREW, job="Director")


def act(person, film, billing_order=1, is_star=True, character="Lead"):
    return make_credit(
        film, person, billing_order=billing_order, is_star=is_star, character=character
    )


class RelatedFilmsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.director = make_person(name="Majid Majidi")
        cls.actor = make_person(name="Amir Farrokh Hashemian")
        cls.film = make_film(title="Children of Heaven", year=1997)
        direct(cls.director, cls.film)
        act(cls.actor, cls.film)
        cls.paradise = make_film(title="The Colour of Paradise", year=1999)
        direct(cls.director, cls.paradise)
        cls.baran = make_film(title="Baran", year=2001)
        direct(cls.director, cls.baran)
        cls.other_role = make_film(title="A Film He Only Wrote", year=2005)
        make_credit(cls.other_role, cls.director, role=Credit.Role.CREW, job="Writer")
        cls.acted = make_film(title="Willow and Wind", year=2000)
        act(cls.actor, cls.acted, billing_order=4, is_star=False, character="A boy")

    def related(self, film):
        response = self.client.get(film.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        return response, {r.heading: r for r in response.context["page"].related}

    def test_more_by_the_director_lists_their_other_films_newest_first(self):
        response, related = self.related(self.film)
        more_by = related["More by"]
        self.assertEqual(more_by.person, self.director)
        self.assertEqual([f.title for f in more_by.films], ["Baran", "The Colour of Paradise"])
        self.assertContains(response, "More by")
        self.assertContains(response, self.director.get_absolute_url())
        self.assertContains(response, self.baran.get_absolute_url())

    def test_a_crew_job_other_than_directing_does_not_count(self):
        _, related = self.related(self.film)
        self.assertNotIn(self.other_role, related["More by"].films)

    def test_more_with_the_lead_actor_lists_films_they_acted_in_at_any_billing(self):
        _, related = self.related(self.film)
        self.assertEqual(related["More with"].person, self.actor)
        self.assertEqual(related["More with"].films, [self.acted])

    def test_without_a_star_the_first_billed_actor_leads(self):
        film = make_film(title="Unheadlined")
        act(self.actor, film, billing_order=1, is_star=False)
        act(make_person(), film, billing_order=2, is_star=False)
        _, related = self.related(film)
        self.assertEqual(related["More with"].person, self.actor)

    def test_a_film_whose_people_made_nothing_else_shows_no_list(self):
        film = make_film(title="Alone")
        direct(make_person(), film)
        act(make_person(), film)
        response, related = self.related(film)
        self.assertEqual(related, {})
        self.assertNotContains(response, "More by")
        self.assertNotContains(response, "More with")

    def test_lists_are_cut_to_a_few_films(self):
        for n in range(RELATED_FILMS_SIZE + 3):
            direct(self.director, make_film(title=f"Short {n}", year=2010 + n))
        _, related = self.related(self.film)
        self.assertEqual(len(related["More by"].films), RELATED_FILMS_SIZE)
        self.assertEqual(related["More by"].films[0].title, f"Short {RELATED_FILMS_SIZE + 2}")

    def test_the_query_count_does_not_grow_with_the_filmographies(self):
        small = make_film(title="Small")
        big = make_film(title="Big")
        small_director, big_director = make_person(), make_person()
        small_actor, big_actor = make_person(), make_person()
        direct(small_director, small)
        act(small_actor, small)
        direct(small_director, make_film())
        act(small_actor, make_film())
        direct(big_director, big)
        act(big_actor, big)
        films = Film.objects.bulk_create(
            Film(title=f"Bulk {n}", slug=f"bulk-{n}", year=1950 + n % 70) for n in range(200)
        )
        Credit.objects.bulk_create(
            [Credit(film=f, person=big_director, role="crew", job="Director") for f in films]
            + [Credit(film=f, person=big_actor, role="cast", character="Lead") for f in films]
        )
        for film in (small, big):
            # The film page's 2 (no stills, so no stills' people; no
            # reviews, so none read): the film; the director's and the lead
            # actor's films with its other lists ("also liked" and "In N
            # public lists" among them) in one.
            with self.subTest(film=film.title), self.assertNumQueries(2):
                self.client.get(film.get_absolute_url())

    def test_hostile_titles_and_names_are_escaped(self):
        film = make_film(title="<script>alert(1)</script>")
        direct(self.director, film)
        response = self.client.get(self.film.get_absolute_url())
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")


class RelatedFilmsInThePageCacheTests(TestCase):
    """The film page is cached whole; another film's change that shows in
    its lists makes it render afresh."""

    @classmethod
    def setUpTestData(cls):
        cls.director = make_person(name="Majid Majidi")
        cls.film = make_film(title="Children of Heaven", year=1997)
        direct(cls.director, cls.film)
        cls.paradise = make_film(title="The Colour of Paradise", year=1999)
        direct(cls.director, cls.paradise)

    def test_renaming_a_listed_film_refreshes_the_page_listing_it(self):
        self.assertContains(self.client.get(self.film.get_absolute_url()), "Colour of Paradise")
        with self.captureOnCommitCallbacks(execute=True):
            self.paradise.title = "Rang-e Khoda"
            self.paradise.save()
        response = self.client.get(self.film.get_absolute_url())
        self.assertContains(response, "Rang-e Khoda")
        self.assertNotContains(response, "Colour of Paradise")

    def test_a_new_film_by_the_director_appears_on_their_other_films_pages(self):
        self.client.get(self.film.get_absolute_url())
        with self.captureOnCommitCallbacks(execute=True):
            direct(self.director, make_film(title="The Song of Sparrows", year=2008))
        self.assertContains(self.client.get(self.film.get_absolute_url()), "Song of Sparrows")
