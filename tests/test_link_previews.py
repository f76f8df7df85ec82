"""Every page tells search engines and link previews what it is: a title and
description of its own, a canonical address, Open Graph and Twitter card tags
with an image, and where its review feeds are."""

from django.contrib.staticfiles import finders
from django.test import TestCase, override_settings

from catalog.models import Genre, Person
from catalog.tests.helpers import make_film
from reviews.models import Review
from tests.seo_helpers import links, read_head

FILM = "/films/children-of-heaven-1997/"


class HeadTagTests(TestCase):
    fixtures = ["children-of-heaven"]

    @classmethod
    def setUpTestData(cls):
        film = make_film(title="Second film")
        cls.genre = Genre.objects.create(name="Drama", slug="drama")
        film.genres.add(cls.genre)
        cls.review = Review.objects.get()
        cls.pages = [
            "/",
            "/films/",
            FILM,
            FILM + "cast/",
            FILM + "reviews/",
            cls.review.get_absolute_url(),
            "/people/",
            Person.objects.get(name="Majid Majidi").get_absolute_url(),
            cls.genre.get_absolute_url(),
        ]

    def heads(self):
        return {url: read_head(self.client.get(url)) for url in self.pages}

    def test_each_page_has_its_own_title_and_description(self):
        heads = self.heads()
        titles = [head.title for head in heads.values()]
        descriptions = [head.meta["description"] for head in heads.values()]
        self.assertEqual(len(set(titles)), len(titles), titles)
        self.assertEqual(len(set(descriptions)), len(descriptions), descriptions)
        for url, head in heads.items():
            with self.subTest(url=url):
                self.assertTrue(head.title.strip())
                self.assertLessEqual(len(head.meta["description"]), 200)

    def test_canonical_link_and_open_graph_tags_agree_with_the_page(self):
        for url, head in self.heads().items():
            with self.subTest(url=url):
                (canonical,) = links(head, "canonical")
                self.assertEqual(canonical["href"], "http://testserver" + url)
                self.assertEqual(head.meta["og:url"], canonical["href"])
                self.assertEqual(head.meta["og:title"], head.title)
                self.assertEqual(head.meta["twitter:title"], head.title)
                self.assertEqual(head.meta["og:description"], head.meta["description"])
                self.assertEqual(head.meta["twitter:card"], "summary_large_image")
                self.assertEqual(head.meta["og:site_name"], "Film Catalogue")
                self.assertTrue(head.meta["og:image:alt"])

    def test_share_image_is_an_absolute_url_of_a_real_picture(self):
        for url, head in self.heads().items():
            with self.subTest(url=url):
                image = head.meta["og:image"]
                self.assertEqual(head.meta["twitter:image"], image)
                self.assertTrue(image.startswith("http://testserver/"), image)
                if image.startswith("http://testserver/static/"):
                    path = image.removeprefix("http://testserver/static/")
                    self.assertIsNotNone(finders.find(path))
                    continue
                # A poster-less film's title card (the seed film has no poster).
                self.assertTrue(image.endswith("/card.png"), image)
                response = self.client.get(image.removeprefix("http://testserver"))
                self.assertIn(response.status_code, (200, 302))
                self.assertTrue(response["Content-Type"] == "image/png" or response.url)

    def test_open_graph_type_follows_what_the_page_is_about(self):
        heads = self.heads()
        self.assertEqual(heads[FILM].meta["og:type"], "video.movie")
        self.assertEqual(heads[self.review.get_absolute_url()].meta["og:type"], "article")
        self.assertEqual(heads["/films/"].meta["og:type"], "website")

    def test_canonical_drops_query_strings_but_keeps_a_page_number_past_the_first(self):
        for n in range(30):
            make_film(title=f"Film {n:02}")
        head = read_head(self.client.get("/films/?page=2&utm_source=x"))
        self.assertEqual(links(head, "canonical")[0]["href"], "http://testserver/films/?page=2")
        head = read_head(self.client.get("/films/?page=1&sort=x"))
        self.assertEqual(links(head, "canonical")[0]["href"], "http://testserver/films/")

    def test_hostile_text_is_escaped_in_every_tag(self):
        film = make_film(title='"><script>alert(1)</script>', summary="<b onmouseover=x>")
        response = self.client.get(film.get_absolute_url())
        self.assertNotContains(response, "<script>alert(1)")
        self.assertNotContains(response, "<b onmouseover")
        head = read_head(response)
        self.assertIn('"><script>alert(1)</script>', head.meta["og:title"])
        self.assertEqual(head.meta["og:description"], "<b onmouseover=x>")

    def test_pages_link_the_site_feeds_and_film_pages_their_own(self):
        home_feeds = [link["href"] for link in links(read_head(self.client.get("/")), "alternate")]
        self.assertEqual(home_feeds, ["/reviews/feed/", "/reviews/feed/atom/"])
        for url in (FILM, FILM + "cast/", FILM + "reviews/", self.review.get_absolute_url()):
            with self.subTest(url=url):
                feeds = links(read_head(self.client.get(url)), "alternate")
                self.assertIn(FILM + "reviews/feed/", [link["href"] for link in feeds])
                self.assertIn(FILM + "reviews/feed/atom/", [link["href"] for link in feeds])
                types = {link["type"] for link in feeds}
                self.assertEqual(types, {"application/rss+xml", "application/atom+xml"})

    def test_not_found_page_asks_not_to_be_indexed_and_names_no_canonical(self):
        head = read_head(self.client.get("/films/nope/"))
        self.assertEqual(head.meta["robots"], "noindex")
        self.assertEqual(links(head, "canonical"), [])

    @override_settings(SITE_NAME="Other <Site>")
    def test_site_name_setting_is_used_and_escaped(self):
        response = self.client.get("/")
        self.assertNotContains(response, "Other <Site>")
        self.assertEqual(read_head(response).meta["og:site_name"], "Other <Site>")
