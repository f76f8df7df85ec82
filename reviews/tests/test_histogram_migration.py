"""The migration that fills Film.rating_histogram for films rated before the
field existed counts exactly what the services count."""

from importlib import import_module

from django.apps import apps
from django.test import TestCase

from catalog.models import Film
from catalog.tests.helpers import make_film
from reviews import services
from reviews.models import Review

from .helpers import make_fan_review, make_imported_review, make_user

fill_histograms = import_module("reviews.migrations.0003_fill_rating_histograms").fill_histograms


class FillRatingHistogramsTests(TestCase):
    def test_fills_each_film_as_the_services_would(self):
        film, other, unrated = make_film(), make_film(), make_film()
        for points in (10, 10, 3):
            services.set_rating(make_user(), film, points)
        hidden = make_fan_review(film, make_user(), points=1)
        services.set_review_status(Review.objects.filter(pk=hidden.pk), Review.Status.HIDDEN)
        make_imported_review(film, rating=8)
        services.set_rating(make_user(), other, 5)
        expected = {f.pk: f.rating_histogram for f in Film.objects.all()}
        Film.objects.update(rating_histogram=[])

        fill_histograms(apps, schema_editor=None)

        filled = {f.pk: f.rating_histogram for f in Film.objects.all()}
        self.assertEqual(filled, expected)
        self.assertEqual(filled[film.pk], [0, 0, 1, 0, 0, 0, 0, 1, 0, 2])
        self.assertEqual(filled[unrated.pk], [])
