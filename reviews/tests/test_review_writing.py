"""Fans writing, editing and deleting reviews; helpful votes; reports; sorting."""

from django.test import TestCase
from django.urls import reverse

from catalog.models import Film
from catalog.tests.helpers import make_film
from reviews import services
from reviews.models import HelpfulVote, Rating, Review, ReviewReport

from .helpers import make_fan_review, make_imported_review, make_user, no_rate_limits

VALID = {"title": "Shoes and siblings", "body": "A simple story.\n\nTold with love.", "rating": "9"}


@no_rate_limits
class WriteReviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.film = make_film(title="Children of Heaven")
        cls.url = reverse("reviews:review-create", args=[cls.film.slug])

    def setUp(self):
        self.fan = make_user()
        self.client.force_login(self.fan)

    def test_a_fan_publishes_a_review_with_a_rating_that_becomes_their_rating(self):
        response = self.client.post(self.url, VALID, follow=True)
        review = Review.objects.get(author=self.fan)
        self.assertRedirects(response, review.get_absolute_url())
        self.assertContains(response, "Your review is published.")
        self.assertContains(response, "<p>Told with love.</p>", html=True)
        self.assertEqual(Rating.objects.get(user=self.fan, film=self.film).points, 9)
        film = Film.objects.get(pk=self.film.pk)
        self.assertEqual((film.rating_count, film.rating_sum, film.review_count), (1, 9, 1))

    def test_the_form_starts_from_the_fans_existing_rating(self):
        services.set_rating(self.fan, self.film, 3)
        response = self.client.get(self.url)
        self.assertContains(response, 'value="3" id="id_rating_3" checked')
        self.assertContains(response, "No rating")

    def test_a_review_without_rating_clears_the_fans_rating(self):
        services.set_rating(self.fan, self.film, 3)
        self.client.post(self.url, {**VALID, "rating": ""})
        self.assertFalse(Rating.objects.filter(user=self.fan).exists())
        self.assertIsNone(Review.objects.get(author=self.fan).rating)

    def test_a_second_review_of_the_same_film_goes_to_editing_the_first(self):
        review = make_fan_review(self.film, self.fan)
        response = self.client.get(self.url)
        self.assertRedirects(response, review.get_edit_url())
        self.client.post(self.url, VALID)
        self.assertEqual(Review.objects.filter(author=self.fan).count(), 1)

    def test_anonymous_visitors_must_log_in(self):
        self.client.logout()
        response = self.client.post(self.url, VALID)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertFalse(Review.objects.exists())

    def test_hostile_and_absurd_values_are_form_errors_beside_the_field(self):
        cases = {
            "title": ["", "   ", "x" * 201, "!!!"],
            "body": ["", "short", "x" * 20_001],
            # An empty rating is the "No rating" choice, not an error.
            "rating": ["0", "11", "-1", "4.5", "abc", str(10**30), "５", "\x00", "9\x00"],
        }
        for field, values in cases.items():
            for value in values:
                with self.subTest(field=field, value=value[:20]):
                    response = self.client.post(self.url, {**VALID, field: value})
                    self.assertEqual(response.status_code, 200)
                    errors = response.context["form"].errors
                    self.assertEqual(list(errors), [field])
        self.assertFalse(Review.objects.exists())
        self.assertEqual(self.client.post(self.url, {}).status_code, 200)
        self.assertIn('id="id_title_error"', self.client.post(self.url, {}).content.decode())

    def test_null_characters_are_refused(self):
        response = self.client.post(self.url, {**VALID, "title": "Bad\x00title"})
        self.assertTrue(response.context["form"].has_error("title"))

    def test_script_in_title_and_body_is_shown_as_text_everywhere(self):
        hostile = {
            "title": "<script>alert('t')</script>",
            "body": "<img src=x onerror=alert(1)>\n\n</textarea><script>alert(2)</script>",
            "rating": "8",
        }
        self.client.post(self.url, hostile)
        review = Review.objects.get(author=self.fan)
        pages = [
            review.get_absolute_url(),
            review.get_edit_url(),
            self.film.get_absolute_url(),
            reverse("reviews:film-review-list", args=[self.film.slug]),
            reverse("reviews:profile", args=[self.fan.username]),
            reverse("catalog:home"),
        ]
        for url in pages:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "<script>alert")
                self.assertNotContains(response, "<img src=x")
                self.assertNotContains(response, "</textarea><script>")
                self.assertContains(response, "&lt;script&gt;alert(")


