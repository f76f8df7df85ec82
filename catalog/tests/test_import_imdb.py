"""manage.py import_imdb: IMDb's files in, films, people, credits and facts
out, with provenance, matching, batches and bad lines reported."""

import gzip
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext

from catalog.imdb import importer as importer_module
from catalog.management.commands.import_imdb import PlainProgress
from catalog.models import (
    AlternateTitle,
    Credit,
    Film,
    ImportBatch,
    OutsideId,
    OutsideRating,
    Person,
    Source,
)

SAMPLE = Path(__file__).parent / "imdb_sample"
SEED = "children-of-heaven-1997"

# Every bad line of the sample files: file:line: reason (the start of it).
BAD_LINES = [
    "title.ratings.tsv:23: rating out of range: '11.5'",
    "title.ratings.tsv:24: non-numeric rating: 'abc'",
    "title.ratings.tsv:25: non-numeric votes: '-5'",
    "title.basics.tsv:27: too few columns: 6 of 9",
    "title.basics.tsv:28: non-numeric year: '19x7'",
    "title.basics.tsv:29: absurdly long title: 400 characters",
    "title.basics.tsv:30: year out of range: 1700",
    "title.basics.tsv:31: implausible: year: 2999 is after next year",
    "title.basics.tsv:32: non-numeric runtime: 'ninety'",
    "title.basics.tsv:33: implausible: runtime minutes: 5,400 minutes",
    "title.basics.tsv:34: not an IMDb title ID: 't9000017'",
    "title.basics.tsv:35: not UTF-8",
    "title.akas.tsv:21: absurdly long title: 400 characters",
    "title.akas.tsv:22: too few columns: 3 of 8",
    "name.basics.tsv:30: too many columns: 7 of 6",
    "name.basics.tsv:31: absurdly long name: 300 characters",
    "title.principals.tsv:23: unknown person ID: nm9999999",
    "title.principals.tsv:34: characters is not a JSON array",
    "title.principals.tsv:35: non-numeric ordering: 'x'",
    "title.principals.tsv:36: unknown person ID: nm9000004",
    "title.principals.tsv:37: too few columns: 3 of 6",
    "title.crew.tsv:9: unknown person ID: nm9999998",
]


