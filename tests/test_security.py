"""Production hardening: the deploy check, security headers, CSP, throttled
logins, and error pages that say nothing about the inside of the site."""

import re
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from catalog.tests.helpers import make_film
from reviews.models import Rating

from .error_urls import LEAKY_DETAIL
from .test_settings import run_django

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-production-like-secret-key-" + "k" * 40,
    "DJANGO_ALLOWED_HOSTS": "films.example",
}


def test_deploy_check_is_clean_with_production_settings():
    result = run_django(
        PRODUCTION_ENV,
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_deploy_check_catches_a_site_left_on_plain_http():
    result = run_django(
        {**PRODUCTION_ENV, "DJANGO_HTTPS": "0"},
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')",
    )
    assert result.returncode != 0
    assert "security.W012" in result.stderr  # session cookie not secure


def test_production_settings_turn_on_hsts_secure_cookies_and_the_https_redirect():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    result = run_django(PRODUCTION_ENV, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "True", "True", "True", "None"]

    behind_proxy = run_django({**PRODUCTION_ENV, "DJANGO_TRUST_X_FORWARDED_PROTO": "1"}, code)
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in behind_proxy.stdout


class SecurityHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.film = make_film()

    def test_every_page_forbids_framing_sniffing_and_cross_origin_openers(self):
        for url in [self.film.get_absolute_url(), "/films/", "/no-such-page/"]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response["X-Frame-Options"], "DENY")
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                self.assertEqual(response["Referrer-Policy"], "same-origin")
                self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")

    def test_permissions_policy_denies_powerful_features(self):
        policy = self.client.get(self.film.get_absolute_url())["Permissions-Policy"]
        for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
            self.assertIn(f"{feature}=()", policy)

    def test_content_security_policy_allows_no_inline_or_foreign_script(self):
        header = self.client.get(self.film.get_absolute_url())["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in header.split(";") if part.strip()
        )
        self.assertEqual(directives["default-src"], ["'self'"])
        self.assertEqual(directives["script-src"], ["'self'"])
        self.assertEqual(directives["object-src"], ["'none'"])
        self.assertEqual(directives["frame-ancestors"], ["'none'"])
        self.assertEqual(directives["base-uri"], ["'self'"])
        self.assertEqual(directives["form-action"], ["'self'"])
        self.assertNotIn("unsafe-inline", header)
        self.assertNotIn("unsafe-eval", header)

    @override_settings(ROOT_URLCONF="tests.error_urls")
    def test_an_inline_script_runs_only_with_the_nonce_in_the_header(self):
        response = self.client.get("/test-inline-script/")
        nonce = re.search(r'<script nonce="([^"]+)">', response.content.decode())[1]
        self.assertGreaterEqual(len(nonce), 16)
        script_src = re.search(r"script-src ([^;]*)", response["Content-Security-Policy"])[1]
        self.assertEqual(script_src.split(), ["'self'", f"'nonce-{nonce}'"])
        # A fresh nonce for every response, or it would be no secret.
        self.assertNotIn(nonce, self.client.get("/test-inline-script/")["Content-Security-Policy"])

    def test_no_template_has_an_inline_script_without_the_nonce(self):
        for template in (ROOT / "templates").rglob("*.html"):
            for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
                with self.subTest(template=str(template), tag=tag):
                    self.assertTrue(
                        "src=" in tag or 'nonce="{{ request.csp_nonce }}"' in tag,
                        'inline scripts need nonce="{{ request.csp_nonce }}"',
                    )

    @override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
    def test_https_responses_carry_hsts(self):
        response = self.client.get(self.film.get_absolute_url(), secure=True)
        self.assertEqual(
            response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains"
        )

    @override_settings(
        SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
    )
    def test_plain_http_is_redirected_unless_the_trusted_proxy_says_https(self):
        url = self.film.get_absolute_url()
        response = self.client.get(url)
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], f"https://testserver{url}")
        self.assertEqual(
            self.client.get(url, headers={"X-Forwarded-Proto": "https"}).status_code, 200
        )
        # The load balancer's health probe stays on plain HTTP.
        self.assertEqual(self.client.get("/healthz").status_code, 200)

    @override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
    def test_secure_cookie_settings_mark_session_and_csrf_cookies_secure(self):
        get_user_model().objects.create_user("fan", password="a-long-passphrase-1", is_staff=True)
        login = reverse("admin:login")
        self.assertTrue(self.client.get(login, secure=True).cookies["csrftoken"]["secure"])
        response = self.client.post(
            login, {"username": "fan", "password": "a-long-passphrase-1"}, secure=True
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.cookies["sessionid"]["secure"])
        self.assertTrue(response.cookies["sessionid"]["httponly"])


