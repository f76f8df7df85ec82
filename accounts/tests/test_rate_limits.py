"""Rate limits: per account and per address, answered with a friendly 429."""

from django.test import TestCase, override_settings
from django.urls import reverse

from catalog.tests.helpers import make_film
from reviews.models import Rating
from reviews.tests.helpers import PASSWORD, make_user

# Windows of an hour or more: django-ratelimit's windows are aligned to the
# clock, so a test's few posts can straddle the end of one and start again
# from zero (a 60-second window did, once in CI, under load).
LOW_LIMITS = {
    "signup": (2, 3600),
    "login": (3, 3600),
    "password-reset": (2, 3600),
    "rating": (3, 3600),
    "review": (2, 3600),
    "helpful": (3, 3600),
    "report": (2, 3600),
}


@override_settings(RATE_LIMITS=LOW_LIMITS, RATE_LIMITS_ENABLED=True)
class RateLimitTests(TestCase):
    def test_ratings_beyond_the_limit_get_a_friendly_429_and_are_not_saved(self):
        film = make_film()
        fan = make_user()
        self.client.force_login(fan)
        url = reverse("reviews:rating-set", args=[film.slug])
        for points in ("2", "4", "6"):
            self.assertEqual(self.client.post(url, {"points": points}).status_code, 302)
        response = self.client.post(url, {"points": "10"})
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Slow down a little", status_code=429)
        self.assertEqual(response["Retry-After"], "3600")
        self.assertEqual(Rating.objects.get(user=fan).points, 6)
        # The script gets JSON it can show.
        response = self.client.post(url, {"points": "10"}, headers={"accept": "application/json"})
        self.assertEqual(response.status_code, 429)
        self.assertIn("error", response.json())
        # Reading pages is never limited.
        self.assertEqual(self.client.get(film.get_absolute_url()).status_code, 200)

    def test_the_limit_is_per_account_across_addresses(self):
        film = make_film()
        self.client.force_login(make_user())
        url = reverse("reviews:rating-set", args=[film.slug])
        for i in range(3):
            self.client.post(url, {"points": "5"}, REMOTE_ADDR=f"10.0.0.{i}")
        self.assertEqual(
            self.client.post(url, {"points": "5"}, REMOTE_ADDR="10.0.0.9").status_code, 429
        )
        # Another fan on yet another address is unaffected.
        self.client.force_login(make_user())
        self.assertEqual(
            self.client.post(url, {"points": "5"}, REMOTE_ADDR="10.0.1.1").status_code, 302
        )

    def test_the_limit_is_per_address_across_accounts(self):
        film = make_film()
        url = reverse("reviews:rating-set", args=[film.slug])
        for _ in range(3):
            self.client.force_login(make_user())
            self.client.post(url, {"points": "5"}, REMOTE_ADDR="10.9.9.9")
        self.client.force_login(make_user())
        self.assertEqual(
            self.client.post(url, {"points": "5"}, REMOTE_ADDR="10.9.9.9").status_code, 429
        )

    def test_login_attempts_are_limited_per_username_and_address(self):
        make_user("ali")
        url = reverse("accounts:login")
        for i in range(3):
            self.client.post(
                url, {"username": "ali", "password": "wrong"}, REMOTE_ADDR=f"10.1.0.{i}"
            )
        # Even the right password waits: the account is under attack.
        response = self.client.post(
            url, {"username": "ALI", "password": PASSWORD}, REMOTE_ADDR="10.1.0.99"
        )
        self.assertEqual(response.status_code, 429)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_signups_are_limited_per_address(self):
        url = reverse("accounts:signup")
        for i in range(2):
            data = {
                "username": f"n{i}",
                "email": f"n{i}@example.com",
                "password1": "long-pass-phrase-9",
                "password2": "long-pass-phrase-9",
            }
            self.client.post(url, data)
            self.client.logout()
        response = self.client.post(url, {"username": "n3"})
        self.assertEqual(response.status_code, 429)

    def test_reviews_reports_and_helpful_votes_are_limited(self):
        films = [make_film() for _ in range(3)]
        author = make_user()
        self.client.force_login(author)
        body = {"title": "Title", "body": "Long enough body text."}
        for film in films[:2]:
            self.client.post(reverse("reviews:review-create", args=[film.slug]), body)
        url = reverse("reviews:review-create", args=[films[2].slug])
        self.assertEqual(self.client.post(url, body).status_code, 429)
        review = author.reviews.first()
        self.client.force_login(make_user())
        report = reverse("reviews:review-report", args=[review.pk])
        for _ in range(2):
            self.client.post(report, {"reason": "spam"})
        self.assertEqual(self.client.post(report, {"reason": "spam"}).status_code, 429)
        helpful = reverse("reviews:review-helpful", args=[review.pk])
        for _ in range(3):
            self.client.post(helpful)
        self.assertEqual(self.client.post(helpful).status_code, 429)

    @override_settings(RATE_LIMIT_PROXY_COUNT=1)
    def test_behind_a_proxy_the_forwarded_address_counts_and_spoofing_does_not_help(self):
        film = make_film()
        url = reverse("reviews:rating-set", args=[film.slug])
        for i in range(3):
            self.client.force_login(make_user())
            # The visitor adds a fake address on the left; the proxy appends the real one.
            self.client.post(url, {"points": "5"}, HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 203.0.113.7")
        self.client.force_login(make_user())
        response = self.client.post(
            url, {"points": "5"}, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7"
        )
        self.assertEqual(response.status_code, 429)

    @override_settings(RATE_LIMITS_ENABLED=False)
    def test_limits_can_be_switched_off(self):
        film = make_film()
        self.client.force_login(make_user())
        url = reverse("reviews:rating-set", args=[film.slug])
        for _ in range(10):
            self.assertEqual(self.client.post(url, {"points": "5"}).status_code, 302)