def run_import(folder=SAMPLE, *args):
    out, err = StringIO(), StringIO()
    call_command("import_imdb", str(folder), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def copy_sample(test):
    folder = Path(tempfile.mkdtemp())
    test.addCleanup(shutil.rmtree, folder)
    for path in SAMPLE.glob("*.tsv"):
        shutil.copy(path, folder / path.name)
    return folder


def edit_line(path, tconst, replace):
    lines = path.read_bytes().split(b"\n")
    for i, line in enumerate(lines):
        if line.startswith(tconst.encode() + b"\t"):
            lines[i] = replace(line.decode()).encode()
    path.write_bytes(b"\n".join(lines))


class SeedFilmTests(TestCase):
    fixtures = ["children-of-heaven"]

    @classmethod
    def setUpTestData(cls):
        cls.out, cls.err = run_import()

    def test_the_seed_film_is_found_by_title_and_year_and_enriched_not_duplicated(self):
        self.assertEqual(Film.objects.filter(title="Children of Heaven").count(), 1)
        film = Film.objects.get(slug=SEED)
        self.assertEqual(film.outside_ids.get().value, "tt0118849")
        # What the fan page did not say, IMDb fills in.
        self.assertEqual(film.runtime_minutes, 89)
        self.assertEqual(sorted(film.genres.values_list("name", flat=True)), ["Drama", "Family"])
        self.assertIn("films found by title: 1", self.out)

    def test_every_fact_of_the_fan_page_stays_and_imdb_values_sit_beside_them(self):
        film = Film.objects.get(slug=SEED)
        self.assertEqual(
            (film.title, film.original_title, film.year),
            ("Children of Heaven", "Bacheha-Ye aseman", 1997),
        )
        ratings = list(film.outside_ratings.values_list("source", "value", "votes", "shown"))
        self.assertEqual(
            [(s, str(v), n, shown) for s, v, n, shown in ratings],
            [("fan-page", "8.2", 10540, True), ("imdb", "8.3", 79000, False)],
        )
        self.assertEqual((str(film.external_rating), film.external_rating_votes), ("8.2", 10540))
        self.assertEqual(film.outside_values["imdb"]["runtime_minutes"], 89)
        # The fan page names neither a runtime nor a genre: both are IMDb's.
        self.assertEqual(film.field_sources, {"runtime_minutes": "imdb", "genres": "imdb"})
        # The fan page's cast keeps its characters ("Zohre", not IMDb's "Zahra").
        zohre = film.credits.get(person__name="Bahare Seddiqi", role="cast")
        self.assertEqual((zohre.character, zohre.source), ("Zohre", Source.FAN_PAGE))
        self.assertEqual(film.credits.filter(source=Source.FAN_PAGE).count(), 16)

    def test_the_seed_films_people_are_matched_by_name_or_credited_as_name(self):
        self.assertEqual(
            OutsideId.objects.get(value="nm0593180").person.name, "Kamal Mirkarimi"
        )  # IMDb calls him "Kamal Mir Karimi", the page's credited-as name
        self.assertFalse(Person.objects.filter(name="Kamal Mir Karimi").exists())
        self.assertEqual(Person.objects.filter(name="Majid Majidi").count(), 1)
        self.assertEqual(OutsideId.objects.get(value="nm0004303").person.slug, "majid-majidi")

    def test_alternate_titles_in_other_scripts_are_stored_and_searchable(self):
        film = Film.objects.get(slug=SEED)
        titles = set(film.alternate_titles.values_list("title", flat=True))
        self.assertLessEqual({"بچه‌های آسمان", "運動靴と赤い金魚", "أطفال السماء"}, titles)
        persian = AlternateTitle.objects.get(title="بچه‌های آسمان")
        self.assertEqual((persian.language, persian.region, persian.source), ("fa", "IR", "imdb"))
        for query in ["بچه های آسمان", "運動靴", "أطفال السماء", "千と千尋の神隠し", "Солярис"]:
            with self.subTest(query=query):
                self.assertTrue(Film.objects.search(query))

    def test_every_bad_line_kind_is_skipped_and_reported_with_file_line_and_reason(self):
        for expected in BAD_LINES:
            with self.subTest(expected):
                self.assertIn(expected, self.err)
        self.assertIn(f"{len(BAD_LINES)} bad line(s) skipped", self.out)
        self.assertFalse(Film.objects.filter(title__in=["Typo Year", "Far Future"]).exists())

    def test_only_movies_and_tv_movies_by_default(self):
        self.assertFalse(
            Film.objects.filter(title__in=["Breaking Bad", "A Short One", "Adult Title"])
        )
        self.assertTrue(Film.objects.filter(title="A Quiet Evening").exists())

    def test_slugs_are_title_year_with_numbers_on_clashes(self):
        slugs = dict(
            OutsideId.objects.filter(film__isnull=False).values_list("value", "film__slug")
        )
        self.assertEqual(slugs["tt0099726"], "hamlet-1990")
        self.assertEqual(slugs["tt9000001"], "hamlet-1990-2")
        self.assertEqual((slugs["tt0069293"], slugs["tt0307479"]), ("solaris-1972", "solaris-2002"))
        self.assertEqual(slugs["tt0103644"], "alien-3-1992")
        self.assertEqual(slugs["tt0112573"], "1-2-moon-1995")

    def test_imported_pages_show_their_imdb_links(self):
        film = OutsideId.objects.get(value="tt0245429").film
        response = self.client.get(film.get_absolute_url())
        self.assertContains(response, "https://www.imdb.com/title/tt0245429/")
        self.assertContains(response, "Chihiro Ogino / Sen")
        person = OutsideId.objects.get(value="nm0594503").person
        self.assertContains(self.client.get(person.get_absolute_url()), "nm0594503")

    def test_a_second_run_changes_nothing_and_says_so(self):
        counts = [Film.objects.count(), Person.objects.count(), Credit.objects.count()]
        batches = ImportBatch.objects.count()
        out, err = run_import()
        self.assertIn("Nothing changed: these are the files of the last complete import", out)
        self.assertEqual(err, "")  # the files were not even read
        out, err = run_import(SAMPLE, "--recheck")
        self.assertIn("Nothing changed: the catalogue already holds what these files say", out)
        self.assertIn("6 unchanged skipped", out)
        # The same bad lines, skipped and reported again.
        self.assertEqual(sorted(err.splitlines()), sorted(self.err.splitlines()))
        self.assertEqual(
            [Film.objects.count(), Person.objects.count(), Credit.objects.count()], counts
        )
        self.assertEqual(ImportBatch.objects.count(), batches)

    def test_after_an_undo_the_same_files_import_again(self):
        ImportBatch.objects.filter(key="crew:0").get().undo()
        self.assertFalse(Credit.objects.filter(job="Writer", person__name="Hayao Miyazaki"))
        out, _ = run_import()
        self.assertIn("credits created: 4", out)
        self.assertTrue(Credit.objects.filter(job="Writer", person__name="Hayao Miyazaki"))

    def test_undoing_every_batch_gives_back_the_seed_as_it_was(self):
        for batch in ImportBatch.objects.order_by("-started_at", "-id"):
            batch.undo()
        self.assertEqual(Film.objects.count(), 1)
        film = Film.objects.get(slug=SEED)
        self.assertIsNone(film.runtime_minutes)
        self.assertEqual(film.field_sources, {})
        self.assertFalse(OutsideId.objects.exists())
        self.assertEqual(list(OutsideRating.objects.values_list("source", flat=True)), ["fan-page"])
        self.assertEqual(Person.objects.count(), 16)


class ChangedFilesTests(TestCase):
    fixtures = ["children-of-heaven"]

    def test_a_staff_edit_survives_a_reimport_and_imdbs_new_value_sits_beside_it(self):
        folder = copy_sample(self)
        run_import(folder)
        film = OutsideId.objects.get(value="tt0245429").film
        film.title = "Spirited Away (staff's title)"
        film.field_sources = {**film.field_sources, "title": Source.STAFF}
        film.save()
        edit_line(
            folder / "title.basics.tsv",
            "tt0245429",
            lambda line: line.replace("Spirited Away", "Spirited Away!").replace(
                "\t125\t", "\t126\t"
            ),
        )
        out, _ = run_import(folder)
        film.refresh_from_db()
        self.assertEqual(film.title, "Spirited Away (staff's title)")
        self.assertEqual(film.runtime_minutes, 126)  # IMDb's own field: updated
        self.assertEqual(film.outside_values["imdb"]["title"], "Spirited Away!")
        self.assertIn("films updated: 1", out)

    def test_a_staff_edited_credit_is_left_and_new_votes_update_imdbs_rating(self):
        folder = copy_sample(self)
        run_import(folder)
        credit = Credit.objects.get(person__outside_ids__value="nm0851582")
        credit.character = "Amélie"
        credit.source = Source.STAFF
        credit.save()
        edit_line(folder / "title.ratings.tsv", "tt0211915", lambda line: "tt0211915\t8.4\t800001")
        edit_line(
            folder / "title.principals.tsv",
            "tt0211915\t1",
            lambda line: line.replace("Poulain", "P."),
        )
        run_import(folder)
        credit.refresh_from_db()
        self.assertEqual(credit.character, "Amélie")
        rating = OutsideRating.objects.get(film=credit.film, source="imdb")
        self.assertEqual((str(rating.value), rating.votes), ("8.4", 800001))
        credit.film.refresh_from_db()
        self.assertEqual(str(credit.film.external_rating), "8.4")

    def test_an_ambiguous_title_match_is_reported_and_never_guessed(self):
        Film.objects.create(title="Taste of Cherry", year=1997, slug="taste-one")
        Film.objects.create(title="Ta'm e guilass", year=1997, slug="taste-two")
        out, _ = run_import()
        self.assertIn("tt0119472 “Taste of Cherry” (1997) could be taste-one, taste-two", out)
        self.assertFalse(OutsideId.objects.filter(value="tt0119472").exists())
        self.assertEqual(Film.objects.filter(year=1997, title__icontains="cherry").count(), 1)

    def test_a_director_that_differs_means_another_film(self):
        other = Film.objects.create(title="Hamlet", year=1990, slug="a-stage-hamlet")
        Credit.objects.create(
            film=other,
            person=Person.objects.create(name="Someone Else"),
            role="crew",
            job="Director",
        )
        run_import()
        self.assertFalse(other.outside_ids.exists())
        self.assertEqual(OutsideId.objects.get(value="tt0099726").film.slug, "hamlet-1990")

    def test_a_genre_named_twice_on_a_line_is_one_genre(self):
        folder = copy_sample(self)
        edit_line(
            folder / "title.basics.tsv",
            "tt0245429",
            lambda line: line.rsplit("\t", 1)[0] + "\tAnimation,Animation,Drama,Drama",
        )
        run_import(folder)
        film = OutsideId.objects.get(value="tt0245429").film
        self.assertEqual(sorted(film.genres.values_list("name", flat=True)), ["Animation", "Drama"])

    def test_gzipped_files_as_imdb_publishes_them_read_the_same(self):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        for path in SAMPLE.glob("*.tsv"):
            with gzip.open(folder / f"{path.name}.gz", "wb") as packed:
                packed.write(path.read_bytes())

        def catalogue():
            return (
                sorted(Film.objects.values_list("title", "year", "slug", "search_text")),
                sorted(Person.objects.values_list("name", "search_text")),
                sorted(Credit.objects.values_list("film__slug", "person__name", "role", "job")),
                sorted(AlternateTitle.objects.values_list("film__slug", "title")),
            )

        class Undo(Exception):
            pass

        with self.assertRaises(Undo), transaction.atomic():
            run_import(SAMPLE)
            plain = catalogue()
            raise Undo
        self.assertEqual(Film.objects.count(), 1)
        out, err = run_import(folder)
        self.assertEqual(Film.objects.count(), 22)
        self.assertEqual(catalogue(), plain)
        for bad in BAD_LINES:
            file, rest = bad.split(":", 1)
            self.assertIn(f"{file}.gz:{rest}", err)

    def test_options_choose_types_votes_and_a_limit(self):
        run_import(SAMPLE, "--title-types", "tvMovie")
        self.assertEqual(
            sorted(Film.objects.exclude(slug=SEED).values_list("title", flat=True)),
            ["A Quiet Evening", "Hamlet"],
        )
        run_import(SAMPLE, "--min-votes", "500000")
        self.assertTrue(Film.objects.filter(title="Spirited Away").exists())
        self.assertFalse(Film.objects.filter(title="Solaris").exists())

    def test_limit_and_dry_run(self):
        out, _ = run_import(SAMPLE, "--dry-run")
        self.assertIn("Dry run, nothing written", out)
        self.assertEqual(Film.objects.count(), 1)
        self.assertFalse(ImportBatch.objects.exists())
        run_import(SAMPLE, "--limit", "3")
        self.assertEqual(Film.objects.count(), 3)  # the seed is the first title

    def test_a_missing_file_or_a_wrong_header_is_a_plain_error(self):
        folder = copy_sample(self)
        (folder / "title.crew.tsv").unlink()
        with self.assertRaisesMessage(CommandError, "title.crew.tsv.gz"):
            run_import(folder)
        (folder / "title.crew.tsv").write_text("a\tb\tc\n")
        with self.assertRaisesMessage(CommandError, "not IMDb's title.crew header"):
            run_import(folder)
        for bad in ["--limit=0", "--min-votes=-1", "--batch-size=0", "--title-types=,"]:
            with self.subTest(bad), self.assertRaises(CommandError):
                run_import(SAMPLE, bad)
        self.assertEqual(Film.objects.count(), 1)

    def test_an_interrupted_run_leaves_whole_batches_and_resumes(self):
        real = importer_module.Importer.write_credits

        def interrupted(self, *args, **kwargs):
            raise KeyboardInterrupt

        importer_module.Importer.write_credits = interrupted
        try:
            with self.assertRaises(SystemExit):
                run_import(SAMPLE, "--batch-size", "5")
        finally:
            importer_module.Importer.write_credits = real
        self.assertEqual(Credit.objects.exclude(source=Source.FAN_PAGE).count(), 0)
        films = Film.objects.count()
        self.assertGreater(films, 1)
        out, _ = run_import(SAMPLE, "--batch-size", "5")
        self.assertEqual(Film.objects.count(), films)
        self.assertIn("films unchanged", out)
        self.assertTrue(Credit.objects.filter(person__outside_ids__value="nm0594503").exists())


def in_title_order(folder, *names):
    """Sort files' lines by title ID, as IMDb publishes them (the sample's
    are in no order)."""

    def title_number(line):
        tconst = line.split(b"\t", 1)[0]
        return int(tconst[2:]) if tconst[:2] == b"tt" and tconst[2:].isdigit() else 10**9

    for name in names:
        path = folder / f"{name}.tsv"
        header, *lines = path.read_bytes().rstrip(b"\n").split(b"\n")
        path.write_bytes(b"\n".join([header, *sorted(lines, key=title_number)]) + b"\n")


class AlternateTitlesInStepTests(TestCase):
    """IMDb's files are in title order: each batch of films is written with
    its alternate titles, and a file out of order falls back to a pass of
    their own with the same outcome."""

    fixtures = ["children-of-heaven"]

    def outcome(self, folder):
        with transaction.atomic():
            run_import(folder, "--batch-size", "4")
            akas = set(
                AlternateTitle.objects.values_list("film__slug", "title", "note", "language")
            )
            texts = dict(Film.objects.values_list("slug", "search_text"))
            passes = set(
                ImportBatch.objects.values_list("key", flat=True).filter(key__startswith="akas:")
            )
            # The search text written with the films is the one the model makes.
            self.assertEqual(Film.objects.all().refresh_search_text(), 0)
            transaction.set_rollback(True)
        return akas, texts, passes

    def test_files_in_title_order_take_the_alternate_titles_with_the_films(self):
        folder = copy_sample(self)
        in_title_order(folder, "title.basics", "title.akas")
        akas, texts, passes = self.outcome(folder)
        self.assertEqual(passes, set())
        self.assertIn(("spirited-away-2001", "千と千尋の神隠し", "imdbDisplay", "ja"), akas)
        self.assertIn("千", texts["spirited-away-2001"])
        self.assertIn("بچه", texts[SEED])
        for shuffled in ["title.akas", "title.basics"]:
            with self.subTest(out_of_order=shuffled):
                other = copy_sample(self)
                in_title_order(other, *{"title.basics", "title.akas"} - {shuffled})
                other_akas, other_texts, other_passes = self.outcome(other)
                self.assertEqual(other_akas, akas)
                self.assertEqual(other_texts, texts)
                self.assertTrue(other_passes)


class CreditsInTitleOrderTests(TestCase):
    """A film this run created has no credits to compare with while
    title.principals is in title order; a line out of order (the sample's
    last, of a film whose other lines came earlier) ends that shortcut."""

    fixtures = ["children-of-heaven"]

    def credits(self, folder):
        with transaction.atomic():
            # A batch a film: the sample's last line is a batch of its own.
            run_import(folder, "--batch-size", "1")
            credits = sorted(
                Credit.objects.values_list(
                    "film__slug", "person__slug", "role", "job", "character", "billing_order"
                )
            )
            transaction.set_rollback(True)
        return credits

    def test_the_same_credits_whatever_the_order_of_title_principals(self):
        as_published = copy_sample(self)
        in_title_order(as_published, "title.basics", "title.akas", "title.principals")
        credits = self.credits(as_published)
        self.assertEqual(self.credits(SAMPLE), credits)
        # Spirited Away's first line again, at the end: out of order, a
        # credit the film already has; compared, not written twice.
        late = copy_sample(self)
        in_title_order(late, "title.basics", "title.akas", "title.principals")
        with open(late / "title.principals.tsv", "a", encoding="utf-8") as principals:
            principals.write('tt0245429\t1\tnm0433007\tactress\t\\N\t["Chihiro Ogino","Sen"]\n')
        self.assertEqual(self.credits(late), credits)
        self.assertIn(
            ("spirited-away-2001", "rumi-hiiragi", "cast", "", "Chihiro Ogino / Sen", 1), credits
        )


def drop_lines(path, *starts):
    """Remove the lines that start with any of `starts` (tab-separated fields)."""
    # Bytes: the sample's title.basics has a line that is not UTF-8, on purpose.
    starts = tuple(start.encode() for start in starts)
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join(line for line in lines if not line.startswith(starts)))