@no_rate_limits
class EditAndDeleteTests(TestCase):
    def setUp(self):
        self.film = make_film()
        self.author = make_user()
        self.review = make_fan_review(self.film, self.author, points=6, title="Original")

    def test_the_author_edits_title_body_rating_and_spoiler_flag(self):
        self.client.force_login(self.author)
        response = self.client.post(
            self.review.get_edit_url(),
            {
                "title": "Revised",
                "body": "Second thoughts, longer.",
                "rating": "10",
                "is_spoiler": "on",
            },
        )
        self.assertRedirects(response, self.review.get_absolute_url())
        self.review.refresh_from_db()
        self.assertEqual(
            (self.review.title, self.review.rating, self.review.is_spoiler), ("Revised", 10, True)
        )
        film = Film.objects.get(pk=self.film.pk)
        self.assertEqual((film.rating_count, film.rating_sum), (1, 10))
        self.assertContains(self.client.get(self.review.get_absolute_url()), "<details")

    def test_nobody_else_can_edit_or_delete_it(self):
        stranger = make_user()
        self.client.force_login(stranger)
        for url in (self.review.get_edit_url(), self.review.get_delete_url()):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, {**VALID}).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.post(self.review.get_delete_url()).status_code, 302)
        self.review.refresh_from_db()
        self.assertEqual(self.review.title, "Original")

    def test_deleting_asks_first_then_removes_the_review_but_keeps_the_rating(self):
        self.client.force_login(self.author)
        response = self.client.get(self.review.get_delete_url())
        self.assertContains(response, "Delete your review?")
        self.assertTrue(Review.objects.filter(pk=self.review.pk).exists())
        response = self.client.post(self.review.get_delete_url())
        self.assertRedirects(response, self.film.get_absolute_url())
        self.assertFalse(Review.objects.filter(pk=self.review.pk).exists())
        film = Film.objects.get(pk=self.film.pk)
        self.assertEqual((film.rating_count, film.rating_sum, film.review_count), (1, 6, 0))

    def test_the_author_sees_edit_links_and_no_helpful_button(self):
        self.client.force_login(self.author)
        response = self.client.get(self.review.get_absolute_url())
        self.assertContains(response, self.review.get_edit_url())
        self.assertNotContains(response, reverse("reviews:review-helpful", args=[self.review.pk]))


@no_rate_limits
class HelpfulVoteTests(TestCase):
    def setUp(self):
        self.film = make_film()
        self.author = make_user()
        self.review = make_fan_review(self.film, self.author)
        self.url = reverse("reviews:review-helpful", args=[self.review.pk])

    def test_another_fan_marks_it_helpful_once_and_can_take_it_back(self):
        fan = make_user()
        self.client.force_login(fan)
        response = self.client.post(self.url, {"helpful": "yes"}, follow=True)
        self.assertContains(response, "1 fan found this helpful.")
        self.assertContains(response, 'aria-pressed="true"')
        self.client.post(self.url, {"helpful": "yes"})  # A double click counts once.
        self.review.refresh_from_db()
        self.assertEqual(self.review.helpful_count, 1)
        self.assertEqual(HelpfulVote.objects.count(), 1)
        self.client.post(self.url, {"helpful": "no"})
        self.client.post(self.url, {"helpful": "no"})
        self.review.refresh_from_db()
        self.assertEqual(self.review.helpful_count, 0)

    def test_not_on_ones_own_review(self):
        self.client.force_login(self.author)
        self.assertEqual(self.client.post(self.url, {"helpful": "yes"}).status_code, 404)
        self.assertFalse(services.vote_helpful(self.author, self.review))
        self.assertEqual(HelpfulVote.objects.count(), 0)

    def test_only_by_post_and_only_for_fans(self):
        self.client.force_login(make_user())
        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.client.logout()
        self.assertEqual(self.client.post(self.url).status_code, 302)
        self.assertEqual(HelpfulVote.objects.count(), 0)

    def test_imported_reviews_can_be_voted_on(self):
        imported = make_imported_review(self.film, rating=10)
        self.client.force_login(make_user())
        self.client.post(reverse("reviews:review-helpful", args=[imported.pk]))
        imported.refresh_from_db()
        self.assertEqual(imported.helpful_count, 1)


