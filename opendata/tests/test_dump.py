"""The open data dump: the public catalogue and nothing private, in files that
load back into an empty site with the same public pages."""

import csv
import gzip
import hashlib
import io
import json
import re
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from catalog.models import BoxOfficeFigure, Credit, Film, Person
from opendata import dump
from opendata.models import Dump
from reviews import services
from reviews.models import Review, ReviewReport
from reviews.tests.helpers import make_fan_review, make_user


def export():
    call_command("export_catalogue", stdout=io.StringIO())
    return Dump.objects.latest_first().first()


def local_copy(made, folder):
    return dump.copy_dump_locally(made, folder)


def every_byte(folder):
    """Everything in the dump, decompressed, as one string."""
    texts = []
    for path in sorted(Path(folder).iterdir()):
        data = path.read_bytes()
        texts.append((gzip.decompress(data) if path.suffix == ".gz" else data).decode())
    return "\n".join(texts)


class DumpContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "children-of-heaven", verbosity=0)
        cls.film = Film.objects.get(slug="children-of-heaven-1997")
        cls.sharing = make_user("sharing-fan", reviews_in_open_data=True)
        cls.shy = make_user("shy-fan", email="shy-secret-address@example.com")
        cls.shared = make_fan_review(
            cls.film, cls.sharing, points=9, title="Shared review", body="Shoes and rain."
        )

    def setUp(self):
        self.folder = Path(self.enterContext(_temporary_folder()))

    def test_a_table_a_file_pair_with_a_schema_and_the_licence(self):
        with self.settings(OPEN_DATA_LICENCE="CC0 1.0: no rights reserved."):
            made = export()
        folder = local_copy(made, self.folder)
        names = {path.name for path in folder.iterdir()}
        for table in ["films", "people", "credits", "box_office", "reviews", "genres"]:
            self.assertIn(f"{table}.jsonl.gz", names)
            self.assertIn(f"{table}.csv.gz", names)
        self.assertEqual((folder / "LICENCE.txt").read_text(), "CC0 1.0: no rights reserved.\n")
        package = json.loads((folder / "datapackage.json").read_text())
        self.assertEqual(package["licenses"], [{"title": "CC0 1.0: no rights reserved."}])
        films = next(r for r in package["resources"] if r["path"] == "films.csv.gz")
        columns = {field["name"]: field for field in films["schema"]["fields"]}
        self.assertEqual(columns["year"]["type"], "integer")
        self.assertEqual(columns["rating_count"]["type"], "integer")
        self.assertEqual(columns["rating_average"]["type"], "number")
        self.assertNotIn("search_text", columns)
        self.assertEqual(films["rows"], Film.objects.count())
        credits = next(r for r in package["resources"] if r["path"] == "credits.jsonl.gz")
        self.assertIn(
            {"fields": ["film_id"], "reference": {"resource": "films", "fields": ["id"]}},
            credits["schema"]["foreignKeys"],
        )
        # Every file's checksum is on record, and right.
        for name, entry in made.files.items():
            data = (folder / name).read_bytes()
            self.assertEqual(hashlib.sha256(data).hexdigest(), entry["sha256"], name)

    def test_films_carry_their_facts_and_aggregate_rating_in_both_formats(self):
        folder = local_copy(export(), self.folder)
        [film] = [row for row in dump.read_rows(folder, "films") if row["id"] == self.film.pk]
        self.film.refresh_from_db()
        self.assertEqual(film["title"], self.film.title)
        self.assertEqual(film["rating_count"], self.film.rating_count)
        self.assertEqual(film["rating_histogram"], self.film.rating_histogram)
        self.assertAlmostEqual(film["rating_average"], self.film.rating_average)
        with gzip.open(folder / "films.csv.gz", "rt", encoding="utf-8", newline="") as stream:
            rows = list(csv.DictReader(stream))
        [csv_film] = [row for row in rows if row["id"] == str(self.film.pk)]
        self.assertEqual(csv_film["title"], self.film.title)
        self.assertEqual(json.loads(csv_film["rating_histogram"]), self.film.rating_histogram)
        box_office = list(dump.read_rows(folder, "box_office"))
        self.assertEqual(len(box_office), BoxOfficeFigure.objects.count())
        self.assertEqual(len(list(dump.read_rows(folder, "credits"))), Credit.objects.count())

    def test_only_reviews_whose_authors_agreed_are_in_it(self):
        make_fan_review(self.film, self.shy, points=3, title="Shy review", body="Not for sharing.")
        folder = local_copy(export(), self.folder)
        reviews = list(dump.read_rows(folder, "reviews"))
        self.assertEqual(
            reviews,
            [
                {
                    "id": self.shared.pk,
                    "film_id": self.film.pk,
                    "author": "sharing-fan",
                    "title": "Shared review",
                    "body": "Shoes and rain.",
                    "is_spoiler": False,
                    "stars_points": 9,
                    "helpful_count": 0,
                    "published_at": self.shared.published_at.isoformat(),
                }
            ],
        )

    def test_no_private_data_ever_appears(self):
        secrets = {
            "email": "sharing-secret-mailbox@example.com",
            "password hash": make_password("Secret-Passw0rd!"),
            "hidden review": "HIDDEN-REVIEW-SECRET-TEXT",
            "review of a fan who did not agree": "UNSHARED-REVIEW-SECRET",
            "report note": "REPORT-NOTE-SECRET",
            "address": "203.0.113.77",
            "session": None,
        }
        self.sharing.email = secrets["email"]
        self.sharing.password = secrets["password hash"]
        self.sharing.save()
        hidden = make_fan_review(
            self.film,
            make_user(reviews_in_open_data=True),
            points=2,
            title="Hidden",
            body=secrets["hidden review"],
        )
        services.set_review_status(Review.objects.filter(pk=hidden.pk), "hidden")
        make_fan_review(
            self.film, self.shy, points=4, body=secrets["review of a fan who did not agree"]
        )
        ReviewReport.objects.create(
            review=self.shared, reporter=self.shy, reason="other", note=secrets["report note"]
        )
        from axes.models import AccessAttempt

        AccessAttempt.objects.create(
            username="sharing-fan",
            ip_address=secrets["address"],
            user_agent="x",
            failures_since_start=1,
            get_data="",
            post_data="",
        )
        session = SessionStore()
        session["_auth_user_id"] = str(self.sharing.pk)
        session.create()
        secrets["session"] = session.session_key

        text = every_byte(local_copy(export(), self.folder))
        self.assertIn("Shoes and rain.", text)  # The dump is not empty.
        for what, secret in secrets.items():
            self.assertNotIn(secret, text, what)
        self.assertNotIn("shy-secret-address", text)
        self.assertIsNone(re.search(r"[\w.+-]+@example\.com", text))

    def test_older_dumps_go_beyond_the_number_kept(self):
        first = export()
        with self.settings(OPEN_DATA_KEEP=1):
            call_command("export_catalogue", "--keep", "1", stdout=io.StringIO())
        self.assertEqual(Dump.objects.count(), 1)
        self.assertFalse(default_storage.exists(first.path("films.jsonl.gz")))