def as_imdb_publishes(test):
    """The sample as IMDb publishes its files: in title order, with no line
    that names no film (the sample's line of too few columns)."""
    folder = copy_sample(test)
    in_title_order(folder, "title.basics", "title.akas", "title.principals", "title.crew")
    drop_lines(folder / "title.principals.tsv", "tt0245429\t4\tnm0594503\n", "tt0245429\t4\t")
    drop_lines(folder / "title.akas.tsv", "tt0118849\t8\t")
    return folder


def imdb_credits():
    return sorted(
        Credit.objects.values_list(
            "film__slug",
            "person__slug",
            "role",
            "job",
            "character",
            "billing_order",
            "is_star",
            "source",
        )
    )


class RemovedCreditsTests(TestCase):
    """A credit IMDb no longer lists (in title.principals nor title.crew)
    goes at the next import, undoably; only IMDb's own, and only where the
    files leave no doubt."""

    fixtures = ["children-of-heaven"]
    # Woody Allen acts in and directs Annie Hall, a film with no bad line.
    ALVY = ("annie-hall-1977", "woody-allen", "cast", "", "Alvy Singer")
    ALVY_LINE = "tt0075686\t1\tnm0000095\t"

    def alvy(self):
        return Credit.objects.filter(
            film__slug=self.ALVY[0], person__slug=self.ALVY[1], role="cast"
        )

    def test_a_credit_imdb_no_longer_lists_goes_and_the_rest_stay(self):
        folder = as_imdb_publishes(self)
        run_import(folder)
        before = imdb_credits()
        self.assertTrue(self.alvy().exists())
        drop_lines(folder / "title.principals.tsv", self.ALVY_LINE)
        out, _ = run_import(folder)
        self.assertIn("credits removed (IMDb no longer lists them): 1", out)
        self.assertFalse(self.alvy().exists())
        self.assertEqual([credit for credit in before if credit[:5] != self.ALVY], imdb_credits())
        # The seed's own credits, from its fan page, are not IMDb's to remove.
        self.assertEqual(
            Credit.objects.filter(film__slug=SEED, source=Source.FAN_PAGE).count(),
            len([c for c in before if c[0] == SEED and c[7] == Source.FAN_PAGE]),
        )

    def test_a_director_or_writer_listed_by_either_file_stays_and_a_rerun_changes_nothing(self):
        folder = as_imdb_publishes(self)
        run_import(folder)
        # Soderbergh directs Solaris in both files, and writes it in title.crew only.
        solaris = Credit.objects.filter(film__slug="solaris-2002", person__slug="steven-soderbergh")
        self.assertEqual(sorted(solaris.values_list("job", flat=True)), ["Director", "Writer"])
        credits = imdb_credits()
        out, _ = run_import(folder, "--recheck")
        self.assertIn("Nothing changed: the catalogue already holds what these files say", out)
        self.assertEqual(imdb_credits(), credits)
        # Out of title.crew as director: title.principals still lists him.
        edit_line(folder / "title.crew.tsv", "tt0307479", lambda line: "tt0307479\t\\N\tnm0001752")
        out, _ = run_import(folder)
        self.assertNotIn("credits removed", out)
        self.assertEqual(imdb_credits(), credits)
        # Out of title.crew as writer too: the writer credit goes.
        edit_line(folder / "title.crew.tsv", "tt0307479", lambda line: "tt0307479\t\\N\t\\N")
        out, _ = run_import(folder)
        self.assertIn("credits removed (IMDb no longer lists them): 1", out)
        self.assertEqual(list(solaris.values_list("job", flat=True)), ["Director"])

    def test_a_credit_staff_edited_is_theirs_and_stays(self):
        folder = as_imdb_publishes(self)
        run_import(folder)
        credit = self.alvy().get()
        credit.character = "Alvy"
        credit.source = Source.STAFF
        credit.save()
        drop_lines(folder / "title.principals.tsv", self.ALVY_LINE)
        out, _ = run_import(folder)
        self.assertNotIn("credits removed", out)
        self.assertEqual(self.alvy().get().character, "Alvy")

    def test_a_film_with_a_bad_credit_line_keeps_every_credit(self):
        folder = as_imdb_publishes(self)
        run_import(folder)
        drop_lines(folder / "title.principals.tsv", self.ALVY_LINE)
        # A line of Annie Hall's that cannot be read: the credit it held
        # may have been the one that went.
        edit_line(
            folder / "title.principals.tsv",
            "tt0075686\t2",
            lambda line: line + "\ntt0075686\tthree\tnm0000095\tactor\t\\N\t\\N",
        )
        out, err = run_import(folder)
        self.assertIn("non-numeric ordering: 'three'", err)
        self.assertNotIn("credits removed", out)
        self.assertTrue(self.alvy().exists())

    def test_a_film_crediting_an_unknown_person_keeps_every_credit(self):
        folder = as_imdb_publishes(self)
        run_import(folder)
        amelie = Credit.objects.filter(film__slug="amelie-2001", role="cast")
        self.assertTrue(amelie.exists())
        # title.crew names a writer of Amélie that name.basics lacks: the
        # credit that went may be one the files spelt wrong.
        drop_lines(folder / "title.principals.tsv", "tt0211915\t1\t")
        out, err = run_import(folder)
        self.assertIn("unknown person ID: nm9999998", err)
        self.assertNotIn("credits removed", out)
        self.assertTrue(amelie.exists())

    def test_a_line_that_names_no_film_keeps_every_credit(self):
        folder = as_imdb_publishes(self)
        run_import(folder)
        drop_lines(folder / "title.principals.tsv", self.ALVY_LINE)
        with open(folder / "title.principals.tsv", "a", encoding="utf-8") as principals:
            principals.write("\ntt0075686\t9\n")  # too few columns: whose credit was it?
        out, err = run_import(folder)
        self.assertIn("too few columns", err)
        self.assertIn("name no film: credits IMDb no longer lists are kept this time", out)
        self.assertTrue(self.alvy().exists())

    def test_files_out_of_title_order_keep_every_credit(self):
        folder = copy_sample(self)  # as the sample is: in no order
        run_import(folder)
        drop_lines(folder / "title.principals.tsv", self.ALVY_LINE)
        out, _ = run_import(folder)
        self.assertIn("is not in title order: credits IMDb no longer lists are kept", out)
        self.assertTrue(self.alvy().exists())

    def test_undoing_the_batch_makes_the_credit_again_as_it_was(self):
        folder = as_imdb_publishes(self)
        run_import(folder)
        removed = self.alvy().values().get()
        drop_lines(folder / "title.principals.tsv", self.ALVY_LINE)
        run_import(folder)
        batch = ImportBatch.objects.get(
            counts__has_key="credits removed (IMDb no longer lists them)"
        )
        self.assertEqual(batch.deleted, {"catalog.Credit": [{**removed}]})
        batch.undo()
        self.assertEqual(self.alvy().values().get(), removed)

    def test_undoing_it_after_the_film_was_deleted_makes_nothing_again(self):
        folder = as_imdb_publishes(self)
        run_import(folder)
        drop_lines(folder / "title.principals.tsv", self.ALVY_LINE)
        run_import(folder)
        Film.objects.get(slug=self.ALVY[0]).delete()
        batch = ImportBatch.objects.get(
            counts__has_key="credits removed (IMDb no longer lists them)"
        )
        batch.undo()
        self.assertFalse(self.alvy().exists())
        self.assertIsNotNone(batch.undone_at)

    def test_both_files_merged_give_the_credits_of_a_pass_each(self):
        folder = as_imdb_publishes(self)
        with transaction.atomic():
            out, _ = run_import(folder)
            merged = imdb_credits()
            transaction.set_rollback(True)
        self.assertNotIn("not in title order", out)
        # title.crew backwards: a pass of its own, after title.principals'.
        path = folder / "title.crew.tsv"
        header, *lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
        path.write_text("\n".join([header, *reversed(lines)]) + "\n", encoding="utf-8")
        out, _ = run_import(folder)
        self.assertIn("is not in title order", out)
        self.assertEqual(imdb_credits(), merged)