@no_rate_limits
class ReportTests(TestCase):
    def setUp(self):
        self.review = make_fan_review(make_film(), make_user())
        self.url = reverse("reviews:review-report", args=[self.review.pk])
        self.fan = make_user()
        self.client.force_login(self.fan)

    def test_a_fan_reports_a_review_with_a_reason(self):
        response = self.client.post(self.url, {"reason": "spam", "note": "Buy shoes at…"})
        self.assertRedirects(response, self.review.get_absolute_url())
        report = ReviewReport.objects.get()
        self.assertEqual(
            (report.reason, report.reporter, report.resolved), ("spam", self.fan, False)
        )
        # Reporting again updates the same report rather than piling up.
        self.client.post(self.url, {"reason": "abuse"})
        self.assertEqual(ReviewReport.objects.get().reason, "abuse")

    def test_bad_reasons_and_long_notes_are_form_errors(self):
        for data in ({}, {"reason": "nonsense"}, {"reason": "spam", "note": "x" * 1001}):
            with self.subTest(data=str(data)[:40]):
                response = self.client.post(self.url, data)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors)
        self.assertFalse(ReviewReport.objects.exists())


class ReviewListSortingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.film = make_film()
        cls.url = reverse("reviews:film-review-list", args=[cls.film.slug])
        for title, points, helpful in [("Low", 2, 5), ("High", 10, 0), ("Mid", 6, 9)]:
            review = make_fan_review(cls.film, make_user(), points=points, title=title)
            Review.objects.filter(pk=review.pk).update(helpful_count=helpful)

    def titles(self, sort):
        response = self.client.get(self.url, {"sort": sort})
        self.assertEqual(response.status_code, 200)
        return [review.title for review in response.context["reviews"]]

    def test_each_sort_order(self):
        self.assertEqual(self.titles("newest"), ["Mid", "High", "Low"])
        self.assertEqual(self.titles("highest"), ["High", "Mid", "Low"])
        self.assertEqual(self.titles("lowest"), ["Low", "Mid", "High"])
        self.assertEqual(self.titles("helpful"), ["Mid", "Low", "High"])

    def test_unknown_or_hostile_sorts_fall_back_to_newest(self):
        for sort in ["", "rating", "<script>alert(1)</script>", "-id", "title; DROP", "x" * 5000]:
            with self.subTest(sort=sort[:20]):
                self.assertEqual(self.titles(sort), ["Mid", "High", "Low"])
        response = self.client.get(self.url, {"sort": "<script>alert(1)</script>"})
        self.assertNotContains(response, "<script>alert(1)")

    def test_hostile_page_numbers_give_the_nearest_page(self):
        for page in ["-1", "0", "abc", "99999999999999999999", "last"]:
            with self.subTest(page=page):
                self.assertEqual(self.client.get(self.url, {"page": page}).status_code, 200)

    def test_sorting_keeps_the_query_count_fixed(self):
        # Film, count, page of reviews with their authors and ratings joined.
        for sort in ("newest", "highest", "lowest", "helpful"):
            with self.subTest(sort=sort), self.assertNumQueries(3):
                self.client.get(self.url, {"sort": sort})

    def test_spoiler_reviews_are_folded_in_the_list(self):
        make_fan_review(
            self.film,
            make_user(),
            is_spoiler=True,
            title="Twist",
            body="The ending: he comes third.",
        )
        response = self.client.get(self.url)
        self.assertContains(response, "<details")
        self.assertContains(response, "Contains spoilers")
