"""JSON-LD on film, person and review pages, checked against the properties
Google documents as required for review snippets and movies."""

from django.test import TestCase

from catalog.models import AlternateTitle, Credit, ReleaseDate
from core.page_cache.versions import forget_all_pages
from reviews.tests.helpers import make_imported_review
from tests.seo_helpers import read_head

from .helpers import make_credit, make_film, make_person


def json_ld_of(client, url):
    head = read_head(client.get(url))
    assert len(head.json_ld) == 1, head.json_ld
    return head.json_ld[0]


def assert_google_review_requirements(testcase, review, *, nested):
    # https://developers.google.com/search/docs/appearance/structured-data/review-snippet
    testcase.assertEqual(review["@type"], "Review")
    testcase.assertTrue(review["author"]["name"])
    testcase.assertLess(len(review["author"]["name"]), 100)
    rating = review["reviewRating"]
    testcase.assertEqual(rating["@type"], "Rating")
    testcase.assertLessEqual(rating["worstRating"], rating["ratingValue"])
    testcase.assertLessEqual(rating["ratingValue"], rating["bestRating"])
    if not nested:
        testcase.assertTrue(review["itemReviewed"]["name"])


class MovieJsonLdTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.film = make_film(
            title="Children of Heaven",
            original_title="Bacheha-Ye aseman",
            year=1997,
            summary="Two children share one pair of shoes.",
            rating_count=2,
            rating_sum=17,
            review_count=2,
        )
        AlternateTitle.objects.create(film=cls.film, title="The Children of Heaven")
        ReleaseDate.objects.create(film=cls.film, date="1999-01-22")
        cls.director = make_person(name="Majid Majidi")
        make_credit(cls.film, cls.director, role=Credit.Role.CREW, job="Director")
        make_credit(cls.film, make_person(name="Amir Naji"), character="Karim", billing_order=1)
        make_imported_review(cls.film, rating=10, title="Simple and beautiful")
        make_imported_review(cls.film, rating=7, author_name="Sam")
        make_imported_review(cls.film, rating=None, author_name="Unrated")

    def test_movie_carries_names_date_people_image_and_url(self):
        data = json_ld_of(self.client, self.film.get_absolute_url())
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["@type"], "Movie")
        self.assertEqual(data["name"], "Children of Heaven")
        self.assertEqual(data["alternateName"], ["Bacheha-Ye aseman", "The Children of Heaven"])
        self.assertEqual(data["dateCreated"], "1997")
        self.assertEqual(data["datePublished"], "1999-01-22")
        self.assertEqual(data["director"][0]["name"], "Majid Majidi")
        self.assertTrue(data["director"][0]["url"].endswith(self.director.get_absolute_url()))
        self.assertEqual([a["name"] for a in data["actor"]], ["Amir Naji"])
        self.assertTrue(data["image"].startswith("http://testserver/"))
        self.assertEqual(data["url"], "http://testserver" + self.film.get_absolute_url())

    def test_aggregate_rating_matches_the_stars_shown(self):
        aggregate = json_ld_of(self.client, self.film.get_absolute_url())["aggregateRating"]
        # 17 points from 2 ratings = 8.5/10 = 4.25 stars, shown out of 5.
        self.assertEqual(aggregate["ratingValue"], 4.25)
        self.assertEqual((aggregate["worstRating"], aggregate["bestRating"]), (0.5, 5))
        self.assertEqual(aggregate["ratingCount"], 2)

    def test_only_rated_reviews_are_listed_each_meeting_google_requirements(self):
        reviews = json_ld_of(self.client, self.film.get_absolute_url())["review"]
        self.assertEqual(sorted(r["reviewRating"]["ratingValue"] for r in reviews), [7, 10])
        for review in reviews:
            assert_google_review_requirements(self, review, nested=True)

    def test_a_film_without_ratings_has_no_aggregate_rating(self):
        film = make_film()
        data = json_ld_of(self.client, film.get_absolute_url())
        self.assertNotIn("aggregateRating", data)
        self.assertNotIn("review", data)
        self.assertNotIn("alternateName", data)

    def test_hostile_titles_cannot_break_out_of_the_script_element(self):
        film = make_film(title="</script><script>alert(1)</script>", original_title="<!--")
        response = self.client.get(film.get_absolute_url())
        self.assertNotContains(response, "</script><script>alert(1)")
        self.assertNotContains(response, "<!--")
        data = read_head(response).json_ld[0]
        self.assertEqual(data["name"], "</script><script>alert(1)</script>")
        self.assertEqual(data["alternateName"], ["<!--"])

    def test_is_built_from_what_the_page_already_loaded(self):
        # The film (its rating distribution with it); its lists in one
        # (more by, more with, "also liked" and "In N public lists" among
        # them; no stills here, so no stills' people); its latest reviews.
        with self.assertNumQueries(3):
            self.client.get(self.film.get_absolute_url())


class ReviewJsonLdTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.film = make_film(title="Children of Heaven", year=1997)
        cls.review = make_imported_review(cls.film, rating=9, body="One.\n\nTwo.")

    def test_review_names_its_film_author_and_rating(self):
        data = json_ld_of(self.client, self.review.get_absolute_url())
        assert_google_review_requirements(self, data, nested=False)
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["itemReviewed"]["@type"], "Movie")
        self.assertEqual(data["itemReviewed"]["name"], "Children of Heaven")
        self.assertEqual(data["itemReviewed"]["dateCreated"], "1997")
        self.assertEqual(data["author"], {"@type": "Person", "name": "Ollie"})
        self.assertEqual(data["reviewRating"]["ratingValue"], 9)
        self.assertEqual(data["reviewRating"]["bestRating"], 10)
        self.assertEqual(data["reviewBody"], "One.\n\nTwo.")
        self.assertEqual(data["datePublished"], self.review.published_at.date().isoformat())

    def test_undated_unrated_review_leaves_both_out_rather_than_guessing(self):
        review = make_imported_review(self.film, rating=None, published_at=None)
        data = json_ld_of(self.client, review.get_absolute_url())
        self.assertNotIn("reviewRating", data)
        self.assertNotIn("datePublished", data)

    def test_adds_no_query_to_the_review_page(self):
        forget_all_pages()  # json_ld_of() has not run here, but say so
        with self.assertNumQueries(1):
            self.client.get(self.review.get_absolute_url())


class PersonJsonLdTests(TestCase):
    def test_person_has_name_url_and_biography(self):
        person = make_person(name="Majid Majidi", biography="Born in Tehran.")
        data = json_ld_of(self.client, person.get_absolute_url())
        self.assertEqual(data["@type"], "Person")
        self.assertEqual(data["name"], "Majid Majidi")
        self.assertEqual(data["description"], "Born in Tehran.")
        self.assertEqual(data["url"], "http://testserver" + person.get_absolute_url())
        forget_all_pages()  # the page was just cached: measure a cold one
        with self.assertNumQueries(4):
            self.client.get(person.get_absolute_url())

    def test_list_pages_carry_no_json_ld(self):
        self.assertEqual(read_head(self.client.get("/films/")).json_ld, [])
