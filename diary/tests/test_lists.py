"""Fans' lists: making, ordering, notes, privacy, the sitemap and the film page."""

from django.test import TestCase
from django.urls import reverse

from catalog.tests.helpers import make_film
from diary import services
from diary.models import FilmList, ListEntry
from reviews.tests.helpers import make_user, no_rate_limits

from .helpers import make_list


def positions(film_list):
    return list(
        ListEntry.objects.filter(film_list=film_list)
        .order_by("position")
        .values_list("film__title", "position")
    )


@no_rate_limits
class ListEditingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan = make_user("lu")
        cls.films = [make_film(title=t) for t in "ABCDE"]

    def setUp(self):
        self.client.force_login(self.fan)

    def test_making_a_ranked_list_and_adding_films(self):
        response = self.client.post(
            reverse("diary:list-create"),
            {"title": "Best of", "description": "Mine.", "ranked": "on", "visibility": "public"},
        )
        film_list = FilmList.objects.get()
        self.assertRedirects(response, film_list.get_edit_url())
        for film in self.films[:3]:
            self.client.post(
                reverse("diary:list-entry-add", args=[film_list.token]), {"film": film.slug}
            )
        self.client.post(
            reverse("diary:list-entry-add", args=[film_list.token]), {"film": self.films[0].slug}
        )
        self.assertEqual(positions(film_list), [("A", 1), ("B", 2), ("C", 3)])
        film_list.refresh_from_db()
        self.assertEqual(film_list.entry_count, 3)
        page = self.client.get(film_list.get_absolute_url())
        self.assertContains(page, '<ol class="list-entries list-entries--ranked">')

    def test_tokens_are_long_and_random(self):
        a, b = make_list(self.fan), make_list(self.fan)
        self.assertGreaterEqual(len(a.token), 16)
        self.assertNotEqual(a.token, b.token)

    def test_up_and_down_buttons_and_a_typed_place_reorder_without_gaps(self):
        film_list = make_list(self.fan, *self.films)
        entries = {e.film.title: e for e in film_list.entries.select_related("film")}

        def move(title, **data):
            url = reverse("diary:list-entry-move", args=[film_list.token, entries[title].pk])
            return self.client.post(url, data)

        move("C", direction="up")
        self.assertEqual([t for t, _ in positions(film_list)], list("ACBDE"))
        move("A", direction="up")  # Already first: stays.
        move("E", direction="down")  # Already last: stays.
        self.assertEqual([t for t, _ in positions(film_list)], list("ACBDE"))
        move("A", position="5")
        self.assertEqual([t for t, _ in positions(film_list)], list("CBDEA"))
        move("D", position="1")
        self.assertEqual(positions(film_list), list(zip("DCBEA", range(1, 6), strict=True)))
        move("B", position="999999")
        self.assertEqual([t for t, _ in positions(film_list)], list("DCEAB"))

    def test_hostile_moves_are_refused_without_harm(self):
        film_list = make_list(self.fan, *self.films[:3])
        entry = film_list.entries.first()
        url = reverse("diary:list-entry-move", args=[film_list.token, entry.pk])
        for data in [
            {},
            {"direction": "sideways"},
            {"position": "0"},
            {"position": "-3"},
            {"position": "abc"},
            {"position": "9" * 400},
            {"position": "1e9"},
        ]:
            with self.subTest(data=data):
                self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual([t for t, _ in positions(film_list)], list("ABC"))
        response = self.client.post(url, {}, headers={"accept": "application/json"})
        self.assertEqual(response.status_code, 400)

    def test_removing_closes_the_gap_and_notes_are_saved(self):
        film_list = make_list(self.fan, *self.films[:3])
        first, second = list(film_list.entries.all()[:2])
        self.client.post(
            reverse("diary:list-entry-note", args=[film_list.token, second.pk]),
            {"note": "<b>Best</b> bit"},
        )
        self.client.post(reverse("diary:list-entry-delete", args=[film_list.token, first.pk]))
        self.assertEqual(positions(film_list), [("B", 1), ("C", 2)])
        page = self.client.get(film_list.get_absolute_url())
        self.assertContains(page, "&lt;b&gt;Best&lt;/b&gt; bit")
        response = self.client.post(
            reverse("diary:list-entry-note", args=[film_list.token, second.pk]),
            {"note": "x" * 2001},
        )
        self.assertEqual(response.status_code, 302)
        second.refresh_from_db()
        self.assertEqual(second.note, "<b>Best</b> bit")

    def test_only_the_owner_edits(self):
        film_list = make_list(self.fan, *self.films[:2])
        entry = film_list.entries.first()
        self.client.force_login(make_user("mallory"))
        urls = [
            film_list.get_edit_url(),
            reverse("diary:list-delete", args=[film_list.token]),
            reverse("diary:list-entry-add", args=[film_list.token]),
            reverse("diary:list-entry-move", args=[film_list.token, entry.pk]),
            reverse("diary:list-entry-note", args=[film_list.token, entry.pk]),
            reverse("diary:list-entry-delete", args=[film_list.token, entry.pk]),
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.post(url, {"film": self.films[3].slug, "direction": "up"})
                self.assertEqual(response.status_code, 404)
        self.assertEqual([t for t, _ in positions(film_list)], list("AB"))

    def test_hostile_list_fields_are_form_errors(self):
        for data in [
            {"title": "", "visibility": "public"},
            {"title": "!!!", "visibility": "public"},
            {"title": "x" * 201, "visibility": "public"},
            {"title": "Fine", "visibility": "secret"},
            {"title": "Fine", "visibility": "public", "description": "x" * 5001},
        ]:
            with self.subTest(data={k: v[:10] for k, v in data.items()}):
                self.assertEqual(
                    self.client.post(reverse("diary:list-create"), data).status_code, 400
                )
        self.assertFalse(FilmList.objects.exists())

    def test_query_count_of_list_pages_is_fixed_for_2_or_200_films(self):
        small = make_list(self.fan, *self.films[:2])
        big = make_list(self.fan, *[make_film() for _ in range(200)])
        for film_list in (small, big):
            with self.subTest(size=film_list.entry_count):
                self.client.logout()
                # list with owner, entries with films, their directors
                with self.assertNumQueries(3):
                    self.client.get(film_list.get_absolute_url())
                self.client.force_login(self.fan)
                # session, user, list, entries with films, their directors
                with self.assertNumQueries(5):
                    self.client.get(film_list.get_edit_url())


class ListPrivacyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = make_user("lu")
        cls.film = make_film(title="Where Is the Friend's House?")

    def test_a_private_list_is_404_to_others_in_pages_and_the_sitemap(self):
        film_list = make_list(self.owner, self.film, visibility="private")
        self.assertEqual(self.client.get(film_list.get_absolute_url()).status_code, 404)
        self.client.force_login(make_user("other"))
        self.assertEqual(self.client.get(film_list.get_absolute_url()).status_code, 404)
        self.assertEqual(
            self.client.post(reverse("diary:list-like", args=[film_list.token])).status_code, 404
        )
        self.client.force_login(self.owner)
        self.assertEqual(self.client.get(film_list.get_absolute_url()).status_code, 200)
        self.client.logout()
        # The owner's visit was not kept for everyone.
        self.assertEqual(self.client.get(film_list.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get("/sitemap-lists.xml"), film_list.token)
        self.assertNotContains(self.client.get("/fans/lu/lists/"), film_list.title)

    def test_an_unlisted_list_opens_by_link_only(self):
        film_list = make_list(self.owner, self.film, title="Secretish", visibility="unlisted")
        page = self.client.get(film_list.get_absolute_url())
        self.assertContains(page, '<meta name="robots" content="noindex">')
        self.assertNotContains(self.client.get("/sitemap-lists.xml"), film_list.token)
        self.assertNotContains(self.client.get("/fans/lu/lists/"), "Secretish")
        self.assertNotContains(self.client.get(self.film.get_absolute_url()), "public list")

    def test_public_lists_are_in_the_sitemap_and_counted_on_the_film_page(self):
        film_list = make_list(self.owner, self.film, title="Kiarostami")
        make_list(make_user(), self.film)
        self.assertContains(self.client.get("/sitemap-lists.xml"), film_list.get_absolute_url())
        self.assertContains(self.client.get(self.film.get_absolute_url()), "In 2 public lists")

    def test_making_a_public_list_private_takes_it_off_the_cached_film_page(self):
        film_list = make_list(self.owner, self.film)
        self.assertContains(self.client.get(self.film.get_absolute_url()), "In 1 public list")
        self.assertEqual(self.client.get(film_list.get_absolute_url()).status_code, 200)
        self.client.force_login(self.owner)
        with self.settings(RATE_LIMITS_ENABLED=False):
            self.client.post(
                film_list.get_edit_url(), {"title": film_list.title, "visibility": "private"}
            )
        self.client.logout()
        self.assertNotContains(self.client.get(self.film.get_absolute_url()), "public list")
        self.assertEqual(self.client.get(film_list.get_absolute_url()).status_code, 404)

    def test_unknown_tokens_are_404(self):
        for token in ["nope", "x" * 300, "%00", "<script>"]:
            with self.subTest(token=token):
                self.assertEqual(self.client.get(f"/lists/{token}/").status_code, 404)

    def test_a_full_list_says_so(self):
        film_list = make_list(self.owner)
        FilmList.objects.filter(pk=film_list.pk).update(entry_count=services.MAX_LIST_ENTRIES)
        with self.assertRaises(services.ListFull):
            services.add_to_list(film_list, self.film)
