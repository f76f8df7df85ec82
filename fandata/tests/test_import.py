"""A fan imports a Letterboxd export or IMDb ratings: rows are matched to
films (our address, outside id, then title and year folded), previewed as
found / to choose / not found, and written only when the fan confirms.
Letterboxd's half stars are exactly our points; the same file twice changes
nothing."""

from collections import Counter

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Film
from catalog.tests.helpers import make_film
from fandata import formats, importer, matching
from fandata.formats import LETTERBOXD_COLUMNS
from fandata.models import PendingImport
from reviews import services
from reviews.models import Rating, Review
from reviews.tests.helpers import make_user, no_rate_limits

from .helpers import csv_text, imdb_csv, letterboxd_zip, upload

UPLOAD = reverse("fandata:import")
PREVIEW = reverse("fandata:import-preview")


def counters(film):
    film = Film.objects.get(pk=film.pk)
    return film.rating_count, film.rating_sum, film.rating_histogram, film.review_count


@no_rate_limits
class LetterboxdImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan = make_user("newcomer")
        cls.heaven = make_film(title="Children of Heaven", year=1997)
        cls.amelie = make_film(title="Amélie", year=2001)
        cls.matrix = make_film(title="The Matrix", year=1999)
        cls.paradise = make_film(title="The Colour of Paradise", year=1999)
        cls.twin_a = make_film(title="Hamlet", year=1996)
        cls.twin_b = make_film(title="Hamlet", year=1996, slug="hamlet-1996-b")

    def setUp(self):
        self.client.force_login(self.fan)

    def export(self):
        return letterboxd_zip(
            {
                "ratings.csv": [
                    ["2024-01-02", "Children of Heaven", "1997", "https://boxd.it/1", "4.5"],
                    ["2024-01-03", "Amelie", "2001", "https://boxd.it/2", "0.5"],
                    ["2024-01-04", "Matrix, The", "1999", "https://boxd.it/3", "5"],
                    ["2024-01-05", "Hamlet", "1996", "https://boxd.it/4", "3"],
                    ["2024-01-06", "A Film Nobody Made", "2020", "https://boxd.it/5", "2"],
                    ["2024-01-07", "The Colour of Paradise", "2000", "https://boxd.it/6", "4.3"],
                ],
                "reviews.csv": [
                    ["2024-01-02", "Children of Heaven", "1997", "https://boxd.it/7", "4.5", "",
                     "Two children, one pair of shoes.\n\nThe race!", "", "2024-01-01"],
                ],
            }
        )  # fmt: skip

    def upload(self, data=None):
        response = self.client.post(UPLOAD, {"export": upload(data or self.export())})
        self.assertRedirects(response, PREVIEW)

    def confirm(self, **choices):
        return self.client.post(PREVIEW, {"action": "confirm", **choices}, follow=True)

    def test_the_preview_shows_found_ambiguous_and_unmatched_rows_and_saves_nothing(self):
        self.upload()
        response = self.client.get(PREVIEW)
        preview = response.context["preview"]
        found = {group["films"][0]["pk"] for group in preview.matched}
        self.assertEqual(found, {self.heaven.pk, self.amelie.pk, self.matrix.pk, self.paradise.pk})
        self.assertEqual(
            [{f["pk"] for f in g["films"]} for g in preview.ambiguous],
            [{self.twin_a.pk, self.twin_b.pk}],
        )
        self.assertEqual([g["rows"][0]["title"] for g in preview.unmatched], ["A Film Nobody Made"])
        self.assertContains(response, "A Film Nobody Made")
        self.assertContains(response, "“4.3” is not a rating of 0.5 to 5 stars")
        self.assertContains(response, "Which film do you mean?")
        self.assertFalse(Rating.objects.exists())

    def test_confirming_writes_ratings_with_half_stars_as_points_and_the_review(self):
        self.upload()
        ambiguous = self.client.get(PREVIEW).context["preview"].ambiguous[0]["number"]
        response = self.confirm(**{f"film-{ambiguous}": str(self.twin_b.pk)})
        self.assertContains(response, "Imported: 4 ratings, 1 review, 1 diary entry.")
        points = dict(Rating.objects.filter(user=self.fan).values_list("film__title", "points"))
        self.assertEqual(
            points, {"Children of Heaven": 9, "Amélie": 1, "The Matrix": 10, "Hamlet": 6}
        )
        self.assertEqual(Rating.objects.get(user=self.fan, film__title="Hamlet").film, self.twin_b)
        review = Review.objects.get(author=self.fan)
        self.assertEqual((review.film, review.rating), (self.heaven, 9))
        self.assertEqual(review.title, "Two children, one pair of shoes. The race!")
        self.assertEqual(review.paragraphs, ["Two children, one pair of shoes.", "The race!"])
        self.assertEqual(review.source, "Letterboxd")
        self.assertEqual(counters(self.heaven), (1, 9, [0] * 8 + [1, 0], 1))
        self.assertFalse(PendingImport.objects.exists())

    def test_importing_the_same_file_twice_changes_nothing(self):
        self.upload()
        self.confirm()
        before = list(Rating.objects.order_by("pk").values_list("pk", "points", "updated_at"))
        reviews = list(Review.objects.values_list("pk", "updated_at"))
        films = [counters(film) for film in Film.objects.all()]
        self.upload()
        response = self.confirm()
        self.assertContains(response, "nothing new")
        self.assertEqual(
            list(Rating.objects.order_by("pk").values_list("pk", "points", "updated_at")), before
        )
        self.assertEqual(list(Review.objects.values_list("pk", "updated_at")), reviews)
        self.assertEqual([counters(film) for film in Film.objects.all()], films)

    def test_a_double_click_confirms_once(self):
        self.upload()
        pending = PendingImport.objects.get()
        self.assertEqual(importer.apply(self.fan, pending, {})["ratings"], 3)
        self.assertEqual(importer.apply(self.fan, pending, {}), Counter())

    def test_a_film_already_rated_differently_takes_the_files_stars_and_keeps_its_review(self):
        services.set_rating(self.fan, self.heaven, 2)
        self.upload()
        self.confirm()
        self.assertEqual(Rating.objects.get(user=self.fan, film=self.heaven).points, 9)
        self.assertEqual(counters(self.heaven)[:2], (1, 9))

    def test_skipping_an_ambiguous_film_leaves_it_out(self):
        self.upload()
        self.confirm()  # No choice made: skip.
        self.assertFalse(Rating.objects.filter(film__title="Hamlet").exists())

    def test_a_choice_that_was_not_offered_is_refused(self):
        self.upload()
        number = self.client.get(PREVIEW).context["preview"].ambiguous[0]["number"]
        for value in [str(self.heaven.pk), "zz", "9" * 30, "-1"]:
            with self.subTest(value=value):
                response = self.client.post(PREVIEW, {"action": "confirm", f"film-{number}": value})
                self.assertEqual(response.status_code, 400)
        self.assertFalse(Rating.objects.exists())

    def test_cancelling_forgets_the_upload(self):
        self.upload()
        self.client.post(PREVIEW, {"action": "cancel"})
        self.assertFalse(PendingImport.objects.exists())
        self.assertRedirects(self.client.get(PREVIEW), UPLOAD)

    def test_an_expired_upload_is_gone(self):
        self.upload()
        PendingImport.objects.update(created_at="2000-01-01T00:00:00Z")
        self.assertRedirects(self.client.get(PREVIEW), UPLOAD)
        self.assertEqual(self.client.post(PREVIEW, {"action": "confirm"}).status_code, 302)
        self.assertFalse(Rating.objects.exists())

    def test_each_fan_sees_only_their_own_upload(self):
        self.upload()
        self.client.force_login(make_user())
        self.assertRedirects(self.client.get(PREVIEW), UPLOAD)

    def test_our_own_film_addresses_match_first(self):
        data = letterboxd_zip(
            {
                "ratings.csv": [
                    [
                        "2024-01-01",
                        "Whatever Title",
                        "1900",
                        "http://elsewhere.example" + self.twin_b.get_absolute_url(),
                        "2",
                    ]
                ]
            }
        )
        self.upload(data)
        self.confirm()
        self.assertEqual(Rating.objects.get(user=self.fan).film, self.twin_b)

    def test_the_preview_page_reads_the_same_queries_for_2_or_200_films(self):
        for size in (2, 200):
            films = Film.objects.bulk_create(
                Film(title=f"Bulk {size} {n}", slug=f"bulk-{size}-{n}", year=2000)
                for n in range(size)
            )
            rows = [["2024-01-01", f.title, "2000", "", "3"] for f in films]
            self.upload(letterboxd_zip({"ratings.csv": rows}))
            with self.subTest(size=size), self.assertNumQueries(3):  # session, user, the upload
                response = self.client.get(PREVIEW)
            self.assertEqual(len(response.context["preview"].matched), size)

    def test_matching_runs_a_few_queries_in_batches_not_one_per_row(self):
        counts = []
        for size in (2, 200):
            films = Film.objects.bulk_create(
                Film(title=f"Batch {size} {n}", slug=f"batch-{size}-{n}", year=2000)
                for n in range(size)
            )
            rows = formats.read_letterboxd(
                {"ratings.csv": csv_text(
                    LETTERBOXD_COLUMNS["ratings.csv"],
                    [["2024-01-01", f.title, "2000", "", "3"] for f in films],
                )}
            )  # fmt: skip
            with CaptureQueriesContext(connection) as queries:
                results = matching.match(rows)
            self.assertEqual({status for status, _ in results.values()}, {matching.MATCHED})
            counts.append(len(queries))
        self.assertEqual(counts, [1, 1])  # The exact titles, in one batch.


