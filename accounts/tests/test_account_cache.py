"""A fan's account is read from memory on every logged-in request
(accounts/backends.py), and every change to it shows on the next one."""

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse

from catalog.tests.helpers import make_film
from reviews.tests.helpers import PASSWORD, make_user


class AccountCacheTests(TestCase):
    def setUp(self):
        self.fan = make_user("ramin")
        self.client.login(username="ramin", password=PASSWORD)
        self.page = make_film().get_absolute_url()

    def logged_in_as(self):
        user = self.client.get(self.page).context["user"]
        return user.get_username() if user.is_authenticated else None

    @override_settings(PAGE_CACHE=True)
    def test_a_repeat_visit_reads_the_session_but_not_the_account(self):
        self.assertEqual(self.logged_in_as(), "ramin")
        # The film page's parts are cached; left is the session (the database
        # engine in tests), never the user row.
        with self.assertNumQueries(1):
            self.assertEqual(self.logged_in_as(), "ramin")

    def test_a_deactivated_fan_is_logged_out_on_the_next_request(self):
        self.assertEqual(self.logged_in_as(), "ramin")
        self.fan.is_active = False
        self.fan.save()
        self.assertIsNone(self.logged_in_as())

    def test_a_new_password_ends_the_other_sessions(self):
        self.assertEqual(self.logged_in_as(), "ramin")
        fan = get_user_model().objects.get(pk=self.fan.pk)  # as in another request
        fan.set_password("an entirely new passphrase")
        fan.save()
        self.assertIsNone(self.logged_in_as())

    def test_a_deleted_account_is_logged_out(self):
        self.assertEqual(self.logged_in_as(), "ramin")
        self.fan.delete()
        self.assertIsNone(self.logged_in_as())

    def test_a_renamed_fan_sees_the_new_name_at_once(self):
        self.assertEqual(self.logged_in_as(), "ramin")
        self.fan.username = "ramin-k"
        self.fan.save()
        self.assertEqual(self.logged_in_as(), "ramin-k")

    def test_staff_rights_taken_away_in_the_admin_end_at_once(self):
        self.fan.is_staff = self.fan.is_superuser = True
        self.fan.save()
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 200)
        self.fan.is_staff = self.fan.is_superuser = False
        self.fan.save()
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 302)

    def test_each_request_gets_its_own_copy(self):
        first = self.client.get(self.page).context["user"]
        first.first_name = "changed in one request only"
        second = self.client.get(self.page).context["user"]
        self.assertEqual(second.first_name, "")