class RemovedAlternateTitlesTests(TestCase):
    """An alternate title IMDb no longer lists goes, and search forgets it,
    once the whole of title.akas leaves no doubt; undoably, and only IMDb's
    own."""

    fixtures = ["children-of-heaven"]
    VOYAGE_LINE = "tt0245429\t3\t"  # Spirited Away's French title
    REMOVED = "alternate titles removed (IMDb no longer lists them): 1"
    ZAUBERLAND = "tt0245429\t4\tChihiros Reise ins Zauberland\tDE\tde\t\\N\t\\N\t0\n"

    def add_akas(self, folder, line):
        with open(folder / "title.akas.tsv", "a", encoding="utf-8") as akas:
            akas.write(line)
        in_title_order(folder, "title.akas")

    def voyage(self):
        return AlternateTitle.objects.filter(
            film__slug="spirited-away-2001", title="Le voyage de Chihiro"
        )

    def search_text(self):
        return Film.objects.get(slug="spirited-away-2001").search_text

    def imported(self):
        folder = as_imdb_publishes(self)
        run_import(folder)
        self.assertTrue(self.voyage().exists())
        self.assertIn("voyage", self.search_text())
        return folder

    def akas(self):
        return sorted(AlternateTitle.objects.values_list("film__slug", "title", "source"))

    def test_a_title_imdb_no_longer_lists_goes_from_the_page_and_search(self):
        folder = self.imported()
        before = self.akas()
        drop_lines(folder / "title.akas.tsv", self.VOYAGE_LINE)
        out, _ = run_import(folder)
        self.assertIn(self.REMOVED, out)
        self.assertFalse(self.voyage().exists())
        self.assertNotIn("voyage", self.search_text())
        self.assertIn("千", self.search_text())
        gone = ("spirited-away-2001", "Le voyage de Chihiro", Source.IMDB)
        self.assertEqual(self.akas(), [aka for aka in before if aka != gone])
        out, _ = run_import(folder, "--recheck")
        self.assertIn("Nothing changed", out)

    def test_a_film_that_lost_every_title_loses_them_all(self):
        folder = self.imported()
        drop_lines(folder / "title.akas.tsv", "tt0245429\t")
        out, _ = run_import(folder)
        # Its third line, "Sen to Chihiro no kamikakushi", is its original title, not an alternate.
        self.assertIn("alternate titles removed (IMDb no longer lists them): 2", out)
        self.assertFalse(AlternateTitle.objects.filter(film__slug="spirited-away-2001").exists())
        self.assertEqual(
            self.search_text(), Film.objects.get(slug="spirited-away-2001").build_search_text([])
        )

    def test_removing_titles_costs_the_same_queries_for_one_or_several(self):
        folder = self.imported()
        drops = {
            1: [self.VOYAGE_LINE],
            3: [self.VOYAGE_LINE, "tt0211915\t2\t", "tt0069293\t1\t"],
        }
        queries = {}
        for n, starts in drops.items():
            other = copy_sample(self)
            for path in folder.glob("*.tsv"):
                shutil.copy(path, other / path.name)
            drop_lines(other / "title.akas.tsv", *starts)
            with transaction.atomic(), CaptureQueriesContext(connection) as captured:
                out, _ = run_import(other)
                transaction.set_rollback(True)
            self.assertIn(f"alternate titles removed (IMDb no longer lists them): {n}", out)
            queries[n] = len(captured)
        self.assertEqual(queries[1], queries[3])

    def test_a_title_staff_took_over_stays(self):
        folder = self.imported()
        self.voyage().update(source=Source.STAFF)
        drop_lines(folder / "title.akas.tsv", self.VOYAGE_LINE)
        out, _ = run_import(folder)
        self.assertNotIn("alternate titles removed", out)
        self.assertTrue(self.voyage().exists())

    def test_a_film_with_a_bad_line_in_title_akas_keeps_every_title(self):
        # The seed's line 7 is an absurdly long title: it may have been the one that went.
        folder = self.imported()
        seed_titles = list(AlternateTitle.objects.filter(film__slug=SEED).values_list("title"))
        drop_lines(folder / "title.akas.tsv", "tt0118849\t3\t")
        out, err = run_import(folder, "--recheck")
        self.assertIn("absurdly long title", err)
        self.assertNotIn("alternate titles removed", out)
        self.assertEqual(
            list(AlternateTitle.objects.filter(film__slug=SEED).values_list("title")), seed_titles
        )

    def test_a_line_that_names_no_film_keeps_them_all_until_a_clean_run(self):
        folder = self.imported()
        path = folder / "title.akas.tsv"
        drop_lines(path, self.VOYAGE_LINE)
        self.add_akas(folder, self.ZAUBERLAND)
        clean = path.read_text(encoding="utf-8")
        self.add_akas(folder, "tt0245429\t9\n")
        out, err = run_import(folder)
        self.assertIn("too few columns", err)
        self.assertIn("name no film: alternate titles IMDb no longer lists are kept", out)
        self.assertIn("alternate titles created: 1", out)
        self.assertTrue(self.voyage().exists())
        # The batch that found it, recorded for the title it added, is read
        # again though its films' lines are the same.
        path.write_text(clean, encoding="utf-8")
        out, _ = run_import(folder)
        self.assertIn(self.REMOVED, out)
        self.assertFalse(self.voyage().exists())

    def test_files_out_of_title_order_keep_them_all_until_they_are_in_order(self):
        folder = self.imported()
        path = folder / "title.akas.tsv"
        drop_lines(path, self.VOYAGE_LINE)
        header, *lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
        path.write_text("\n".join([header, *reversed(lines)]) + "\n", encoding="utf-8")
        out, _ = run_import(folder)
        self.assertIn("is not in title order: alternate titles IMDb no longer lists are kept", out)
        self.assertTrue(self.voyage().exists())
        in_title_order(folder, "title.akas")
        out, _ = run_import(folder)
        self.assertIn(self.REMOVED, out)
        self.assertFalse(self.voyage().exists())

    def test_undoing_the_batch_makes_the_title_again_and_search_finds_it(self):
        folder = self.imported()
        removed = self.voyage().values().get()
        drop_lines(folder / "title.akas.tsv", self.VOYAGE_LINE)
        run_import(folder)
        batch = ImportBatch.objects.get(key="akas-removed:0")
        self.assertEqual(batch.deleted, {"catalog.AlternateTitle": [removed]})
        self.assertTrue(batch.undo())
        self.assertEqual(self.voyage().values().get(), removed)
        self.assertIn("voyage", self.search_text())
        # Undone, the batch no longer holds: the next run removes the title again.
        out, _ = run_import(folder)
        self.assertIn(self.REMOVED, out)

    def test_undoing_it_after_staff_gave_the_title_again_keeps_theirs(self):
        folder = self.imported()
        drop_lines(folder / "title.akas.tsv", self.VOYAGE_LINE)
        run_import(folder)
        film = Film.objects.get(slug="spirited-away-2001")
        AlternateTitle.objects.create(film=film, title="Le voyage de Chihiro", region="BE")
        self.assertTrue(ImportBatch.objects.get(key="akas-removed:0").undo())
        self.assertEqual(list(self.voyage().values_list("region", "source")), [("BE", "staff")])

    def test_undoing_a_batch_that_added_a_title_takes_it_out_of_search(self):
        folder = self.imported()
        self.add_akas(folder, self.ZAUBERLAND)
        out, _ = run_import(folder)
        self.assertNotIn("not in title order", out)
        self.assertIn("zauberland", self.search_text())
        batch = ImportBatch.objects.filter(counts__has_key="alternate titles created").latest("pk")
        batch.undo()
        self.assertNotIn("zauberland", self.search_text())
        self.assertIn("voyage", self.search_text())


