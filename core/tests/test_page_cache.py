"""Every public page is cached whole for everyone, with holes for what each
visitor sees of their own; every write makes exactly the pages it changes
render afresh on the next request, once per transaction."""

from unittest import mock

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Credit, Film, Genre, Trivia
from catalog.tests.helpers import make_credit, make_film, make_film_with_credits, make_person
from core.page_cache import holes, invalidation, versions
from reviews import services
from reviews.models import Review


class PageCacheTestCase(TestCase):
    def assertServedFromCache(self, url, **extra):
        with self.assertNumQueries(0):
            response = self.client.get(url, **extra)
        self.assertEqual(response.status_code, 200)
        return response

    def assertRenderedAfresh(self, url, **extra):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, **extra)
        self.assertGreaterEqual(len(queries), 1, "expected a fresh render")
        return response

    def committed(self):
        """Writes in the test body commit (and so invalidate) at the end of this block."""
        return self.captureOnCommitCallbacks(execute=True)


class CatalogueTestCase(PageCacheTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.genre = Genre.objects.create(name="Drama", slug="drama")
        cls.film = make_film(title="Children of Heaven", year=1997)
        cls.film.genres.add(cls.genre)
        cls.other = make_film(title="The Colour of Paradise", year=1999)
        cls.person = make_person(name="Amir Farrokh Hashemian")
        make_credit(cls.film, cls.person, character="Ali")
        users = get_user_model().objects
        cls.fan = users.create_user("fan", "fan@example.com", "a-long-passphrase-1")


class WholePagesForEveryoneTests(CatalogueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.review = Review.objects.create(
            film=cls.film, author=cls.fan, title="Shoes and brotherhood", body="Lovely."
        )

    def public_urls(self):
        return [
            self.film.get_absolute_url(),
            self.film.get_cast_url(),
            self.person.get_absolute_url(),
            reverse("catalog:film-list"),
            reverse("catalog:film-list") + "?sort=year&page=1",
            reverse("catalog:person-list"),
            reverse("catalog:home"),
            reverse("catalog:search") + "?q=heaven",
            self.genre.get_absolute_url(),
            reverse("reviews:film-review-list", args=[self.film.slug]),
            self.review.get_absolute_url(),
            reverse("reviews:profile", args=["fan"]),
            reverse("reviews:profile-ratings", args=["fan"]),
        ]

    def test_the_second_visit_runs_no_query_and_gets_the_same_page(self):
        for url in self.public_urls():
            with self.subTest(url=url):
                first = self.client.get(url)
                again = self.assertServedFromCache(url)
                self.assertEqual(again.content, first.content)
                self.assertEqual(again["Content-Type"], first["Content-Type"])
                self.assertIn("Cookie", again["Vary"])
                # Security headers are added to cached pages as to fresh ones.
                self.assertEqual(again["X-Frame-Options"], "DENY")
                self.assertIn("Content-Security-Policy", again)

    def test_a_visitors_repeat_visit_renders_not_even_the_holes(self):
        url = self.film.get_absolute_url()
        first = self.client.get(url)
        with mock.patch.object(holes, "fill", side_effect=AssertionError("filled again")):
            again = self.assertServedFromCache(url)
        self.assertEqual(again.content, first.content)
        self.assertNotIn(b"<!--hole:", again.content)
        self.assertContains(again, "Log in to rate")

    def test_a_fan_gets_the_cached_page_with_their_own_parts_filled_in(self):
        services.set_rating(self.fan, self.film, 7)
        url = self.film.get_absolute_url()
        self.client.get(url)  # cached by an anonymous visit
        self.client.force_login(self.fan)
        # The session and the account (the session is a file, not a query,
        # on a SQLite site), the fan's own rating for the star widget and
        # whether the film is on their watchlist.
        with self.assertNumQueries(4):
            response = self.client.get(url)
        self.assertContains(response, "You rated it 3.5 out of 5.")
        self.assertContains(response, 'name="csrfmiddlewaretoken"')
        self.assertContains(response, "Log out")
        self.assertIn("csrftoken", response.cookies)

    def test_a_page_first_rendered_for_a_fan_shows_a_visitor_nothing_of_the_fan(self):
        services.set_rating(self.fan, self.film, 7)
        url = self.film.get_absolute_url()
        self.client.force_login(self.fan)
        self.assertContains(self.client.get(url), "You rated it 3.5 out of 5.")
        self.client.logout()
        response = self.assertServedFromCache(url)
        self.assertNotContains(response, "You rated it")
        self.assertNotContains(response, "csrfmiddlewaretoken")
        self.assertNotContains(response, "Log out")
        self.assertContains(response, "Log in to rate")

    def test_each_fan_sees_their_own_rating_around_the_same_page(self):
        other = get_user_model().objects.create_user("other", "o@example.com", "passphrase-22")
        services.set_rating(self.fan, self.film, 8)
        services.set_rating(other, self.film, 3)
        url = self.film.get_absolute_url()
        self.client.force_login(self.fan)
        self.assertContains(self.client.get(url), "You rated it 4 out of 5.")
        self.client.force_login(other)
        response = self.client.get(url)
        self.assertContains(response, "You rated it 1.5 out of 5.")
        self.assertNotContains(response, "You rated it 4 out of 5.")

    def test_messages_are_a_hole_too(self):
        self.client.get(self.film.get_absolute_url())
        self.client.force_login(self.fan)
        response = self.client.post(
            reverse("reviews:rating-set", args=[self.film.slug]), {"points": 9}, follow=True
        )
        self.assertContains(response, "Saved: you rated it 4.5 out of 5.")
        self.assertNotContains(self.client.get(self.film.get_absolute_url()), "Saved:")

    def test_each_address_and_query_string_is_its_own_page(self):
        self.client.get("/films/?sort=year")
        self.assertRenderedAfresh("/films/?sort=title")
        self.assertServedFromCache("/films/?sort=year")

    def test_unknown_query_parameters_are_never_cached(self):
        for url in ["/films/?junk=1", "/films/?sort=year&junk=2", "/films/?sort=year&sort=title"]:
            with self.subTest(url=url):
                self.client.get(url)
                self.assertRenderedAfresh(url)
        self.client.get(self.film.get_absolute_url() + "?utm_source=x")
        self.assertRenderedAfresh(self.film.get_absolute_url() + "?utm_source=x")

    @override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1"])
    def test_a_request_with_another_port_cannot_poison_the_page_of_others(self):
        url = self.film.get_absolute_url()
        for _ in range(2):
            poisoned = self.client.get(url, HTTP_HOST="127.0.0.1:6666")
            self.assertContains(poisoned, "http://127.0.0.1:6666/")
        response = self.client.get(url, HTTP_HOST="127.0.0.1")
        self.assertNotContains(response, "6666")
        self.assertContains(response, f'rel="canonical" href="http://127.0.0.1{url}"')

    def test_https_and_http_are_different_pages(self):
        url = self.film.get_absolute_url()
        self.client.get(url, secure=True)
        response = self.assertRenderedAfresh(url)
        self.assertContains(response, 'rel="canonical" href="http://testserver/')
        self.assertNotContains(response, "https://testserver")

    def test_errors_are_not_cached(self):
        self.client.get("/films/no-such-film/")
        self.assertRenderedAfresh("/films/no-such-film/")
        with self.committed():
            make_film(slug="no-such-film", title="Now it exists")
        self.assertContains(self.client.get("/films/no-such-film/"), "Now it exists")

    def test_visitors_text_cannot_open_a_hole(self):
        with self.committed():
            Review.objects.filter(pk=self.review.pk).update(
                body="<!--hole:account-nav:--> and <!--hole:messages:-->"
            )
            invalidation.touch("reviews.Review", [self.review.pk])
        self.client.force_login(self.fan)
        response = self.client.get(self.review.get_absolute_url())
        self.assertContains(response, "&lt;!--hole:account-nav:--&gt;")
        self.assertContains(response, "Log out", count=1)

    def test_the_page_cache_can_be_switched_off(self):
        url = self.film.get_absolute_url()
        with self.settings(PAGE_CACHE=False):
            self.client.get(url)
            self.assertRenderedAfresh(url)


class InvalidationTests(CatalogueTestCase):
    def test_an_edit_to_the_film_shows_on_its_pages_and_its_peoples(self):
        url = self.film.get_absolute_url()
        self.client.get(url)
        self.client.get(self.person.get_absolute_url())
        with self.committed():
            self.film.title = "Children of Heaven (restored)"
            self.film.save()
        self.assertContains(self.assertRenderedAfresh(url), "Children of Heaven (restored)")
        self.assertContains(
            self.client.get(self.person.get_absolute_url()), "Children of Heaven (restored)"
        )

    def test_an_edit_to_one_film_leaves_other_films_pages_cached(self):
        other_url = self.other.get_absolute_url()
        self.client.get(other_url)
        with self.committed():
            self.film.tagline = "A new tagline"
            self.film.save()
        self.assertServedFromCache(other_url)

    def test_a_new_credit_shows_on_the_film_and_the_persons_pages(self):
        newcomer = make_person(name="Bahare Seddiqi")
        self.client.get(self.film.get_cast_url())
        self.client.get(newcomer.get_absolute_url())
        with self.committed():
            make_credit(self.film, newcomer, character="Zahra")
        self.assertContains(self.client.get(self.film.get_cast_url()), "Zahra")
        self.assertContains(self.client.get(newcomer.get_absolute_url()), "Children of Heaven")

    def test_renaming_a_genre_shows_on_its_films_pages(self):
        self.client.get(self.film.get_absolute_url())
        with self.committed():
            self.genre.name = "Family drama"
            self.genre.save()
        self.assertContains(self.client.get(self.film.get_absolute_url()), "Family drama")

    def test_a_changed_slug_leaves_nothing_cached_at_the_old_address(self):
        old_url = self.film.get_absolute_url()
        self.client.get(old_url)
        with self.committed():
            self.film.slug = "children-of-heaven-1997"
            self.film.save()
        self.assertEqual(self.client.get(old_url).status_code, 404)

    def test_a_deleted_film_is_gone_at_once(self):
        film = make_film(title="Short-lived")
        self.assertEqual(self.client.get(film.get_absolute_url()).status_code, 200)
        with self.committed():
            film.delete()
        self.assertEqual(self.client.get(film.get_absolute_url()).status_code, 404)

    def test_a_fans_rating_post_shows_on_the_film_page_and_the_lists(self):
        url = self.film.get_absolute_url()
        self.assertContains(self.client.get(url), "No ratings yet")
        self.client.get(reverse("catalog:film-list"))
        self.client.force_login(self.fan)
        self.client.post(reverse("reviews:rating-set", args=[self.film.slug]), {"points": 8})
        self.client.logout()
        self.assertNotContains(self.assertRenderedAfresh(url), "No ratings yet")
        self.assertRenderedAfresh(reverse("catalog:film-list"))

    def test_a_review_and_its_hiding_by_staff_show_on_the_next_request(self):
        url = self.film.get_absolute_url()
        self.client.get(url)
        with self.committed():
            # The site's way, which keeps the film's review counter exact:
            # the page reads no reviews while its counter says there are none.
            review = services.save_review(
                Review(
                    film=self.film, author=self.fan, title="Shoes and brotherhood", body="Lovely."
                )
            )
        self.assertContains(self.client.get(url), "Shoes and brotherhood")
        # Staff hide it with a queryset update, which sends no signal.
        with self.committed():
            services.set_review_status(Review.objects.filter(pk=review.pk), Review.Status.HIDDEN)
        self.assertNotContains(self.client.get(url), "Shoes and brotherhood")

    def test_uncommitted_writes_invalidate_nothing(self):
        url = self.film.get_absolute_url()
        self.client.get(url)
        with self.assertRaises(RuntimeError), transaction.atomic():
            self.film.title = "Rolled back"
            self.film.save()
            raise RuntimeError
        self.assertServedFromCache(url)


class OncePerTransactionTests(PageCacheTestCase):
    def setUp(self):
        self.writes = []
        real_bump = versions.bump

        def counting_bump(families):
            self.writes.append(set(families))
            real_bump(families)

        patcher = mock.patch.object(versions, "bump", counting_bump)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_a_film_saved_with_twenty_credits_and_facts_is_one_write_of_each_family(self):
        film = make_film_with_credits(cast_size=20)
        people = list(film.credits.values_list("person__slug", flat=True))
        with CaptureQueriesContext(connection) as queries, self.committed():
            with transaction.atomic():
                film.title = "Renamed"
                film.save()
                for credit in Credit.objects.filter(film=film):
                    credit.character += " (voice)"
                    credit.save()
                for n in range(5):
                    Trivia.objects.create(film=film, text=f"Fact {n}")
            self.assertEqual(self.writes, [], "nothing is invalidated before the commit")
            queries_before_commit = len(queries)
        self.assertEqual(len(self.writes), 1)
        families = self.writes[0]
        self.assertIn(f"film:{film.slug}", families)
        self.assertIn("lists", families)
        self.assertTrue({f"person:{slug}" for slug in people} <= families)
        # What the commit costs, whatever the number of rows written: the
        # film's people, their films (whose "More by/with" lists show this
        # one), the films listing this one (its people's other films, and
        # "also liked"), then the films' and the people's slugs.
        self.assertEqual(len(queries) - queries_before_commit, 6)

    def test_a_bulk_job_invalidates_everything_with_one_write(self):
        self.client.get(reverse("catalog:home"))
        with self.committed():
            Film.objects.bulk_create(
                make_film.__globals__["Film"](title=f"F{n}", slug=f"f{n}") for n in range(100)
            )
            invalidation.invalidate_everything()
        self.assertEqual(self.writes, [{versions.EVERYTHING}])
        self.assertContains(self.client.get(reverse("catalog:home")), "100 films")

    def test_versions_live_in_the_shared_cache(self):
        versions.current(["film:x"])
        self.assertIsNotNone(cache.get(versions._key("film:x")))
