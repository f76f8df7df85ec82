"""The watchlist: buttons on the film page, cards and search; the fan's page."""

import threading

from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.urls import reverse

from catalog.models import Genre
from catalog.tests.helpers import make_film
from diary import services
from diary.models import WatchlistEntry
from reviews.tests.helpers import make_user, no_rate_limits


@no_rate_limits
class WatchlistButtonTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan = make_user("wanda")
        cls.film = make_film(title="Close-Up", slug="close-up", year=1990)

    def setUp(self):
        self.client.force_login(self.fan)
        self.url = reverse("diary:watchlist-toggle", args=["close-up"])

    def test_film_page_shows_an_add_button_that_posts_and_comes_back(self):
        page = self.client.get(self.film.get_absolute_url())
        self.assertContains(page, self.url)
        self.assertContains(page, "Add to watchlist")
        response = self.client.post(self.url, {"action": "add", "next": "/films/close-up/"})
        self.assertRedirects(response, "/films/close-up/", fetch_redirect_response=False)
        self.assertTrue(WatchlistEntry.objects.filter(user=self.fan, film=self.film).exists())
        page = self.client.get(self.film.get_absolute_url())
        self.assertContains(page, "On your watchlist")

    def test_remove_takes_it_off(self):
        services.add_to_watchlist(self.fan, self.film)
        self.client.post(self.url, {"action": "remove"})
        self.assertFalse(WatchlistEntry.objects.exists())

    def test_adding_twice_leaves_one_row(self):
        self.client.post(self.url, {"action": "add"})
        self.client.post(self.url, {"action": "add"})
        self.assertEqual(WatchlistEntry.objects.count(), 1)

    def test_the_script_gets_json(self):
        response = self.client.post(
            self.url, {"action": "add"}, headers={"accept": "application/json"}
        )
        self.assertEqual(response.json()["on_watchlist"], True)

    def test_next_pointing_off_site_is_ignored(self):
        for target in ["https://evil.example/", "//evil.example", "javascript:alert(1)"]:
            with self.subTest(target=target):
                response = self.client.post(self.url, {"action": "add", "next": target})
                self.assertRedirects(
                    response, self.film.get_absolute_url(), fetch_redirect_response=False
                )

    def test_next_that_is_no_address_is_followed_as_a_relative_path_never_a_500(self):
        for target in ["5-", "home", "%(password)s"]:
            with self.subTest(target=target):
                response = self.client.post(self.url, {"action": "add", "next": target})
                self.assertEqual(response.status_code, 302)

    def test_get_anonymous_unknown_film_and_hostile_values(self):
        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertEqual(
            self.client.post(reverse("diary:watchlist-toggle", args=["nope"])).status_code, 404
        )
        for action in ["", "x" * 10_000, "\x00", "remove\n"]:
            with self.subTest(action=action[:10]):
                self.assertEqual(self.client.post(self.url, {"action": action}).status_code, 302)
        self.client.logout()
        response = self.client.post(self.url, {"action": "add"})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_film_cards_show_the_buttons_in_one_query_however_many_cards(self):
        for i in range(30):
            make_film(title=f"Zed film {i}", slug=f"zed-film-{i}")
        services.add_to_watchlist(self.fan, self.film)
        self.client.get(reverse("catalog:film-list"))  # Cache the page.
        with self.assertNumQueries(3):  # Session, user, the page's watchlisted films.
            page = self.client.get(reverse("catalog:film-list"))
        self.assertContains(page, "+ Watchlist", count=23)
        self.assertContains(page, "On your watchlist", count=1)

    def test_visitors_see_no_card_buttons_and_a_log_in_prompt_on_the_film_page(self):
        self.client.logout()
        self.assertNotContains(self.client.get(reverse("catalog:film-list")), "Watchlist")
        page = self.client.get(self.film.get_absolute_url())
        self.assertContains(page, "to keep a watchlist")

    def test_search_results_carry_the_buttons(self):
        page = self.client.get(reverse("catalog:search"), {"q": "close"})
        self.assertContains(page, self.url)


class WatchlistPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan = make_user("wanda", watchlist_is_public=True)
        cls.drama = Genre.objects.create(name="Drama", slug="drama")
        for i in range(5):
            film = make_film(title=f"Film {chr(69 - i)}", year=1950 + i * 10)
            if i % 2:
                film.genres.add(cls.drama)
            services.add_to_watchlist(cls.fan, film)
        cls.url = reverse("diary:watchlist", args=["wanda"])

    def titles(self, response):
        return [film.title for film in response.context["films"]]

    def test_sorted_by_added_title_year_and_outside_rating(self):
        self.assertEqual(self.titles(self.client.get(self.url))[0], "Film A")
        cases = {
            "title": ["Film A", "Film B", "Film C", "Film D", "Film E"],
            "year": ["Film E", "Film D", "Film C", "Film B", "Film A"],
            "-year": ["Film A", "Film B", "Film C", "Film D", "Film E"],
        }
        for sort, expected in cases.items():
            with self.subTest(sort=sort):
                self.assertEqual(self.titles(self.client.get(self.url, {"sort": sort})), expected)
        self.assertEqual(len(self.titles(self.client.get(self.url, {"sort": "-outside"}))), 5)

    def test_filtered_by_genre_and_decade_with_the_film_lists_filters(self):
        self.assertEqual(
            self.titles(self.client.get(self.url, {"genre": "drama", "sort": "title"})),
            ["Film B", "Film D"],
        )
        self.assertEqual(self.titles(self.client.get(self.url, {"decade": "1960"})), ["Film D"])

    def test_hostile_parameters_are_form_errors_never_500(self):
        for params in [
            {"sort": "password"},
            {"sort": "-added_at; DROP TABLE"},
            {"genre": "nope"},
            {"decade": "1961"},
            {"decade": "x" * 5000},
            {"page": "-1"},
            {"page": "9" * 50},
            {"genre": "\x00"},
        ]:
            with self.subTest(params=params):
                self.assertEqual(self.client.get(self.url, params).status_code, 200)

    def test_query_count_is_fixed_for_2_or_200_films(self):
        other = make_user("otto", watchlist_is_public=True)
        for _ in range(200):
            services.add_to_watchlist(other, make_film())
        for username in ["wanda", "otto"]:
            url = reverse("diary:watchlist", args=[username])
            with self.subTest(username=username), self.assertNumQueries(8):
                # fan, count, films, their directors, reviews count, chart,
                # diary counts, genres for the filter form
                self.client.get(url)

    def test_a_private_watchlist_is_404_to_others_and_shown_to_its_fan(self):
        self.fan.watchlist_is_public = False
        self.fan.save()
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.client.force_login(make_user("nosy"))
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.client.force_login(self.fan)
        page = self.client.get(self.url)
        self.assertContains(page, "Film A")
        self.assertContains(page, "Who can see your watchlist?")
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_the_fan_switches_it_private_and_visitors_stop_seeing_it(self):
        self.assertEqual(self.client.get(self.url).status_code, 200)  # Cached now.
        self.client.force_login(self.fan)
        self.client.post(reverse("diary:watchlist-visibility"), {"public": "0"})
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_visibility_form_refuses_nonsense(self):
        self.client.force_login(self.fan)
        for value in ["", "2", "yes", "x" * 1000]:
            with self.subTest(value=value[:10]):
                response = self.client.post(
                    reverse("diary:watchlist-visibility"), {"public": value}
                )
                self.assertEqual(response.status_code, 302)
        self.fan.refresh_from_db()
        self.assertTrue(self.fan.watchlist_is_public)


class ConcurrentWatchlistTests(TransactionTestCase):
    def test_two_tabs_adding_the_same_film_at_once_leave_one_row(self):
        fan = make_user()
        film = make_film()
        barrier = threading.Barrier(2)
        errors, results = [], []

        def add():
            try:
                barrier.wait()
                results.append(services.add_to_watchlist(fan, film)[1])
            except Exception as error:
                errors.append(error)
            finally:
                connection.close()

        for _ in range(3):
            WatchlistEntry.objects.all().delete()
            results.clear()
            threads = [threading.Thread(target=add) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            self.assertEqual(errors, [])
            self.assertEqual(WatchlistEntry.objects.filter(user=fan, film=film).count(), 1)
            self.assertEqual(sorted(results), [False, True])
