"""Uploads are checked before anything reads them as data: size, ZIP bombs,
paths out of the archive, encryption, damaged archives, text that is not
UTF-8, wrong columns, absurd rows. Each is a plain error on the form (400),
never a 500, and nothing is kept."""

import io
import zipfile

from django.test import TestCase, override_settings
from django.urls import reverse

from fandata import uploads
from fandata.models import PendingImport
from reviews.tests.helpers import make_user, no_rate_limits

from .helpers import csv_text, imdb_csv, letterboxd_zip, upload

URL = reverse("fandata:import")


def encrypted(data):
    """Mark every member of a ZIP as encrypted (the flag bit alone)."""
    data = bytearray(data)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := data.find(signature, start)) != -1:
            data[at + flag_offset] |= 1
            start = at + 4
    return bytes(data)


@no_rate_limits
class HostileUploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan = make_user()

    def setUp(self):
        self.client.force_login(self.fan)

    def refused(self, data, message, name="export.zip"):
        response = self.client.post(URL, {"export": upload(data, name)})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, message, status_code=400)
        self.assertFalse(PendingImport.objects.exists())
        return response

    def test_a_file_over_the_size_limit(self):
        with self.settings():
            big = b"x" * (uploads.MAX_UPLOAD_BYTES + 1)
            self.refused(big, "The file is too large")

    def test_an_empty_file(self):
        self.refused(b"", "The submitted file is empty.")

    def test_no_file_at_all(self):
        response = self.client.post(URL, {"export": "not a file"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "This field is required.", status_code=400)

    def test_a_zip_bomb_promising_too_much_data(self):
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("ratings.csv", b"\0" * (uploads.MAX_UNCOMPRESSED_BYTES + 1))
        self.assertLess(len(bomb.getvalue()), 100_000)
        self.refused(bomb.getvalue(), "unpacks to more than")

    def test_too_many_members(self):
        data = letterboxd_zip(
            extra_members=[f"lists/{n}.csv" for n in range(uploads.MAX_ZIP_MEMBERS + 1)]
        )
        self.refused(data, "The ZIP holds")

    def test_paths_out_of_the_archive(self):
        for name in [
            "../ratings.csv",
            "lists/../../etc/passwd",
            "/etc/passwd",
            "..\\ratings.csv",
            "C:/x.csv",
        ]:
            with self.subTest(name=name):
                self.refused(letterboxd_zip(raw={name: b"x"}), "names a file outside itself")

    def test_an_encrypted_zip(self):
        data = encrypted(
            letterboxd_zip({"ratings.csv": [["2024-01-01", "Baran", "2001", "", "4"]]})
        )
        self.refused(data, "The ZIP is encrypted")

    def test_a_damaged_zip(self):
        data = letterboxd_zip({"ratings.csv": [["2024-01-01", "Baran", "2001", "", "4"]] * 50})
        self.refused(data[: len(data) // 2], "not a ZIP file we can read")
        broken = bytearray(data)
        start = broken.find(b"PK\x03\x04") + 30 + len("ratings.csv")
        broken[start : start + 20] = b"\xff" * 20
        self.refused(bytes(broken), "is damaged")

    def test_a_zip_without_letterboxd_files(self):
        self.refused(letterboxd_zip(raw={"profile.csv": b"a,b\n"}), "holds none of Letterboxd")

    def test_text_that_is_not_utf8(self):
        latin1 = "Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Amélie,2001,,4\n".encode(
            "latin-1"
        )
        self.refused(letterboxd_zip(raw={"ratings.csv": latin1}), "ratings.csv is not UTF-8 text")
        self.refused(b"\xff\xfe\x00C\x00o", "is not UTF-8 text", name="ratings.csv")

    def test_binary_junk_is_not_a_csv(self):
        self.refused(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "not UTF-8", name="x.csv")
        self.refused(b"Const,Your Rating\x00,Title,Year\n", "NUL characters", name="x.csv")

    def test_wrong_columns(self):
        wrong = csv_text(["Date", "Film", "Stars"], [["2024-01-01", "Baran", "4"]])
        self.refused(
            letterboxd_zip(raw={"ratings.csv": wrong}), "has no “Name”, “Rating”, “Year” column"
        )
        self.refused(
            wrong.encode(),
            "has no “Const”, “Title”, “Year”, “Your Rating” column",
            name="ratings.csv",
        )

    def test_an_absurdly_long_cell(self):
        long_review = csv_text(
            ["Date", "Name", "Year", "Review"], [["2024-01-01", "Baran", "2001", "x" * 200_000]]
        )
        self.refused(letterboxd_zip(raw={"reviews.csv": long_review}), "could not be read as CSV")

    @override_settings()
    def test_too_many_rows(self):
        rows = [["2024-01-01", f"Film {n}", "2001", "", "4"] for n in range(10_001)]
        self.refused(letterboxd_zip({"ratings.csv": rows}), "more than 10,000 rows")

    def test_the_page_and_its_errors_need_a_login(self):
        self.client.logout()
        self.assertEqual(self.client.get(URL).status_code, 302)
        self.assertEqual(self.client.post(URL, {"export": upload(b"x")}).status_code, 302)

    def test_a_good_imdb_file_gets_through_to_the_preview(self):
        data = imdb_csv([("tt0118849", "9", "2024-01-01", "Children of Heaven", "1997")])
        response = self.client.post(URL, {"export": upload(data, "ratings.csv")})
        self.assertRedirects(response, reverse("fandata:import-preview"))


class ImportRateLimitTests(TestCase):
    @override_settings(RATE_LIMITS={"import": (2, 3600)})
    def test_uploads_are_rate_limited(self):
        self.client.force_login(make_user())
        statuses = [
            self.client.post(URL, {"export": upload(b"junk\xff", "x.csv")}).status_code
            for _ in range(3)
        ]
        self.assertEqual(statuses, [400, 400, 429])
