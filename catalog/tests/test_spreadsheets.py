"""Staff spreadsheets in the admin (catalog/resources.py, catalog/admin_import.py):
a preview first, per-row errors in plain words, matching that never guesses,
and files written to hurt."""

import csv
import io

import openpyxl
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from catalog.models import (
    AlternateTitle,
    Credit,
    Film,
    Genre,
    ImportBatch,
    OutsideId,
    Person,
    Source,
)
from catalog.resources import escape_formula, unescape_formula

from .helpers import make_film, make_person

CSV, XLSX = "0", "1"


def csv_bytes(rows, encoding="utf-8"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class SheetTestCase(TestCase):
    model = "film"

    @classmethod
    def setUpTestData(cls):
        cls.staff = get_user_model().objects.create_superuser(
            "editor", "editor@example.com", "a-long-random-passphrase"
        )

    def setUp(self):
        self.client.force_login(self.staff)

    def preview(self, content, fmt=CSV, name="sheet.csv", model=None):
        """Upload a file; the dry run's page."""
        upload = SimpleUploadedFile(name, content)
        url = reverse(f"admin:catalog_{model or self.model}_import")
        return self.client.post(url, {"import_file": upload, "format": fmt, "resource": "0"})

    def confirm(self, preview, model=None):
        """Confirm a clean preview, as the button does."""
        form = preview.context["confirm_form"]
        self.assertIsNotNone(form, self.row_errors(preview))
        url = reverse(f"admin:catalog_{model or self.model}_process_import")
        return self.client.post(url, form.initial)

    def row_errors(self, response):
        """{row number: {column: [messages]}} of a preview's invalid rows."""
        result = response.context["result"]
        return {
            row.number: {
                field: [str(message) for message in messages]
                for field, messages in row.error_dict.items()
            }
            for row in result.invalid_rows
        }

    def import_types(self, response):
        return [row.import_type for row in response.context["result"].rows]


class FilmImportTests(SheetTestCase):
    HEADER = ["title", "original_title", "year", "runtime_minutes", "genres"]

    def setUp(self):
        super().setUp()
        Genre.objects.create(name="Drama", slug="drama")
        Genre.objects.create(name="Family", slug="family")

    def test_the_preview_lists_new_rows_and_writes_nothing(self):
        response = self.preview(
            csv_bytes(
                [self.HEADER, ["Heat", "", "1995", "170", "Drama"], ["Ran", "乱", "1985", "", ""]]
            )
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.import_types(response), ["new", "new"])
        self.assertFalse(Film.objects.exists())
        self.assertIsNotNone(response.context["confirm_form"])

    def test_the_preview_retires_no_cached_page(self):
        from core.page_cache import versions

        make_film(title="Heat", slug="heat-1995", year=1995)
        families = [versions.EVERYTHING, "film:heat-1995", "lists"]
        before = versions.current(families)
        self.preview(csv_bytes([self.HEADER, ["Heat", "", "1995", "171", ""]]))
        self.assertEqual(versions.current(families), before)

    def test_confirming_imports_the_rows_with_slugs_and_genres(self):
        preview = self.preview(
            csv_bytes([self.HEADER, ["Heat", "", "1995", "170", "Drama; Family"]])
        )
        response = self.confirm(preview)
        self.assertRedirects(response, reverse("admin:catalog_film_changelist"))
        film = Film.objects.get()
        self.assertEqual((film.title, film.year, film.runtime_minutes), ("Heat", 1995, 170))
        self.assertEqual(film.slug, "heat-1995")
        self.assertEqual(sorted(film.genres.values_list("name", flat=True)), ["Drama", "Family"])

    def test_an_existing_film_is_matched_by_folded_title_and_year_not_duplicated(self):
        film = make_film(title="Amélie", slug="amelie", year=2001, runtime_minutes=122)
        response = self.preview(csv_bytes([self.HEADER, ["AMELIE", "", "2001", "123", ""]]))
        self.assertEqual(self.import_types(response), ["update"])
        self.confirm(response)
        film.refresh_from_db()
        self.assertEqual((film.runtime_minutes, Film.objects.count()), (123, 1))

    def test_an_alternate_title_matches_too(self):
        film = make_film(title="Children of Heaven", slug="coh", year=1997)
        AlternateTitle.objects.create(film=film, title="Bacheha-Ye aseman")
        response = self.preview(
            csv_bytes([["title", "year", "original_title"], ["Bacheha-ye Aseman", "1997", "x"]])
        )
        self.assertEqual(self.import_types(response), ["update"])

    def test_the_same_title_in_another_year_is_a_new_film(self):
        make_film(title="Hamlet", slug="hamlet-1948", year=1948)
        response = self.preview(csv_bytes([["title", "year"], ["Hamlet", "1990"]]))
        self.assertEqual(self.import_types(response), ["new"])

    def test_an_ambiguous_match_is_reported_with_both_candidates_never_guessed(self):
        make_film(title="Hamlet", slug="hamlet-a", year=1990)
        make_film(title="Hamlet", slug="hamlet-b", year=1990)
        response = self.preview(csv_bytes([["title", "year"], ["Hamlet", "1990"]]))
        errors = self.row_errors(response)[1]["title"][0]
        self.assertIn("hamlet-a", errors)
        self.assertIn("hamlet-b", errors)
        self.assertIn("Give the slug", errors)
        self.assertIsNone(response.context.get("confirm_form"))

    def test_a_slug_names_the_film_to_update_and_an_unknown_slug_is_an_error(self):
        make_film(title="Hamlet", slug="hamlet-a", year=1990)
        make_film(title="Hamlet", slug="hamlet-b", year=1990)
        response = self.preview(
            csv_bytes(
                [
                    ["slug", "title", "year", "runtime_minutes"],
                    ["hamlet-b", "Hamlet", "1990", "135"],
                    ["no-such-film", "Other", "1990", ""],
                ]
            )
        )
        self.assertEqual(self.import_types(response)[0], "update")
        self.assertIn("No film has the slug", self.row_errors(response)[2]["slug"][0])

    def test_reimporting_the_same_file_changes_nothing(self):
        content = csv_bytes([self.HEADER, ["Heat", "", "1995", "170", "Drama"]])
        self.confirm(self.preview(content))
        again = self.preview(content)
        self.assertEqual(self.import_types(again), ["skip"])
        self.assertEqual(Film.objects.count(), 1)

    def test_implausible_values_get_the_same_messages_as_the_admin_form(self):
        next_year = timezone.localdate().year + 1
        response = self.preview(
            csv_bytes(
                [
                    self.HEADER,
                    ["Typo", "", str(next_year + 70), "", ""],
                    ["Long", "", "2000", "5400", ""],
                    ["Fine", "", str(next_year), "1000", ""],
                ]
            )
        )
        errors = self.row_errors(response)
        self.assertIn(f"is after next year ({next_year})", errors[1]["year"][0])
        self.assertIn("longer than any film", errors[2]["runtime_minutes"][0])
        self.assertNotIn(3, errors)
        self.assertIsNone(response.context.get("confirm_form"))

    def test_absurd_numbers_are_errors_on_their_cells_not_crashes(self):
        rows = [["title", "year", "runtime_minutes"]]
        for bad in ["nineteen", "1997.5", "1e3", "-5", "9" * 5000, "Infinity", "NaN", "0x7CD"]:
            rows.append([f"Film {bad[:10]}", bad, ""])
        rows.append(["Minus runtime", "2000", "-90"])
        response = self.preview(csv_bytes(rows))
        self.assertEqual(response.status_code, 200)
        errors = self.row_errors(response)
        self.assertEqual(sorted(errors), list(range(1, len(rows))))
        self.assertIn("not a whole number", errors[1]["year"][0])
        self.assertIn("1888", errors[4]["year"][0])  # -5 is below the first film's year
        self.assertIn("runtime_minutes", errors[len(rows) - 1])

    def test_unknown_genres_are_named_rather_than_dropped(self):
        response = self.preview(csv_bytes([self.HEADER, ["Heat", "", "1995", "", "Drama; Heist"]]))
        self.assertIn("“Heist”", self.row_errors(response)[1]["genres"][0])

    def test_wrong_columns_are_refused_with_the_columns_expected(self):
        response = self.preview(csv_bytes([["Titel", "Jahr"], ["Heat", "1995"]]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Unknown columns: “Titel”, “Jahr”.")
        self.assertContains(response, "Missing columns: title.")
        self.assertNotContains(response, "Traceback")
        self.assertIsNone(response.context.get("confirm_form"))

    def test_huge_cells_are_errors_on_their_field(self):
        response = self.preview(csv_bytes([["title", "year"], ["x" * 100_000, "1995"]]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("at most 300 characters", self.row_errors(response)[1]["title"][0])

    def test_a_file_over_the_size_limit_is_refused_before_reading(self):
        response = self.preview(b"title,year\n" + b"A,2000\n" * 800_000)
        self.assertContains(response, "the limit is 5 MB")

    def test_a_workbook_that_unpacks_to_too_much_is_refused_before_reading(self):
        import zipfile

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", b"<a/>" + b" " * (101 * 1024 * 1024))
        response = self.preview(out.getvalue(), fmt=XLSX, name="bomb.xlsx")
        self.assertContains(response, "unpacks to more than 100 MB")

    def test_more_rows_than_the_limit_stop_the_file(self):
        rows = [["title"]] + [["x"]] * 10_001
        response = self.preview(csv_bytes(rows))
        self.assertContains(response, "split it into files of at most 10,000")
        self.assertIsNone(response.context.get("confirm_form"))

    def test_an_empty_file_and_a_header_only_file_say_so(self):
        self.assertContains(self.preview(b""), "The submitted file is empty.")
        self.assertContains(self.preview(b"title,year\n"), "No valid data to import")

    def test_a_file_that_is_not_utf8_gets_advice_on_saving_it(self):
        response = self.preview("title,year\nAmélie,2001\n".encode("latin-1"))
        self.assertContains(response, "The file is not UTF-8 text")
        self.assertFalse(Film.objects.exists())

    def test_a_csv_with_excels_byte_order_mark_is_read(self):
        response = self.preview(csv_bytes([["title", "year"], ["Heat", "1995"]], "utf-8-sig"))
        self.assertEqual(self.import_types(response), ["new"])

    def test_binary_junk_chosen_as_xlsx_is_an_error_not_a_crash(self):
        response = self.preview(b"PK\x03\x04 not really a workbook", fmt=XLSX, name="x.xlsx")
        self.assertContains(response, "could not be read as the format chosen")

    def test_an_xlsx_workbook_with_numbers_as_numbers_imports(self):
        content = xlsx_bytes(
            [["title", "year", "runtime_minutes"], ["Heat", 1995.0, 170], [1917, 2019, None]]
        )
        response = self.preview(content, fmt=XLSX, name="films.xlsx")
        self.assertEqual(self.import_types(response), ["new", "new"])
        self.confirm(response)
        self.assertEqual(Film.objects.get(year=2019).title, "1917")

    def test_formula_looking_cells_are_kept_as_text(self):
        formula = '=HYPERLINK("http://evil.example","click")'
        self.confirm(self.preview(csv_bytes([["title", "year"], [formula, "2000"]])))
        self.assertEqual(Film.objects.get().title, formula)

    def test_thousands_of_rows_preview_in_one_request(self):
        rows = [["title", "year", "runtime_minutes"]]
        rows += [[f"Bulk film {n}", str(1950 + n % 70), str(80 + n % 60)] for n in range(1000)]
        response = self.preview(csv_bytes(rows))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["result"].rows), 1000)
        self.assertEqual(set(self.import_types(response)), {"new"})
        self.assertFalse(Film.objects.exists())


class OutsideIdAndBatchTests(SheetTestCase):
    def test_an_imdb_id_matches_before_the_title(self):
        film = make_film(title="Heat", slug="heat-1995", year=1995)
        OutsideId.objects.create(value="tt0113277", film=film)
        response = self.preview(
            csv_bytes([["imdb_id", "title", "year"], ["tt0113277", "Heat: Director's Cut", "1995"]])
        )
        self.assertEqual(self.import_types(response), ["update"])

    def test_a_title_match_with_another_imdb_id_is_another_film(self):
        film = make_film(title="Hamlet", slug="hamlet-1990", year=1990)
        OutsideId.objects.create(value="tt0099726", film=film)
        response = self.preview(
            csv_bytes([["imdb_id", "title", "year"], ["tt0116477", "Hamlet", "1990"]])
        )
        self.assertEqual(self.import_types(response), ["new"])
        self.confirm(response)
        self.assertEqual(OutsideId.objects.get(value="tt0116477").film.title, "Hamlet")
        self.assertEqual(Film.objects.filter(title="Hamlet").count(), 2)

    def test_a_malformed_or_contradicting_imdb_id_is_an_error(self):
        a = make_film(title="A", slug="a", year=2000)
        b = make_film(title="B", slug="b", year=2000)
        OutsideId.objects.create(value="tt0000002", film=b)
        response = self.preview(
            csv_bytes(
                [
                    ["slug", "imdb_id", "title", "year"],
                    ["", "tt12", "C", "2000"],
                    [a.slug, "tt0000002", "A", "2000"],
                ]
            )
        )
        errors = self.row_errors(response)
        self.assertIn("such as tt0118849", errors[1]["imdb_id"][0])
        self.assertIn("is the IMDb ID of B", errors[2]["imdb_id"][0])

    def test_a_confirmed_import_writes_one_batch_that_undoes_it(self):
        kept = make_film(title="Heat", slug="heat-1995", year=1995, runtime_minutes=160)
        response = self.preview(
            csv_bytes(
                [
                    ["title", "year", "runtime_minutes"],
                    ["Heat", "1995", "170"],
                    ["Ran", "1985", "162"],
                ]
            ),
            name="december.csv",
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.confirm(response)
        batch = ImportBatch.objects.get()
        self.assertEqual((batch.source, batch.file), ("spreadsheet", "december.csv"))
        self.assertEqual(batch.counts["films created"], 1)
        self.assertEqual(batch.counts["films changed"], 1)
        kept.refresh_from_db()
        self.assertEqual(kept.field_sources.get("runtime_minutes"), Source.SPREADSHEET)
        with self.captureOnCommitCallbacks(execute=True):
            batch.undo()
        kept.refresh_from_db()
        self.assertEqual(kept.runtime_minutes, 160)
        self.assertNotIn("runtime_minutes", kept.field_sources)
        self.assertFalse(Film.objects.filter(title="Ran").exists())

    def test_a_dry_run_writes_no_batch(self):
        self.preview(csv_bytes([["title", "year"], ["Ran", "1985"]]))
        self.assertFalse(ImportBatch.objects.exists())


class QueriesPerRowTests(SheetTestCase):
    def queries_for(self, n):
        rows = [["title", "year"]] + [[f"Counted {i}", "2000"] for i in range(n)]
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            self.preview(csv_bytes(rows))
        return len(queries)

    def test_each_row_costs_the_same_few_queries_however_many_rows(self):
        ten, twenty = self.queries_for(10), self.queries_for(20)
        per_row = (twenty - ten) / 10
        self.assertEqual(per_row, int(per_row))
        self.assertLessEqual(per_row, 10)


class AccessTests(SheetTestCase):
    def test_anonymous_visitors_and_fans_are_sent_to_log_in(self):
        fan = get_user_model().objects.create_user("fan", password="a-long-random-passphrase")
        anonymous = Client()
        self.assertEqual(anonymous.get(reverse("admin:catalog_film_import")).status_code, 302)
        logged_in = Client()
        logged_in.force_login(fan)
        self.assertEqual(logged_in.get(reverse("admin:catalog_film_import")).status_code, 302)
        self.assertEqual(logged_in.post(reverse("admin:catalog_film_export")).status_code, 302)

    def test_staff_who_may_only_view_films_can_export_but_not_import(self):
        viewer = get_user_model().objects.create_user(
            "viewer", password="a-long-random-passphrase", is_staff=True
        )
        viewer.user_permissions.add(Permission.objects.get(codename="view_film"))
        client = Client()
        client.force_login(viewer)
        self.assertEqual(client.get(reverse("admin:catalog_film_import")).status_code, 403)
        self.assertEqual(client.get(reverse("admin:catalog_film_export")).status_code, 200)

    def test_an_upload_without_the_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.staff)
        response = client.post(
            reverse("admin:catalog_film_import"),
            {"import_file": SimpleUploadedFile("x.csv", b"title\nA\n"), "format": CSV},
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Film.objects.exists())

    def test_an_expired_preview_asks_for_the_file_again(self):
        response = self.client.post(
            reverse("admin:catalog_film_process_import"),
            {
                "import_file_name": "gone",
                "original_file_name": "x.csv",
                "format": CSV,
                "resource": "0",
            },
        )
        self.assertRedirects(response, reverse("admin:catalog_film_import"))


class ExportTests(SheetTestCase):
    fixtures = ["children-of-heaven"]

    def export(self, model, fmt=CSV):
        resource = {"film": "filmresource", "person": "personresource", "credit": "creditresource"}[
            model
        ]
        page = self.client.get(reverse(f"admin:catalog_{model}_export"))
        data = {"format": fmt, "resource": "0"}
        for name in page.context["form"].fields:
            if name.startswith(resource + "_"):
                data[name] = "on"
        return self.client.post(reverse(f"admin:catalog_{model}_export"), data)

    def test_films_export_as_csv_with_names_for_genres(self):
        seed = Film.objects.get(slug="children-of-heaven-1997")
        seed.genres.add(Genre.objects.create(name="Drama", slug="drama"))
        response = self.export("film")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        seed = next(row for row in rows if row["slug"] == "children-of-heaven-1997")
        self.assertEqual(seed["year"], "1997")
        self.assertIn("Drama", seed["genres"])

    def test_formula_looking_cells_are_escaped_in_csv_and_xlsx_exports(self):
        formula = "=1+1"
        make_film(title=formula, slug="formula", year=2000, tagline="@SUM(A1)")
        rows = list(csv.DictReader(io.StringIO(self.export("film").content.decode("utf-8-sig"))))
        row = next(row for row in rows if row["slug"] == "formula")
        self.assertEqual((row["title"], row["tagline"]), ("'=1+1", "'@SUM(A1)"))
        book = openpyxl.load_workbook(io.BytesIO(self.export("film", XLSX).content))
        cells = [cell for row in book.active.iter_rows() for cell in row]
        titles = [cell for cell in cells if cell.value == "'=1+1"]
        self.assertEqual(len(titles), 1)
        self.assertEqual(titles[0].data_type, "s")  # text, not a formula
        self.assertFalse(any(cell.data_type == "f" for cell in cells))

    def test_an_exported_sheet_imports_back_unchanged(self):
        make_film(title="-1", slug="minus-one", year=2013)
        exported = self.export("film").content
        response = self.preview(exported)
        self.assertEqual(set(self.import_types(response)), {"skip"})

    def test_exports_carry_the_imdb_id(self):
        OutsideId.objects.create(
            value="tt0118849", film=Film.objects.get(slug="children-of-heaven-1997")
        )
        rows = list(csv.DictReader(io.StringIO(self.export("film").content.decode("utf-8-sig"))))
        seed = next(row for row in rows if row["slug"] == "children-of-heaven-1997")
        self.assertEqual(seed["imdb_id"], "tt0118849")

    def test_people_and_credits_export(self):
        people = self.export("person").content.decode("utf-8-sig")
        self.assertIn("Majid Majidi", people)
        credits = self.export("credit").content.decode("utf-8-sig")
        self.assertIn("children-of-heaven-1997", credits)

    def test_the_escape_round_trips(self):
        for value in ["=x", "+1", "-1", "@a", "\tx", "plain", "'quoted", ""]:
            self.assertEqual(unescape_formula(escape_formula(value)), value)


class PersonAndCreditImportTests(SheetTestCase):
    def test_people_are_matched_by_folded_name_and_ambiguity_is_reported(self):
        make_person(name="Majid Majidi", slug="majid-majidi")
        make_person(name="John Smith", slug="john-smith-1")
        make_person(name="John Smith", slug="john-smith-2")
        response = self.preview(
            csv_bytes(
                [
                    ["name", "biography"],
                    ["MAJID MAJIDI", "Director."],
                    ["John Smith", ""],
                    ["New One", ""],
                ]
            ),
            model="person",
        )
        self.assertEqual(self.import_types(response)[0], "update")
        self.assertIn("john-smith-2", self.row_errors(response)[2]["name"][0])

    def test_credits_name_films_by_slug_or_title_and_year_and_people_by_slug_or_name(self):
        film = make_film(title="Heat", slug="heat-1995", year=1995)
        pacino = make_person(name="Al Pacino", slug="al-pacino")
        mann = make_person(name="Michael Mann", slug="michael-mann")
        rows = [
            ["film", "person", "role", "job", "character", "billing_order", "is_star"],
            ["heat-1995", "al-pacino", "cast", "", "Vincent Hanna", "1", "yes"],
            ["Heat (1995)", "Michael Mann", "Crew", "Director", "", "", ""],
            ["Heat (1996)", "Nobody Known", "actor", "", "", "x", "maybe"],
        ]
        response = self.preview(csv_bytes(rows), model="credit")
        errors = self.row_errors(response)
        self.assertEqual(sorted(errors), [3])
        self.assertIn("No film “Heat (1996)”", errors[3]["film"][0])
        self.assertIn("No person “Nobody Known”", errors[3]["person"][0])
        self.assertIn("not one of", errors[3]["role"][0])
        self.assertIn("not a whole number", errors[3]["billing_order"][0])
        self.assertIn("not yes or no", errors[3]["is_star"][0])
        self.confirm(self.preview(csv_bytes(rows[:3]), model="credit"), model="credit")
        self.assertEqual(
            Credit.objects.get(film=film, person=pacino, is_star=True).source, Source.SPREADSHEET
        )
        self.assertTrue(Credit.objects.filter(film=film, person=mann, job="Director").exists())

    def test_a_credit_breaking_the_cast_and_crew_rule_is_explained(self):
        make_film(title="Heat", slug="heat-1995", year=1995)
        make_person(name="Al Pacino", slug="al-pacino")
        response = self.preview(
            csv_bytes([["film", "person", "role", "job"], ["heat-1995", "al-pacino", "crew", ""]]),
            model="credit",
        )
        self.assertEqual(len(self.row_errors(response)), 1)
        self.assertIsNone(response.context.get("confirm_form"))
        self.assertFalse(Person.objects.filter(name="").exists())
