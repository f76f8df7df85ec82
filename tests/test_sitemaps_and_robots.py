"""sitemap.xml lists every public film, person and review with the date it
last changed; robots.txt points crawlers at it."""

import xml.etree.ElementTree as ET

from django.test import TestCase, override_settings

from catalog.models import Film
from catalog.tests.helpers import make_film, make_person
from reviews.models import Review

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


class SitemapTests(TestCase):
    fixtures = ["children-of-heaven"]

    def locations(self, section):
        root = parse(self.client.get(f"/sitemap-{section}.xml"))
        return {
            url.find("sm:loc", NS).text: getattr(url.find("sm:lastmod", NS), "text", None)
            for url in root.findall("sm:url", NS)
        }

    def test_index_lists_each_section_with_its_newest_change(self):
        root = parse(self.client.get("/sitemap.xml"))
        entries = {
            entry.find("sm:loc", NS).text: getattr(entry.find("sm:lastmod", NS), "text", None)
            for entry in root.findall("sm:sitemap", NS)
        }
        self.assertEqual(
            set(entries),
            {
                f"http://testserver/sitemap-{name}.xml"
                for name in ("pages", "films", "people", "reviews", "lists")
            },
        )
        newest_film = Film.objects.latest("updated_at").updated_at
        self.assertEqual(
            entries["http://testserver/sitemap-films.xml"],
            newest_film.isoformat(timespec="seconds"),
        )

    def test_films_people_and_reviews_are_listed_with_their_last_change(self):
        film = Film.objects.get()
        films = self.locations("films")
        self.assertEqual(
            films, {f"http://testserver{film.get_absolute_url()}": str(film.updated_at.date())}
        )
        self.assertEqual(len(self.locations("people")), 16)
        review = Review.objects.get()
        self.assertEqual(
            self.locations("reviews"),
            {f"http://testserver{review.get_absolute_url()}": str(review.updated_at.date())},
        )
        self.assertEqual(
            set(self.locations("pages")),
            {"http://testserver/", "http://testserver/films/", "http://testserver/people/"},
        )

    def test_hidden_reviews_are_left_out(self):
        Review.objects.update(status=Review.Status.HIDDEN)
        self.assertEqual(self.locations("reviews"), {})

    def test_query_count_does_not_grow_with_the_catalogue(self):
        for _ in range(30):
            make_film()
            make_person()
        # A count for the paging, then the page of rows.
        with self.assertNumQueries(2):
            self.client.get("/sitemap-films.xml")
        # Per dated section: a count for the paging and the newest change.
        with self.assertNumQueries(8):
            self.client.get("/sitemap.xml")

    def test_bad_section_or_page_is_404_not_an_error(self):
        for url in (
            "/sitemap-nope.xml",
            "/sitemap-films.xml?p=abc",
            "/sitemap-films.xml?p=99",
            "/sitemap-films.xml?p=-1",
            "/sitemap-films.xml?p=" + "9" * 400,
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)


class RobotsTxtTests(TestCase):
    def test_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        lines = response.content.decode().splitlines()
        self.assertEqual(
            lines,
            ["User-agent: *", "Disallow: /admin/", "Sitemap: http://testserver/sitemap.xml"],
        )

    @override_settings(ADMIN_PATH="staff-only-x7/")
    def test_a_custom_admin_path_is_not_published(self):
        response = self.client.get("/robots.txt")
        self.assertNotContains(response, "staff-only")
        self.assertContains(response, "Sitemap: http://testserver/sitemap.xml")
