"""The download page links the latest dump; fans choose whether their reviews are in it."""

import io
import re

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from opendata.models import Dump
from reviews.tests.helpers import make_user

DOWNLOAD = reverse("opendata:download")
CONSENT = reverse("opendata:consent")


class DownloadPageTests(TestCase):
    def test_before_any_dump_it_says_so_and_shows_the_licence(self):
        with self.settings(OPEN_DATA_LICENCE="CC0 <1.0>"):
            response = self.client.get(DOWNLOAD)
        self.assertContains(response, "No dump has been made yet.")
        self.assertContains(response, "CC0 &lt;1.0&gt;")

    def test_it_links_every_file_of_the_latest_dump_in_one_query(self):
        call_command("loaddata", "children-of-heaven", verbosity=0)
        call_command("export_catalogue", stdout=io.StringIO())
        call_command("export_catalogue", stdout=io.StringIO())
        latest = Dump.objects.latest_first().first()
        with self.assertNumQueries(1):
            response = self.client.get(DOWNLOAD)
        self.assertContains(response, f"Files of {latest.name}")
        for name, entry in latest.files.items():
            self.assertContains(response, f'href="/media/opendata/{latest.name}/{name}"')
            self.assertContains(response, entry["sha256"])
        self.assertContains(response, "films.csv.gz")
        self.assertContains(response, "datapackage.json")
        self.assertContains(response, "1 films")

    def test_the_footer_of_every_page_links_it(self):
        self.assertContains(self.client.get("/"), f'href="{DOWNLOAD}"')


class ConsentTests(TestCase):
    def test_a_visitor_is_asked_to_log_in(self):
        response = self.client.get(CONSENT)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={CONSENT}")

    def test_reviews_stay_out_until_the_fan_ticks_the_box(self):
        fan = make_user()
        self.assertFalse(fan.reviews_in_open_data)
        self.client.force_login(fan)
        response = self.client.get(CONSENT)
        self.assertContains(response, "Include my reviews in the open data dump")
        [checkbox] = re.findall(r"<input[^>]*reviews_in_open_data[^>]*>", response.content.decode())
        self.assertNotIn("checked", checkbox)

        response = self.client.post(CONSENT, {"reviews_in_open_data": "on"}, follow=True)
        self.assertContains(response, "Your reviews will be in the next open data dump.")
        fan.refresh_from_db()
        self.assertTrue(fan.reviews_in_open_data)

        self.client.post(CONSENT, {})
        fan.refresh_from_db()
        self.assertFalse(fan.reviews_in_open_data)

    def test_a_hostile_value_is_read_as_a_plain_yes_and_nothing_else_changes(self):
        fan = make_user(email="keep@example.com")
        self.client.force_login(fan)
        self.client.post(
            CONSENT,
            {"reviews_in_open_data": "<script>", "email": "x@evil.example", "is_staff": "on"},
        )
        fan.refresh_from_db()
        self.assertEqual(
            (fan.reviews_in_open_data, fan.email, fan.is_staff), (True, "keep@example.com", False)
        )
