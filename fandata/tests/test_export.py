"""A fan takes everything out: a ZIP of CSV files in Letterboxd's layout,
with cells a spreadsheet would run as formulas escaped, which the importer
reads back into the same ratings, reviews, diary and watchlist."""

import csv
import io
import zipfile

from django.test import TestCase
from django.urls import reverse

from catalog.tests.helpers import make_film
from fandata.exporter import stars
from fandata.formats import LETTERBOXD_COLUMNS
from reviews import services
from reviews.models import Rating, Review
from reviews.tests.helpers import make_fan_review, make_user, no_rate_limits

from .helpers import upload

EXPORT = reverse("fandata:export")


def read_zip(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: list(csv.reader(io.StringIO(archive.read(name).decode())))
            for name in archive.namelist()
        }


@no_rate_limits
class ExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan = make_user("leaving")
        cls.heaven = make_film(title="Children of Heaven", year=1997)
        cls.formula = make_film(title='=HYPERLINK("http://evil.example","x")', year=2001)
        cls.minus = make_film(title="-ism", year=2002)
        make_fan_review(cls.heaven, cls.fan, points=9, title="Shoes", body="@SUM(A1)\n\nLovely.")
        services.set_rating(cls.fan, cls.formula, 4)
        services.set_rating(cls.fan, cls.minus, 1)
        other = make_user()
        services.set_rating(other, cls.heaven, 2)

    def export(self):
        self.client.force_login(self.fan)
        response = self.client.post(EXPORT)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/zip")
        self.assertIn("attachment;", response["Content-Disposition"])
        return response.content

    def test_the_zip_has_letterboxds_files_and_columns(self):
        files = read_zip(self.export())
        self.assertEqual(set(files), set(LETTERBOXD_COLUMNS))
        for name, rows in files.items():
            self.assertEqual(rows[0], LETTERBOXD_COLUMNS[name], name)

    def test_ratings_are_half_stars_with_this_sites_film_addresses(self):
        ratings = read_zip(self.export())["ratings.csv"][1:]
        by_title = {row[1]: row for row in ratings}
        self.assertEqual(len(ratings), 3)  # The other fan's stays out.
        self.assertEqual(
            by_title["Children of Heaven"][2:],
            ["1997", "http://testserver" + self.heaven.get_absolute_url(), "4.5"],
        )
        self.assertEqual([stars(p) for p in (1, 2, 9, 10)], ["0.5", "1", "4.5", "5"])

    def test_cells_a_spreadsheet_would_run_are_escaped(self):
        files = read_zip(self.export())
        titles = [row[1] for row in files["ratings.csv"][1:]]
        self.assertIn('\'=HYPERLINK("http://evil.example","x")', titles)
        self.assertIn("'-ism", titles)
        self.assertEqual(files["reviews.csv"][1][6], "'@SUM(A1)\n\nLovely.")
        for rows in files.values():
            for row in rows:
                for cell in row:
                    self.assertFalse(cell.startswith(("=", "+", "-", "@")), cell)

    def test_the_zip_round_trips_through_the_importer(self):
        data = self.export()
        newcomer = make_user("arriving")
        self.client.force_login(newcomer)
        self.client.post(reverse("fandata:import"), {"export": upload(data)})
        self.client.post(reverse("fandata:import-preview"), {"action": "confirm"})
        mine = lambda user: sorted(Rating.objects.filter(user=user).values_list("film", "points"))  # noqa: E731
        self.assertEqual(mine(newcomer), mine(self.fan))
        review = Review.objects.get(author=newcomer)
        self.assertEqual(
            (review.film, review.body, review.rating), (self.heaven, "@SUM(A1)\n\nLovely.", 9)
        )

    def test_export_is_a_post_for_the_fan_only(self):
        self.assertEqual(self.client.post(EXPORT).status_code, 302)
        self.client.force_login(self.fan)
        self.assertEqual(self.client.get(EXPORT).status_code, 405)

    def test_an_empty_account_exports_headers_only(self):
        self.client.force_login(make_user())
        files = read_zip(self.client.post(EXPORT).content)
        self.assertTrue(all(len(rows) == 1 for rows in files.values()))
