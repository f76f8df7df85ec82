"""The synthetic catalogue generator (manage.py generate_catalogue)."""

from io import StringIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.test import TestCase
from django.urls import reverse

from catalog.models import BoxOfficeFigure, Credit, Film, Person
from reviews.models import Review


def generate(**options):
    call_command("generate_catalogue", stdout=StringIO(), **options)


def synthetic_films():
    return Film.objects.filter(slug__startswith="synthetic-").order_by("pk")


class GenerateCatalogueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        generate(films=40, ratings=600, fans=120, seed=7)

    def test_makes_the_asked_number_of_films_all_marked_synthetic(self):
        self.assertEqual(synthetic_films().count(), 40)
        self.assertFalse(synthetic_films().exclude(source_name="Synthetic data").exists())
        self.assertFalse(Person.objects.exclude(slug__startswith="synthetic-").exists())
        fans = get_user_model().objects.filter(username__startswith="synthetic-fan-")
        self.assertEqual(fans.count(), 120)
        self.assertFalse(any(fan.has_usable_password() for fan in fans))

    def test_films_have_credits_taxonomies_and_box_office(self):
        per_film = synthetic_films().annotate(n=Count("credits")).values_list("n", flat=True)
        self.assertTrue(all(12 <= n <= 17 for n in per_film))
        self.assertEqual(Credit.objects.filter(job="Director").count(), 40)
        self.assertFalse(synthetic_films().filter(genres=None).exists())
        self.assertFalse(synthetic_films().filter(countries=None).exists())
        self.assertFalse(synthetic_films().filter(languages=None).exists())
        self.assertTrue(BoxOfficeFigure.objects.exists())

    def test_titles_come_in_several_scripts(self):
        originals = "".join(synthetic_films().values_list("original_title", flat=True))
        scripts = {
            "Persian/Arabic": any("\u0600" <= ch <= "\u06ff" for ch in originals),
            "Cyrillic": any("\u0400" <= ch <= "\u04ff" for ch in originals),
            "CJK": any("\u4e00" <= ch <= "\u9fff" for ch in originals),
        }
        self.assertEqual(scripts, dict.fromkeys(scripts, True))

    def test_rating_counters_match_the_rows(self):
        totals = synthetic_films().aggregate(
            ratings=Sum("rating_count"), reviews=Sum("review_count")
        )
        self.assertGreater(totals["ratings"], 400)
        self.assertEqual(totals["reviews"], Review.objects.count())
        Rating = apps.get_model("reviews", "Rating")
        self.assertEqual(totals["ratings"], Rating.objects.count())
        # Each review shows its author's stars: the rating row points at it.
        self.assertFalse(Review.objects.filter(rating_row__isnull=True).exists())
        for review in Review.objects.select_related("rating_row")[:10]:
            self.assertEqual(review.rating_row.user_id, review.author_id)
            self.assertEqual(review.rating_row.film_id, review.film_id)
        for film in synthetic_films()[:10]:
            points = Rating.objects.filter(film=film).aggregate(s=Sum("points"))["s"] or 0
            self.assertEqual(film.rating_sum, points)
            rows = dict(
                Rating.objects.filter(film=film).values_list("points").annotate(n=Count("id"))
            )
            self.assertEqual(film.rating_histogram, [rows.get(p, 0) for p in range(1, 11)])

    def test_generated_films_are_searchable_and_listed(self):
        film = synthetic_films().first()
        response = self.client.get(reverse("catalog:search"), {"q": film.title})
        self.assertIn(film, response.context["films"])
        self.assertEqual(self.client.get(reverse("catalog:film-list")).status_code, 200)

    def test_refuses_a_database_that_already_holds_synthetic_data(self):
        with self.assertRaises(CommandError):
            generate(films=1)

    def test_same_seed_gives_the_same_catalogue(self):
        def snapshot():
            return [
                (f.title, f.original_title, f.year, f.rating_count, f.rating_sum)
                for f in synthetic_films()
            ]

        first = snapshot()
        Film.objects.filter(slug__startswith="synthetic-").delete()
        Person.objects.filter(slug__startswith="synthetic-").delete()
        get_user_model().objects.filter(username__startswith="synthetic-fan-").delete()
        generate(films=40, ratings=600, fans=120, seed=7)
        self.assertEqual(snapshot(), first)