class NulByteTests(TestCase):
    """PostgreSQL cannot compare text with NUL; such addresses are bad input."""

    def test_a_nul_byte_in_the_path_is_not_found(self):
        for url in ["/films/%00/", "/people/a%00b/", "/films/x%00/cast/", "/genres/%00/"]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_nul_byte_in_any_query_parameter_is_never_a_server_error(self):
        parameters = ["q", "page", "genre", "country", "language", "decade", "person", "sort"]
        for url in ["/films/", "/people/", "/search/", "/"]:
            for name in parameters:
                with self.subTest(url=url, parameter=name):
                    self.assertLess(self.client.get(f"{url}?{name}=a%00b").status_code, 500)


class LoginThrottleTests(TestCase):
    password = "the-right-passphrase-42"

    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_user(
            "editor", password=cls.password, is_staff=True
        )

    def log_in(self, password, address="203.0.113.7", client=None):
        client = client or self.client
        return client.post(
            reverse("admin:login"),
            {"username": "editor", "password": password},
            REMOTE_ADDR=address,
        )

    def test_five_wrong_passwords_lock_the_account_out_from_that_address(self):
        for _ in range(4):
            self.assertEqual(self.log_in("guess").status_code, 200)  # form error
        locked = self.log_in("guess")
        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, "Please wait 15 minutes", status_code=429)
        self.assertEqual(locked["Retry-After"], "900")
        # Even the right password is refused now, so guessing gains nothing.
        self.assertEqual(self.log_in(self.password).status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_owner_elsewhere_is_not_locked_out_by_a_stranger(self):
        for _ in range(6):
            self.log_in("guess", address="203.0.113.7")
        other = Client()
        response = self.log_in(self.password, address="198.51.100.20", client=other)
        self.assertEqual(response.status_code, 302)
        self.assertIn("_auth_user_id", other.session)

    def test_a_successful_login_resets_the_count(self):
        for _ in range(4):
            self.log_in("guess")
        self.assertEqual(self.log_in(self.password).status_code, 302)
        self.client.logout()
        for _ in range(4):
            self.assertEqual(self.log_in("guess").status_code, 200)

    @override_settings(RATE_LIMIT_PROXY_COUNT=1)
    def test_behind_a_proxy_the_forwarded_address_is_the_one_counted(self):
        for _ in range(5):
            self.client.post(
                reverse("admin:login"),
                {"username": "editor", "password": "guess"},
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.7",
            )
        # Another visitor behind the same proxy is not caught by that lockout.
        response = self.client.post(
            reverse("admin:login"),
            {"username": "editor", "password": self.password},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.20",
        )
        self.assertEqual(response.status_code, 302)

    def test_the_sites_own_login_page_is_throttled_too(self):
        for _ in range(5):
            response = self.client.post(
                reverse("accounts:login"), {"username": "editor", "password": "guess"}
            )
        self.assertEqual(response.status_code, 429)
        response = self.client.post(
            reverse("accounts:login"), {"username": "editor", "password": self.password}
        )
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    @override_settings(RATE_LIMIT_PROXY_COUNT=1)
    def test_a_forged_forwarded_address_is_a_plain_failed_login(self):
        response = self.client.post(
            reverse("admin:login"),
            {"username": "editor", "password": "guess"},
            HTTP_X_FORWARDED_FOR="not-an-address",
        )
        self.assertEqual(response.status_code, 200)

    def test_the_test_client_login_shortcut_still_works(self):
        self.assertTrue(self.client.login(username="editor", password=self.password))


@override_settings(ROOT_URLCONF="tests.error_urls")
class ErrorPageTests(TestCase):
    def setUp(self):
        self.client.raise_request_exception = False

    def assert_styled_and_silent(self, response, status, heading):
        self.assertEqual(response.status_code, status)
        self.assertContains(response, f"<h1>{heading}</h1>", status_code=status, html=True)
        self.assertContains(response, "css/site.css", status_code=status)
        body = response.content.decode()
        for secret in [LEAKY_DETAIL, "Traceback", "django", "settings", "SECRET"]:
            self.assertNotIn(secret, body)

    def test_400(self):
        self.assert_styled_and_silent(self.client.get("/test-errors/400/"), 400, "Bad request")

    def test_403(self):
        self.assert_styled_and_silent(self.client.get("/test-errors/403/"), 403, "Not allowed")

    def test_403_for_a_form_without_its_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("admin:login"), {"username": "x", "password": "y"})
        self.assert_styled_and_silent(response, 403, "Form expired")
        self.assertNotContains(response, "CSRF cookie", status_code=403)

    def test_404(self):
        self.assert_styled_and_silent(self.client.get("/no-such-page/"), 404, "Page not found")

    def test_500(self):
        with self.assertLogs("django.request", "ERROR"):
            response = self.client.get("/test-errors/500/")
        self.assert_styled_and_silent(response, 500, "Something went wrong")


