"""Sign up, log in and out, passwords, and the `next` redirect rules."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from reviews.tests.helpers import PASSWORD, make_user, no_rate_limits

User = get_user_model()
SIGNUP = {
    "username": "newcomer",
    "email": "newcomer@example.com",
    "password1": "shoes-for-zahra-1997",
    "password2": "shoes-for-zahra-1997",
}


@no_rate_limits
class SignUpTests(TestCase):
    url = reverse("accounts:signup")

    def test_a_newcomer_signs_up_and_is_logged_in(self):
        response = self.client.post(self.url, SIGNUP, follow=True)
        self.assertRedirects(response, reverse("catalog:home"))
        self.assertContains(response, "Welcome, newcomer!")
        self.assertEqual(response.context["user"].username, "newcomer")
        self.assertContains(response, "Log out")

    def test_next_leads_back_to_the_page_on_this_site_only(self):
        response = self.client.post(self.url, {**SIGNUP, "next": "/films/x/rating/"})
        self.assertRedirects(response, "/films/x/rating/", fetch_redirect_response=False)
        for evil in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "javascript:alert(1)",
            "catalog:home",
        ]:
            self.client.logout()
            User.objects.filter(username="newcomer").delete()
            with self.subTest(next=evil):
                response = self.client.post(self.url, {**SIGNUP, "next": evil})
                self.assertRedirects(
                    response, reverse("catalog:home"), fetch_redirect_response=False
                )

    def test_passwords_go_through_djangos_validators(self):
        for password in ["short", "12345678901", "password123", "newcomer1"]:
            with self.subTest(password=password):
                data = {**SIGNUP, "password1": password, "password2": password}
                response = self.client.post(self.url, data)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].has_error("password2"))
        self.assertFalse(User.objects.exists())

    def test_hostile_and_absurd_values_are_form_errors(self):
        make_user("taken", email="taken@example.com")
        cases = {
            "username": ["", "x" * 151, "<script>", "has space", "taken", "TAKEN"],
            "email": ["", "not-an-email", "a@" + "b" * 260 + ".com", "TAKEN@example.com"],
            "password1": ["x" * 257],
        }
        for field, values in cases.items():
            for value in values:
                with self.subTest(field=field, value=value[:20]):
                    response = self.client.post(self.url, {**SIGNUP, field: value})
                    self.assertEqual(response.status_code, 200)
                    self.assertTrue(response.context["form"].has_error(field))
                    self.assertNotContains(response, "<script>")
        self.assertEqual(self.client.post(self.url, {}).status_code, 200)
        self.assertEqual(User.objects.count(), 1)

    def test_logged_in_fans_are_sent_on(self):
        self.client.force_login(make_user())
        self.assertRedirects(self.client.get(self.url), reverse("catalog:home"))


@no_rate_limits
class LoginLogoutTests(TestCase):
    def setUp(self):
        self.fan = make_user("ali")

    def test_log_in_with_next_and_log_out_by_post(self):
        response = self.client.post(
            reverse("accounts:login"),
            {"username": "ali", "password": PASSWORD, "next": "/films/"},
        )
        self.assertRedirects(response, "/films/", fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("catalog:home")).context["user"], self.fan)
        # Logging out is a POST; a GET changes nothing.
        self.assertEqual(self.client.get(reverse("accounts:logout")).status_code, 405)
        self.client.post(reverse("accounts:logout"))
        self.assertFalse(self.client.get(reverse("catalog:home")).context["user"].is_authenticated)

    def test_login_ignores_next_pointing_elsewhere(self):
        response = self.client.post(
            reverse("accounts:login"),
            {"username": "ali", "password": PASSWORD, "next": "https://evil.example/"},
        )
        self.assertRedirects(response, reverse("catalog:home"), fetch_redirect_response=False)

    def test_absurd_values_are_form_errors(self):
        url = reverse("accounts:login")
        for data in [
            {},
            {"username": "ali"},
            {"username": "ali", "password": "x" * 10_000},
            {"username": "x" * 10_000, "password": "x"},
            {"username": "<script>alert(1)</script>", "password": "x"},
        ]:
            with self.subTest(data=str(data)[:40]):
                response = self.client.post(url, data)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors)
                self.assertNotContains(response, "<script>alert(1)")

    def test_a_wrong_password_is_a_form_error(self):
        response = self.client.post(reverse("accounts:login"), {"username": "ali", "password": "x"})
        self.assertContains(response, "Please enter a correct username and password")

    def test_header_shows_log_in_and_sign_up_or_profile_and_log_out(self):
        response = self.client.get(reverse("catalog:home"))
        self.assertContains(response, reverse("accounts:signup"))
        self.assertContains(response, f"{reverse('accounts:login')}?next=/")
        self.client.force_login(self.fan)
        response = self.client.get(reverse("catalog:home"))
        self.assertContains(response, reverse("reviews:profile", args=["ali"]))
        self.assertContains(response, f'action="{reverse("accounts:logout")}"')


@no_rate_limits
class PasswordTests(TestCase):
    def setUp(self):
        self.fan = make_user("zahra", email="zahra@example.com")

    def test_change_password(self):
        self.client.force_login(self.fan)
        response = self.client.post(
            reverse("accounts:password-change"),
            {
                "old_password": PASSWORD,
                "new_password1": "a-brand-new-passphrase-7",
                "new_password2": "a-brand-new-passphrase-7",
            },
        )
        self.assertRedirects(response, reverse("accounts:password-change-done"))
        self.fan.refresh_from_db()
        self.assertTrue(self.fan.check_password("a-brand-new-passphrase-7"))

    def test_reset_by_email_link(self):
        response = self.client.post(
            reverse("accounts:password-reset"), {"email": "zahra@example.com"}
        )
        self.assertRedirects(response, reverse("accounts:password-reset-done"))
        self.assertEqual(len(mail.outbox), 1)
        link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
        response = self.client.get(link, follow=True)
        form_url = response.redirect_chain[-1][0]
        response = self.client.post(
            form_url,
            {"new_password1": "reset-passphrase-99", "new_password2": "reset-passphrase-99"},
        )
        self.assertRedirects(response, reverse("accounts:password-reset-complete"))
        self.fan.refresh_from_db()
        self.assertTrue(self.fan.check_password("reset-passphrase-99"))

    def test_reset_for_unknown_email_sends_nothing_and_says_the_same(self):
        response = self.client.post(
            reverse("accounts:password-reset"), {"email": "nobody@example.com"}
        )
        self.assertRedirects(response, reverse("accounts:password-reset-done"))
        self.assertEqual(len(mail.outbox), 0)


class PageTitleTests(TestCase):
    def test_account_pages_are_titled_with_the_site_name_not_the_host(self):
        for name in ["login", "password-reset", "password-reset-done", "password-reset-complete"]:
            with self.subTest(name=name):
                response = self.client.get(reverse(f"accounts:{name}"), HTTP_HOST="127.0.0.1:8021")
                self.assertContains(response, "· Film Catalogue</title>")
                self.assertNotContains(response, "127.0.0.1:8021</title>")
        self.client.force_login(make_user())
        for name in ["password-change", "password-change-done"]:
            with self.subTest(name=name):
                response = self.client.get(reverse(f"accounts:{name}"), HTTP_HOST="127.0.0.1:8021")
                self.assertContains(response, "· Film Catalogue</title>")