@no_rate_limits
class ImdbImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan = make_user()
        cls.heaven = make_film(title="Children of Heaven", year=1997)

    def test_ratings_out_of_ten_come_in_as_they_are(self):
        self.client.force_login(self.fan)
        data = imdb_csv(
            [
                ("tt0118849", "7", "2024-01-01", "Children of Heaven", "1997"),
                ("tt0000001", "11", "2024-01-01", "Unknown Film", "1990"),
            ]
        )
        self.client.post(UPLOAD, {"export": upload(data, "ratings.csv")})
        response = self.client.get(PREVIEW)
        self.assertContains(response, "“11” is not a rating of 1 to 10")
        self.client.post(PREVIEW, {"action": "confirm"})
        self.assertEqual(Rating.objects.get(user=self.fan).points, 7)
        self.assertEqual(Rating.objects.get(user=self.fan).film, self.heaven)


class TitleFoldingTests(TestCase):
    def test_articles_accents_and_punctuation_fold_away(self):
        from core.text import fold_title

        for a, b in [
            ("The Matrix", "Matrix, The"),
            ("Amélie", "AMELIE"),
            ("L'Avventura", "Avventura, L'"),
            ("Le Samouraï", "Samourai"),
            ("Das Boot", "Boot, Das"),
            ("Children of Heaven", "children of heaven!"),
        ]:
            with self.subTest(a=a):
                self.assertEqual(fold_title(a), fold_title(b))
        self.assertEqual(fold_title("The"), "the")
        self.assertNotEqual(fold_title("A Man"), fold_title("Man, The Woman"))

    def test_the_message_says_what_was_written(self):
        from collections import Counter

        self.assertEqual(
            importer.summary(Counter(ratings=1, diary=2)), "Imported: 1 rating, 2 diary entries."
        )
