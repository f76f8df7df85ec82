"""Fill catalog.Film.rating_histogram for films rated before it existed.

Counts the same rows as reviews.services.refresh_film_counters: fans'
ratings, except where staff hid that fan's review of the film, and the
ratings of published reviews imported without an account. Grouped over the
whole table, so a million ratings take seconds, not a query per film.
"""

from django.db import migrations
from django.db.models import Count, Exists, OuterRef

MIN_POINTS, MAX_POINTS = 1, 10


def fill_histograms(apps, schema_editor):
    Film = apps.get_model("catalog", "Film")
    Rating = apps.get_model("reviews", "Rating")
    Review = apps.get_model("reviews", "Review")
    hidden_review = Review.objects.filter(
        film=OuterRef("film"), author=OuterRef("user"), status="hidden"
    )
    fans = (
        Rating.objects.filter(~Exists(hidden_review))
        .order_by()
        .values_list("film_id", "points")
        .annotate(n=Count("id"))
    )
    imported = (
        Review.objects.filter(status="published", author__isnull=True, rating__isnull=False)
        .order_by()
        .values_list("film_id", "rating")
        .annotate(n=Count("id"))
    )
    histograms = {}
    for rows in (fans, imported):
        for film_id, points, n in rows.iterator(chunk_size=5000):
            histogram = histograms.setdefault(film_id, [0] * (MAX_POINTS - MIN_POINTS + 1))
            histogram[points - MIN_POINTS] += n
    films = []
    for film_id, histogram in histograms.items():
        films.append(Film(pk=film_id, rating_histogram=histogram))
        if len(films) == 2000:
            Film.objects.bulk_update(films, ["rating_histogram"])
            films = []
    Film.objects.bulk_update(films, ["rating_histogram"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_film_rating_histogram"),
        ("reviews", "0002_ratings_votes_reports"),
    ]

    operations = [migrations.RunPython(fill_histograms, migrations.RunPython.noop)]