class ChangedGenresTests(TestCase):
    """A film's genres follow IMDb's when they are IMDb's: added, and gone
    when IMDb no longer lists them; staff's stay."""

    fixtures = ["children-of-heaven"]
    SPIRITED_AWAY = "tt0245429"

    def genres(self, slug="spirited-away-2001"):
        return sorted(Film.objects.get(slug=slug).genres.values_list("name", flat=True))

    def set_genres(self, folder, tconst, genres):
        edit_line(
            folder / "title.basics.tsv",
            tconst,
            lambda line: "\t".join([*line.split("\t")[:8], genres]),
        )

    def test_genres_imdb_changed_are_added_and_removed(self):
        folder = as_imdb_publishes(self)
        run_import(folder)
        self.assertEqual(self.genres(), ["Adventure", "Animation", "Family"])
        self.set_genres(folder, self.SPIRITED_AWAY, "Animation,Fantasy")
        out, _ = run_import(folder)
        self.assertIn("genres removed (IMDb no longer lists them): 2", out)
        self.assertIn("genres added: 1", out)
        self.assertEqual(self.genres(), ["Animation", "Fantasy"])
        out, _ = run_import(folder, "--recheck")
        self.assertIn("Nothing changed", out)
        # The genre list shows it under its new genre only.
        page = self.client.get("/films/", {"genre": "family"})
        self.assertNotContains(page, "Spirited Away")
        self.assertContains(self.client.get("/films/", {"genre": "fantasy"}), "Spirited Away")

    def test_undo_puts_the_genres_back(self):
        folder = as_imdb_publishes(self)
        run_import(folder)
        self.set_genres(folder, self.SPIRITED_AWAY, "Animation,Fantasy")
        run_import(folder)
        ImportBatch.objects.filter(counts__has_key="genres added").latest("pk").undo()
        self.assertEqual(self.genres(), ["Adventure", "Animation", "Family"])

    def test_genres_staff_chose_stay(self):
        folder = as_imdb_publishes(self)
        run_import(folder)
        film = Film.objects.get(slug="spirited-away-2001")
        film.field_sources = {**film.field_sources, "genres": Source.STAFF}
        film.save()
        self.set_genres(folder, self.SPIRITED_AWAY, "Animation,Fantasy")
        out, _ = run_import(folder)
        self.assertNotIn("genres removed", out)
        self.assertEqual(self.genres(), ["Adventure", "Animation", "Family"])

    def test_a_film_without_genres_takes_imdbs_and_then_follows_them(self):
        # The seed's fan page names no genre: IMDb's become the film's.
        folder = as_imdb_publishes(self)
        self.assertEqual(self.genres(SEED), [])
        run_import(folder)
        self.assertEqual(self.genres(SEED), ["Drama", "Family"])
        self.assertEqual(Film.objects.get(slug=SEED).field_sources["genres"], Source.IMDB)
        self.set_genres(folder, "tt0118849", "Drama")
        out, _ = run_import(folder)
        self.assertIn("genres removed (IMDb no longer lists them): 1", out)
        self.assertEqual(self.genres(SEED), ["Drama"])
        # Undone, the film has no genres again, and no claim on them.
        [removal] = [b for b in ImportBatch.objects.all() if "genres removed" in b.summary]
        removal.undo()
        self.assertEqual(self.genres(SEED), ["Drama", "Family"])
        first = ImportBatch.objects.filter(key="titles:0").order_by("pk").first()
        first.undo()
        self.assertEqual(self.genres(SEED), [])
        self.assertNotIn("genres", Film.objects.get(slug=SEED).field_sources)


