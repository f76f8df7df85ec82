"""Anonymous visitors get public pages whole from the cache, and every write
makes exactly the pages it changes render afresh on the next request."""

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse

from catalog.models import Genre
from reviews import services
from reviews.models import Review

from .helpers import make_credit, make_film, make_film_with_credits, make_person


class PageCacheTestCase(TestCase):
    def setUp(self):
        self.enterContext(override_settings(PAGE_CACHE=True))

    def assertServedFromCache(self, url):
        with self.assertNumQueries(0):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response

    def assertRenderedAfresh(self, url):
        with self.assertNumQueriesAtLeast(1):
            response = self.client.get(url)
        return response

    def assertNumQueriesAtLeast(self, n):
        test = self

        class AtLeast:
            def __enter__(self):
                from django.db import connection
                from django.test.utils import CaptureQueriesContext

                self.capture = CaptureQueriesContext(connection)
                self.capture.__enter__()

            def __exit__(self, *exc):
                self.capture.__exit__(*exc)
                test.assertGreaterEqual(len(self.capture), n, "expected a fresh render")

        return AtLeast()


class AnonymousPageCacheTests(PageCacheTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.genre = Genre.objects.create(name="Drama", slug="drama")
        cls.film = make_film(title="Children of Heaven", year=1997)
        cls.film.genres.add(cls.genre)
        cls.other = make_film(title="The Colour of Paradise", year=1999)
        cls.person = make_person(name="Amir Farrokh Hashemian")
        make_credit(cls.film, cls.person, character="Ali")
        cls.fan = get_user_model().objects.create_user("fan", password="a-long-passphrase-1")

    def test_the_second_anonymous_visit_runs_no_query_and_gets_the_same_page(self):
        for url in [
            self.film.get_absolute_url(),
            self.film.get_cast_url(),
            self.person.get_absolute_url(),
            reverse("catalog:film-list"),
            reverse("catalog:person-list"),
            reverse("catalog:home"),
            self.genre.get_absolute_url(),
            reverse("reviews:film-review-list", args=[self.film.slug]),
        ]:
            with self.subTest(url=url):
                first = self.client.get(url)
                again = self.assertServedFromCache(url)
                self.assertEqual(again.content, first.content)
                self.assertEqual(again["Content-Type"], first["Content-Type"])
                self.assertEqual(again["Vary"], first["Vary"])
                # Security headers are added to cached pages as to fresh ones.
                self.assertEqual(again["X-Frame-Options"], "DENY")
                self.assertIn("Content-Security-Policy", again)

    def test_each_address_and_query_string_is_its_own_page(self):
        self.client.get("/films/?sort=year")
        self.assertRenderedAfresh("/films/?sort=title")

    def test_an_edit_to_the_film_shows_on_the_next_request(self):
        url = self.film.get_absolute_url()
        self.client.get(url)
        self.film.title = "Children of Heaven (restored)"
        self.film.save()
        self.assertContains(self.assertRenderedAfresh(url), "Children of Heaven (restored)")
        # The person page lists the film by title, so it is stale too.
        self.assertContains(
            self.client.get(self.person.get_absolute_url()), "Children of Heaven (restored)"
        )

    def test_an_edit_to_one_film_leaves_other_films_pages_cached(self):
        other_url = self.other.get_absolute_url()
        self.client.get(other_url)
        self.film.tagline = "A new tagline"
        self.film.save()
        self.assertServedFromCache(other_url)

    def test_a_new_credit_shows_on_the_film_and_the_persons_pages(self):
        newcomer = make_person(name="Bahare Seddiqi")
        self.client.get(self.film.get_cast_url())
        self.client.get(newcomer.get_absolute_url())
        make_credit(self.film, newcomer, character="Zahra")
        self.assertContains(self.client.get(self.film.get_cast_url()), "Zahra")
        self.assertContains(self.client.get(newcomer.get_absolute_url()), "Children of Heaven")

    def test_renaming_a_genre_shows_on_its_films_pages(self):
        self.client.get(self.film.get_absolute_url())
        self.genre.name = "Family drama"
        self.genre.save()
        self.assertContains(self.client.get(self.film.get_absolute_url()), "Family drama")

    def test_a_changed_slug_leaves_nothing_cached_at_the_old_address(self):
        old_url = self.film.get_absolute_url()
        self.client.get(old_url)
        self.film.slug = "children-of-heaven-1997"
        self.film.save()
        self.assertEqual(self.client.get(old_url).status_code, 404)

    def test_a_fans_rating_shows_on_the_next_anonymous_request(self):
        url = self.film.get_absolute_url()
        self.assertContains(self.client.get(url), "No ratings yet")
        services.set_rating(self.fan, self.film, 8)
        response = self.assertRenderedAfresh(url)
        self.assertNotContains(response, "No ratings yet")

    def test_a_review_and_its_hiding_by_staff_show_on_the_next_request(self):
        url = self.film.get_absolute_url()
        self.client.get(url)
        review = Review.objects.create(
            film=self.film, author=self.fan, title="Shoes and brotherhood", body="Lovely."
        )
        self.assertContains(self.client.get(url), "Shoes and brotherhood")
        # Staff hide it with a queryset update, which sends no signal.
        services.set_review_status(Review.objects.filter(pk=review.pk), Review.Status.HIDDEN)
        self.assertNotContains(self.client.get(url), "Shoes and brotherhood")

    def test_logged_in_fans_are_never_served_the_cached_page(self):
        url = self.film.get_absolute_url()
        self.client.get(url)
        self.client.force_login(self.fan)
        self.assertRenderedAfresh(url)

    def test_a_page_rendered_for_a_fan_is_not_kept_for_anonymous_visitors(self):
        url = self.film.get_absolute_url()
        self.client.force_login(self.fan)
        self.client.get(url)
        self.client.logout()
        self.assertRenderedAfresh(url)

    def test_errors_are_not_cached(self):
        self.client.get("/films/no-such-film/")
        self.assertRenderedAfresh("/films/no-such-film/")
        make_film(slug="no-such-film", title="Now it exists")
        self.assertContains(self.client.get("/films/no-such-film/"), "Now it exists")

    def test_the_page_cache_can_be_switched_off(self):
        url = self.film.get_absolute_url()
        with self.settings(PAGE_CACHE=False):
            self.client.get(url)
            self.assertRenderedAfresh(url)


class FilmPageFragmentTests(PageCacheTestCase):
    """Logged-in fans can't share whole pages, so the film page caches its
    public parts as fragments under the film's version and renders only the
    fan's own rating widget for each request."""

    @classmethod
    def setUpTestData(cls):
        cls.film = make_film_with_credits(cast_size=40, crew_size=5)
        cls.url = cls.film.get_absolute_url()
        users = get_user_model().objects
        cls.fan = users.create_user("fan", password="a-long-passphrase-1")
        cls.other_fan = users.create_user("other-fan", password="a-long-passphrase-2")

    def test_a_fans_repeat_visit_reads_only_the_session(self):
        services.set_rating(self.fan, self.film, 7)
        self.client.force_login(self.fan)
        self.client.get(self.url)
        # The film's row and the fan's own rating are cached under the film's
        # version too; what is left is the session and the account.
        # what is left is the session, from the database in tests (from files
        # on a SQLite site, so no query at all).
        with self.assertNumQueries(2):
            response = self.client.get(self.url)
        self.assertContains(response, "You rated it 3.5 out of 5.")
        self.assertContains(response, "Character 11")
        self.assertContains(response, 'name="csrfmiddlewaretoken"')

    def test_each_fan_sees_their_own_rating_around_the_shared_parts(self):
        services.set_rating(self.fan, self.film, 8)
        services.set_rating(self.other_fan, self.film, 3)
        self.client.force_login(self.fan)
        self.assertContains(self.client.get(self.url), "You rated it 4 out of 5.")
        self.client.force_login(self.other_fan)
        response = self.client.get(self.url)
        self.assertContains(response, "You rated it 1.5 out of 5.")
        self.assertNotContains(response, "You rated it 4 out of 5.")
        self.client.logout()
        self.assertContains(self.client.get(self.url), "to rate this film")

    def test_a_fans_own_new_rating_shows_on_their_next_request(self):
        self.client.force_login(self.fan)
        self.assertContains(self.client.get(self.url), "You have not rated it yet.")
        self.client.post(reverse("reviews:rating-set", args=[self.film.slug]), {"points": 9})
        self.assertContains(self.client.get(self.url), "You rated it 4.5 out of 5.")
        self.client.post(reverse("reviews:rating-set", args=[self.film.slug]), {"action": "clear"})
        self.assertContains(self.client.get(self.url), "You have not rated it yet.")

    def test_a_deleted_film_is_gone_at_once_for_fans(self):
        self.client.force_login(self.fan)
        self.client.get(self.url)
        film = make_film(title="Short-lived")
        self.assertEqual(self.client.get(film.get_absolute_url()).status_code, 200)
        film.delete()
        self.assertEqual(self.client.get(film.get_absolute_url()).status_code, 404)

    def test_another_fans_rating_shows_in_the_summary_on_the_next_request(self):
        self.client.force_login(self.fan)
        self.assertContains(self.client.get(self.url), "No ratings yet")
        services.set_rating(self.other_fan, self.film, 10)
        response = self.client.get(self.url)
        self.assertNotContains(response, "No ratings yet")
        self.assertContains(response, "1 rating")
        self.assertContains(response, '"ratingCount":1')

    def test_a_staff_edit_shows_on_a_fans_next_request(self):
        self.client.force_login(self.fan)
        self.client.get(self.url)
        self.film.title = "Children of Heaven (restored)"
        self.film.save()
        self.film.trivia_items.create(text="Shot in south Tehran.")
        response = self.client.get(self.url)
        self.assertContains(response, "Children of Heaven (restored)")
        self.assertContains(response, "Shot in south Tehran.")

    def test_a_new_review_shows_in_the_latest_reviews_for_a_fan(self):
        self.client.force_login(self.fan)
        self.client.get(self.url)
        Review.objects.create(
            film=self.film, author=self.other_fan, title="Shoes and brotherhood", body="Lovely."
        )
        self.assertContains(self.client.get(self.url), "Shoes and brotherhood")

    def test_visitors_and_fans_each_get_their_own_reviews_section(self):
        # The body part is shared by every fan and by every visitor, not
        # between the two: one says "Write a review", the other "Log in".
        self.client.force_login(self.fan)
        self.assertContains(self.client.get(self.url), "Write a review")
        self.client.logout()
        response = self.client.get(self.url)
        self.assertNotContains(response, "Write a review")
        self.assertContains(response, "to write a review.")

    def test_with_the_cache_off_every_part_renders_afresh(self):
        self.client.force_login(self.fan)
        with self.settings(PAGE_CACHE=False):
            self.client.get(self.url)
            self.assertRenderedAfresh(self.url)
            with self.assertNumQueriesAtLeast(10):
                self.client.get(self.url)