class BadRequestTests(TestCase):
    """A request the site cannot make sense of gets the plain 400 page, never
    a 500: nothing about it is read again while the page is made."""

    @classmethod
    def setUpTestData(cls):
        cls.film = make_film()
        cls.fan = get_user_model().objects.create_user("fan", password="a-long-passphrase-1")

    def setUp(self):
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False)

    def assert_plain_400(self, response):
        self.assertEqual(response.status_code, 400)
        body = response.content.decode()
        self.assertTrue(body.startswith("<!DOCTYPE html>"))
        self.assertIn('<html lang="en">', body)
        self.assertIn("<title>Bad request · Film Catalogue</title>", body)
        self.assertIn('<link rel="stylesheet" href="/static/css/site.css">', body)
        self.assertInHTML("<h1>Bad request</h1>", body)
        self.assertNotIn("Traceback", body)

    def csrf(self, url):
        """The CSRF cookie set by a page's form, and the token to post with it."""
        self.client.get(url)
        return self.client.cookies["csrftoken"].value

    def test_an_unknown_or_malformed_host_gets_the_plain_400_page(self):
        login = reverse("accounts:login")
        rating = reverse("reviews:rating-set", args=[self.film.slug])
        token = self.csrf(login)
        self.client.force_login(self.fan)
        hosts = ["evil.example", "bad host!", "[::1", "", "a" * 300, "films.example:99999"]
        for host in hosts:
            requests = [
                ("GET", reverse("catalog:home"), {}),
                ("GET", self.film.get_absolute_url(), {}),
                # CSRF's check of Origin asks for the host too.
                ("POST", login, {"username": "fan", "password": "guess"}),
                ("POST", rating, {"points": "8"}),
            ]
            for method, url, data in requests:
                with self.subTest(host=host[:20], method=method, url=url):
                    with self.assertLogs("django", "WARNING"):
                        response = self.client.generic(
                            method,
                            url,
                            urlencode({**data, "csrfmiddlewaretoken": token}) if data else "",
                            content_type="application/x-www-form-urlencoded",
                            headers={"host": host, "origin": f"http://{host}"},
                        )
                    self.assert_plain_400(response)
        self.assertFalse(Rating.objects.exists())

    def test_a_known_host_on_another_port_is_served(self):
        # Django compares host names only; which port is the proxy's concern.
        response = self.client.get(reverse("catalog:home"), headers={"host": "127.0.0.1:6666"})
        self.assertEqual(response.status_code, 200)

    def test_a_form_body_that_cannot_be_decoded_gets_the_plain_400_page(self):
        login = reverse("accounts:login")
        rating = reverse("reviews:rating-set", args=[self.film.slug])
        token = self.csrf(login)
        self.client.force_login(self.fan)
        fields = {"csrfmiddlewaretoken": token, "points": "8", "username": "fan", "password": "x"}
        form = urlencode(fields)
        bodies = [
            ("charset=utf-16", form.encode("utf-16")),
            ("charset=latin-1", form.encode() + b"&note=caf\xe9\xff"),
            ("charset=UTF-16LE", form.encode("utf-16-le")),
        ]
        for url in [login, rating]:
            for charset, body in bodies:
                with self.subTest(url=url, charset=charset):
                    with self.assertLogs("django.request", "WARNING"):
                        response = self.client.generic(
                            "POST",
                            url,
                            body,
                            content_type=f"application/x-www-form-urlencoded; {charset}",
                            headers={"X-CSRFToken": token},
                        )
                    self.assert_plain_400(response)
        self.assertFalse(Rating.objects.exists())

    def test_an_unknown_charset_is_read_as_utf8(self):
        # Django ignores a charset it has no codec for, so the post goes through.
        rating = reverse("reviews:rating-set", args=[self.film.slug])
        token = self.csrf(reverse("accounts:login"))
        self.client.force_login(self.fan)
        response = self.client.generic(
            "POST",
            rating,
            urlencode({"csrfmiddlewaretoken": token, "points": "8"}),
            content_type="application/x-www-form-urlencoded; charset=x-nope",
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Rating.objects.get(user=self.fan).points, 8)

    def test_a_broken_multipart_body_gets_the_plain_400_page(self):
        token = self.csrf(reverse("accounts:login"))
        with self.assertLogs("django.request", "WARNING"):
            response = self.client.generic(
                "POST",
                reverse("accounts:login"),
                b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb',
                content_type="multipart/form-data; boundary=",
                headers={"X-CSRFToken": token},
            )
        self.assert_plain_400(response)

    @override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
    def test_too_many_fields_get_the_plain_400_page(self):
        token = self.csrf(reverse("accounts:login"))
        with self.assertLogs("django.request", "WARNING"):
            response = self.client.post(
                reverse("accounts:login"),
                {f"field{n}": "x" for n in range(20)},
                headers={"X-CSRFToken": token},
            )
        self.assert_plain_400(response)

    def test_a_well_formed_multipart_post_still_passes_the_csrf_check(self):
        token = self.csrf(reverse("accounts:login"))
        response = self.client.post(
            reverse("accounts:login"),
            {"csrfmiddlewaretoken": token, "username": "fan", "password": "a-long-passphrase-1"},
        )
        self.assertEqual(response.status_code, 302)