class UnlistedTests(TestCase):
    """Films and people whose IMDb ID the files no longer list (IMDb merged
    or removed them) are named for staff, and kept."""

    fixtures = ["children-of-heaven"]

    def test_a_film_and_a_person_imdb_removed_are_named_and_kept(self):
        folder = as_imdb_publishes(self)
        out, _ = run_import(folder)
        self.assertNotIn("no longer lists (merged or removed by IMDb)", out)
        # Annie Hall leaves title.basics; Woody Allen, in nothing else, name.basics.
        drop_lines(folder / "title.basics.tsv", "tt0075686\t")
        drop_lines(folder / "name.basics.tsv", "nm0000095\t")
        drop_lines(folder / "title.principals.tsv", "tt0075686\t")
        out, err = run_import(folder)
        self.assertIn(
            "1 film here with an IMDb ID title.basics.tsv no longer lists (merged or removed"
            " by IMDb): tt0075686. Kept: staff can merge or delete them in the admin.",
            out,
        )
        self.assertIn(
            "1 person here with an IMDb ID name.basics.tsv no longer lists (merged or removed"
            " by IMDb): nm0000095.",
            out,
        )
        self.assertNotIn("nm0000095", err)
        annie_hall = Film.objects.get(slug="annie-hall-1977")
        self.assertEqual(annie_hall.credits.count(), 2)
        self.assertTrue(Person.objects.filter(slug="woody-allen").exists())

    def test_a_run_that_reads_part_of_the_files_names_none(self):
        folder = as_imdb_publishes(self)
        run_import(folder)
        drop_lines(folder / "title.basics.tsv", "tt0075686\t")
        out, _ = run_import(folder, "--limit", "3")
        self.assertNotIn("title.basics.tsv no longer lists", out)