class RoundTripTests(TestCase):
    """Export, empty the site, load the dump: the public pages are the same."""

    PAGES = ["/", "/films/", "/people/", "/films/?sort=title"]

    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "children-of-heaven", verbosity=0)
        cls.film = Film.objects.get(slug="children-of-heaven-1997")
        # The seed's imported review has no author who could agree: leave it
        # out of a site whose every page is to come back whole.
        for review in Review.objects.filter(author=None):
            services.delete_review(review)
        for n, points in enumerate([9, 6]):
            fan = make_user(f"sharing-{n}", reviews_in_open_data=True)
            make_fan_review(
                cls.film, fan, points=points, title=f"Review {n} <b>", body="Rain.\n\nShoes."
            )

    def pages(self):
        from core.page_cache.versions import forget_all_pages

        forget_all_pages()
        film = Film.objects.get(slug="children-of-heaven-1997")
        urls = [
            *self.PAGES,
            film.get_absolute_url(),
            film.get_cast_url(),
            f"{film.get_absolute_url()}reviews/",
            *[person.get_absolute_url() for person in Person.objects.all()],
            *[review.get_absolute_url() for review in Review.objects.all()],
            "/fans/sharing-0/",
        ]
        result = {}
        for url in urls:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            result[url] = re.sub(rb'nonce="[^"]*"', b'nonce=""', response.content)
        return result

    def test_the_dump_loads_into_an_empty_site_with_the_same_public_pages(self):
        before = self.pages()
        folder = local_copy(export(), Path(self.enterContext(_temporary_folder())))
        empty_the_site()

        out = io.StringIO()
        call_command("import_catalogue_dump", str(folder), stdout=out)
        self.assertIn("Loaded", out.getvalue())
        after = self.pages()
        self.assertEqual(after.keys(), before.keys())
        for url in before:
            self.assertEqual(after[url].decode(), before[url].decode(), url)

    def test_loading_into_a_site_with_a_catalogue_is_refused(self):
        folder = local_copy(export(), Path(self.enterContext(_temporary_folder())))
        with self.assertRaisesMessage(CommandError, "load a dump into an empty site"):
            call_command("import_catalogue_dump", str(folder))


def empty_the_site():
    """Every table emptied, as in a freshly migrated site (the test's
    transaction brings the rows back afterwards)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with constraint checks still deferred.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


def _temporary_folder():
    import tempfile

    return tempfile.TemporaryDirectory(prefix="test-dump-")
