"""RSS and Atom feeds of the newest reviews, site-wide and per film."""

import xml.etree.ElementTree as ET

from django.test import TestCase

from catalog.tests.helpers import make_film
from reviews.feeds import FEED_SIZE
from reviews.models import Review
from reviews.tests.helpers import make_imported_review

ATOM = {"a": "http://www.w3.org/2005/Atom"}


class ReviewFeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.film = make_film(title="Children of Heaven", year=1997)
        cls.other = make_film(title="Other film")
        cls.review = make_imported_review(cls.film, title="Simple and beautiful", rating=10)
        make_imported_review(cls.other, title="On the other film")
        make_imported_review(cls.film, title="Hidden one", status=Review.Status.HIDDEN)
        make_imported_review(cls.film, title="Spoilery", is_spoiler=True, body="The twist is X.")

    def rss_items(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("application/rss+xml"))
        channel = ET.fromstring(response.content).find("channel")
        return channel, channel.findall("item")

    def test_site_feed_lists_published_reviews_newest_first(self):
        channel, items = self.rss_items("/reviews/feed/")
        self.assertEqual(channel.find("title").text, "Newest reviews on Film Catalogue")
        titles = [item.find("title").text for item in items]
        self.assertEqual(len(titles), 3)
        self.assertTrue(titles[0].startswith("Spoilery"))
        self.assertIn(
            "Simple and beautiful (5 out of 5 stars): review of Children of Heaven (1997) by Ollie",
            titles,
        )
        self.assertFalse(any("Hidden" in title for title in titles))
        links = [item.find("link").text for item in items]
        self.assertIn("http://testserver" + self.review.get_absolute_url(), links)

    def test_spoilers_stay_out_of_the_feed(self):
        _, items = self.rss_items("/reviews/feed/")
        descriptions = " ".join(item.find("description").text for item in items)
        self.assertNotIn("The twist", descriptions)
        self.assertIn("contains spoilers", descriptions)

    def test_film_feed_only_has_that_films_reviews(self):
        channel, items = self.rss_items(f"/films/{self.film.slug}/reviews/feed/")
        self.assertEqual(
            channel.find("title").text,
            "Newest reviews of Children of Heaven (1997) on Film Catalogue",
        )
        self.assertEqual(len(items), 2)
        self.assertFalse(any("other" in item.find("title").text for item in items))

    def test_atom_feeds_carry_authors_and_update_dates(self):
        for url in ("/reviews/feed/atom/", f"/films/{self.film.slug}/reviews/feed/atom/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertTrue(response["Content-Type"].startswith("application/atom+xml"))
                feed = ET.fromstring(response.content)
                entries = feed.findall("a:entry", ATOM)
                self.assertTrue(entries)
                for entry in entries:
                    self.assertEqual(entry.find("a:author/a:name", ATOM).text, "Ollie")
                    self.assertTrue(entry.find("a:updated", ATOM).text)

    def test_undated_reviews_still_appear(self):
        make_imported_review(self.film, title="Undated", published_at=None)
        _, items = self.rss_items(f"/films/{self.film.slug}/reviews/feed/")
        self.assertIn(
            "Undated: review of Children of Heaven (1997) by Ollie",
            [item.find("title").text for item in items],
        )

    def test_hostile_text_is_escaped_and_the_xml_still_parses(self):
        make_imported_review(
            self.film, title="<script>alert(1)</script> & ]]>", body="<b>x</b>\x0b"
        )
        response = self.client.get("/reviews/feed/")
        self.assertNotContains(response, "<script>")
        _, items = self.rss_items("/reviews/feed/")
        self.assertTrue(items[0].find("title").text.startswith("<script>alert(1)</script> & ]]>"))

    def test_feed_size_and_query_count_stay_fixed(self):
        Review.objects.bulk_create(
            Review(film=self.film, author_name=f"Fan {i}", title=f"R{i}", body="b")
            for i in range(FEED_SIZE + 5)
        )
        with self.assertNumQueries(1):
            _, items = self.rss_items("/reviews/feed/")
        self.assertEqual(len(items), FEED_SIZE)
        with self.assertNumQueries(2):
            self.client.get(f"/films/{self.film.slug}/reviews/feed/")

    def test_unknown_film_feed_is_404(self):
        self.assertEqual(self.client.get("/films/nope/reviews/feed/").status_code, 404)
        self.assertEqual(self.client.get("/films/%00/reviews/feed/atom/").status_code, 404)