class QueriesPerBatchTests(TestCase):
    def queries(self, *args):
        with CaptureQueriesContext(connection) as queries:
            run_import(SAMPLE, *args)
        return len(queries)

    def test_a_batch_costs_the_same_queries_whatever_its_size(self):
        # One batch per file in both runs, of 3 and of 5 titles with their
        # titles, people and credits.
        small = self.queries("--limit", "3", "--batch-size", "1000")
        Film.objects.all().delete()
        Credit.objects.all().delete()
        Person.objects.all().delete()
        ImportBatch.objects.all().delete()
        large = self.queries("--limit", "5", "--batch-size", "1000")
        self.assertEqual(small, large)


class PlainProgressTests(SimpleTestCase):
    def test_without_a_terminal_progress_is_a_log_line_now_and_then_and_a_total(self):
        lines = []
        progress = PlainProgress(lines.append, every=0)
        self.assertEqual(list(progress(iter(range(5000)), "title.principals")), list(range(5000)))
        # The clock is looked at every 1,024 lines: four times in 5,000.
        self.assertEqual(len(lines), 5)
        self.assertTrue(lines[0].startswith("title.principals: 1,024 lines, "))
        self.assertTrue(lines[-1].startswith("title.principals: 5,000 lines read in "))

    def test_an_empty_file_says_so(self):
        lines = []
        self.assertEqual(list(PlainProgress(lines.append)(iter(()), "title.crew")), [])
        self.assertEqual(len(lines), 1)
        self.assertTrue(lines[0].startswith("title.crew: 0 lines read in "))


