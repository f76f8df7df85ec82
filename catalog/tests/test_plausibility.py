"""Plausibility checks (catalog/validation.py): the same words in the admin,
in spreadsheets and for the importer, and limits the database holds too."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import timezone

from catalog import validation
from catalog.models import BoxOfficeFigure, Film, ReleaseDate

from .admin_helpers import add_inline_row, changeform_data
from .helpers import make_film

TODAY = datetime.date(2026, 12, 2)


class PlausibilityFunctionTests(SimpleTestCase):
    def test_a_film_may_be_dated_up_to_next_year(self):
        self.assertEqual(validation.film_problems(year=2027, today=TODAY), {})
        self.assertEqual(validation.film_problems(year=None, today=TODAY), {})

    def test_a_year_after_next_year_is_named_with_the_likely_mistake(self):
        problems = validation.film_problems(year=2097, today=TODAY)
        self.assertEqual(list(problems), ["year"])
        self.assertIn("2097 is after next year (2027)", problems["year"][0])
        self.assertIn("two-digit year", problems["year"][0])

    def test_runtimes_up_to_a_thousand_minutes_pass_and_longer_ones_do_not(self):
        self.assertEqual(validation.film_problems(runtime_minutes=1000), {})
        problems = validation.film_problems(runtime_minutes=5400)
        self.assertIn("5,400 minutes is longer than any film", problems["runtime_minutes"][0])

    def test_a_release_date_before_the_films_year_is_a_problem_on_the_date(self):
        self.assertEqual(
            validation.release_date_problems(date=datetime.date(1997, 1, 1), film_year=1997), {}
        )
        problems = validation.release_date_problems(
            date=datetime.date(1996, 12, 31), film_year=1997
        )
        self.assertIn("31 December 1996 is before the film's year (1997)", problems["date"][0])
        self.assertEqual(
            validation.release_date_problems(date=datetime.date(1900, 1, 1), film_year=None), {}
        )

    def test_a_box_office_amount_of_zero_is_refused_and_any_positive_one_accepted(self):
        self.assertEqual(validation.box_office_problems(amount=1), {})
        self.assertIn("unknown", validation.box_office_problems(amount=0)["amount"][0])

    def test_problems_read_as_one_line_for_reports(self):
        line = validation.describe(
            validation.film_problems(year=3000, runtime_minutes=9999, today=TODAY)
        )
        self.assertTrue(line.startswith("year: 3000 is after next year"))
        self.assertIn("; runtime minutes: 9,999 minutes", line)

    def test_raise_if_any_puts_each_message_on_its_field(self):
        with self.assertRaises(ValidationError) as caught:
            validation.raise_if_any(validation.film_problems(year=3000, today=TODAY))
        self.assertEqual(list(caught.exception.message_dict), ["year"])
        validation.raise_if_any({})  # nothing to say: no exception


class ModelValidationTests(TestCase):
    fixtures = ["children-of-heaven"]

    def test_every_row_of_the_seed_catalogue_is_plausible(self):
        for model in [Film, ReleaseDate, BoxOfficeFigure]:
            for row in model.objects.all():
                with self.subTest(row=str(row)):
                    row.full_clean()

    def test_full_clean_reports_the_year_of_a_film_dated_after_next_year(self):
        film = Film(title="Typo", slug="typo", year=timezone.localdate().year + 2)
        with self.assertRaises(ValidationError) as caught:
            film.full_clean()
        self.assertIn("after next year", caught.exception.message_dict["year"][0])

    def test_full_clean_reports_an_absurd_runtime_once_on_its_field(self):
        film = Film(title="Long", slug="long", year=2000, runtime_minutes=1001)
        with self.assertRaises(ValidationError) as caught:
            film.full_clean()
        self.assertEqual(len(caught.exception.message_dict["runtime_minutes"]), 1)
        self.assertNotIn("__all__", caught.exception.message_dict)

    def test_a_release_date_is_checked_against_its_films_year(self):
        film = make_film(year=2000)
        with self.assertRaises(ValidationError) as caught:
            ReleaseDate(film=film, date=datetime.date(1999, 5, 1)).full_clean()
        self.assertIn("before the film's year (2000)", caught.exception.message_dict["date"][0])
        ReleaseDate(film=film, date=datetime.date(2000, 5, 1)).full_clean()

    def test_the_database_refuses_an_absurd_runtime_and_a_zero_amount(self):
        film = make_film()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Film.objects.filter(pk=film.pk).update(runtime_minutes=1001)
        with self.assertRaises(IntegrityError), transaction.atomic():
            BoxOfficeFigure.objects.create(film=film, kind="gross", amount=0)


class AdminFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = get_user_model().objects.create_superuser(
            "editor", "editor@example.com", "a-long-random-passphrase"
        )

    def setUp(self):
        self.client.force_login(self.staff)
        self.film = make_film(title="Checked", slug="checked", year=2000)
        self.url = reverse("admin:catalog_film_change", args=[self.film.pk])

    def post(self, **changes):
        data = changeform_data(self.client.get(self.url))
        data.update(changes)
        return data

    def test_the_admin_shows_the_year_and_runtime_messages_on_their_fields(self):
        data = self.post(year=str(timezone.localdate().year + 5), runtime_minutes="7200")
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 200)
        form = response.context["adminform"].form
        self.assertIn("after next year", form.errors["year"][0])
        self.assertIn("longer than any film", form.errors["runtime_minutes"][0])
        self.film.refresh_from_db()
        self.assertEqual(self.film.year, 2000)

    def test_a_release_date_before_the_year_typed_on_the_same_page_is_refused(self):
        # The year changes to 2005 in the same save that adds a 2003 date.
        data = add_inline_row(self.post(year="2005"), "release_dates", date="2003-04-01")
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "before the film&#x27;s year (2005)")
        self.assertFalse(self.film.release_dates.exists())

    def test_a_zero_gross_is_refused_in_the_box_office_inline(self):
        data = add_inline_row(
            self.post(), "box_office_figures", kind="gross", amount="0", currency="USD"
        )
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "leave it out instead of entering 0")
        self.assertFalse(self.film.box_office_figures.exists())

    def test_plausible_values_save(self):
        data = add_inline_row(self.post(runtime_minutes="1000"), "release_dates", date="2000-04-01")
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.film.release_dates.get().date, datetime.date(2000, 4, 1))