class ConnectionSettingsTests(TestCase):
    def test_postgresql_commits_without_waiting_for_the_disk_nor_compiling_then_as_before(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL only: SQLite's WAL mode already syncs at checkpoints only")
        seen = []

        def spy(execute, sql, params, many, context):
            if sql.startswith('INSERT INTO "catalog_importbatch"'):
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT current_setting('synchronous_commit'), current_setting('jit')"
                    )
                    seen.append(cursor.fetchone())
            return execute(sql, params, many, context)

        with connection.cursor() as cursor:
            # Whatever the server's defaults (CI's synchronous_commit is off),
            # the session's own.
            cursor.execute("SET synchronous_commit = remote_write")
            cursor.execute("SET jit = on")
        with connection.execute_wrapper(spy):
            run_import(SAMPLE, "--limit", "1")
        self.assertEqual(set(seen), {("off", "off")})
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('synchronous_commit'), current_setting('jit')")
            self.assertEqual(cursor.fetchone(), ("remote_write", "on"))

    def test_the_import_gives_its_sqlite_connection_a_large_cache_and_wal_then_as_before(self):
        if connection.vendor != "sqlite":
            self.skipTest("SQLite only: PostgreSQL's shared_buffers is the server's setting")
        seen = []

        def pragmas():
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                cache = cursor.fetchone()[0]
                cursor.execute("PRAGMA wal_autocheckpoint")
                return cache, cursor.fetchone()[0]

        def spy(execute, sql, params, many, context):
            if sql.startswith('INSERT INTO "catalog_importbatch"'):
                seen.append(pragmas())
            return execute(sql, params, many, context)

        before = pragmas()
        with connection.execute_wrapper(spy):
            run_import(SAMPLE, "--limit", "1")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA page_size")
            wal_pages = importer_module.SQLITE_WAL_MB * 1024 * 1024 // cursor.fetchone()[0]
        self.assertEqual(set(seen), {(-importer_module.SQLITE_CACHE_MB * 1024, wal_pages)})
        self.assertEqual(pragmas(), before)
